/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * combine.c - pure: per-architecture option ROM images in, one multi-image
 * ROM out (combine), and the reverse (split).  Bytes in, bytes out, no I/O.
 *
 * Theory of operation: a PCI option ROM is a chain of images, each one
 * announcing in its PCI Data Structure whether it is the last (indicator
 * byte, PCIR + 0x15, bit 7).  iPXE builds each image stand-alone, flagged
 * last, and util/catrom.pl chains them: it clears the flag on every image
 * but the final one, and since an x86 legacy image's initialization area
 * (header byte 2, in 512-byte units) must sum to 0 and holds its PCIR, it
 * fixes the legacy checksum byte, which iPXE keeps at offset 6.  Combine
 * does the same, keeping the sum rather than forcing it, and split gives
 * every image back its stand-alone flag the same way, so that splitting
 * what was combined gives back the very bytes that went in.
 *
 * Only sound images are taken: a file the parser warns about (truncated,
 * a broken chain, a bad checksum, ...), bytes after the last image that
 * are not padding, a bare PE file (what iPXE's .efi target makes, not a
 * ROM image), two images for one architecture, or images of different PCI
 * devices are refused with one line naming the file.
 */
#include "rom/combine.h"

#include <string.h>

#include "base/error.h"
#include "rom/rom.h"

#define PCIR_INDICATOR	0x15
#define PCIR_LAST_IMAGE 0x80
/* Where iPXE (and catrom.pl) keep a legacy image's checksum byte. */
#define LEGACY_CHECKSUM 0x06

static void piece_free(gpointer p)
{
	RcRomPiece *piece = p;

	g_free(piece->source);
	g_free(piece->file_name);
	if (piece->data)
		g_bytes_unref(piece->data);
	g_free(piece);
}

/**
 * rc_combined_free() - free a combined ROM
 * @combined:	the ROM, or NULL
 */
void rc_combined_free(RcCombined *combined)
{
	if (!combined)
		return;
	if (combined->data)
		g_bytes_unref(combined->data);
	if (combined->pieces)
		g_ptr_array_unref(combined->pieces);
	g_free(combined);
}

/* The input parsed, or NULL with an error naming it: not a ROM, a bare PE
 * file, anything odd in it. */
static RcRom *parse_sound(const RcCombineInput *in, GError **error)
{
	g_autoptr(RcRom) rom = NULL;
	g_autofree char *why = NULL;

	if (in->len >= 2 && in->data[0] == 'M' && in->data[1] == 'Z') {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INPUT,
			"%s: a bare PE file (MZ), not a PCI option ROM image; give the "
			".efirom iPXE builds beside the .efi (make bin-x86_64-efi/DEVICE.efirom)",
			in->name);
		return NULL;
	}
	if (in->len < 2 || in->data[0] != 0x55 || in->data[1] != 0xaa) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: not a PCI option ROM image (no 55 AA at offset 0); give x86 "
			    "legacy .rom and EFI .efirom images",
			    in->name);
		return NULL;
	}
	if (!(rom = rc_rom_parse(in->data, in->len, in->name, error)))
		return NULL;
	if (rom->warnings->len) {
		const RcRomWarning *w = g_ptr_array_index(rom->warnings, 0);

		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: damaged: %s; rebuild it ('romcompat inspect' shows its images)",
			    in->name, w->text);
		return NULL;
	}
	if ((why = rc_rom_malformed_reason(rom, NULL))) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: malformed: %s; rebuild it ('romcompat inspect' shows its images)",
			    in->name, why);
		return NULL;
	}
	return g_steal_pointer(&rom);
}

/*
 * Set the last-image flag of the image at @img (its bytes at @bytes) to
 * @last; when the flag lies in a legacy image's initialization area, the
 * checksum byte takes the difference, so the area sums to what it did.
 * Return: TRUE when the checksum byte changed.
 */
static gboolean set_last(guint8 *bytes, const RcRomImage *img, gboolean last)
{
	guint8 *indicator = bytes + img->pcir_offset + PCIR_INDICATOR;
	guint8 old = *indicator;
	guint8 new = last ? (guint8)(old | PCIR_LAST_IMAGE) : (guint8)(old & ~PCIR_LAST_IMAGE);

	*indicator = new;
	if (new == old || img->code_type != RC_ROM_CODE_X86 ||
	    (guint64)img->pcir_offset + PCIR_INDICATOR >= img->init_size)
		return FALSE;
	bytes[LEGACY_CHECKSUM] = (guint8)(bytes[LEGACY_CHECKSUM] - (new - old));
	return TRUE;
}

/* The piece describing @img of @in. */
static RcRomPiece *piece_new(const RcCombineInput *in, const RcRomImage *img, guint index)
{
	RcRomPiece *piece = g_new0(RcRomPiece, 1);

	piece->source = g_strdup(in->name);
	piece->source_image = index + 1;
	piece->code_type = img->code_type;
	piece->efi_machine = img->code_type == RC_ROM_CODE_EFI ? img->efi_machine : 0;
	piece->vendor_id = img->vendor_id;
	piece->device_id = img->device_id;
	piece->offset = img->offset;
	piece->length = img->length;
	return piece;
}

/**
 * rc_rom_piece_kind() - an image's kind in words
 * @piece:	the image
 *
 * Return: "x86 legacy", "EFI x64 (0x8664)", "EFI aarch64 (0xAA64)", ...
 * (free with g_free())
 */
char *rc_rom_piece_kind(const RcRomPiece *piece)
{
	g_autofree char *arch = NULL;

	if (piece->code_type != RC_ROM_CODE_EFI)
		return g_strdup(rc_rom_code_type_name(piece->code_type));
	arch = rc_rom_efi_machine_name(piece->efi_machine);
	return g_strdup_printf("EFI %s (0x%04X)", arch, piece->efi_machine);
}

/* @piece may join @pieces: x86 legacy or EFI, one per architecture, one device. */
static gboolean check_joins(GPtrArray *pieces, const RcRomPiece *piece, GError **error)
{
	g_autofree char *kind = rc_rom_piece_kind(piece);

	if (piece->code_type != RC_ROM_CODE_X86 && piece->code_type != RC_ROM_CODE_EFI) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: image %u is %s code, neither x86 legacy nor EFI; give iPXE's .rom "
			    "and .efirom images",
			    piece->source, piece->source_image, kind);
		return FALSE;
	}
	for (guint i = 0; i < pieces->len; i++) {
		const RcRomPiece *p = g_ptr_array_index(pieces, i);

		if (p->vendor_id != piece->vendor_id || p->device_id != piece->device_id) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "%s: image %u is for PCI device %04x:%04x, %s's for %04x:%04x; "
				    "combine the images of one device",
				    piece->source, piece->source_image, piece->vendor_id,
				    piece->device_id, p->source, p->vendor_id, p->device_id);
			return FALSE;
		}
		if (p->code_type == piece->code_type && p->efi_machine == piece->efi_machine) {
			g_set_error(
				error, RC_ERROR, RC_ERROR_INPUT,
				"%s: a second %s image (%s has one already); give one image per "
				"architecture",
				piece->source, kind, p->source);
			return FALSE;
		}
	}
	return TRUE;
}

/* Append the images of @in to @out and @pieces; FALSE with @error if one
 * cannot join. */
static gboolean take_images(const RcCombineInput *in, GByteArray *out, GPtrArray *pieces,
			    GPtrArray *images, GError **error)
{
	g_autoptr(RcRom) rom = parse_sound(in, error);

	if (!rom)
		return FALSE;
	for (guint i = 0; i < rom->images->len; i++) {
		const RcRomImage *img = rc_rom_image(rom, i);
		RcRomPiece *piece = piece_new(in, img, i);

		if (!check_joins(pieces, piece, error)) {
			piece_free(piece);
			return FALSE;
		}
		piece->offset = out->len;
		g_byte_array_append(out, in->data + img->offset, (guint)img->length);
		g_ptr_array_add(pieces, piece);
		g_ptr_array_add(images, g_memdup2(img, sizeof(*img)));
	}
	return TRUE;
}

/**
 * rc_combine() - chain option ROM images into one ROM
 * @inputs:	the files, in the order their images are to go: each a
 *		stand-alone image (an x86 legacy .rom, an EFI .efirom) or a
 *		multi-image ROM, which gives all of its images
 * @n_inputs:	how many (at least 1)
 * @error:	RC_ERROR_INPUT naming the file: not an option ROM, a bare PE
 *		file, a damaged or malformed one, an image of another PCI
 *		device than the first's, a second image of one architecture
 *
 * Every image but the last gets its last-image flag cleared, the last gets
 * it set, and a legacy image whose flag changes gets its checksum fixed.
 * The padding after an input's last image is left out; rc_combine_pad()
 * adds some to the result.
 *
 * Return: the ROM (free with rc_combined_free()), or NULL with @error set
 */
RcCombined *rc_combine(const RcCombineInput *inputs, guint n_inputs, GError **error)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func(piece_free);
	g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func(g_free);
	RcCombined *combined;

	for (guint i = 0; i < n_inputs; i++)
		if (!take_images(&inputs[i], out, pieces, images, error))
			return NULL;
	if (!pieces->len) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "no image to combine; give at least one .rom or .efirom image");
		return NULL;
	}
	for (guint i = 0; i < pieces->len; i++) {
		RcRomPiece *piece = g_ptr_array_index(pieces, i);

		piece->last = i + 1 == pieces->len;
		piece->checksum_fixed = set_last(out->data + piece->offset,
						 g_ptr_array_index(images, i), piece->last);
	}
	combined = g_new0(RcCombined, 1);
	combined->data = g_byte_array_free_to_bytes(g_steal_pointer(&out));
	combined->pieces = g_steal_pointer(&pieces);
	return combined;
}

/**
 * rc_combine_pad() - a ROM grown to a size with a fill byte
 * @data:	the ROM
 * @size:	the size wanted; not below the ROM's own
 * @fill:	the byte to add (0xFF: what an erased flash reads)
 *
 * Return: a new GBytes of @size bytes
 */
GBytes *rc_combine_pad(GBytes *data, guint64 size, guint8 fill)
{
	gsize len;
	const guint8 *bytes = g_bytes_get_data(data, &len);
	guint8 *out;

	g_return_val_if_fail(size >= len, g_bytes_ref(data));
	out = g_malloc((gsize)size);
	memcpy(out, bytes, len);
	memset(out + len, fill, (gsize)size - len);
	return g_bytes_new_take(out, (gsize)size);
}

/* The file name of a split image by its kind, without a number. */
static char *split_base_name(const RcRomPiece *piece, const char **suffix)
{
	static const struct {
		guint16 machine;
		const char *name;
	} efi_names[] = {
		{0x8664, "x86_64-efi"},	 {0xaa64, "arm64-efi"}, {0x5064, "riscv64-efi"},
		{0x6264, "loong64-efi"}, {0x014c, "i386-efi"},	{0x01c2, "arm32-efi"},
	};

	*suffix = ".efirom";
	if (piece->code_type == RC_ROM_CODE_X86) {
		*suffix = ".rom";
		return g_strdup("x86-legacy");
	}
	if (piece->code_type != RC_ROM_CODE_EFI) {
		*suffix = ".rom";
		return g_strdup_printf("code-type-%u", piece->code_type);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(efi_names); i++)
		if (efi_names[i].machine == piece->efi_machine)
			return g_strdup(efi_names[i].name);
	return g_strdup_printf("efi-%04x", piece->efi_machine);
}

/* Name @piece's file: its kind's name, "-2", "-3", ... for the next ones
 * of its kind among @before. */
static void name_piece(RcRomPiece *piece, GPtrArray *before)
{
	const char *suffix;
	g_autofree char *base = split_base_name(piece, &suffix);
	guint n = 1;

	for (guint i = 0; i < before->len; i++) {
		const RcRomPiece *p = g_ptr_array_index(before, i);

		n += p->code_type == piece->code_type && p->efi_machine == piece->efi_machine;
	}
	piece->file_name = n == 1 ? g_strconcat(base, suffix, NULL)
				  : g_strdup_printf("%s-%u%s", base, n, suffix);
}

/**
 * rc_split() - the images of a ROM, each as a stand-alone file
 * @input:	the ROM
 * @error:	RC_ERROR_INPUT naming the file: not an option ROM, a bare PE
 *		file, damaged or malformed
 *
 * Each image gets its last-image flag set (and a legacy image its checksum
 * fixed when that changes it), and a file name by its kind:
 * x86-legacy.rom, x86_64-efi.efirom, arm64-efi.efirom, riscv64-efi.efirom,
 * loong64-efi.efirom; a second image of one kind gets "-2", and so on.
 * The padding after the last image is left out.
 *
 * Return: RcRomPiece *, in ROM order, each with its file name and bytes;
 * NULL with @error set
 */
GPtrArray *rc_split(const RcCombineInput *input, GError **error)
{
	g_autoptr(RcRom) rom = parse_sound(input, error);
	g_autoptr(GPtrArray) pieces = NULL;

	if (!rom)
		return NULL;
	pieces = g_ptr_array_new_with_free_func(piece_free);
	for (guint i = 0; i < rom->images->len; i++) {
		const RcRomImage *img = rc_rom_image(rom, i);
		RcRomPiece *piece = piece_new(input, img, i);
		guint8 *bytes = g_memdup2(input->data + img->offset, (gsize)img->length);

		piece->last = TRUE;
		piece->checksum_fixed = set_last(bytes, img, TRUE);
		piece->data = g_bytes_new_take(bytes, (gsize)img->length);
		name_piece(piece, pieces);
		g_ptr_array_add(pieces, piece);
	}
	return g_steal_pointer(&pieces);
}
