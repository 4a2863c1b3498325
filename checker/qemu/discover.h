/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * discover.h - machine-type catalogs read back from a running QEMU, and
 * the catalog that goes with a QEMU binary (shipped, cached or discovered).
 */
#ifndef RC_DISCOVER_H
#define RC_DISCOVER_H

#include <glib.h>

#include "qemu/catalog.h"

/**
 * RcQemuIdentity - what a QEMU binary says it is
 * @binary:	the binary as given (a command name or a path)
 * @path:	its absolute path
 * @arch:	target architecture ("x86_64", "aarch64", ...)
 * @version:	"MAJOR.MINOR.MICRO"
 * @package:	distribution package version, or NULL
 */
typedef struct {
	char *binary;
	char *path;
	char *arch;
	char *version;
	char *package;
} RcQemuIdentity;

void rc_qemu_identity_free(RcQemuIdentity *id);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcQemuIdentity, rc_qemu_identity_free)

RcQemuIdentity *rc_qemu_identify(const char *qemu, GError **error);
RcCatalog *rc_discover_catalog(const char *qemu, guint jobs, GError **error);
RcCatalog *rc_catalog_for_qemu(const char *qemu, const char *explicit_catalog, GError **error);

#endif /* RC_DISCOVER_H */
