/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * commands.c - what every subcommand shares: parsing its options into a
 * usage error.  Kept out of main.c so that the subcommands link into the
 * unit tests, which have their own main().
 */
#include "cli/commands.h"
#include "base/error.h"

/**
 * rc_command_parse_options() - parse a subcommand's options
 * @ctx:	the subcommand's option context
 * @argc:	in/out argument count (argv[0] is the subcommand's name)
 * @argv:	in/out argument vector
 * @error:	set to a usage error when the options are wrong
 *
 * Return: TRUE when the options parsed
 */
gboolean rc_command_parse_options(GOptionContext *ctx, int *argc, char ***argv, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (!g_option_context_parse(ctx, argc, argv, &local)) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE, "%s (see '%s --help')", local->message,
			    (*argv)[0]);
		return FALSE;
	}
	return TRUE;
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
