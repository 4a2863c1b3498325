/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-ramblock.c - libFuzzer target: QEMU's "info ramblock" text (what a
 * QEMU, perhaps a broken or hostile one, answers over HMP).  Any input is
 * a block list or one infrastructure error; a list compares with itself
 * without differences, and every block name maps to a PCI slot or none.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "qemu/ramblock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) blocks = rc_ramblock_parse(text, &error);
	g_autoptr(GPtrArray) diffs = NULL;

	if (!blocks) {
		if (!error || error->domain != RC_ERROR)
			__builtin_trap();
		return 0;
	}
	diffs = rc_ramblock_compare(blocks, blocks);
	if (diffs->len != 0)
		__builtin_trap();
	for (guint i = 0; i < blocks->len; i++) {
		const RcRamBlock *b = g_ptr_array_index(blocks, i);
		int slot = rc_ramblock_pci_slot(b->name);

		if (slot < -1 || slot > 31 || !rc_ramblock_find(blocks, b->name))
			__builtin_trap();
	}
	return 0;
}
