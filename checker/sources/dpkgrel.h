/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dpkgrel.h - which installed Debian package ships a file, and how that
 * package relates to another (Depends, Recommends, Suggests), as dpkg says.
 */
#ifndef RC_DPKGREL_H
#define RC_DPKGREL_H

#include <glib.h>

char *rc_dpkg_owner(const char *path, GError **error);
char *rc_dpkg_relation(const char *package, const char *other, GError **error);
const char *rc_dpkg_relation_parse(const char *fields, const char *other);

#endif /* RC_DPKGREL_H */
