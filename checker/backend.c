/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend.c - choosing the backend that runs migration cases, by the name
 * given with --backend.  Adding a backend means one RcMigrateFunc and one
 * branch here.
 */
#include <string.h>

#include "backend.h"
#include "error.h"

static RcMigrationOutcome *migrate_direct(const RcMigrationSpec *spec, gpointer data,
					  GError **error)
{
	return rc_migration_run(spec, error);
}

/**
 * rc_backend_open() - get a backend ready
 * @backend:	filled in
 * @name:	"direct" (or NULL) or "libvirt"
 * @uri:	libvirt only: the connection URI, or NULL for qemu:///session
 * @error:	set for an unknown name (RC_ERROR_USAGE), --connect without
 *		libvirt, or a libvirt daemon that cannot be reached (RC_ERROR_INFRA)
 *
 * Return: TRUE when @backend can run cases
 */
gboolean rc_backend_open(RcBackend *backend, const char *name, const char *uri, GError **error)
{
	memset(backend, 0, sizeof(*backend));
	if (!name || strcmp(name, "direct") == 0) {
		if (uri) {
			g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
				    "--connect needs --backend libvirt");
			return FALSE;
		}
		backend->name = "direct";
		backend->migrate = migrate_direct;
		return TRUE;
	}
	if (strcmp(name, "libvirt") != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--backend %s: give 'direct' (QEMU processes) or 'libvirt'", name);
		return FALSE;
	}
	if (!(backend->libvirt = rc_libvirt_open(uri ? uri : RC_BACKEND_DEFAULT_URI, error)))
		return FALSE;
	backend->name = "libvirt";
	backend->migrate = rc_libvirt_migrate;
	backend->data = backend->libvirt;
	return TRUE;
}

/**
 * rc_backend_clear() - close what a backend holds
 * @backend:	the backend
 */
void rc_backend_clear(RcBackend *backend)
{
	rc_libvirt_close(backend->libvirt);
	backend->libvirt = NULL;
}

/**
 * rc_backend_describe() - the backend in a few words, for reports
 * @backend:	the backend
 *
 * Return: "direct" or "libvirt (URI)"
 */
char *rc_backend_describe(const RcBackend *backend)
{
	if (backend->libvirt)
		return g_strdup_printf("libvirt (%s)", rc_libvirt_uri(backend->libvirt));
	return g_strdup(backend->name);
}
