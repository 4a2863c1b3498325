/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * synthetic.c - test inputs built in code (see synthetic.h) and the golden
 * file check shared by the report tests.
 *
 * Golden files live in tests/golden/ (found from $SRCDIR, else from the
 * current directory, where `make check` runs).  ROMCOMPAT_UPDATE_GOLDEN=1
 * rewrites them from the current output instead of comparing; review the
 * diff before committing it.
 */
#include "synthetic.h"

#include <string.h>

static void add_pc_nics(RcCatalogMachine *machine, gboolean efi, gboolean vmxnet3_rom)
{
	rc_catalog_machine_add_nic(machine, "e1000", efi ? "efi-e1000.rom" : "pxe-e1000.rom", -1);
	if (efi)
		rc_catalog_machine_add_nic(machine, "e1000e", "efi-e1000e.rom", -1);
	rc_catalog_machine_add_nic(machine, "rtl8139", efi ? "efi-rtl8139.rom" : "pxe-rtl8139.rom",
				   -1);
	rc_catalog_machine_add_nic(machine, "tulip", "", -1);
	if (efi)
		rc_catalog_machine_add_nic(machine, "vmxnet3", vmxnet3_rom ? "efi-vmxnet3.rom" : "",
					   -1);
}

/**
 * test_catalog_new() - a small catalog shaped like QEMU's x86 one
 *
 * pc-i440fx-1.4 (pxe ROMs), pc-i440fx-2.0 (no vmxnet3 ROM), pc-i440fx-7.1,
 * pc-i440fx-7.2 (alias pc, default), pc-q35-7.1, pc-q35-7.2 (alias q35),
 * and the unversioned none, microvm and isapc; tulip never has a ROM.
 *
 * Return: the catalog
 */
RcCatalog *test_catalog_new(void)
{
	RcCatalog *catalog = rc_catalog_new("x86_64", "qemu-system-x86_64", "0.0-test");
	RcCatalogMachine *m;

	add_pc_nics(rc_catalog_add_machine(catalog, "pc-i440fx-1.4"), FALSE, FALSE);
	add_pc_nics(rc_catalog_add_machine(catalog, "pc-i440fx-2.0"), TRUE, FALSE);
	add_pc_nics(rc_catalog_add_machine(catalog, "pc-i440fx-7.1"), TRUE, TRUE);
	m = rc_catalog_add_machine(catalog, "pc-i440fx-7.2");
	m->alias = g_strdup("pc");
	m->is_default = TRUE;
	add_pc_nics(m, TRUE, TRUE);
	add_pc_nics(rc_catalog_add_machine(catalog, "pc-q35-7.1"), TRUE, TRUE);
	m = rc_catalog_add_machine(catalog, "pc-q35-7.2");
	m->alias = g_strdup("q35");
	add_pc_nics(m, TRUE, TRUE);
	rc_catalog_machine_add_nic(rc_catalog_add_machine(catalog, "none"), "e1000",
				   "efi-e1000.rom", -1);
	rc_catalog_machine_add_nic(rc_catalog_add_machine(catalog, "microvm"), "e1000",
				   "efi-e1000.rom", -1);
	rc_catalog_add_machine(catalog, "isapc");
	rc_catalog_sort(catalog);
	return catalog;
}

/**
 * test_catalog_new_large() - a catalog with many machine types
 * @machines_per_family: machine types of each of pc-i440fx and pc-q35
 *
 * Versions 1.0, 1.1, ... 1.9, 2.0, ...; NICs e1000, e1000e, rtl8139,
 * virtio-net-pci with ROMs, tulip without; plus "none".
 *
 * Return: the catalog
 */
RcCatalog *test_catalog_new_large(guint machines_per_family)
{
	static const char *const families[] = {"pc-i440fx", "pc-q35"};
	RcCatalog *catalog = rc_catalog_new("x86_64", "qemu-system-x86_64", "0.0-test");

	for (guint f = 0; f < G_N_ELEMENTS(families); f++) {
		for (guint i = 0; i < machines_per_family; i++) {
			g_autofree char *name =
				g_strdup_printf("%s-%u.%u", families[f], 1 + i / 10, i % 10);
			RcCatalogMachine *m = rc_catalog_add_machine(catalog, name);

			rc_catalog_machine_add_nic(m, "e1000", "efi-e1000.rom", -1);
			rc_catalog_machine_add_nic(m, "e1000e", "efi-e1000e.rom", -1);
			rc_catalog_machine_add_nic(m, "rtl8139", "efi-rtl8139.rom", -1);
			rc_catalog_machine_add_nic(m, "virtio-net-pci", "efi-virtio.rom", -1);
			rc_catalog_machine_add_nic(m, "tulip", "", -1);
		}
	}
	rc_catalog_machine_add_nic(rc_catalog_add_machine(catalog, "none"), "e1000",
				   "efi-e1000.rom", -1);
	rc_catalog_sort(catalog);
	return catalog;
}

/* The hand-set outcome of one synthetic case (see test_report_new()). */
static void set_synthetic_result(RcCase *c, guint i, gboolean *first_failure)
{
	gboolean q35 = g_str_has_prefix(c->machine, "pc-q35-");
	gboolean old_to_new = c->direction == RC_DIRECTION_OLD_TO_NEW;
	g_autofree char *block = g_strdup_printf("0000:00:0%d.0/%s.rom", q35 ? 1 : 2, c->nic);
	g_autofree char *message = NULL;
	RcResult r = {0};

	r.seconds = 0.025 * (1 + i % 3);
	r.predicted = RC_VERDICT_PASS;
	if (strcmp(c->nic, "e1000") == 0) {
		r.verdict = RC_VERDICT_FAIL;
		r.kind = RC_KIND_ROM_SIZE_MISMATCH;
		r.predicted = RC_VERDICT_FAIL;
		r.block = block;
		r.source_size = old_to_new ? 0x40000 : 0x80000;
		r.destination_size = old_to_new ? 0x80000 : 0x40000;
		r.evidence = *first_failure ? RC_EVIDENCE_FAILED_ALONE : RC_EVIDENCE_ATTRIBUTED;
		if (*first_failure)
			message =
				g_strdup_printf("Size mismatch: %s: 0x%" G_GINT64_MODIFIER
						"x != 0x%" G_GINT64_MODIFIER "x: Invalid argument",
						block, r.source_size, r.destination_size);
		*first_failure = FALSE;
	} else if (strcmp(c->nic, "rtl8139") == 0 && strcmp(c->machine, "pc-i440fx-7.1") == 0 &&
		   old_to_new) {
		r.verdict = RC_VERDICT_ERROR;
		r.kind = RC_KIND_QEMU_START_FAILED;
		/* Characters every report format must escape. */
		message = g_strdup("qemu-system-x86_64: -device rtl8139: failed to find romfile "
				   "\"efi-rtl8139.rom\" <&> '\x01'");
	} else if (strcmp(c->nic, "rtl8139") == 0 && strcmp(c->machine, "pc-q35-7.2") == 0 &&
		   !old_to_new) {
		r.verdict = RC_VERDICT_NOT_RUN;
		r.seconds = 0;
	} else {
		r.verdict = RC_VERDICT_PASS;
		r.kind = RC_KIND_OK;
		r.evidence = RC_EVIDENCE_MIGRATED;
		if (strcmp(c->nic, "e1000e") == 0 && strcmp(c->machine, "pc-q35-7.2") == 0 &&
		    !old_to_new)
			r.predicted = RC_VERDICT_FAIL;
	}
	r.message = message;
	g_assert_null(rc_result_check(&r));
	rc_case_set_result(c, &r);
}

static void set_metadata(RcReport *report)
{
	report->romcompat_version = g_strdup("test");
	report->scenario = g_strdup("synthetic");
	report->arch = g_strdup("x86_64");
	report->accel = RC_ACCEL_TCG;
	report->old_side.qemu = g_strdup("qemu-system-x86_64");
	report->old_side.qemu_version = g_strdup("0.0-test");
	report->old_side.roms = g_strdup("/roms/old");
	report->new_side.qemu = g_strdup("qemu-system-x86_64");
	report->new_side.qemu_version = g_strdup("0.0-test");
	report->new_side.roms = g_strdup("/roms/new");
}

/**
 * test_report_new() - a report whose results are set by hand
 *
 * pc-i440fx-7.1, pc-i440fx-7.2 and pc-q35-7.2 x e1000, e1000e, rtl8139 x
 * both directions: e1000 fails (one failed alone, the rest attributed),
 * rtl8139 on pc-i440fx-7.1 old-to-new is an error, on pc-q35-7.2
 * new-to-old not run, one e1000e case disagrees with its prediction, the
 * rest pass.
 *
 * Return: the report (shard 1/1)
 */
RcReport *test_report_new(void)
{
	g_autoptr(RcCatalog) catalog = test_catalog_new();
	g_autoptr(RcScenario) scenario = rc_scenario_new();
	g_autoptr(GPtrArray) cases = NULL;
	g_autoptr(GError) error = NULL;
	RcReport *report = rc_report_new();
	gboolean first_failure = TRUE;
	const char *machines[] = {"pc-i440fx-7.*", "pc-q35-7.2", NULL};
	const char *nics[] = {"e1000", "e1000e", "rtl8139", NULL};

	scenario->machines = g_strdupv((char **)machines);
	scenario->nics = g_strdupv((char **)nics);
	cases = rc_matrix_build(catalog, scenario, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < cases->len; i++) {
		RcCase *c = g_ptr_array_index(cases, i);

		set_synthetic_result(c, i, &first_failure);
		g_ptr_array_add(report->cases, rc_case_copy(c));
	}
	set_metadata(report);
	report->matrix_cases = cases->len;
	report->matrix_digest = rc_matrix_digest(cases);
	return report;
}

/**
 * test_report_shard() - one shard of a report, as a shard job writes it
 * @whole:	the report of the whole matrix
 * @index:	1 .. @count
 * @count:	number of shards
 *
 * Return: the shard's report
 */
RcReport *test_report_shard(const RcReport *whole, guint index, guint count)
{
	RcShard shard = {index, count};
	RcReport *report = rc_report_new();
	g_autoptr(GPtrArray) cases = rc_matrix_shard(whole->cases, &shard);

	set_metadata(report);
	report->shard = shard;
	report->matrix_cases = whole->matrix_cases;
	report->matrix_digest = g_strdup(whole->matrix_digest);
	for (guint i = 0; i < cases->len; i++)
		g_ptr_array_add(report->cases, rc_case_copy(g_ptr_array_index(cases, i)));
	return report;
}

/**
 * test_golden_path() - where a golden file lives
 * @name:	its name in tests/golden/
 *
 * Return: the path; g_free() it
 */
char *test_golden_path(const char *name)
{
	const char *srcdir = g_getenv("SRCDIR");

	return g_build_filename(srcdir ? srcdir : ".", "tests", "golden", name, NULL);
}

/**
 * test_assert_golden() - the text must equal the golden file
 * @name:	the golden file's name in tests/golden/
 * @text:	what the code under test wrote
 */
void test_assert_golden(const char *name, const char *text)
{
	g_autofree char *path = test_golden_path(name);
	g_autofree char *expected = NULL;
	g_autoptr(GError) error = NULL;

	if (g_getenv("ROMCOMPAT_UPDATE_GOLDEN")) {
		g_file_set_contents(path, text, -1, &error);
		g_assert_no_error(error);
		g_test_message("rewrote %s", path);
		return;
	}
	g_file_get_contents(path, &expected, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(text, ==, expected);
}
