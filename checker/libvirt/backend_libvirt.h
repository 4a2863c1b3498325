/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend_libvirt.h - migration cases through libvirt: each case a
 * transient domain, started paused, saved, and restored with the other
 * side's ROMs (same name and UUID, new XML).
 */
#ifndef RC_BACKEND_LIBVIRT_H
#define RC_BACKEND_LIBVIRT_H

#include <glib.h>

#include "matrix/backend_module.h"
#include "qemu/migration_case.h"

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
gboolean rc_libvirt_restore(RcLibvirt *lv, const RcLibvirtSaved *saved, const char *xml,
			    RcMigrationOutcome *out);
void rc_libvirt_saved_free(RcLibvirtSaved *saved);
RcMigrationOutcome *rc_libvirt_restore_image(RcLibvirt *lv, const RcImageRestore *request,
					     GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcLibvirtSaved, rc_libvirt_saved_free)

#endif /* RC_BACKEND_LIBVIRT_H */
