/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-catalog.c - libFuzzer target: catalog parsing from memory.  Any
 * input is a catalog or one input error; a catalog accepted has only safe
 * names and saves to a text that parses back to the same text.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "qemu/catalog.h"
#include "base/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcCatalog) catalog =
		rc_catalog_parse((const char *)data, size, "fuzz.json", &error);
	g_autoptr(RcCatalog) again = NULL;
	g_autofree char *text = NULL;
	g_autofree char *text_again = NULL;

	if (!catalog) {
		if (!g_error_matches(error, RC_ERROR, RC_ERROR_INPUT))
			__builtin_trap();
		return 0;
	}
	for (guint i = 0; i < catalog->machines->len; i++) {
		const RcCatalogMachine *machine = g_ptr_array_index(catalog->machines, i);

		if (!rc_catalog_name_is_valid(machine->name))
			__builtin_trap();
	}
	text = rc_catalog_to_string(catalog);
	again = rc_catalog_parse(text, strlen(text), "fuzz.json", NULL);
	if (!again)
		__builtin_trap();
	text_again = rc_catalog_to_string(again);
	if (strcmp(text, text_again) != 0)
		__builtin_trap();
	return 0;
}
