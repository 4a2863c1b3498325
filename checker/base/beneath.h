/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * beneath.h - paths resolved inside a directory tree, never outside it,
 * links included (a tree unpacked from a package someone else made).
 */
#ifndef RC_BENEATH_H
#define RC_BENEATH_H

#include <glib.h>

int rc_beneath_open(int rootfd, const char *path, int flags);
int rc_beneath_walk(int rootfd, const char *path, int flags);
gboolean rc_beneath_check_tree(const char *root, GError **error);
gboolean rc_beneath_check_path(const char *root, const char *path, GError **error);

#endif /* RC_BENEATH_H */
