/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend_libvirt.h - migration cases through libvirt: each case a
 * transient domain, started paused, saved, and restored with the other
 * side's ROMs (same name and UUID, new XML).
 */
#ifndef RC_BACKEND_LIBVIRT_H
#define RC_BACKEND_LIBVIRT_H

#include <glib.h>

#include "migration_case.h"

#define RC_LIBVIRT_DEFAULT_URI "qemu:///session"

/* The module's ABI: bump when RcLibvirtModule or RcDomainRequest changes. */
#define RC_LIBVIRT_MODULE_ABI 1

typedef struct RcLibvirt RcLibvirt;

/**
 * RcDomainRequest - `migrate --domain-xml`: what to check
 * @domain_xml:	the VM's XML (virsh dumpxml)
 * @new_rom_dir: the directory of the new ROM files
 * @connect:	libvirt URI, or NULL for qemu:///session
 * @accel:	"tcg", "kvm", "auto" or NULL
 * @json:	print JSON instead of the table
 */
typedef struct {
	const char *domain_xml;
	const char *new_rom_dir;
	const char *connect;
	const char *accel;
	gboolean json;
} RcDomainRequest;

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
 */
typedef struct {
	guint abi;
	RcLibvirt *(*open)(const char *uri, GError **error);
	void (*close)(RcLibvirt *lv);
	const char *(*uri)(const RcLibvirt *lv);
	RcMigrationOutcome *(*migrate)(const RcMigrationSpec *spec, gpointer lv, GError **error);
	gboolean (*check_domain)(const RcDomainRequest *request, int *exit_status, GError **error);
} RcLibvirtModule;
typedef struct RcLibvirtSaved RcLibvirtSaved;

RcLibvirt *rc_libvirt_open(const char *uri, GError **error);
void rc_libvirt_close(RcLibvirt *lv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcLibvirt, rc_libvirt_close)

const char *rc_libvirt_uri(const RcLibvirt *lv);
char *rc_libvirt_model_name(const char *qemu_device);
char *rc_libvirt_domain_xml(const RcMigrationSpec *spec, gboolean source, const char *name,
			    const char *uuid);
RcMigrationOutcome *rc_libvirt_migrate(const RcMigrationSpec *spec, gpointer lv, GError **error);

gboolean rc_libvirt_check_domain(const RcDomainRequest *request, int *exit_status, GError **error);
char *rc_libvirt_domain_name(char **uuid);
gboolean rc_libvirt_check_rom(const RcLibvirt *lv, const char *rom, GError **error);
gboolean rc_libvirt_probe(RcLibvirt *lv, const char *xml, RcMigrationOutcome *out);
RcLibvirtSaved *rc_libvirt_save(RcLibvirt *lv, const char *xml, const char *name,
				RcMigrationOutcome *out, GError **error);
const char *rc_libvirt_saved_xml(const RcLibvirtSaved *saved);
gboolean rc_libvirt_restore(RcLibvirt *lv, const RcLibvirtSaved *saved, const char *xml,
			    RcMigrationOutcome *out);
void rc_libvirt_saved_free(RcLibvirtSaved *saved);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcLibvirtSaved, rc_libvirt_saved_free)

#endif /* RC_BACKEND_LIBVIRT_H */
