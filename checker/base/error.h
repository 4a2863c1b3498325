/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * error.h - romcompat's one error convention: a GError domain whose codes
 * map one-to-one onto the documented exit codes.
 *
 * Every function that can fail takes "GError **error" last and returns
 * FALSE/NULL/-1 with the error set.  Only main() prints an error; it picks
 * the exit code (main.c maps each error domain onto one).
 */
#ifndef RC_ERROR_H
#define RC_ERROR_H

#include <glib.h>

/* Exit codes, see romcompat(1). */
enum {
	RC_EXIT_COMPATIBLE = 0,
	RC_EXIT_INCOMPATIBLE = 1,
	RC_EXIT_INPUT = 2,
	RC_EXIT_INFRA = 3,
	RC_EXIT_CANNOT_TEST = 125,
};

/**
 * RcErrorCode - what kind of failure, which decides the exit code
 * @RC_ERROR_USAGE:	bad command line (exit 2)
 * @RC_ERROR_INPUT:	an input file, scenario or archive is unusable (exit 2)
 * @RC_ERROR_INFRA:	QEMU or the system could not be used (exit 3)
 * @RC_ERROR_INTERRUPTED: a signal asked romcompat to stop (exit 3)
 */
typedef enum {
	RC_ERROR_USAGE,
	RC_ERROR_INPUT,
	RC_ERROR_INFRA,
	RC_ERROR_INTERRUPTED,
} RcErrorCode;

#define RC_ERROR (rc_error_quark())
GQuark rc_error_quark(void);

void rc_print_error(const GError *error);
int rc_exit_worse(int a, int b);

#endif /* RC_ERROR_H */
