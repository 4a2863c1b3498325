/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_instance.h - one QEMU as romcompat runs it: started paused from
 * the base argv with QMP on fd 3, greeted, asked, stopped, its end
 * explained.
 */
#ifndef RC_QEMU_INSTANCE_H
#define RC_QEMU_INSTANCE_H

#include <glib.h>

#include "base/child.h"
#include "qemu/qemu_stderr.h"
#include "qemu/rundir.h"
#include "qmp/qmp_client.h"

/*
 * Where NICs go: NIC i on PCI slot RC_QEMU_FIRST_NIC_SLOT + i.  Slots 0
 * and 1 are the board's (host bridge; PIIX3 on i440fx), and the top of the
 * bus is left to it too (q35 keeps 0x1f for its LPC, SATA and SMBus).
 */
#define RC_QEMU_FIRST_NIC_SLOT 2
#define RC_QEMU_LAST_NIC_SLOT  29
/* NICs one QEMU carries at most: slots 2 .. 29. */
#define RC_QEMU_MAX_NICS (RC_QEMU_LAST_NIC_SLOT - RC_QEMU_FIRST_NIC_SLOT + 1)
/* The QOM path of NIC i, given "-device MODEL,id=nicI". */
#define RC_QEMU_NIC_PATH "/machine/peripheral/nic%u"

/**
 * RcQemuConfig - how to start one QEMU
 * @label:	"src", "dst", "probe": for messages, the trace and QMP
 * @binary:	absolute path of the QEMU binary (a packaged one gets its -L
 *		directories and QEMU_MODULE_DIR, rc_qemu_pkg_runtime())
 * @machine:	machine type, or NULL for "none"
 * @accel:	"tcg" or "kvm"
 * @memory_mib:	guest RAM, or 0 for QEMU's default (no -m)
 * @extra:	arguments after the base argv (-device ..., -incoming ...),
 *		NULL-terminated, or NULL
 * @run:	the run directory, where its stderr is kept when it is freed
 * @stderr_name: the file's name in @run ("src.err")
 * @defaults:	keep QEMU's default devices (no -nodefaults): the NIC, VGA,
 *		serial port a machine type creates by itself (romcompat needs)
 */
typedef struct {
	const char *label;
	const char *binary;
	const char *machine;
	const char *accel;
	guint memory_mib;
	const char *const *extra;
	const RcRunDir *run;
	const char *stderr_name;
	gboolean defaults;
} RcQemuConfig;

typedef struct RcQemuInstance RcQemuInstance;

RcQemuInstance *rc_qemu_instance_spawn(const RcQemuConfig *config, GError **error);
gboolean rc_qemu_instance_greet(RcQemuInstance *qemu, gint64 deadline, GError **error);
RcQmp *rc_qemu_instance_qmp(RcQemuInstance *qemu);
const char *rc_qemu_instance_label(const RcQemuInstance *qemu);
const RcChild *rc_qemu_instance_child(const RcQemuInstance *qemu);
RcQemuMessage *rc_qemu_instance_explain(RcQemuInstance *qemu, gint64 deadline, gboolean *lost);
void rc_qemu_instance_stop(RcQemuInstance *qemu, gint64 grace_us);
char *rc_qemu_instance_describe_end(const RcQemuInstance *qemu);
void rc_qemu_instance_free(RcQemuInstance *qemu);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcQemuInstance, rc_qemu_instance_free)

#endif /* RC_QEMU_INSTANCE_H */
