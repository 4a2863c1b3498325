/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-combine.c - libFuzzer target: any bytes split into their images,
 * and combined again.
 *
 * split must give images or an input error, never crash or read outside
 * the buffer; whatever it gives, combining those images must succeed and
 * give back, split again, the very same images (combine and split undo
 * each other), and a malformed-build reason is a line or nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "rom/combine.h"
#include "rom/rom.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

/* Combine the split images, split the result: the same images again. */
static void round_trip(GPtrArray *parts)
{
	g_autofree RcCombineInput *in = g_new0(RcCombineInput, parts->len);
	g_autoptr(GError) error = NULL;
	g_autoptr(RcCombined) c = NULL;
	g_autoptr(GPtrArray) again = NULL;
	RcCombineInput whole;
	gsize len;

	for (guint i = 0; i < parts->len; i++) {
		const RcRomPiece *p = g_ptr_array_index(parts, i);

		in[i].name = p->file_name;
		in[i].data = g_bytes_get_data(p->data, &in[i].len);
	}
	/* Two images of one kind, or of two devices, are refused: fine. */
	if (!(c = rc_combine(in, parts->len, &error)))
		return;
	whole.name = "combined";
	whole.data = g_bytes_get_data(c->data, &len);
	whole.len = len;
	again = rc_split(&whole, &error);
	if (!again || again->len != parts->len)
		abort();
	for (guint i = 0; i < parts->len; i++) {
		const RcRomPiece *p = g_ptr_array_index(again, i);

		if (!g_bytes_equal(p->data, ((RcRomPiece *)g_ptr_array_index(parts, i))->data))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	RcCombineInput input = {"fuzz.rom", data, size};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) parts = rc_split(&input, &error);
	g_autoptr(RcRom) rom = rc_rom_parse(data, size, "efi-fuzz.rom", NULL);
	g_autofree char *why = rom ? rc_rom_malformed_reason(rom, "efi-fuzz.rom") : NULL;

	if (why && (!why[0] || strchr(why, '\n')))
		abort();
	if (!parts) {
		if (!error || !error->message[0])
			abort();
		return 0;
	}
	round_trip(parts);
	return 0;
}
