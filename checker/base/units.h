/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * units.h - byte counts and RAM block sizes written for people.
 */
#ifndef RC_UNITS_H
#define RC_UNITS_H

#include <glib.h>

char *rc_format_size(guint64 bytes);
char *rc_format_bucket(guint64 bytes);
gboolean rc_parse_size(const char *text, guint64 *value);

#endif /* RC_UNITS_H */
