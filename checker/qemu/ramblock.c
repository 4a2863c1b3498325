/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ramblock.c - pure parser of the HMP "info ramblock" table and the
 * comparison of two sides' blocks.
 *
 * Comparing both sides before migrating explains every mismatch at once,
 * where a real migration stops at the first one.  The table looks like
 *
 *               Block Name    PSize              Offset               Used              Total
 *                   pc.ram    4 KiB  0x0000000000000000 0x0000000004000000 0x0000000004000000
 *   0000:00:02.0/e1000.rom    4 KiB  0x0000000004080000 0x0000000000040000 0x0000000000040000
 *
 * Names carry no spaces (they are "<PCI path>/<type>.rom" or QEMU's own
 * ids); the last three columns are hexadecimal, so a row is read from the
 * right and the page-size column may be one or two words.
 */
#include "qemu/ramblock.h"

#include <string.h>

#include "base/error.h"

/**
 * rc_ramblock_free() - free a block
 * @block:	the block, or NULL
 */
void rc_ramblock_free(RcRamBlock *block)
{
	if (!block)
		return;
	g_free(block->name);
	g_free(block);
}

/**
 * rc_ramblock_diff_free() - free a difference
 * @diff:	the difference, or NULL
 */
void rc_ramblock_diff_free(RcRamBlockDiff *diff)
{
	if (!diff)
		return;
	g_free(diff->name);
	g_free(diff);
}

static gboolean parse_hex(const char *word, guint64 *value)
{
	char *end = NULL;

	if (!g_str_has_prefix(word, "0x") || !word[2])
		return FALSE;
	*value = g_ascii_strtoull(word + 2, &end, 16);
	return end && *end == '\0';
}

/**
 * rc_ramblock_parse() - read the "info ramblock" table
 * @text:	the text QEMU returned
 * @error:	set when a row cannot be read, or a block name comes twice
 *
 * Return: array of RcRamBlock (owning), in QEMU's order
 */
GPtrArray *rc_ramblock_parse(const char *text, GError **error)
{
	g_autoptr(GPtrArray) blocks =
		g_ptr_array_new_with_free_func((GDestroyNotify)rc_ramblock_free);
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
	gboolean header = FALSE;

	for (guint i = 0; lines[i]; i++) {
		g_auto(GStrv) words = NULL;
		RcRamBlock *block;
		guint n;
		guint first_hex;
		guint64 offset;

		g_strstrip(lines[i]);
		if (!lines[i][0])
			continue;
		if (g_str_has_prefix(lines[i], "Block Name")) {
			header = TRUE;
			continue;
		}
		words = g_strsplit_set(lines[i], " \t", -1);
		n = 0;
		for (guint j = 0; words[j]; j++)
			if (words[j][0])
				words[n++] = words[j];
			else
				g_free(words[j]);
		words[n] = NULL;
		/* Name, page size ("4 KiB"), then Offset, Used, Total: the first
		 * three hex columns.  QEMU 10 adds HVA and RO columns after them. */
		first_hex = 1;
		while (first_hex < n && !g_str_has_prefix(words[first_hex], "0x"))
			first_hex++;
		block = g_new0(RcRamBlock, 1);
		if (first_hex + 3 > n || first_hex < 2 || !parse_hex(words[first_hex], &offset) ||
		    !parse_hex(words[first_hex + 1], &block->used) ||
		    !parse_hex(words[first_hex + 2], &block->total)) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
				    "cannot read QEMU's 'info ramblock' row '%s'", lines[i]);
			rc_ramblock_free(block);
			return NULL;
		}
		block->name = g_strdup(words[0]);
		if (rc_ramblock_find(blocks, block->name)) {
			/* QEMU's block names are unique: a comparison by name needs it. */
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
				    "QEMU's 'info ramblock' lists block %s twice", block->name);
			rc_ramblock_free(block);
			return NULL;
		}
		g_ptr_array_add(blocks, block);
	}
	if (!header) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "QEMU's 'info ramblock' answer has no table header");
		return NULL;
	}
	return g_steal_pointer(&blocks);
}

/**
 * rc_ramblock_pci_slot() - the PCI slot of a device's RAM block on bus 0
 * @name:	block id, "0000:00:05.0/e1000.rom" or, on machine types that
 *		keep the old path format (pc-i440fx-1.x), "0000:05.0/e1000.rom"
 *
 * QEMU names a device's RAM block after the device's path; both forms
 * above are what QEMU 7.2 prints, read back with "info ramblock".
 *
 * Return: the slot (0 .. 31), or -1 for a block of no device on bus 0
 */
int rc_ramblock_pci_slot(const char *name)
{
	g_autofree char *path = NULL;
	g_auto(GStrv) parts = NULL;
	const char *slotfn;
	char *end;
	guint64 slot, bus = 0;
	const char *slash = strchr(name, '/');

	if (!slash)
		return -1;
	path = g_strndup(name, (gsize)(slash - name));
	parts = g_strsplit(path, ":", -1);
	switch (g_strv_length(parts)) {
	case 2: /* domain:slot.fn */
		slotfn = parts[1];
		break;
	case 3: /* domain:bus:slot.fn */
		if (!g_ascii_string_to_unsigned(parts[1], 16, 0, 255, &bus, NULL))
			return -1;
		slotfn = parts[2];
		break;
	default:
		return -1;
	}
	if (bus != 0 || !g_ascii_isxdigit(slotfn[0]))
		return -1;
	slot = g_ascii_strtoull(slotfn, &end, 16);
	if (end == slotfn || *end != '.' || slot > 31)
		return -1;
	return (int)slot;
}

/**
 * rc_ramblock_find() - a block by name
 * @blocks:	array of RcRamBlock
 * @name:	block id
 *
 * Return: the block, or NULL
 */
const RcRamBlock *rc_ramblock_find(GPtrArray *blocks, const char *name)
{
	for (guint i = 0; i < blocks->len; i++) {
		const RcRamBlock *b = g_ptr_array_index(blocks, i);

		if (strcmp(b->name, name) == 0)
			return b;
	}
	return NULL;
}

static void add_diff(GPtrArray *diffs, const char *name, guint64 source, guint64 destination)
{
	RcRamBlockDiff *d = g_new0(RcRamBlockDiff, 1);

	d->name = g_strdup(name);
	d->source_size = source;
	d->destination_size = destination;
	g_ptr_array_add(diffs, d);
}

/**
 * rc_ramblock_compare() - every block whose used length differs
 * @source:	the migration source's blocks
 * @destination: the destination's blocks
 *
 * A block missing on one side is listed with size 0 there.  Source order
 * first, then blocks only the destination has.
 *
 * Return: array of RcRamBlockDiff (owning), empty when the sides agree
 */
GPtrArray *rc_ramblock_compare(GPtrArray *source, GPtrArray *destination)
{
	GPtrArray *diffs = g_ptr_array_new_with_free_func((GDestroyNotify)rc_ramblock_diff_free);

	for (guint i = 0; i < source->len; i++) {
		const RcRamBlock *s = g_ptr_array_index(source, i);
		const RcRamBlock *d = rc_ramblock_find(destination, s->name);

		if (!d || d->used != s->used)
			add_diff(diffs, s->name, s->used, d ? d->used : 0);
	}
	for (guint i = 0; i < destination->len; i++) {
		const RcRamBlock *d = g_ptr_array_index(destination, i);

		if (!rc_ramblock_find(source, d->name))
			add_diff(diffs, d->name, 0, d->used);
	}
	return diffs;
}
