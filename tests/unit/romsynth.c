/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * romsynth.c - option ROM files built in memory for the tests, and the
 * temporary directories the set tests put them in.
 *
 * The images follow the layout of iPXE's ROMs: 55 AA, the initialization
 * size at 0x02, for EFI the EFI_PCI_EXPANSION_ROM_HEADER fields at 0x04 to
 * 0x0D, the PCIR pointer at 0x18 and the PCIR structure at 0x1C.
 */
#include "romsynth.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

static void put16(guint8 *p, guint16 v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void build_image(guint8 *img, const RomSynthImage *spec, gboolean last)
{
	guint16 pcir = spec->pcir_offset ? spec->pcir_offset : 0x1c;
	guint32 len = spec->length;

	/* Recognisable filler, so that a checksum over it is not trivially 0. */
	for (guint32 i = 0; i < len; i++)
		img[i] = (guint8)(i * 7 + 3);
	img[0] = 0x55;
	img[1] = 0xaa;
	if (len >= 0x1a)
		put16(img + 0x18, pcir);
	if (spec->code_type == 3 && len >= 0x1a) {
		memset(img + 2, 0, 0x16);
		put16(img + 0x02, (guint16)(len / 512));
		put16(img + 0x04, spec->bad_efi_signature ? 0x1234 : 0x0ef1);
		put16(img + 0x08, 11);
		put16(img + 0x0a, spec->machine);
		put16(img + 0x0c, spec->compression);
		put16(img + 0x16, 0x38);
		put16(img + 0x18, pcir);
	}
	if ((guint32)pcir + 0x18 <= len) {
		guint8 *p = img + pcir;

		memset(p, 0, 0x18);
		p[0] = 'P';
		p[1] = 'C';
		p[2] = 'I';
		p[3] = 'R';
		put16(p + 0x04, spec->vendor_id ? spec->vendor_id : 0x8086);
		put16(p + 0x06, spec->device_id ? spec->device_id : 0x100e);
		put16(p + 0x0a, 0x18);
		p[0x0d] = 0x02; /* class: network controller */
		put16(p + 0x10, (guint16)(len / 512));
		put16(p + 0x12, 1);
		p[0x14] = spec->code_type;
		p[0x15] = last ? 0x80 : 0x00;
	}
	if (spec->code_type == 0 && len >= 512) {
		guint32 init = spec->init_size ? spec->init_size : MIN(len, 255u * 512);
		guint32 fix = MIN(init, len) - 1;
		guint8 sum = 0;

		img[2] = (guint8)(init / 512);
		img[fix] = 0;
		for (guint32 i = 0; i < MIN(init, len); i++)
			sum = (guint8)(sum + img[i]);
		img[fix] = (guint8)(0x100 - sum) + (spec->bad_checksum ? 1 : 0);
	}
}

/**
 * romsynth_build() - build a ROM file from a list of images
 * @images:	the images, in chain order
 * @n_images:	how many
 * @padding:	bytes to append after the last image
 * @fill:	the byte they repeat
 *
 * The last image gets the "last image" bit unless it asks otherwise.
 *
 * Return: the file's bytes
 */
GByteArray *romsynth_build(const RomSynthImage *images, guint n_images, gsize padding, guint8 fill)
{
	GByteArray *rom = g_byte_array_new();

	for (guint i = 0; i < n_images; i++) {
		guint old = rom->len;

		g_byte_array_set_size(rom, old + images[i].length);
		build_image(rom->data + old, &images[i], i + 1 == n_images && !images[i].not_last);
	}
	if (padding) {
		guint old = rom->len;

		g_byte_array_set_size(rom, old + padding);
		memset(rom->data + old, fill, padding);
	}
	return rom;
}

/**
 * romsynth_legacy_efi() - the usual shape: a legacy image, then one EFI image
 * @legacy_len:	legacy image length in bytes
 * @efi_len:	EFI image length in bytes
 * @machine:	EFI machine type
 * @compression: EFI compression type
 * @padding:	0xFF bytes after the EFI image
 *
 * Return: the file's bytes
 */
GByteArray *romsynth_legacy_efi(guint32 legacy_len, guint32 efi_len, guint16 machine,
				guint16 compression, gsize padding)
{
	const RomSynthImage images[] = {
		{.code_type = 0, .length = legacy_len},
		{.code_type = 3, .length = efi_len, .machine = machine, .compression = compression},
	};

	return romsynth_build(images, G_N_ELEMENTS(images), padding, 0xff);
}

/**
 * romsynth_temp_dir() - a new private temporary directory
 *
 * Return: its path; aborts the test when it cannot be made
 */
char *romsynth_temp_dir(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = g_dir_make_tmp("romcompat-test-XXXXXX", &error);

	g_assert_no_error(error);
	return dir;
}

/**
 * romsynth_write_temp() - write bytes to DIR/NAME
 * @dir:	an existing directory
 * @name:	the file name
 * @rom:	the bytes
 *
 * Return: the file's path
 */
char *romsynth_write_temp(const char *dir, const char *name, const GByteArray *rom)
{
	g_autoptr(GError) error = NULL;
	char *path = g_build_filename(dir, name, NULL);

	g_file_set_contents(path, (const char *)rom->data, rom->len, &error);
	g_assert_no_error(error);
	return path;
}

/**
 * romsynth_remove_tree() - remove a temporary directory and what it holds
 * @dir:	the directory (symbolic links in it are removed, not followed)
 */
void romsynth_remove_tree(const char *dir)
{
	g_autoptr(GDir) d = NULL;
	const char *name;

	g_chmod(dir, 0700);
	d = g_dir_open(dir, 0, NULL);
	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);

		if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
			romsynth_remove_tree(path);
		else if (g_unlink(path) != 0)
			g_printerr("# cannot remove %s: %s\n", path, g_strerror(errno));
	}
	g_rmdir(dir);
}

/**
 * romsynth_run() - run a program (tar, ar) that builds a test input
 * @cwd:	its working directory, or NULL
 * @argv:	its argv, NULL-terminated; looked up in PATH
 *
 * The test fails, with the program's stderr, when it does not succeed.
 */
void romsynth_run(const char *cwd, const char *const *argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *err = NULL;
	int status = 0;

	g_spawn_sync(cwd, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
		     NULL, NULL, NULL, &err, &status, &error);
	g_assert_no_error(error);
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("%s failed: %s", argv[0], err);
}
