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
 * $ROMCOMPAT_MODULE_DIR, next to the program (the build directory), in
 * BIN/../lib/romcompat (the installed layout, wherever the tree was put,
 * as datadir.c finds the data), and last in the library directory
 * compiled in (RC_LIBDIR).
 *
 * The program exports no symbols (it is not linked with --export-dynamic):
 * the module reaches the program only through the services table below,
 * which it gets from rc_libvirt_module_init() and checks against the
 * version it was built for (backend_module.h).
 */
#include <string.h>

#include <gmodule.h>

#include "matrix/backend.h"
#include "base/datadir.h"
#include "base/error.h"
#include "base/output.h"
#include "base/input.h"
#include "base/jsonutil.h"
#include "base/texttable.h"
#include "base/trace.h"
#include "base/units.h"
#include "matrix/matrix.h"
#include "qemu/catalog.h"
#include "qemu/discover.h"
#include "qemu/qemu_binary.h"
#include "qemu/qemu_process.h"
#include "qemu/qemu_stderr.h"
#include "qemu/ramblock.h"
#include "qemu/rundir.h"
#include "sources/qemupkg.h"

#define MODULE_FILE "romcompat-libvirt.so"

static RcMigrationOutcome *migrate_direct(const RcMigrationSpec *spec, gpointer data,
					  GError **error)
{
	return rc_migration_run(spec, error);
}

/* What the program offers the libvirt module: all it may call. */
static const RcHostServices host_services = {
	.version = RC_HOST_SERVICES_VERSION,
	.size = sizeof(RcHostServices),
	.error_quark = rc_error_quark,
	.exit_worse = rc_exit_worse,
	.format_bucket = rc_format_bucket,
	.input_read = rc_input_read,
	.json_print = rc_json_print,
	.output_write = rc_output_write,
	.text_table_new = rc_text_table_new,
	.text_table_add_valist = rc_text_table_add_valist,
	.text_table_print = rc_text_table_print,
	.text_table_free = rc_text_table_free,
	.trace_enabled = rc_trace_enabled,
	.trace = rc_trace,
	.qemu_pkg_runtime = rc_qemu_pkg_runtime,
	.catalog_for_qemu = rc_catalog_for_qemu,
	.catalog_find_machine = rc_catalog_find_machine,
	.catalog_machine_find_nic = rc_catalog_machine_find_nic,
	.catalog_name_is_valid = rc_catalog_name_is_valid,
	.catalog_free = rc_catalog_free,
	.kind_to_string = rc_kind_to_string,
	.migration_outcome_free = rc_migration_outcome_free,
	.qemu_find_binary = rc_qemu_find_binary,
	.qemu_pick_accel = rc_qemu_pick_accel,
	.qemu_install_signal_handlers = rc_qemu_install_signal_handlers,
	.qemu_stderr_classify = rc_qemu_stderr_classify,
	.qemu_message_free = rc_qemu_message_free,
	.ramblock_parse = rc_ramblock_parse,
	.ramblock_compare = rc_ramblock_compare,
	.rundir_new = rc_rundir_new,
	.rundir_file = rc_rundir_file,
	.rundir_free = rc_rundir_free,
	.verdict_to_string = rc_verdict_to_string,
	.kind_exit_code = rc_kind_exit_code,
};

/* The directories the module may be in, in order. */
static GPtrArray *module_dirs(void)
{
	GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
	const char *env = g_getenv("ROMCOMPAT_MODULE_DIR");
	g_autofree char *bindir = rc_exe_dir();

	if (env && *env)
		g_ptr_array_add(dirs, g_strdup(env));
	if (bindir) {
		g_autofree char *prefix = g_path_get_dirname(bindir);

		g_ptr_array_add(dirs, g_strdup(bindir));
		g_ptr_array_add(dirs, g_build_filename(prefix, "lib", "romcompat", NULL));
	}
	if (!g_ptr_array_find_with_equal_func(dirs, RC_LIBDIR, g_str_equal, NULL))
		g_ptr_array_add(dirs, g_strdup(RC_LIBDIR));
	return dirs;
}

/*
 * Load the module at @path, hand it the services and take what it offers.
 * The module refuses services of another version itself (it knows which
 * it was built for); the program refuses a module of another ABI.
 */
static const RcLibvirtModule *load_module(const char *path, GError **error)
{
	GModule *module = g_module_open(path, G_MODULE_BIND_LOCAL);
	gpointer symbol = NULL;
	const RcLibvirtModule *lv;

	if (!module) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "cannot load the libvirt backend %s: %s (install libvirt0 and libxml2)",
			    path, g_module_error());
		return NULL;
	}
	if (!g_module_symbol(module, RC_LIBVIRT_MODULE_INIT, &symbol) || !symbol) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "%s is not this romcompat's libvirt backend (rebuild or reinstall "
			    "romcompat)",
			    path);
		g_module_close(module);
		return NULL;
	}
	lv = ((RcLibvirtModuleInit *)symbol)(&host_services, error);
	if (!lv || lv->abi != RC_LIBVIRT_MODULE_ABI) {
		if (!lv)
			g_prefix_error(error, "cannot use the libvirt backend %s: ", path);
		else
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
				    "cannot use the libvirt backend %s: it offers interface %u, "
				    "this romcompat needs %u (reinstall matching romcompat and "
				    "romcompat-libvirt)",
				    path, lv->abi, (guint)RC_LIBVIRT_MODULE_ABI);
		g_module_close(module);
		return NULL;
	}
	g_module_make_resident(module);
	rc_trace("libvirt backend loaded from %s", path);
	return lv;
}

static const RcLibvirtModule *open_module(GError **error)
{
	g_autoptr(GPtrArray) dirs = module_dirs();
	g_autoptr(GString) tried = g_string_new(NULL);

	for (guint i = 0; i < dirs->len; i++) {
		const char *dir = g_ptr_array_index(dirs, i);
		g_autofree char *path = g_build_filename(dir, MODULE_FILE, NULL);

		if (g_file_test(path, G_FILE_TEST_EXISTS))
			return load_module(path, error);
		g_string_append_printf(tried, "%s%s", tried->len ? ", " : "", dir);
	}
	g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
		    "the libvirt backend is not installed: no " MODULE_FILE " in %s (install the "
		    "package romcompat-libvirt or build it with make, or use --backend direct)",
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
		backend->chain = rc_migration_run_chain;
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

/**
 * rc_backend_restore_image() - a libvirt save image restored from a copy
 * through the libvirt backend
 * @backend:	an open libvirt backend
 * @request:	the image, its XML and each NIC's new ROM
 * @error:	set when the restore could not be tried
 *
 * Return: the outcome (RC_KIND_OK: restored), or NULL with @error set
 */
RcMigrationOutcome *rc_backend_restore_image(const RcBackend *backend,
					     const RcImageRestore *request, GError **error)
{
	if (!backend->libvirt) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE, "restoring needs --backend libvirt");
		return NULL;
	}
	return backend->module->restore_image(backend->libvirt, request, error);
}
