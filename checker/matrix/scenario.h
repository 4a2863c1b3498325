/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scenario.h - a scenario: which ROMs and QEMU binaries are compared, over
 * which part of the matrix, and where the reports go (scenarios/ *.ini,
 * format in docs/scenarios.md), plus command-line overrides of it.
 */
#ifndef RC_SCENARIO_H
#define RC_SCENARIO_H

#include <glib.h>

#include "base/enumtable.h"

/**
 * RcDirection - which way a case migrates
 * @RC_DIRECTION_OLD_TO_NEW: a VM started with the old ROMs moves to a host
 *	with the new ones (the upgrade)
 * @RC_DIRECTION_NEW_TO_OLD: and back (a rollback, or a mixed cluster)
 */
typedef enum {
	RC_DIRECTION_OLD_TO_NEW,
	RC_DIRECTION_NEW_TO_OLD,
} RcDirection;

#define RC_DIRECTION_COUNT 2
/* Bit of a direction in RcScenario.directions. */
#define RC_DIRECTION_BIT(d) (1u << (d))
#define RC_DIRECTIONS_BOTH                                                                         \
	(RC_DIRECTION_BIT(RC_DIRECTION_OLD_TO_NEW) | RC_DIRECTION_BIT(RC_DIRECTION_NEW_TO_OLD))

RC_ENUM_DECL(rc_direction, RcDirection);

/**
 * RcDeviceClass - what kind of device a case checks
 * @RC_DEVICE_CLASS_NIC:	a PCI NIC and its option ROM
 * @RC_DEVICE_CLASS_DISPLAY:	a PCI display device and its VGA BIOS ROM
 * @RC_DEVICE_CLASS_FIRMWARE:	the machine's firmware block (-bios: pc.bios)
 */
typedef enum {
	RC_DEVICE_CLASS_NIC,
	RC_DEVICE_CLASS_DISPLAY,
	RC_DEVICE_CLASS_FIRMWARE,
} RcDeviceClass;

#define RC_DEVICE_CLASS_COUNT 3
/* Bit of a class in RcScenario.device_classes. */
#define RC_DEVICE_CLASS_BIT(c) (1u << (c))

RC_ENUM_DECL(rc_device_class, RcDeviceClass);

/**
 * RcAccel - the accelerator both QEMUs of a pair run with
 * @RC_ACCEL_TCG:	TCG (default: RAM-block sizes do not depend on it, and
 *			it starts faster)
 * @RC_ACCEL_KVM:	KVM on both sides
 * @RC_ACCEL_AUTO:	KVM when /dev/kvm is usable, else TCG
 */
typedef enum {
	RC_ACCEL_TCG,
	RC_ACCEL_KVM,
	RC_ACCEL_AUTO,
} RcAccel;

#define RC_ACCEL_COUNT 3

RC_ENUM_DECL(rc_accel, RcAccel);

/**
 * RcScenarioSide - one side of the comparison
 * @roms:	a ROM file, a directory of ROM files or a .deb; absolute
 *		once loaded (NULL until given)
 * @qemu:	the QEMU binary: a command name looked up in PATH, or a path
 */
typedef struct {
	char *roms;
	char *qemu;
} RcScenarioSide;

/**
 * RcScenario - a loaded scenario, after overrides
 * @path:	the file it came from, or NULL (command line only)
 * @name:	short name for reports; default: the file's base name
 * @description: one paragraph, or NULL
 * @old_side:	what the VMs run with now
 * @new_side:	what they are to run with
 * @catalog:	machine-type catalog file, or NULL to use the one of the old
 *		side's QEMU (machine-types/<arch>/<version>.json)
 * @machines:	machine type globs to include, NULL-terminated; NULL: every
 *		versioned machine type
 * @exclude_machines: machine type globs to leave out, or NULL
 * @nics:	NIC model globs to include; NULL: every NIC with a ROM
 * @exclude_nics: NIC model globs to leave out, or NULL
 * @directions:	RC_DIRECTION_BIT() of each direction to run
 * @device_classes: RC_DEVICE_CLASS_BIT() of each class to check; 0: every
 *		class the two ROM sets hold files of
 * @accel:	the accelerator
 * @timeout_s:	seconds a QEMU pair may take before it is stopped
 * @jobs:	QEMU pairs run at once; 0: one per CPU
 * @junit:	JUnit XML report file, or NULL
 * @json:	JSON report file, or NULL
 */
typedef struct {
	char *path;
	char *name;
	char *description;
	RcScenarioSide old_side;
	RcScenarioSide new_side;
	char *catalog;
	GStrv machines;
	GStrv exclude_machines;
	GStrv nics;
	GStrv exclude_nics;
	guint directions;
	guint device_classes;
	RcAccel accel;
	guint timeout_s;
	guint jobs;
	char *junit;
	char *json;
} RcScenario;

/**
 * RcScenarioOverrides - command-line values that replace scenario keys
 *
 * Every member is the option's text as given, or NULL when the option was
 * not given.  Lists are separated by ',' or ';'.  Paths are taken relative
 * to the current directory.  Errors name the option (--machines, ...).
 */
typedef struct {
	const char *old_roms;	      /* --old */
	const char *new_roms;	      /* --new */
	const char *old_qemu;	      /* --old-qemu */
	const char *new_qemu;	      /* --new-qemu */
	const char *catalog;	      /* --catalog */
	const char *machines;	      /* --machines */
	const char *exclude_machines; /* --exclude-machines */
	const char *nics;	      /* --nics */
	const char *exclude_nics;     /* --exclude-nics */
	const char *directions;	      /* --direction: old-to-new, new-to-old, both */
	const char *accel;	      /* --accel */
	const char *timeout;	      /* --timeout */
	const char *jobs;	      /* --jobs */
	const char *junit;	      /* --junit */
	const char *json;	      /* --json */
} RcScenarioOverrides;

RcScenario *rc_scenario_new(void);
void rc_scenario_free(RcScenario *scenario);
RcScenario *rc_scenario_parse(const char *text, gsize length, const char *path, GError **error);
RcScenario *rc_scenario_load(const char *path, GError **error);
void rc_scenario_overrides_clear(RcScenarioOverrides *ov);
gboolean rc_scenario_apply_overrides(RcScenario *scenario, const RcScenarioOverrides *overrides,
				     GError **error);
gboolean rc_scenario_check_ready(const RcScenario *scenario, GError **error);
gboolean rc_scenario_has_direction(const RcScenario *scenario, RcDirection direction);
char *rc_device_classes_parse(const char *text, const char *separators, guint *classes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcScenario, rc_scenario_free)

#endif /* RC_SCENARIO_H */
