/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_stderr.h - what QEMU's own messages say went wrong.
 */
#ifndef RC_QEMU_STDERR_H
#define RC_QEMU_STDERR_H

#include <glib.h>

#include "qemu/kind.h"

/**
 * RcQemuMessage - a classified QEMU message
 * @kind:	what went wrong (RC_KIND_NONE when nothing was recognised
 *		and no error line was found)
 * @block:	the RAM block named, or NULL
 * @source_size: source size named by a mismatch message, else 0
 * @destination_size: destination size named by a mismatch message, else 0
 * @line:	QEMU's line, without the "qemu-system-x86_64: " prefix
 * @romfile:	the file named by "failed to find romfile", or NULL
 * @firmware:	the file named by a firmware image QEMU could not load
 *		("could not load PC BIOS 'bios-256k.bin'", "Unable to load
 *		the RISC-V firmware \"FILE\""), or NULL; the kind stays
 *		RC_KIND_OTHER: whether a missing image is a failure or a
 *		refusal is the caller's to say
 */
typedef struct {
	RcKind kind;
	char *block;
	guint64 source_size;
	guint64 destination_size;
	char *line;
	char *romfile;
	char *firmware;
} RcQemuMessage;

RcQemuMessage *rc_qemu_stderr_classify(const char *text);
void rc_qemu_message_free(RcQemuMessage *msg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcQemuMessage, rc_qemu_message_free)

#endif /* RC_QEMU_STDERR_H */
