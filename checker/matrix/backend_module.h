/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend_module.h - the contract between romcompat and its libvirt module
 * (romcompat-libvirt.so), versioned in both directions: what the program
 * offers the module (RcHostServices) and what the module offers the
 * program (RcLibvirtModule).  The program's backend selection includes
 * this header, never the module's own, so nothing below the module
 * depends on it.
 *
 * The program exports no symbols: it looks up one in the module,
 * rc_libvirt_module_init(), and hands it the services table; the module
 * checks the table's version and size, keeps it, and calls the program
 * only through it (libvirt/services.c).
 */
#ifndef RC_BACKEND_MODULE_H
#define RC_BACKEND_MODULE_H

#include <stdarg.h>
#include <stdio.h>

#include <glib.h>
#include <json-c/json.h>

#include "base/output.h"
#include "base/texttable.h"
#include "matrix/matrix.h"
#include "qemu/catalog.h"
#include "qemu/kind.h"
#include "qemu/migration_case.h"
#include "qemu/qemu_stderr.h"
#include "qemu/rundir.h"

#define RC_LIBVIRT_DEFAULT_URI "qemu:///session"

/* The module's ABI: bump when RcLibvirtModule, RcDomainRequest or
 * RcImageRestore changes. */
#define RC_LIBVIRT_MODULE_ABI 4

/*
 * The program's services: bump when a member of RcHostServices after
 * @error_quark is added, removed, moved or changes type.
 */
#define RC_HOST_SERVICES_VERSION 2

typedef struct RcLibvirt RcLibvirt;

/**
 * RcDomainRequest - `migrate --domain-xml`: what to check
 * @domain_xml:	the VM's XML (virsh dumpxml)
 * @new_rom_dir: the directory of the new ROM files
 * @connect:	libvirt URI, or NULL for qemu:///session
 * @accel:	"tcg", "kvm", "auto" or NULL
 * @json:	the JSON report's file ("-": standard output), or NULL
 * @quiet:	print only the verdict line of the table
 * @text:	where the table goes (standard error when the JSON report
 *		goes to standard output)
 */
typedef struct {
	const char *domain_xml;
	const char *new_rom_dir;
	const char *connect;
	const char *accel;
	const char *json;
	gboolean quiet;
	FILE *text;
} RcDomainRequest;

/**
 * RcImageRestore - `saved --backend libvirt`: a libvirt save image to
 * restore, from a copy, with the new ROMs
 * @image:	the user's save image (copied; never written)
 * @xml:	its domain XML (from its header)
 * @nic_roms:	for each <interface> of @xml in order, the new ROM file it
 *		loads, or NULL to leave the interface's <rom> as it is
 * @n_nics:	entries in @nic_roms
 */
typedef struct {
	const char *image;
	const char *xml;
	const char *const *nic_roms;
	guint n_nics;
} RcImageRestore;

/**
 * RcLibvirtModule - what the libvirt module (romcompat-libvirt.so) offers
 * the program, which loads it only for --backend libvirt and --domain-xml:
 * libvirt and libxml2 are never loaded otherwise
 * @abi:	RC_LIBVIRT_MODULE_ABI
 * @open:	rc_libvirt_open()
 * @close:	rc_libvirt_close()
 * @uri:	rc_libvirt_uri()
 * @migrate:	rc_libvirt_migrate()
 * @check_domain: rc_libvirt_check_domain()
 * @restore_image: rc_libvirt_restore_image()
 */
typedef struct {
	guint abi;
	RcLibvirt *(*open)(const char *uri, GError **error);
	void (*close)(RcLibvirt *lv);
	const char *(*uri)(const RcLibvirt *lv);
	RcMigrationOutcome *(*migrate)(const RcMigrationSpec *spec, gpointer lv, GError **error);
	gboolean (*check_domain)(const RcDomainRequest *request, int *exit_status, GError **error);
	RcMigrationOutcome *(*restore_image)(RcLibvirt *lv, const RcImageRestore *request,
					     GError **error);
} RcLibvirtModule;

/**
 * RcHostServices - the program's functions the libvirt module calls, the
 * mirror of RcLibvirtModule; each member is the function of the same name
 * with the rc_ prefix
 * @version:	RC_HOST_SERVICES_VERSION
 * @size:	sizeof(RcHostServices)
 * @error_quark: rc_error_quark(), the domain of the module's errors
 *		(RC_ERROR_INFRA when it refuses the table)
 *
 * @version, @size and @error_quark come first and never move, so a module
 * built against any version can read them and refuse the table in a way
 * the program reports.
 */
typedef struct {
	guint version;
	gsize size;
	GQuark (*error_quark)(void);

	/* base/ */
	int (*exit_worse)(int a, int b);
	char *(*format_bucket)(guint64 bytes);
	gboolean (*input_read)(const char *path, const char *what, gsize max, char **contents,
			       gsize *length, GError **error);
	gboolean (*json_print)(json_object *obj, FILE *out, GError **error);
	gboolean (*output_write)(const char *path, const char *what, RcOutputWriteFunc write_fn,
				 gconstpointer data, GError **error);
	RcTextTable *(*text_table_new)(guint n_columns);
	void (*text_table_add_valist)(RcTextTable *table, gboolean take, va_list cells);
	void (*text_table_print)(const RcTextTable *table, FILE *out, const char *indent);
	void (*text_table_free)(RcTextTable *table);
	gboolean (*trace_enabled)(void);
	void (*trace)(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

	/* sources/ */
	char **(*qemu_pkg_runtime)(const char *binary, GPtrArray *argv);

	/* qemu/ */
	RcCatalog *(*catalog_for_qemu)(const char *qemu, const char *explicit_catalog,
				       GError **error);
	const RcCatalogMachine *(*catalog_find_machine)(const RcCatalog *catalog, const char *name);
	const RcCatalogNic *(*catalog_machine_find_nic)(const RcCatalogMachine *machine,
							const char *model);
	gboolean (*catalog_name_is_valid)(const char *name);
	void (*catalog_free)(RcCatalog *catalog);
	const char *(*kind_to_string)(RcKind kind);
	void (*migration_outcome_free)(RcMigrationOutcome *outcome);
	char *(*qemu_find_binary)(const char *name, GError **error);
	const char *(*qemu_pick_accel)(const char *accel, GError **error);
	void (*qemu_install_signal_handlers)(void);
	RcQemuMessage *(*qemu_stderr_classify)(const char *text);
	void (*qemu_message_free)(RcQemuMessage *msg);
	GPtrArray *(*ramblock_parse)(const char *text, GError **error);
	GPtrArray *(*ramblock_compare)(GPtrArray *source, GPtrArray *destination);
	RcRunDir *(*rundir_new)(GError **error);
	char *(*rundir_file)(const RcRunDir *dir, const char *name);
	void (*rundir_free)(RcRunDir *dir);

	/* matrix/ */
	const char *(*verdict_to_string)(RcVerdict verdict);
	int (*kind_exit_code)(RcKind kind);
} RcHostServices;

/**
 * RcLibvirtModuleInit - the type of rc_libvirt_module_init(), the one
 * symbol the program looks up in the module
 * @services:	the program's services; the module keeps the pointer
 * @error:	set (RC_ERROR_INFRA) when the module
 *		was built for other services
 *
 * Return: what the module offers, or NULL with @error set
 */
typedef const RcLibvirtModule *RcLibvirtModuleInit(const RcHostServices *services, GError **error);

#define RC_LIBVIRT_MODULE_INIT "rc_libvirt_module_init"
RcLibvirtModuleInit rc_libvirt_module_init;

#endif /* RC_BACKEND_MODULE_H */
