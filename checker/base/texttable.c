/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * texttable.c - aligned columns for the human-readable reports: rows are
 * collected first, widths measured in characters (UTF-8 aware), then
 * printed with two spaces between columns and no trailing blanks.
 */
#include "base/texttable.h"

#include <stdarg.h>

#include "base/jsonutil.h"

struct RcTextTable {
	guint n_columns;
	GPtrArray *rows; /* of GStrv with n_columns cells */
	gboolean *right;
};

/**
 * rc_text_table_new() - an empty table
 * @n_columns:	cells per row
 *
 * Return: the table (free with rc_text_table_free())
 */
RcTextTable *rc_text_table_new(guint n_columns)
{
	RcTextTable *t = g_new0(RcTextTable, 1);

	t->n_columns = n_columns;
	t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	t->right = g_new0(gboolean, n_columns);
	return t;
}

/**
 * rc_text_table_free() - free a table
 * @table:	the table, or NULL
 */
void rc_text_table_free(RcTextTable *table)
{
	if (!table)
		return;
	g_ptr_array_unref(table->rows);
	g_free(table->right);
	g_free(table);
}

/**
 * rc_text_table_right_align() - align a column's cells to the right (numbers)
 * @table:	the table
 * @column:	the column, from 0
 */
void rc_text_table_right_align(RcTextTable *table, guint column)
{
	g_return_if_fail(column < table->n_columns);
	table->right[column] = TRUE;
}

/*
 * Store one row of @cells, padded with empty cells or cut to size.  Cells
 * often hold names from outside: control characters and bytes that are not
 * UTF-8 are shown escaped (rc_text_visible()), which also keeps the
 * columns aligned.
 */
static void add_row(RcTextTable *t, GPtrArray *cells)
{
	char **row = g_new0(char *, t->n_columns + 1);

	for (guint i = 0; i < t->n_columns; i++)
		row[i] = rc_text_visible(i < cells->len ? g_ptr_array_index(cells, i) : "");
	g_ptr_array_add(t->rows, row);
}

/**
 * rc_text_table_add() - add a row of cells (copied), NULL-terminated
 * @table:	the table
 * @...:	the cells, then NULL; missing cells are empty
 */
void rc_text_table_add(RcTextTable *table, ...)
{
	g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
	const char *cell;
	va_list ap;

	va_start(ap, table);
	while ((cell = va_arg(ap, const char *)))
		g_ptr_array_add(cells, g_strdup(cell));
	va_end(ap);
	add_row(table, cells);
}

/**
 * rc_text_table_add_take() - add a row of newly allocated cells, NULL-terminated
 * @table:	the table
 * @...:	the cells (the table frees them), then NULL
 */
void rc_text_table_add_take(RcTextTable *table, ...)
{
	g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
	char *cell;
	va_list ap;

	va_start(ap, table);
	while ((cell = va_arg(ap, char *)))
		g_ptr_array_add(cells, cell);
	va_end(ap);
	add_row(table, cells);
}

/**
 * rc_text_table_add_valist() - add a row of cells given as a va_list
 * @table:	the table
 * @take:	TRUE when the cells are newly allocated and the table frees
 *		them (rc_text_table_add_take()), FALSE to copy them
 *		(rc_text_table_add())
 * @cells:	the cells, then NULL; missing cells are empty
 *
 * For a variadic function that forwards its cells: the libvirt module's
 * rc_text_table_add() calls this through the program's services.
 */
void rc_text_table_add_valist(RcTextTable *table, gboolean take, va_list cells)
{
	g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func(g_free);
	char *cell;

	while ((cell = va_arg(cells, char *)))
		g_ptr_array_add(row, take ? cell : g_strdup(cell));
	add_row(table, row);
}

/**
 * rc_text_table_print() - print the rows with aligned columns
 * @table:	the table
 * @out:	where to
 * @indent:	printed before each row
 */
void rc_text_table_print(const RcTextTable *table, FILE *out, const char *indent)
{
	glong *width = g_new0(glong, table->n_columns); /* plain: the analyzer loses g_autofree */
	guint last = 0;

	for (guint r = 0; r < table->rows->len; r++) {
		char **row = g_ptr_array_index(table->rows, r);

		for (guint c = 0; c < table->n_columns; c++) {
			width[c] = MAX(width[c], g_utf8_strlen(row[c], -1));
			if (*row[c])
				last = MAX(last, c);
		}
	}
	for (guint r = 0; r < table->rows->len; r++) {
		char **row = g_ptr_array_index(table->rows, r);
		g_autoptr(GString) line = g_string_new(indent);

		for (guint c = 0; c <= last; c++) {
			glong pad = width[c] - g_utf8_strlen(row[c], -1);

			if (c > 0)
				g_string_append(line, "  ");
			if (table->right[c])
				g_string_append_printf(line, "%*s%s", (int)pad, "", row[c]);
			else if (c == last)
				g_string_append(line, row[c]);
			else
				g_string_append_printf(line, "%s%*s", row[c], (int)pad, "");
		}
		while (line->len > 0 && line->str[line->len - 1] == ' ')
			g_string_truncate(line, line->len - 1);
		fprintf(out, "%s\n", line->str);
	}
	g_free(width);
}
