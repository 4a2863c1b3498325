/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-deb.c - libFuzzer target: any bytes as a .deb package (ar archive,
 * control and data tarballs with any compression, symbolic links among the
 * members).
 *
 * Loading must give a ROM set or an input error, never crash, loop or leak;
 * every file name it keeps must be a plain name (no '/', not "." or ".."),
 * since rc_rom_set_write_files() writes each file under its name into a
 * private directory, and a member path may never escape it.
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "romset.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static char *deb_path;

static void remove_deb(void)
{
	if (deb_path)
		g_unlink(deb_path);
	g_free(deb_path);
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
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
		if (e->data && (!e->has_size || g_bytes_get_size(e->data) != e->size))
			abort();
	}
	return 0;
}
