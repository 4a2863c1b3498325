/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * services.c - the libvirt module's calls into the program: each program
 * function the module uses is defined here, under its own name and
 * prototype (from the program's headers), and calls through the services
 * table the program handed over at load (RcHostServices,
 * backend_module.h).  The program exports no symbols; the module's code
 * calls these as if it were linked with the program, and the module is
 * built with hidden visibility so they stay its own.
 *
 * The table is checked before it is kept: a module built for other
 * services refuses to run (the program and the module were installed from
 * different builds), with one line naming both versions.
 */
#include <stdarg.h>

#include "libvirt/services.h"
#include "base/error.h"
#include "base/input.h"
#include "base/jsonutil.h"
#include "base/output.h"
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

/*
 * The services version this module was built for; the build of the test
 * module that stands for a mismatched installation sets another.
 */
#ifndef RC_MODULE_SERVICES_VERSION
#define RC_MODULE_SERVICES_VERSION RC_HOST_SERVICES_VERSION
#endif

/* Set once, at load, before the program calls anything else here. */
static const RcHostServices *host;

/**
 * rc_services_accept() - check the program's services and keep them
 * @services:	what the program passed to rc_libvirt_module_init()
 * @error:	set (RC_ERROR_INFRA) when the module was built for another
 *		version or size of the table
 *
 * Only the members that never move (version, size, error_quark) are read
 * before the check.
 *
 * Return: TRUE when the module can call the program through @services
 */
gboolean rc_services_accept(const RcHostServices *services, GError **error)
{
	if (services->version != RC_MODULE_SERVICES_VERSION ||
	    services->size != sizeof(RcHostServices)) {
		g_set_error(error, services->error_quark(), RC_ERROR_INFRA,
			    "the module was built for romcompat services version %u (%zu bytes), "
			    "this romcompat offers version %u (%zu bytes): reinstall matching "
			    "romcompat and romcompat-libvirt",
			    (guint)RC_MODULE_SERVICES_VERSION, sizeof(RcHostServices),
			    services->version, services->size);
		return FALSE;
	}
	host = services;
	return TRUE;
}

/* base/ */

GQuark rc_error_quark(void)
{
	return host->error_quark();
}

int rc_exit_worse(int a, int b)
{
	return host->exit_worse(a, b);
}

char *rc_format_bucket(guint64 bytes)
{
	return host->format_bucket(bytes);
}

gboolean rc_input_read(const char *path, const char *what, gsize max, char **contents,
		       gsize *length, GError **error)
{
	return host->input_read(path, what, max, contents, length, error);
}

gboolean rc_json_print(json_object *obj, FILE *out, GError **error)
{
	return host->json_print(obj, out, error);
}

gboolean rc_output_write(const char *path, const char *what, RcOutputWriteFunc write_fn,
			 gconstpointer data, GError **error)
{
	return host->output_write(path, what, write_fn, data, error);
}

RcTextTable *rc_text_table_new(guint n_columns)
{
	return host->text_table_new(n_columns);
}

void rc_text_table_add(RcTextTable *table, ...)
{
	va_list ap;

	va_start(ap, table);
	host->text_table_add_valist(table, FALSE, ap);
	va_end(ap);
}

void rc_text_table_add_take(RcTextTable *table, ...)
{
	va_list ap;

	va_start(ap, table);
	host->text_table_add_valist(table, TRUE, ap);
	va_end(ap);
}

void rc_text_table_print(const RcTextTable *table, FILE *out, const char *indent)
{
	host->text_table_print(table, out, indent);
}

void rc_text_table_free(RcTextTable *table)
{
	host->text_table_free(table);
}

/* The line is formatted here (only when tracing is on) and printed there. */
void rc_trace(const char *fmt, ...)
{
	g_autofree char *line = NULL;
	va_list ap;

	if (!host->trace_enabled())
		return;
	va_start(ap, fmt);
	line = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	host->trace("%s", line);
}

/* sources/ */

char **rc_qemu_pkg_runtime(const char *binary, GPtrArray *argv)
{
	return host->qemu_pkg_runtime(binary, argv);
}

/* qemu/ */

RcCatalog *rc_catalog_for_qemu(const char *qemu, const char *explicit_catalog, GError **error)
{
	return host->catalog_for_qemu(qemu, explicit_catalog, error);
}

const RcCatalogMachine *rc_catalog_find_machine(const RcCatalog *catalog, const char *name)
{
	return host->catalog_find_machine(catalog, name);
}

const RcCatalogNic *rc_catalog_machine_find_nic(const RcCatalogMachine *machine, const char *model)
{
	return host->catalog_machine_find_nic(machine, model);
}

gboolean rc_catalog_name_is_valid(const char *name)
{
	return host->catalog_name_is_valid(name);
}

void rc_catalog_free(RcCatalog *catalog)
{
	host->catalog_free(catalog);
}

const char *rc_kind_to_string(RcKind kind)
{
	return host->kind_to_string(kind);
}

void rc_migration_outcome_free(RcMigrationOutcome *outcome)
{
	host->migration_outcome_free(outcome);
}

char *rc_qemu_find_binary(const char *name, GError **error)
{
	return host->qemu_find_binary(name, error);
}

const char *rc_qemu_pick_accel(const char *accel, GError **error)
{
	return host->qemu_pick_accel(accel, error);
}

void rc_qemu_install_signal_handlers(void)
{
	host->qemu_install_signal_handlers();
}

RcQemuMessage *rc_qemu_stderr_classify(const char *text)
{
	return host->qemu_stderr_classify(text);
}

void rc_qemu_message_free(RcQemuMessage *msg)
{
	host->qemu_message_free(msg);
}

GPtrArray *rc_ramblock_parse(const char *text, GError **error)
{
	return host->ramblock_parse(text, error);
}

GPtrArray *rc_ramblock_compare(GPtrArray *source, GPtrArray *destination)
{
	return host->ramblock_compare(source, destination);
}

RcRunDir *rc_rundir_new(GError **error)
{
	return host->rundir_new(error);
}

char *rc_rundir_file(const RcRunDir *dir, const char *name)
{
	return host->rundir_file(dir, name);
}

void rc_rundir_free(RcRunDir *dir)
{
	host->rundir_free(dir);
}

/* matrix/ */

const char *rc_verdict_to_string(RcVerdict verdict)
{
	return host->verdict_to_string(verdict);
}

int rc_kind_exit_code(RcKind kind)
{
	return host->kind_exit_code(kind);
}
