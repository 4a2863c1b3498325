/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rom.c - pure parser of PCI option ROM files: bytes in, an RcRom out.
 *
 * Theory of operation: a ROM file is a chain of images.  Each image starts
 * with 55 AA; at 0x18 it points to its PCI Data Structure ("PCIR"), which
 * gives the image length in 512-byte units, the code type and the "last
 * image" bit.  The next image starts right after the current one.  Bytes
 * after the last image are padding.  QEMU itself only cares about the file
 * size (it becomes a RAM block of the next power of two); the chain is
 * parsed to explain where the bytes go (legacy, EFI per architecture,
 * padding) and to catch damaged files before they are compared.
 *
 * Every read is bounds-checked against the buffer, offsets are 64-bit so
 * that they cannot wrap, and every image advances the offset by at least
 * 512 bytes, so the chain always ends, whatever the input.
 */
#include "rom/rom.h"

#include <stdarg.h>
#include <string.h>

#include "base/error.h"

#define ROM_UNIT	      512
#define ROM_HEADER_LEN	      0x1a /* up to and including the PCIR pointer */
#define ROM_PCIR_PTR	      0x18
#define ROM_INIT_SIZE	      0x02
#define ROM_EFI_SIGNATURE     0x04
#define ROM_EFI_SUBSYSTEM     0x08
#define ROM_EFI_MACHINE	      0x0a
#define ROM_EFI_COMPRESSION   0x0c
#define ROM_EFI_SIGNATURE_VAL 0x0ef1
#define PCIR_LEN	      0x18 /* the fields read here; PCI 3.0 has 0x1c */
#define PCIR_VENDOR	      0x04
#define PCIR_DEVICE	      0x06
#define PCIR_IMAGE_LENGTH     0x10
#define PCIR_REVISION	      0x12
#define PCIR_CODE_TYPE	      0x14
#define PCIR_INDICATOR	      0x15
#define PCIR_LAST_IMAGE	      0x80

/* Outcome of parsing one image: go on with the next, or the chain is done. */
typedef enum {
	CHAIN_NEXT,
	CHAIN_END,
	CHAIN_FATAL,
} ChainStep;

static guint16 le16(const guint8 *p)
{
	return (guint16)(p[0] | (p[1] << 8));
}

static void rom_warning_free(gpointer p)
{
	RcRomWarning *w = p;

	g_free(w->text);
	g_free(w);
}

static void add_warning(RcRom *rom, RcRomWarningCode code, int image, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

static void add_warning(RcRom *rom, RcRomWarningCode code, int image, const char *fmt, ...)
{
	RcRomWarning *w = g_new0(RcRomWarning, 1);
	va_list ap;

	w->code = code;
	w->image = image;
	va_start(ap, fmt);
	w->text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(rom->warnings, w);
}

/**
 * rc_rom_bucket() - the RAM block size QEMU gives a ROM file
 * @size:	file size in bytes
 *
 * QEMU rounds the file size up to a power of two (pow2ceil() in
 * pci_add_option_rom()), and that block travels in the migration stream.
 *
 * Return: the smallest power of two >= @size; 0 for 0, and 0 when @size is
 * beyond the largest 64-bit power of two (no file is that large)
 */
guint64 rc_rom_bucket(guint64 size)
{
	guint64 bucket = 1;

	if (size == 0 || size > (G_GUINT64_CONSTANT(1) << 63))
		return 0;
	while (bucket < size)
		bucket <<= 1;
	return bucket;
}

/* Legacy x86 image: the initialization area and its checksum. */
static void parse_legacy(RcRom *rom, RcRomImage *img, int index, const guint8 *data, gsize len)
{
	img->init_size = (guint64)data[img->offset + ROM_INIT_SIZE] * ROM_UNIT;
	if (img->offset + img->init_size <= len) {
		guint8 sum = 0;

		for (guint64 i = 0; i < img->init_size; i++)
			sum = (guint8)(sum + data[img->offset + i]);
		img->checksum_checked = TRUE;
		img->checksum_ok = sum == 0;
		if (!img->checksum_ok)
			add_warning(rom, RC_ROM_WARN_BAD_CHECKSUM, index,
				    "image %d at 0x%" G_GINT64_MODIFIER
				    "x: legacy checksum is wrong (the %" G_GUINT64_FORMAT
				    " initialization bytes sum to 0x%02x, not 0)",
				    index + 1, img->offset, img->init_size, sum);
	}
	if (img->init_size > img->length)
		add_warning(rom, RC_ROM_WARN_OVERLAP, index,
			    "image %d at 0x%" G_GINT64_MODIFIER
			    "x: initialization size %" G_GUINT64_FORMAT
			    " bytes runs past the image's own length %" G_GUINT64_FORMAT
			    " bytes into what follows",
			    index + 1, img->offset, img->init_size, img->length);
}

/* EFI image: the fields of EFI_PCI_EXPANSION_ROM_HEADER, all within the header. */
static void parse_efi(RcRom *rom, RcRomImage *img, int index, const guint8 *data)
{
	const guint8 *h = data + img->offset;

	img->efi_signature_ok = le16(h + ROM_EFI_SIGNATURE) == ROM_EFI_SIGNATURE_VAL;
	img->efi_subsystem = le16(h + ROM_EFI_SUBSYSTEM);
	img->efi_machine = le16(h + ROM_EFI_MACHINE);
	img->efi_compression = le16(h + ROM_EFI_COMPRESSION);
	if (!img->efi_signature_ok)
		add_warning(rom, RC_ROM_WARN_EFI_SIGNATURE, index,
			    "image %d at 0x%" G_GINT64_MODIFIER
			    "x: EFI image without the EFI signature 0x0EF1 (found 0x%04x)",
			    index + 1, img->offset, le16(h + ROM_EFI_SIGNATURE));
}

/*
 * The image header at @off must lie within the file.  CHAIN_NEXT: it does,
 * go on reading the image; otherwise the chain ends here (*@next is where
 * the padding starts) or, for the first image, the file is no option ROM.
 */
static ChainStep check_header(RcRom *rom, gsize len, guint64 off, int index, guint64 *next,
			      GError **error)
{
	if (off + ROM_HEADER_LEN <= len)
		return CHAIN_NEXT;
	if (index == 0) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INPUT,
			"%s: only %" G_GSIZE_FORMAT
			" bytes, too short for an option ROM header (the PCIR pointer is at 0x18); the file is damaged or not an option ROM",
			rom->name, len);
		return CHAIN_FATAL;
	}
	rom->truncated = TRUE;
	add_warning(rom, RC_ROM_WARN_TRUNCATED, index,
		    "image %d at 0x%" G_GINT64_MODIFIER "x: header cut off by the end of the file",
		    index + 1, off);
	*next = len;
	return CHAIN_END;
}

/*
 * The PCI Data Structure the header at @off points to (at @pcir) must lie
 * within the file and start with "PCIR".  CHAIN_NEXT: it does; otherwise as
 * check_header().
 */
static ChainStep check_pcir(RcRom *rom, const guint8 *data, gsize len, guint64 off, guint64 pcir,
			    int index, guint64 *next, GError **error)
{
	gboolean beyond = pcir + PCIR_LEN > len;

	if (!beyond && memcmp(data + pcir, "PCIR", 4) == 0)
		return CHAIN_NEXT;
	if (index == 0) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INPUT,
			"%s: the first image has no PCI Data Structure ('PCIR' expected at 0x%" G_GINT64_MODIFIER
			"x%s); the file is damaged or not an option ROM",
			rom->name, pcir, beyond ? ", past the end of the file" : "");
		return CHAIN_FATAL;
	}
	if (beyond) {
		/* An image holds its PCIR: this one must run past the end. */
		rom->truncated = TRUE;
		add_warning(rom, RC_ROM_WARN_TRUNCATED, index,
			    "image %d at 0x%" G_GINT64_MODIFIER
			    "x: its PCI Data Structure at 0x%" G_GINT64_MODIFIER
			    "x lies past the end of the file",
			    index + 1, off, pcir);
		*next = len;
		return CHAIN_END;
	}
	add_warning(rom, RC_ROM_WARN_PCIR_MISSING, index,
		    "image %d at 0x%" G_GINT64_MODIFIER
		    "x: no PCI Data Structure ('PCIR' expected at 0x%" G_GINT64_MODIFIER
		    "x); the chain stops here",
		    index + 1, off, pcir);
	return CHAIN_END;
}

/* The fields of the PCI Data Structure at @pcir (checked to be in the file). */
static void read_pcir(RcRomImage *img, const guint8 *data, guint64 pcir)
{
	img->vendor_id = le16(data + pcir + PCIR_VENDOR);
	img->device_id = le16(data + pcir + PCIR_DEVICE);
	img->length = (guint64)le16(data + pcir + PCIR_IMAGE_LENGTH) * ROM_UNIT;
	img->revision = le16(data + pcir + PCIR_REVISION);
	img->code_type = data[pcir + PCIR_CODE_TYPE];
	img->last = (data[pcir + PCIR_INDICATOR] & PCIR_LAST_IMAGE) != 0;
}

/* What the image's code type adds: legacy init size and checksum, EFI header. */
static void parse_code(RcRom *rom, RcRomImage *img, int index, const guint8 *data, gsize len)
{
	switch (img->code_type) {
	case RC_ROM_CODE_X86:
		parse_legacy(rom, img, index, data, len);
		break;
	case RC_ROM_CODE_EFI:
		parse_efi(rom, img, index, data);
		break;
	case RC_ROM_CODE_OPEN_FIRMWARE:
	case RC_ROM_CODE_PA_RISC:
		break;
	default:
		add_warning(rom, RC_ROM_WARN_UNKNOWN_CODE_TYPE, index,
			    "image %d at 0x%" G_GINT64_MODIFIER "x: unknown code type %u",
			    index + 1, img->offset, img->code_type);
		break;
	}
}

/*
 * Parse the image at @off (whose 55 AA the caller has seen).  On CHAIN_NEXT
 * *@next is where the following image should start; on CHAIN_END *@next is
 * where the padding starts.
 */
static ChainStep parse_image(RcRom *rom, const guint8 *data, gsize len, guint64 off, int index,
			     guint64 *next, GError **error)
{
	RcRomImage img = {.offset = off};
	ChainStep step;
	guint64 pcir;

	*next = off;
	step = check_header(rom, len, off, index, next, error);
	if (step != CHAIN_NEXT)
		return step;
	img.pcir_offset = le16(data + off + ROM_PCIR_PTR);
	pcir = off + img.pcir_offset;
	step = check_pcir(rom, data, len, off, pcir, index, next, error);
	if (step != CHAIN_NEXT)
		return step;
	read_pcir(&img, data, pcir);

	if (img.length == 0) {
		g_array_append_val(rom->images, img);
		add_warning(rom, RC_ROM_WARN_ZERO_LENGTH, index,
			    "image %d at 0x%" G_GINT64_MODIFIER
			    "x: image length is 0; the chain stops here",
			    index + 1, off);
		return CHAIN_END;
	}
	if ((guint64)img.pcir_offset + PCIR_LEN > img.length)
		add_warning(rom, RC_ROM_WARN_PCIR_OUTSIDE, index,
			    "image %d at 0x%" G_GINT64_MODIFIER
			    "x: PCIR pointer 0x%x lies outside the image (%" G_GUINT64_FORMAT
			    " bytes)",
			    index + 1, off, img.pcir_offset, img.length);
	parse_code(rom, &img, index, data, len);
	g_array_append_val(rom->images, img);

	if (off + img.length > len) {
		rom->truncated = TRUE;
		add_warning(rom, RC_ROM_WARN_TRUNCATED, index,
			    "image %d at 0x%" G_GINT64_MODIFIER "x: its %" G_GUINT64_FORMAT
			    " bytes run past the end of the file (%" G_GUINT64_FORMAT
			    " bytes missing)",
			    index + 1, off, img.length, off + img.length - len);
		*next = len;
		return CHAIN_END;
	}
	*next = off + img.length;
	return img.last ? CHAIN_END : CHAIN_NEXT;
}

/* Describe the bytes after the chain: how many, and which byte fills them. */
static void find_padding(RcRom *rom, const guint8 *data, gsize len, guint64 start)
{
	rom->padding_offset = start;
	rom->padding_length = start < len ? len - start : 0;
	rom->padding_fill = -1;
	if (rom->padding_length == 0)
		return;
	rom->padding_fill = data[start];
	for (guint64 i = start + 1; i < len; i++) {
		if (data[i] != data[start]) {
			rom->padding_fill = -1;
			break;
		}
	}
}

/* Follow the chain from offset 0; FALSE (with @error) only for a bad first image. */
static gboolean walk_chain(RcRom *rom, const guint8 *data, gsize len, GError **error)
{
	guint64 off = 0;
	guint64 next = 0;

	/* Each image advances by >= 512 bytes, so len / 512 + 1 bounds the loop. */
	for (int index = 0; index <= (int)MIN(len / ROM_UNIT, G_MAXINT - 1); index++) {
		ChainStep step = parse_image(rom, data, len, off, index, &next, error);
		guint64 start;

		if (step == CHAIN_FATAL)
			return FALSE;
		if (step == CHAIN_END)
			break;
		start = g_array_index(rom->images, RcRomImage, index).offset;
		off = next;
		if (off >= len) {
			add_warning(
				rom, RC_ROM_WARN_NO_LAST_IMAGE, index,
				"image %d at 0x%" G_GINT64_MODIFIER
				"x is not flagged as the last image, but the file ends after it",
				index + 1, start);
			break;
		}
		if (off + 2 > len || data[off] != 0x55 || data[off + 1] != 0xaa) {
			add_warning(
				rom, RC_ROM_WARN_NO_LAST_IMAGE, index,
				"image %d at 0x%" G_GINT64_MODIFIER
				"x is not flagged as the last image, but no image follows at 0x%" G_GINT64_MODIFIER
				"x",
				index + 1, start, off);
			break;
		}
	}
	find_padding(rom, data, len, next);
	return TRUE;
}

/**
 * rc_rom_parse() - parse an option ROM file's contents
 * @data:	the file's bytes
 * @len:	how many
 * @name:	the file's name, for messages
 * @error:	set (RC_ERROR_INPUT) for an empty file, a file without 55 AA at
 *		offset 0, or a first image without a PCI Data Structure
 *
 * Anything odd after that is a warning in the result, and the chain stops
 * where it cannot be followed.  A ROM whose images run past the end of the
 * file is still returned, with rc_rom_is_truncated() TRUE.
 *
 * Return: the parsed ROM (free with rc_rom_free()), or NULL with @error set
 */
RcRom *rc_rom_parse(const guint8 *data, gsize len, const char *name, GError **error)
{
	RcRom *rom;

	if (len == 0) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INPUT,
			"%s: empty file, not an option ROM; build it again, or take it from the "
			"package that ships it",
			name);
		return NULL;
	}
	if (len < 2 || data[0] != 0x55 || data[1] != 0xaa) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INPUT,
			"%s: not a PCI option ROM (no 55 AA signature at offset 0); pass ROM files such as efi-e1000.rom",
			name);
		return NULL;
	}

	rom = g_new0(RcRom, 1);
	rom->name = g_strdup(name);
	rom->size = len;
	rom->bucket = rc_rom_bucket(len);
	rom->headroom = rom->bucket - rom->size;
	rom->images = g_array_new(FALSE, TRUE, sizeof(RcRomImage));
	rom->warnings = g_ptr_array_new_with_free_func(rom_warning_free);
	/* Plain ownership: clang's analyzer loses g_autoptr across the chain walk. */
	if (!walk_chain(rom, data, len, error)) {
		rc_rom_free(rom);
		return NULL;
	}
	return rom;
}

/**
 * rc_rom_free() - free a parsed ROM
 * @rom:	the ROM, or NULL
 */
void rc_rom_free(RcRom *rom)
{
	if (!rom)
		return;
	g_free(rom->name);
	if (rom->images)
		g_array_unref(rom->images);
	if (rom->warnings)
		g_ptr_array_unref(rom->warnings);
	g_free(rom);
}

/**
 * rc_rom_image() - one image of the chain
 * @rom:	the ROM
 * @index:	0 for the first image
 *
 * Return: the image, or NULL when @index is past the chain
 */
const RcRomImage *rc_rom_image(const RcRom *rom, guint index)
{
	if (index >= rom->images->len)
		return NULL;
	return &g_array_index(rom->images, RcRomImage, index);
}

/**
 * rc_rom_is_truncated() - whether the file ends inside an image
 * @rom:	the ROM
 *
 * Such a file was cut short (an interrupted copy, a broken package): its
 * size, and therefore its bucket, is not what its images say.  Commands
 * print what was parsed and then report it as an input error.
 *
 * Return: TRUE when an image runs past the end of the file
 */
gboolean rc_rom_is_truncated(const RcRom *rom)
{
	return rom->truncated;
}

/**
 * rc_rom_find_warning() - the first warning of a kind
 * @rom:	the ROM
 * @code:	the kind
 *
 * Return: the warning, or NULL when the ROM has none of that kind
 */
const RcRomWarning *rc_rom_find_warning(const RcRom *rom, RcRomWarningCode code)
{
	for (guint i = 0; i < rom->warnings->len; i++) {
		const RcRomWarning *w = g_ptr_array_index(rom->warnings, i);

		if (w->code == code)
			return w;
	}
	return NULL;
}

/* Whether @name is an efi-*.rom file, which must carry an EFI image. */
static gboolean named_efi_rom(const char *name)
{
	const char *base = name ? strrchr(name, '/') : NULL;

	base = base ? base + 1 : name;
	return base && g_str_has_prefix(base, "efi-") && g_str_has_suffix(base, ".rom");
}

static gboolean has_efi_image(const RcRom *rom)
{
	for (guint i = 0; i < rom->images->len; i++)
		if (g_array_index(rom->images, RcRomImage, i).code_type == RC_ROM_CODE_EFI)
			return TRUE;
	return FALSE;
}

/**
 * rc_rom_malformed_reason() - why a ROM file is a malformed build, if it is
 * @rom:	the parsed ROM
 * @file_name:	the name QEMU knows it by ("efi-e1000.rom"), or NULL
 *
 * A malformed build is not a ROM that grew or shrank: its size says
 * nothing about what QEMU will load, so it must never be judged by its
 * bucket.  It is one of: a file cut inside an image; an image chain that
 * says another image follows where none does (no image there, one without
 * a PCI Data Structure, or one of length 0); bytes after the last image
 * that are not one repeated fill byte (0xFF or 0x00); an efi-*.rom file
 * without an EFI image (a build that made only the legacy part; pxe-*.rom
 * files rightly have none).
 *
 * Return: NULL for a well-formed file, else one line (free with g_free())
 */
char *rc_rom_malformed_reason(const RcRom *rom, const char *file_name)
{
	static const RcRomWarningCode chain[] = {
		RC_ROM_WARN_TRUNCATED,
		RC_ROM_WARN_NO_LAST_IMAGE,
		RC_ROM_WARN_PCIR_MISSING,
		RC_ROM_WARN_ZERO_LENGTH,
	};

	for (gsize i = 0; i < G_N_ELEMENTS(chain); i++) {
		const RcRomWarning *w = rc_rom_find_warning(rom, chain[i]);

		if (w)
			return g_strdup(w->text);
	}
	if (rom->padding_length &&
	    (rom->padding_fill < 0 || (rom->padding_fill != 0xff && rom->padding_fill != 0x00)))
		return g_strdup_printf(
			"the %" G_GUINT64_FORMAT
			" bytes after the last image (from 0x%" G_GINT64_MODIFIER
			"x) are not padding: not one repeated fill byte 0xFF or 0x00",
			rom->padding_length, rom->padding_offset);
	if (named_efi_rom(file_name) && !has_efi_image(rom))
		return g_strdup_printf("an efi-*.rom file without an EFI image (%u image%s, none "
				       "EFI): the build made only the legacy part",
				       rom->images->len, rom->images->len == 1 ? "" : "s");
	return NULL;
}

RC_ENUM_IMPL_TO_STRING(
	rc_rom_warning_code, RcRomWarningCode,
	RC_ROM_WARNING_CODE_COUNT, [RC_ROM_WARN_TRUNCATED] = "truncated",
	[RC_ROM_WARN_NO_LAST_IMAGE] = "no-last-image", [RC_ROM_WARN_BAD_CHECKSUM] = "bad-checksum",
	[RC_ROM_WARN_OVERLAP] = "overlap", [RC_ROM_WARN_PCIR_OUTSIDE] = "pcir-outside-image",
	[RC_ROM_WARN_PCIR_MISSING] = "pcir-missing", [RC_ROM_WARN_ZERO_LENGTH] = "zero-length",
	[RC_ROM_WARN_EFI_SIGNATURE] = "efi-signature",
	[RC_ROM_WARN_UNKNOWN_CODE_TYPE] = "unknown-code-type")

/*
 * The numbers of a header field that have a name: PCIR code types, PE
 * machine types, EFI subsystems.  They are not an enum of romcompat's (the
 * values are the specifications', with gaps), so they are tables searched
 * by value.
 */
typedef struct {
	guint16 value;
	const char *name;
} FieldName;

static const FieldName code_types[] = {
	{RC_ROM_CODE_X86, "x86 legacy"},
	{RC_ROM_CODE_OPEN_FIRMWARE, "Open Firmware"},
	{RC_ROM_CODE_PA_RISC, "PA-RISC"},
	{RC_ROM_CODE_EFI, "EFI"},
};

static const FieldName efi_machines[] = {
	{0x014c, "ia32"},    {0x8664, "x64"},	      {0xaa64, "aarch64"},
	{0x5064, "riscv64"}, {0x6264, "loongarch64"}, {0x0ebc, "ebc"},
};

static const FieldName efi_subsystems[] = {
	{10, "application"},
	{11, "boot service driver"},
	{12, "runtime driver"},
};

static const char *field_name(const FieldName *table, gsize count, guint16 value)
{
	for (gsize i = 0; i < count; i++)
		if (table[i].value == value)
			return table[i].name;
	return NULL;
}

/**
 * rc_rom_code_type_name() - a PCIR code type in words
 * @code_type:	the PCIR code type byte
 *
 * Return: a static string: "x86 legacy", "Open Firmware", "PA-RISC", "EFI"
 * or "unknown"
 */
const char *rc_rom_code_type_name(guint8 code_type)
{
	const char *name = field_name(code_types, G_N_ELEMENTS(code_types), code_type);

	return name ? name : "unknown";
}

/**
 * rc_rom_efi_machine_name() - an EFI image's machine type as an architecture
 * @machine:	the PE machine type from the EFI ROM header
 *
 * Return: a new string: "ia32", "x64", "aarch64", "riscv64", "loongarch64",
 * "ebc", or "0xNNNN" for any other value
 */
char *rc_rom_efi_machine_name(guint16 machine)
{
	const char *name = field_name(efi_machines, G_N_ELEMENTS(efi_machines), machine);

	return name ? g_strdup(name) : g_strdup_printf("0x%04X", machine);
}

/**
 * rc_rom_efi_subsystem_name() - an EFI image's subsystem in words
 * @subsystem:	the subsystem from the EFI ROM header
 *
 * Return: a static string, "other" for subsystems a ROM should not carry
 */
const char *rc_rom_efi_subsystem_name(guint16 subsystem)
{
	const char *name = field_name(efi_subsystems, G_N_ELEMENTS(efi_subsystems), subsystem);

	return name ? name : "other";
}
