/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * datadir.h - where romcompat finds its shipped data (scenarios,
 * machine-type catalogs) and keeps its cache.
 */
#ifndef RC_DATADIR_H
#define RC_DATADIR_H

#include <glib.h>

char *rc_exe_dir(void);
const char *rc_datadir(void);
char *rc_cachedir(const char *what);

#endif /* RC_DATADIR_H */
