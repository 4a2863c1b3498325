/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nictable.h - which x86 NIC models load which ROM file by default, to
 * explain a prediction in terms of the devices users configure.
 */
#ifndef RC_NICTABLE_H
#define RC_NICTABLE_H

#include <glib.h>

/**
 * RcNicMachines - the machine types on which a model loads the file
 * @RC_NIC_EVERY_MACHINE:	every x86 machine type
 * @RC_NIC_NOT_I440FX_1_4:	every machine type but pc-i440fx-1.4 (which loads pxe-*.rom)
 * @RC_NIC_ONLY_I440FX_1_4:	pc-i440fx-1.4 only
 * @RC_NIC_FROM_2_7:		machine types 2.7 and later (vmxnet3 has no ROM before)
 */
typedef enum {
	RC_NIC_EVERY_MACHINE,
	RC_NIC_NOT_I440FX_1_4,
	RC_NIC_ONLY_I440FX_1_4,
	RC_NIC_FROM_2_7,
} RcNicMachines;

/**
 * RcNicUse - one NIC model that loads a ROM file by default
 * @romfile:	the ROM file name
 * @model:	the -device model name
 * @machines:	on which machine types
 */
typedef struct {
	const char *romfile;
	const char *model;
	RcNicMachines machines;
} RcNicUse;

const RcNicUse *rc_nic_table(gsize *n_uses);
GPtrArray *rc_nic_table_lookup(const char *romfile);
gboolean rc_nic_machines_match(RcNicMachines machines, const char *machine_type);
const char *rc_nic_machines_name(RcNicMachines machines);
const char *rc_nic_machines_describe(RcNicMachines machines);
char *rc_nic_models_summary(const GPtrArray *uses, guint max_models);

#endif /* RC_NICTABLE_H */
