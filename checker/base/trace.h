/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.h - the --trace switch: time-stamped debug lines on stderr.
 */
#ifndef RC_TRACE_H
#define RC_TRACE_H

#include <glib.h>

void rc_trace_enable(gboolean on);
gboolean rc_trace_enabled(void);
void rc_trace(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void rc_trace_argv(const char *what, const char *const *argv);

#endif /* RC_TRACE_H */
