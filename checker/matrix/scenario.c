/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scenario.c - scenario files (GLib key files) and command-line overrides:
 * parsing, validation with the line of every mistake, defaults, and the
 * resolution of relative paths.
 *
 * Theory of operation: GKeyFile parses values (escapes, lists) but neither
 * gives the line of a key nor rejects what it does not know: it merges a
 * group written twice and lets the last of two equal keys win silently.  So
 * the text is first scanned line by line, with GKeyFile's own line rules,
 * against the schema below: every syntax error, unknown group or key and
 * duplicate is reported with its line, and the line of every key is kept
 * for the errors found later in its value.  Only then does GKeyFile read
 * the values.
 */
#include "matrix/scenario.h"

#include <stdarg.h>
#include <string.h>

#include "qemu/catalog.h"
#include "sources/debsource.h"
#include "base/error.h"
#include "base/input.h"

#define DEFAULT_QEMU	  "qemu-system-x86_64"
#define DEFAULT_TIMEOUT_S 30
#define TIMEOUT_S_MAX	  3600
#define JOBS_MAX	  256
/* A scenario is a few hundred bytes; anything this large is not one. */
#define SCENARIO_MAX_BYTES (1024 * 1024)

/* Every group and key a scenario may have. */
static const struct {
	const char *group;
	const char *const keys[12];
} schema[] = {
	{"scenario", {"name", "description", NULL}},
	{"old", {"roms", "qemu", NULL}},
	{"new", {"roms", "qemu", NULL}},
	{"matrix",
	 {"machines", "exclude-machines", "nics", "exclude-nics", "directions", "device-classes",
	  "accel", "timeout", "jobs", "catalog", NULL}},
	{"report", {"junit", "json", NULL}},
};

RC_ENUM_IMPL(rc_direction, RcDirection, RC_DIRECTION_COUNT,
	     [RC_DIRECTION_OLD_TO_NEW] = "old-to-new", [RC_DIRECTION_NEW_TO_OLD] = "new-to-old")

RC_ENUM_IMPL(rc_device_class, RcDeviceClass, RC_DEVICE_CLASS_COUNT, [RC_DEVICE_CLASS_NIC] = "nic",
	     [RC_DEVICE_CLASS_DISPLAY] = "display", [RC_DEVICE_CLASS_FIRMWARE] = "firmware")

RC_ENUM_IMPL(
	rc_accel, RcAccel,
	RC_ACCEL_COUNT, [RC_ACCEL_TCG] = "tcg", [RC_ACCEL_KVM] = "kvm", [RC_ACCEL_AUTO] = "auto")

/**
 * rc_scenario_new() - a scenario with every default and no ROMs
 *
 * What `romcompat check` starts from without a scenario file: every
 * versioned machine type, every NIC with a ROM, both directions, TCG.
 *
 * Return: the scenario; free with rc_scenario_free()
 */
RcScenario *rc_scenario_new(void)
{
	RcScenario *scenario = g_new0(RcScenario, 1);

	scenario->name = g_strdup("command-line");
	scenario->old_side.qemu = g_strdup(DEFAULT_QEMU);
	scenario->new_side.qemu = g_strdup(DEFAULT_QEMU);
	scenario->directions = RC_DIRECTIONS_BOTH;
	scenario->accel = RC_ACCEL_TCG;
	scenario->timeout_s = DEFAULT_TIMEOUT_S;
	return scenario;
}

/**
 * rc_scenario_free() - free a scenario
 * @scenario:	the scenario, or NULL
 */
void rc_scenario_free(RcScenario *scenario)
{
	if (!scenario)
		return;
	g_free(scenario->path);
	g_free(scenario->name);
	g_free(scenario->description);
	g_free(scenario->old_side.roms);
	g_free(scenario->old_side.qemu);
	g_free(scenario->new_side.roms);
	g_free(scenario->new_side.qemu);
	g_free(scenario->catalog);
	g_strfreev(scenario->machines);
	g_strfreev(scenario->exclude_machines);
	g_strfreev(scenario->nics);
	g_strfreev(scenario->exclude_nics);
	g_free(scenario->junit);
	g_free(scenario->json);
	g_free(scenario);
}

/**
 * rc_scenario_has_direction() - does the scenario run this direction?
 * @scenario:	the scenario
 * @direction:	the direction
 *
 * Return: TRUE when it does
 */
gboolean rc_scenario_has_direction(const RcScenario *scenario, RcDirection direction)
{
	return (scenario->directions & RC_DIRECTION_BIT(direction)) != 0;
}

/*
 * Value checks shared by the file and the command line.  Each returns NULL
 * when the value is good, else what is wrong with it (g_free() it); the
 * caller says where the value came from.
 */

static gboolean glob_is_valid(const char *glob)
{
	if (!*glob)
		return FALSE;
	for (const char *p = glob; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr("._-*?", *p))
			return FALSE;
	return TRUE;
}

/* Split on @separators, trim, allow one trailing separator ("a;b;"). */
static GStrv split_list(const char *text, const char *separators, char **problem)
{
	g_auto(GStrv) parts = g_strsplit_set(text, separators, -1);
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
	guint count = g_strv_length(parts);

	if (count == 0) {
		*problem = g_strdup("the list is empty");
		return NULL;
	}
	for (guint i = 0; i < count; i++) {
		char *item = g_strstrip(parts[i]);

		if (!*item && i == count - 1 && i > 0)
			break;
		if (!*item) {
			*problem = g_strdup(count == 1 ? "the list is empty"
						       : "the list has an empty element");
			return NULL;
		}
		g_ptr_array_add(items, g_strdup(item));
	}
	g_ptr_array_add(items, NULL);
	return (GStrv)g_ptr_array_free(g_steal_pointer(&items), FALSE);
}

static GStrv parse_globs(const char *text, const char *separators, char **problem)
{
	g_auto(GStrv) globs = split_list(text, separators, problem);

	if (!globs)
		return NULL;
	for (guint i = 0; globs[i]; i++) {
		if (!glob_is_valid(globs[i])) {
			g_autofree char *shown = g_strescape(globs[i], NULL);

			*problem = g_strdup_printf("'%s' is not a glob of names (letters, digits, "
						   "'.', '_', '-', '*', '?')",
						   shown);
			return NULL;
		}
	}
	return g_steal_pointer(&globs);
}

/*
 * A list of names read into a mask of bits: @bits gives an item's bits
 * (FALSE: not a name of the list); @what says what an item must be.
 * Return: NULL with *@mask set, else what is wrong; g_free() it.
 */
static char *parse_mask(const char *text, const char *separators,
			gboolean (*bits)(const char *item, guint *bits), const char *what,
			guint *mask)
{
	g_autofree char *problem = NULL;
	g_auto(GStrv) items = split_list(text, separators, &problem);
	guint all = 0;

	if (!items)
		return g_steal_pointer(&problem);
	for (guint i = 0; items[i]; i++) {
		guint one;

		if (!bits(items[i], &one)) {
			g_autofree char *shown = g_strescape(items[i], NULL);

			return g_strdup_printf("'%s' is not %s", shown, what);
		}
		all |= one;
	}
	*mask = all;
	return NULL;
}

static gboolean direction_bits(const char *item, guint *bits)
{
	RcDirection direction;

	if (strcmp(item, "both") == 0) {
		*bits = RC_DIRECTIONS_BOTH;
		return TRUE;
	}
	if (!rc_direction_from_string(item, &direction))
		return FALSE;
	*bits = RC_DIRECTION_BIT(direction);
	return TRUE;
}

static char *parse_directions(const char *text, const char *separators, guint *directions)
{
	return parse_mask(text, separators, direction_bits,
			  "a direction (old-to-new, new-to-old, both)", directions);
}

static char *parse_accel(const char *text, RcAccel *accel)
{
	g_autofree char *shown = NULL;

	if (rc_accel_from_string(text, accel))
		return NULL;
	shown = g_strescape(text, NULL);
	return g_strdup_printf("'%s' is not an accelerator (tcg, kvm, auto)", shown);
}

static char *parse_count(const char *text, guint min, guint max, const char *unit, guint *out)
{
	guint64 value;
	g_autofree char *shown = NULL;

	if (g_ascii_string_to_unsigned(text, 10, min, max, &value, NULL)) {
		*out = (guint)value;
		return NULL;
	}
	shown = g_strescape(text, NULL);
	return g_strdup_printf("'%s' is not a number of %s (%u .. %u)", shown, unit, min, max);
}

/* Absolute form of a path given relative to @base (a directory); a
 * package source (debian:PACKAGE=VERSION) is no path and stays as it is. */
static char *resolve_path(const char *value, const char *base)
{
	g_autofree char *cwd = NULL;
	g_autofree char *absolute_base = NULL;

	if (rc_debian_is_source(value))
		return g_strdup(value);
	if (g_path_is_absolute(base))
		return g_canonicalize_filename(value, base);
	cwd = g_get_current_dir();
	absolute_base = g_build_filename(cwd, base, NULL);
	return g_canonicalize_filename(value, absolute_base);
}

/* A QEMU binary without '/' is a command looked up in PATH: keep it. */
static char *resolve_qemu(const char *value, const char *base)
{
	return strchr(value, '/') ? resolve_path(value, base) : g_strdup(value);
}

/*
 * The line scan.  Lines follow GKeyFile's rules: leading white space is
 * ignored, '#' starts a comment, "[name]" (white space after ']' allowed)
 * opens a group, anything else must be "key = value".
 */

/* Where the text is: its path, and the line of every group and key. */
typedef struct {
	const char *path;
	GHashTable *lines; /* "group" and "group\nkey" -> line number (a guint *) */
} LineIndex;

static void index_add(LineIndex *index, char *id, guint line)
{
	g_hash_table_insert(index->lines, id, g_memdup2(&line, sizeof(line)));
}

/* The line of a group or key, 0 when the file does not have it. */
static guint index_line(const LineIndex *index, const char *group, const char *key)
{
	g_autofree char *id = key ? g_strconcat(group, "\n", key, NULL) : g_strdup(group);
	const guint *line = g_hash_table_lookup(index->lines, id);

	return line ? *line : 0;
}

static gboolean fail_line(GError **error, const LineIndex *index, guint line, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

static gboolean fail_line(GError **error, const LineIndex *index, guint line, const char *fmt, ...)
{
	g_autofree char *what = NULL;
	va_list ap;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (line)
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s:%u: %s", index->path, line, what);
	else
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s: %s", index->path, what);
	return FALSE;
}

static int schema_group(const char *group)
{
	for (guint i = 0; i < G_N_ELEMENTS(schema); i++)
		if (strcmp(schema[i].group, group) == 0)
			return (int)i;
	return -1;
}

static char *schema_keys(int group)
{
	return g_strjoinv(", ", (char **)schema[group].keys);
}

static gboolean scan_group(LineIndex *index, const char *line, guint number, int *group,
			   GError **error)
{
	const char *end = strchr(line, ']');
	g_autofree char *name = NULL;
	g_autofree char *shown = NULL;
	guint first;

	if (!end || end[strspn(end + 1, " \t") + 1] != '\0')
		return fail_line(error, index, number,
				 "a group header is written [name] alone on its line");
	name = g_strndup(line + 1, end - line - 1);
	*group = schema_group(name);
	shown = g_strescape(name, NULL);
	if (*group < 0)
		return fail_line(error, index, number,
				 "unknown group [%s] (groups: scenario, old, new, matrix, report)",
				 shown);
	first = index_line(index, name, NULL);
	if (first)
		return fail_line(error, index, number,
				 "group [%s] appears twice (first on line %u); merge them", name,
				 first);
	index_add(index, g_steal_pointer(&name), number);
	return TRUE;
}

static gboolean scan_key(LineIndex *index, const char *line, guint number, int group,
			 GError **error)
{
	const char *equals = strchr(line, '=');
	g_autofree char *key = NULL;
	g_autofree char *shown = NULL;
	g_autofree char *known = NULL;
	g_autofree char *id = NULL;
	guint first;

	if (!equals) {
		shown = g_strescape(line, NULL);
		return fail_line(error, index, number,
				 "'%s' is neither 'key = value', a [group] nor a # comment", shown);
	}
	key = g_strstrip(g_strndup(line, equals - line));
	shown = g_strescape(key, NULL);
	if (!*key)
		return fail_line(error, index, number, "a key name is missing before '='");
	if (group < 0)
		return fail_line(error, index, number, "key '%s' comes before any [group]", shown);
	if (!g_strv_contains(schema[group].keys, key)) {
		known = schema_keys(group);
		return fail_line(error, index, number, "[%s] has no key '%s' (keys: %s)",
				 schema[group].group, shown, known);
	}
	first = index_line(index, schema[group].group, key);
	if (first)
		return fail_line(error, index, number,
				 "[%s] %s is set twice (first on line %u); keep one",
				 schema[group].group, key, first);
	id = g_strconcat(schema[group].group, "\n", key, NULL);
	index_add(index, g_steal_pointer(&id), number);
	return TRUE;
}

static gboolean scan_lines(LineIndex *index, const char *text, gsize length, GError **error)
{
	const char *nul = memchr(text, '\0', length);
	g_autofree char *copy = g_strndup(text, length);
	g_auto(GStrv) lines = NULL;
	int group = -1;

	if (nul) {
		guint line = 1;

		for (const char *p = text; p < nul; p++)
			line += *p == '\n';
		return fail_line(error, index, line, "a NUL byte: not a text file");
	}
	lines = g_strsplit(copy, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		char *line = lines[i];
		gsize len = strlen(line);

		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (!g_utf8_validate(line, -1, NULL))
			return fail_line(error, index, i + 1, "not UTF-8 text");
		line += strspn(line, " \t\f\v");
		if (*line == '\0' || *line == '#')
			continue;
		if (*line == '[') {
			if (!scan_group(index, line, i + 1, &group, error))
				return FALSE;
		} else if (!scan_key(index, line, i + 1, group, error)) {
			return FALSE;
		}
	}
	return TRUE;
}

/*
 * Values.  Each getter leaves its output alone when the key is absent, so
 * that defaults stay, and reports a bad value with the key's line.
 */

static gboolean get_string(GKeyFile *file, const LineIndex *index, const char *group,
			   const char *key, char **out, GError **error)
{
	g_autoptr(GError) local = NULL;
	char *value;

	if (!index_line(index, group, key))
		return TRUE;
	/* GKeyFile may return a value and set an error for a bad escape. */
	value = g_key_file_get_string(file, group, key, &local);
	if (!value || local) {
		g_free(value);
		return fail_line(error, index, index_line(index, group, key),
				 "[%s] %s: an invalid escape sequence ('\\' starts only \\s, "
				 "\\n, \\t, \\r or \\\\)",
				 group, key);
	}
	g_free(*out);
	*out = g_strstrip(value);
	return TRUE;
}

static gboolean get_nonempty(GKeyFile *file, const LineIndex *index, const char *group,
			     const char *key, char **out, GError **error)
{
	if (!get_string(file, index, group, key, out, error))
		return FALSE;
	if (*out && !**out)
		return fail_line(error, index, index_line(index, group, key),
				 "[%s] %s is empty; give a value or remove the line", group, key);
	return TRUE;
}

static gboolean check_value(GError **error, const LineIndex *index, const char *group,
			    const char *key, char *problem)
{
	g_autofree char *owned = problem;

	if (!owned)
		return TRUE;
	return fail_line(error, index, index_line(index, group, key), "[%s] %s: %s", group, key,
			 owned);
}

static gboolean get_globs(GKeyFile *file, const LineIndex *index, const char *key, GStrv *out,
			  GError **error)
{
	g_autofree char *text = NULL;
	char *problem = NULL;
	GStrv globs;

	if (!get_string(file, index, "matrix", key, &text, error))
		return FALSE;
	if (!text)
		return TRUE;
	globs = parse_globs(text, ";", &problem);
	if (!globs)
		return check_value(error, index, "matrix", key, problem);
	g_strfreev(*out);
	*out = globs;
	return TRUE;
}

static gboolean get_count(GKeyFile *file, const LineIndex *index, const char *key, guint min,
			  guint max, const char *unit, guint *out, GError **error)
{
	g_autofree char *text = NULL;

	if (!get_string(file, index, "matrix", key, &text, error))
		return FALSE;
	return !text ||
	       check_value(error, index, "matrix", key, parse_count(text, min, max, unit, out));
}

static gboolean read_side(GKeyFile *file, const LineIndex *index, const char *group,
			  const char *base, RcScenarioSide *side, GError **error)
{
	g_autofree char *roms = NULL;
	g_autofree char *qemu = NULL;
	const char *bad_source;

	if (!index_line(index, group, NULL))
		return fail_line(error, index, 0,
				 "no [%s] group; add one with 'roms = FILE, DIRECTORY or .deb'",
				 group);
	if (!get_nonempty(file, index, group, "roms", &roms, error) ||
	    !get_nonempty(file, index, group, "qemu", &qemu, error))
		return FALSE;
	if (!roms)
		return fail_line(error, index, index_line(index, group, NULL),
				 "[%s] roms is missing: give the ROM file, directory or .deb",
				 group);
	bad_source = rc_debian_is_source(roms) && !rc_debian_source_is_valid(roms) ? "roms"
		     : qemu && rc_debian_is_source(qemu) && !rc_debian_source_is_valid(qemu)
			     ? "qemu"
			     : NULL;
	if (bad_source)
		return fail_line(error, index, index_line(index, group, bad_source),
				 "[%s] not a package source; write debian:PACKAGE or "
				 "debian:PACKAGE=VERSION (e.g. debian:ipxe-qemu)",
				 group);
	g_free(side->roms);
	side->roms = resolve_path(roms, base);
	if (qemu) {
		g_free(side->qemu);
		side->qemu = resolve_qemu(qemu, base);
	}
	return TRUE;
}

static gboolean device_class_bits(const char *item, guint *bits)
{
	RcDeviceClass c;

	if (!rc_device_class_from_string(item, &c))
		return FALSE;
	*bits = RC_DEVICE_CLASS_BIT(c);
	return TRUE;
}

/**
 * rc_device_classes_parse() - a list of device classes
 * @text:	"nic", "display", "firmware", separated by @separators
 * @separators:	the list separators
 * @classes:	set to RC_DEVICE_CLASS_BIT() of each, added to what it holds
 *
 * Return: NULL when @text is a list of classes, else what is wrong; g_free() it
 */
char *rc_device_classes_parse(const char *text, const char *separators, guint *classes)
{
	guint mask = 0;
	char *problem = parse_mask(text, separators, device_class_bits,
				   "a device class (nic, display, firmware)", &mask);

	if (!problem)
		*classes |= mask;
	return problem;
}

static gboolean read_matrix(GKeyFile *file, const LineIndex *index, const char *base,
			    RcScenario *scenario, GError **error)
{
	g_autofree char *directions = NULL;
	g_autofree char *classes = NULL;
	g_autofree char *accel = NULL;
	g_autofree char *catalog = NULL;

	if (!get_globs(file, index, "machines", &scenario->machines, error) ||
	    !get_globs(file, index, "exclude-machines", &scenario->exclude_machines, error) ||
	    !get_globs(file, index, "nics", &scenario->nics, error) ||
	    !get_globs(file, index, "exclude-nics", &scenario->exclude_nics, error) ||
	    !get_string(file, index, "matrix", "directions", &directions, error) ||
	    (directions &&
	     !check_value(error, index, "matrix", "directions",
			  parse_directions(directions, ";", &scenario->directions))) ||
	    !get_string(file, index, "matrix", "device-classes", &classes, error) ||
	    (classes &&
	     !check_value(error, index, "matrix", "device-classes",
			  rc_device_classes_parse(classes, ";", &scenario->device_classes))) ||
	    !get_string(file, index, "matrix", "accel", &accel, error) ||
	    (accel &&
	     !check_value(error, index, "matrix", "accel", parse_accel(accel, &scenario->accel))) ||
	    !get_count(file, index, "timeout", 1, TIMEOUT_S_MAX, "seconds", &scenario->timeout_s,
		       error) ||
	    !get_count(file, index, "jobs", 0, JOBS_MAX, "jobs (0: one per CPU)", &scenario->jobs,
		       error) ||
	    !get_nonempty(file, index, "matrix", "catalog", &catalog, error))
		return FALSE;
	if (catalog) {
		g_free(scenario->catalog);
		scenario->catalog = resolve_path(catalog, base);
	}
	return TRUE;
}

/* Report files are written where the command runs, like any output file. */
static gboolean read_report(GKeyFile *file, const LineIndex *index, RcScenario *scenario,
			    GError **error)
{
	return get_nonempty(file, index, "report", "junit", &scenario->junit, error) &&
	       get_nonempty(file, index, "report", "json", &scenario->json, error);
}

static char *default_name(const char *path)
{
	g_autofree char *base = g_path_get_basename(path);
	char *dot = strrchr(base, '.');

	if (dot && dot != base)
		*dot = '\0';
	g_strcanon(base, G_CSET_A_2_Z G_CSET_a_2_z G_CSET_DIGITS "._-", '_');
	if (!g_ascii_isalnum(base[0]))
		base[0] = 's';
	return g_steal_pointer(&base);
}

/* Everything rc_scenario_parse() does, into a scenario with the defaults. */
static gboolean read_scenario(RcScenario *scenario, LineIndex *index, const char *text,
			      gsize length, GError **error)
{
	g_autoptr(GKeyFile) file = g_key_file_new();
	g_autoptr(GError) local = NULL;
	g_autofree char *base = g_path_get_dirname(index->path);
	g_autofree char *name = NULL;

	if (length > SCENARIO_MAX_BYTES)
		return fail_line(error, index, 0, "larger than 1 MiB: not a scenario");
	if (!scan_lines(index, text, length, error))
		return FALSE;
	/* The scan accepted every line: GKeyFile can only fail in ways it did not foresee. */
	if (!g_key_file_load_from_data(file, text, length, G_KEY_FILE_NONE, &local))
		return fail_line(error, index, 0, "%s", local->message);

	scenario->path = g_strdup(index->path);
	g_free(scenario->name);
	scenario->name = default_name(index->path);
	if (!get_nonempty(file, index, "scenario", "name", &name, error) ||
	    !get_nonempty(file, index, "scenario", "description", &scenario->description, error))
		return FALSE;
	if (name && !rc_catalog_name_is_valid(name)) {
		g_autofree char *shown = g_strescape(name, NULL);

		return fail_line(error, index, index_line(index, "scenario", "name"),
				 "[scenario] name: '%s' is not a short name (letters, digits, '.', "
				 "'_', '-')",
				 shown);
	}
	if (name) {
		g_free(scenario->name);
		scenario->name = g_steal_pointer(&name);
	}
	return read_side(file, index, "old", base, &scenario->old_side, error) &&
	       read_side(file, index, "new", base, &scenario->new_side, error) &&
	       read_matrix(file, index, base, scenario, error) &&
	       read_report(file, index, scenario, error);
}

/**
 * rc_scenario_parse() - read a scenario from memory
 * @text:	the key file's text (need not be NUL-terminated)
 * @length:	its length in bytes
 * @path:	the file it came from: named in errors, and relative paths
 *		in it are resolved against its directory
 * @error:	set to an input error "PATH:LINE: [group] key: what is wrong"
 *
 * Return: the scenario; free with rc_scenario_free()
 */
RcScenario *rc_scenario_parse(const char *text, gsize length, const char *path, GError **error)
{
	g_autoptr(GHashTable) lines =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	LineIndex index = {path, lines};
	RcScenario *scenario = rc_scenario_new();

	/* Freed by hand: clang's analyzer loses track of g_autoptr here. */
	if (!read_scenario(scenario, &index, text, length, error)) {
		rc_scenario_free(scenario);
		return NULL;
	}
	return scenario;
}

/**
 * rc_scenario_load() - read a scenario file
 * @path:	the .ini file
 * @error:	set to an input error naming @path (and the line)
 *
 * Return: the scenario, or NULL
 */
RcScenario *rc_scenario_load(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) local = NULL;
	gsize length;

	if (!rc_input_read(path, "scenario", SCENARIO_MAX_BYTES, &text, &length, &local)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s; give a scenario file (scenarios/*.ini)", local->message);
		return NULL;
	}
	return rc_scenario_parse(text, length, path, error);
}

static gboolean fail_option(GError **error, const char *option, char *problem)
{
	g_autofree char *owned = problem;

	if (!owned)
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_USAGE, "%s: %s", option, owned);
	return FALSE;
}

static gboolean override_globs(const char *text, const char *option, GStrv *out, GError **error)
{
	char *problem = NULL;
	GStrv globs;

	if (!text)
		return TRUE;
	globs = parse_globs(text, ",;", &problem);
	if (!globs)
		return fail_option(error, option, problem);
	g_strfreev(*out);
	*out = globs;
	return TRUE;
}

static gboolean override_text(const char *text, const char *option, gboolean is_path, char **out,
			      GError **error)
{
	if (!text)
		return TRUE;
	if (!*text)
		return fail_option(error, option, g_strdup("empty value"));
	g_free(*out);
	*out = is_path ? resolve_path(text, ".") : g_strdup(text);
	return TRUE;
}

/**
 * rc_scenario_apply_overrides() - let the command line replace scenario keys
 * @scenario:	the scenario (from a file, or rc_scenario_new())
 * @overrides:	the options given
 * @error:	set to a usage error naming the option
 *
 * Paths given on the command line are relative to the current directory.
 *
 * Return: TRUE when every option given was valid
 */
gboolean rc_scenario_apply_overrides(RcScenario *scenario, const RcScenarioOverrides *overrides,
				     GError **error)
{
	const RcScenarioOverrides *o = overrides;
	g_autofree char *old_qemu = NULL;
	g_autofree char *new_qemu = NULL;

	if (!override_text(o->old_roms, "--old", TRUE, &scenario->old_side.roms, error) ||
	    !override_text(o->new_roms, "--new", TRUE, &scenario->new_side.roms, error) ||
	    !override_text(o->old_qemu, "--old-qemu", FALSE, &old_qemu, error) ||
	    !override_text(o->new_qemu, "--new-qemu", FALSE, &new_qemu, error) ||
	    !override_text(o->catalog, "--catalog", TRUE, &scenario->catalog, error) ||
	    !override_text(o->junit, "--junit", FALSE, &scenario->junit, error) ||
	    !override_text(o->json, "--json", FALSE, &scenario->json, error) ||
	    !override_globs(o->machines, "--machines", &scenario->machines, error) ||
	    !override_globs(o->exclude_machines, "--exclude-machines", &scenario->exclude_machines,
			    error) ||
	    !override_globs(o->nics, "--nics", &scenario->nics, error) ||
	    !override_globs(o->exclude_nics, "--exclude-nics", &scenario->exclude_nics, error))
		return FALSE;
	if (old_qemu) {
		g_free(scenario->old_side.qemu);
		scenario->old_side.qemu = resolve_qemu(old_qemu, ".");
	}
	if (new_qemu) {
		g_free(scenario->new_side.qemu);
		scenario->new_side.qemu = resolve_qemu(new_qemu, ".");
	}
	return (!o->directions ||
		fail_option(error, "--direction",
			    parse_directions(o->directions, ",;", &scenario->directions))) &&
	       (!o->accel ||
		fail_option(error, "--accel", parse_accel(o->accel, &scenario->accel))) &&
	       (!o->timeout || fail_option(error, "--timeout",
					   parse_count(o->timeout, 1, TIMEOUT_S_MAX, "seconds",
						       &scenario->timeout_s))) &&
	       (!o->jobs || fail_option(error, "--jobs",
					parse_count(o->jobs, 0, JOBS_MAX, "jobs (0: one per CPU)",
						    &scenario->jobs)));
}

/**
 * rc_scenario_check_ready() - is there enough to run the matrix?
 * @scenario:	the scenario after overrides
 * @error:	set to a usage error saying which option is missing
 *
 * Return: TRUE when both sides have ROMs
 */
gboolean rc_scenario_check_ready(const RcScenario *scenario, GError **error)
{
	if (!scenario->old_side.roms || !scenario->new_side.roms) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "no %s ROMs: give --%s or a scenario with [%s] roms",
			    scenario->old_side.roms ? "new" : "old",
			    scenario->old_side.roms ? "new" : "old",
			    scenario->old_side.roms ? "new" : "old");
		return FALSE;
	}
	return TRUE;
}

/**
 * rc_scenario_overrides_clear() - free the strings of a set of overrides
 * @ov:		overrides whose members were allocated (by GOption)
 */
void rc_scenario_overrides_clear(RcScenarioOverrides *ov)
{
	const char **members[] = {&ov->old_roms,
				  &ov->new_roms,
				  &ov->old_qemu,
				  &ov->new_qemu,
				  &ov->catalog,
				  &ov->machines,
				  &ov->exclude_machines,
				  &ov->nics,
				  &ov->exclude_nics,
				  &ov->directions,
				  &ov->accel,
				  &ov->timeout,
				  &ov->jobs,
				  &ov->junit,
				  &ov->json};

	for (gsize i = 0; i < G_N_ELEMENTS(members); i++) {
		g_free((char *)*members[i]);
		*members[i] = NULL;
	}
}
