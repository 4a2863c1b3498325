/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd_migrate.c - placeholder until the subcommand lands. */
#include "commands.h"
#include "error.h"

gboolean rc_cmd_migrate(int argc, char **argv, int *exit_status, GError **error)
{
	g_set_error(error, RC_ERROR, RC_ERROR_USAGE, "'migrate' is not implemented yet");
	return FALSE;
}
