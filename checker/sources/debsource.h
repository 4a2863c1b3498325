/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * debsource.h - "debian:PACKAGE=VERSION" as a ROM source, fetched with
 * apt-get into romcompat's cache.
 */
#ifndef RC_DEBSOURCE_H
#define RC_DEBSOURCE_H

#include <glib.h>

void rc_debian_set_apt_sources(const char *path);
gboolean rc_debian_is_source(const char *spec);
gboolean rc_debian_source_is_valid(const char *spec);
char *rc_debian_fetch(const char *spec, char **resolved, GError **error);

#endif /* RC_DEBSOURCE_H */
