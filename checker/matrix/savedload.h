/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * savedload.h - a saved VM state against the new QEMU: its NICs recreated
 * at their addresses with the new ROMs, the RAM blocks read back, and a
 * copy of the state loaded (never the user's file written).
 */
#ifndef RC_SAVEDLOAD_H
#define RC_SAVEDLOAD_H

#include <glib.h>

#include "matrix/backend.h"
#include "matrix/savedcheck.h"
#include "sources/stateimage.h"

gboolean rc_saved_device_args(const RcSavedCheck *check, const char *new_roms, gboolean fixes,
			      GPtrArray *args, GError **error);
gboolean rc_saved_restore(RcSavedCheck *check, const RcBackend *backend, const char *new_roms,
			  RcStateImage *img, GError **error);
gboolean rc_saved_load(RcSavedCheck *check, const char *qemu, const char *new_roms,
		       const char *old_roms, RcStateImage *img, const RcStateSnapshot *snapshot,
		       GError **error);

#endif /* RC_SAVEDLOAD_H */
