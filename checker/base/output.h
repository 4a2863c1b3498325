/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output.h - writing the files romcompat makes (reports, catalogs) to a
 * path the user named: links followed, regular files replaced atomically,
 * devices and FIFOs written in place, anything else refused.
 */
#ifndef RC_OUTPUT_H
#define RC_OUTPUT_H

#include <glib.h>
#include <stdio.h>

/* Writes a document on @out; FALSE, with errno set, when a write fails. */
typedef gboolean (*RcOutputWriteFunc)(FILE *out, gconstpointer data);

gboolean rc_output_check(const char *path, const char *what, GError **error);
gboolean rc_output_is_stdout(const char *path);
gboolean rc_output_write(const char *path, const char *what, RcOutputWriteFunc write_fn,
			 gconstpointer data, GError **error);

#endif /* RC_OUTPUT_H */
