/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dpkgrel.c - which installed Debian package ships a file, and how that
 * package relates to another (Depends, Recommends, Suggests), as dpkg says.
 *
 * Theory of operation: `dpkg -S PATH` names the package that owns a file
 * (the real path: /usr/bin/qemu-system-x86_64 is not a link, but a QEMU
 * reached through one is known by its target); `dpkg-query -W -f` prints
 * the package's Depends, Recommends and Suggests, one field a line (a
 * field's own "|" separates alternatives).  The strongest field that names
 * the other package, alone or as an alternative, is the relation.
 */
#include "sources/dpkgrel.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/child.h"
#include "base/error.h"

/* dpkg answers from its database: seconds at most. */
#define DPKG_TIMEOUT_US (30 * G_USEC_PER_SEC)

static const char *const field_names[] = {"Depends", "Recommends", "Suggests"};

/* Run a dpkg tool; its standard output, or NULL when it failed. */
static char *run(RcChildCmd *cmd, GError **error)
{
	g_autoptr(RcChildResult) res = NULL;

	rc_child_cmd_search_path(cmd);
	rc_child_cmd_set_timeout(cmd, DPKG_TIMEOUT_US);
	rc_child_cmd_set_output_cap(cmd, RC_CHILD_OUTPUT_CAP);
	if (!(res = rc_child_cmd_run(cmd, error)))
		return NULL;
	return rc_child_succeeded(res) ? g_strdup(res->out ? res->out : "") : NULL;
}

/**
 * rc_dpkg_owner() - the installed package that ships a file
 * @path:	the file; its real path is asked for
 * @error:	set (exit 3) when dpkg cannot be run at all
 *
 * Return: the package name, or NULL (with @error unset) when no installed
 * package ships it or there is no dpkg
 */
char *rc_dpkg_owner(const char *path, GError **error)
{
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("dpkg -S", "dpkg");
	g_autofree char *out = NULL;
	g_autofree char *dpkg = g_find_program_in_path("dpkg");
	char real[PATH_MAX];

	if (!dpkg)
		return NULL;
	rc_child_cmd_add_args(
		cmd, (const char *const[]){"-S", realpath(path, real) ? real : path, NULL});
	if (!(out = run(cmd, error)) || !strstr(out, ": "))
		return NULL;
	/* "qemu-system-x86: /usr/bin/qemu-system-x86_64"; "a, b: FILE" when shared */
	return g_strstrip(g_strndup(out, strcspn(out, ",:")));
}

/* Whether one field (comma-separated, "|" alternatives) names @other. */
static gboolean field_names_package(const char *field, const char *other)
{
	g_auto(GStrv) items = g_strsplit_set(field, ",|", -1);

	for (guint i = 0; items[i]; i++) {
		char *name = g_strstrip(items[i]);

		name[strcspn(name, " (:[")] = '\0';
		if (strcmp(name, other) == 0)
			return TRUE;
	}
	return FALSE;
}

/**
 * rc_dpkg_relation_parse() - the strongest relation fields name
 * @fields:	Depends, Recommends and Suggests, one a line
 * @other:	the package looked for
 *
 * Return: "Depends", "Recommends", "Suggests", or "none"
 */
const char *rc_dpkg_relation_parse(const char *fields, const char *other)
{
	g_auto(GStrv) lines = g_strsplit(fields ? fields : "", "\n", -1);

	for (guint i = 0; i < G_N_ELEMENTS(field_names) && lines[i]; i++)
		if (field_names_package(lines[i], other))
			return field_names[i];
	return "none";
}

/**
 * rc_dpkg_relation() - how an installed package relates to another
 * @package:	the installed package ("qemu-system-arm")
 * @other:	the other package ("ipxe-qemu")
 * @error:	set (exit 3) when dpkg-query cannot be run at all
 *
 * Return: "Depends", "Recommends", "Suggests", "none", or NULL (with
 * @error unset) when dpkg does not know @package
 */
char *rc_dpkg_relation(const char *package, const char *other, GError **error)
{
	g_autoptr(RcChildCmd) cmd = rc_child_cmd_new("dpkg-query -W", "dpkg-query");
	g_autofree char *out = NULL;

	rc_child_cmd_add_args(cmd,
			      (const char *const[]){"-W", "-f",
						    "${Depends}\\n${Recommends}\\n${Suggests}\\n",
						    package, NULL});
	if (!(out = run(cmd, error)))
		return NULL;
	return g_strdup(rc_dpkg_relation_parse(out, other));
}
