/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * debfile.h - one member of a Debian package (data.tar, control.tar) read
 * as a tar stream straight out of the .deb's ar archive, with libarchive.
 */
#ifndef RC_DEBFILE_H
#define RC_DEBFILE_H

#include <archive.h>
#include <glib.h>

typedef struct RcDebStream RcDebStream;

/**
 * RcDebReader - an open .deb, positioned on one tar member
 * @outer:	the ar reader
 * @tar:	the tar reader of the member: archive_read_next_header() on it
 * @member:	the member's name ("data.tar.xz")
 * @stream:	the bytes passed from @outer to @tar
 * @fd:		the open package (opened without blocking: never a FIFO)
 */
typedef struct {
	struct archive *outer;
	struct archive *tar;
	char *member;
	RcDebStream *stream;
	int fd;
} RcDebReader;

RcDebReader *rc_deb_open(const char *path, const char *member, GError **error);
void rc_deb_reader_free(RcDebReader *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcDebReader, rc_deb_reader_free)
const char *rc_deb_detail(const RcDebReader *r);
void rc_deb_set_corrupt(GError **error, const char *path, const char *what, const char *detail);
GHashTable *rc_deb_control(const char *deb, GError **error);

#endif /* RC_DEBFILE_H */
