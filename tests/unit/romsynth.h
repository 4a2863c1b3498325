/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * romsynth.h - builds option ROM files in memory for the tests: legacy and
 * EFI images in a chain, padding, and the damaged shapes the parser must
 * survive (truncated, bad signature, PCIR outside the image, zero length).
 */
#ifndef RC_ROMSYNTH_H
#define RC_ROMSYNTH_H

#include <glib.h>

/**
 * RomSynthImage - one image to build
 * @code_type:		PCIR code type (0 legacy, 3 EFI, anything else as given)
 * @length:		image length in bytes, a multiple of 512 (0 writes length 0)
 * @machine:		EFI machine type (0x8664 x64, 0xAA64 aarch64, ...)
 * @compression:	EFI compression type
 * @vendor_id:		PCI vendor id (0: 0x8086)
 * @device_id:		PCI device id (0: 0x100e)
 * @not_last:		leave the "last image" bit clear even on the final image
 * @bad_checksum:	legacy: make the initialization area sum to non-zero
 * @bad_efi_signature:	EFI: write 0x1234 instead of 0x0EF1
 * @pcir_offset:	PCIR pointer (0: 0x1c, the usual place)
 * @init_size:		legacy: initialization size in bytes (0: the image length)
 */
typedef struct {
	guint32 length;
	guint32 init_size;
	gboolean not_last;
	gboolean bad_checksum;
	gboolean bad_efi_signature;
	guint16 machine;
	guint16 compression;
	guint16 vendor_id;
	guint16 device_id;
	guint16 pcir_offset;
	guint8 code_type;
} RomSynthImage;

GByteArray *romsynth_build(const RomSynthImage *images, guint n_images, gsize padding, guint8 fill);
GByteArray *romsynth_legacy_efi(guint32 legacy_len, guint32 efi_len, guint16 machine,
				guint16 compression, gsize padding);
char *romsynth_write_temp(const char *dir, const char *name, const GByteArray *rom);
char *romsynth_temp_dir(void);
void romsynth_remove_tree(const char *dir);
void romsynth_run(const char *cwd, const char *const *argv);

#endif /* RC_ROMSYNTH_H */
