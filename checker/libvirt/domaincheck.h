/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * domaincheck.h - "will my VM survive this update?": a real VM's NICs
 * checked against a new ROM directory by saving a scratch copy of the VM
 * and restoring it with the new ROMs through libvirt.
 */
#ifndef RC_DOMAINCHECK_H
#define RC_DOMAINCHECK_H

#include <glib.h>

#include "libvirt/backend_libvirt.h"
#include "qemu/catalog.h"
#include "libvirt/domainxml.h"
#include "matrix/matrix.h"

/**
 * RcDomainNicResult - the verdict of one NIC of the VM
 * @nic:	the NIC (borrowed from the RcDomainXml)
 * @old_rom:	the ROM it loads today (a path, or QEMU's file name)
 * @new_rom:	the ROM it would load from the new directory, or NULL
 * @old_size:	the RAM block QEMU gives @old_rom (read from the running
 *		copy), 0 when unknown
 * @new_size:	the RAM block QEMU gives @new_rom, 0 when unknown
 * @verdict:	pass (restored with the new ROM), fail, error, or not run
 *		(no ROM to check)
 * @kind:	what QEMU said
 * @message:	QEMU's line, or why nothing was checked
 * @pending:	still being checked (while rc_domain_check() runs)
 */
typedef struct {
	const RcDomainNic *nic;
	char *old_rom;
	char *new_rom;
	guint64 old_size;
	guint64 new_size;
	RcVerdict verdict;
	RcKind kind;
	char *message;
	gboolean pending;
} RcDomainNicResult;

GPtrArray *rc_domain_check(RcLibvirt *lv, RcDomainXml *dom, const RcCatalog *catalog,
			   const char *new_rom_dir, GError **error);

#endif /* RC_DOMAINCHECK_H */
