/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-matrix.c - case generation (glob selection, versioned machine types
 * only by default, or where a catalog has none every machine type that
 * loads a ROM; NICs with a ROM only), order, groups per QEMU pair, and
 * sharding: for N in 1..7 the shards are disjoint, together the whole
 * matrix, keep groups whole, and are the same every time.
 */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "matrix/matrix.h"
#include "synthetic.h"

static GPtrArray *build(const RcCatalog *catalog, const char *machines, const char *nics,
			const char *exclude_machines, const char *exclude_nics,
			const char *directions, GError **error)
{
	g_autoptr(RcScenario) scenario = rc_scenario_new();
	RcScenarioOverrides o = {.machines = machines,
				 .nics = nics,
				 .exclude_machines = exclude_machines,
				 .exclude_nics = exclude_nics,
				 .directions = directions};

	g_assert_true(rc_scenario_apply_overrides(scenario, &o, NULL));
	return rc_matrix_build(catalog, scenario, error);
}

/* The cases as "machine nic direction romfile" lines, in list order. */
static char *describe(GPtrArray *cases)
{
	GString *text = g_string_new(NULL);

	for (guint i = 0; i < cases->len; i++) {
		const RcCase *c = g_ptr_array_index(cases, i);
		g_autofree char *name = rc_case_name(c);

		g_string_append_printf(text, "%s %s\n", name, c->romfile);
	}
	return g_string_free(text, FALSE);
}

static void test_default_selection(void)
{
	g_autoptr(RcCatalog) catalog = test_catalog_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) cases = build(catalog, NULL, NULL, NULL, NULL, NULL, &error);
	g_autofree char *text = NULL;

	g_assert_no_error(error);
	/*
	 * 1.4: e1000, rtl8139 (pxe); 2.0: e1000, e1000e, rtl8139 (no vmxnet3
	 * ROM); four 7.x machine types: e1000, e1000e, rtl8139, vmxnet3; never
	 * tulip, never none/microvm/isapc; both directions.
	 */
	g_assert_cmpuint(cases->len, ==, (2 + 3 + 4 * 4) * 2);
	text = describe(cases);
	g_assert_true(g_str_has_prefix(text, "pc-i440fx-1.4 e1000 old-to-new pxe-e1000.rom\n"
					     "pc-i440fx-1.4 rtl8139 old-to-new pxe-rtl8139.rom\n"
					     "pc-i440fx-1.4 e1000 new-to-old pxe-e1000.rom\n"));
	g_assert_null(strstr(text, "tulip"));
	g_assert_null(strstr(text, "none "));
	g_assert_null(strstr(text, "microvm"));
	g_assert_null(strstr(text, "pc-i440fx-2.0 vmxnet3"));
	g_assert_nonnull(strstr(text, "pc-q35-7.2 vmxnet3 new-to-old efi-vmxnet3.rom\n"));
}

/* A riscv64-like catalog: no versioned machine type, one that takes NICs. */
static void test_default_unversioned(void)
{
	g_autoptr(RcCatalog) catalog = rc_catalog_new("riscv64", "qemu-system-riscv64", "7.2.0");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) cases = NULL;
	g_autoptr(GPtrArray) globbed = NULL;
	g_autofree char *text = NULL;
	RcCatalogMachine *virt = rc_catalog_add_machine(catalog, "virt");
	RcCatalogMachine *none = rc_catalog_add_machine(catalog, "none");

	rc_catalog_machine_add_nic(virt, "e1000", "efi-e1000.rom", -1);
	rc_catalog_machine_add_nic(virt, "tulip", "", -1);
	rc_catalog_machine_add_nic(none, "tulip", "", -1);
	rc_catalog_add_machine(catalog, "spike"); /* no PCI bus: no NIC */
	rc_catalog_sort(catalog);
	g_assert_false(rc_catalog_has_versioned(catalog));
	cases = build(catalog, NULL, NULL, NULL, NULL, "old-to-new", &error);
	g_assert_no_error(error);
	text = describe(cases);
	g_assert_cmpstr(text, ==, "virt e1000 old-to-new efi-e1000.rom\n");
	globbed = build(catalog, "v*", NULL, NULL, NULL, "old-to-new", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(globbed->len, ==, 1);
	g_assert_null(build(catalog, "sp*", NULL, NULL, NULL, NULL, &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "no machine type of that name on which a NIC"));
}

static void test_globs(void)
{
	g_autoptr(RcCatalog) catalog = test_catalog_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) q35 =
		build(catalog, "pc-q35-*", "e1000*", NULL, "e1000e", "old-to-new", &error);
	g_autoptr(GPtrArray) named = NULL;
	g_autoptr(GPtrArray) star = NULL;
	g_autofree char *text = NULL;

	g_assert_no_error(error);
	text = describe(q35);
	g_assert_cmpstr(text, ==,
			"pc-q35-7.1 e1000 old-to-new efi-e1000.rom\n"
			"pc-q35-7.2 e1000 old-to-new efi-e1000.rom\n");
	g_clear_pointer(&text, g_free);

	/* Unversioned machine types only when named; an alias names its machine type. */
	named = build(catalog, "microvm,none,pc", "e1000", NULL, NULL, "new-to-old", &error);
	g_assert_no_error(error);
	text = describe(named);
	g_assert_cmpstr(text, ==,
			"microvm e1000 new-to-old efi-e1000.rom\n"
			"none e1000 new-to-old efi-e1000.rom\n"
			"pc-i440fx-7.2 e1000 new-to-old efi-e1000.rom\n");
	g_clear_pointer(&text, g_free);

	/* A wildcard never selects an unversioned machine type. */
	star = build(catalog, "*", "e1000", "pc-i440fx-1.*,pc-i440fx-2.*", NULL, "old-to-new",
		     &error);
	g_assert_no_error(error);
	text = describe(star);
	g_assert_cmpstr(text, ==,
			"pc-i440fx-7.1 e1000 old-to-new efi-e1000.rom\n"
			"pc-i440fx-7.2 e1000 old-to-new efi-e1000.rom\n"
			"pc-q35-7.1 e1000 old-to-new efi-e1000.rom\n"
			"pc-q35-7.2 e1000 old-to-new efi-e1000.rom\n");
}

static void test_selection_errors(void)
{
	static const struct {
		const char *machines, *nics, *exclude_machines;
		const char *expected;
	} cases[] = {
		{"pc-foo-*", NULL, NULL, "machine types 'pc-foo-*': QEMU 0.0-test (x86_64) has no"},
		{"isapc*", NULL, NULL, "machine types 'isapc*'"},
		{NULL, "tulip", NULL, "NIC models 'tulip': no NIC model"},
		{NULL, "e100", NULL, "NIC models 'e100'"},
		{"pc-q35-*", NULL, "pc-q35-*", "selects no case"},
		{"isapc", NULL, NULL, "selects no case"},
	};
	g_autoptr(RcCatalog) catalog = test_catalog_new();

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) got = build(catalog, cases[i].machines, cases[i].nics,
						 cases[i].exclude_machines, NULL, NULL, &error);

		if (got)
			g_error("case %u: accepted", i);
		g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
		if (!strstr(error->message, cases[i].expected))
			g_error("case %u: '%s' does not contain '%s'", i, error->message,
				cases[i].expected);
	}
}

static void test_versioned(void)
{
	const char *versioned[] = {"pc-i440fx-7.2",	"pc-1.3",
				   "pc-q35-2.12",	"virt-7.2",
				   "pseries-2.12-sxxm", "s390-ccw-virtio-4.0"};
	const char *unversioned[] = {"pc",   "q35",	 "none", "isapc", "microvm", "x-remote",
				     "virt", "sbsa-ref", "pc-7", "pc-7.", "pc-.7",   "pc-1.2a"};

	for (guint i = 0; i < G_N_ELEMENTS(versioned); i++)
		g_assert_true(rc_machine_is_versioned(versioned[i]));
	for (guint i = 0; i < G_N_ELEMENTS(unversioned); i++)
		if (rc_machine_is_versioned(unversioned[i]))
			g_error("%s taken for versioned", unversioned[i]);
}

static void test_order_and_groups(void)
{
	g_autoptr(RcCatalog) catalog = test_catalog_new_large(12);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) cases = build(catalog, NULL, NULL, NULL, NULL, NULL, &error);
	g_autoptr(GPtrArray) groups = NULL;
	guint total = 0;

	g_assert_no_error(error);
	g_assert_cmpuint(cases->len, ==, 2 * 12 * 4 * 2);
	for (guint i = 1; i < cases->len; i++)
		g_assert_cmpint(rc_case_compare(g_ptr_array_index(cases, i - 1),
						g_ptr_array_index(cases, i)),
				<, 0);
	/* Version order: 1.9 before 2.0 (1.10 does not exist here, 2.0 does). */
	g_assert_cmpstr(((RcCase *)g_ptr_array_index(cases, 9 * 8))->machine, ==, "pc-i440fx-1.9");
	g_assert_cmpstr(((RcCase *)g_ptr_array_index(cases, 10 * 8))->machine, ==, "pc-i440fx-2.0");

	groups = rc_matrix_groups(cases);
	g_assert_cmpuint(groups->len, ==, 2 * 12 * 2);
	for (guint g = 0; g < groups->len; g++) {
		const RcCaseGroup *group = g_ptr_array_index(groups, g);

		g_assert_cmpuint(group->cases->len, ==, 4);
		for (guint i = 0; i < group->cases->len; i++) {
			const RcCase *c = g_ptr_array_index(group->cases, i);

			g_assert_cmpstr(c->machine, ==, group->machine);
			g_assert_cmpint(c->direction, ==, group->direction);
		}
		total += group->cases->len;
	}
	g_assert_cmpuint(total, ==, cases->len);
}

/* The shard property, for every N in 1..7 over a 55-per-family matrix. */
static void test_shard_property(void)
{
	g_autoptr(RcCatalog) catalog = test_catalog_new_large(55);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) cases = build(catalog, NULL, NULL, NULL, NULL, NULL, &error);
	g_autofree char *whole = describe(cases);

	g_assert_no_error(error);
	for (guint n = 1; n <= 7; n++) {
		/* Case, and (machine, direction) group, to the shard holding it. */
		g_autoptr(GHashTable) owner =
			g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		g_autoptr(GHashTable) group_owner =
			g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		g_autoptr(GPtrArray) all =
			g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);
		g_autofree char *united = NULL;
		guint smallest = G_MAXUINT, largest = 0;

		for (guint k = 1; k <= n; k++) {
			RcShard shard = {k, n};
			g_autoptr(GPtrArray) part = rc_matrix_shard(cases, &shard);
			g_autoptr(GPtrArray) again = rc_matrix_shard(cases, &shard);
			g_autofree char *part_text = describe(part);
			g_autofree char *again_text = describe(again);

			/* Deterministic. */
			g_assert_cmpstr(part_text, ==, again_text);
			smallest = MIN(smallest, part->len);
			largest = MAX(largest, part->len);
			for (guint i = 0; i < part->len; i++) {
				RcCase *c = g_ptr_array_index(part, i);
				g_autofree char *group = g_strdup_printf(
					"%s %s", c->machine, rc_direction_to_string(c->direction));
				const char *previous = g_hash_table_lookup(group_owner, group);

				/* Disjoint. */
				g_assert_true(g_hash_table_insert(owner, rc_case_name(c),
								  g_strdup_printf("%u", k)));
				/* Whole groups. */
				g_assert_true(!previous || (guint)atoi(previous) == k);
				g_hash_table_insert(group_owner, g_steal_pointer(&group),
						    g_strdup_printf("%u", k));
				g_ptr_array_add(all, rc_case_copy(c));
			}
		}
		/* Together, the whole matrix. */
		rc_matrix_sort(all);
		united = describe(all);
		g_assert_cmpstr(united, ==, whole);
		/* Balanced to within one group (4 cases). */
		g_assert_cmpuint(largest - smallest, <=, 4);
	}
}

static void test_shard_parse(void)
{
	const char *bad[] = {"",    "1",     "0/2",  "3/2",    "1/0",
			     "a/b", "1/2/3", "-1/2", "1/1025", " 1/2"};
	g_autoptr(GError) error = NULL;
	RcShard shard;

	g_assert_true(rc_shard_parse("2/7", &shard, &error));
	g_assert_cmpuint(shard.index, ==, 2);
	g_assert_cmpuint(shard.count, ==, 7);
	g_assert_true(rc_shard_parse("1/1", &shard, &error));
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_assert_false(rc_shard_parse(bad[i], &shard, &error));
		g_assert_error(error, RC_ERROR, RC_ERROR_USAGE);
		g_assert_nonnull(strstr(error->message, "--shard"));
		g_clear_error(&error);
	}
}

static void test_digest(void)
{
	g_autoptr(RcCatalog) catalog = test_catalog_new();
	g_autoptr(GPtrArray) cases = build(catalog, NULL, NULL, NULL, NULL, NULL, NULL);
	g_autoptr(GPtrArray) fewer = build(catalog, NULL, NULL, NULL, "vmxnet3", NULL, NULL);
	g_autofree char *digest = rc_matrix_digest(cases);
	g_autofree char *same = NULL;
	g_autofree char *other = rc_matrix_digest(fewer);
	RcResult r = {
		.verdict = RC_VERDICT_PASS, .kind = RC_KIND_OK, .evidence = RC_EVIDENCE_MIGRATED};

	g_assert_cmpuint(strlen(digest), ==, 64);
	g_assert_cmpstr(digest, !=, other);
	/* Results and order do not change it. */
	rc_case_set_result(g_ptr_array_index(cases, 0), &r);
	for (guint i = 0, j = cases->len - 1; i < j; i++, j--) {
		gpointer swap = cases->pdata[i];

		cases->pdata[i] = cases->pdata[j];
		cases->pdata[j] = swap;
	}
	same = rc_matrix_digest(cases);
	g_assert_cmpstr(digest, ==, same);
}

/*
 * A matrix of NICs only keeps the digest it had before there were device
 * classes (the lines "MACHINE NIC DIRECTION ROMFILE"), so that shards and
 * reports of earlier runs still merge; a display or firmware case folds
 * its class in, so the same names in another class make another matrix.
 */
static void test_digest_classes(void)
{
	g_autoptr(GPtrArray) nics = g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);
	g_autoptr(GPtrArray) display = g_ptr_array_new_with_free_func((GDestroyNotify)rc_case_free);
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_autofree char *digest = NULL;
	g_autofree char *other = NULL;
	g_autofree char *name = NULL;

	g_ptr_array_add(nics, rc_case_new("pc-i440fx-7.2", "e1000", RC_DIRECTION_NEW_TO_OLD,
					  "efi-e1000.rom"));
	g_ptr_array_add(nics, rc_case_new("pc-i440fx-7.2", "e1000", RC_DIRECTION_OLD_TO_NEW,
					  "efi-e1000.rom"));
	g_checksum_update(sum,
			  (const guchar *)"pc-i440fx-7.2 e1000 old-to-new efi-e1000.rom\n"
					  "pc-i440fx-7.2 e1000 new-to-old efi-e1000.rom\n",
			  -1);
	digest = rc_matrix_digest(nics);
	g_assert_cmpstr(digest, ==, g_checksum_get_string(sum));
	g_ptr_array_add(display,
			rc_case_new_device(RC_DEVICE_CLASS_DISPLAY, "pc-i440fx-7.2", "e1000",
					   RC_DIRECTION_OLD_TO_NEW, "efi-e1000.rom"));
	g_ptr_array_add(display,
			rc_case_new_device(RC_DEVICE_CLASS_DISPLAY, "pc-i440fx-7.2", "e1000",
					   RC_DIRECTION_NEW_TO_OLD, "efi-e1000.rom"));
	other = rc_matrix_digest(display);
	g_assert_cmpstr(digest, !=, other);
	/* A copy keeps the class; firmware cases are named with their image. */
	rc_case_free(g_ptr_array_steal_index(display, 1));
	g_ptr_array_add(display, rc_case_copy(g_ptr_array_index(display, 0)));
	g_assert_cmpint(((RcCase *)g_ptr_array_index(display, 1))->device_class, ==,
			RC_DEVICE_CLASS_DISPLAY);
	g_ptr_array_add(display,
			rc_case_new_device(RC_DEVICE_CLASS_FIRMWARE, "pc-q35-7.2", "pc.bios",
					   RC_DIRECTION_OLD_TO_NEW, "bios-256k.bin"));
	name = rc_case_name(g_ptr_array_index(display, 2));
	g_assert_cmpstr(name, ==, "pc-q35-7.2 pc.bios(bios-256k.bin) old-to-new");
}

static void test_result_check(void)
{
	RcResult pass = {
		.verdict = RC_VERDICT_PASS, .kind = RC_KIND_OK, .evidence = RC_EVIDENCE_MIGRATED};
	RcResult fail = {.verdict = RC_VERDICT_FAIL,
			 .kind = RC_KIND_ROM_SIZE_MISMATCH,
			 .evidence = RC_EVIDENCE_ATTRIBUTED,
			 .predicted = RC_VERDICT_FAIL};
	RcResult bad = fail;
	RcCase *c = rc_case_new("pc-q35-7.2", "e1000", RC_DIRECTION_NEW_TO_OLD, "efi-e1000.rom");

	g_assert_null(rc_result_check(&pass));
	g_assert_null(rc_result_check(&fail));
	bad.evidence = RC_EVIDENCE_MIGRATED;
	g_assert_nonnull(rc_result_check(&bad));
	bad = pass;
	bad.kind = RC_KIND_TIMEOUT;
	g_assert_nonnull(rc_result_check(&bad));
	bad = fail;
	bad.verdict = RC_VERDICT_ERROR;
	g_assert_nonnull(rc_result_check(&bad));

	g_assert_cmpint(rc_case_prediction(c), ==, RC_PREDICTION_NONE);
	rc_case_set_result(c, &fail);
	g_assert_cmpint(rc_case_prediction(c), ==, RC_PREDICTION_AGREES);
	pass.predicted = RC_VERDICT_FAIL;
	rc_case_set_result(c, &pass);
	g_assert_cmpint(rc_case_prediction(c), ==, RC_PREDICTION_DISAGREES);
	pass.evidence = RC_EVIDENCE_PREDICTED;
	rc_case_set_result(c, &pass);
	g_assert_cmpint(rc_case_prediction(c), ==, RC_PREDICTION_NONE);
	rc_case_free(c);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/matrix/default-selection", test_default_selection);
	g_test_add_func("/matrix/default-unversioned", test_default_unversioned);
	g_test_add_func("/matrix/globs", test_globs);
	g_test_add_func("/matrix/selection-errors", test_selection_errors);
	g_test_add_func("/matrix/versioned", test_versioned);
	g_test_add_func("/matrix/order-and-groups", test_order_and_groups);
	g_test_add_func("/matrix/shard-property", test_shard_property);
	g_test_add_func("/matrix/shard-parse", test_shard_parse);
	g_test_add_func("/matrix/digest", test_digest);
	g_test_add_func("/matrix/digest-classes", test_digest_classes);
	g_test_add_func("/matrix/result-check", test_result_check);
	return g_test_run();
}
