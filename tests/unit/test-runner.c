/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-runner.c - the runner's static prediction, which needs no QEMU:
 * block sizes from the file sizes (power-of-two buckets) or from a
 * machine type's romsize, cases without a prediction, and --static
 * verdicts that satisfy the results model.  The runner's QEMU half is
 * tested against real QEMU in tests/cli/check.t.
 */
#include <string.h>

#include "qemu/catalog.h"
#include "matrix/matrix.h"
#include "romsynth.h"
#include "rom/romset.h"
#include "matrix/runner.h"

/* A ROM of @size bytes: a legacy and an EFI image, padded. */
static void add_rom(RcRomSet *set, const char *name, gsize size)
{
	g_autoptr(GByteArray) rom = romsynth_legacy_efi(64 * 1024, 128 * 1024, 0x8664, 1, 0);

	guint built = rom->len;

	g_assert_cmpuint(rom->len, <=, size);
	g_byte_array_set_size(rom, (guint)size);
	/* Padding, one fill byte: anything else is a malformed build. */
	memset(rom->data + built, 0xff, size - built);
	rc_rom_set_add_data(set, name, name, rom->data, rom->len);
}

typedef struct {
	const char *nic;
	const char *romfile;
	gint64 romsize;
	RcVerdict expected;
} Row;

static const Row rows[] = {
	/* 240 KiB -> 250 KiB: both in the 256 KiB bucket. */
	{"e1000", "same.rom", -1, RC_VERDICT_PASS},
	/* 240 KiB -> 300 KiB: 256 KiB -> 512 KiB. */
	{"rtl8139", "grows.rom", -1, RC_VERDICT_FAIL},
	/* The same growth under a romsize of 512 KiB: the block stays put. */
	{"virtio-net-pci", "grows.rom", 512 * 1024, RC_VERDICT_PASS},
	/* A romsize the new file does not fit: QEMU refuses it; no prediction. */
	{"e1000e", "grows.rom", 256 * 1024, RC_VERDICT_NOT_RUN},
	/* Not in the new set: no prediction. */
	{"pcnet", "gone.rom", -1, RC_VERDICT_NOT_RUN},
};

static void setup(RcRomSet **old_set, RcRomSet **new_set, RcCatalog **catalog, GPtrArray **cases)
{
	RcCatalogMachine *m;

	*old_set = rc_rom_set_new("old", RC_ROM_SET_DIRECTORY);
	*new_set = rc_rom_set_new("new", RC_ROM_SET_DIRECTORY);
	add_rom(*old_set, "same.rom", 240 * 1024);
	add_rom(*new_set, "same.rom", 250 * 1024);
	add_rom(*old_set, "grows.rom", 240 * 1024);
	add_rom(*new_set, "grows.rom", 300 * 1024);
	add_rom(*old_set, "gone.rom", 240 * 1024);
	*catalog = rc_catalog_new("x86_64", "qemu-system-x86_64", "0.0-test");
	m = rc_catalog_add_machine(*catalog, "pc-q35-7.2");
	*cases = g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
		rc_catalog_machine_add_nic(m, rows[i].nic, rows[i].romfile, rows[i].romsize);
		for (int d = 0; d < RC_DIRECTION_COUNT; d++)
			g_ptr_array_add(*cases, rc_case_new("pc-q35-7.2", rows[i].nic,
							    (RcDirection)d, rows[i].romfile));
	}
}

static const Row *row_of(const RcCase *c)
{
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
		if (strcmp(rows[i].nic, c->nic) == 0)
			return &rows[i];
	g_assert_not_reached();
}

static void test_predict(void)
{
	g_autoptr(RcRomSet) old_set = NULL;
	g_autoptr(RcRomSet) new_set = NULL;
	g_autoptr(RcCatalog) catalog = NULL;
	g_autoptr(GPtrArray) cases = NULL;
	RcRunnerConfig config = {0};

	setup(&old_set, &new_set, &catalog, &cases);
	config.old_side.roms = old_set;
	config.new_side.roms = new_set;
	config.catalog = catalog;
	rc_runner_predict(&config, cases);
	for (guint i = 0; i < cases->len; i++) {
		const RcCase *c = g_ptr_array_index(cases, i);

		g_assert_cmpint(c->result.predicted, ==, row_of(c)->expected);
		/* A prediction alone is no verdict. */
		g_assert_cmpint(c->result.verdict, ==, RC_VERDICT_NOT_RUN);
		g_assert_null(rc_result_check(&c->result));
	}
}

static void test_static_verdicts(void)
{
	g_autoptr(RcRomSet) old_set = NULL;
	g_autoptr(RcRomSet) new_set = NULL;
	g_autoptr(RcCatalog) catalog = NULL;
	g_autoptr(GPtrArray) cases = NULL;
	g_autoptr(GError) error = NULL;
	RcRunnerConfig config = {0};

	setup(&old_set, &new_set, &catalog, &cases);
	config.old_side.roms = old_set;
	config.new_side.roms = new_set;
	config.catalog = catalog;
	config.predict_only = TRUE;
	g_assert_true(rc_runner_run(&config, cases, NULL, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < cases->len; i++) {
		const RcCase *c = g_ptr_array_index(cases, i);
		const Row *row = row_of(c);

		g_assert_null(rc_result_check(&c->result));
		g_assert_cmpint(c->result.verdict, ==, row->expected);
		if (row->expected == RC_VERDICT_NOT_RUN)
			continue;
		g_assert_cmpint(c->result.evidence, ==, RC_EVIDENCE_PREDICTED);
		/* Nothing to compare: the verdict is the prediction. */
		g_assert_cmpint(rc_case_prediction(c), ==, RC_PREDICTION_NONE);
		if (strcmp(c->nic, "rtl8139") == 0) {
			g_assert_cmpuint(rc_case_old_size(c), ==, 256 * 1024);
			g_assert_cmpuint(rc_case_new_size(c), ==, 512 * 1024);
		}
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/runner/predict", test_predict);
	g_test_add_func("/runner/static-verdicts", test_static_verdicts);
	return g_test_run();
}
