/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * commands.h - the subcommand table's entry type and every subcommand.
 *
 * A subcommand parses its own options (its own GOptionContext), does its
 * work and returns TRUE with *exit_status set to a verdict code
 * (RC_EXIT_COMPATIBLE, RC_EXIT_INCOMPATIBLE, RC_EXIT_CANNOT_TEST), or FALSE
 * with @error set; main() then prints the error and picks the exit code.
 */
#ifndef RC_COMMANDS_H
#define RC_COMMANDS_H

#include <glib.h>
#include <json-c/json.h>
#include <stdio.h>

#include "matrix/scenario.h"

typedef gboolean (*RcCommandFunc)(int argc, char **argv, int *exit_status, GError **error);

/**
 * RcCommand - one subcommand
 * @name:	what the user types
 * @run:	the implementation
 * @summary:	one line for "romcompat --help"
 */
typedef struct {
	const char *name;
	RcCommandFunc run;
	const char *summary;
} RcCommand;

gboolean rc_cmd_inspect(int argc, char **argv, int *exit_status, GError **error);
gboolean rc_cmd_diff(int argc, char **argv, int *exit_status, GError **error);
gboolean rc_cmd_pad(int argc, char **argv, int *exit_status, GError **error);
gboolean rc_cmd_migrate(int argc, char **argv, int *exit_status, GError **error);
gboolean rc_cmd_bisect(int argc, char **argv, int *exit_status, GError **error);
gboolean rc_cmd_check(int argc, char **argv, int *exit_status, GError **error);
gboolean rc_cmd_machines(int argc, char **argv, int *exit_status, GError **error);
gboolean rc_cmd_merge(int argc, char **argv, int *exit_status, GError **error);
gboolean rc_cmd_combine(int argc, char **argv, int *exit_status, GError **error);
gboolean rc_cmd_split(int argc, char **argv, int *exit_status, GError **error);
gboolean rc_cmd_needs(int argc, char **argv, int *exit_status, GError **error);
gboolean rc_cmd_saved(int argc, char **argv, int *exit_status, GError **error);

/**
 * RcCommonOptions - what every subcommand takes, and where its text goes
 * @name:	the subcommand's name, for its usage line and hints
 * @parameters:	its operands in the usage line ("[SCENARIO]"), or ""
 * @quiet:	-q: only the verdict line and errors
 * @verbose:	-v: a line per case, on standard error, as it finishes
 * @help:	-h: print the help and exit 0
 * @text:	where the text a human reads goes: standard output, or
 *		standard error when a report is written there (then only the
 *		verdict line, as with -q)
 */
typedef struct {
	const char *name;
	const char *parameters;
	gboolean quiet;
	gboolean verbose;
	gboolean help;
	FILE *text;
} RcCommonOptions;

/**
 * RcReportOption - a report option of a command and its value
 * @option:	"--json", "--junit", "--tap", "--html"
 * @path:	the file it names ("-": standard output), or NULL when not given
 */
typedef struct {
	const char *option;
	const char *path;
} RcReportOption;

/* Most jobs (-j) a command runs at once: two QEMUs each. */
/*
 * The --json option, the same in every command (docs/cli.md): WHAT is what
 * is written ("a JSON document", "the JSON report").
 */
#define RC_OPTION_JSON(var, what)                                                                  \
	{                                                                                          \
		"json", 0, 0, G_OPTION_ARG_FILENAME, (var),                                        \
			"write " what " to FILE ('-': standard output)", "FILE"                    \
	}

#define RC_JOBS_MAX 256

GOptionContext *rc_command_context(const char *name, const char *parameters, const char *summary,
				   RcCommonOptions *common);
char *rc_command_help(GOptionContext *ctx, const RcCommonOptions *common);
gboolean rc_command_parse_jobs(const char *text, guint *jobs, GError **error);
gboolean rc_command_parse_options(GOptionContext *ctx, RcCommonOptions *common, int *argc,
				  char ***argv, GError **error);
gboolean rc_command_check_reports(const RcReportOption *reports, guint n_reports,
				  RcCommonOptions *common, GError **error);
gboolean rc_command_write_json(json_object *doc, const char *path, GError **error);
gboolean rc_command_print_verdict(const RcCommonOptions *common, const char *text, GError **error);
void rc_command_add_matrix_options(GOptionContext *ctx, RcScenarioOverrides *ov);

#endif /* RC_COMMANDS_H */
