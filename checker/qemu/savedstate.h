/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * savedstate.h - what a saved VM state says about itself: the machine
 * type of its configuration section and the RAM blocks its RAM section
 * lists, read from the head of the migration stream only.
 */
#ifndef RC_SAVEDSTATE_H
#define RC_SAVEDSTATE_H

#include <glib.h>

#include "sources/stateimage.h"

/* Blocks one stream may list at most. */
#define RC_SAVED_MAX_BLOCKS 4096

/**
 * RcSavedState - the head of a migration stream
 * @machine:	the machine type of its configuration section, or NULL
 *		(machine types up to pc-i440fx-2.3 send none)
 * @blocks:	RcRamBlock in stream order (@used = @total = the length saved)
 * @ram_total:	the total the RAM section announces (RAM_SAVE_FLAG_MEM_SIZE)
 * @postcopy:	the stream advises postcopy (a page size may follow a length)
 * @ignore_shared: x-ignore-shared was on (an address follows each length)
 */
typedef struct {
	char *machine;
	GPtrArray *blocks;
	guint64 ram_total;
	gboolean postcopy;
	gboolean ignore_shared;
} RcSavedState;

RcSavedState *rc_saved_state_parse(RcStateStream *stream, const char *label, GError **error);
void rc_saved_state_free(RcSavedState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcSavedState, rc_saved_state_free)

#endif /* RC_SAVEDSTATE_H */
