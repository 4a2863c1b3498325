/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * combine.h - one multi-image PCI option ROM from per-architecture images
 * (x86 legacy .rom, EFI .efirom), and the images of one back out of it.
 */
#ifndef RC_COMBINE_H
#define RC_COMBINE_H

#include <glib.h>

/**
 * RcCombineInput - one file to take images from
 * @name:	its name, for messages and reports
 * @data:	its bytes (borrowed)
 * @len:	how many
 */
typedef struct {
	const char *name;
	const guint8 *data;
	gsize len;
} RcCombineInput;

/**
 * RcRomPiece - one image of a combined ROM, or one split out of a ROM
 * @source:		the file it came from
 * @source_image:	its place in that file, from 1
 * @code_type:		PCIR code type (RC_ROM_CODE_X86 or RC_ROM_CODE_EFI)
 * @efi_machine:	EFI: the PE machine type (0x8664, 0xAA64, ...), else 0
 * @vendor_id:		PCI vendor id
 * @device_id:		PCI device id
 * @offset:		where it starts in the combined ROM (combine), or in
 *			the ROM it was split from (split)
 * @length:		its length in bytes
 * @last:		its last-image flag as written
 * @checksum_fixed:	x86 legacy: the checksum byte was changed to keep the
 *			initialization area summing to 0 (the flag lies in it)
 * @file_name:		split: the name of its file ("x86_64-efi.efirom"), else NULL
 * @data:		split: its bytes as a stand-alone image, else NULL
 */
typedef struct {
	char *source;
	guint source_image;
	guint8 code_type;
	guint16 efi_machine;
	guint16 vendor_id;
	guint16 device_id;
	guint64 offset;
	guint64 length;
	gboolean last;
	gboolean checksum_fixed;
	char *file_name;
	GBytes *data;
} RcRomPiece;

/**
 * RcCombined - a multi-image ROM
 * @data:	its bytes: the images back to back, no padding
 * @pieces:	RcRomPiece *, in ROM order
 */
typedef struct {
	GBytes *data;
	GPtrArray *pieces;
} RcCombined;

RcCombined *rc_combine(const RcCombineInput *inputs, guint n_inputs, GError **error);
void rc_combined_free(RcCombined *combined);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcCombined, rc_combined_free)

GBytes *rc_combine_pad(GBytes *data, guint64 size, guint8 fill);

GPtrArray *rc_split(const RcCombineInput *input, GError **error);

char *rc_rom_piece_kind(const RcRomPiece *piece);

#endif /* RC_COMBINE_H */
