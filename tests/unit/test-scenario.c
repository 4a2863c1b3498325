/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-scenario.c - scenario files: a complete file, defaults, the shipped
 * scenarios, every kind of mistake reported with its file, line and key,
 * and command-line overrides.
 */
#include <string.h>

#include "base/error.h"
#include "matrix/scenario.h"

static RcScenario *parse(const char *text, GError **error)
{
	return rc_scenario_parse(text, strlen(text), "/srv/s/test.ini", error);
}

static void test_complete(void)
{
	const char *text = "# a comment\n"
			   "[scenario]\n"
			   "name = upload-check\n"
			   "description = The archive against a build.\n"
			   "\n"
			   "[old]\n"
			   "roms = /usr/lib/ipxe/qemu\n"
			   "qemu = /opt/qemu/bin/qemu-system-x86_64\n"
			   "[new]\n"
			   "roms = ../build/roms\n"
			   "qemu = bin/qemu\n"
			   "[matrix]\n"
			   "machines = pc-i440fx-*; pc-q35-7.?;\n"
			   "exclude-machines = pc-i440fx-1.*\n"
			   "nics = e1000*;rtl8139\n"
			   "exclude-nics = e1000e\n"
			   "directions = new-to-old\n"
			   "device-classes = display; firmware\n"
			   "accel = kvm\n"
			   "timeout = 90\n"
			   "jobs = 4\n"
			   "catalog = ../machine-types/x86_64/7.2.22.json\n"
			   "[report]\n"
			   "junit = out/junit.xml\n"
			   "json = out/report.json\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(RcScenario) s = parse(text, &error);
	const char *machines[] = {"pc-i440fx-*", "pc-q35-7.?", NULL};
	const char *nics[] = {"e1000*", "rtl8139", NULL};

	g_assert_no_error(error);
	g_assert_cmpstr(s->path, ==, "/srv/s/test.ini");
	g_assert_cmpstr(s->name, ==, "upload-check");
	g_assert_cmpstr(s->description, ==, "The archive against a build.");
	g_assert_cmpstr(s->old_side.roms, ==, "/usr/lib/ipxe/qemu");
	g_assert_cmpstr(s->old_side.qemu, ==, "/opt/qemu/bin/qemu-system-x86_64");
	/* Relative paths: against the scenario's directory. */
	g_assert_cmpstr(s->new_side.roms, ==, "/srv/build/roms");
	g_assert_cmpstr(s->new_side.qemu, ==, "/srv/s/bin/qemu");
	g_assert_cmpstr(s->catalog, ==, "/srv/machine-types/x86_64/7.2.22.json");
	g_assert_true(g_strv_equal((const char *const *)s->machines, machines));
	g_assert_cmpstr(s->exclude_machines[0], ==, "pc-i440fx-1.*");
	g_assert_null(s->exclude_machines[1]);
	g_assert_true(g_strv_equal((const char *const *)s->nics, nics));
	g_assert_cmpstr(s->exclude_nics[0], ==, "e1000e");
	g_assert_false(rc_scenario_has_direction(s, RC_DIRECTION_OLD_TO_NEW));
	g_assert_true(rc_scenario_has_direction(s, RC_DIRECTION_NEW_TO_OLD));
	g_assert_cmpuint(s->device_classes, ==,
			 RC_DEVICE_CLASS_BIT(RC_DEVICE_CLASS_DISPLAY) |
				 RC_DEVICE_CLASS_BIT(RC_DEVICE_CLASS_FIRMWARE));
	g_assert_cmpint(s->accel, ==, RC_ACCEL_KVM);
	g_assert_cmpuint(s->timeout_s, ==, 90);
	g_assert_cmpuint(s->jobs, ==, 4);
	/* Report files: where the command runs. */
	g_assert_cmpstr(s->junit, ==, "out/junit.xml");
	g_assert_cmpstr(s->json, ==, "out/report.json");
}

/* Found by fuzz-scenario: a malformed debian: source was kept unresolved. */
static void test_package_sources(void)
{
	const char *good = "[old]\nroms=debian:ipxe-qemu=1.0-1\n[new]\nroms=debian:ipxe-qemu\n"
			   "qemu=debian:qemu-system-x86\n";
	const char *bad = "[old]\nroms=/a\n[new]\n\nroms=debian:b/ipxe/qemu\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(RcScenario) s = rc_scenario_parse(good, strlen(good), "s.ini", &error);
	g_autoptr(RcScenario) t = NULL;

	g_assert_no_error(error);
	g_assert_cmpstr(s->old_side.roms, ==, "debian:ipxe-qemu=1.0-1");
	g_assert_cmpstr(s->new_side.qemu, ==, "debian:qemu-system-x86");
	t = rc_scenario_parse(bad, strlen(bad), "t.ini", &error);
	g_assert_null(t);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "t.ini:5: [new] not a package source"));
}

static void test_defaults(void)
{
	g_autoptr(GError) error = NULL;
	const char *text = "[old]\nroms=a\n[new]\nroms=b\n";
	g_autoptr(RcScenario) s =
		rc_scenario_parse(text, strlen(text), "dir/my scenario.ini", &error);
	g_autofree char *cwd = g_get_current_dir();
	g_autofree char *expected = g_build_filename(cwd, "dir", "a", NULL);

	g_assert_no_error(error);
	g_assert_cmpstr(s->name, ==, "my_scenario");
	g_assert_null(s->description);
	g_assert_cmpstr(s->old_side.roms, ==, expected);
	g_assert_cmpstr(s->old_side.qemu, ==, "qemu-system-x86_64");
	g_assert_null(s->machines);
	g_assert_null(s->nics);
	g_assert_cmpuint(s->directions, ==, RC_DIRECTIONS_BOTH);
	g_assert_cmpint(s->accel, ==, RC_ACCEL_TCG);
	g_assert_cmpuint(s->timeout_s, ==, 30);
	g_assert_cmpuint(s->jobs, ==, 0);
	g_assert_null(s->junit);
	g_assert_true(rc_scenario_check_ready(s, &error));
}

static void test_shipped(void)
{
	const char *srcdir = g_getenv("SRCDIR") ? g_getenv("SRCDIR") : ".";
	const char *files[] = {"ipxe-upload.ini", "stable-update.ini"};

	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *path = g_build_filename(srcdir, "scenarios", files[i], NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(RcScenario) s = rc_scenario_load(path, &error);

		g_assert_no_error(error);
		g_assert_cmpstr(s->old_side.roms, ==, "/usr/lib/ipxe/qemu");
		/* A path is made absolute; a package source stays as it is. */
		g_assert_true(g_path_is_absolute(s->new_side.roms) ||
			      g_str_has_prefix(s->new_side.roms, "debian:"));
		g_assert_cmpuint(s->directions, ==, RC_DIRECTIONS_BOTH);
		g_assert_nonnull(s->junit);
		/* No device-classes key: every class the sets hold. */
		g_assert_cmpuint(s->device_classes, ==, 0);
	}
}

/* Every mistake: its message starts with "FILE:LINE: " and names the key. */
static void test_errors(void)
{
	static const struct {
		const char *text;
		const char *expected;
	} cases[] = {
		{"[old]\nroms = a\nthis is not a key\n",
		 "test.ini:3: 'this is not a key' is neither"},
		{"roms = a\n[old]\n", "test.ini:1: key 'roms' comes before any [group]"},
		{"[old]\nroms=a\n[olde]\n", "test.ini:3: unknown group [olde]"},
		{"[old]\nroms=a\n[new]\nroms=b\n[matrix]\nmachine = pc-*\n",
		 "test.ini:6: [matrix] has no key 'machine' (keys: machines, "},
		{"[old]\nroms=a\nroms=b\n",
		 "test.ini:3: [old] roms is set twice (first on line 2)"},
		{"[old]\nroms=a\n[new]\nroms=b\n[old]\nqemu=q\n",
		 "test.ini:5: group [old] appears twice (first on line 1)"},
		{"[old\nroms=a\n", "test.ini:1: a group header is written [name]"},
		{"[old]\n= a\n", "test.ini:2: a key name is missing"},
		{"[old]\nroms=a\n[new]\nroms=b\n[matrix]\ntimeout = soon\n",
		 "test.ini:6: [matrix] timeout: 'soon' is not a number of seconds (1 .. 3600)"},
		{"[old]\nroms=a\n[new]\nroms=b\n[matrix]\ntimeout = 0\n",
		 "test.ini:6: [matrix] timeout: '0' is not a number"},
		{"[old]\nroms=a\n[new]\nroms=b\n[matrix]\n\njobs = -1\n",
		 "test.ini:7: [matrix] jobs: '-1' is not a number of jobs"},
		{"[old]\nroms=a\n[new]\nroms=b\n[matrix]\nmachines =\n",
		 "test.ini:6: [matrix] machines: the list is empty"},
		{"[old]\nroms=a\n[new]\nroms=b\n[matrix]\nnics = e1000;;rtl8139\n",
		 "test.ini:6: [matrix] nics: the list has an empty element"},
		{"[old]\nroms=a\n[new]\nroms=b\n[matrix]\nmachines = pc,romfile=x\n",
		 "test.ini:6: [matrix] machines: 'pc,romfile=x' is not a glob"},
		{"[old]\nroms=a\n[new]\nroms=b\n[matrix]\ndirections = old-to-new;sideways\n",
		 "test.ini:6: [matrix] directions: 'sideways' is not a direction"},
		{"[old]\nroms=a\n[new]\nroms=b\n[matrix]\ndevice-classes = nic;gpu\n",
		 "test.ini:6: [matrix] device-classes: 'gpu' is not a device class (nic, display, "
		 "firmware)"},
		{"[old]\nroms=a\n[new]\nroms=b\n[matrix]\naccel = hvf\n",
		 "test.ini:6: [matrix] accel: 'hvf' is not an accelerator"},
		{"[old]\nroms=a\n[new]\nroms=b\n[matrix]\ncatalog =\n",
		 "test.ini:6: [matrix] catalog is empty"},
		{"[old]\nroms=a\n[new]\nroms=b\n[scenario]\nname = two words\n",
		 "test.ini:6: [scenario] name: 'two words' is not a short name"},
		{"[old]\nroms = a\\qb\n[new]\nroms=b\n", "test.ini:2: [old] roms: "},
		{"[old]\nroms=a\n", "test.ini: no [new] group"},
		{"[old]\nroms=a\n[new]\nqemu=q\n", "test.ini:3: [new] roms is missing"},
		{"[old]\nroms=\xff\n", "test.ini:2: not UTF-8 text"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RcScenario) s = parse(cases[i].text, &error);

		if (s)
			g_error("case %u: accepted", i);
		g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
		if (!strstr(error->message, cases[i].expected))
			g_error("case %u: '%s' does not contain '%s'", i, error->message,
				cases[i].expected);
		g_assert_true(g_str_has_prefix(error->message, "/srv/s/test.ini"));
	}
}

static void test_nul_byte(void)
{
	const char text[] = "[old]\nroms=a\n\0[new]\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(RcScenario) s = rc_scenario_parse(text, sizeof(text) - 1, "n.ini", &error);

	g_assert_null(s);
	g_assert_cmpstr(error->message, ==, "n.ini:3: a NUL byte: not a text file");
}

static void test_crlf(void)
{
	const char *text = "[old]\r\nroms = a\r\n[new]\r\nroms = b\r\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(RcScenario) s = parse(text, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(s->new_side.roms, ==, "/srv/s/b");
}

static void test_overrides(void)
{
	g_autoptr(RcScenario) s = rc_scenario_new();
	g_autoptr(GError) error = NULL;
	g_autofree char *cwd = g_get_current_dir();
	g_autofree char *expected_new = g_build_filename(cwd, "build", "roms", NULL);
	RcScenarioOverrides o = {.old_roms = "/usr/lib/ipxe/qemu",
				 .new_roms = "build/roms",
				 .new_qemu = "qemu-system-x86_64-new",
				 .machines = "pc-q35-*,pc-i440fx-7.2",
				 .exclude_nics = "tulip;vmxnet3",
				 .directions = "both",
				 .accel = "auto",
				 .timeout = "5",
				 .jobs = "0",
				 .json = "-"};

	g_assert_false(rc_scenario_check_ready(s, &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_USAGE);
	g_assert_nonnull(strstr(error->message, "--old"));
	g_clear_error(&error);

	g_assert_true(rc_scenario_apply_overrides(s, &o, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(s->new_side.roms, ==, expected_new);
	g_assert_cmpstr(s->new_side.qemu, ==, "qemu-system-x86_64-new");
	g_assert_cmpstr(s->machines[1], ==, "pc-i440fx-7.2");
	g_assert_cmpstr(s->exclude_nics[1], ==, "vmxnet3");
	g_assert_cmpint(s->accel, ==, RC_ACCEL_AUTO);
	g_assert_cmpuint(s->timeout_s, ==, 5);
	g_assert_cmpstr(s->json, ==, "-");
	g_assert_true(rc_scenario_check_ready(s, &error));
}

static void test_override_errors(void)
{
	static const struct {
		RcScenarioOverrides o;
		const char *expected;
	} cases[] = {
		{{.directions = "up"}, "--direction: 'up' is not a direction"},
		{{.machines = "pc,x=1"}, "--machines: 'x=1' is not a glob"},
		{{.nics = ""}, "--nics: the list is empty"},
		{{.timeout = "1m"}, "--timeout: '1m' is not a number of seconds"},
		{{.jobs = "1000"}, "--jobs: '1000' is not a number"},
		{{.accel = "xen"}, "--accel: 'xen' is not an accelerator"},
		{{.new_roms = ""}, "--new: empty value"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(RcScenario) s = rc_scenario_new();
		g_autoptr(GError) error = NULL;

		g_assert_false(rc_scenario_apply_overrides(s, &cases[i].o, &error));
		g_assert_error(error, RC_ERROR, RC_ERROR_USAGE);
		if (!g_str_has_prefix(error->message, cases[i].expected))
			g_error("case %u: %s", i, error->message);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scenario/complete", test_complete);
	g_test_add_func("/scenario/defaults", test_defaults);
	g_test_add_func("/scenario/package-sources", test_package_sources);
	g_test_add_func("/scenario/shipped", test_shipped);
	g_test_add_func("/scenario/errors", test_errors);
	g_test_add_func("/scenario/nul-byte", test_nul_byte);
	g_test_add_func("/scenario/crlf", test_crlf);
	g_test_add_func("/scenario/overrides", test_overrides);
	g_test_add_func("/scenario/override-errors", test_override_errors);
	return g_test_run();
}
