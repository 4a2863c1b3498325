/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-combine.c - combine and split on images built in memory: the chain's
 * flags and the legacy checksum, split undoing combine byte for byte, every
 * refusal; and what makes a ROM a malformed build (rc_rom_malformed_reason())
 * and the verdict a malformed build gets from the predictor.
 */
#include <string.h>

#include "base/error.h"
#include "rom/combine.h"
#include "rom/predict.h"
#include "rom/rom.h"
#include "romsynth.h"

/* One stand-alone image: legacy (machine 0) or EFI for @machine. */
static GByteArray *image(guint16 machine, guint32 length, guint16 device)
{
	RomSynthImage spec = {.code_type = machine ? 3 : 0,
			      .length = length,
			      .machine = machine,
			      .device_id = device};

	return romsynth_build(&spec, 1, 0, 0);
}

static RcCombineInput input(const char *name, const GByteArray *bytes)
{
	return (RcCombineInput){name, bytes->data, bytes->len};
}

static void test_combine_split(void)
{
	g_autoptr(GByteArray) legacy = image(0, 4096, 0);
	g_autoptr(GByteArray) x64 = image(0x8664, 8192, 0);
	g_autoptr(GByteArray) a64 = image(0xaa64, 6144, 0);
	const RcCombineInput in[] = {input("legacy.rom", legacy), input("x64.efirom", x64),
				     input("a64.efirom", a64)};
	g_autoptr(GError) error = NULL;
	g_autoptr(RcCombined) c = rc_combine(in, G_N_ELEMENTS(in), &error);
	g_autoptr(RcRom) rom = NULL;
	g_autoptr(GPtrArray) parts = NULL;
	gsize len;
	const guint8 *bytes;
	RcCombineInput whole;

	g_assert_no_error(error);
	bytes = g_bytes_get_data(c->data, &len);
	g_assert_cmpuint(len, ==, 4096 + 8192 + 6144);
	g_assert_cmpuint(c->pieces->len, ==, 3);
	g_assert_true(((RcRomPiece *)g_ptr_array_index(c->pieces, 0))->checksum_fixed);
	g_assert_false(((RcRomPiece *)g_ptr_array_index(c->pieces, 1))->checksum_fixed);
	rom = rc_rom_parse(bytes, len, "combined", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(rom->images->len, ==, 3);
	g_assert_cmpuint(rom->warnings->len, ==, 0);
	g_assert_true(rc_rom_image(rom, 0)->checksum_ok);
	g_assert_false(rc_rom_image(rom, 0)->last);
	g_assert_false(rc_rom_image(rom, 1)->last);
	g_assert_true(rc_rom_image(rom, 2)->last);
	g_assert_cmpuint(rc_rom_image(rom, 2)->efi_machine, ==, 0xaa64);

	whole = (RcCombineInput){"combined", bytes, len};
	parts = rc_split(&whole, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(parts->len, ==, 3);
	for (guint i = 0; i < parts->len; i++) {
		const RcRomPiece *p = g_ptr_array_index(parts, i);
		static const char *const names[] = {"x86-legacy.rom", "x86_64-efi.efirom",
						    "arm64-efi.efirom"};
		gsize plen;
		const guint8 *pbytes = g_bytes_get_data(p->data, &plen);

		g_assert_cmpstr(p->file_name, ==, names[i]);
		g_assert_cmpmem(pbytes, plen, in[i].data, in[i].len);
	}
}

static void test_split_names(void)
{
	const RomSynthImage specs[] = {
		{.code_type = 3, .length = 1024, .machine = 0x5064},
		{.code_type = 3, .length = 1024, .machine = 0x5064},
		{.code_type = 3, .length = 1024, .machine = 0x6264},
	};
	g_autoptr(GByteArray) rom = romsynth_build(specs, G_N_ELEMENTS(specs), 512, 0xff);
	RcCombineInput in = input("multi.rom", rom);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) parts = rc_split(&in, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(((RcRomPiece *)g_ptr_array_index(parts, 0))->file_name, ==,
			"riscv64-efi.efirom");
	g_assert_cmpstr(((RcRomPiece *)g_ptr_array_index(parts, 1))->file_name, ==,
			"riscv64-efi-2.efirom");
	g_assert_cmpstr(((RcRomPiece *)g_ptr_array_index(parts, 2))->file_name, ==,
			"loong64-efi.efirom");
}

/* rc_combine() of @a then @b fails with an input error whose text has @words. */
static void assert_refused(const GByteArray *a, const GByteArray *b, const char *words)
{
	const RcCombineInput in[] = {input("a.rom", a), input("b.rom", b)};
	g_autoptr(GError) error = NULL;
	g_autoptr(RcCombined) c = rc_combine(in, G_N_ELEMENTS(in), &error);

	g_assert_null(c);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, words));
}

static void test_refusals(void)
{
	g_autoptr(GByteArray) legacy = image(0, 4096, 0);
	g_autoptr(GByteArray) x64 = image(0x8664, 8192, 0);
	g_autoptr(GByteArray) other = image(0x8664, 8192, 0x1000);
	g_autoptr(GByteArray) pe = g_byte_array_new();
	g_autoptr(GByteArray) text = g_byte_array_new();
	g_autoptr(GByteArray) trailing = romsynth_build(
		&(RomSynthImage){.code_type = 3, .length = 1024, .machine = 0xaa64}, 1, 0, 0);
	const RomSynthImage open_chain[] = {{.code_type = 0, .length = 1024, .not_last = TRUE}};
	g_autoptr(GByteArray) chain = romsynth_build(open_chain, 1, 0, 0);

	g_byte_array_append(pe, (const guint8 *)"MZ\x90\0\3\0\0\0", 8);
	g_byte_array_append(text, (const guint8 *)"#!/bin/sh\n", 10);
	g_byte_array_append(trailing, (const guint8 *)"not padding", 11);
	assert_refused(legacy, pe, "bare PE file");
	assert_refused(text, x64, "not a PCI option ROM image");
	assert_refused(x64, x64, "a second EFI x64 (0x8664) image");
	assert_refused(legacy, other, "8086:1000");
	assert_refused(chain, x64, "not flagged as the last image");
	assert_refused(legacy, trailing, "not padding");
}

static void test_pad(void)
{
	g_autoptr(GBytes) data = g_bytes_new("\x55\xaa", 2);
	g_autoptr(GBytes) padded = rc_combine_pad(data, 8, 0xff);

	g_assert_cmpmem(g_bytes_get_data(padded, NULL), g_bytes_get_size(padded),
			"\x55\xaa\xff\xff\xff\xff\xff\xff", 8);
}

/* rc_rom_malformed_reason() of @rom under @name: NULL, or a text with @words. */
static void assert_malformed(const GByteArray *bytes, const char *name, const char *words)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRom) rom = rc_rom_parse(bytes->data, bytes->len, name, &error);
	g_autofree char *why = NULL;

	g_assert_no_error(error);
	why = rc_rom_malformed_reason(rom, name);
	if (!words) {
		g_assert_null(why);
		return;
	}
	g_assert_nonnull(why);
	g_assert_nonnull(strstr(why, words));
}

static void test_malformed(void)
{
	g_autoptr(GByteArray) legacy = image(0, 4096, 0);
	g_autoptr(GByteArray) good = romsynth_legacy_efi(1024, 2048, 0x8664, 0, 512);
	g_autoptr(GByteArray) zeros = romsynth_build(
		&(RomSynthImage){.code_type = 3, .length = 1024, .machine = 0x8664}, 1, 4096, 0);
	g_autoptr(GByteArray) repeated = romsynth_build(
		&(RomSynthImage){.code_type = 3, .length = 1024, .machine = 0x8664}, 1, 4096, 0x42);
	const RomSynthImage open_chain[] = {{.code_type = 0, .length = 1024, .not_last = TRUE}};
	g_autoptr(GByteArray) chain = romsynth_build(open_chain, 1, 0, 0);

	assert_malformed(good, "efi-e1000.rom", NULL);
	assert_malformed(zeros, "efi-e1000.rom", NULL);
	assert_malformed(legacy, "pxe-e1000.rom", NULL);
	assert_malformed(legacy, "/some/dir/efi-e1000.rom", "without an EFI image");
	assert_malformed(legacy, NULL, NULL);
	assert_malformed(repeated, "efi-e1000.rom", "not padding");
	assert_malformed(chain, "pxe-e1000.rom", "not flagged as the last image");
}

static void test_malformed_verdict(void)
{
	g_autoptr(RcRomSet) old_set = rc_rom_set_new("old", RC_ROM_SET_DIRECTORY);
	g_autoptr(RcRomSet) new_set = rc_rom_set_new("new", RC_ROM_SET_DIRECTORY);
	g_autoptr(GByteArray) good = romsynth_legacy_efi(1024, 2048, 0x8664, 0, 512);
	/* Legacy only, and small: as a size it would shrink below its bucket. */
	g_autoptr(GByteArray) legacy = image(0, 1024, 0);
	g_autoptr(RcPrediction) p = NULL;
	const RcFilePrediction *f;
	RcRomEntry *e;

	rc_rom_set_add_data(old_set, "efi-e1000.rom", "old/efi-e1000.rom", good->data, good->len);
	e = rc_rom_set_add_data(new_set, "efi-e1000.rom", "new/efi-e1000.rom", legacy->data,
				legacy->len);
	g_assert_true(e->malformed);
	g_assert_error(e->error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(e->error->message, "malformed build"));
	p = rc_predict(old_set, new_set);
	f = &g_array_index(p->files, RcFilePrediction, 0);
	g_assert_cmpint(f->verdict, ==, RC_VERDICT_MALFORMED);
	g_assert_cmpstr(rc_file_verdict_to_string(f->verdict), ==, "malformed");
	g_assert_false(rc_file_verdict_is_incompatible(f->verdict));
	g_assert_false(p->incompatible);
	g_assert_cmpuint(p->n_malformed, ==, 1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/combine/combine-split", test_combine_split);
	g_test_add_func("/combine/split-names", test_split_names);
	g_test_add_func("/combine/refusals", test_refusals);
	g_test_add_func("/combine/pad", test_pad);
	g_test_add_func("/combine/malformed", test_malformed);
	g_test_add_func("/combine/malformed-verdict", test_malformed_verdict);
	return g_test_run();
}
