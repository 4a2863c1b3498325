/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-report.c - the report formats on a synthetic result set (results
 * set by hand in synthetic.c, as report input): golden files for text,
 * JSON, JUnit and TAP and for two shard reports; the JSON reader's checks;
 * the grouping of many failures into one line; XML and HTML escaping;
 * names and paths that are not UTF-8 or hold control characters.
 */
#include <string.h>

#include <glib/gstdio.h>

#include "base/error.h"
#include "base/jsonutil.h"
#include "report/report.h"
#include "synthetic.h"

static void test_golden_whole(void)
{
	g_autoptr(RcReport) report = test_report_new();
	g_autofree char *text = rc_report_to_text(report);
	g_autofree char *json = rc_report_to_json_string(report);
	g_autofree char *junit = rc_report_to_junit(report);
	g_autofree char *tap = rc_report_to_tap(report);

	test_assert_golden("report.txt", text);
	test_assert_golden("report.json", json);
	test_assert_golden("report.junit.xml", junit);
	test_assert_golden("report.tap", tap);
}

static void test_golden_shards(void)
{
	g_autoptr(RcReport) whole = test_report_new();
	g_autoptr(RcReport) first = test_report_shard(whole, 1, 2);
	g_autoptr(RcReport) second = test_report_shard(whole, 2, 2);
	g_autofree char *first_json = rc_report_to_json_string(first);
	g_autofree char *second_json = rc_report_to_json_string(second);

	g_assert_cmpuint(first->cases->len + second->cases->len, ==, whole->cases->len);
	g_assert_true(rc_report_is_partial(first));
	test_assert_golden("report-shard-1of2.json", first_json);
	test_assert_golden("report-shard-2of2.json", second_json);
}

static void test_json_round_trip(void)
{
	g_autoptr(RcReport) report = test_report_new();
	g_autofree char *json = rc_report_to_json_string(report);
	g_autoptr(GError) error = NULL;
	g_autoptr(RcReport) back = rc_report_parse_json(json, strlen(json), "r.json", &error);
	g_autofree char *again = NULL;

	g_assert_no_error(error);
	again = rc_report_to_json_string(back);
	g_assert_cmpstr(again, ==, json);
}

/*
 * Case times on every rounding edge (x.xxx5 seconds and their neighbours)
 * still give a summary the reader accepts: each case is written as whole
 * milliseconds and the summary as their sum.  Shard reports under load
 * once failed here.
 */
static void test_json_seconds_round_trip(void)
{
	g_autoptr(RcReport) report = test_report_new();
	g_autofree char *json = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RcReport) back = NULL;

	for (guint i = 0; i < report->cases->len; i++) {
		RcCase *c = g_ptr_array_index(report->cases, i);

		c->result.seconds = ((double)i + 4.5) / 1000; /* 0.0045 s: "0.004" but 5 ms */
	}
	json = rc_report_to_json_string(report);
	back = rc_report_parse_json(json, strlen(json), "r.json", &error);
	g_assert_no_error(error);
	g_assert_nonnull(back);
}

/* The streamed file is byte for byte the report as one string. */
static void test_json_streamed(void)
{
	g_autoptr(RcReport) report = test_report_new();
	g_autoptr(RcReport) empty = test_report_shard(report, 1, 1);
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("romcompat-test-XXXXXX", &error);
	g_autofree char *path = NULL;
	RcReport *each[] = {report, empty};

	g_assert_no_error(error);
	path = g_build_filename(dir, "r.json", NULL);
	g_ptr_array_set_size(empty->cases, 0);
	for (gsize i = 0; i < G_N_ELEMENTS(each); i++) {
		g_autofree char *expected = rc_report_to_json_string(each[i]);
		g_autofree char *written = NULL;

		g_assert_true(rc_report_write_json(each[i], path, &error));
		g_assert_no_error(error);
		g_assert_true(g_file_get_contents(path, &written, NULL, &error));
		g_assert_cmpstr(written, ==, expected);
	}
	/* A directory that does not exist: an error naming the file. */
	g_assert_false(rc_report_write_json(report, "/nonexistent/dir/r.json", &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_INFRA);
	g_assert_nonnull(strstr(error->message, "/nonexistent/dir/r.json"));
	g_unlink(path);
	g_rmdir(dir);
}

/* Each edit of the golden JSON must be refused with its JSON path. */
static void test_json_reader_refuses(void)
{
	static const struct {
		const char *from, *to, *expected;
	} edits[] = {
		{"\"verdict\": \"pass\"", "\"verdict\": \"passed\"", "$.cases[1].verdict: unknown"},
		{"\"kind\": \"ok\"", "\"kind\": \"rom-size-mismatch\"", "a pass has kind ok"},
		{"\"format\": 1", "\"format\": 2", "$.format: unsupported"},
		{"\"machine\": \"pc-i440fx-7.1\"", "\"machine\": \"pc-i440fx-7.1,x=y\"",
		 "$.cases[0].machine: not a name"},
		{"\"pass\": 10", "\"pass\": 11", "$.summary: does not match"},
		{"\"partial\": true", "\"partial\": false", "$.partial: does not match"},
		{"\"prediction-agrees\": true", "\"prediction-agrees\": false",
		 "prediction-agrees does not match"},
		{"\"seconds\": 0.025", "\"seconds\": \"0.025\"", ".seconds: must be a number"},
		{"\"scenario\": \"synthetic\"", "\"scenario\": \"synthetic\", \"extra\": 1",
		 "$: unknown member 'extra'"},
		/* What json-c would let through: the last of two members, a clamped number. */
		{"\"verdict\": \"pass\"", "\"verdict\": \"fail\", \"verdict\": \"pass\"",
		 "member \"verdict\" given twice in one object"},
		{"\"source-size\": 262144", "\"source-size\": 1000000000000000000000000000000",
		 "the number 1000000000000000000000000000000 is out of range"},
		{"\"seconds\": 0.025", "\"seconds\": 1e999", "the number 1e999 is out of range"},
	};
	g_autoptr(RcReport) report = test_report_new();
	g_autofree char *json = rc_report_to_json_string(report);

	for (guint i = 0; i < G_N_ELEMENTS(edits); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RcReport) back = NULL;
		g_autofree char *edited = NULL;
		char *at = strstr(json, edits[i].from);

		g_assert_nonnull(at);
		edited = g_strdup_printf("%.*s%s%s", (int)(at - json), json, edits[i].to,
					 at + strlen(edits[i].from));
		back = rc_report_parse_json(edited, strlen(edited), "r.json", &error);
		g_assert_null(back);
		g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
		if (!strstr(error->message, edits[i].expected))
			g_error("edit %u: '%s' does not contain '%s'", i, error->message,
				edits[i].expected);
		g_assert_true(g_str_has_prefix(error->message, "r.json: "));
	}
}

/* Text from outside: escaped for a terminal, repaired for JSON with its bytes beside. */
static void test_text_from_outside(void)
{
	g_autofree char *shown = rc_text_visible("a\nb\x1b[31m\xff\xc2\x9bz\t\xc3\xa9");
	g_autoptr(json_object) obj = json_object_new_object();
	json_object *value;

	g_assert_cmpstr(shown, ==, "a\\nb\\x1b[31m\\xff\\u009bz\\t\xc3\xa9");
	rc_json_add_text(obj, "name", "a\xff");
	rc_json_add_text(obj, "path", "/usr/lib/ipxe/qemu");
	rc_json_add_text(obj, "member", NULL);
	g_assert_true(json_object_object_get_ex(obj, "name", &value));
	g_assert_cmpstr(json_object_get_string(value), ==, "a\xef\xbf\xbd");
	g_assert_true(json_object_object_get_ex(obj, "name_hex", &value));
	g_assert_cmpstr(json_object_get_string(value), ==, "61ff");
	g_assert_false(json_object_object_get_ex(obj, "path_hex", &value));
	g_assert_true(json_object_object_get_ex(obj, "member", &value));
	g_assert_null(value);
	g_assert_cmpint(json_object_object_length(obj), ==, 4);
}

/* A path that is not UTF-8 goes through a report and back, bytes and all. */
static void test_json_not_utf8(void)
{
	g_autoptr(RcReport) report = test_report_new();
	g_autoptr(RcReport) back = NULL;
	g_autoptr(RcReport) forged = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *json = NULL;
	g_autofree char *edited = NULL;
	char *hex;

	g_free(report->old_side.roms);
	report->old_side.roms = g_strdup("/roms/old\xff\n\x1b");
	json = rc_report_to_json_string(report);
	g_assert_true(g_utf8_validate(json, -1, NULL));
	back = rc_report_parse_json(json, strlen(json), "r.json", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(back->old_side.roms, ==, "/roms/old\xff\n\x1b");
	/* A hex member that says something else than the string beside it. */
	hex = strstr(json, "\"roms_hex\": \"");
	g_assert_nonnull(hex);
	hex += strlen("\"roms_hex\": \"");
	edited = g_strdup(json);
	edited[hex - json] = hex[0] == '2' ? '3' : '2';
	forged = rc_report_parse_json(edited, strlen(edited), "r.json", &error);
	g_assert_null(forged);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "r.json: $.old.roms_hex: not the hex"));
}

static void test_json_reader_duplicate_case(void)
{
	g_autoptr(RcReport) report = test_report_new();
	g_autoptr(json_object) obj = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RcReport) back = NULL;
	json_object *cases;

	g_ptr_array_add(report->cases, rc_case_copy(g_ptr_array_index(report->cases, 0)));
	report->matrix_cases++;
	obj = rc_report_to_json(report);
	json_object_object_get_ex(obj, "cases", &cases);
	back = rc_report_from_json(obj, "dup.json", &error);
	g_assert_null(back);
	g_assert_nonnull(strstr(error->message, "is listed twice"));
}

/*
 * 54 machine types x e1000 x 2 directions failing for one cause, and
 * e1000e one way for another: 162 failures in two lines.
 */
static void test_text_groups_failures(void)
{
	g_autoptr(RcCatalog) catalog = test_catalog_new_large(27);
	g_autoptr(RcScenario) scenario = rc_scenario_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(RcReport) report = rc_report_new();
	g_autoptr(GPtrArray) cases = NULL;
	g_autofree char *text = NULL;
	const char *nics[] = {"e1000*", "virtio-net-pci", NULL};
	const char *section;
	guint lines = 0;

	scenario->nics = g_strdupv((char **)nics);
	cases = rc_matrix_build(catalog, scenario, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < cases->len; i++) {
		RcCase *c = g_ptr_array_index(cases, i);
		gboolean old_to_new = c->direction == RC_DIRECTION_OLD_TO_NEW;
		/* e1000's ROM fails both ways; e1000e's, a second cause, one way. */
		gboolean e1000 = strcmp(c->nic, "e1000") == 0 ||
				 (strcmp(c->nic, "e1000e") == 0 && old_to_new);
		RcResult r = {.verdict = e1000 ? RC_VERDICT_FAIL : RC_VERDICT_PASS,
			      .kind = e1000 ? RC_KIND_ROM_SIZE_MISMATCH : RC_KIND_OK,
			      .evidence = e1000 ? RC_EVIDENCE_ATTRIBUTED : RC_EVIDENCE_MIGRATED,
			      .source_size = e1000 ? (old_to_new ? 0x40000 : 0x80000) : 0,
			      .destination_size = e1000 ? (old_to_new ? 0x80000 : 0x40000) : 0};
		rc_case_set_result(c, &r);
		g_ptr_array_add(report->cases, rc_case_copy(c));
	}
	report->matrix_cases = report->cases->len;
	report->matrix_digest = rc_matrix_digest(report->cases);
	text = rc_report_to_text(report);
	section = strstr(text, "Failures (162 cases):\n");
	g_assert_nonnull(section);
	/* Headlines are indented by two spaces, the reasons under them by four. */
	for (const char *p = strchr(section, '\n') + 1; g_str_has_prefix(p, "  ");
	     p = strchr(p, '\n') + 1)
		lines += !g_str_has_prefix(p, "    ");
	g_assert_cmpuint(lines, ==, 2);
	g_assert_nonnull(strstr(section, "  efi-e1000.rom 0x40000 -> 0x80000: e1000 on 54 machine "
					 "types (pc-i440fx-1.0 .. pc-i440fx-3.6, pc-q35-1.0 .. "
					 "pc-q35-3.6), old-to-new and new-to-old\n"));
	g_assert_nonnull(strstr(section,
				"  efi-e1000e.rom 0x40000 -> 0x80000: e1000e on 54 machine "
				"types (pc-i440fx-1.0 .. pc-i440fx-3.6, pc-q35-1.0 .. "
				"pc-q35-3.6), old-to-new\n"));
	g_assert_nonnull(strstr(text, "evidence: 162 migrated, 0 failed alone, 162 attributed"));
}

/*
 * "QEMU says" only before QEMU's own line naming the case's block: not
 * before romcompat's attribution, the libvirt backend's reconstruction
 * or a prediction.
 */
static void test_quotes_qemu(void)
{
	static const struct {
		const char *message;
		RcEvidence evidence;
		gboolean quotes;
	} cases[] = {
		{"Size mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000: Invalid argument",
		 RC_EVIDENCE_FAILED_ALONE, TRUE},
		{"Size mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000",
		 RC_EVIDENCE_ATTRIBUTED, TRUE},
		{"Length mismatch: 0000:00:02.0/e1000.rom: 0x40000 in != 0x80000",
		 RC_EVIDENCE_FAILED_ALONE, TRUE},
		{"Size mismatch: 0000:00:03.0/e1000.rom: 0x40000 != 0x80000",
		 RC_EVIDENCE_ATTRIBUTED, FALSE},
		{"Size mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000 (from both sides' RAM "
		 "blocks; the restore failed and libvirt did not quote QEMU)",
		 RC_EVIDENCE_FAILED_ALONE, FALSE},
		{"RAM block 0000:00:02.0/e1000.rom is 0x40000 on the source and 0x80000 on the "
		 "destination (the shared migration failed at 0000:00:03.0/e1000e.rom)",
		 RC_EVIDENCE_ATTRIBUTED, FALSE},
		{"Size mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000", RC_EVIDENCE_PREDICTED,
		 FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(RcCase) c = rc_case_new("pc-q35-7.2", "e1000", RC_DIRECTION_OLD_TO_NEW,
						  "efi-e1000.rom");
		RcResult r = {.verdict = RC_VERDICT_FAIL,
			      .kind = RC_KIND_ROM_SIZE_MISMATCH,
			      .evidence = cases[i].evidence,
			      .block = "0000:00:02.0/e1000.rom",
			      .source_size = 0x40000,
			      .destination_size = 0x80000,
			      .message = (char *)cases[i].message};

		rc_case_set_result(c, &r);
		g_assert_cmpint(rc_case_quotes_qemu(c), ==, cases[i].quotes);
	}
}

/*
 * Each failure group says why: the block and both sizes, QEMU's line for
 * a case that carries it, romcompat's attribution for the others.
 */
static void test_text_failure_reasons(void)
{
	g_autoptr(RcReport) report = test_report_new();
	g_autoptr(GPtrArray) groups = rc_report_failure_groups(report);
	const RcReportGroup *group;
	g_auto(GStrv) why = NULL;
	g_auto(GStrv) lines = NULL;

	g_assert_cmpuint(groups->len, ==, 1);
	group = g_ptr_array_index(groups, 0);
	g_assert_cmpstr(group->headline, ==, "efi-e1000.rom 0x40000 -> 0x80000");
	g_assert_cmpuint(group->cases->len, ==, 6);
	lines = rc_report_group_lines(report, group);
	g_assert_cmpuint(g_strv_length(lines), ==, 1);
	why = rc_report_failure_reasons(group);
	g_assert_cmpuint(g_strv_length(why), ==, 3);
	g_assert_true(g_str_has_prefix(why[0],
				       "RAM block 0000:00:01.0/e1000.rom, "
				       "0000:00:02.0/e1000.rom: 0x40000 (256 KiB) "
				       "with the old ROMs, 0x80000 (512 KiB) with the new"));
	g_assert_cmpstr(
		why[1], ==,
		"QEMU says, for 1 case old-to-new (pc-i440fx-7.1 e1000, destination): \"Size "
		"mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000: Invalid argument\"");
	g_assert_cmpstr(why[2], ==,
			"romcompat attributes the other 5 cases from both sides' RAM block lists "
			"(no QEMU line names them): 0000:00:01.0/e1000.rom, "
			"0000:00:02.0/e1000.rom at 0x40000 (256 KiB) with the old ROMs, 0x80000 "
			"(512 KiB) with the new");
	g_assert_null(strstr(why[2], "QEMU says"));
}

/* A range never claims a machine type the report does not hold. */
static void test_text_ranges_honest(void)
{
	g_autoptr(RcReport) report = test_report_new();
	g_autofree char *text = NULL;

	/* e1000 fails on the report's three machine types: two families, no range across. */
	text = rc_report_to_text(report);
	g_assert_nonnull(strstr(
		text, "e1000 on 3 machine types (pc-i440fx-7.1, pc-i440fx-7.2, pc-q35-7.2)"));
}

static void check_markup(const char *xml)
{
	GMarkupParser parser = {0};
	g_autoptr(GMarkupParseContext) ctx = g_markup_parse_context_new(&parser, 0, NULL, NULL);
	g_autoptr(GError) error = NULL;

	g_markup_parse_context_parse(ctx, xml, -1, &error);
	g_assert_no_error(error);
	g_markup_parse_context_end_parse(ctx, &error);
	g_assert_no_error(error);
}

static void test_junit_escapes(void)
{
	g_autoptr(RcReport) report = test_report_new();
	RcCase *c = g_ptr_array_index(report->cases, 0);
	RcResult r = {.verdict = RC_VERDICT_ERROR,
		      .kind = RC_KIND_OTHER,
		      .message = "a\x02<b>&\"c\"\t'd'\xff\xfe]]>\nsecond line"};
	g_autofree char *junit = NULL;

	rc_case_set_result(c, &r);
	junit = rc_report_to_junit(report);
	check_markup(junit);
	for (const char *p = junit; *p; p++)
		g_assert_true((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t');
	g_assert_nonnull(
		strstr(junit, "a\xef\xbf\xbd&lt;b&gt;&amp;&quot;c&quot;&#9;&apos;d&apos;"));
	g_assert_null(strstr(junit, "]]>"));
}

/* The tags the HTML report is made of; anything else came from the input. */
static void check_html_tags(const char *html)
{
	static const char *const tags[] = {
		"!DOCTYPE", "html", "head", "meta", "title",   "style",	  "body",  "h1",
		"h2",	    "p",    "div",  "span", "b",       "i",	  "table", "thead",
		"tbody",    "tr",   "th",   "td",   "details", "summary", "pre",
	};

	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		const char *name = p[1] == '/' ? p + 2 : p + 1;
		gsize len = strcspn(name, " >");
		gboolean known = FALSE;

		for (gsize i = 0; i < G_N_ELEMENTS(tags) && !known; i++)
			known = strlen(tags[i]) == len && strncmp(name, tags[i], len) == 0;
		if (!known)
			g_error("unexpected markup in the HTML report: %.40s", p);
	}
}

static void test_html_escapes(void)
{
	g_autoptr(RcReport) report = test_report_new();
	RcCase *c = g_ptr_array_index(report->cases, 0);
	RcResult r = {.verdict = RC_VERDICT_FAIL,
		      .kind = RC_KIND_ROM_SIZE_MISMATCH,
		      .evidence = RC_EVIDENCE_ATTRIBUTED,
		      .block = "0000:00:02.0/<b>.rom",
		      .source_size = 0x40000,
		      .destination_size = 0x80000,
		      .message = "a\x02<script>alert(1)</script>&\"c\"'d'\xff\nsecond line"};
	g_autofree char *html = NULL;

	rc_case_set_result(c, &r);
	g_free(c->machine);
	c->machine = g_strdup("pc-\"><img src=x onerror=alert(1)>-7.2");
	g_free(c->nic);
	c->nic = g_strdup("<svg onload=alert(2)>");
	g_free(report->old_side.roms);
	report->old_side.roms = g_strdup("/tmp/</style><script>x</script>");
	html = rc_report_to_html(report, NULL, NULL);
	check_html_tags(html);
	g_assert_null(strstr(html, "<script"));
	g_assert_null(strstr(html, "<img"));
	g_assert_null(strstr(html, "<svg"));
	g_assert_null(strstr(html, "</style><"));
	g_assert_nonnull(strstr(html, "pc-&quot;&gt;&lt;img src=x onerror=alert(1)&gt;-7.2"));
	g_assert_nonnull(strstr(html, "&lt;svg onload=alert(2)&gt;"));
	g_assert_nonnull(strstr(
		html,
		"romcompat attributes: a\xef\xbf\xbd&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;c&quot;"
		"&apos;d&apos;\xef\xbf\xbd&#10;second line"));
	g_assert_nonnull(strstr(html, "/tmp/&lt;/style&gt;&lt;script&gt;x&lt;/script&gt;"));
	g_assert_null(strstr(html, "QEMU says: a"));
	for (const char *p = html; *p; p++)
		g_assert_true((unsigned char)*p >= 0x20 || *p == '\n');
}

/*
 * The page opens with what fails and why, before the heatmap; its title
 * names both ROM sets; QEMU's line is "QEMU says", an attribution is not.
 */
static void test_html_failures_first(void)
{
	g_autoptr(RcReport) report = test_report_new();
	g_autofree char *html = rc_report_to_html(report, NULL, NULL);
	const char *failures = strstr(html, "<h2 id=\"failures\">Failures: 6 cases, 1 cause</h2>");
	const char *matrix = strstr(html, "<h2 id=\"matrix\">");

	check_html_tags(html);
	g_assert_nonnull(strstr(html, "<title>romcompat: ROMs /roms/old \u2192 /roms/new "
				      "(synthetic, x86_64, QEMU 0.0-test)</title>"));
	g_assert_nonnull(failures);
	g_assert_nonnull(matrix);
	g_assert_true(failures < matrix);
	g_assert_nonnull(strstr(failures, "<td class=\"rom\">efi-e1000.rom</td>"));
	g_assert_nonnull(strstr(failures, "<div>e1000 on 3 machine types (pc-i440fx-7.1, "
					  "pc-i440fx-7.2, pc-q35-7.2), old-to-new and "
					  "new-to-old</div>"));
	g_assert_nonnull(strstr(failures, "<div class=\"qemu\">QEMU says, for 1 case old-to-new"));
	g_assert_nonnull(strstr(failures, "<div>romcompat attributes the other 5 cases"));
	/* The one case QEMU named says so in its cell; the attributed ones do not. */
	g_assert_nonnull(strstr(html, "\nQEMU says: Size mismatch: 0000:00:02.0/e1000.rom: "));
	g_assert_null(strstr(html, "romcompat attributes: Size mismatch"));
	g_assert_nonnull(strstr(html, "\">&#10007;</td>"));
	g_assert_nonnull(strstr(html, "\">&#10003;</td>"));
	g_assert_nonnull(strstr(html, "\">!</td>"));
	g_assert_nonnull(strstr(html, "\">&#183;</td>"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report/golden/whole", test_golden_whole);
	g_test_add_func("/report/golden/shards", test_golden_shards);
	g_test_add_func("/report/text/quotes-qemu", test_quotes_qemu);
	g_test_add_func("/report/html/failures-first", test_html_failures_first);
	g_test_add_func("/report/text/failure-reasons", test_text_failure_reasons);
	g_test_add_func("/report/json/round-trip", test_json_round_trip);
	g_test_add_func("/report/json/streamed", test_json_streamed);
	g_test_add_func("/report/json/seconds-round-trip", test_json_seconds_round_trip);
	g_test_add_func("/report/json/refuses", test_json_reader_refuses);
	g_test_add_func("/report/json/duplicate-case", test_json_reader_duplicate_case);
	g_test_add_func("/report/json/not-utf8", test_json_not_utf8);
	g_test_add_func("/report/text/from-outside", test_text_from_outside);
	g_test_add_func("/report/text/groups-failures", test_text_groups_failures);
	g_test_add_func("/report/text/ranges", test_text_ranges_honest);
	g_test_add_func("/report/junit/escapes", test_junit_escapes);
	g_test_add_func("/report/html/escapes", test_html_escapes);
	return g_test_run();
}
