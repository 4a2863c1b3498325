/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * markup.c - text from outside (machine types, NIC models, paths, QEMU's
 * messages) escaped for XML and HTML: the JUnit report and the HTML page
 * share one escaper, so a string that is safe in one is safe in the other.
 */
#include "base/markup.h"

/**
 * rc_markup_append() - append text escaped for XML or HTML
 * @out:	where to append
 * @text:	the text (invalid UTF-8 is repaired; NULL is empty)
 * @attribute:	for a quoted attribute value: tabs and line breaks become
 *		character references, which survive attribute-value
 *		normalisation; in element content they stay as they are
 *
 * The five special characters become entities; control characters (and
 * the C1 range, and the two non-characters XML forbids) become U+FFFD.
 */
void rc_markup_append(GString *out, const char *text, gboolean attribute)
{
	g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);

	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);

		switch (ch) {
		case '&':
			g_string_append(out, "&amp;");
			break;
		case '<':
			g_string_append(out, "&lt;");
			break;
		case '>':
			g_string_append(out, "&gt;");
			break;
		case '"':
			g_string_append(out, "&quot;");
			break;
		case '\'':
			g_string_append(out, "&apos;");
			break;
		case '\t':
		case '\n':
		case '\r':
			if (attribute || ch == '\r')
				g_string_append_printf(out, "&#%u;", ch);
			else
				g_string_append_unichar(out, ch);
			break;
		default:
			if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || ch == 0xfffe || ch == 0xffff)
				g_string_append_unichar(out, 0xfffd);
			else
				g_string_append_len(out, p, g_utf8_next_char(p) - p);
		}
	}
}
