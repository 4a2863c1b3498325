/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-catalog.c - the machine-type catalog: round trip through the file
 * format, canonical output, and validation errors naming file and JSON path
 * (above all: no ',' or '=' can reach a QEMU option).
 */
#include <glib/gstdio.h>
#include <string.h>

#include "qemu/catalog.h"
#include "base/error.h"
#include "synthetic.h"

static void test_round_trip(void)
{
	g_autoptr(RcCatalog) catalog = test_catalog_new();
	g_autofree char *dir = g_dir_make_tmp("romcompat-catalog-XXXXXX", NULL);
	g_autofree char *path = rc_catalog_path(dir, "x86_64", "0.0-test");
	g_autofree char *arch_dir = g_path_get_dirname(path);
	g_autofree char *text = NULL;
	g_autofree char *again = NULL;
	g_autoptr(RcCatalog) loaded = NULL;
	g_autoptr(GError) error = NULL;
	const RcCatalogMachine *pc;

	g_assert_true(g_str_has_suffix(path, "/x86_64/0.0-test.json"));
	g_assert_cmpint(g_mkdir_with_parents(arch_dir, 0700), ==, 0);
	catalog->qemu_package = g_strdup("Debian 1:7.2+dfsg-7+deb12u18+b3");
	/* A romsize, to see it survive the round trip. */
	((RcCatalogNic *)rc_catalog_machine_find_nic(
		 rc_catalog_find_machine(catalog, "pc-i440fx-1.4"), "e1000"))
		->romsize = 0x40000;
	g_assert_true(rc_catalog_save(catalog, path, &error));
	g_assert_no_error(error);
	loaded = rc_catalog_load(path, &error);
	g_assert_no_error(error);
	text = rc_catalog_to_string(catalog);
	again = rc_catalog_to_string(loaded);
	g_assert_cmpstr(text, ==, again);
	g_assert_cmpstr(loaded->qemu_package, ==, "Debian 1:7.2+dfsg-7+deb12u18+b3");
	pc = rc_catalog_find_machine(loaded, "pc");
	g_assert_nonnull(pc);
	g_assert_cmpstr(pc->name, ==, "pc-i440fx-7.2");
	g_assert_true(pc->is_default);
	g_assert_cmpstr(rc_catalog_machine_find_nic(pc, "tulip")->romfile, ==, "");
	g_assert_cmpint(rc_catalog_machine_find_nic(pc, "e1000")->romsize, ==, -1);
	g_assert_cmpint(rc_catalog_machine_find_nic(
				rc_catalog_find_machine(loaded, "pc-i440fx-1.4"), "e1000")
				->romsize,
			==, 0x40000);
	g_assert_cmpuint(rc_catalog_machine_memory_mib(loaded, pc), ==, 1);
	g_assert_null(rc_catalog_find_machine(loaded, "pc-i440fx-9.9"));
	g_unlink(path);
	g_rmdir(arch_dir);
	g_rmdir(dir);
}

/* Any member order and machine order in: one canonical text out. */
static void test_canonical(void)
{
	const char *text =
		"{\"machines\": [\n"
		"  {\"nics\": [{\"romfile\": \"efi-e1000e.rom\", \"model\": \"e1000e\"},\n"
		"            {\"model\": \"e1000\", \"romfile\": \"efi-e1000.rom\", \"romsize\": null}],\n"
		"   \"name\": \"pc-q35-1.10\"},\n"
		"  {\"name\": \"pc-q35-1.9\", \"nics\": [], \"memory-mib\": 1024}],\n"
		" \"memory-mib\": 64, \"generated-by\": \"romcompat machines\", \"format\": 1,\n"
		" \"qemu\": {\"version\": \"7.2.22\", \"binary\": \"qemu-system-x86_64\"},\n"
		" \"arch\": \"x86_64\"}\n";
	const char *expected = "{\n"
			       "  \"arch\": \"x86_64\",\n"
			       "  \"format\": 1,\n"
			       "  \"generated-by\": \"romcompat machines\",\n"
			       "  \"machines\": [\n"
			       "    {\n"
			       "      \"deprecated\": false,\n"
			       "      \"is-default\": false,\n"
			       "      \"memory-mib\": 1024,\n"
			       "      \"name\": \"pc-q35-1.9\",\n"
			       "      \"nics\": [\n"
			       "      ]\n"
			       "    },\n"
			       "    {\n"
			       "      \"deprecated\": false,\n"
			       "      \"is-default\": false,\n"
			       "      \"name\": \"pc-q35-1.10\",\n"
			       "      \"nics\": [\n"
			       "        {\n"
			       "          \"model\": \"e1000\",\n"
			       "          \"romfile\": \"efi-e1000.rom\",\n"
			       "          \"romsize\": null\n"
			       "        },\n"
			       "        {\n"
			       "          \"model\": \"e1000e\",\n"
			       "          \"romfile\": \"efi-e1000e.rom\",\n"
			       "          \"romsize\": null\n"
			       "        }\n"
			       "      ]\n"
			       "    }\n"
			       "  ],\n"
			       "  \"memory-mib\": 64,\n"
			       "  \"qemu\": {\n"
			       "    \"binary\": \"qemu-system-x86_64\",\n"
			       "    \"version\": \"7.2.22\"\n"
			       "  }\n"
			       "}\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(RcCatalog) catalog = rc_catalog_parse(text, strlen(text), "c.json", &error);
	g_autofree char *out = NULL;

	g_assert_no_error(error);
	out = rc_catalog_to_string(catalog);
	g_assert_cmpstr(out, ==, expected);
}

static const char valid_head[] =
	"{\"format\": 1, \"arch\": \"x86_64\", \"generated-by\": \"romcompat machines\",\n"
	" \"qemu\": {\"binary\": \"qemu-system-x86_64\", \"version\": \"7.2.22\"},\n"
	" \"memory-mib\": 64,\n";

static void test_errors(void)
{
	static const struct {
		const char *machines;
		const char *expected;
	} cases[] = {
		{"\"machines\": [{\"name\": \"pc-i440fx-7.2\", \"nics\": [{\"model\": "
		 "\"e1000,romfile=/etc/passwd\", \"romfile\": \"\"}]}]}",
		 "m.json: $.machines[0].nics[0].model: 'e1000,romfile=/etc/passwd' is not a name"},
		{"\"machines\": [{\"name\": \"pc\", \"nics\": [{\"model\": \"e1000\", \"romfile\": "
		 "\"x=y.rom\"}]}]}",
		 "m.json: $.machines[0].nics[0].romfile: 'x=y.rom' is not a name"},
		{"\"machines\": [{\"name\": \"pc,accel=kvm\", \"nics\": []}]}",
		 "m.json: $.machines[0].name: 'pc,accel=kvm' is not a name"},
		{"\"machines\": [{\"name\": \"-pc\", \"nics\": []}]}", "$.machines[0].name: '-pc'"},
		{"\"machines\": [{\"name\": \"a\", \"alias\": \"b c\", \"nics\": []}]}",
		 "$.machines[0].alias: 'b c' is not a name"},
		{"\"machines\": [{\"name\": \"a\", \"nics\": [{\"model\": \"e1000\", \"romfile\": "
		 "\"../x.rom\"}]}]}",
		 "$.machines[0].nics[0].romfile: '../x.rom'"},
		{"\"machines\": [{\"name\": \"a\", \"nics\": [], \"nick\": 1}]}",
		 "m.json: $.machines[0]: unknown member 'nick'"},
		{"\"machines\": [{\"name\": \"a\", \"nics\": {}}]}",
		 "$.machines[0].nics: must be an array, not an object"},
		{"\"machines\": [{\"name\": 7, \"nics\": []}]}",
		 "$.machines[0].name: must be a string, not an integer"},
		{"\"machines\": [{\"nics\": []}]}", "$.machines[0].name: missing"},
		{"\"machines\": [{\"name\": \"a\", \"nics\": []}, {\"name\": \"a\", \"nics\": []}]}",
		 "$.machines[1]: machine type or alias 'a' is listed twice"},
		{"\"machines\": [{\"name\": \"a\", \"alias\": \"b\", \"nics\": []}, {\"name\": \"b\", "
		 "\"nics\": []}]}",
		 "$.machines[1]: machine type or alias 'b' is listed twice"},
		{"\"machines\": [{\"name\": \"a\", \"is-default\": true, \"nics\": []}, {\"name\": "
		 "\"b\", \"is-default\": true, \"nics\": []}]}",
		 "'a' and 'b' are both the default machine type"},
		{"\"machines\": [{\"name\": \"a\", \"nics\": [{\"model\": \"e1000\", \"romfile\": "
		 "\"\"}, {\"model\": \"e1000\", \"romfile\": \"\"}]}]}",
		 "$.machines[0].nics[1]: NIC model 'e1000' is listed twice"},
		{"\"machines\": [{\"name\": \"a\", \"nics\": [{\"model\": \"e1000\", \"romfile\": "
		 "\"\", \"romsize\": 300000}]}]}",
		 "$.machines[0].nics[0].romsize: romsize must be null or a power of two"},
		{"\"machines\": [{\"name\": \"a\", \"memory-mib\": 0, \"nics\": []}]}",
		 "$.machines[0].memory-mib: memory-mib must be 1 .. 1048576"},
		{"\"machines\": [{\"name\": \"a\", \"deprecated\": \"no\", \"nics\": []}]}",
		 "$.machines[0].deprecated: must be a boolean, not a string"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strconcat(valid_head, cases[i].machines, NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(RcCatalog) catalog =
			rc_catalog_parse(text, strlen(text), "m.json", &error);

		if (catalog)
			g_error("case %u: accepted", i);
		g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
		if (!strstr(error->message, cases[i].expected))
			g_error("case %u: '%s' does not contain '%s'", i, error->message,
				cases[i].expected);
		g_assert_nonnull(strstr(error->message, "regenerate it with 'romcompat machines'"));
	}
}

static void test_document_errors(void)
{
	static const struct {
		const char *text;
		const char *expected;
	} cases[] = {
		{"{\"format\": 1,\n\"arch\": \"x86_64\",,\n}", "d.json: line 2: not valid JSON"},
		{"{\"format\": 1", "d.json: JSON text ends too early"},
		{"[]", "d.json: $: a catalog is a JSON object"},
		{"{\"format\": 3}", "d.json: $.format: unsupported catalog format"},
		{"{\"format\": 1, \"arch\": \"x86_64\"} {}", "d.json: line 1: not valid JSON"},
		{"{\"format\": 1, \"arch\": \"x86,64\", \"generated-by\": \"g\", \"qemu\": {\"binary\": "
		 "\"q\", \"version\": \"1\"}, \"memory-mib\": 64, \"machines\": []}",
		 "d.json: $.arch: 'x86,64' is not a name"},
		{"{\"format\": 1, \"arch\": \"x86_64\", \"generated-by\": \"g\", \"qemu\": {\"binary\": "
		 "\"q\", \"version\": \"1\", \"flavour\": \"x\"}, \"memory-mib\": 64, \"machines\": []}",
		 "d.json: $.qemu: unknown member 'flavour'"},
		{"{\"format\": 1, \"arch\": \"x86_64\", \"generated-by\": \"g\", \"qemu\": {\"binary\": "
		 "\"-q\", \"version\": \"1\"}, \"memory-mib\": 64, \"machines\": []}",
		 "d.json: $.qemu.binary: not a command name or path"},
		{"{\"format\": 1, \"arch\": \"x\\u0000y\"}",
		 "d.json: $.arch: contains a NUL character"},
		{"{\"format\": 1, \"arch\": \"\xff\"}", "d.json: line 1: not valid JSON"},
		/* json-c keeps the last of two equal members, escaped or not. */
		{"{\"format\": 1,\n\"arch\": \"x86_64\",\n\"arch\": \"aarch64\"}",
		 "d.json: line 3: member \"arch\" given twice in one object"},
		{"{\"format\": 1, \"machines\": [{\"name\": \"a\", \"n\\u0061me\": \"b\"}]}",
		 "d.json: line 1: member \"name\" given twice in one object"},
		/* ... and clamps integers beyond 64 bits. */
		{"{\"format\": 1, \"memory-mib\": 1000000000000000000000000000000}",
		 "d.json: line 1: the number 1000000000000000000000000000000 is out of range"},
		{"{\"format\": 1, \"memory-mib\": -9223372036854775809}",
		 "the number -9223372036854775809 is out of range"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RcCatalog) catalog =
			rc_catalog_parse(cases[i].text, strlen(cases[i].text), "d.json", &error);

		if (catalog)
			g_error("case %u: accepted", i);
		if (!strstr(error->message, cases[i].expected))
			g_error("case %u: '%s' does not contain '%s'", i, error->message,
				cases[i].expected);
	}
}

/* Format 2: display devices and firmware blocks, read, checked and written. */
static const char format2_head[] =
	"{\"format\": 2, \"arch\": \"x86_64\", \"generated-by\": \"romcompat machines\",\n"
	" \"qemu\": {\"binary\": \"qemu-system-x86_64\", \"version\": \"7.2.22\"},\n"
	" \"memory-mib\": 64, \"machines\": [{\"name\": \"pc-i440fx-7.2\", \"nics\": [],\n";

static RcCatalog *parse_format2(const char *machine_tail, GError **error)
{
	g_autofree char *text = g_strconcat(format2_head, machine_tail, "}]}", NULL);

	return rc_catalog_parse(text, strlen(text), "f.json", error);
}

static void test_format2(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcCatalog) catalog = parse_format2(
		"\"displays\": [{\"model\": \"virtio-vga\", \"romfile\": \"vgabios-virtio.bin\"},\n"
		"  {\"model\": \"VGA\", \"romfile\": \"vgabios-stdvga.bin\"}],\n"
		"\"firmware\": [{\"block\": \"system.flash0\", \"source\": \"pflash0\", "
		"\"file\": \"\", \"size\": null},\n"
		"  {\"block\": \"pc.bios\", \"source\": \"bios\", \"file\": \"bios-256k.bin\", "
		"\"size\": 262144}]",
		&error);
	const RcCatalogMachine *m;
	const RcCatalogFirmware *bios;
	g_autofree char *out = NULL;
	g_autoptr(RcCatalog) again = NULL;
	g_autofree char *out_again = NULL;

	g_assert_no_error(error);
	g_assert_true(rc_catalog_has_devices(catalog));
	m = rc_catalog_find_machine(catalog, "pc-i440fx-7.2");
	g_assert_cmpstr(rc_catalog_machine_find_display(m, "VGA")->romfile, ==,
			"vgabios-stdvga.bin");
	bios = rc_catalog_machine_find_firmware(m, "pc.bios");
	g_assert_cmpstr(bios->file, ==, "bios-256k.bin");
	g_assert_cmpint(bios->size, ==, 262144);
	g_assert_cmpint(rc_catalog_machine_find_firmware(m, "system.flash0")->size, ==, -1);
	/* Sorted, and the same bytes once read back. */
	g_assert_cmpstr(((RcCatalogDisplay *)g_ptr_array_index(m->displays, 0))->model, ==, "VGA");
	out = rc_catalog_to_string(catalog);
	g_assert_nonnull(strstr(out, "\"format\": 2"));
	again = rc_catalog_parse(out, strlen(out), "again.json", &error);
	g_assert_no_error(error);
	out_again = rc_catalog_to_string(again);
	g_assert_cmpstr(out, ==, out_again);
}

/* A format 1 catalog is read, says it knows no devices, and stays format 1. */
static void test_format1_kept(void)
{
	g_autofree char *text =
		g_strconcat(valid_head, "\"machines\": [{\"name\": \"pc\", \"nics\": []}]}", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(RcCatalog) catalog = rc_catalog_parse(text, strlen(text), "v1.json", &error);
	g_autofree char *out = NULL;

	g_assert_no_error(error);
	g_assert_false(rc_catalog_has_devices(catalog));
	out = rc_catalog_to_string(catalog);
	g_assert_nonnull(strstr(out, "\"format\": 1"));
	g_assert_null(strstr(out, "displays"));
}

static void test_format2_errors(void)
{
	static const struct {
		const char *tail;
		const char *expected;
	} cases[] = {
		{"\"displays\": []", "f.json: $.machines[0].firmware: missing"},
		{"\"displays\": [{\"model\": \"VGA\", \"romfile\": \"\"}, {\"model\": \"VGA\", "
		 "\"romfile\": \"\"}], \"firmware\": []",
		 "f.json: $.machines[0].displays[1]: display model 'VGA' is listed twice"},
		{"\"displays\": [{\"model\": \"VGA\", \"romfile\": \"../x.bin\"}], \"firmware\": []",
		 "$.machines[0].displays[0].romfile: '../x.bin' is not a name"},
		{"\"displays\": [], \"firmware\": [{\"block\": \"pc.bios\", \"source\": \"bios\", "
		 "\"file\": \"\", \"size\": 4096}]",
		 "$.machines[0].firmware[0].size: size is given exactly when there is a default file"},
		{"\"displays\": [], \"firmware\": [{\"block\": \"pc.bios,x=y\", \"source\": "
		 "\"bios\", \"file\": \"\", \"size\": null}]",
		 "$.machines[0].firmware[0].block: 'pc.bios,x=y' is not a name"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RcCatalog) catalog = parse_format2(cases[i].tail, &error);

		if (catalog)
			g_error("case %u: accepted", i);
		if (!strstr(error->message, cases[i].expected))
			g_error("case %u: '%s' does not contain '%s'", i, error->message,
				cases[i].expected);
	}
}

/* search-path: a catalog with "format2_head" and @search_path as the member. */
static RcCatalog *parse_search_path(const char *search_path, GError **error)
{
	g_autofree char *text =
		g_strconcat("{\"search-path\": ", search_path, ",\n", format2_head + 1,
			    "\"displays\": [], \"firmware\": []}]}", NULL);

	return rc_catalog_parse(text, strlen(text), "s.json", error);
}

/* Read, written back in its order, resolved against the binary's directory. */
static void test_search_path(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcCatalog) catalog = parse_search_path(
		"[\"../share/qemu\", \"../lib/ipxe/qemu\", \"/opt/fw\", \"pc-bios\"]", &error);
	g_autofree char *out = NULL;
	g_autoptr(RcCatalog) again = NULL;
	g_autofree char *out_again = NULL;
	g_auto(GStrv) dirs = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(catalog->search_path->len, ==, 4);
	out = rc_catalog_to_string(catalog);
	g_assert_nonnull(
		strstr(out, "\"search-path\": [\n    \"../share/qemu\",\n"
			    "    \"../lib/ipxe/qemu\",\n    \"/opt/fw\",\n    \"pc-bios\"\n  ]"));
	again = rc_catalog_parse(out, strlen(out), "again.json", &error);
	g_assert_no_error(error);
	out_again = rc_catalog_to_string(again);
	g_assert_cmpstr(out, ==, out_again);

	/* A binary that does not exist: its directory as given. */
	dirs = rc_catalog_search_dirs(catalog, "/nonexistent/prefix/bin/qemu-system-x86_64",
				      &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(dirs), ==, 4);
	g_assert_cmpstr(dirs[0], ==, "/nonexistent/prefix/share/qemu");
	g_assert_cmpstr(dirs[1], ==, "/nonexistent/prefix/lib/ipxe/qemu");
	g_assert_cmpstr(dirs[2], ==, "/opt/fw");
	g_assert_cmpstr(dirs[3], ==, "/nonexistent/prefix/bin/pc-bios");
	g_clear_pointer(&dirs, g_strfreev);
	/* No binary at hand: a relative entry cannot be resolved. */
	g_assert_null(rc_catalog_search_dirs(catalog, NULL, &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_INFRA);
	g_assert_nonnull(strstr(error->message, "not on PATH"));
}

/* What QEMU prints as <bindir>/... is kept relative; the rest absolute. */
static void test_search_path_recorded(void)
{
	static const char *const printed[] = {
		"/nonexistent/pkg/usr/share/qemu",	  /* a package's -L, below the prefix */
		"/nonexistent/pkg/usr/bin/../share/qemu", /* the same again: once */
		"/nonexistent/pkg/usr/bin/../share/seabios",
		"/nonexistent/pkg/usr/bin/pc-bios",
		"/usr/share/qemu-firmware",
		"/nonexistent/pkg/usr/bin/../share/odd dir",
		NULL};
	g_autoptr(RcCatalog) catalog = rc_catalog_new("x86_64", "qemu-system-x86_64", "7.2.22");
	g_autoptr(RcCatalog) old = rc_catalog_new("x86_64", "qemu-system-x86_64", "7.2.22");
	g_autoptr(GError) error = NULL;
	g_autofree char *joined = NULL;
	GStrv dirs;

	rc_catalog_set_search_path(catalog, "/nonexistent/pkg/usr/bin/qemu-system-x86_64", printed);
	g_ptr_array_add(catalog->search_path, NULL);
	joined = g_strjoinv(" ", (char **)catalog->search_path->pdata);
	g_ptr_array_remove_index(catalog->search_path, catalog->search_path->len - 1);
	g_assert_cmpstr(joined, ==,
			"../share/qemu ../share/seabios pc-bios /usr/share/qemu-firmware "
			"/nonexistent/pkg/usr/share/odd dir");
	g_assert_true(rc_catalog_validate(catalog, "r.json", &error));
	g_assert_no_error(error);

	/* A catalog written before search-path: unknown, with the fix named. */
	dirs = rc_catalog_search_dirs(old, "/usr/bin/qemu-system-x86_64", &error);
	g_assert_null(dirs);
	g_assert_nonnull(strstr(error->message, "records no search-path"));
	g_assert_nonnull(strstr(error->message, "romcompat machines --qemu qemu-system-x86_64"));
}

static void test_search_path_errors(void)
{
	static const struct {
		const char *member;
		const char *expected;
	} cases[] = {
		{"\"../share/qemu\"", "s.json: $.search-path: must be an array, not a string"},
		{"[]", "s.json: $.search-path: search-path lists 1 .. 16 directories"},
		{"[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\","
		 "\"a\",\"a\",\"a\",\"a\"]",
		 "$.search-path: search-path lists 1 .. 16 directories"},
		{"[42]", "s.json: $.search-path[0]: a directory is a string without NUL bytes"},
		{"[\"/usr/sh\\u0000are\"]", "$.search-path[0]: a directory is a string"},
		{"[\"/usr/sh\\u0001are\"]", "$.search-path[0]: not an absolute directory"},
		{"[\"\"]", "$.search-path[0]: not an absolute directory"},
		{"[\"share/../../etc\"]", "$.search-path[0]: not an absolute directory"},
		{"[\"../share//qemu\"]", "$.search-path[0]: not an absolute directory"},
		{"[\"./qemu\"]", "$.search-path[0]: not an absolute directory"},
		{"[\"..\"]", "$.search-path[0]: not an absolute directory"},
		{"[\"../share/qemu/\"]", "$.search-path[0]: not an absolute directory"},
		{"[\"../share/q emu\"]", "$.search-path[0]: not an absolute directory"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RcCatalog) catalog = parse_search_path(cases[i].member, &error);

		if (catalog)
			g_error("case %u: accepted", i);
		if (!strstr(error->message, cases[i].expected))
			g_error("case %u: '%s' does not contain '%s'", i, error->message,
				cases[i].expected);
	}
}

static void test_save_refuses_invalid(void)
{
	g_autoptr(RcCatalog) catalog = test_catalog_new();
	g_autoptr(GError) error = NULL;

	rc_catalog_machine_add_nic(g_ptr_array_index(catalog->machines, 0), "e1000=x", "", -1);
	g_assert_false(rc_catalog_save(catalog, "/nonexistent/never-written.json", &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "'e1000=x' is not a name"));
}

static void test_name_validity(void)
{
	g_assert_true(rc_catalog_name_is_valid("pc-i440fx-7.2"));
	g_assert_true(rc_catalog_name_is_valid("efi-e1000.rom"));
	g_assert_true(rc_catalog_name_is_valid("x86_64"));
	g_assert_false(rc_catalog_name_is_valid(""));
	g_assert_false(rc_catalog_name_is_valid("a,b"));
	g_assert_false(rc_catalog_name_is_valid("a=b"));
	g_assert_false(rc_catalog_name_is_valid("a/b"));
	g_assert_false(rc_catalog_name_is_valid(".hidden"));
	g_assert_false(rc_catalog_name_is_valid("-device"));
	g_assert_false(rc_catalog_name_is_valid("a b"));
	g_assert_cmpint(rc_catalog_name_compare("pc-q35-1.9", "pc-q35-1.10"), <, 0);
	g_assert_cmpint(rc_catalog_name_compare("pc-i440fx-7.2", "pc-q35-1.0"), <, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/catalog/round-trip", test_round_trip);
	g_test_add_func("/catalog/canonical", test_canonical);
	g_test_add_func("/catalog/errors", test_errors);
	g_test_add_func("/catalog/document-errors", test_document_errors);
	g_test_add_func("/catalog/format2", test_format2);
	g_test_add_func("/catalog/format1-kept", test_format1_kept);
	g_test_add_func("/catalog/format2-errors", test_format2_errors);
	g_test_add_func("/catalog/search-path", test_search_path);
	g_test_add_func("/catalog/search-path-recorded", test_search_path_recorded);
	g_test_add_func("/catalog/search-path-errors", test_search_path_errors);
	g_test_add_func("/catalog/save-refuses-invalid", test_save_refuses_invalid);
	g_test_add_func("/catalog/names", test_name_validity);
	return g_test_run();
}
