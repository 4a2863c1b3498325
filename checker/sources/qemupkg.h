/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemupkg.h - a QEMU from a Debian package: "debian:qemu-system-x86=VERSION"
 * fetched with apt, unpacked once into the cache and run from there.
 */
#ifndef RC_QEMUPKG_H
#define RC_QEMUPKG_H

#include <glib.h>

/**
 * RcQemuPkg - a QEMU unpacked from its packages into the cache
 * @root:	the unpacked tree, $XDG_CACHE_HOME/romcompat/qemu/PKG_VERSION/root
 * @binary:	its system emulator, @root/usr/bin/qemu-system-ARCH
 * @datadir:	its data directory, @root/usr/share/qemu, given with -L
 * @moddir:	its module directory, @root/usr/lib/TRIPLET/qemu, given as
 *		QEMU_MODULE_DIR (it exists, empty when no module was needed)
 * @firmware:	the system's firmware directories the binary was built to
 *		search (SeaBIOS, iPXE), given with -L after @datadir for the
 *		firmware its packages do not ship
 */
typedef struct {
	char *root;
	char *binary;
	char *datadir;
	char *moddir;
	GStrv firmware;
} RcQemuPkg;

void rc_qemu_pkg_free(RcQemuPkg *pkg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcQemuPkg, rc_qemu_pkg_free)

RcQemuPkg *rc_qemu_pkg_get(const char *spec, GError **error);
RcQemuPkg *rc_qemu_pkg_for_binary(const char *binary);
char **rc_qemu_pkg_runtime(const char *binary, GPtrArray *argv);
gboolean rc_qemu_pkg_extract(const char *deb, const char *root, GError **error);

#endif /* RC_QEMUPKG_H */
