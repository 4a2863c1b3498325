/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pad.h - fit ROM files into a target BAR bucket: pad a file that would
 * land in a smaller bucket, trim the padding of one that would land in a
 * larger one, never touch an image.
 */
#ifndef RC_PAD_H
#define RC_PAD_H

#include <glib.h>

#include "base/enumtable.h"
#include "rom/romset.h"

/**
 * RcPadAction - what fitting did to one file
 * @RC_PAD_UNCHANGED:	already in the target bucket
 * @RC_PAD_PADDED:	grown to the target size with the fill byte
 * @RC_PAD_TRIMMED:	trailing padding cut to the target size
 * @RC_PAD_TOO_BIG:	its images alone need more than the target bucket
 * @RC_PAD_NO_TARGET:	no target for it (not in the reference set)
 * @RC_PAD_UNREADABLE:	unreadable, not a ROM or truncated: left alone
 */
typedef enum {
	RC_PAD_UNCHANGED,
	RC_PAD_PADDED,
	RC_PAD_TRIMMED,
	RC_PAD_TOO_BIG,
	RC_PAD_NO_TARGET,
	RC_PAD_UNREADABLE,
} RcPadAction;

#define RC_PAD_ACTION_COUNT 6

/* Its name in reports: "unchanged", "padded", "trimmed", "too-big", "no-target", "unreadable". */
RC_ENUM_DECL_TO_STRING(rc_pad_action, RcPadAction);

/**
 * RcPadResult - one file fitted to its target
 * @name:	file name
 * @location:	where it came from, for people
 * @size:	its size before
 * @needed:	the bytes its images need (the end of the chain)
 * @target:	the target bucket, 0 when there is none
 * @new_size:	its size after (@size when nothing changed)
 * @action:	what was done
 * @reason:	for RC_PAD_UNREADABLE: why
 * @data:	its bytes after, or NULL for RC_PAD_UNREADABLE
 */
typedef struct {
	char *name;
	char *location;
	guint64 size;
	guint64 needed;
	guint64 target;
	guint64 new_size;
	RcPadAction action;
	char *reason;
	GBytes *data;
} RcPadResult;

/**
 * RcPadRequest - how to choose each file's target
 * @bucket:	one target bucket for every file, or 0
 * @like:	the target of a file is its namesake's bucket in this set
 *		(used when @bucket is 0)
 * @fill:	the byte to pad with, or -1: the file's own padding byte, else 0xff
 */
typedef struct {
	guint64 bucket;
	const RcRomSet *like;
	int fill;
} RcPadRequest;

void rc_pad_result_free(RcPadResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcPadResult, rc_pad_result_free)

GPtrArray *rc_pad_set(const RcRomSet *set, const RcPadRequest *request);
RcRomSet *rc_pad_results_to_set(GPtrArray *results, const char *source);

#endif /* RC_PAD_H */
