/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * debfile.c - one member of a Debian package read as a tar stream.
 *
 * A .deb is an ar archive holding debian-binary, control.tar.* and
 * data.tar.{xz,zst,gz,...}.  libarchive reads the ar; a second libarchive
 * reader takes the wanted tar member straight out of the first one's
 * stream, whatever its compression, so nothing is extracted to disk on
 * the way.  Used for ROM sets read in place (romset.c) and for QEMU
 * packages unpacked into the cache (qemupkg.c).
 */
#include "sources/debfile.h"

#include <archive_entry.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/input.h"

/* The tar reader reads its member out of the ar reader's stream. */
struct RcDebStream {
	struct archive *outer;
	guint8 buf[64 * 1024];
};

static la_ssize_t nested_read(struct archive *inner, void *opaque, const void **buf)
{
	RcDebStream *s = opaque;

	*buf = s->buf;
	return archive_read_data(s->outer, s->buf, sizeof(s->buf));
}

/**
 * rc_deb_reader_free() - close a package
 * @r:	the reader, or NULL
 */
void rc_deb_reader_free(RcDebReader *r)
{
	if (!r)
		return;
	if (r->tar)
		archive_read_free(r->tar);
	if (r->outer)
		archive_read_free(r->outer);
	if (r->fd >= 0)
		close(r->fd);
	g_free(r->stream);
	g_free(r->member);
	g_free(r);
}

/**
 * rc_deb_set_corrupt() - the error of a package that cannot be read
 * @error:	set (RC_ERROR_INPUT)
 * @path:	the package
 * @what:	what is wrong, or the member that is
 * @detail:	libarchive's explanation, or NULL
 */
void rc_deb_set_corrupt(GError **error, const char *path, const char *what, const char *detail)
{
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
		    "%s: corrupt .deb (%s%s%s); download the package again (apt-get download)",
		    path, what, detail ? ": " : "", detail ? detail : "");
}

/**
 * rc_deb_detail() - libarchive's explanation, from whichever reader has one
 * @r:	the reader
 *
 * Return: a static or reader-owned string
 */
const char *rc_deb_detail(const RcDebReader *r)
{
	const char *inner = r->tar ? archive_error_string(r->tar) : NULL;
	const char *outer = archive_error_string(r->outer);

	return inner ? inner : outer ? outer : "damaged or cut short";
}

/**
 * rc_deb_open() - open a package on one of its tar members
 * @path:	the .deb
 * @member:	the member's name without compression suffix: "data.tar" or
 *		"control.tar"
 * @error:	set for a file that is no package or lacks the member, or is
 *		not a regular file (a FIFO is refused, not waited on) (2)
 *
 * Return: the reader, its @tar ready for archive_read_next_header()
 */
RcDebReader *rc_deb_open(const char *path, const char *member, GError **error)
{
	RcDebReader *r = g_new0(RcDebReader, 1); /* plain ownership, see romset.c */
	struct archive_entry *entry;
	int rc;

	r->fd = -1;
	r->outer = archive_read_new();
	archive_read_support_format_ar(r->outer);
	if ((r->fd = rc_input_open(path, "package", RC_INPUT_FILE, NULL, error)) < 0)
		goto fail;
	if (archive_read_open_fd(r->outer, r->fd, 64 * 1024) != ARCHIVE_OK) {
		rc_deb_set_corrupt(error, path, "not an ar archive",
				   archive_error_string(r->outer));
		goto fail;
	}
	while ((rc = archive_read_next_header(r->outer, &entry)) == ARCHIVE_OK ||
	       rc == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(entry);

		if (name && g_str_has_prefix(name, member)) {
			r->member = g_strdup(name);
			break;
		}
	}
	if (!r->member) {
		g_autofree char *missing = g_strdup_printf("no %s member", member);

		rc_deb_set_corrupt(error, path, rc == ARCHIVE_EOF ? missing : "bad ar archive",
				   rc == ARCHIVE_EOF ? NULL : archive_error_string(r->outer));
		goto fail;
	}
	r->stream = g_new0(RcDebStream, 1);
	r->stream->outer = r->outer;
	r->tar = archive_read_new();
	archive_read_support_filter_all(r->tar);
	archive_read_support_format_tar(r->tar);
	if (archive_read_open(r->tar, r->stream, NULL, nested_read, NULL) != ARCHIVE_OK) {
		rc_deb_set_corrupt(error, path, r->member, rc_deb_detail(r));
		goto fail;
	}
	return r;

fail:
	rc_deb_reader_free(r);
	return NULL;
}

/**
 * rc_deb_control() - the fields of a package's control file
 * @deb:	the .deb
 * @error:	set when it has no control file or cannot be read
 *
 * Return: field name -> value (stripped; continuation lines left out), or NULL
 */
GHashTable *rc_deb_control(const char *deb, GError **error)
{
	/* Plain ownership: clang-analyzer does not follow g_autoptr here. */
	RcDebReader *r = rc_deb_open(deb, "control.tar", error);
	g_autoptr(GHashTable) fields =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GString) text = g_string_new(NULL);
	struct archive_entry *entry;
	int rc;

	if (!r)
		return NULL;
	while ((rc = archive_read_next_header(r->tar, &entry)) == ARCHIVE_OK ||
	       rc == ARCHIVE_WARN) {
		char buf[4096];
		la_ssize_t n;

		if (g_strcmp0(archive_entry_pathname(entry), "./control") != 0 &&
		    g_strcmp0(archive_entry_pathname(entry), "control") != 0)
			continue;
		while ((n = archive_read_data(r->tar, buf, sizeof(buf))) > 0 && text->len < 65536)
			g_string_append_len(text, buf, n);
		break;
	}
	rc_deb_reader_free(r);
	if (!text->len) {
		rc_deb_set_corrupt(error, deb, "no control file", NULL);
		return NULL;
	}
	{
		g_auto(GStrv) lines = g_strsplit(text->str, "\n", -1);

		for (guint i = 0; lines[i]; i++) {
			const char *colon = strchr(lines[i], ':');

			if (!colon || g_ascii_isspace(lines[i][0]))
				continue;
			g_hash_table_replace(fields, g_strndup(lines[i], (gsize)(colon - lines[i])),
					     g_strstrip(g_strdup(colon + 1)));
		}
	}
	return g_steal_pointer(&fields);
}
