/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * commands.c - what every subcommand shares: its option context and help
 * (the usage line names the program), -q, -v and -h, options parsed into
 * one usage error line, the report options checked before any work (one
 * rule: --json FILE, '-' for standard output, and then nothing else
 * there), and the matrix options of check and bisect.  Kept out of main.c
 * so that the subcommands link into the unit tests, which have their own
 * main().
 */
#include "cli/commands.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "base/jsonutil.h"
#include "base/output.h"

/**
 * rc_command_context() - a subcommand's option context
 * @name:	the subcommand ("check")
 * @parameters:	its operands for the usage line ("[SCENARIO]"), or ""
 * @summary:	what it does and its exit status, or NULL
 * @common:	the options every command takes; filled in when parsed
 *
 * The help is romcompat's own (rc_command_help()): its usage line names
 * the program, and -h, -q and -v are added when the options are parsed,
 * after the command's own.
 *
 * Return: the context; g_option_context_free() it
 */
GOptionContext *rc_command_context(const char *name, const char *parameters, const char *summary,
				   RcCommonOptions *common)
{
	GOptionContext *ctx = g_option_context_new(parameters);

	common->name = name;
	common->parameters = parameters;
	common->text = stdout;
	if (summary)
		g_option_context_set_summary(ctx, summary);
	g_option_context_set_help_enabled(ctx, FALSE);
	return ctx;
}

/* @text with every "…" (GOption's translated ellipsis) made "...". */
static char *ascii_ellipsis(const char *text)
{
	g_auto(GStrv) parts = g_strsplit(text, "\u2026", -1);

	return g_strjoinv("...", parts);
}

/**
 * rc_command_help() - a subcommand's help text
 * @ctx:	its option context
 * @common:	its name and operands
 *
 * GOption's text, with the usage line naming the program and the command:
 * "Usage: romcompat check [OPTION...] [SCENARIO]".
 *
 * Return: the text; g_free() it
 */
char *rc_command_help(GOptionContext *ctx, const RcCommonOptions *common)
{
	g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);
	const char *rest = strstr(help, "\n\n");
	g_autofree char *text = g_strdup_printf("Usage: romcompat %s [OPTION...]%s%s%s",
						common->name, *common->parameters ? " " : "",
						common->parameters, rest ? rest : "\n");

	return ascii_ellipsis(text);
}

/* GOption's message as romcompat's: lower case after the prefix, plain quotes. */
static char *usage_message(const char *message, const char *name)
{
	g_autofree char *plain = g_strdup(message);
	g_auto(GStrv) open_parts = NULL;
	g_auto(GStrv) close_parts = NULL;
	g_autofree char *joined = NULL;

	if (*plain)
		plain[0] = g_ascii_tolower(plain[0]);
	open_parts = g_strsplit(plain, "\u201c", -1);
	joined = g_strjoinv("'", open_parts);
	close_parts = g_strsplit(joined, "\u201d", -1);
	g_free(joined);
	joined = g_strjoinv("'", close_parts);
	return g_strdup_printf("%s (see 'romcompat %s --help')", joined, name);
}

/**
 * rc_command_parse_options() - parse a subcommand's options
 * @ctx:	the subcommand's option context (rc_command_context())
 * @common:	set from -q, -v, -h
 * @argc:	in/out argument count (argv[0] is the subcommand's name)
 * @argv:	in/out argument vector
 * @error:	set to a usage error when the options are wrong: one line
 *		naming the option, and where the help is
 *
 * -h / --help prints the help on standard output and exits 0.
 *
 * Return: TRUE when the options parsed
 */
gboolean rc_command_parse_options(GOptionContext *ctx, RcCommonOptions *common, int *argc,
				  char ***argv, GError **error)
{
	const GOptionEntry entries[] = {
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &common->quiet,
		 "print only the verdict line and errors", NULL},
		{"verbose", 'v', 0, G_OPTION_ARG_NONE, &common->verbose,
		 "add a line per case, on standard error, as it finishes", NULL},
		{"help", 'h', 0, G_OPTION_ARG_NONE, &common->help, "show this help", NULL},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GError) local = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, argc, argv, &local)) {
		g_autofree char *message = usage_message(local->message, common->name);

		g_set_error_literal(error, RC_ERROR, RC_ERROR_USAGE, message);
		return FALSE;
	}
	if (common->help) {
		/* Freed by hand: exit() runs no scope cleanup, and LeakSanitizer
		 * would count the text as lost. */
		char *help = rc_command_help(ctx, common);

		fputs(help, stdout);
		g_free(help);
		fflush(stdout);
		exit(RC_EXIT_COMPATIBLE);
	}
	if (common->quiet && common->verbose) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "-q (--quiet) and -v (--verbose) contradict each other; give one "
			    "(see 'romcompat %s --help')",
			    common->name);
		return FALSE;
	}
	return TRUE;
}

/* A value that is an option: "--json --old DIR" gave --json the name "--old". */
static gboolean check_not_option(const RcReportOption *r, GError **error)
{
	if (r->path[0] != '-' || !r->path[1])
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
		    "%s takes a file name, not the option '%s'; give %s FILE ('-' for standard "
		    "output), or ./%s for a file of that name",
		    r->option, r->path, r->option, r->path);
	return FALSE;
}

/*
 * A report file must not be what romcompat reads: "inspect --json a.rom"
 * or "merge --tap a.json b.json" (the older syntax, where those options
 * took no file) would write over an input.  An option ROM (55 AA), a
 * package (an ar archive), or a JSON document under a report of another
 * format, is refused.
 */
static gboolean check_not_input(const RcReportOption *r, GError **error)
{
	char head[8] = {0};
	struct stat st;
	FILE *f;
	size_t got;
	const char *what = NULL;

	if (stat(r->path, &st) != 0 || !S_ISREG(st.st_mode) || !(f = fopen(r->path, "rb")))
		return TRUE;
	got = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (got >= 2 && (guchar)head[0] == 0x55 && (guchar)head[1] == 0xaa)
		what = "an option ROM";
	else if (got == sizeof(head) && memcmp(head, "!<arch>\n", sizeof(head)) == 0)
		what = "a package";
	else if (got >= 1 && head[0] == '{' && strcmp(r->option, "--json") != 0)
		what = "a JSON document";
	if (!what)
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
		    "%s %s: that file is %s, not written over; %s takes the file to write "
		    "('-' for standard output), e.g. %s - %s",
		    r->option, r->path, what, r->option, r->option, r->path);
	return FALSE;
}

/* The directory a new report goes into must exist: found out now, not after the run. */
static gboolean check_parent(const RcReportOption *r, GError **error)
{
	g_autofree char *dir = NULL;
	struct stat st;

	if (lstat(r->path, &st) == 0 || (errno != ENOENT && errno != ENOTDIR))
		return TRUE; /* there (a link, a file): rc_output_check() judged it */
	dir = g_path_get_dirname(r->path);
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
		    "%s %s: %s is not a directory that exists; create it or name a file in an "
		    "existing directory",
		    r->option, r->path, dir);
	return FALSE;
}

/**
 * rc_command_check_reports() - the report options, checked before any work
 * @reports:	the command's report options and their values
 * @n_reports:	how many
 * @common:	its text moves to standard error (verdict line only) when a
 *		report goes to standard output
 * @error:	a usage error naming the option: a value that is an option
 *		("--json --old"), two reports on standard output, a path that
 *		is a directory, socket or block device, in a directory that
 *		does not exist, or a ROM file or package
 *
 * Return: TRUE when every report can be written where asked
 */
gboolean rc_command_check_reports(const RcReportOption *reports, guint n_reports,
				  RcCommonOptions *common, GError **error)
{
	const RcReportOption *on_stdout = NULL;

	for (guint i = 0; i < n_reports; i++) {
		const RcReportOption *r = &reports[i];

		if (!r->path)
			continue;
		if (!check_not_option(r, error))
			return FALSE;
		if (rc_output_is_stdout(r->path)) {
			if (on_stdout) {
				g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
					    "%s and %s both write to standard output; give one of "
					    "them a file",
					    on_stdout->option, r->option);
				return FALSE;
			}
			on_stdout = r;
			continue;
		}
		if (!rc_output_check(r->path, "report", error)) {
			g_prefix_error(error, "%s: ", r->option);
			return FALSE;
		}
		if (!check_parent(r, error) || !check_not_input(r, error))
			return FALSE;
	}
	if (on_stdout) {
		common->text = stderr;
		common->quiet = TRUE;
	}
	return TRUE;
}

/**
 * rc_command_print_verdict() - the last line of a text report, alone
 * @common:	where it goes (common->text)
 * @text:	the text report; its last non-empty line is the verdict
 * @error:	set when it cannot be written (a full disk, a closed pipe)
 *
 * Return: TRUE when written
 */
gboolean rc_command_print_verdict(const RcCommonOptions *common, const char *text, GError **error)
{
	g_autofree char *copy = g_strchomp(g_strdup(text));
	const char *line = strrchr(copy, '\n');

	if (fprintf(common->text, "%s\n", line ? line + 1 : copy) >= 0 &&
	    fflush(common->text) != EOF)
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot write the verdict on %s: %s",
		    common->text == stdout ? "standard output" : "standard error",
		    g_strerror(errno));
	return FALSE;
}

/**
 * rc_command_parse_jobs() - the value of -j / --jobs
 * @text:	what the user gave, or NULL (not given)
 * @jobs:	set to the number, 0 for one per CPU (also when not given)
 * @error:	set to a usage error unless @text is 0 .. RC_JOBS_MAX
 *
 * Each job runs QEMUs in a thread of its own: a number past what a machine
 * can run would only start threads that fail.
 *
 * Return: TRUE when the value is one
 */
gboolean rc_command_parse_jobs(const char *text, guint *jobs, GError **error)
{
	guint64 n;

	*jobs = 0;
	if (!text)
		return TRUE;
	if (!g_ascii_string_to_unsigned(text, 10, 0, RC_JOBS_MAX, &n, NULL)) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--jobs '%s': give a number of jobs from 1 to %u, or 0 for one per CPU",
			    text, (guint)RC_JOBS_MAX);
		return FALSE;
	}
	*jobs = (guint)n;
	return TRUE;
}

/**
 * rc_command_add_matrix_options() - the options that pick a matrix's
 * cases, shared by check and bisect
 * @ctx:	the subcommand's option context
 * @ov:		where the values go (scenario overrides)
 */
void rc_command_add_matrix_options(GOptionContext *ctx, RcScenarioOverrides *ov)
{
	/* g_option_context_add_main_entries() copies the entries. */
	const GOptionEntry entries[] = {
		{"machines", 0, 0, G_OPTION_ARG_STRING, &ov->machines,
		 "machine type globs, ';'-separated (default: every versioned one)", "GLOBS"},
		{"exclude-machines", 0, 0, G_OPTION_ARG_STRING, &ov->exclude_machines,
		 "machine type globs to leave out", "GLOBS"},
		{"nics", 0, 0, G_OPTION_ARG_STRING, &ov->nics, "NIC model globs", "GLOBS"},
		{"exclude-nics", 0, 0, G_OPTION_ARG_STRING, &ov->exclude_nics,
		 "NIC model globs to leave out", "GLOBS"},
		{"direction", 0, 0, G_OPTION_ARG_STRING, &ov->directions,
		 "old-to-new, new-to-old or both (default)", "DIR"},
		{"accel", 0, 0, G_OPTION_ARG_STRING, &ov->accel, "tcg (default), kvm or auto",
		 "ACCEL"},
		{"timeout", 0, 0, G_OPTION_ARG_STRING, &ov->timeout,
		 "seconds one QEMU pair may take (default 30)", "S"},
		{"jobs", 'j', 0, G_OPTION_ARG_STRING, &ov->jobs,
		 "QEMU pairs at once (default: one per CPU)", "N"},
		G_OPTION_ENTRY_NULL,
	};

	g_option_context_add_main_entries(ctx, entries, NULL);
}

static gboolean write_json_document(FILE *out, gconstpointer data)
{
	/* rc_json_print() keeps errno of a failed write; its GError is not needed. */
	return rc_json_print((json_object *)data, out, NULL);
}

/**
 * rc_command_write_json() - a command's JSON document to the --json FILE
 * @doc:	the document
 * @path:	the file ("-": standard output), written as every report is
 *		(rc_output_write(): atomically, or in place for a FIFO or device)
 * @error:	set when it cannot be written
 *
 * Return: TRUE when written
 */
gboolean rc_command_write_json(json_object *doc, const char *path, GError **error)
{
	return rc_output_write(path, "report", write_json_document, doc, error);
}
