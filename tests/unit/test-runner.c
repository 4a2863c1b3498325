/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-runner.c - the runner's static prediction, which needs no QEMU:
 * block sizes from the file sizes (power-of-two buckets) or from a
 * machine type's romsize, cases without a prediction, and --static
 * verdicts that satisfy the results model; and how verdicts come back
 * from pairs and chains, through a stand-in backend that "migrates" by
 * comparing the buckets of each NIC's two ROM files (and can be told to
 * fail one leg of a chain).  The runner on real QEMU is tested in
 * tests/cli/check.t.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "qemu/ramblock.h"
#include "rom/rom.h"

#include "qemu/catalog.h"
#include "matrix/matrix.h"
#include "romsynth.h"
#include "rom/romset.h"
#include "matrix/runner.h"

/* A ROM of @size bytes: a legacy and an EFI image, padded. */
static GByteArray *build_rom(gsize size)
{
	GByteArray *rom = romsynth_legacy_efi(64 * 1024, 128 * 1024, 0x8664, 1, 0);
	guint built = rom->len;

	g_assert_cmpuint(rom->len, <=, size);
	g_byte_array_set_size(rom, (guint)size);
	/* Padding, one fill byte: anything else is a malformed build. */
	memset(rom->data + built, 0xff, size - built);
	return rom;
}

static void add_rom(RcRomSet *set, const char *name, gsize size)
{
	g_autoptr(GByteArray) rom = build_rom(size);

	rc_rom_set_add_data(set, name, name, rom->data, rom->len);
}

/* The same, written to @dir/@name, which is where the set finds it. */
static void add_rom_file(RcRomSet *set, const char *dir, const char *name, gsize size)
{
	g_autoptr(GByteArray) rom = build_rom(size);
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(path, (const char *)rom->data, rom->len, &error));
	rc_rom_set_add_data(set, name, path, rom->data, rom->len);
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

/* ---- a stand-in backend ---- */

typedef struct {
	int sabotage_leg; /* 1 or 2: that leg of every chain fails for NIC "e1000"; 0: none */
	guint pairs;
	guint chains;
} StandIn;

static StandIn stand_in;

static guint64 bucket_of(const char *path)
{
	GStatBuf st;

	g_assert_cmpint(g_stat(path, &st), ==, 0);
	return rc_rom_bucket((guint64)st.st_size);
}

/* "Migrate": every NIC whose ROM buckets differ (or that @sabotage names)
 * is a differing block; none: completed. */
static RcMigrationOutcome *stand_in_leg(const RcMigrationSpec *spec, gboolean back,
					const char *sabotage)
{
	RcMigrationOutcome *out = g_new0(RcMigrationOutcome, 1);

	out->diffs = g_ptr_array_new_with_free_func((GDestroyNotify)rc_ramblock_diff_free);
	for (guint i = 0; i < spec->n_nics; i++) {
		const RcCaseNic *nic = &spec->nics[i];
		guint64 s = bucket_of(back ? nic->dst_rom : nic->src_rom);
		guint64 d = bucket_of(back ? nic->src_rom : nic->dst_rom);
		RcRamBlockDiff *diff;

		if (s == d && g_strcmp0(sabotage, nic->model) != 0)
			continue;
		diff = g_new0(RcRamBlockDiff, 1);
		diff->name =
			g_strdup_printf("0000:00:%02x.0/%s.rom", (unsigned)nic->addr, nic->model);
		diff->source_size = s;
		diff->destination_size = s == d ? 2 * d : d;
		g_ptr_array_add(out->diffs, diff);
	}
	out->kind = out->diffs->len ? RC_KIND_ROM_SIZE_MISMATCH : RC_KIND_OK;
	if (out->diffs->len) {
		const RcRamBlockDiff *first = g_ptr_array_index(out->diffs, 0);

		out->block = g_strdup(first->name);
		out->message = g_strdup_printf("Size mismatch: %s", first->name);
	}
	out->seconds = 0.01;
	return out;
}

static RcMigrationOutcome *stand_in_migrate(const RcMigrationSpec *spec, gpointer data,
					    GError **error)
{
	stand_in.pairs++;
	return stand_in_leg(spec, FALSE, NULL);
}

static RcMigrationOutcome *stand_in_chain(const RcMigrationSpec *spec, RcMigrationOutcome **second,
					  GError **error)
{
	RcMigrationOutcome *out;

	stand_in.chains++;
	out = stand_in_leg(spec, FALSE, stand_in.sabotage_leg == 1 ? "e1000" : NULL);
	*second = out->kind == RC_KIND_OK
			  ? stand_in_leg(spec, TRUE, stand_in.sabotage_leg == 2 ? "e1000" : NULL)
			  : NULL;
	return out;
}

/* Two NICs that keep their bucket, three whose ROM grows past it. */
static const char *const chain_nics[][2] = {
	{"e1000", "same.rom"},	 {"rtl8139", "same.rom"}, {"virtio-net-pci", "grows.rom"},
	{"e1000e", "grows.rom"}, {"pcnet", "grows.rom"},
};

/* Run the stand-in matrix (ROM files on disk under @dir), both directions. */
static GPtrArray *run_stand_in(const char *dir, int sabotage_leg, RcRunnerStats *stats)
{
	g_autoptr(RcRomSet) old_set = rc_rom_set_new("old", RC_ROM_SET_DIRECTORY);
	g_autoptr(RcRomSet) new_set = rc_rom_set_new("new", RC_ROM_SET_DIRECTORY);
	g_autoptr(RcCatalog) catalog = rc_catalog_new("x86_64", "qemu-system-x86_64", "0.0-test");
	g_autofree char *old_dir = g_build_filename(dir, "old", NULL);
	g_autofree char *new_dir = g_build_filename(dir, "new", NULL);
	RcCatalogMachine *m = rc_catalog_add_machine(catalog, "pc-q35-7.2");
	GPtrArray *cases = g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);
	RcRunnerConfig config = {.old_side = {.qemu = "/q", .roms = old_set},
				 .new_side = {.qemu = "/q", .roms = new_set},
				 .catalog = catalog,
				 .jobs = 1,
				 .max_nics = RC_RUNNER_MAX_NICS,
				 .timeout_us = G_USEC_PER_SEC,
				 .migrate = stand_in_migrate,
				 .chain = stand_in_chain};
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir(old_dir, 0700), ==, 0);
	g_assert_cmpint(g_mkdir(new_dir, 0700), ==, 0);
	add_rom_file(old_set, old_dir, "same.rom", 240 * 1024);
	add_rom_file(new_set, new_dir, "same.rom", 250 * 1024);
	add_rom_file(old_set, old_dir, "grows.rom", 240 * 1024);
	add_rom_file(new_set, new_dir, "grows.rom", 300 * 1024);
	g_assert_true(rc_rom_set_write_files(old_set, old_dir, &error));
	g_assert_true(rc_rom_set_write_files(new_set, new_dir, &error));
	for (gsize i = 0; i < G_N_ELEMENTS(chain_nics); i++)
		rc_catalog_machine_add_nic(m, chain_nics[i][0], chain_nics[i][1], -1);
	for (int d = 0; d < RC_DIRECTION_COUNT; d++)
		for (gsize i = 0; i < G_N_ELEMENTS(chain_nics); i++)
			g_ptr_array_add(cases, rc_case_new("pc-q35-7.2", chain_nics[i][0],
							   (RcDirection)d, chain_nics[i][1]));
	rc_matrix_sort(cases);
	memset(&stand_in, 0, sizeof(stand_in));
	stand_in.sabotage_leg = sabotage_leg;
	g_assert_true(rc_runner_run(&config, cases, stats, &error));
	g_assert_no_error(error);
	return cases;
}

/* The case of @nic in @direction. */
static const RcCase *case_of(GPtrArray *cases, const char *nic, RcDirection direction)
{
	for (guint i = 0; i < cases->len; i++) {
		const RcCase *c = g_ptr_array_index(cases, i);

		if (strcmp(c->nic, nic) == 0 && c->direction == direction)
			return c;
	}
	g_assert_not_reached();
}

static void remove_tree(const char *dir)
{
	const char *const sub[] = {"old", "new"};

	for (gsize s = 0; s < G_N_ELEMENTS(sub); s++) {
		const char *const files[] = {"same.rom", "grows.rom"};

		for (gsize f = 0; f < G_N_ELEMENTS(files); f++) {
			g_autofree char *p = g_build_filename(dir, sub[s], files[f], NULL);

			g_unlink(p);
		}
		g_autofree char *d = g_build_filename(dir, sub[s], NULL);

		g_rmdir(d);
	}
	g_rmdir(dir);
}

/* Predicted passes chain, both directions' failures share one pair. */
static void test_chain(void)
{
	g_autofree char *dir = g_dir_make_tmp("test-runner-XXXXXX", NULL);
	RcRunnerStats stats;
	g_autoptr(GPtrArray) cases = run_stand_in(dir, 0, &stats);

	g_assert_cmpuint(stand_in.chains, ==, 1);
	g_assert_cmpuint(stand_in.pairs, ==, 1);
	g_assert_cmpuint(stats.qemus, ==, 5);
	g_assert_cmpuint(stats.chained_pairs, ==, 1);
	g_assert_cmpuint(stats.migrations, ==, 2);
	for (guint i = 0; i < cases->len; i++) {
		const RcCase *c = g_ptr_array_index(cases, i);

		g_assert_null(rc_result_check(&c->result));
		g_assert_cmpint(c->result.verdict, ==, c->result.predicted);
		g_assert_cmpint(c->result.evidence, ==,
				c->result.verdict == RC_VERDICT_PASS ? RC_EVIDENCE_MIGRATED
								     : RC_EVIDENCE_ATTRIBUTED);
	}
	remove_tree(dir);
}

/* What each pair of the device-class run carried. */
static GPtrArray *pair_log;

static RcMigrationOutcome *logging_migrate(const RcMigrationSpec *spec, gpointer data,
					   GError **error)
{
	GString *line = g_string_new(spec->src_bios ? "bios" : "");

	for (guint i = 0; i < spec->n_nics; i++)
		g_string_append_printf(line, "%s%s", line->len ? "," : "", spec->nics[i].model);
	g_ptr_array_add(pair_log, g_string_free(line, FALSE));
	return stand_in_leg(spec, FALSE, NULL);
}

/*
 * Display devices ride along with NICs, at most one a pair (one VGA-class
 * device a machine); a firmware case has a pair of its own, its image as
 * -bios and no device.
 */
static void test_device_classes(void)
{
	g_autofree char *dir = g_dir_make_tmp("test-runner-XXXXXX", NULL);
	g_autofree char *old_dir = g_build_filename(dir, "old", NULL);
	g_autofree char *new_dir = g_build_filename(dir, "new", NULL);
	g_autoptr(RcRomSet) old_set = rc_rom_set_new("old", RC_ROM_SET_DIRECTORY);
	g_autoptr(RcRomSet) new_set = rc_rom_set_new("new", RC_ROM_SET_DIRECTORY);
	g_autoptr(RcCatalog) catalog = rc_catalog_new("x86_64", "qemu-system-x86_64", "0.0-test");
	RcCatalogMachine *m = rc_catalog_add_machine(catalog, "pc-q35-7.2");
	g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);
	RcRunnerConfig config = {.old_side = {.qemu = "/q", .roms = old_set},
				 .new_side = {.qemu = "/q", .roms = new_set},
				 .catalog = catalog,
				 .jobs = 1,
				 .max_nics = RC_RUNNER_MAX_NICS,
				 .timeout_us = G_USEC_PER_SEC,
				 .migrate = logging_migrate};
	g_autoptr(GError) error = NULL;
	g_autofree char *joined = NULL;

	g_assert_cmpint(g_mkdir(old_dir, 0700), ==, 0);
	g_assert_cmpint(g_mkdir(new_dir, 0700), ==, 0);
	add_rom_file(old_set, old_dir, "same.rom", 240 * 1024);
	add_rom_file(new_set, new_dir, "same.rom", 250 * 1024);
	/* (A firmware block takes the exact size: the same on both sides.) */
	add_rom_file(old_set, old_dir, "grows.rom", 256 * 1024);
	add_rom_file(new_set, new_dir, "grows.rom", 256 * 1024);
	g_assert_true(rc_rom_set_write_files(old_set, old_dir, &error));
	g_assert_true(rc_rom_set_write_files(new_set, new_dir, &error));
	rc_catalog_machine_add_nic(m, "e1000", "same.rom", -1);
	rc_catalog_machine_add_nic(m, "rtl8139", "same.rom", -1);
	rc_catalog_machine_add_display(m, "VGA", "same.rom");
	rc_catalog_machine_add_display(m, "cirrus-vga", "same.rom");
	rc_catalog_machine_add_firmware(m, "pc.bios", "bios", "grows.rom", 256 * 1024);
	g_ptr_array_add(cases,
			rc_case_new("pc-q35-7.2", "e1000", RC_DIRECTION_OLD_TO_NEW, "same.rom"));
	g_ptr_array_add(cases,
			rc_case_new("pc-q35-7.2", "rtl8139", RC_DIRECTION_OLD_TO_NEW, "same.rom"));
	g_ptr_array_add(cases, rc_case_new_device(RC_DEVICE_CLASS_DISPLAY, "pc-q35-7.2", "VGA",
						  RC_DIRECTION_OLD_TO_NEW, "same.rom"));
	g_ptr_array_add(cases,
			rc_case_new_device(RC_DEVICE_CLASS_DISPLAY, "pc-q35-7.2", "cirrus-vga",
					   RC_DIRECTION_OLD_TO_NEW, "same.rom"));
	g_ptr_array_add(cases, rc_case_new_device(RC_DEVICE_CLASS_FIRMWARE, "pc-q35-7.2", "pc.bios",
						  RC_DIRECTION_OLD_TO_NEW, "grows.rom"));
	rc_matrix_sort(cases);
	pair_log = g_ptr_array_new_null_terminated(4, g_free, TRUE);
	g_assert_true(rc_runner_run(&config, cases, NULL, &error));
	g_assert_no_error(error);
	joined = g_strjoinv(" ", (char **)pair_log->pdata);
	g_assert_cmpstr(joined, ==, "e1000,rtl8139,VGA cirrus-vga bios");
	for (guint i = 0; i < cases->len; i++) {
		const RcCase *c = g_ptr_array_index(cases, i);

		g_assert_cmpint(c->result.verdict, ==, RC_VERDICT_PASS);
		g_assert_cmpint(c->result.evidence, ==, RC_EVIDENCE_MIGRATED);
	}
	g_ptr_array_unref(pair_log);
	remove_tree(dir);
}

/* A chain's leg that fails: its failure is QEMU's; what it left undecided,
 * and what the leg after it would have decided, run in pairs of their own. */
static void chain_leg_fails(int leg)
{
	RcDirection failing = leg == 1 ? RC_DIRECTION_OLD_TO_NEW : RC_DIRECTION_NEW_TO_OLD;
	g_autofree char *dir = g_dir_make_tmp("test-runner-XXXXXX", NULL);
	RcRunnerStats stats;
	g_autoptr(GPtrArray) cases = run_stand_in(dir, leg, &stats);
	const RcCase *e1000 = case_of(cases, "e1000", failing);

	g_assert_cmpint(e1000->result.verdict, ==, RC_VERDICT_FAIL);
	g_assert_cmpint(e1000->result.evidence, ==, RC_EVIDENCE_FAILED_ALONE);
	g_assert_cmpint(rc_case_prediction(e1000), ==, RC_PREDICTION_DISAGREES);
	for (guint i = 0; i < cases->len; i++) {
		const RcCase *c = g_ptr_array_index(cases, i);

		g_assert_null(rc_result_check(&c->result));
		if (c == e1000)
			continue;
		g_assert_cmpint(c->result.verdict, ==, c->result.predicted);
		g_assert_cmpint(c->result.evidence, !=, RC_EVIDENCE_PREDICTED);
	}
	/* rtl8139 moved to a pair of its own; after a failed leg 1, so did
	 * every new-to-old pass. */
	g_assert_cmpuint(stats.requeued_cases, ==, 1);
	g_assert_cmpuint(stand_in.pairs, ==, leg == 1 ? 3 : 2);
	remove_tree(dir);
}

static void test_chain_leg_1_fails(void)
{
	chain_leg_fails(1);
}

static void test_chain_leg_2_fails(void)
{
	chain_leg_fails(2);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/runner/predict", test_predict);
	g_test_add_func("/runner/static-verdicts", test_static_verdicts);
	g_test_add_func("/runner/chain", test_chain);
	g_test_add_func("/runner/device-classes", test_device_classes);
	g_test_add_func("/runner/chain-leg-1-fails", test_chain_leg_1_fails);
	g_test_add_func("/runner/chain-leg-2-fails", test_chain_leg_2_fails);
	return g_test_run();
}
