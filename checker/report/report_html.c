/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_html.c - the HTML report of a matrix run: one self-contained
 * page (inline CSS, no script, nothing fetched) read at a glance.
 *
 * Theory of operation: the page has three parts.  Summary cards (cases,
 * verdicts, QEMU versions, ROM sources, accelerator).  One heatmap table
 * whose rows are the machine types, grouped by family ("pc-q35",
 * "pc-i440fx", ...), and whose columns are the NIC models, once per
 * direction; each cell's colour is its verdict (errors and unusual
 * failures by kind), hatched when the verdict is only predicted, and its
 * title says everything about the case.  Then, when the ROM sets are
 * given, one pair of bars per ROM file, old above new, drawn to one
 * linear scale: the file's images coloured by architecture, its padding,
 * and a frame as wide as its bucket, so a file that moved to the next
 * power of two is seen at once.
 *
 * Every string from outside (machine types, NIC models, paths, QEMU's
 * messages) is escaped; class names come only from the fixed names of
 * verdicts, kinds and architectures.
 */
#include "report/report.h"

#include <string.h>

#include "base/markup.h"

#include "base/units.h"

static void append_element(GString *out, const char *tag, const char *text)
{
	g_string_append_printf(out, "<%s>", tag);
	rc_markup_append(out, text, TRUE);
	g_string_append_printf(out, "</%s>", tag);
}

/* A percentage for CSS, with a '.' whatever the locale. */
static void append_percent(GString *out, const char *property, double value)
{
	char text[G_ASCII_DTOSTR_BUF_SIZE];

	g_ascii_formatd(text, sizeof(text), "%.3f", CLAMP(value, 0.0, 100.0));
	g_string_append_printf(out, "%s:%s%%;", property, text);
}

static const char css[] =
	"body{font:13px/1.4 system-ui,sans-serif;margin:1em 1.5em;color:#222;background:#fff}\n"
	"h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.2em 0 .4em}\n"
	"code,.mono{font-family:ui-monospace,monospace}\n"
	".partial{background:#fff3cd;border:1px solid #e0b000;padding:.4em .8em}\n"
	".cards{display:flex;flex-wrap:wrap;gap:.5em;margin:.6em 0}\n"
	".card{border:1px solid #ccc;border-radius:4px;padding:.3em .8em;min-width:5em}\n"
	".card b{display:block;font-size:1.6em}.card span{color:#555}\n"
	".card.bad b{color:#c62828}.card.good b{color:#2e7d32}.card.err b{color:#e65100}\n"
	"table.meta td,table.meta th{text-align:left;padding:0 .8em 0 0;vertical-align:top}\n"
	".legend{display:flex;flex-wrap:wrap;gap:.3em 1.2em;margin:.5em 0}\n"
	".legend span{display:inline-flex;align-items:center;gap:.35em}\n"
	".sw{display:inline-block;width:13px;height:13px;border:1px solid #999;font:bold 10px/13px "
	"system-ui,sans-serif;text-align:center}\n"
	"table.fails{border-collapse:collapse;margin:.4em 0 1em}\n"
	"table.fails th,table.fails td{text-align:left;vertical-align:top;padding:.3em .8em .3em 0;"
	"border-bottom:1px solid #ddd}\n"
	"table.fails td.rom{font-weight:bold;white-space:nowrap}\n"
	"table.fails .qemu{font-family:ui-monospace,monospace}\n"
	"table.heat{border-collapse:separate;border-spacing:1px;font-size:12px}\n"
	"table.heat thead th{position:sticky;background:#fff;z-index:2;padding:0}\n"
	"table.heat tr.dir th{top:0;height:20px;line-height:20px;border-bottom:2px solid #444;"
	"white-space:nowrap}\n"
	"table.heat tr.nics th{top:23px;vertical-align:bottom;font-weight:normal}\n"
	"table.heat tr.nics th span{writing-mode:vertical-rl;transform:rotate(180deg);"
	"white-space:nowrap;padding:2px 0}\n"
	"table.heat th.corner{left:0;z-index:3;text-align:left;padding-right:.6em}\n"
	"table.heat tbody th{position:sticky;left:0;background:#fff;z-index:1;text-align:left;"
	"font-weight:normal;padding:0 .6em 0 .2em;white-space:nowrap}\n"
	"table.heat tr.family th{font-weight:bold;padding-top:.5em;border-bottom:1px solid #999}\n"
	"table.heat td.c{width:14px;min-width:14px;height:14px;padding:0;text-align:center;"
	"font-size:11px;line-height:14px;font-weight:bold;cursor:default}\n"
	"table.heat td.c:hover{outline:2px solid #000}\n"
	"table.heat td.gap{width:12px;min-width:12px}\n"
	"table.heat td.n{text-align:right;padding:0 .4em;color:#c62828}\n"
	/*
	 * Pass is light and fail dark (relative luminance 0.73 against 0.11,
	 * a contrast of 4.9:1), so they differ without colour vision too;
	 * every cell also carries its verdict's glyph.
	 */
	".none{background:#fafafa;box-shadow:inset 0 0 0 1px #eee;color:#bbb}\n"
	".v-pass{background:#c8e6c9;color:#1b5e20}.v-not-run{background:#eceff1;color:#37474f}\n"
	".v-fail{background:#b71c1c;color:#fff}.v-fail.k-unknown-ramblock{background:#6a1b9a}\n"
	".v-fail.k-other{background:#880e4f}\n"
	".v-error{background:#fb8c00;color:#000}.v-error.k-timeout{background:#fdd835}\n"
	".v-error.k-qemu-crashed{background:#212121;color:#fff}"
	".v-error.k-romfile-missing{background:#6d4c41;color:#fff}\n"
	".v-error.k-unknown-machine-type{background:#a1887f}"
	".v-error.k-unknown-device{background:#bcaaa4}\n"
	".v-error.k-qemu-start-failed{background:#ef6c00}.v-error.k-other{background:#ffb74d}\n"
	".e-predicted{background-image:repeating-linear-gradient(45deg,rgba(255,255,255,.55) 0 "
	"2px,transparent 2px 5px)}\n"
	".disagrees{box-shadow:inset 0 0 0 2px #ffeb3b}\n"
	".roms{max-width:1100px}\n"
	".rom{margin:.5em 0;padding:.2em .4em;border-left:4px solid transparent}\n"
	".rom.changed{border-left-color:#d32f2f;background:#fdecea}\n"
	".rom .name{font-weight:bold}.rom .nics{color:#555;font-weight:normal}\n"
	".badge{display:inline-block;background:#d32f2f;color:#fff;border-radius:3px;"
	"padding:0 .4em;margin-left:.5em;font-weight:normal}\n"
	".barrow{display:flex;align-items:center;gap:6px;margin:2px 0}\n"
	".barrow .side{width:34px;color:#555}.barrow .size{width:270px;color:#333}\n"
	".track{position:relative;flex:1;height:16px}\n"
	".grid{position:absolute;top:0;bottom:0;border-left:1px dotted #bbb}\n"
	".bucket{position:absolute;left:0;top:0;bottom:0;background:#f4f4f4;"
	"box-shadow:inset 0 0 0 1px #999;border-right:3px solid #222}\n"
	".seg{position:absolute;top:1px;bottom:1px;box-shadow:inset -1px 0 0 #fff}\n"
	".a-x86{background:#1e88e5}.a-efi-x64{background:#00897b}.a-efi-ia32{background:#80cbc4}\n"
	".a-efi-aarch64{background:#f4511e}.a-efi-riscv64{background:#8e24aa}"
	".a-efi-loongarch64{background:#c0ca33}\n"
	".a-efi-other{background:#6d4c41}.a-other{background:#757575}\n"
	".a-pad{background:repeating-linear-gradient(90deg,#bdbdbd 0 2px,#e0e0e0 2px 4px)}\n"
	".axis{position:relative;height:15px;margin:0 276px 0 40px;color:#555;font-size:11px}\n"
	".axis span{position:absolute;transform:translateX(-50%);white-space:nowrap}\n"
	".missing{color:#555;font-style:italic}\n"
	"details pre{background:#f7f7f7;padding:.5em;overflow:auto}\n";

/* --- summary ----------------------------------------------------------- */

static void append_card(GString *out, const char *cls, guint value, const char *label)
{
	g_string_append_printf(out, "<div class=\"card %s\"><b>%u</b><span>%s</span></div>\n", cls,
			       value, label);
}

static void append_meta_row(GString *out, const char *label, const char *old_value,
			    const char *new_value)
{
	g_string_append_printf(out, "<tr><th>%s</th><td>", label);
	rc_markup_append(out, old_value ? old_value : "?", TRUE);
	g_string_append(out, "</td><td>");
	rc_markup_append(out, new_value ? new_value : "?", TRUE);
	g_string_append(out, "</td></tr>\n");
}

static void append_summary(GString *out, const RcReport *report, const RcReportSummary *s)
{
	g_string_append(out, "<div class=\"cards\">\n");
	append_card(out, "", s->cases, "cases");
	append_card(out, "good", s->verdicts[RC_VERDICT_PASS], "pass");
	append_card(out, "bad", s->verdicts[RC_VERDICT_FAIL], "fail");
	append_card(out, "err", s->verdicts[RC_VERDICT_ERROR], "errors");
	if (s->verdicts[RC_VERDICT_NOT_RUN])
		append_card(out, "", s->verdicts[RC_VERDICT_NOT_RUN], "not run");
	if (s->disagreements)
		append_card(out, "bad", s->disagreements, "prediction disagrees");
	g_string_append(out, "</div>\n<table class=\"meta\">\n"
			     "<tr><th></th><th>old</th><th>new</th></tr>\n");
	append_meta_row(out, "QEMU version", report->old_side.qemu_version,
			report->new_side.qemu_version);
	append_meta_row(out, "QEMU binary", report->old_side.qemu, report->new_side.qemu);
	append_meta_row(out, "ROMs", report->old_side.roms, report->new_side.roms);
	g_string_append(out, "<tr><th>accelerator</th><td colspan=\"2\">");
	rc_markup_append(out, rc_accel_to_string(report->accel), TRUE);
	g_string_append(out, "</td></tr>\n<tr><th>architecture</th><td colspan=\"2\">");
	rc_markup_append(out, report->arch ? report->arch : "?", TRUE);
	g_string_append_printf(out,
			       "</td></tr>\n<tr><th>shard</th><td colspan=\"2\">%u of %u "
			       "(%u cases in the whole matrix)</td></tr>\n",
			       report->shard.index, report->shard.count, report->matrix_cases);
	g_string_append(out, "<tr><th>romcompat</th><td colspan=\"2\">");
	rc_markup_append(out, report->romcompat_version ? report->romcompat_version : "?", TRUE);
	g_string_append(out, "</td></tr>\n</table>\n");
}

/* --- failures ---------------------------------------------------------- */

/* "256 KiB &#8594; 512 KiB (0x40000 &#8594; 0x80000)", and the kind when another. */
static void append_size_change(GString *out, const RcCase *c)
{
	guint64 sizes[2] = {rc_case_old_size(c), rc_case_new_size(c)};

	for (guint i = 0; i < 2; i++) {
		g_autofree char *words = sizes[i] ? rc_format_bucket(sizes[i]) : g_strdup("absent");

		g_string_append_printf(out, "%s%s", i ? " &#8594; " : "", words);
	}
	if (sizes[0] && sizes[1])
		g_string_append_printf(
			out, " (0x%" G_GINT64_MODIFIER "x &#8594; 0x%" G_GINT64_MODIFIER "x)",
			sizes[0], sizes[1]);
	if (c->result.kind != RC_KIND_ROM_SIZE_MISMATCH)
		g_string_append_printf(out, ", %s", rc_kind_to_string(c->result.kind));
}

/* One cause: the ROM file, where it fails, and why (report_text.c's words). */
static void append_failure_row(GString *out, const RcReport *report, const RcReportGroup *group)
{
	const RcCase *first = g_ptr_array_index(group->cases, 0);
	g_auto(GStrv) lines = rc_report_group_lines(report, group);
	g_auto(GStrv) why = rc_report_failure_reasons(group);

	g_string_append(out, "<tr><td class=\"rom\">");
	rc_markup_append(out, first->romfile ? first->romfile : "?", TRUE);
	g_string_append(out, "</td><td><div>");
	append_size_change(out, first);
	g_string_append_printf(out, "</div><div>%u case%s</div></td><td>", group->cases->len,
			       group->cases->len == 1 ? "" : "s");
	for (guint i = 0; lines[i]; i++) {
		g_string_append(out, "<div>");
		rc_markup_append(out, lines[i], TRUE);
		g_string_append(out, "</div>");
	}
	g_string_append(out, "</td><td>");
	for (guint i = 0; why[i]; i++) {
		g_string_append_printf(out, "<div%s>",
				       g_str_has_prefix(why[i], "QEMU says") ? " class=\"qemu\""
									     : "");
		rc_markup_append(out, why[i], TRUE);
		g_string_append(out, "</div>");
	}
	g_string_append(out, "</td></tr>\n");
}

/*
 * The failures first, one row per cause: which ROM file, which NIC models
 * on which machine types, and why (QEMU's own line, or romcompat's
 * attribution from both sides' RAM block lists).
 */
static void append_failures(GString *out, const RcReport *report, const RcReportSummary *s)
{
	g_autoptr(GPtrArray) groups = rc_report_failure_groups(report);

	g_string_append_printf(out, "<h2 id=\"failures\">Failures: %u case%s, %u cause%s</h2>\n",
			       s->verdicts[RC_VERDICT_FAIL],
			       s->verdicts[RC_VERDICT_FAIL] == 1 ? "" : "s", groups->len,
			       groups->len == 1 ? "" : "s");
	if (!groups->len) {
		g_string_append(out, "<p>No case fails.</p>\n");
		return;
	}
	g_string_append(out, "<table class=\"fails\">\n<thead><tr><th>ROM file</th><th>block "
			     "size, old &#8594; new</th><th>NIC models on machine types</th>"
			     "<th>why</th></tr></thead>\n<tbody>\n");
	for (guint g = 0; g < groups->len; g++)
		append_failure_row(out, report, g_ptr_array_index(groups, g));
	g_string_append(out, "</tbody>\n</table>\n");
}

/* --- heatmap ----------------------------------------------------------- */

/* "pc-q35-7.2" -> "pc-q35": the name without a trailing version. */
static char *machine_family(const char *machine)
{
	const char *dash = strrchr(machine, '-');

	if (dash && dash != machine && dash[1] && g_ascii_isdigit(dash[1]) &&
	    strspn(dash + 1, "0123456789.") == strlen(dash + 1))
		return g_strndup(machine, dash - machine);
	return g_strdup(machine);
}

static const char *evidence_words(RcEvidence evidence)
{
	static const char *const words[] = {
		[RC_EVIDENCE_NONE] = "none",
		[RC_EVIDENCE_MIGRATED] = "migrated",
		[RC_EVIDENCE_FAILED_ALONE] = "failed alone (only this NIC differed)",
		[RC_EVIDENCE_ATTRIBUTED] = "attributed by romcompat (both sides' RAM block lists)",
		[RC_EVIDENCE_PREDICTED] = "predicted (no QEMU run)",
	};

	G_STATIC_ASSERT(G_N_ELEMENTS(words) == RC_EVIDENCE_COUNT);
	return (guint)evidence < G_N_ELEMENTS(words) ? words[evidence] : "none";
}

/*
 * A cell's glyph: its verdict without colour.  A predicted verdict has a
 * glyph of its own (hollow), since no QEMU ran.
 */
static const char *verdict_glyph(RcVerdict verdict, gboolean predicted)
{
	switch (verdict) {
	case RC_VERDICT_PASS:
		return predicted ? "&#9675;" : "&#10003;";
	case RC_VERDICT_FAIL:
		return predicted ? "&#215;" : "&#10007;";
	case RC_VERDICT_ERROR:
		return "!";
	case RC_VERDICT_NOT_RUN:
	default:
		return "&#183;";
	}
}

static char *size_words(guint64 bytes)
{
	g_autofree char *bucket = rc_format_bucket(bytes);

	return g_strdup_printf("%s (0x%" G_GINT64_MODIFIER "x)", bucket, bytes);
}

/*
 * Who speaks in a case's message: QEMU only when it is QEMU's own line
 * about the case's block; an attribution or explanation is romcompat's.
 */
static const char *message_label(const RcCase *c)
{
	if (rc_case_quotes_qemu(c))
		return "QEMU says";
	if (c->result.evidence == RC_EVIDENCE_ATTRIBUTED ||
	    c->result.evidence == RC_EVIDENCE_FAILED_ALONE)
		return "romcompat attributes";
	return "message";
}

/* The block's sizes and the prediction, one fact a line. */
static void append_title_sizes(GPtrArray *lines, const RcCase *c)
{
	const RcResult *r = &c->result;
	gboolean forward = c->direction == RC_DIRECTION_OLD_TO_NEW;

	if (r->source_size) {
		g_autofree char *size = size_words(r->source_size);

		g_ptr_array_add(lines,
				g_strdup_printf("source (%s): %s", forward ? "old" : "new", size));
	}
	if (r->destination_size) {
		g_autofree char *size = size_words(r->destination_size);

		g_ptr_array_add(lines, g_strdup_printf("destination (%s): %s",
						       forward ? "new" : "old", size));
	}
	if (r->predicted != RC_VERDICT_NOT_RUN && r->evidence != RC_EVIDENCE_PREDICTED)
		g_ptr_array_add(lines,
				g_strdup_printf("predicted: %s%s",
						rc_verdict_to_string(r->predicted),
						rc_case_prediction(c) == RC_PREDICTION_DISAGREES
							? " (disagrees with QEMU)"
							: ""));
}

/* Everything about a case, one fact a line, unescaped. */
static GPtrArray *case_title(const RcCase *c)
{
	const RcResult *r = &c->result;
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(lines,
			g_strdup_printf("%s  %s  %s%s%s", c->machine, c->nic,
					rc_direction_to_string(c->direction),
					c->device_class == RC_DEVICE_CLASS_NIC ? "" : "  ",
					c->device_class == RC_DEVICE_CLASS_NIC
						? ""
						: rc_device_class_to_string(c->device_class)));
	g_ptr_array_add(lines, g_strdup_printf("%s: %s", rc_verdict_to_string(r->verdict),
					       rc_kind_to_string(r->kind)));
	g_ptr_array_add(lines, g_strdup_printf("evidence: %s", evidence_words(r->evidence)));
	if (c->romfile)
		g_ptr_array_add(lines, g_strdup_printf("%s: %s",
						       c->device_class == RC_DEVICE_CLASS_FIRMWARE
							       ? "firmware image"
							       : "ROM file",
						       c->romfile));
	if (r->block)
		g_ptr_array_add(lines, g_strdup_printf("RAM block: %s", r->block));
	append_title_sizes(lines, c);
	/* A prediction's message repeats the sizes above. */
	if (r->message && r->evidence != RC_EVIDENCE_PREDICTED)
		g_ptr_array_add(lines, g_strdup_printf("%s: %s", message_label(c), r->message));
	if (r->seconds > 0)
		g_ptr_array_add(lines, g_strdup_printf("time: %.2f s", r->seconds));
	return lines;
}

static void append_cell(GString *out, const RcCase *c)
{
	g_autoptr(GPtrArray) title = NULL;

	if (!c) {
		g_string_append(out, "<td class=\"c none\" title=\"no case\">&#8211;</td>");
		return;
	}
	title = case_title(c);
	g_string_append_printf(
		out, "<td class=\"c v-%s k-%s e-%s%s\" title=\"",
		rc_verdict_to_string(c->result.verdict), rc_kind_to_string(c->result.kind),
		rc_evidence_to_string(c->result.evidence),
		rc_case_prediction(c) == RC_PREDICTION_DISAGREES ? " disagrees" : "");
	/* Literal line breaks between the lines: a quarter the bytes of "&#10;". */
	for (guint i = 0; i < title->len; i++) {
		if (i)
			g_string_append_c(out, '\n');
		rc_markup_append(out, g_ptr_array_index(title, i), TRUE);
	}
	g_string_append_printf(
		out, "\">%s</td>",
		verdict_glyph(c->result.verdict, c->result.evidence == RC_EVIDENCE_PREDICTED));
}

static char *cell_key(const char *machine, RcDirection direction, const char *nic)
{
	return g_strdup_printf("%s\n%d\n%s", machine, (int)direction, nic);
}

static int compare_names(gconstpointer a, gconstpointer b)
{
	return rc_catalog_name_compare(*(const char *const *)a, *(const char *const *)b);
}

/* A case's column: its device, and for firmware its image too (a block
 * such as system.flash0 takes one of several images). */
static char *column_of(const RcCase *c)
{
	if (c->device_class == RC_DEVICE_CLASS_FIRMWARE)
		return g_strdup_printf("%s(%s)", c->nic, c->romfile);
	return g_strdup(c->nic);
}

/* The distinct machine types (@nic FALSE) or columns of @cases, in the
 * catalog's name order; g_ptr_array_unref() it. */
static GPtrArray *distinct(GPtrArray *cases, gboolean nic)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < cases->len; i++) {
		const RcCase *c = g_ptr_array_index(cases, i);
		char *name = nic ? column_of(c) : g_strdup(c->machine);

		if (g_hash_table_contains(seen, name)) {
			g_free(name);
			continue;
		}
		g_hash_table_add(seen, name);
		g_ptr_array_add(names, name);
	}
	g_ptr_array_sort(names, compare_names);
	return names;
}

/* The legend: a swatch for each verdict and kind present, with counts. */
static void append_legend(GString *out, GPtrArray *cases, gboolean holes)
{
	guint counts[RC_VERDICT_COUNT][RC_KIND_COUNT] = {{0}};
	guint predicted = 0, disagreements = 0;

	for (guint i = 0; i < cases->len; i++) {
		const RcCase *c = g_ptr_array_index(cases, i);

		counts[c->result.verdict][c->result.kind]++;
		predicted += c->result.evidence == RC_EVIDENCE_PREDICTED;
		disagreements += rc_case_prediction(c) == RC_PREDICTION_DISAGREES;
	}
	g_string_append(out, "<div class=\"legend\">\n");
	for (int v = 0; v < RC_VERDICT_COUNT; v++) {
		static const int order[] = {RC_VERDICT_PASS, RC_VERDICT_FAIL, RC_VERDICT_ERROR,
					    RC_VERDICT_NOT_RUN};

		for (int k = 0; k < RC_KIND_COUNT; k++) {
			const char *verdict = rc_verdict_to_string(order[v]);
			const char *kind = rc_kind_to_string(k);
			/* A pass is always "ok", a case not run always "none". */
			gboolean plain =
				order[v] == RC_VERDICT_PASS || order[v] == RC_VERDICT_NOT_RUN;

			if (!counts[order[v]][k])
				continue;
			g_string_append_printf(
				out, "<span><i class=\"sw v-%s k-%s\">%s</i>%s%s%s: %u</span>\n",
				verdict, kind, verdict_glyph(order[v], FALSE), verdict,
				plain ? "" : " ", plain ? "" : kind, counts[order[v]][k]);
		}
	}
	if (predicted)
		g_string_append_printf(
			out,
			"<span><i class=\"sw v-pass e-predicted\">%s</i><i class=\"sw "
			"v-fail e-predicted\">%s</i>hatched, hollow glyph: predicted "
			"only, no QEMU run: %u</span>\n",
			verdict_glyph(RC_VERDICT_PASS, TRUE), verdict_glyph(RC_VERDICT_FAIL, TRUE),
			predicted);
	if (disagreements)
		g_string_append_printf(out,
				       "<span><i class=\"sw v-pass disagrees\"></i>prediction "
				       "disagrees: %u</span>\n",
				       disagreements);
	if (holes)
		g_string_append(out, "<span><i class=\"sw none\">&#8211;</i>no case (not in the "
				     "matrix)</span>\n");
	g_string_append(out, "</div>\n");
}

/*
 * The heatmap's axes: a row per machine type, grouped into families; a
 * column per NIC in each direction present; the cases by (machine,
 * direction, NIC).
 */
typedef struct {
	GHashTable *cells;
	GPtrArray *machines;
	GPtrArray *nics;
	GPtrArray *families;
	GHashTable *family_rows;
	RcDirection directions[2];
	guint ndirections;
} Heatmap;

static void heatmap_clear(Heatmap *h)
{
	/* The rows borrow the family names and machine types: they go first. */
	if (h->family_rows)
		g_hash_table_unref(h->family_rows);
	if (h->families)
		g_ptr_array_unref(h->families);
	if (h->nics)
		g_ptr_array_unref(h->nics);
	if (h->machines)
		g_ptr_array_unref(h->machines);
	if (h->cells)
		g_hash_table_unref(h->cells);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Heatmap, heatmap_clear)

/* The cases by cell, and the directions present (old-to-new first). */
static void heatmap_add_cases(Heatmap *h, GPtrArray *cases)
{
	gboolean has[2] = {FALSE, FALSE};

	for (guint i = 0; i < cases->len; i++) {
		RcCase *c = g_ptr_array_index(cases, i);

		g_autofree char *column = column_of(c);

		g_hash_table_insert(h->cells, cell_key(c->machine, c->direction, column), c);
		has[c->direction == RC_DIRECTION_OLD_TO_NEW ? 0 : 1] = TRUE;
	}
	if (has[0])
		h->directions[h->ndirections++] = RC_DIRECTION_OLD_TO_NEW;
	if (has[1])
		h->directions[h->ndirections++] = RC_DIRECTION_NEW_TO_OLD;
}

/* Families in the order of their first machine type. */
static void heatmap_group_families(Heatmap *h)
{
	for (guint i = 0; i < h->machines->len; i++) {
		const char *machine = g_ptr_array_index(h->machines, i);
		char *family = machine_family(machine);
		GPtrArray *rows = g_hash_table_lookup(h->family_rows, family);

		if (!rows) {
			rows = g_ptr_array_new();
			g_ptr_array_add(h->families, family);
			g_hash_table_insert(h->family_rows, family, rows);
		} else {
			g_free(family);
		}
		g_ptr_array_add(rows, (gpointer)machine);
	}
}

static void heatmap_init(Heatmap *h, const RcReport *report)
{
	h->cells = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	h->machines = distinct(report->cases, FALSE);
	h->nics = distinct(report->cases, TRUE);
	h->families = g_ptr_array_new_with_free_func(g_free);
	h->family_rows = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					       (GDestroyNotify)g_ptr_array_unref);
	heatmap_add_cases(h, report->cases);
	heatmap_group_families(h);
}

/* Whether a cell of the table has no case (the matrix left it out). */
static gboolean heatmap_has_holes(const Heatmap *h)
{
	guint nics = h->nics->len;

	for (guint i = 0; i < h->machines->len * h->ndirections * nics; i++) {
		g_autofree char *key =
			cell_key(g_ptr_array_index(h->machines, i / (h->ndirections * nics)),
				 h->directions[i / nics % h->ndirections],
				 g_ptr_array_index(h->nics, i % nics));

		if (!g_hash_table_contains(h->cells, key))
			return TRUE;
	}
	return FALSE;
}

/* The table's head: a column group per direction, a column per NIC. */
static void append_heatmap_head(GString *out, const Heatmap *h)
{
	g_string_append(out, "<table class=\"heat\">\n<thead>\n<tr class=\"dir\">"
			     "<th class=\"corner\">machine type</th>");
	for (guint d = 0; d < h->ndirections; d++)
		g_string_append_printf(
			out, "%s<th colspan=\"%u\" title=\"%s\">%s</th>", d ? "<th></th>" : "",
			h->nics->len,
			h->directions[d] == RC_DIRECTION_OLD_TO_NEW
				? "VMs started with the old ROMs move to the new host"
				: "VMs started with the new ROMs move back to the old host",
			h->directions[d] == RC_DIRECTION_OLD_TO_NEW ? "old &#8594; new"
								    : "new &#8594; old");
	g_string_append(out, "<th>fail</th></tr>\n<tr class=\"nics\"><th class=\"corner\"></th>");
	for (guint d = 0; d < h->ndirections; d++) {
		if (d)
			g_string_append(out, "<th></th>");
		for (guint n = 0; n < h->nics->len; n++) {
			g_string_append(out, "<th><span>");
			rc_markup_append(out, g_ptr_array_index(h->nics, n), TRUE);
			g_string_append(out, "</span></th>");
		}
	}
	g_string_append(out, "<th></th></tr>\n</thead>\n<tbody>\n");
}

/* One machine type's row: a cell per direction and NIC, then its failures. */
static void append_heatmap_row(GString *out, const Heatmap *h, const char *machine)
{
	guint fails = 0;

	g_string_append(out, "<tr><th>");
	rc_markup_append(out, machine, TRUE);
	g_string_append(out, "</th>");
	for (guint d = 0; d < h->ndirections; d++) {
		if (d)
			g_string_append(out, "<td class=\"gap\"></td>");
		for (guint n = 0; n < h->nics->len; n++) {
			g_autofree char *key =
				cell_key(machine, h->directions[d], g_ptr_array_index(h->nics, n));
			const RcCase *c = g_hash_table_lookup(h->cells, key);

			fails += c && c->result.verdict == RC_VERDICT_FAIL;
			append_cell(out, c);
		}
	}
	if (fails)
		g_string_append_printf(out, "<td class=\"n\">%u</td></tr>\n", fails);
	else
		g_string_append(out, "<td class=\"n\"></td></tr>\n");
}

static void append_heatmap(GString *out, const RcReport *report)
{
	g_auto(Heatmap) h = {0};

	heatmap_init(&h, report);
	append_legend(out, report->cases, heatmap_has_holes(&h));
	append_heatmap_head(out, &h);
	for (guint f = 0; f < h.families->len; f++) {
		const char *family = g_ptr_array_index(h.families, f);
		GPtrArray *rows = g_hash_table_lookup(h.family_rows, family);

		g_string_append_printf(out, "<tr class=\"family\"><th colspan=\"%u\">",
				       h.ndirections * (h.nics->len + 1) + 1);
		rc_markup_append(out, family, TRUE);
		g_string_append_printf(out, " (%u)</th></tr>\n", rows->len);
		for (guint m = 0; m < rows->len; m++)
			append_heatmap_row(out, &h, g_ptr_array_index(rows, m));
	}
	g_string_append(out, "</tbody>\n</table>\n");
}

/* --- ROM files --------------------------------------------------------- */

/* The architecture of an image: a class name suffix and words. */
static const char *image_arch(const RcRomImage *image, char **words)
{
	if (image->code_type == RC_ROM_CODE_X86) {
		*words = g_strdup("x86 legacy");
		return "x86";
	}
	if (image->code_type == RC_ROM_CODE_EFI) {
		g_autofree char *machine = rc_rom_efi_machine_name(image->efi_machine);
		static const char *const known[] = {"x64", "ia32", "aarch64", "riscv64",
						    "loongarch64"};

		*words = g_strdup_printf("EFI %s", machine);
		for (guint i = 0; i < G_N_ELEMENTS(known); i++)
			if (strcmp(machine, known[i]) == 0)
				return i == 0	? "efi-x64"
				       : i == 1 ? "efi-ia32"
				       : i == 2 ? "efi-aarch64"
				       : i == 3 ? "efi-riscv64"
						: "efi-loongarch64";
		return "efi-other";
	}
	*words = g_strdup(rc_rom_code_type_name(image->code_type));
	return "other";
}

static void append_segment(GString *out, const char *arch, guint64 offset, guint64 length,
			   guint64 bucket, const char *title)
{
	g_string_append_printf(out, "<div class=\"seg a-%s\" style=\"", arch);
	append_percent(out, "left", 100.0 * (double)offset / (double)bucket);
	append_percent(out, "width",
		       100.0 * (double)MIN(length, bucket - MIN(offset, bucket)) / (double)bucket);
	g_string_append(out, "\" title=\"");
	rc_markup_append(out, title, TRUE);
	g_string_append(out, "\"></div>");
}

/* Power-of-two grid lines from a sixteenth of @scale up. */
static void append_grid(GString *out, guint64 scale)
{
	for (guint64 at = 1; at < scale; at <<= 1) {
		if (at * 16 < scale)
			continue;
		g_string_append(out, "<div class=\"grid\" style=\"");
		append_percent(out, "left", 100.0 * (double)at / (double)scale);
		g_string_append(out, "\"></div>");
	}
}

static void append_bar(GString *out, const char *side, const RcRomEntry *entry, guint64 scale,
		       GHashTable *arches)
{
	const RcRom *rom = entry ? entry->rom : NULL;
	g_autofree char *size = NULL;
	g_autofree char *bucket = NULL;

	g_string_append_printf(out, "<div class=\"barrow\"><span class=\"side\">%s</span>", side);
	if (!entry || !rom) {
		g_string_append(out, "<div class=\"track missing\">");
		if (!entry)
			g_string_append_printf(out, "not in the %s set", side);
		else
			rc_markup_append(out, entry->error ? entry->error->message : "not readable",
					 TRUE);
		g_string_append(out, "</div><span class=\"size\"></span></div>\n");
		return;
	}
	g_string_append(out, "<div class=\"track\">");
	append_grid(out, scale);
	bucket = rc_format_bucket(rom->bucket);
	g_string_append(out, "<div class=\"bucket\" style=\"");
	append_percent(out, "width", 100.0 * (double)rom->bucket / (double)scale);
	g_string_append_printf(out, "\" title=\"bucket (RAM block): %s\">", bucket);
	for (guint i = 0; i < rom->images->len; i++) {
		const RcRomImage *image = rc_rom_image(rom, i);
		g_autofree char *words = NULL;
		const char *arch = image_arch(image, &words);
		g_autofree char *length = rc_format_size(image->length);
		g_autofree char *title = g_strdup_printf(
			"image %u: %s%s, %s at 0x%" G_GINT64_MODIFIER "x, PCI %04x:%04x", i, words,
			image->code_type == RC_ROM_CODE_EFI &&
					image->efi_compression == RC_ROM_EFI_COMPRESSED
				? " (compressed)"
				: "",
			length, image->offset, image->vendor_id, image->device_id);

		g_hash_table_insert(arches, (gpointer)arch, g_strdup(words));
		append_segment(out, arch, image->offset, image->length, rom->bucket, title);
	}
	if (rom->padding_length) {
		g_autofree char *length = rc_format_size(rom->padding_length);
		g_autofree char *title =
			rom->padding_fill >= 0
				? g_strdup_printf("padding: %s of 0x%02x", length,
						  rom->padding_fill)
				: g_strdup_printf("padding: %s, mixed bytes", length);

		append_segment(out, "pad", rom->padding_offset, rom->padding_length, rom->bucket,
			       title);
	}
	size = rc_format_size(rom->size);
	g_string_append_printf(out, "</div></div><span class=\"size\">%s in %s</span></div>\n",
			       size, bucket);
}

static gboolean changed_bucket(const RcRomEntry *old_entry, const RcRomEntry *new_entry)
{
	return old_entry && new_entry && old_entry->rom && new_entry->rom &&
	       old_entry->rom->bucket != new_entry->rom->bucket;
}

static void append_rom(GString *out, const char *name, const RcRomEntry *old_entry,
		       const RcRomEntry *new_entry, GPtrArray *nics, guint64 scale,
		       GHashTable *arches)
{
	gboolean changed = changed_bucket(old_entry, new_entry);

	g_string_append_printf(out, "<div class=\"rom%s\"><div class=\"name\">",
			       changed ? " changed" : "");
	rc_markup_append(out, name, TRUE);
	if (changed) {
		g_autofree char *from = rc_format_bucket(old_entry->rom->bucket);
		g_autofree char *to = rc_format_bucket(new_entry->rom->bucket);

		g_string_append_printf(out, "<span class=\"badge\">bucket %s &#8594; %s</span>",
				       from, to);
	}
	if (nics && nics->len) {
		g_string_append(out, " <span class=\"nics\">loaded by ");
		for (guint i = 0; i < nics->len; i++) {
			if (i)
				g_string_append(out, ", ");
			rc_markup_append(out, g_ptr_array_index(nics, i), TRUE);
		}
		g_string_append(out, "</span>");
	}
	g_string_append(out, "</div>\n");
	append_bar(out, "old", old_entry, scale, arches);
	append_bar(out, "new", new_entry, scale, arches);
	g_string_append(out, "</div>\n");
}

static guint64 largest_bucket(const RcRomSet *set)
{
	guint64 largest = 0;

	for (guint i = 0; set && i < set->entries->len; i++) {
		const RcRomEntry *e = g_ptr_array_index(set->entries, i);

		if (e->rom)
			largest = MAX(largest, e->rom->bucket);
	}
	return largest;
}

static void add_names(GPtrArray *names, GHashTable *seen, const RcRomSet *set)
{
	for (guint i = 0; set && i < set->entries->len; i++) {
		const RcRomEntry *e = g_ptr_array_index(set->entries, i);

		if (g_hash_table_add(seen, e->name))
			g_ptr_array_add(names, e->name);
	}
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void append_axis(GString *out, guint64 scale)
{
	g_string_append(out, "<div class=\"axis\">");
	for (guint64 at = 1; at <= scale; at <<= 1) {
		g_autofree char *label = rc_format_bucket(at);

		if (at * 16 < scale)
			continue;
		g_string_append(out, "<span style=\"");
		append_percent(out, "left", 100.0 * (double)at / (double)scale);
		g_string_append_printf(out, "\">%s</span>", label);
	}
	g_string_append(out, "</div>\n");
}

static void append_roms(GString *out, const RcReport *report, const RcRomSet *old_roms,
			const RcRomSet *new_roms)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) users = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
							    (GDestroyNotify)g_ptr_array_unref);
	g_autoptr(GHashTable) user_seen =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) arches = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	g_autoptr(GString) bars = g_string_new(NULL);
	guint64 scale = MAX(largest_bucket(old_roms), largest_bucket(new_roms));
	guint changed = 0;
	GHashTableIter iter;
	gpointer arch, words;

	add_names(names, seen, old_roms);
	add_names(names, seen, new_roms);
	g_ptr_array_sort(names, compare_strings);
	/* The NIC models that load each file, from the cases. */
	for (guint i = 0; i < report->cases->len; i++) {
		const RcCase *c = g_ptr_array_index(report->cases, i);
		g_autofree char *key = NULL;
		GPtrArray *list;

		if (!c->romfile)
			continue;
		key = g_strdup_printf("%s\n%s", c->romfile, c->nic);
		if (!g_hash_table_add(user_seen, g_steal_pointer(&key)))
			continue;
		if (!(list = g_hash_table_lookup(users, c->romfile))) {
			list = g_ptr_array_new();
			g_hash_table_insert(users, c->romfile, list);
		}
		g_ptr_array_add(list, c->nic);
	}
	/* The files that changed bucket first, then the others, by name. */
	for (int first = 1; first >= 0; first--) {
		for (guint i = 0; i < names->len; i++) {
			const char *name = g_ptr_array_index(names, i);
			const RcRomEntry *o = old_roms ? rc_rom_set_lookup(old_roms, name) : NULL;
			const RcRomEntry *n = new_roms ? rc_rom_set_lookup(new_roms, name) : NULL;
			GPtrArray *list = g_hash_table_lookup(users, name);

			if (changed_bucket(o, n) != first)
				continue;
			if (list)
				g_ptr_array_sort(list, compare_names);
			changed += changed_bucket(o, n);
			append_rom(bars, name, o, n, list, scale ? scale : 1, arches);
		}
	}
	g_string_append_printf(out,
			       "<h2 id=\"roms\">ROM files: %u, %u changed bucket</h2>\n"
			       "<p>Each bar is a file drawn to one scale; the frame is its bucket "
			       "(the RAM block QEMU gives it, the file size rounded up to a power "
			       "of two), ending in a thick line. Dotted lines: powers of two.</p>\n"
			       "<div class=\"roms\"><div class=\"legend\">",
			       names->len, changed);
	g_hash_table_iter_init(&iter, arches);
	while (g_hash_table_iter_next(&iter, &arch, &words)) {
		g_string_append_printf(out, "<span><i class=\"sw a-%s\"></i>", (const char *)arch);
		rc_markup_append(out, words, TRUE);
		g_string_append(out, "</span>");
	}
	g_string_append(out, "<span><i class=\"sw a-pad\"></i>padding</span>"
			     "<span><i class=\"sw\" style=\"background:#f4f4f4\"></i>headroom "
			     "left in the bucket</span></div>\n");
	append_axis(out, scale ? scale : 1);
	g_string_append_len(out, bars->str, (gssize)bars->len);
	g_string_append(out, "</div>\n");
}

/*
 * "romcompat: ROMs OLD -> NEW (x86_64, QEMU 7.2.22)": the two sets
 * compared, and the QEMU versions when they differ.
 */
static char *page_title(const RcReport *report)
{
	const char *old_qemu = report->old_side.qemu_version ? report->old_side.qemu_version : "?";
	const char *new_qemu = report->new_side.qemu_version ? report->new_side.qemu_version : "?";
	g_autofree char *qemu = strcmp(old_qemu, new_qemu) == 0
					? g_strdup_printf("QEMU %s", old_qemu)
					: g_strdup_printf("QEMU %s \u2192 %s", old_qemu, new_qemu);

	return g_strdup_printf("romcompat: ROMs %s \u2192 %s (%s%s%s%s%s)",
			       report->old_side.roms ? report->old_side.roms : "?",
			       report->new_side.roms ? report->new_side.roms : "?",
			       report->scenario ? report->scenario : "",
			       report->scenario ? ", " : "", report->arch ? report->arch : "",
			       report->arch ? ", " : "", qemu);
}

/**
 * rc_report_to_html() - the HTML report: one page, nothing external
 * @report:	the report
 * @old_roms:	the old ROM set, for the ROM bars, or NULL
 * @new_roms:	the new ROM set, or NULL (no ROM section when both are NULL)
 *
 * Return: the HTML document; g_free() it
 */
char *rc_report_to_html(const RcReport *report, const RcRomSet *old_roms, const RcRomSet *new_roms)
{
	GString *out = g_string_new("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
				    "<meta charset=\"utf-8\">\n");
	g_autofree char *text = rc_report_to_text(report);
	g_autofree char *heading = page_title(report);
	RcReportSummary s;

	rc_report_summarize(report, &s);
	/* No request may leave the page: no scripts, styles inline, no images. */
	g_string_append(out, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
			     "'none'; style-src 'unsafe-inline'\">\n");
	append_element(out, "title", heading);
	g_string_append_printf(out, "\n<style>\n%s</style>\n</head>\n<body>\n", css);
	append_element(out, "h1", heading);
	g_string_append_c(out, '\n');
	if (rc_report_is_partial(report))
		g_string_append_printf(
			out,
			"<p class=\"partial\">Partial report: %s; %u of the "
			"matrix's %u cases are here, %u of them not run.</p>\n",
			report->interrupted			     ? "the run was interrupted"
			: report->cases->len != report->matrix_cases ? "a shard of the matrix"
								     : "cases were not run",
			s.cases, report->matrix_cases, s.verdicts[RC_VERDICT_NOT_RUN]);
	append_summary(out, report, &s);
	append_failures(out, report, &s);
	g_string_append(out,
			"<h2 id=\"matrix\">Matrix</h2>\n<p>One cell per case, its glyph "
			"and colour its verdict (&#10003; pass, &#10007; fail, ! error, "
			"&#183; not run; hollow when only predicted); hover for its evidence, "
			"the RAM block and both sizes. The last column counts a machine type's "
			"failures.</p>\n");
	if (report->cases->len)
		append_heatmap(out, report);
	else
		g_string_append(out, "<p class=\"missing\">no cases</p>\n");
	if (old_roms || new_roms)
		append_roms(out, report, old_roms, new_roms);
	g_string_append(out, "<details><summary>Text summary</summary><pre>");
	rc_markup_append(out, text, TRUE);
	g_string_append(out, "</pre></details>\n</body>\n</html>\n");
	return g_string_free(out, FALSE);
}
