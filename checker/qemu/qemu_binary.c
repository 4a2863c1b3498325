/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_binary.c - which QEMU a name on the command line stands for: a
 * program on PATH, a path, or a Debian package version unpacked into the
 * cache.  Resolving packages here, above process start, keeps the .deb
 * unpacker out of qemu_process.c: starting a QEMU takes a path, an argv
 * and an environment, nothing else.
 */
#include "qemu/qemu_binary.h"

#include "sources/debsource.h"
#include "qemu/qemu_process.h"
#include "sources/qemupkg.h"

/**
 * rc_qemu_find_binary() - resolve a QEMU binary name, path or package
 * @name:	"qemu-system-x86_64", a path, or a package
 *		"debian:qemu-system-x86=VERSION", unpacked into the cache
 *		(see rc_qemu_pkg_get())
 * @error:	set when it cannot be run (3), or the package cannot be had
 *		(2 or 3)
 *
 * Return: absolute path, newly allocated
 */
char *rc_qemu_find_binary(const char *name, GError **error)
{
	if (rc_debian_is_source(name)) {
		g_autoptr(RcQemuPkg) pkg = rc_qemu_pkg_get(name, error);

		return pkg ? g_strdup(pkg->binary) : NULL;
	}
	return rc_qemu_find_program(name, error);
}
