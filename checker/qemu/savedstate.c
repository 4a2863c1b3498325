/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * savedstate.c - the head of a QEMU migration stream: its machine type and
 * its RAM block table, as QEMU 7.2 writes them (migration/savevm.c,
 * migration/ram.c):
 *
 *   be32 "QEVM", be32 3
 *   [u8 0x07 CONFIGURATION, be32 len, the machine type,
 *    subsections (u8 0x05, u8 len, name, be32 version, fields):
 *    target-page-bits (be32), capabilities (be32 n, n x (u8 len, name)),
 *    uuid (16 bytes)]
 *   [u8 0x08 COMMAND, be16 cmd, be16 len, data]   (postcopy advise, ...)
 *   u8 0x01 SECTION_START, be32 section id, u8 len, "ram", be32 instance,
 *   be32 version, be64 (total | RAM_SAVE_FLAG_MEM_SIZE), then per block:
 *   u8 len, id, be64 used length [, be64 page size when postcopy and the
 *   block's page size is not the host's] [, be64 address when
 *   x-ignore-shared], until the lengths add up to the total.
 *
 * Nothing past the table is read.  Pure: bytes come from a RcStateStream.
 */
#include "qemu/savedstate.h"

#include <string.h>

#include "base/error.h"
#include "qemu/ramblock.h"

#define VM_FILE_VERSION		3
#define VM_EOF			0x00
#define VM_SECTION_START	0x01
#define VM_SUBSECTION		0x05
#define VM_CONFIGURATION	0x07
#define VM_COMMAND		0x08
#define MIG_CMD_POSTCOPY_ADVISE 2
#define RAM_SAVE_FLAG_MEM_SIZE	0x04
/* Flags live in the low bits of a page address; the smallest target page
 * QEMU knows is 1 KiB. */
#define RAM_FLAG_MASK	 0x3ffULL
#define MACHINE_NAME_MAX 256
#define CAPABILITIES_MAX 64
#define COMMANDS_MAX	 16

typedef struct {
	RcStateStream *stream;
	const char *label;
	guint8 buf[4096];
	gsize len;
	gsize off;
	guint64 consumed; /* stream bytes before buf[0] */
} Reader;

static gboolean fail(GError **error, const Reader *r, const char *what)
{
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
		    "saved state %s: %s (at byte %" G_GUINT64_FORMAT " of its migration stream)",
		    r->label, what, r->consumed + r->off);
	return FALSE;
}

/* Make @n (<= 512) bytes available at r->buf + r->off. */
static gboolean need(Reader *r, gsize n, GError **error)
{
	while (r->len - r->off < n) {
		gssize got;

		if (r->off) {
			memmove(r->buf, r->buf + r->off, r->len - r->off);
			r->consumed += r->off;
			r->len -= r->off;
			r->off = 0;
		}
		got = rc_state_stream_read(r->stream, r->buf + r->len, sizeof(r->buf) - r->len,
					   error);
		if (got < 0)
			return FALSE;
		if (got == 0)
			return fail(error, r,
				    "truncated before the end of its RAM block table: the file "
				    "was cut short; copy it again from where it was saved");
		r->len += (gsize)got;
	}
	return TRUE;
}

static gboolean get_u8(Reader *r, guint8 *v, GError **error)
{
	if (!need(r, 1, error))
		return FALSE;
	*v = r->buf[r->off++];
	return TRUE;
}

static gboolean get_be(Reader *r, guint bytes, guint64 *v, GError **error)
{
	if (!need(r, bytes, error))
		return FALSE;
	*v = 0;
	for (guint i = 0; i < bytes; i++)
		*v = (*v << 8) | r->buf[r->off++];
	return TRUE;
}

/* A counted string: @len bytes (already read), NUL-terminated copy. */
static char *get_string(Reader *r, gsize len, GError **error)
{
	char *s;

	if (!need(r, len, error))
		return NULL;
	s = g_strndup((const char *)r->buf + r->off, len);
	if (strlen(s) != len) {
		g_free(s);
		fail(error, r, "a name with a NUL byte in it: the stream is corrupt");
		return NULL;
	}
	r->off += len;
	return s;
}

static char *get_u8_string(Reader *r, GError **error)
{
	guint8 len;

	if (!get_u8(r, &len, error))
		return NULL;
	return get_string(r, len, error);
}

static gboolean skip(Reader *r, gsize n, GError **error)
{
	while (n) {
		gsize step = MIN(n, 256);

		if (!need(r, step, error))
			return FALSE;
		r->off += step;
		n -= step;
	}
	return TRUE;
}

/* The configuration section's subsections: which capabilities were on. */
static gboolean parse_subsection(Reader *r, RcSavedState *st, GError **error)
{
	g_autofree char *name = get_u8_string(r, error);
	guint64 v;

	if (!name || !get_be(r, 4, &v, error))
		return FALSE;
	if (strcmp(name, "configuration/target-page-bits") == 0)
		return get_be(r, 4, &v, error);
	if (strcmp(name, "configuration/uuid") == 0)
		return skip(r, 16, error);
	if (strcmp(name, "configuration/capabilities") != 0)
		return fail(error, r, "an unknown subsection of the configuration section");
	if (!get_be(r, 4, &v, error))
		return FALSE;
	if (v > CAPABILITIES_MAX)
		return fail(error, r, "an impossible number of capabilities");
	for (guint64 i = 0, n = v; i < n; i++) {
		g_autofree char *cap = get_u8_string(r, error);

		if (!cap)
			return FALSE;
		if (strcmp(cap, "x-ignore-shared") == 0)
			st->ignore_shared = TRUE;
	}
	return TRUE;
}

static gboolean parse_configuration(Reader *r, RcSavedState *st, GError **error)
{
	guint64 len;

	if (st->machine)
		return fail(error, r, "a second configuration section: the stream is corrupt");
	if (!get_be(r, 4, &len, error))
		return FALSE;
	if (len == 0 || len > MACHINE_NAME_MAX)
		return fail(error, r, "an impossible machine type name length");
	if (!(st->machine = get_string(r, (gsize)len, error)))
		return FALSE;
	for (;;) {
		if (!need(r, 1, error))
			return FALSE;
		if (r->buf[r->off] != VM_SUBSECTION)
			return TRUE;
		r->off++;
		if (!parse_subsection(r, st, error))
			return FALSE;
	}
}

static gboolean parse_command(Reader *r, RcSavedState *st, GError **error)
{
	guint64 cmd;
	guint64 len;

	if (!get_be(r, 2, &cmd, error) || !get_be(r, 2, &len, error))
		return FALSE;
	if (cmd == MIG_CMD_POSTCOPY_ADVISE)
		st->postcopy = TRUE;
	return skip(r, (gsize)len, error);
}

/* One block of the table; *@left is what the lengths have not covered. */
static gboolean parse_block(Reader *r, RcSavedState *st, guint64 *left, GError **error)
{
	g_autofree char *name = get_u8_string(r, error);
	RcRamBlock *b;
	guint64 used;
	guint64 extra;

	if (!name)
		return FALSE;
	if (!name[0])
		return fail(error, r, "a RAM block without a name: the stream is corrupt");
	if (!get_be(r, 8, &used, error))
		return FALSE;
	if (used > *left)
		return fail(error, r, "RAM block lengths larger than the RAM total: corrupt");
	*left -= used;
	/* After the length: a page size (postcopy, a block whose pages are
	 * not the host's), then an address (x-ignore-shared).  Both are
	 * be64 starting with a 0 byte, which no block id's length can be:
	 * a 0 byte where the next id would start is one more of them. */
	if (st->ignore_shared && !get_be(r, 8, &extra, error))
		return FALSE;
	if (st->postcopy && *left) {
		if (!need(r, 1, error))
			return FALSE;
		if (r->buf[r->off] == 0 && !get_be(r, 8, &extra, error))
			return FALSE;
	}
	if (st->blocks->len >= RC_SAVED_MAX_BLOCKS)
		return fail(error, r, "more RAM blocks than any VM has: corrupt");
	b = g_new0(RcRamBlock, 1);
	b->name = g_steal_pointer(&name);
	b->used = b->total = used;
	g_ptr_array_add(st->blocks, b);
	return TRUE;
}

static gboolean parse_ram(Reader *r, RcSavedState *st, GError **error)
{
	guint64 instance;
	guint64 version;
	guint64 v;
	guint64 left;

	if (!get_be(r, 4, &instance, error) || !get_be(r, 4, &version, error))
		return FALSE;
	if (!get_be(r, 8, &v, error))
		return FALSE;
	if ((v & RAM_FLAG_MASK) != RAM_SAVE_FLAG_MEM_SIZE)
		return fail(error, r, "a RAM section that does not start with its block table");
	st->ram_total = left = v & ~RAM_FLAG_MASK;
	while (left)
		if (!parse_block(r, st, &left, error))
			return FALSE;
	return TRUE;
}

/* Sections up to the RAM section's block table. */
static gboolean parse_sections(Reader *r, RcSavedState *st, GError **error)
{
	guint commands = 0;

	for (;;) {
		guint8 type;
		guint64 v;
		g_autofree char *idstr = NULL;

		if (!get_u8(r, &type, error))
			return FALSE;
		if (type == VM_CONFIGURATION && !parse_configuration(r, st, error))
			return FALSE;
		if (type == VM_COMMAND && ++commands > COMMANDS_MAX)
			return fail(error, r, "too many commands before the RAM section: corrupt");
		if (type == VM_COMMAND && !parse_command(r, st, error))
			return FALSE;
		if (type == VM_CONFIGURATION || type == VM_COMMAND)
			continue;
		if (type == VM_EOF)
			return fail(error, r, "the stream ends without a RAM section");
		if (type != VM_SECTION_START)
			return fail(error, r,
				    "an unexpected record before the RAM section: corrupt");
		if (!get_be(r, 4, &v, error) || !(idstr = get_u8_string(r, error)))
			return FALSE;
		if (strcmp(idstr, "ram") != 0)
			return fail(error, r,
				    "a section before the RAM section (block migration or "
				    "another iterative device): its RAM block table cannot be "
				    "reached without loading it");
		return parse_ram(r, st, error);
	}
}

/* The stream from its magic to the end of the RAM block table. */
static gboolean parse_stream(Reader *r, RcSavedState *st, GError **error)
{
	guint64 magic;
	guint64 version;

	if (!get_be(r, 4, &magic, error))
		return FALSE;
	if (magic != RC_QEMU_VM_MAGIC)
		return fail(error, r, "not a QEMU migration stream (no QEVM magic)");
	if (!get_be(r, 4, &version, error))
		return FALSE;
	if (version != VM_FILE_VERSION)
		return fail(error, r, "a migration stream of an unknown version");
	return parse_sections(r, st, error);
}

/**
 * rc_saved_state_free() - free a parsed stream head
 * @state:	the state, or NULL
 */
void rc_saved_state_free(RcSavedState *state)
{
	if (!state)
		return;
	g_free(state->machine);
	if (state->blocks)
		g_ptr_array_unref(state->blocks);
	g_free(state);
}

/**
 * rc_saved_state_parse() - the machine type and RAM blocks a stream names
 * @stream:	the migration stream from its first byte
 * @label:	the saved state's name for messages
 * @error:	RC_ERROR_INPUT for a truncated, corrupt or unknown stream
 *
 * Reads only up to the end of the RAM block table.
 *
 * Return: the head of the stream, or NULL with @error set
 */
RcSavedState *rc_saved_state_parse(RcStateStream *stream, const char *label, GError **error)
{
	RcSavedState *st = g_new0(RcSavedState, 1);
	Reader r = {.stream = stream, .label = label};

	st->blocks = g_ptr_array_new_with_free_func((GDestroyNotify)rc_ramblock_free);
	if (!parse_stream(&r, st, error)) {
		rc_saved_state_free(st);
		return NULL;
	}
	return st;
}
