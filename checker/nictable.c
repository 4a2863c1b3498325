/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nictable.c - built-in table of the x86 NIC models that load each iPXE
 * ROM file by default, used to explain a prediction ("efi-e1000.rom is
 * e1000, e1000-82544gc, e1000-82545em").
 *
 * Read back with qom-get romfile from Debian 12's qemu-system-x86_64 7.2
 * for every PCI NIC model on pc-i440fx-1.4, 1.5, 2.6, 2.7 and pc-q35-7.2.
 * It explains; it does not decide: a verdict only depends on file sizes,
 * and a migration check asks the QEMU at hand which file a NIC loads.
 * Models without a ROM (tulip; vmxnet3 before 2.7) are not listed, nor
 * are files no model loads by default (efi-eepro100.rom, pxe-e1000e.rom,
 * pxe-vmxnet3.rom).
 */
#include "nictable.h"

#include <string.h>

static const RcNicUse nic_table[] = {
	{"efi-e1000.rom", "e1000", RC_NIC_NOT_I440FX_1_4},
	{"efi-e1000.rom", "e1000-82544gc", RC_NIC_EVERY_MACHINE},
	{"efi-e1000.rom", "e1000-82545em", RC_NIC_EVERY_MACHINE},
	{"efi-e1000e.rom", "e1000e", RC_NIC_EVERY_MACHINE},
	{"efi-ne2k_pci.rom", "ne2k_pci", RC_NIC_NOT_I440FX_1_4},
	{"efi-pcnet.rom", "pcnet", RC_NIC_NOT_I440FX_1_4},
	{"efi-rtl8139.rom", "rtl8139", RC_NIC_NOT_I440FX_1_4},
	{"efi-virtio.rom", "virtio-net-pci", RC_NIC_NOT_I440FX_1_4},
	{"efi-virtio.rom", "virtio-net-pci-transitional", RC_NIC_EVERY_MACHINE},
	{"efi-virtio.rom", "virtio-net-pci-non-transitional", RC_NIC_EVERY_MACHINE},
	{"efi-vmxnet3.rom", "vmxnet3", RC_NIC_FROM_2_7},
	/* The eepro100 family keeps its PXE ROM on every machine type. */
	{"pxe-eepro100.rom", "i82550", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82551", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82557a", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82557b", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82557c", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82558a", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82558b", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82559a", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82559b", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82559c", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82559er", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82562", RC_NIC_EVERY_MACHINE},
	{"pxe-eepro100.rom", "i82801", RC_NIC_EVERY_MACHINE},
	/* pc-i440fx-1.4 (pc_compat_1_4) still loads the PXE ROMs for these. */
	{"pxe-e1000.rom", "e1000", RC_NIC_ONLY_I440FX_1_4},
	{"pxe-ne2k_pci.rom", "ne2k_pci", RC_NIC_ONLY_I440FX_1_4},
	{"pxe-pcnet.rom", "pcnet", RC_NIC_ONLY_I440FX_1_4},
	{"pxe-rtl8139.rom", "rtl8139", RC_NIC_ONLY_I440FX_1_4},
	{"pxe-virtio.rom", "virtio-net-pci", RC_NIC_ONLY_I440FX_1_4},
};

/**
 * rc_nic_table() - the whole table
 * @n_uses:	set to its number of rows
 *
 * Return: the rows (static)
 */
const RcNicUse *rc_nic_table(gsize *n_uses)
{
	*n_uses = G_N_ELEMENTS(nic_table);
	return nic_table;
}

/* "pc-q35-7.2" -> 7002, "pc-i440fx-2.6" -> 2006; 0 without a version. */
static guint machine_version(const char *machine_type)
{
	const char *dash = strrchr(machine_type, '-');
	guint64 major = 0;
	guint64 minor = 0;
	char *end = NULL;

	if (!dash)
		return 0;
	major = g_ascii_strtoull(dash + 1, &end, 10);
	if (end == dash + 1 || *end != '.')
		return 0;
	minor = g_ascii_strtoull(end + 1, &end, 10);
	return (guint)MIN(major * 1000 + minor, G_MAXUINT);
}

/**
 * rc_nic_machines_match() - whether a machine type is in a scope
 * @machines:		the scope
 * @machine_type:	a versioned x86 machine type, such as "pc-q35-7.2"
 *
 * Unversioned names ("pc", "q35") count as the newest version.
 *
 * Return: TRUE when a NIC with this scope loads its file on @machine_type
 */
gboolean rc_nic_machines_match(RcNicMachines machines, const char *machine_type)
{
	gboolean is_1_4 = strcmp(machine_type, "pc-i440fx-1.4") == 0;
	guint version = machine_version(machine_type);

	switch (machines) {
	case RC_NIC_EVERY_MACHINE:
		return TRUE;
	case RC_NIC_NOT_I440FX_1_4:
		return !is_1_4;
	case RC_NIC_ONLY_I440FX_1_4:
		return is_1_4;
	case RC_NIC_FROM_2_7:
		return version == 0 || version >= 2007;
	}
	return FALSE;
}

/**
 * rc_nic_table_lookup() - the NIC models that load a ROM file by default
 * @romfile:	the file name, such as "efi-e1000.rom"
 *
 * Return: a new array of const RcNicUse * in table order (empty when no
 * model loads the file by default); free with g_ptr_array_unref()
 */
GPtrArray *rc_nic_table_lookup(const char *romfile)
{
	GPtrArray *uses = g_ptr_array_new();

	for (gsize i = 0; i < G_N_ELEMENTS(nic_table); i++)
		if (strcmp(nic_table[i].romfile, romfile) == 0)
			g_ptr_array_add(uses, (gpointer)&nic_table[i]);
	return uses;
}

/**
 * rc_nic_machines_name() - machine scope as a stable name, for JSON
 * @machines:	the scope
 *
 * Return: a static string such as "not-pc-i440fx-1.4"
 */
const char *rc_nic_machines_name(RcNicMachines machines)
{
	switch (machines) {
	case RC_NIC_EVERY_MACHINE:
		return "all";
	case RC_NIC_NOT_I440FX_1_4:
		return "not-pc-i440fx-1.4";
	case RC_NIC_ONLY_I440FX_1_4:
		return "pc-i440fx-1.4";
	case RC_NIC_FROM_2_7:
		return "2.7-and-later";
	}
	return "unknown";
}

/**
 * rc_nic_machines_describe() - machine scope in words, or NULL for "every"
 * @machines:	the scope
 *
 * Return: a static string such as "not on pc-i440fx-1.4", NULL for
 * RC_NIC_EVERY_MACHINE (nothing worth saying)
 */
const char *rc_nic_machines_describe(RcNicMachines machines)
{
	switch (machines) {
	case RC_NIC_EVERY_MACHINE:
		return NULL;
	case RC_NIC_NOT_I440FX_1_4:
		return "not on pc-i440fx-1.4";
	case RC_NIC_ONLY_I440FX_1_4:
		return "pc-i440fx-1.4 only";
	case RC_NIC_FROM_2_7:
		return "machine types 2.7 and later";
	}
	return NULL;
}

/**
 * rc_nic_models_summary() - NIC models in one line, for people
 * @uses:	const RcNicUse * from rc_nic_table_lookup()
 * @max_models:	list at most this many models, 0 for all; a longer list
 *		shows the first two, "...", the last one and the count
 *
 * Return: a new string such as "e1000 (not on pc-i440fx-1.4), e1000-82544gc",
 * or "-" when the list is empty
 */
char *rc_nic_models_summary(const GPtrArray *uses, guint max_models)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < uses->len; i++) {
		const RcNicUse *u = g_ptr_array_index(uses, i);
		const char *scope = rc_nic_machines_describe(u->machines);

		if (max_models && uses->len > max_models && i >= 2 && i + 1 < uses->len) {
			if (i == 2)
				g_string_append(s, ", ...");
			continue;
		}
		g_string_append_printf(s, "%s%s", s->len ? ", " : "", u->model);
		if (scope)
			g_string_append_printf(s, " (%s)", scope);
	}
	if (max_models && uses->len > max_models)
		g_string_append_printf(s, " (%u models)", uses->len);
	if (s->len == 0)
		g_string_append(s, "-");
	return g_string_free(s, FALSE);
}
