/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_binary.h - which QEMU a name on the command line stands for, and
 * where it finds its files.
 */
#ifndef RC_QEMU_BINARY_H
#define RC_QEMU_BINARY_H

#include <glib.h>

char *rc_qemu_find_binary(const char *name, GError **error);
GStrv rc_qemu_search_path(const char *binary, const char *data_dir, GError **error);

#endif /* RC_QEMU_BINARY_H */
