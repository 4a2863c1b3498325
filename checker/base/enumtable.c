/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * enumtable.c - the lookups behind RC_ENUM_IMPL (enumtable.h).
 */
#include "base/enumtable.h"

#include <string.h>

/**
 * rc_enum_to_string() - the name of an enum value
 * @names:	the table, indexed by value
 * @count:	entries in @names
 * @value:	the value
 *
 * Return: the name, or "?" for a value outside the table or without a name
 */
const char *rc_enum_to_string(const char *const *names, guint count, int value)
{
	if (value < 0 || (guint)value >= count || !names[value])
		return "?";
	return names[value];
}

/**
 * rc_enum_from_string() - the value an exact name stands for
 * @names:	the table, indexed by value
 * @count:	entries in @names
 * @text:	the name
 *
 * Return: the value, or -1 when @text is none of the names
 */
int rc_enum_from_string(const char *const *names, guint count, const char *text)
{
	for (guint i = 0; text && i < count; i++)
		if (names[i] && strcmp(names[i], text) == 0)
			return (int)i;
	return -1;
}
