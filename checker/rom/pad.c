/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pad.c - fit ROM files into a target BAR bucket.
 *
 * QEMU sizes a NIC's ROM RAM block by rounding the file size up to a power
 * of two, so what a running VM needs on its destination is a file whose
 * size rounds to the same bucket.  A file that shrank into a smaller bucket
 * is padded up to the target size; a file that grew past the target only
 * because of the bytes after its last image is trimmed down to the target
 * size.  Images are never touched (the padding lies outside every image,
 * outside the legacy checksum's area too), so a file whose images alone
 * need more than the target cannot be fitted, and says so.
 */
#include <string.h>

#include "base/error.h"
#include "base/input.h"
#include "rom/pad.h"
#include "rom/rom.h"
#include "rom/romset.h"

/**
 * rc_pad_result_free() - free one file's result
 * @result:	the result, or NULL
 */
void rc_pad_result_free(RcPadResult *result)
{
	if (!result)
		return;
	g_free(result->name);
	g_free(result->location);
	g_free(result->reason);
	if (result->data)
		g_bytes_unref(result->data);
	g_free(result);
}

RC_ENUM_IMPL_TO_STRING(
	rc_pad_action, RcPadAction, RC_PAD_ACTION_COUNT, [RC_PAD_UNCHANGED] = "unchanged",
	[RC_PAD_PADDED] = "padded", [RC_PAD_TRIMMED] = "trimmed", [RC_PAD_TOO_BIG] = "too-big",
	[RC_PAD_NO_TARGET] = "no-target", [RC_PAD_UNREADABLE] = "unreadable")

/*
 * A package's files, read again from it in one pass (a set keeps no
 * bytes): entry -> GBytes, or why they could not be read.
 */
typedef struct {
	GHashTable *bytes;
	GError *error;
} PackageBytes;

static gboolean keep_bytes(const RcRomEntry *e, const guint8 *data, gsize len, gpointer user,
			   GError **error)
{
	g_hash_table_insert(user, (gpointer)e, g_bytes_new(data, len));
	return TRUE;
}

static void read_package(const RcRomSet *set, PackageBytes *package)
{
	gboolean needed = FALSE;

	for (guint i = 0; i < set->entries->len; i++) {
		const RcRomEntry *e = g_ptr_array_index(set->entries, i);

		needed |= e->source_member && !e->path;
	}
	package->bytes = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_bytes_unref);
	if (needed)
		rc_rom_set_each_member(set, keep_bytes, package->bytes, &package->error);
}

/*
 * The file's bytes: a padded copy's are in the entry, a package member's
 * were read again from the package, a file's (or a package member's copy)
 * are read now, without blocking and within a set's bound.
 */
static GBytes *entry_bytes(const RcRomEntry *e, const PackageBytes *package, char **reason)
{
	g_autoptr(GError) local = NULL;
	GBytes *kept = g_hash_table_lookup(package->bytes, e);
	char *text = NULL;
	gsize len = 0;

	if (e->data)
		return g_bytes_ref(e->data);
	if (kept)
		return g_bytes_ref(kept);
	if (e->source_member && !e->path) {
		*reason = g_strdup(package->error ? package->error->message
						  : "not found again in its package");
		return NULL;
	}
	if (!rc_input_read(e->path ? e->path : e->location, "ROM file", RC_ROM_SET_MAX_FILE_BYTES,
			   &text, &len, &local)) {
		*reason = g_strdup(local->message);
		return NULL;
	}
	return g_bytes_new_take(text, len);
}

/* A copy of @data, @new_size long: cut, or grown with @fill. */
static GBytes *resize(GBytes *data, guint64 new_size, guint8 fill)
{
	gsize len;
	const guint8 *bytes = g_bytes_get_data(data, &len);
	guint8 *out = g_malloc((gsize)new_size);

	memcpy(out, bytes, MIN(len, (gsize)new_size));
	if (new_size > len)
		memset(out + len, fill, (gsize)new_size - len);
	return g_bytes_new_take(out, (gsize)new_size);
}

static RcPadResult *pad_one(const RcRomEntry *e, const PackageBytes *package, guint64 target,
			    int fill)
{
	g_autoptr(RcPadResult) r = g_new0(RcPadResult, 1);
	g_autoptr(GBytes) data = NULL;

	r->name = g_strdup(e->name);
	r->location = g_strdup(e->location);
	r->size = e->size;
	r->new_size = e->size;
	r->target = target;
	if (e->error || !e->rom) {
		r->action = RC_PAD_UNREADABLE;
		r->reason = g_strdup(e->error ? e->error->message : "not an option ROM");
		return g_steal_pointer(&r);
	}
	r->needed = e->rom->padding_offset;
	if (!(data = entry_bytes(e, package, &r->reason))) {
		r->action = RC_PAD_UNREADABLE;
		return g_steal_pointer(&r);
	}
	r->size = r->new_size = g_bytes_get_size(data);
	if (!target) {
		r->action = RC_PAD_NO_TARGET;
	} else if (rc_rom_bucket(r->size) == target) {
		r->action = RC_PAD_UNCHANGED;
	} else if (r->needed > target) {
		r->action = RC_PAD_TOO_BIG;
	} else {
		if (fill < 0)
			fill = e->rom->padding_length && e->rom->padding_fill >= 0
				       ? e->rom->padding_fill
				       : 0xff;
		r->action = r->size > target ? RC_PAD_TRIMMED : RC_PAD_PADDED;
		r->new_size = target;
		r->data = resize(data, target, (guint8)fill);
		return g_steal_pointer(&r);
	}
	r->data = g_steal_pointer(&data);
	return g_steal_pointer(&r);
}

/**
 * rc_pad_set() - fit every file of a set into its target bucket
 * @set:	the files
 * @request:	the target: one bucket for all, or each file's namesake's
 *		bucket in a reference set (a single file's, when both are
 *		single files)
 *
 * A target of size T means a file of exactly T bytes: padded files are
 * grown to it, trimmed files cut to it.
 *
 * Return: RcPadResult *, one per entry of @set, in its order
 */
GPtrArray *rc_pad_set(const RcRomSet *set, const RcPadRequest *request)
{
	GPtrArray *results = g_ptr_array_new_with_free_func((GDestroyNotify)rc_pad_result_free);
	PackageBytes package = {NULL, NULL};

	read_package(set, &package);
	for (guint i = 0; i < set->entries->len; i++) {
		const RcRomEntry *e = g_ptr_array_index(set->entries, i);
		guint64 target = request->bucket;

		if (!target && request->like) {
			const RcRomSet *like = request->like;
			/* Two single files pair with each other, as in diff. */
			const RcRomEntry *ref = like->kind == RC_ROM_SET_FILE &&
								set->kind == RC_ROM_SET_FILE &&
								like->entries->len == 1
							? g_ptr_array_index(like->entries, 0)
							: rc_rom_set_lookup(like, e->name);

			if (ref && ref->has_size)
				target = rc_rom_bucket(ref->size);
		}
		g_ptr_array_add(results, pad_one(e, &package, target, request->fill));
	}
	g_hash_table_unref(package.bytes);
	g_clear_error(&package.error);
	return results;
}

/**
 * rc_pad_results_to_set() - the fitted files as a ROM set
 * @results:	RcPadResult *, from rc_pad_set()
 * @source:	what to call the set
 *
 * Every file keeps its bytes in the set; rc_rom_set_write_files() puts
 * them where QEMU can open them.  Unreadable files stay errors.
 *
 * Return: a new set of kind RC_ROM_SET_PADDED
 */
RcRomSet *rc_pad_results_to_set(GPtrArray *results, const char *source)
{
	RcRomSet *set = rc_rom_set_new(source, RC_ROM_SET_PADDED);

	for (guint i = 0; i < results->len; i++) {
		const RcPadResult *r = g_ptr_array_index(results, i);
		g_autofree char *location =
			g_strdup_printf("%s (%s)", r->location, rc_pad_action_to_string(r->action));
		RcRomEntry *e;
		gsize len;
		const guint8 *bytes;

		if (!r->data) {
			rc_rom_set_add_error(set, r->name, location,
					     g_error_new(RC_ERROR, RC_ERROR_INPUT, "%s: %s",
							 r->location, r->reason));
			continue;
		}
		bytes = g_bytes_get_data(r->data, &len);
		e = rc_rom_set_add_data(set, r->name, location, bytes, len);
		e->data = g_bytes_ref(r->data);
	}
	rc_rom_set_sort(set);
	return set;
}
