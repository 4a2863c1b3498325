/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-qemu-stderr.c - libFuzzer target: the classifier of a QEMU's error
 * output.  Any text gives one classification; a size mismatch carries a
 * block name and two sizes, and the line it quotes is part of the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "qemu/qemu_stderr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(RcQemuMessage) msg = rc_qemu_stderr_classify(text);

	if (!msg || (guint)msg->kind >= RC_KIND_COUNT)
		__builtin_trap();
	if (msg->kind == RC_KIND_ROM_SIZE_MISMATCH && (!msg->block || !msg->line))
		__builtin_trap();
	if (msg->kind == RC_KIND_NONE && msg->line)
		__builtin_trap();
	return 0;
}
