/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * error.c - the romcompat error domain and its mapping to exit codes.
 */
#include "base/error.h"
#include "base/jsonutil.h"

#include <stdio.h>

/**
 * rc_error_quark() - the romcompat error domain
 *
 * Return: the GQuark of RC_ERROR
 */
GQuark rc_error_quark(void)
{
	return g_quark_from_static_string("romcompat-error-quark");
}

/**
 * rc_print_error() - print one "romcompat: error: ..." line on stderr
 * @error:	the error to print
 *
 * Used by main() for the error that ends a command, and by commands that
 * report several inputs for the inputs that failed while the others are
 * still reported (the run then exits as main() decides).  Control
 * characters and bytes that are not UTF-8 (from a file name) are shown
 * escaped, so the error stays one line and cannot command a terminal.
 */
void rc_print_error(const GError *error)
{
	/* One line, whatever a file name in the message holds. */
	g_autofree char *message = rc_text_visible(error ? error->message : "unknown error");

	fprintf(stderr, "romcompat: error: %s\n", message);
}

/**
 * rc_exit_worse() - the worse of two exit codes
 * @a:	an exit code (RC_EXIT_COMPATIBLE .. RC_EXIT_INFRA)
 * @b:	another
 *
 * Ranked compatible < incompatible < infrastructure < input error: a bad
 * input makes every other answer doubtful.
 *
 * Return: @a or @b
 */
int rc_exit_worse(int a, int b)
{
	static const int rank[] = {[RC_EXIT_COMPATIBLE] = 0,
				   [RC_EXIT_INCOMPATIBLE] = 1,
				   [RC_EXIT_INFRA] = 2,
				   [RC_EXIT_INPUT] = 3};

	return rank[b] > rank[a] ? b : a;
}
