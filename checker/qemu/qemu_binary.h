/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_binary.h - which QEMU a name on the command line stands for.
 */
#ifndef RC_QEMU_BINARY_H
#define RC_QEMU_BINARY_H

#include <glib.h>

char *rc_qemu_find_binary(const char *name, GError **error);

#endif /* RC_QEMU_BINARY_H */
