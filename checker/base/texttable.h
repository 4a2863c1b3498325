/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * texttable.h - aligned columns for the human-readable reports.
 */
#ifndef RC_TEXTTABLE_H
#define RC_TEXTTABLE_H

#include <stdarg.h>
#include <stdio.h>

#include <glib.h>

typedef struct RcTextTable RcTextTable;

RcTextTable *rc_text_table_new(guint n_columns);
void rc_text_table_free(RcTextTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcTextTable, rc_text_table_free)

void rc_text_table_right_align(RcTextTable *table, guint column);
void rc_text_table_add(RcTextTable *table, ...) G_GNUC_NULL_TERMINATED;
void rc_text_table_add_take(RcTextTable *table, ...) G_GNUC_NULL_TERMINATED;
void rc_text_table_add_valist(RcTextTable *table, gboolean take, va_list cells);
void rc_text_table_print(const RcTextTable *table, FILE *out, const char *indent);

#endif /* RC_TEXTTABLE_H */
