/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * needs.h - one QEMU started as a user starts it (its default devices, or
 * one NIC model), paused, and what became of it: started, refused for a
 * missing ROM file, or failed for another reason; its search path.
 */
#ifndef RC_NEEDS_H
#define RC_NEEDS_H

#include <glib.h>

#include "base/enumtable.h"

/**
 * RcNeedsStatus - what became of a QEMU started without a ROM set
 * @RC_NEEDS_STARTS:	it started (paused) and answered QMP
 * @RC_NEEDS_REFUSES:	it exited: QEMU "failed to find romfile", or could not
 *			load a firmware image that is hidden
 * @RC_NEEDS_FAILS:	it exited or hung for another reason
 */
typedef enum {
	RC_NEEDS_STARTS,
	RC_NEEDS_REFUSES,
	RC_NEEDS_FAILS,
} RcNeedsStatus;
#define RC_NEEDS_STATUS_COUNT 3

RC_ENUM_DECL_TO_STRING(rc_needs_status, RcNeedsStatus);

/**
 * RcNeedsSpec - one QEMU to start
 * @binary:	absolute path of the QEMU binary
 * @machine:	machine type
 * @memory_mib:	guest RAM, 0 for QEMU's default
 * @model:	a NIC or display model to add alone (-nodefaults -device
 *		MODEL), or NULL for the machine type's own default devices (no
 *		-nodefaults)
 * @data_dir:	a directory given with -L, searched before QEMU's own, or NULL
 * @read_roms:	when it starts: the romfile properties of its devices
 *		(HMP info qtree)
 * @read_ramblocks: when it starts: its RAM blocks (HMP info ramblock)
 * @hidden:	the file names hidden, NULL-terminated, or NULL: a firmware
 *		image among them that QEMU could not load is a refusal
 */
typedef struct {
	const char *binary;
	const char *machine;
	guint memory_mib;
	const char *model;
	const char *data_dir;
	gboolean read_roms;
	gboolean read_ramblocks;
	const char *const *hidden;
} RcNeedsSpec;

/**
 * RcNeedsResult - what became of it
 * @status:	started, refused, failed
 * @romfile:	the file QEMU did not find (RC_NEEDS_REFUSES)
 * @firmware:	@romfile is a firmware image (the machine type's BIOS), not
 *		a device's option ROM
 * @message:	QEMU's own line, without its program name (REFUSES, FAILS)
 * @roms:	the romfile properties read back, NULL-terminated (read_roms)
 * @ramblocks:	RcRamBlock, as QEMU lists them (read_ramblocks), or NULL
 */
typedef struct {
	RcNeedsStatus status;
	char *romfile;
	gboolean firmware;
	char *message;
	GStrv roms;
	GPtrArray *ramblocks;
} RcNeedsResult;

void rc_needs_result_free(RcNeedsResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcNeedsResult, rc_needs_result_free)

RcNeedsResult *rc_needs_probe(const RcNeedsSpec *spec, GError **error);
GStrv rc_needs_qtree_romfiles(const char *qtree);

#endif /* RC_NEEDS_H */
