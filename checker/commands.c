/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * commands.c - what every subcommand shares: parsing its options into a
 * usage error.  Kept out of main.c so that the subcommands link into the
 * unit tests, which have their own main().
 */
#include "commands.h"
#include "error.h"

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
