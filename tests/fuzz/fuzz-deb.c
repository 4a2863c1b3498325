/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-deb.c - libFuzzer target: any bytes as a .deb package (ar archive,
 * control and data tarballs with any compression, symbolic links among the
 * members).
 *
 * Loading must give a ROM set or an input error, never crash, loop or leak;
 * every file name it keeps must be a plain name (no '/', not "." or ".."),
 * since rc_rom_set_write_files() writes each file under its name into a
 * private directory, and a member path may never escape it.  A set keeps
 * no bytes: reading its members again from the package must give each
 * entry exactly the size it was loaded with.
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rom/romset.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static char *deb_path;

static void remove_deb(void)
{
	if (deb_path)
		g_unlink(deb_path);
	g_free(deb_path);
}

/* The bytes read again are those the entry was loaded with. */
static gboolean same_size(const RcRomEntry *e, const guint8 *data, gsize len, gpointer user,
			  GError **error)
{
	if (!e->has_size || len != e->size)
		abort();
	(*(guint *)user)++;
	return TRUE;
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
	g_autoptr(GError) again = NULL;
	guint read_again = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRomSet) set = NULL;

	if (!deb_path) {
		int fd = g_file_open_tmp("fuzz-XXXXXX.deb", &deb_path, NULL);

		if (fd < 0)
			abort();
		close(fd);
		atexit(remove_deb);
	}
	if (!g_file_set_contents(deb_path, (const char *)data, (gssize)size, NULL))
		abort();
	set = rc_rom_set_load(deb_path, &error);
	if (!set) {
		if (!error || !error->message[0])
			abort();
		return 0;
	}
	if (error)
		abort();
	for (guint i = 0; i < set->entries->len; i++) {
		const RcRomEntry *e = g_ptr_array_index(set->entries, i);

		if (!e->name[0] || strchr(e->name, '/') || strcmp(e->name, ".") == 0 ||
		    strcmp(e->name, "..") == 0)
			abort();
		if (e->data)
			abort();
	}
	if (!rc_rom_set_each_member(set, same_size, &read_again, &again) || again)
		abort();
	for (guint i = 0; i < set->entries->len; i++)
		read_again -=
			((const RcRomEntry *)g_ptr_array_index(set->entries, i))->source_member !=
			NULL;
	if (read_again != 0)
		abort();
	return 0;
}
