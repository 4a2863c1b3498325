/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * migration_case.h - one migration between a source and a destination
 * QEMU, each with one or more NICs, classified with QEMU's own evidence.
 */
#ifndef RC_MIGRATION_CASE_H
#define RC_MIGRATION_CASE_H

#include <glib.h>

#include "qemu/kind.h"

/**
 * RcCaseNic - one NIC of a migration pair
 * @model:	QEMU device model ("e1000")
 * @src_rom:	romfile on the source: a path, "" for none, NULL for QEMU's default
 * @dst_rom:	romfile on the destination, likewise
 * @addr:	PCI slot to put it in, or -1 to let QEMU choose
 * @src_romsize: romsize property on the source (bytes), 0 for QEMU's default
 * @dst_romsize: romsize on the destination, likewise (a mitigation pins it)
 */
typedef struct {
	const char *model;
	const char *src_rom;
	const char *dst_rom;
	int addr;
	guint64 src_romsize;
	guint64 dst_romsize;
} RcCaseNic;

/**
 * RcMigrationSpec - what to run
 * @src_qemu:	source QEMU binary (absolute path)
 * @dst_qemu:	destination QEMU binary (absolute path)
 * @machine:	machine type, the same on both sides
 * @accel:	"tcg" or "kvm", the same on both sides
 * @memory_mib:	guest RAM
 * @timeout_us:	deadline for the whole case
 * @nics:	the NICs, @n_nics of them
 * @n_nics:	how many
 * @src_bios:	the source's -bios firmware image, or NULL for QEMU's default
 * @dst_bios:	the destination's, or NULL
 * @src_pflash: the source's pflash code image (unit 0, read-only), or NULL
 * @dst_pflash: the destination's, or NULL
 * @details:	also read back each NIC's romfile and both QEMU versions
 *		(RcMigrationOutcome): a matrix's verdicts do not need them
 */
typedef struct {
	const char *src_qemu;
	const char *dst_qemu;
	const char *machine;
	const char *accel;
	guint memory_mib;
	gint64 timeout_us;
	const RcCaseNic *nics;
	guint n_nics;
	const char *src_bios;
	const char *dst_bios;
	const char *src_pflash;
	const char *dst_pflash;
	gboolean details;
} RcMigrationSpec;

/**
 * RcMigrationOutcome - what happened
 * @kind:	RC_KIND_OK or what went wrong
 * @block:	RAM block QEMU named, or NULL
 * @source_size: its size on the source (from QEMU's message), or 0
 * @destination_size: its size on the destination, or 0
 * @message:	QEMU's own line (destination first), or NULL
 * @source_error: the source's error-desc from query-migrate, or NULL
 * @diffs:	RcRamBlockDiff of every block that differs before migrating
 * @src_blocks: the source's RAM blocks (RcRamBlock), or NULL
 * @dst_blocks: the destination's RAM blocks, or NULL
 * @src_romfiles: per NIC, the romfile QEMU reports it loaded on the source
 * @dst_romfiles: likewise on the destination
 * @src_version: source QEMU version ("7.2.22"), or NULL
 * @dst_version: destination QEMU version, or NULL
 * @src_end:	how the source ended, in words
 * @dst_end:	how the destination ended, in words
 * @seconds:	wall time of the case
 */
typedef struct {
	RcKind kind;
	char *block;
	guint64 source_size;
	guint64 destination_size;
	char *message;
	char *source_error;
	GPtrArray *diffs;
	GPtrArray *src_blocks;
	GPtrArray *dst_blocks;
	GStrv src_romfiles;
	GStrv dst_romfiles;
	char *src_version;
	char *dst_version;
	char *src_end;
	char *dst_end;
	double seconds;
} RcMigrationOutcome;

/**
 * RcMigrateFunc - a backend: runs one migration case
 * @spec:	what to run
 * @data:	the backend's state (a libvirt connection, say)
 * @error:	set when the case could not be run at all
 *
 * Return: the outcome, or NULL with @error set
 */
typedef RcMigrationOutcome *(*RcMigrateFunc)(const RcMigrationSpec *spec, gpointer data,
					     GError **error);

/**
 * RcChainFunc - a backend that can chain: runs a case's two directions
 * with three QEMUs (rc_migration_run_chain())
 * @spec:	leg 1
 * @second:	set to leg 2's outcome, or NULL when leg 1 did not complete
 * @error:	set when the case could not be run at all
 *
 * Return: leg 1's outcome, or NULL with @error set
 */
typedef RcMigrationOutcome *(*RcChainFunc)(const RcMigrationSpec *spec, RcMigrationOutcome **second,
					   GError **error);

RcMigrationOutcome *rc_migration_run(const RcMigrationSpec *spec, GError **error);
RcMigrationOutcome *rc_migration_run_chain(const RcMigrationSpec *spec, RcMigrationOutcome **second,
					   GError **error);
void rc_migration_outcome_free(RcMigrationOutcome *outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcMigrationOutcome, rc_migration_outcome_free)

#endif /* RC_MIGRATION_CASE_H */
