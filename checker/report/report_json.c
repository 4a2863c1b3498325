/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_json.c - the JSON report of a matrix run: metadata, summary and
 * every case; and its strict reader, with which `romcompat merge` takes
 * shard reports back.
 *
 * The reader trusts nothing: every member is type-checked, every name must
 * be one the catalog could have given, every result must be consistent
 * (rc_result_check()), and the summary and "partial" flag written in the
 * file must be what its cases say.  A report that was edited by hand, cut
 * short or written by another format version is refused with its JSON path.
 */
#include "report/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/input.h"
#include "base/jsonparse.h"
#include "base/jsonutil.h"

/* How every JSON report is printed. */
#define JSON_FLAGS                                                                                 \
	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

static const char report_fix_hint[] = "give a report written by 'romcompat check --json'";

/* Seconds with three decimals, whatever the locale's decimal separator. */
static json_object *seconds_to_json(double seconds)
{
	char text[G_ASCII_DTOSTR_BUF_SIZE];

	g_ascii_formatd(text, sizeof(text), "%.3f", seconds);
	return json_object_new_double_s(g_ascii_strtod(text, NULL), text);
}

static json_object *string_or_null(const char *text)
{
	return text ? json_object_new_string(text) : NULL;
}

static json_object *size_or_null(guint64 size)
{
	return size ? json_object_new_int64((gint64)size) : NULL;
}

static json_object *case_to_json(const RcCase *c)
{
	const RcResult *r = &c->result;
	json_object *obj = json_object_new_object();
	RcPrediction prediction = rc_case_prediction(c);

	json_object_object_add(obj, "machine", json_object_new_string(c->machine));
	json_object_object_add(obj, "class",
			       json_object_new_string(rc_device_class_to_string(c->device_class)));
	json_object_object_add(obj, "device", json_object_new_string(c->nic));
	/* NIC cases keep the member every earlier reader knows them by. */
	if (c->device_class == RC_DEVICE_CLASS_NIC)
		json_object_object_add(obj, "nic", json_object_new_string(c->nic));
	json_object_object_add(obj, "direction",
			       json_object_new_string(rc_direction_to_string(c->direction)));
	json_object_object_add(obj, "romfile", json_object_new_string(c->romfile));
	json_object_object_add(obj, "verdict",
			       json_object_new_string(rc_verdict_to_string(r->verdict)));
	json_object_object_add(obj, "kind", json_object_new_string(rc_kind_to_string(r->kind)));
	json_object_object_add(obj, "evidence",
			       json_object_new_string(rc_evidence_to_string(r->evidence)));
	rc_json_add_text(obj, "block", r->block);
	json_object_object_add(obj, "source-size", size_or_null(r->source_size));
	json_object_object_add(obj, "destination-size", size_or_null(r->destination_size));
	rc_json_add_text(obj, "message", r->message);
	json_object_object_add(
		obj, "predicted",
		r->predicted == RC_VERDICT_NOT_RUN
			? NULL
			: json_object_new_string(rc_verdict_to_string(r->predicted)));
	json_object_object_add(
		obj, "prediction-agrees",
		prediction == RC_PREDICTION_NONE
			? NULL
			: json_object_new_boolean(prediction == RC_PREDICTION_AGREES));
	json_object_object_add(obj, "seconds",
			       seconds_to_json((double)rc_case_milliseconds(c) / 1000));
	return obj;
}

static json_object *side_to_json(const RcReportSide *side)
{
	json_object *obj = json_object_new_object();

	rc_json_add_text(obj, "qemu", side->qemu);
	rc_json_add_text(obj, "qemu-version", side->qemu_version);
	rc_json_add_text(obj, "roms", side->roms);
	return obj;
}

static json_object *summary_to_json(const RcReport *report)
{
	json_object *obj = json_object_new_object();
	json_object *evidence = json_object_new_object();
	RcReportSummary s;

	rc_report_summarize(report, &s);
	json_object_object_add(obj, "cases", json_object_new_int64(s.cases));
	for (guint v = 0; v < RC_VERDICT_COUNT; v++)
		json_object_object_add(obj, rc_verdict_to_string((RcVerdict)v),
				       json_object_new_int64(s.verdicts[v]));
	for (guint e = RC_EVIDENCE_MIGRATED; e < RC_EVIDENCE_COUNT; e++)
		json_object_object_add(evidence, rc_evidence_to_string((RcEvidence)e),
				       json_object_new_int64(s.evidence[e]));
	json_object_object_add(obj, "evidence", evidence);
	json_object_object_add(obj, "prediction-disagreements",
			       json_object_new_int64(s.disagreements));
	json_object_object_add(obj, "seconds", seconds_to_json((double)s.milliseconds / 1000));
	json_object_object_add(obj, "exit-status",
			       json_object_new_int(rc_report_exit_status(report)));
	return obj;
}

static json_object *report_head_to_json(const RcReport *report);

/**
 * rc_report_to_json() - the JSON report
 * @report:	the report
 *
 * Return: a new JSON object (format in docs/matrix.md)
 */
json_object *rc_report_to_json(const RcReport *report)
{
	json_object *obj = report_head_to_json(report);
	json_object *cases = json_object_new_array();

	for (guint i = 0; i < report->cases->len; i++)
		json_object_array_add(cases, case_to_json(g_ptr_array_index(report->cases, i)));
	json_object_object_add(obj, "cases", cases);
	return obj;
}

/* Everything but the cases, which come last. */
static json_object *report_head_to_json(const RcReport *report)
{
	json_object *obj = json_object_new_object();
	json_object *shard = json_object_new_object();
	json_object *matrix = json_object_new_object();

	json_object_object_add(obj, "format", json_object_new_int(RC_REPORT_FORMAT));
	json_object_object_add(obj, "romcompat", string_or_null(report->romcompat_version));
	rc_json_add_text(obj, "scenario", report->scenario);
	json_object_object_add(obj, "arch", string_or_null(report->arch));
	json_object_object_add(obj, "accel",
			       json_object_new_string(rc_accel_to_string(report->accel)));
	json_object_object_add(obj, "old", side_to_json(&report->old_side));
	json_object_object_add(obj, "new", side_to_json(&report->new_side));
	json_object_object_add(shard, "index", json_object_new_int64(report->shard.index));
	json_object_object_add(shard, "count", json_object_new_int64(report->shard.count));
	json_object_object_add(obj, "shard", shard);
	json_object_object_add(obj, "interrupted", json_object_new_boolean(report->interrupted));
	json_object_object_add(obj, "partial",
			       json_object_new_boolean(rc_report_is_partial(report)));
	json_object_object_add(matrix, "cases", json_object_new_int64(report->matrix_cases));
	json_object_object_add(matrix, "digest", string_or_null(report->matrix_digest));
	json_object_object_add(obj, "matrix", matrix);
	json_object_object_add(obj, "summary", summary_to_json(report));
	return obj;
}

/**
 * rc_report_to_json_string() - the JSON report as text
 * @report:	the report
 *
 * Return: pretty JSON ending in a newline; g_free() it
 */
char *rc_report_to_json_string(const RcReport *report)
{
	g_autoptr(json_object) obj = rc_report_to_json(report);

	return g_strconcat(json_object_to_json_string_ext(obj, JSON_FLAGS), "\n", NULL);
}

/* Every line of @text indented by @indent spaces, onto @out. */
static gboolean put_indented(FILE *out, const char *text, int indent)
{
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (fprintf(out, "%*s%.*s%s", indent, "", (int)len, line, nl ? "\n" : "") < 0)
			return FALSE;
		line += len + (nl ? 1 : 0);
	}
	return TRUE;
}

/*
 * The report as rc_report_to_json_string() prints it, written one case at
 * a time: a matrix of thousands of cases never exists as one json-c tree
 * or one string (that would double romcompat's peak memory).
 */
static gboolean stream_json(const RcReport *report, FILE *out)
{
	g_autoptr(json_object) head = NULL;
	const char *text;
	const char *tail;

	if (!report->cases->len) {
		g_autofree char *all = rc_report_to_json_string(report);

		return fputs(all, out) != EOF;
	}
	/* The head with an empty "cases", printed up to that array. */
	head = report_head_to_json(report);
	json_object_object_add(head, "cases", json_object_new_array());
	text = json_object_to_json_string_ext(head, JSON_FLAGS);
	tail = g_strrstr(text, "\"cases\": [");
	g_assert(tail);
	if (fwrite(text, 1, (size_t)(tail - text), out) != (size_t)(tail - text) ||
	    fputs("\"cases\": [", out) == EOF)
		return FALSE;
	for (guint i = 0; i < report->cases->len; i++) {
		g_autoptr(json_object) c = case_to_json(g_ptr_array_index(report->cases, i));

		if (fputs(i ? ",\n" : "\n", out) == EOF ||
		    !put_indented(out, json_object_to_json_string_ext(c, JSON_FLAGS), 4))
			return FALSE;
	}
	return fputs("\n  ]\n}\n", out) != EOF;
}

static gboolean write_json(FILE *out, gconstpointer report)
{
	return stream_json(report, out);
}

/**
 * rc_report_write_json() - write the JSON report to a file, or stdout
 * @report:	the report
 * @path:	the file ("-": standard output), replaced atomically, so a
 *		reader never sees half a report (rc_report_write_stream())
 * @error:	set when it cannot be written (the directory is read-only,
 *		the disk is full), naming the file and what to do
 *
 * Return: TRUE when written
 */
gboolean rc_report_write_json(const RcReport *report, const char *path, GError **error)
{
	return rc_report_write_stream(path, write_json, report, error);
}

/*
 * Reading.
 */

static gboolean get_name(const RcJsonReader *reader, json_object *obj, const char *path,
			 const char *key, char **out, GError **error)
{
	g_autofree char *member_path = g_strdup_printf("%s.%s", path, key);

	if (!rc_json_get_string(reader, obj, path, key, 0, out, error))
		return FALSE;
	if (!rc_catalog_name_is_valid(*out))
		return rc_json_fail(reader, member_path, error,
				    "not a name (letters, digits, '.', '_', '-')");
	return TRUE;
}

static gboolean get_enum(const RcJsonReader *reader, json_object *obj, const char *path,
			 const char *key, gboolean (*parse)(const char *, guint *), guint *out,
			 GError **error)
{
	g_autofree char *text = NULL;

	if (!rc_json_get_string(reader, obj, path, key, 0, &text, error))
		return FALSE;
	if (!parse(text, out)) {
		g_autofree char *member_path = g_strdup_printf("%s.%s", path, key);
		g_autofree char *shown = g_strescape(text, NULL);

		return rc_json_fail(reader, member_path, error, "unknown value '%s'", shown);
	}
	return TRUE;
}

/* Adapters: the enum parsers have typed outputs. */
static gboolean parse_direction(const char *text, guint *out)
{
	RcDirection value;

	return rc_direction_from_string(text, &value) && (*out = value, TRUE);
}

static gboolean parse_verdict(const char *text, guint *out)
{
	RcVerdict value;

	return rc_verdict_from_string(text, &value) && (*out = value, TRUE);
}

static gboolean parse_prediction(const char *text, guint *out)
{
	RcVerdict value;

	return rc_verdict_from_string(text, &value) &&
	       (value == RC_VERDICT_PASS || value == RC_VERDICT_FAIL) && (*out = value, TRUE);
}

static gboolean parse_kind(const char *text, guint *out)
{
	RcKind value;

	return rc_kind_from_string(text, &value) && (*out = value, TRUE);
}

static gboolean parse_evidence(const char *text, guint *out)
{
	RcEvidence value;

	return rc_evidence_from_string(text, &value) && (*out = value, TRUE);
}

static gboolean parse_device_class(const char *text, guint *out)
{
	RcDeviceClass value;

	return rc_device_class_from_string(text, &value) && (*out = value, TRUE);
}

static gboolean parse_accel(const char *text, guint *out)
{
	RcAccel value;

	return rc_accel_from_string(text, &value) && (*out = value, TRUE);
}

static gboolean get_size(const RcJsonReader *reader, json_object *obj, const char *path,
			 const char *key, guint64 *out, GError **error)
{
	json_object *value;

	if (!rc_json_member(reader, obj, path, key, json_type_int, RC_JSON_NULLABLE, &value, error))
		return FALSE;
	if (value && json_object_get_int64(value) <= 0) {
		g_autofree char *member_path = g_strdup_printf("%s.%s", path, key);

		return rc_json_fail(reader, member_path, error,
				    "a size is a positive number of bytes, or null");
	}
	*out = value ? (guint64)json_object_get_int64(value) : 0;
	return TRUE;
}

static gboolean get_seconds(const RcJsonReader *reader, json_object *obj, const char *path,
			    double *out, GError **error)
{
	json_object *value;

	if (!json_object_object_get_ex(obj, "seconds", &value) ||
	    (!json_object_is_type(value, json_type_double) &&
	     !json_object_is_type(value, json_type_int))) {
		g_autofree char *member_path = g_strdup_printf("%s.seconds", path);

		return rc_json_fail(reader, member_path, error, "must be a number");
	}
	*out = json_object_get_double(value);
	return TRUE;
}

/*
 * A case's class and device: "class" (absent in reports written before
 * there were other classes: nic), "device", and for a NIC "nic", the same
 * name; a display or firmware case has no "nic".
 */
static gboolean get_device(const RcJsonReader *reader, json_object *obj, const char *path,
			   guint *device_class, char **device, GError **error)
{
	g_autofree char *nic = NULL;
	g_autofree char *named = NULL;

	*device_class = RC_DEVICE_CLASS_NIC;
	if (json_object_object_get_ex(obj, "class", NULL) &&
	    !get_enum(reader, obj, path, "class", parse_device_class, device_class, error))
		return FALSE;
	if (json_object_object_get_ex(obj, "device", NULL) &&
	    !get_name(reader, obj, path, "device", &named, error))
		return FALSE;
	if (*device_class != RC_DEVICE_CLASS_NIC) {
		if (json_object_object_get_ex(obj, "nic", NULL))
			return rc_json_fail(
				reader, path, error,
				"only a NIC case has a nic member; this one is of "
				"class %s",
				rc_device_class_to_string((RcDeviceClass)*device_class));
		if (!named)
			return rc_json_fail(reader, path, error,
					    "a display or firmware case names its device");
		*device = g_steal_pointer(&named);
		return TRUE;
	}
	if (!get_name(reader, obj, path, "nic", &nic, error))
		return FALSE;
	if (named && strcmp(named, nic) != 0)
		return rc_json_fail(reader, path, error,
				    "device and nic of a NIC case are the same model");
	*device = g_steal_pointer(&nic);
	return TRUE;
}

static gboolean parse_case(const RcJsonReader *reader, json_object *obj, const char *path,
			   RcReport *report, GError **error)
{
	static const char *const known[] = {"machine", "nic",	      "class",
					    "device",  "direction",   "romfile",
					    "verdict", "kind",	      "evidence",
					    "block",   "source-size", "destination-size",
					    "message", "predicted",   "prediction-agrees",
					    "seconds", "block_hex",   "message_hex",
					    NULL};
	g_autofree char *machine = NULL, *nic = NULL, *romfile = NULL;
	g_autoptr(RcCase) c = NULL;
	guint direction, verdict, kind, evidence, predicted = RC_VERDICT_NOT_RUN, device_class;
	RcResult result = {0};
	g_autofree char *block = NULL, *message = NULL, *predicted_text = NULL;
	json_object *agrees;
	const char *problem;

	if (!json_object_is_type(obj, json_type_object))
		return rc_json_fail(reader, path, error, "must be an object");
	if (!rc_json_only_keys(reader, obj, path, known, error) ||
	    !get_name(reader, obj, path, "machine", &machine, error) ||
	    !get_device(reader, obj, path, &device_class, &nic, error) ||
	    !get_enum(reader, obj, path, "direction", parse_direction, &direction, error) ||
	    !get_name(reader, obj, path, "romfile", &romfile, error) ||
	    !get_enum(reader, obj, path, "verdict", parse_verdict, &verdict, error) ||
	    !get_enum(reader, obj, path, "kind", parse_kind, &kind, error) ||
	    !get_enum(reader, obj, path, "evidence", parse_evidence, &evidence, error) ||
	    !rc_json_get_text(reader, obj, path, "block", RC_JSON_NULLABLE, &block, error) ||
	    !get_size(reader, obj, path, "source-size", &result.source_size, error) ||
	    !get_size(reader, obj, path, "destination-size", &result.destination_size, error) ||
	    !rc_json_get_text(reader, obj, path, "message", RC_JSON_NULLABLE, &message, error) ||
	    !rc_json_get_string(reader, obj, path, "predicted", RC_JSON_NULLABLE, &predicted_text,
				error) ||
	    !rc_json_member(reader, obj, path, "prediction-agrees", json_type_boolean,
			    RC_JSON_NULLABLE, &agrees, error) ||
	    !get_seconds(reader, obj, path, &result.seconds, error))
		return FALSE;
	if (predicted_text && !parse_prediction(predicted_text, &predicted))
		return rc_json_fail(reader, path, error, "predicted must be pass, fail or null");

	result.verdict = verdict;
	result.kind = kind;
	result.evidence = evidence;
	result.block = block;
	result.message = message;
	result.predicted = predicted;
	problem = rc_result_check(&result);
	if (problem)
		return rc_json_fail(reader, path, error, "%s", problem);
	c = rc_case_new_device((RcDeviceClass)device_class, machine, nic, (RcDirection)direction,
			       romfile);
	rc_case_set_result(c, &result);
	if ((rc_case_prediction(c) == RC_PREDICTION_NONE) != (agrees == NULL) ||
	    (agrees &&
	     json_object_get_boolean(agrees) != (rc_case_prediction(c) == RC_PREDICTION_AGREES)))
		return rc_json_fail(reader, path, error,
				    "prediction-agrees does not match predicted and verdict");
	g_ptr_array_add(report->cases, g_steal_pointer(&c));
	return TRUE;
}

static gboolean parse_side(const RcJsonReader *reader, json_object *root, const char *key,
			   RcReportSide *side, GError **error)
{
	static const char *const known[] = {
		"qemu", "qemu-version", "roms", "qemu_hex", "qemu-version_hex", "roms_hex", NULL};
	g_autofree char *path = g_strdup_printf("$.%s", key);
	json_object *obj;
	const guint flags = RC_JSON_NULLABLE;

	return rc_json_member(reader, root, "$", key, json_type_object, 0, &obj, error) &&
	       rc_json_only_keys(reader, obj, path, known, error) &&
	       rc_json_get_text(reader, obj, path, "qemu", flags, &side->qemu, error) &&
	       rc_json_get_text(reader, obj, path, "qemu-version", flags, &side->qemu_version,
				error) &&
	       rc_json_get_text(reader, obj, path, "roms", flags, &side->roms, error);
}

static gboolean get_count(const RcJsonReader *reader, json_object *obj, const char *path,
			  const char *key, guint min, guint max, guint *out, GError **error)
{
	json_object *value;
	gint64 n;

	if (!rc_json_member(reader, obj, path, key, json_type_int, 0, &value, error))
		return FALSE;
	n = json_object_get_int64(value);
	if (n < min || n > max) {
		g_autofree char *member_path = g_strdup_printf("%s.%s", path, key);

		return rc_json_fail(reader, member_path, error, "must be %u .. %u", min, max);
	}
	*out = (guint)n;
	return TRUE;
}

static gboolean parse_metadata(const RcJsonReader *reader, json_object *root, RcReport *report,
			       GError **error)
{
	static const char *const known[] = {"format",	   "romcompat",	   "scenario", "arch",
					    "accel",	   "old",	   "new",      "shard",
					    "interrupted", "partial",	   "matrix",   "summary",
					    "cases",	   "scenario_hex", NULL};
	static const char *const shard_known[] = {"index", "count", NULL};
	static const char *const matrix_known[] = {"cases", "digest", NULL};
	json_object *format, *shard, *matrix, *interrupted;
	guint accel;

	if (!json_object_is_type(root, json_type_object))
		return rc_json_fail(reader, "$", error, "a report is a JSON object");
	if (!rc_json_only_keys(reader, root, "$", known, error) ||
	    !rc_json_member(reader, root, "$", "format", json_type_int, 0, &format, error))
		return FALSE;
	if (json_object_get_int64(format) != RC_REPORT_FORMAT)
		return rc_json_fail(reader, "$.format", error,
				    "unsupported report format (this romcompat reads format 1)");
	if (!rc_json_get_string(reader, root, "$", "romcompat", 0, &report->romcompat_version,
				error) ||
	    !rc_json_get_text(reader, root, "$", "scenario", 0, &report->scenario, error) ||
	    !get_name(reader, root, "$", "arch", &report->arch, error) ||
	    !get_enum(reader, root, "$", "accel", parse_accel, &accel, error) ||
	    !parse_side(reader, root, "old", &report->old_side, error) ||
	    !parse_side(reader, root, "new", &report->new_side, error) ||
	    !rc_json_member(reader, root, "$", "shard", json_type_object, 0, &shard, error) ||
	    !rc_json_only_keys(reader, shard, "$.shard", shard_known, error) ||
	    !get_count(reader, shard, "$.shard", "count", 1, RC_SHARD_MAX, &report->shard.count,
		       error) ||
	    !get_count(reader, shard, "$.shard", "index", 1, report->shard.count,
		       &report->shard.index, error) ||
	    !rc_json_member(reader, root, "$", "interrupted", json_type_boolean, 0, &interrupted,
			    error) ||
	    !rc_json_member(reader, root, "$", "matrix", json_type_object, 0, &matrix, error) ||
	    !rc_json_only_keys(reader, matrix, "$.matrix", matrix_known, error) ||
	    !get_count(reader, matrix, "$.matrix", "cases", 0, G_MAXINT, &report->matrix_cases,
		       error) ||
	    !rc_json_get_string(reader, matrix, "$.matrix", "digest", 0, &report->matrix_digest,
				error))
		return FALSE;
	report->accel = accel;
	report->interrupted = json_object_get_boolean(interrupted);
	if (strlen(report->matrix_digest) != 64 ||
	    strspn(report->matrix_digest, "0123456789abcdef") != 64)
		return rc_json_fail(reader, "$.matrix.digest", error, "not a SHA-256 in hex");
	return TRUE;
}

/* The summary and the partial flag are derived: they must say what the cases say. */
static gboolean check_derived(const RcJsonReader *reader, json_object *root, const RcReport *report,
			      GError **error)
{
	g_autoptr(json_object) expected = rc_report_to_json(report);
	json_object *written, *computed;

	if (!rc_json_member(reader, root, "$", "summary", json_type_object, 0, &written, error))
		return FALSE;
	json_object_object_get_ex(expected, "summary", &computed);
	if (!json_object_equal(written, computed))
		return rc_json_fail(reader, "$.summary", error, "does not match the cases");
	if (!rc_json_member(reader, root, "$", "partial", json_type_boolean, 0, &written, error))
		return FALSE;
	if (json_object_get_boolean(written) != rc_report_is_partial(report))
		return rc_json_fail(reader, "$.partial", error, "does not match the cases");
	return TRUE;
}

/**
 * rc_report_from_json() - a report from its JSON form, checked
 * @root:	the document
 * @source:	its file name, for messages
 * @error:	set to an input error naming @source and the JSON path
 *
 * Return: the report with its cases sorted, or NULL
 */
RcReport *rc_report_from_json(json_object *root, const char *source, GError **error)
{
	RcJsonReader reader = {source, report_fix_hint};
	g_autoptr(RcReport) report = rc_report_new();
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	json_object *cases;

	if (!parse_metadata(&reader, root, report, error) ||
	    !rc_json_member(&reader, root, "$", "cases", json_type_array, 0, &cases, error))
		return NULL;
	for (gsize i = 0; i < json_object_array_length(cases); i++) {
		g_autofree char *path = g_strdup_printf("$.cases[%zu]", i);
		char *name;

		if (!parse_case(&reader, json_object_array_get_idx(cases, i), path, report, error))
			return NULL;
		name = rc_case_name(g_ptr_array_index(report->cases, report->cases->len - 1));
		if (!g_hash_table_add(seen, name))
			return rc_json_fail(&reader, path, error, "case %s is listed twice", name),
			       NULL;
	}
	if (report->cases->len > report->matrix_cases)
		return rc_json_fail(&reader, "$.matrix.cases", error,
				    "fewer than the report's own cases"),
		       NULL;
	rc_matrix_sort(report->cases);
	if (!check_derived(&reader, root, report, error))
		return NULL;
	return g_steal_pointer(&report);
}

/**
 * rc_report_parse_json() - a report from JSON text, checked
 * @text:	the text (need not be NUL-terminated)
 * @length:	its length
 * @source:	its file name, for messages
 * @error:	set to an input error
 *
 * Return: the report, or NULL
 */
RcReport *rc_report_parse_json(const char *text, gsize length, const char *source, GError **error)
{
	g_autoptr(json_object) root = rc_json_parse_strict(text, length, source, error);

	return root ? rc_report_from_json(root, source, error) : NULL;
}

/**
 * rc_report_load_json() - read a JSON report file
 * @path:	the file
 * @error:	set to an input error naming @path: not a regular file (a
 *		FIFO is refused without waiting for a writer), larger than
 *		RC_REPORT_MAX_BYTES (checked before reading), not a report
 *
 * Return: the report, or NULL
 */
RcReport *rc_report_load_json(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	gsize length;

	if (!rc_input_read(path, "report", RC_REPORT_MAX_BYTES, &text, &length, error))
		return NULL;
	return rc_report_parse_json(text, length, path, error);
}
