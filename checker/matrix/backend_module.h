/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend_module.h - the contract between romcompat and its libvirt module
 * (romcompat-libvirt.so): what the module offers the program, versioned.
 * The program's backend selection includes this header, never the
 * module's own, so nothing below the module depends on it.
 */
#ifndef RC_BACKEND_MODULE_H
#define RC_BACKEND_MODULE_H

#include <glib.h>

#include "qemu/migration_case.h"

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

#endif /* RC_BACKEND_MODULE_H */
