/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rundir.h - the private run directory for sockets and QEMU logs.
 */
#ifndef RC_RUNDIR_H
#define RC_RUNDIR_H

#include <glib.h>

typedef struct RcRunDir RcRunDir;

RcRunDir *rc_rundir_new(GError **error);
const char *rc_rundir_path(const RcRunDir *dir);
char *rc_rundir_file(const RcRunDir *dir, const char *name);
void rc_rundir_free(RcRunDir *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcRunDir, rc_rundir_free)

#endif /* RC_RUNDIR_H */
