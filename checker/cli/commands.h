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

/* Most jobs (-j) a command runs at once: two QEMUs each. */
#define RC_JOBS_MAX 256

gboolean rc_command_parse_jobs(const char *text, guint *jobs, GError **error);
gboolean rc_command_parse_options(GOptionContext *ctx, int *argc, char ***argv, GError **error);
void rc_command_add_matrix_options(GOptionContext *ctx, RcScenarioOverrides *ov);

#endif /* RC_COMMANDS_H */
