/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kind.c - the names of RcKind in reports ("rom-size-mismatch").
 */
#include "qemu/kind.h"

RC_ENUM_IMPL(rc_kind, RcKind, RC_KIND_COUNT, [RC_KIND_NONE] = "none", [RC_KIND_OK] = "ok",
	     [RC_KIND_ROM_SIZE_MISMATCH] = "rom-size-mismatch",
	     [RC_KIND_UNKNOWN_RAMBLOCK] = "unknown-ramblock",
	     [RC_KIND_ROMFILE_MISSING] = "romfile-missing",
	     [RC_KIND_QEMU_START_FAILED] = "qemu-start-failed",
	     [RC_KIND_UNKNOWN_MACHINE_TYPE] = "unknown-machine-type", [RC_KIND_TIMEOUT] = "timeout",
	     [RC_KIND_QEMU_CRASHED] = "qemu-crashed", [RC_KIND_OTHER] = "other",
	     [RC_KIND_UNKNOWN_DEVICE] = "unknown-device", [RC_KIND_MALFORMED_ROM] = "malformed-rom")
