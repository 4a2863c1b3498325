/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * markup.h - text from outside made safe inside XML and HTML documents.
 */
#ifndef RC_MARKUP_H
#define RC_MARKUP_H

#include <glib.h>

void rc_markup_append(GString *out, const char *text, gboolean attribute);

#endif /* RC_MARKUP_H */
