/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_process.h - QEMU as a program: which binary, which accelerator,
 * option values escaped, the signals that stop every QEMU, how one ended
 * in words.
 */
#ifndef RC_QEMU_PROCESS_H
#define RC_QEMU_PROCESS_H

#include <glib.h>

#include "base/child.h"

/* The QMP socket's number in the child: -chardev socket,fd=3 (rc_child_cmd_pass_fd()). */
#define RC_QEMU_QMP_FD 3

const char *rc_qemu_pick_accel(const char *accel, GError **error);
char *rc_qemu_escape(const char *value);
char *rc_qemu_find_program(const char *name, GError **error);
char *rc_qemu_describe_end(const RcChild *child);

void rc_qemu_install_signal_handlers(void);
int rc_qemu_interrupted(void);

#endif /* RC_QEMU_PROCESS_H */
