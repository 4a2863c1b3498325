/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-rom.c - the option ROM parser against synthesized ROMs (good and
 * damaged) and against the ROM files installed on this machine.
 */
#include <string.h>

#include "base/error.h"
#include "rom/rom.h"
#include "romsynth.h"

#define IPXE_DIR "/usr/lib/ipxe/qemu"

static RcRom *parse_ok(const GByteArray *bytes)
{
	g_autoptr(GError) error = NULL;
	RcRom *rom = rc_rom_parse(bytes->data, bytes->len, "test.rom", &error);

	g_assert_no_error(error);
	g_assert_nonnull(rom);
	return rom;
}

static void test_bucket(void)
{
	g_assert_cmpuint(rc_rom_bucket(0), ==, 0);
	g_assert_cmpuint(rc_rom_bucket(1), ==, 1);
	g_assert_cmpuint(rc_rom_bucket(3), ==, 4);
	g_assert_cmpuint(rc_rom_bucket(249856), ==, 262144);
	g_assert_cmpuint(rc_rom_bucket(262144), ==, 262144);
	g_assert_cmpuint(rc_rom_bucket(262145), ==, 524288);
	g_assert_cmpuint(rc_rom_bucket(300000), ==, 524288);
	g_assert_cmpuint(rc_rom_bucket(G_GUINT64_CONSTANT(1) << 63), ==,
			 G_GUINT64_CONSTANT(1) << 63);
	g_assert_cmpuint(rc_rom_bucket((G_GUINT64_CONSTANT(1) << 63) + 1), ==, 0);
}

static void test_legacy_efi(void)
{
	g_autoptr(GByteArray) bytes = romsynth_legacy_efi(75264, 174592, 0x8664, 0, 0);
	g_autoptr(RcRom) rom = parse_ok(bytes);
	const RcRomImage *legacy = rc_rom_image(rom, 0);
	const RcRomImage *efi = rc_rom_image(rom, 1);

	g_assert_cmpuint(rom->size, ==, 249856);
	g_assert_cmpuint(rom->bucket, ==, 262144);
	g_assert_cmpuint(rom->headroom, ==, 262144 - 249856);
	g_assert_cmpuint(rom->images->len, ==, 2);
	g_assert_cmpuint(rom->warnings->len, ==, 0);
	g_assert_false(rc_rom_is_truncated(rom));

	g_assert_cmpuint(legacy->offset, ==, 0);
	g_assert_cmpuint(legacy->length, ==, 75264);
	g_assert_cmpuint(legacy->code_type, ==, RC_ROM_CODE_X86);
	g_assert_cmpuint(legacy->init_size, ==, MIN(75264, 255 * 512));
	g_assert_true(legacy->checksum_checked);
	g_assert_true(legacy->checksum_ok);
	g_assert_false(legacy->last);
	g_assert_cmpuint(legacy->vendor_id, ==, 0x8086);
	g_assert_cmpuint(legacy->device_id, ==, 0x100e);
	g_assert_cmpuint(legacy->revision, ==, 1);

	g_assert_cmpuint(efi->offset, ==, 75264);
	g_assert_cmpuint(efi->length, ==, 174592);
	g_assert_cmpuint(efi->code_type, ==, RC_ROM_CODE_EFI);
	g_assert_true(efi->efi_signature_ok);
	g_assert_cmpuint(efi->efi_machine, ==, 0x8664);
	g_assert_cmpuint(efi->efi_subsystem, ==, 11);
	g_assert_cmpuint(efi->efi_compression, ==, RC_ROM_EFI_UNCOMPRESSED);
	g_assert_true(efi->last);
	g_assert_cmpuint(rom->padding_length, ==, 0);
}

static void test_padding(void)
{
	g_autoptr(GByteArray) bytes = romsynth_legacy_efi(108544, 38400, 0x8664, 1, 115200);
	g_autoptr(RcRom) rom = parse_ok(bytes);

	g_assert_cmpuint(rom->size, ==, 262144);
	g_assert_cmpuint(rom->bucket, ==, 262144);
	g_assert_cmpuint(rom->headroom, ==, 0);
	g_assert_cmpuint(rc_rom_image(rom, 1)->efi_compression, ==, RC_ROM_EFI_COMPRESSED);
	g_assert_cmpuint(rom->padding_offset, ==, 108544 + 38400);
	g_assert_cmpuint(rom->padding_length, ==, 115200);
	g_assert_cmpint(rom->padding_fill, ==, 0xff);
	g_assert_cmpuint(rom->warnings->len, ==, 0);
}

static void test_mixed_padding(void)
{
	g_autoptr(GByteArray) bytes = romsynth_legacy_efi(1024, 2048, 0x8664, 0, 100);
	g_autoptr(RcRom) rom = NULL;

	bytes->data[bytes->len - 1] = 0x00;
	rom = parse_ok(bytes);
	g_assert_cmpuint(rom->padding_length, ==, 100);
	g_assert_cmpint(rom->padding_fill, ==, -1);
}

static void test_architectures(void)
{
	static const struct {
		guint16 machine;
		const char *name;
	} arches[] = {
		{0x014c, "ia32"},	 {0x8664, "x64"}, {0xaa64, "aarch64"}, {0x5064, "riscv64"},
		{0x6264, "loongarch64"}, {0x0ebc, "ebc"}, {0x1234, "0x1234"},
	};
	RomSynthImage images[G_N_ELEMENTS(arches) + 1] = {{.code_type = 0, .length = 2048}};
	g_autoptr(GByteArray) bytes = NULL;
	g_autoptr(RcRom) rom = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(arches); i++)
		images[i + 1] = (RomSynthImage){.code_type = 3,
						.length = 1024,
						.machine = arches[i].machine,
						.compression = 1};
	bytes = romsynth_build(images, G_N_ELEMENTS(images), 0, 0);
	rom = parse_ok(bytes);
	g_assert_cmpuint(rom->images->len, ==, G_N_ELEMENTS(images));
	g_assert_cmpuint(rom->warnings->len, ==, 0);
	for (guint i = 0; i < G_N_ELEMENTS(arches); i++) {
		g_autofree char *name =
			rc_rom_efi_machine_name(rc_rom_image(rom, i + 1)->efi_machine);

		g_assert_cmpstr(name, ==, arches[i].name);
	}
	g_assert_true(rc_rom_image(rom, G_N_ELEMENTS(arches))->last);
}

static void test_other_code_types(void)
{
	const RomSynthImage images[] = {
		{.code_type = 1, .length = 512},
		{.code_type = 2, .length = 512},
		{.code_type = 7, .length = 512},
	};
	g_autoptr(GByteArray) bytes = romsynth_build(images, G_N_ELEMENTS(images), 0, 0);
	g_autoptr(RcRom) rom = parse_ok(bytes);

	g_assert_cmpuint(rom->images->len, ==, 3);
	g_assert_cmpstr(rc_rom_code_type_name(rc_rom_image(rom, 0)->code_type), ==,
			"Open Firmware");
	g_assert_cmpstr(rc_rom_code_type_name(rc_rom_image(rom, 1)->code_type), ==, "PA-RISC");
	g_assert_cmpstr(rc_rom_code_type_name(rc_rom_image(rom, 2)->code_type), ==, "unknown");
	g_assert_cmpuint(rom->warnings->len, ==, 1);
	g_assert_nonnull(rc_rom_find_warning(rom, RC_ROM_WARN_UNKNOWN_CODE_TYPE));
	g_assert_cmpint(rc_rom_find_warning(rom, RC_ROM_WARN_UNKNOWN_CODE_TYPE)->image, ==, 2);
}

static void expect_fatal(const guint8 *data, gsize len, const char *fragment)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRom) rom = rc_rom_parse(data, len, "bad.rom", &error);

	g_assert_null(rom);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "bad.rom"));
	g_assert_nonnull(strstr(error->message, fragment));
	g_assert_null(strchr(error->message, '\n'));
}

static void test_fatal(void)
{
	static const guint8 text[] = "#!/bin/sh\necho this is not a ROM\n";
	static const guint8 only_sig[] = {0x55, 0xaa, 0x01};
	static const guint8 one = 0x55;
	g_autoptr(GByteArray) no_pcir = romsynth_legacy_efi(1024, 1024, 0x8664, 0, 0);

	expect_fatal(text, 0, "empty");
	expect_fatal(&one, 1, "55 AA");
	expect_fatal(text, sizeof(text), "55 AA");
	expect_fatal(only_sig, sizeof(only_sig), "too short");
	memcpy(no_pcir->data + 0x1c, "XXXX", 4);
	expect_fatal(no_pcir->data, no_pcir->len, "PCI Data Structure");
	/* A first PCIR pointer past the end of the file. */
	no_pcir->data[0x18] = 0xf0;
	no_pcir->data[0x19] = 0xff;
	expect_fatal(no_pcir->data, no_pcir->len, "past the end");
}

static void test_truncated(void)
{
	g_autoptr(GByteArray) bytes = romsynth_legacy_efi(75264, 174592, 0x8664, 0, 0);
	g_autoptr(RcRom) rom = NULL;
	const RcRomWarning *w;

	g_byte_array_set_size(bytes, 200000);
	rom = parse_ok(bytes);
	g_assert_true(rc_rom_is_truncated(rom));
	g_assert_cmpuint(rom->images->len, ==, 2);
	g_assert_cmpuint(rom->size, ==, 200000);
	w = rc_rom_find_warning(rom, RC_ROM_WARN_TRUNCATED);
	g_assert_nonnull(w);
	g_assert_cmpint(w->image, ==, 1);
	g_assert_nonnull(strstr(w->text, "49856 bytes missing"));
	g_assert_cmpuint(rom->padding_length, ==, 0);
}

static void test_truncated_header(void)
{
	g_autoptr(GByteArray) bytes = romsynth_legacy_efi(1024, 1024, 0x8664, 0, 0);
	g_autoptr(RcRom) rom = NULL;

	/* The second image's 55 AA survives, its PCIR pointer does not. */
	g_byte_array_set_size(bytes, 1024 + 10);
	rom = parse_ok(bytes);
	g_assert_true(rc_rom_is_truncated(rom));
	g_assert_cmpuint(rom->images->len, ==, 1);
	g_assert_nonnull(rc_rom_find_warning(rom, RC_ROM_WARN_TRUNCATED));
}

static void test_legacy_truncated_in_init_area(void)
{
	const RomSynthImage images[] = {{.code_type = 0, .length = 4096}};
	g_autoptr(GByteArray) bytes = romsynth_build(images, 1, 0, 0);
	g_autoptr(RcRom) rom = NULL;

	g_byte_array_set_size(bytes, 1000);
	rom = parse_ok(bytes);
	g_assert_true(rc_rom_is_truncated(rom));
	g_assert_false(rc_rom_image(rom, 0)->checksum_checked);
	g_assert_null(rc_rom_find_warning(rom, RC_ROM_WARN_BAD_CHECKSUM));
}

static void test_no_last_image(void)
{
	const RomSynthImage images[] = {
		{.code_type = 0, .length = 1024},
		{.code_type = 3, .length = 1024, .machine = 0x8664, .not_last = TRUE},
	};
	g_autoptr(GByteArray) to_eof = romsynth_build(images, 2, 0, 0);
	g_autoptr(GByteArray) to_padding = romsynth_build(images, 2, 512, 0xff);
	g_autoptr(RcRom) a = parse_ok(to_eof);
	g_autoptr(RcRom) b = parse_ok(to_padding);

	g_assert_cmpuint(a->images->len, ==, 2);
	g_assert_nonnull(rc_rom_find_warning(a, RC_ROM_WARN_NO_LAST_IMAGE));
	g_assert_nonnull(strstr(rc_rom_find_warning(a, RC_ROM_WARN_NO_LAST_IMAGE)->text, "ends"));
	g_assert_false(rc_rom_is_truncated(a));

	g_assert_cmpuint(b->images->len, ==, 2);
	g_assert_nonnull(rc_rom_find_warning(b, RC_ROM_WARN_NO_LAST_IMAGE));
	g_assert_cmpuint(b->padding_offset, ==, 2048);
	g_assert_cmpuint(b->padding_length, ==, 512);
	g_assert_cmpint(b->padding_fill, ==, 0xff);
}

static void test_bad_checksum(void)
{
	const RomSynthImage images[] = {{.code_type = 0, .length = 2048, .bad_checksum = TRUE}};
	g_autoptr(GByteArray) bytes = romsynth_build(images, 1, 0, 0);
	g_autoptr(RcRom) rom = parse_ok(bytes);

	g_assert_true(rc_rom_image(rom, 0)->checksum_checked);
	g_assert_false(rc_rom_image(rom, 0)->checksum_ok);
	g_assert_nonnull(rc_rom_find_warning(rom, RC_ROM_WARN_BAD_CHECKSUM));
	g_assert_false(rc_rom_is_truncated(rom));
}

static void test_overlap(void)
{
	const RomSynthImage images[] = {
		{.code_type = 0, .length = 1024, .init_size = 4096},
		{.code_type = 3, .length = 4096, .machine = 0x8664},
	};
	g_autoptr(GByteArray) bytes = romsynth_build(images, 2, 0, 0);
	g_autoptr(RcRom) rom = parse_ok(bytes);

	g_assert_cmpuint(rom->images->len, ==, 2);
	g_assert_nonnull(rc_rom_find_warning(rom, RC_ROM_WARN_OVERLAP));
	g_assert_cmpint(rc_rom_find_warning(rom, RC_ROM_WARN_OVERLAP)->image, ==, 0);
}

static void test_pcir_outside_image(void)
{
	/* The first image's PCIR sits in the second image: readable, but outside. */
	const RomSynthImage images[] = {
		{.code_type = 0, .length = 512, .pcir_offset = 0x300},
		{.code_type = 3, .length = 1024, .machine = 0x8664},
	};
	g_autoptr(GByteArray) bytes = romsynth_build(images, 2, 0, 0);
	g_autoptr(RcRom) rom = NULL;

	/* romsynth cannot write a PCIR outside its image: put one there by hand. */
	memset(bytes->data + 0x300, 0, 0x18);
	memcpy(bytes->data + 0x300, "PCIR", 4);
	bytes->data[0x310] = 1; /* 512 bytes */
	rom = parse_ok(bytes);
	g_assert_nonnull(rc_rom_find_warning(rom, RC_ROM_WARN_PCIR_OUTSIDE));
	g_assert_cmpuint(rom->images->len, ==, 2);

	/* A later image whose PCIR pointer leaves the file runs past its end. */
	bytes->data[512 + 0x18] = 0xff;
	bytes->data[512 + 0x19] = 0xff;
	{
		g_autoptr(RcRom) cut = parse_ok(bytes);

		g_assert_cmpuint(cut->images->len, ==, 1);
		g_assert_nonnull(rc_rom_find_warning(cut, RC_ROM_WARN_TRUNCATED));
		g_assert_true(rc_rom_is_truncated(cut));
	}
}

static void test_pcir_missing_later(void)
{
	g_autoptr(GByteArray) bytes = romsynth_legacy_efi(1024, 1024, 0x8664, 0, 0);
	g_autoptr(RcRom) rom = NULL;

	memcpy(bytes->data + 1024 + 0x1c, "JUNK", 4);
	rom = parse_ok(bytes);
	g_assert_cmpuint(rom->images->len, ==, 1);
	g_assert_nonnull(rc_rom_find_warning(rom, RC_ROM_WARN_PCIR_MISSING));
	g_assert_cmpuint(rom->padding_offset, ==, 1024);
	g_assert_cmpuint(rom->padding_length, ==, 1024);
}

static void test_zero_length(void)
{
	/* A naive parser loops forever on this: image 2 points at itself. */
	const RomSynthImage images[] = {
		{.code_type = 0, .length = 1024, .not_last = TRUE},
		{.code_type = 3, .length = 1024, .machine = 0x8664, .not_last = TRUE},
	};
	g_autoptr(GByteArray) bytes = romsynth_build(images, 2, 0, 0);
	g_autoptr(RcRom) rom = NULL;

	bytes->data[1024 + 0x1c + 0x10] = 0;
	bytes->data[1024 + 0x1c + 0x11] = 0;
	rom = parse_ok(bytes);
	g_assert_cmpuint(rom->images->len, ==, 2);
	g_assert_cmpuint(rc_rom_image(rom, 1)->length, ==, 0);
	g_assert_nonnull(rc_rom_find_warning(rom, RC_ROM_WARN_ZERO_LENGTH));
	g_assert_cmpuint(rom->padding_offset, ==, 1024);
}

static void test_looping_chain(void)
{
	/* Every image claims length 0 and no last bit: the walk must stop at once. */
	g_autoptr(GByteArray) bytes = g_byte_array_new();

	for (int i = 0; i < 64; i++) {
		const RomSynthImage img = {.code_type = 0, .length = 512, .not_last = TRUE};
		g_autoptr(GByteArray) one = romsynth_build(&img, 1, 0, 0);

		one->data[0x1c + 0x10] = 0;
		g_byte_array_append(bytes, one->data, one->len);
	}
	{
		g_autoptr(RcRom) rom = parse_ok(bytes);

		g_assert_cmpuint(rom->images->len, ==, 1);
		g_assert_nonnull(rc_rom_find_warning(rom, RC_ROM_WARN_ZERO_LENGTH));
	}
	/* Maximal length (0xFFFF * 512 bytes): no offset wrap, just a truncated image. */
	bytes->data[0x1c + 0x10] = 0xff;
	bytes->data[0x1c + 0x11] = 0xff;
	{
		g_autoptr(RcRom) rom = parse_ok(bytes);

		g_assert_cmpuint(rom->images->len, ==, 1);
		g_assert_cmpuint(rc_rom_image(rom, 0)->length, ==, 0xffffu * 512);
		g_assert_true(rc_rom_is_truncated(rom));
	}
}

static void test_efi_signature(void)
{
	const RomSynthImage images[] = {
		{.code_type = 0, .length = 1024},
		{.code_type = 3, .length = 1024, .machine = 0xaa64, .bad_efi_signature = TRUE},
	};
	g_autoptr(GByteArray) bytes = romsynth_build(images, 2, 0, 0);
	g_autoptr(RcRom) rom = parse_ok(bytes);

	g_assert_false(rc_rom_image(rom, 1)->efi_signature_ok);
	g_assert_nonnull(rc_rom_find_warning(rom, RC_ROM_WARN_EFI_SIGNATURE));
}

static void test_every_truncation(void)
{
	/* Cut a two-image ROM at every length: never a crash, never a read past the end. */
	g_autoptr(GByteArray) bytes = romsynth_legacy_efi(1024, 1536, 0x8664, 0, 512);

	for (guint len = 0; len <= bytes->len; len++) {
		g_autoptr(GError) error = NULL;
		g_autofree guint8 *copy = g_memdup2(bytes->data, len);
		g_autoptr(RcRom) rom = rc_rom_parse(copy, len, "cut.rom", &error);

		g_assert_true((rom == NULL) != (error == NULL));
		/* Cut between images: the first one then lacks its successor. */
		if (rom && len < 2560)
			g_assert_true(rc_rom_is_truncated(rom) ||
				      rc_rom_find_warning(rom, RC_ROM_WARN_NO_LAST_IMAGE));
		if (rom && len >= 2560)
			g_assert_false(rc_rom_is_truncated(rom));
	}
}

static void test_warning_names(void)
{
	g_assert_cmpstr(rc_rom_warning_code_to_string(RC_ROM_WARN_TRUNCATED), ==, "truncated");
	g_assert_cmpstr(rc_rom_warning_code_to_string(RC_ROM_WARN_UNKNOWN_CODE_TYPE), ==,
			"unknown-code-type");
	g_assert_cmpstr(rc_rom_efi_subsystem_name(11), ==, "boot service driver");
}

/* Every installed ROM file: a clean chain that accounts for every byte. */
static void test_installed(void)
{
	g_autoptr(GDir) dir = g_dir_open(IPXE_DIR, 0, NULL);
	const char *name;
	guint seen = 0;

	if (!dir) {
		g_test_skip(IPXE_DIR " is missing (package ipxe-qemu is not installed)");
		return;
	}
	while ((name = g_dir_read_name(dir))) {
		g_autofree char *path = g_build_filename(IPXE_DIR, name, NULL);
		g_autofree char *data = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(RcRom) rom = NULL;
		guint64 covered = 0;
		gsize len = 0;

		if (!g_str_has_suffix(name, ".rom"))
			continue;
		g_file_get_contents(path, &data, &len, &error);
		g_assert_no_error(error);
		rom = rc_rom_parse((const guint8 *)data, len, name, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(rom->size, ==, len);
		g_assert_cmpuint(rom->bucket, ==, rc_rom_bucket(len));
		g_assert_cmpuint(rom->warnings->len, ==, 0);
		g_assert_cmpuint(rom->images->len, >=, 1);
		g_assert_cmpuint(rc_rom_image(rom, 0)->code_type, ==, RC_ROM_CODE_X86);
		g_assert_true(rc_rom_image(rom, 0)->checksum_ok);
		for (guint i = 0; i < rom->images->len; i++)
			covered += rc_rom_image(rom, i)->length;
		g_assert_cmpuint(covered + rom->padding_length, ==, len);
		g_assert_true(rc_rom_image(rom, rom->images->len - 1)->last);
		if (g_str_has_prefix(name, "efi-")) {
			const RcRomImage *efi = rc_rom_image(rom, 1);

			g_assert_nonnull(efi);
			g_assert_cmpuint(efi->code_type, ==, RC_ROM_CODE_EFI);
			g_assert_true(efi->efi_signature_ok);
			g_assert_cmpuint(efi->efi_machine, ==, 0x8664);
		}
		seen++;
	}
	g_assert_cmpuint(seen, >, 0);
}

/* bookworm's efi-e1000.rom, as measured: legacy 75264 + EFI x64 174592. */
static void test_installed_bookworm_e1000(void)
{
	g_autofree char *data = NULL;
	g_autoptr(RcRom) rom = NULL;
	gsize len = 0;

	if (!g_file_get_contents(IPXE_DIR "/efi-e1000.rom", &data, &len, NULL)) {
		g_test_skip(IPXE_DIR "/efi-e1000.rom is missing");
		return;
	}
	if (len != 249856) {
		g_test_skip("efi-e1000.rom is not bookworm's (ipxe-qemu 1.0.0+git-20190125)");
		return;
	}
	rom = rc_rom_parse((const guint8 *)data, len, "efi-e1000.rom", NULL);
	g_assert_nonnull(rom);
	g_assert_cmpuint(rom->bucket, ==, 256 * 1024);
	g_assert_cmpuint(rom->images->len, ==, 2);
	g_assert_cmpuint(rc_rom_image(rom, 0)->length, ==, 75264);
	g_assert_cmpuint(rc_rom_image(rom, 0)->init_size, ==, 75264);
	g_assert_cmpuint(rc_rom_image(rom, 1)->offset, ==, 75264);
	g_assert_cmpuint(rc_rom_image(rom, 1)->length, ==, 174592);
	g_assert_cmpuint(rc_rom_image(rom, 1)->vendor_id, ==, 0x8086);
	g_assert_cmpuint(rc_rom_image(rom, 1)->device_id, ==, 0x100e);
	g_assert_cmpuint(rc_rom_image(rom, 1)->efi_compression, ==, RC_ROM_EFI_UNCOMPRESSED);
	g_assert_cmpuint(rom->padding_length, ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rom/bucket", test_bucket);
	g_test_add_func("/rom/legacy-efi", test_legacy_efi);
	g_test_add_func("/rom/padding", test_padding);
	g_test_add_func("/rom/mixed-padding", test_mixed_padding);
	g_test_add_func("/rom/architectures", test_architectures);
	g_test_add_func("/rom/other-code-types", test_other_code_types);
	g_test_add_func("/rom/fatal", test_fatal);
	g_test_add_func("/rom/truncated", test_truncated);
	g_test_add_func("/rom/truncated-header", test_truncated_header);
	g_test_add_func("/rom/truncated-in-init-area", test_legacy_truncated_in_init_area);
	g_test_add_func("/rom/no-last-image", test_no_last_image);
	g_test_add_func("/rom/bad-checksum", test_bad_checksum);
	g_test_add_func("/rom/overlap", test_overlap);
	g_test_add_func("/rom/pcir-outside-image", test_pcir_outside_image);
	g_test_add_func("/rom/pcir-missing-later", test_pcir_missing_later);
	g_test_add_func("/rom/zero-length", test_zero_length);
	g_test_add_func("/rom/looping-chain", test_looping_chain);
	g_test_add_func("/rom/efi-signature", test_efi_signature);
	g_test_add_func("/rom/every-truncation", test_every_truncation);
	g_test_add_func("/rom/warning-names", test_warning_names);
	g_test_add_func("/rom/installed", test_installed);
	g_test_add_func("/rom/installed-bookworm-e1000", test_installed_bookworm_e1000);
	return g_test_run();
}
