/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend.h - which backend runs the migration cases: QEMU directly (two
 * processes, migration over a socket) or libvirt (a transient domain,
 * saved and restored with the other side's ROMs).
 */
#ifndef RC_BACKEND_H
#define RC_BACKEND_H

#include <glib.h>

#include "matrix/backend_module.h"
#include "qemu/migration_case.h"

/**
 * RcBackend - a backend, ready to run cases
 * @name:	"direct" or "libvirt"
 * @migrate:	runs one case
 * @chain:	runs a case's two directions with three QEMUs, or NULL when
 *		the backend cannot (libvirt)
 * @data:	passed to @migrate
 * @module:	the libvirt module, or NULL
 * @libvirt:	the libvirt connection (owned), or NULL
 */
typedef struct {
	const char *name;
	RcMigrateFunc migrate;
	RcChainFunc chain;
	gpointer data;
	const RcLibvirtModule *module;
	RcLibvirt *libvirt;
} RcBackend;

gboolean rc_backend_open(RcBackend *backend, const char *name, const char *uri, GError **error);
void rc_backend_clear(RcBackend *backend);
char *rc_backend_describe(const RcBackend *backend);
gboolean rc_backend_check_domain(const RcDomainRequest *request, int *exit_status, GError **error);
RcMigrationOutcome *rc_backend_restore_image(const RcBackend *backend,
					     const RcImageRestore *request, GError **error);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RcBackend, rc_backend_clear)

#endif /* RC_BACKEND_H */
