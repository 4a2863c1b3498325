/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-savedstate.c - libFuzzer target: a saved VM state's file (a raw
 * migration stream, a libvirt save image, a qcow2 image with snapshots),
 * read as far as its RAM block table.  Any input is a state or one input
 * error; the blocks of a state add up to the RAM total it announces.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "qemu/ramblock.h"
#include "qemu/savedstate.h"
#include "sources/stateimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const GError *error)
{
	if (!error || error->domain != RC_ERROR || error->code != RC_ERROR_INPUT)
		__builtin_trap();
}

static void parse_one(RcStateImage *img, const RcStateSnapshot *snapshot)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcStateStream) stream = rc_state_stream_open(img, snapshot, &error);
	g_autoptr(RcSavedState) state = NULL;
	guint64 sum = 0;

	if (!stream) {
		check_error(error);
		return;
	}
	state = rc_saved_state_parse(stream, "fuzz", &error);
	if (!state) {
		check_error(error);
		return;
	}
	for (guint i = 0; i < state->blocks->len; i++)
		sum += ((const RcRamBlock *)g_ptr_array_index(state->blocks, i))->used;
	if (sum != state->ram_total || state->blocks->len > RC_SAVED_MAX_BLOCKS)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcStateImage) img = rc_state_image_new_from_data("fuzz", data, size, &error);
	GPtrArray *snapshots;

	if (!img) {
		check_error(error);
		return 0;
	}
	snapshots = rc_state_image_snapshots(img);
	if (!snapshots) {
		parse_one(img, NULL);
		return 0;
	}
	for (guint i = 0; i < snapshots->len && i < 4; i++)
		parse_one(img, g_ptr_array_index(snapshots, i));
	return 0;
}
