/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-predict.c - the static predictor on sets built in memory: every
 * verdict, the bucket boundaries, and single files paired across names.
 */
#include "base/error.h"
#include "rom/predict.h"
#include "romsynth.h"

/* A ROM of exactly @size bytes: legacy + EFI, the rest 0xFF padding. */
static void add_rom(RcRomSet *set, const char *name, gsize size)
{
	g_autoptr(GByteArray) rom = romsynth_legacy_efi(2048, 4096, 0x8664, 0, size - 6144);
	RcRomEntry *e = rc_rom_set_add_data(set, name, name, rom->data, rom->len);

	g_assert_no_error(e->error);
	g_assert_cmpuint(e->size, ==, size);
}

static const RcFilePrediction *find(const RcPrediction *p, const char *name)
{
	for (guint i = 0; i < p->files->len; i++) {
		const RcFilePrediction *f = &g_array_index(p->files, RcFilePrediction, i);

		if (g_str_equal(f->name, name))
			return f;
	}
	g_assert_not_reached();
	return NULL;
}

static void test_verdicts(void)
{
	g_autoptr(RcRomSet) old_set = rc_rom_set_new("old", RC_ROM_SET_DIRECTORY);
	g_autoptr(RcRomSet) new_set = rc_rom_set_new("new", RC_ROM_SET_DIRECTORY);
	g_autoptr(RcPrediction) p = NULL;
	const RcFilePrediction *f;

	add_rom(old_set, "efi-e1000.rom", 249856);
	add_rom(new_set, "efi-e1000.rom", 300000);
	add_rom(old_set, "efi-e1000e.rom", 249856);
	add_rom(new_set, "efi-e1000e.rom", 262144);
	add_rom(old_set, "efi-virtio.rom", 300000);
	add_rom(new_set, "efi-virtio.rom", 249344);
	add_rom(old_set, "pxe-pcnet.rom", 74752);
	add_rom(new_set, "efi-new.rom", 100000);
	add_rom(old_set, "efi-rtl8139.rom", 262144);
	add_rom(new_set, "efi-rtl8139.rom", 262145);
	rc_rom_set_add_error(old_set, "efi-pcnet.rom", "efi-pcnet.rom",
			     g_error_new(RC_ERROR, RC_ERROR_INPUT, "unreadable"));
	add_rom(new_set, "efi-pcnet.rom", 246272);
	rc_rom_set_sort(old_set);
	rc_rom_set_sort(new_set);

	p = rc_predict(old_set, new_set);
	g_assert_cmpuint(p->files->len, ==, 7);
	/* Name order. */
	g_assert_cmpstr(g_array_index(p->files, RcFilePrediction, 0).name, ==, "efi-e1000.rom");
	g_assert_cmpstr(g_array_index(p->files, RcFilePrediction, 6).name, ==, "pxe-pcnet.rom");

	f = find(p, "efi-e1000.rom");
	g_assert_cmpint(f->verdict, ==, RC_VERDICT_GROWS_PAST_BUCKET);
	g_assert_cmpuint(f->old_size, ==, 249856);
	g_assert_cmpuint(f->old_bucket, ==, 262144);
	g_assert_cmpuint(f->new_size, ==, 300000);
	g_assert_cmpuint(f->new_bucket, ==, 524288);

	f = find(p, "efi-e1000e.rom");
	g_assert_cmpint(f->verdict, ==, RC_VERDICT_SAME_BUCKET);
	g_assert_cmpuint(f->new_bucket, ==, 262144);

	f = find(p, "efi-virtio.rom");
	g_assert_cmpint(f->verdict, ==, RC_VERDICT_SHRINKS_BELOW_BUCKET);

	f = find(p, "efi-rtl8139.rom");
	g_assert_cmpint(f->verdict, ==, RC_VERDICT_GROWS_PAST_BUCKET);

	f = find(p, "pxe-pcnet.rom");
	g_assert_cmpint(f->verdict, ==, RC_VERDICT_REMOVED);
	g_assert_null(f->new_entry);
	g_assert_false(f->has_new);

	f = find(p, "efi-new.rom");
	g_assert_cmpint(f->verdict, ==, RC_VERDICT_ADDED);
	g_assert_null(f->old_entry);

	f = find(p, "efi-pcnet.rom");
	g_assert_cmpint(f->verdict, ==, RC_VERDICT_UNKNOWN);

	g_assert_true(p->incompatible);
	g_assert_cmpuint(p->n_incompatible, ==, 4);
	g_assert_cmpuint(p->n_unknown, ==, 1);
}

static void test_compatible(void)
{
	g_autoptr(RcRomSet) old_set = rc_rom_set_new("old", RC_ROM_SET_DIRECTORY);
	g_autoptr(RcRomSet) new_set = rc_rom_set_new("new", RC_ROM_SET_DIRECTORY);
	g_autoptr(RcPrediction) p = NULL;

	add_rom(old_set, "efi-e1000.rom", 249856);
	add_rom(new_set, "efi-e1000.rom", 262144);
	add_rom(new_set, "efi-extra.rom", 262144);
	p = rc_predict(old_set, new_set);
	g_assert_false(p->incompatible);
	g_assert_cmpuint(p->n_incompatible, ==, 0);
	g_assert_cmpint(find(p, "efi-extra.rom")->verdict, ==, RC_VERDICT_ADDED);
}

static void test_single_files_pair(void)
{
	g_autoptr(RcRomSet) old_set = rc_rom_set_new("a/efi-e1000.rom", RC_ROM_SET_FILE);
	g_autoptr(RcRomSet) new_set = rc_rom_set_new("b/candidate.rom", RC_ROM_SET_FILE);
	g_autoptr(RcPrediction) p = NULL;

	add_rom(old_set, "efi-e1000.rom", 249856);
	add_rom(new_set, "candidate.rom", 270000);
	p = rc_predict(old_set, new_set);
	g_assert_cmpuint(p->files->len, ==, 1);
	g_assert_cmpstr(find(p, "efi-e1000.rom")->new_entry->name, ==, "candidate.rom");
	g_assert_cmpint(find(p, "efi-e1000.rom")->verdict, ==, RC_VERDICT_GROWS_PAST_BUCKET);
	g_assert_true(p->incompatible);
}

static void test_names(void)
{
	g_assert_cmpstr(rc_file_verdict_to_string(RC_VERDICT_GROWS_PAST_BUCKET), ==,
			"grows-past-bucket");
	g_assert_cmpstr(rc_file_verdict_to_string(RC_VERDICT_SHRINKS_BELOW_BUCKET), ==,
			"shrinks-below-bucket");
	g_assert_true(rc_file_verdict_is_incompatible(RC_VERDICT_REMOVED));
	g_assert_false(rc_file_verdict_is_incompatible(RC_VERDICT_ADDED));
	g_assert_false(rc_file_verdict_is_incompatible(RC_VERDICT_SAME_BUCKET));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/predict/verdicts", test_verdicts);
	g_test_add_func("/predict/compatible", test_compatible);
	g_test_add_func("/predict/single-files-pair", test_single_files_pair);
	g_test_add_func("/predict/names", test_names);
	return g_test_run();
}
