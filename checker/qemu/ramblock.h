/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ramblock.h - RAM blocks as QEMU lists them, and the comparison of a
 * migration source's blocks with its destination's.
 */
#ifndef RC_RAMBLOCK_H
#define RC_RAMBLOCK_H

#include <glib.h>

/**
 * RcRamBlock - one RAM block
 * @name:	its id in the migration stream ("0000:00:02.0/e1000.rom")
 * @used:	used length in bytes: what the migration stream carries
 * @total:	maximum length in bytes
 */
typedef struct {
	char *name;
	guint64 used;
	guint64 total;
} RcRamBlock;

/**
 * RcRamBlockDiff - a block whose size differs between the two sides
 * @name:	block id
 * @source_size: used length on the source, 0 when the source lacks it
 * @destination_size: used length on the destination, 0 when it lacks it
 */
typedef struct {
	char *name;
	guint64 source_size;
	guint64 destination_size;
} RcRamBlockDiff;

void rc_ramblock_free(RcRamBlock *block);
void rc_ramblock_diff_free(RcRamBlockDiff *diff);
GPtrArray *rc_ramblock_parse(const char *text, GError **error);
GPtrArray *rc_ramblock_compare(GPtrArray *source, GPtrArray *destination);
int rc_ramblock_pci_slot(const char *name);
const RcRamBlock *rc_ramblock_find(GPtrArray *blocks, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcRamBlock, rc_ramblock_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcRamBlockDiff, rc_ramblock_diff_free)

#endif /* RC_RAMBLOCK_H */
