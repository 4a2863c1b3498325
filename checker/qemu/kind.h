/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kind.h - what happened to a migration, in QEMU's terms: the one enum the
 * QEMU layer (stderr classifier, migration case) and the matrix above it
 * share.  Depends on nothing but the enum table macro.
 */
#ifndef RC_KIND_H
#define RC_KIND_H

#include "base/enumtable.h"

/**
 * RcKind - what happened, in QEMU's terms
 * @RC_KIND_NONE:	not run
 * @RC_KIND_OK:		migration completed
 * @RC_KIND_ROM_SIZE_MISMATCH: "Size mismatch" / "Length mismatch" of the ROM block
 * @RC_KIND_UNKNOWN_RAMBLOCK: "Unknown ramblock": one side has no ROM block
 * @RC_KIND_ROMFILE_MISSING: QEMU "failed to find romfile"
 * @RC_KIND_QEMU_START_FAILED: QEMU exited before it could be used
 * @RC_KIND_UNKNOWN_MACHINE_TYPE: this QEMU does not know the machine type
 * @RC_KIND_TIMEOUT:	the pair did not finish before its deadline
 * @RC_KIND_QEMU_CRASHED: QEMU died of a signal
 * @RC_KIND_OTHER:	anything else; the message says what
 * @RC_KIND_UNKNOWN_DEVICE: this QEMU does not know the NIC model
 * @RC_KIND_MALFORMED_ROM: a ROM file of the case is a malformed build (no QEMU run)
 */
typedef enum {
	RC_KIND_NONE,
	RC_KIND_OK,
	RC_KIND_ROM_SIZE_MISMATCH,
	RC_KIND_UNKNOWN_RAMBLOCK,
	RC_KIND_ROMFILE_MISSING,
	RC_KIND_QEMU_START_FAILED,
	RC_KIND_UNKNOWN_MACHINE_TYPE,
	RC_KIND_TIMEOUT,
	RC_KIND_QEMU_CRASHED,
	RC_KIND_OTHER,
	RC_KIND_UNKNOWN_DEVICE,
	RC_KIND_MALFORMED_ROM,
} RcKind;

#define RC_KIND_COUNT 12

RC_ENUM_DECL(rc_kind, RcKind);

#endif /* RC_KIND_H */
