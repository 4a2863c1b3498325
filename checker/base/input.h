/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * input.h - opening files romcompat did not make: never blocking on a FIFO
 * or device, never reading more than a bound.
 */
#ifndef RC_INPUT_H
#define RC_INPUT_H

#include <glib.h>
#include <sys/stat.h>

/**
 * RcInputAccept - what an operand may name
 * @RC_INPUT_FILE:	a regular file only
 * @RC_INPUT_FILE_OR_DIR: a regular file or a directory
 */
typedef enum {
	RC_INPUT_FILE,
	RC_INPUT_FILE_OR_DIR,
} RcInputAccept;

int rc_input_open(const char *path, const char *what, RcInputAccept accept, struct stat *st,
		  GError **error);
gboolean rc_input_check(const char *path, const char *what, RcInputAccept accept, struct stat *st,
			GError **error);
gssize rc_input_read_fd(int fd, void *buf, gsize size);
gboolean rc_input_read(const char *path, const char *what, gsize max, char **contents,
		       gsize *length, GError **error);

#endif /* RC_INPUT_H */
