/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend.c - choosing the backend that runs migration cases, by the name
 * given with --backend.  Adding a backend means one RcMigrateFunc and one
 * branch here.
 *
 * The libvirt backend lives in a module, romcompat-libvirt.so, loaded with
 * GModule the first time it is asked for: libvirt and libxml2 (sixty
 * shared libraries between them) would otherwise be loaded, relocated and
 * initialised by every romcompat command, doubling the start-up time and
 * memory of `diff` and of each check.  The module is looked for in
 * $ROMCOMPAT_MODULE_DIR, next to the program (the build directory), and in
 * the installed library directory.
 */
#include <string.h>

#include <gmodule.h>

#include "matrix/backend.h"
#include "base/error.h"
#include "base/trace.h"

#define MODULE_FILE "romcompat-libvirt.so"

static RcMigrationOutcome *migrate_direct(const RcMigrationSpec *spec, gpointer data,
					  GError **error)
{
	return rc_migration_run(spec, error);
}

/* The directories the module may be in, in order. */
static GPtrArray *module_dirs(void)
{
	GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);

	if (g_getenv("ROMCOMPAT_MODULE_DIR"))
		g_ptr_array_add(dirs, g_strdup(g_getenv("ROMCOMPAT_MODULE_DIR")));
	if (self)
		g_ptr_array_add(dirs, g_path_get_dirname(self));
	g_ptr_array_add(dirs, g_strdup(RC_LIBDIR));
	return dirs;
}

static const RcLibvirtModule *open_module(GError **error)
{
	g_autoptr(GPtrArray) dirs = module_dirs();
	g_autoptr(GString) tried = g_string_new(NULL);

	for (guint i = 0; i < dirs->len; i++) {
		g_autofree char *path =
			g_build_filename(g_ptr_array_index(dirs, i), MODULE_FILE, NULL);
		GModule *module;
		gpointer symbol = NULL;
		const RcLibvirtModule *lv;

		if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
			g_string_append_printf(tried, "%s%s", tried->len ? ", " : "",
					       (const char *)g_ptr_array_index(dirs, i));
			continue;
		}
		if (!(module = g_module_open(path, G_MODULE_BIND_LOCAL))) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
				    "cannot load the libvirt backend %s: %s (install libvirt0 and "
				    "libxml2)",
				    path, g_module_error());
			return NULL;
		}
		if (!g_module_symbol(module, "rc_libvirt_module", &symbol) || !symbol ||
		    ((const RcLibvirtModule *)symbol)->abi != RC_LIBVIRT_MODULE_ABI) {
			g_set_error(
				error, RC_ERROR, RC_ERROR_INFRA,
				"%s is not this romcompat's libvirt backend (rebuild or reinstall "
				"romcompat)",
				path);
			g_module_close(module);
			return NULL;
		}
		g_module_make_resident(module);
		lv = symbol;
		rc_trace("libvirt backend loaded from %s", path);
		return lv;
	}
	g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
		    "the libvirt backend is not installed: no " MODULE_FILE " in %s (build it with "
		    "make, or use --backend direct)",
		    tried->str);
	return NULL;
}

/* The libvirt module, loaded once. */
static const RcLibvirtModule *libvirt_module(GError **error)
{
	static GMutex lock;
	static const RcLibvirtModule *module;
	const RcLibvirtModule *m;

	g_mutex_lock(&lock);
	if (!module)
		module = open_module(error);
	m = module;
	g_mutex_unlock(&lock);
	return m;
}

/**
 * rc_backend_open() - get a backend ready
 * @backend:	filled in
 * @name:	"direct" (or NULL) or "libvirt"
 * @uri:	libvirt only: the connection URI, or NULL for qemu:///session
 * @error:	set for an unknown name (RC_ERROR_USAGE), --connect without
 *		libvirt, or a libvirt backend that cannot be loaded or a daemon
 *		that cannot be reached (RC_ERROR_INFRA)
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
	if (!(backend->module = libvirt_module(error)) ||
	    !(backend->libvirt = backend->module->open(uri ? uri : RC_LIBVIRT_DEFAULT_URI, error)))
		return FALSE;
	backend->name = "libvirt";
	backend->migrate = backend->module->migrate;
	backend->data = backend->libvirt;
	return TRUE;
}

/**
 * rc_backend_clear() - close what a backend holds
 * @backend:	the backend
 */
void rc_backend_clear(RcBackend *backend)
{
	if (backend->libvirt)
		backend->module->close(backend->libvirt);
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
		return g_strdup_printf("libvirt (%s)", backend->module->uri(backend->libvirt));
	return g_strdup(backend->name);
}

/**
 * rc_backend_check_domain() - `migrate --domain-xml`, through the libvirt
 * module
 * @request:	what to check
 * @exit_status: the verdict's exit code
 * @error:	set when the module cannot be loaded, or the check fails
 *
 * Return: TRUE when a verdict was printed
 */
gboolean rc_backend_check_domain(const RcDomainRequest *request, int *exit_status, GError **error)
{
	const RcLibvirtModule *module = libvirt_module(error);

	return module && module->check_domain(request, exit_status, error);
}
