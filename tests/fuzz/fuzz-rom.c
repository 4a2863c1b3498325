/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-rom.c - libFuzzer target: any bytes as an option ROM file.
 *
 * The parser must return a ROM or an input error, never crash, loop or read
 * outside the buffer (AddressSanitizer watches), and what it returns must
 * hold together: images in order inside the 64-bit range, padding within
 * the file, a bucket that holds the file.
 */
#include <stdlib.h>

#include "rom/rom.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRom) rom = rc_rom_parse(data, size, "fuzz.rom", &error);
	guint64 prev_end = 0;

	if (!rom) {
		if (!error || !error->message[0])
			abort();
		return 0;
	}
	if (error || rom->size != size || rom->bucket < rom->size ||
	    rom->headroom != rom->bucket - rom->size)
		abort();
	for (guint i = 0; i < rom->images->len; i++) {
		const RcRomImage *img = rc_rom_image(rom, i);
		g_autofree char *arch = rc_rom_efi_machine_name(img->efi_machine);

		if (img->offset < prev_end || img->offset >= size || !arch[0])
			abort();
		prev_end = img->offset + img->length;
		(void)rc_rom_code_type_name(img->code_type);
		(void)rc_rom_efi_subsystem_name(img->efi_subsystem);
	}
	if (rom->padding_offset + rom->padding_length > size)
		abort();
	for (guint i = 0; i < rom->warnings->len; i++) {
		const RcRomWarning *w = g_ptr_array_index(rom->warnings, i);

		if (!w->text[0] || !rc_rom_warning_code_to_string(w->code)[0])
			abort();
	}
	return 0;
}
