/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rom.h - the anatomy of a PCI option ROM file: its image chain, each
 * image's PCI Data Structure and EFI header, the padding after the last
 * image, and the BAR bucket QEMU gives the file.
 */
#ifndef RC_ROM_H
#define RC_ROM_H

#include <glib.h>

#include "base/enumtable.h"

/* PCIR code types (PCI Firmware specification, "PCI Data Structure"). */
enum {
	RC_ROM_CODE_X86 = 0,
	RC_ROM_CODE_OPEN_FIRMWARE = 1,
	RC_ROM_CODE_PA_RISC = 2,
	RC_ROM_CODE_EFI = 3,
};

/* EFI compression types (UEFI specification, "PCI Option ROMs"). */
enum {
	RC_ROM_EFI_UNCOMPRESSED = 0,
	RC_ROM_EFI_COMPRESSED = 1,
};

/**
 * RcRomWarningCode - something odd in a ROM file that does not stop parsing
 * @RC_ROM_WARN_TRUNCATED:	an image (its header, its PCIR, its bytes) runs past the end of the file
 * @RC_ROM_WARN_NO_LAST_IMAGE:	the chain ended without an image flagged "last"
 * @RC_ROM_WARN_BAD_CHECKSUM:	a legacy image's initialization area does not sum to 0
 * @RC_ROM_WARN_OVERLAP:	an image's declared area runs into the next image
 * @RC_ROM_WARN_PCIR_OUTSIDE:	the PCIR lies in the file but outside its image
 * @RC_ROM_WARN_PCIR_MISSING:	an image after the first has no "PCIR" structure
 * @RC_ROM_WARN_ZERO_LENGTH:	an image declares length 0 (the chain stops there)
 * @RC_ROM_WARN_EFI_SIGNATURE:	an EFI image lacks the 0x0EF1 signature
 * @RC_ROM_WARN_UNKNOWN_CODE_TYPE: a code type other than 0 to 3
 */
typedef enum {
	RC_ROM_WARN_TRUNCATED,
	RC_ROM_WARN_NO_LAST_IMAGE,
	RC_ROM_WARN_BAD_CHECKSUM,
	RC_ROM_WARN_OVERLAP,
	RC_ROM_WARN_PCIR_OUTSIDE,
	RC_ROM_WARN_PCIR_MISSING,
	RC_ROM_WARN_ZERO_LENGTH,
	RC_ROM_WARN_EFI_SIGNATURE,
	RC_ROM_WARN_UNKNOWN_CODE_TYPE,
} RcRomWarningCode;

#define RC_ROM_WARNING_CODE_COUNT 9

/* Its stable name, for JSON: "truncated", "no-last-image", ... */
RC_ENUM_DECL_TO_STRING(rc_rom_warning_code, RcRomWarningCode);

/**
 * RcRomWarning - one warning about a ROM file
 * @code:	what kind (stable, see rc_rom_warning_code_to_string())
 * @image:	index of the image it concerns, or -1 for the whole file
 * @text:	one line for people
 */
typedef struct {
	RcRomWarningCode code;
	int image;
	char *text;
} RcRomWarning;

/**
 * RcRomImage - one image of the chain
 * @offset:		where the image starts in the file
 * @length:		its length in bytes (PCIR image length * 512)
 * @pcir_offset:	PCIR pointer, relative to @offset
 * @code_type:		RC_ROM_CODE_*, or another value for unknown types
 * @last:		the PCIR indicator's "last image" bit is set
 * @vendor_id:		PCI vendor id from the PCIR
 * @device_id:		PCI device id from the PCIR
 * @revision:		image revision from the PCIR
 * @init_size:		legacy: initialization size in bytes (header byte 2 * 512)
 * @checksum_checked:	legacy: the whole initialization area lies inside the file
 * @checksum_ok:	legacy: the initialization area's bytes sum to 0 modulo 256
 * @efi_signature_ok:	EFI: the header carries EfiSignature 0x0EF1
 * @efi_subsystem:	EFI: PE subsystem (11 boot service driver, 12 runtime driver)
 * @efi_machine:	EFI: PE machine type (see rc_rom_efi_machine_name())
 * @efi_compression:	EFI: RC_ROM_EFI_UNCOMPRESSED or RC_ROM_EFI_COMPRESSED
 */
typedef struct {
	guint64 offset;
	guint64 length;
	guint16 pcir_offset;
	guint8 code_type;
	gboolean last;
	guint16 vendor_id;
	guint16 device_id;
	guint16 revision;
	guint64 init_size;
	gboolean checksum_checked;
	gboolean checksum_ok;
	gboolean efi_signature_ok;
	guint16 efi_subsystem;
	guint16 efi_machine;
	guint16 efi_compression;
} RcRomImage;

/**
 * RcRom - what a ROM file holds, as far as it could be parsed
 * @name:		the file's name, for messages
 * @size:		file size in bytes
 * @bucket:		the RAM block QEMU gives it: @size rounded up to a power of two
 * @headroom:		@bucket - @size: how much the file may grow in its bucket
 * @images:		the image chain in file order (RcRomImage)
 * @padding_offset:	where the bytes after the last parsed image start
 * @padding_length:	how many there are (0: none)
 * @padding_fill:	the byte they all repeat, or -1 when they are mixed
 * @warnings:		RcRomWarning *, in the order found
 * @truncated:		some image runs past the end of the file
 */
typedef struct {
	char *name;
	guint64 size;
	guint64 bucket;
	guint64 headroom;
	GArray *images;
	guint64 padding_offset;
	guint64 padding_length;
	int padding_fill;
	GPtrArray *warnings;
	gboolean truncated;
} RcRom;

guint64 rc_rom_bucket(guint64 size);
RcRom *rc_rom_parse(const guint8 *data, gsize len, const char *name, GError **error);
void rc_rom_free(RcRom *rom);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcRom, rc_rom_free)

const RcRomImage *rc_rom_image(const RcRom *rom, guint index);
gboolean rc_rom_is_truncated(const RcRom *rom);
const RcRomWarning *rc_rom_find_warning(const RcRom *rom, RcRomWarningCode code);

char *rc_rom_malformed_reason(const RcRom *rom, const char *file_name);

const char *rc_rom_code_type_name(guint8 code_type);
char *rc_rom_efi_machine_name(guint16 machine);
const char *rc_rom_efi_subsystem_name(guint16 subsystem);

#endif /* RC_ROM_H */
