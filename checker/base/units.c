/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * units.c - byte counts and RAM block sizes written for people: a size
 * both exact and readable ("249856 bytes (244.0 KiB)"), a bucket the way
 * QEMU users talk about it ("256 KiB").  Binary units throughout, since
 * buckets are powers of two.
 */
#include "base/units.h"

/**
 * rc_format_size() - a byte count, exact and in KiB or MiB
 * @bytes:	the count
 *
 * Return: a new string: "512 bytes", "249856 bytes (244.0 KiB)",
 * "2097152 bytes (2.0 MiB)"
 */
char *rc_format_size(guint64 bytes)
{
	if (bytes < 1024)
		return g_strdup_printf("%" G_GUINT64_FORMAT " byte%s", bytes,
				       bytes == 1 ? "" : "s");
	if (bytes < 1024 * 1024)
		return g_strdup_printf("%" G_GUINT64_FORMAT " bytes (%.1f KiB)", bytes,
				       (double)bytes / 1024.0);
	return g_strdup_printf("%" G_GUINT64_FORMAT " bytes (%.1f MiB)", bytes,
			       (double)bytes / (1024.0 * 1024.0));
}

/**
 * rc_format_bucket() - a RAM block size in the largest whole binary unit
 * @bytes:	the size (a power of two for buckets)
 *
 * Return: a new string: "256 KiB", "1 MiB", "512 bytes"; a size that is no
 * whole number of KiB or MiB falls back to the smaller unit
 */
char *rc_format_bucket(guint64 bytes)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB"};
	guint u = 0;

	while (u + 1 < G_N_ELEMENTS(units) && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	return g_strdup_printf("%" G_GUINT64_FORMAT " %s", bytes, units[u]);
}

/**
 * rc_parse_size() - a byte count as people write it
 * @text:	"262144", "0x40000", "256K", "256KiB", "1M", "1MiB" (binary
 *		units; case does not matter)
 * @value:	set to the count
 *
 * Return: TRUE when @text is one of those forms and the count fits
 */
gboolean rc_parse_size(const char *text, guint64 *value)
{
	static const struct {
		const char *suffix;
		guint shift;
	} units[] = {
		{"", 0},   {"b", 0},	{"k", 10},  {"kib", 10}, {"kb", 10},
		{"m", 20}, {"mib", 20}, {"mb", 20}, {"g", 30},	 {"gib", 30},
	};
	const char *digits;
	char *end = NULL;
	guint64 n;

	if (!text || !g_ascii_isdigit(*text))
		return FALSE;
	digits = g_str_has_prefix(text, "0x") ? text + 2 : text;
	if (!g_ascii_isxdigit(*digits) || (digits == text && !g_ascii_isdigit(*digits)))
		return FALSE;
	n = g_ascii_strtoull(digits, &end, digits == text ? 10 : 16);
	for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
		if (g_ascii_strcasecmp(end, units[i].suffix) != 0)
			continue;
		if (n > (G_MAXUINT64 >> units[i].shift))
			return FALSE;
		*value = n << units[i].shift;
		return TRUE;
	}
	return FALSE;
}
