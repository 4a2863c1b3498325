/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * catalog.h - the machine-type catalog of one QEMU binary: its machine
 * types and, per machine type, the default romfile and romsize of every
 * PCI NIC model, the default romfile of every PCI display device, and the
 * firmware RAM blocks the machine type makes (pc.bios, pflash), as read
 * back from a running QEMU.
 *
 * The catalog lives in machine-types/<arch>/<qemu-version>.json (format in
 * docs/catalog.md).  Every name in it ends up inside a QEMU option
 * (-machine NAME, -device MODEL,romfile=FILE), so loading accepts only
 * names made of [A-Za-z0-9._-]: a catalog can never add an option.
 */
#ifndef RC_CATALOG_H
#define RC_CATALOG_H

#include <glib.h>
#include <json-c/json.h>

/* Format written; format 1 (NICs only) is still read. */
#define RC_CATALOG_FORMAT 2
/* Largest catalog file read: 4 MiB, 20 times x86_64's (QEMU 7.2: 170 KiB). */
#define RC_CATALOG_MAX_BYTES (4 * 1024 * 1024)

/**
 * RcCatalogNic - one PCI NIC model's ROM defaults on one machine type
 * @model:	the -device name, e.g. "e1000"
 * @romfile:	default romfile property; "" when the model loads no ROM
 * @romsize:	default romsize property in bytes, or -1 when unset (QEMU
 *		then sizes the block from the file)
 */
typedef struct {
	char *model;
	char *romfile;
	gint64 romsize;
} RcCatalogNic;

/**
 * RcCatalogDisplay - one PCI display device's ROM default on one machine type
 * @model:	the -device name, e.g. "VGA"
 * @romfile:	default romfile property; "" when the device loads no ROM
 */
typedef struct {
	char *model;
	char *romfile;
} RcCatalogDisplay;

/**
 * RcCatalogFirmware - one firmware RAM block a machine type makes
 * @block:	the RAM block's name, as QEMU lists it ("pc.bios",
 *		"system.flash0")
 * @source:	where its contents come from: "bios" (the machine's
 *		firmware property, -bios) or the machine property that takes
 *		the flash image ("pflash0")
 * @file:	the file QEMU loads by default ("bios-256k.bin"); "" when
 *		there is none (pflash: the user gives the image)
 * @size:	the block's size in bytes with @file, or -1 when there is no
 *		default file.  A firmware block takes its file's exact size.
 */
typedef struct {
	char *block;
	char *source;
	char *file;
	gint64 size;
} RcCatalogFirmware;

/**
 * RcCatalogMachine - one machine type
 * @name:	the versioned name, e.g. "pc-i440fx-7.2"
 * @alias:	its alias ("pc"), or NULL
 * @is_default:	QEMU's default machine type
 * @deprecated:	QEMU marks it deprecated
 * @memory_mib:	guest RAM this machine type needs, or 0 for the catalog's
 * @nics:	RcCatalogNic, sorted by model
 * @displays:	RcCatalogDisplay, sorted by model (empty in a format 1
 *		catalog, which did not read them back)
 * @firmware:	RcCatalogFirmware, sorted by block (empty in format 1)
 */
typedef struct {
	char *name;
	char *alias;
	gboolean is_default;
	gboolean deprecated;
	guint memory_mib;
	GPtrArray *nics;
	GPtrArray *displays;
	GPtrArray *firmware;
} RcCatalogMachine;

/**
 * RcCatalog - the machine types of one QEMU binary
 * @arch:	target architecture, e.g. "x86_64"
 * @qemu_binary: the binary it was read from, e.g. "qemu-system-x86_64"
 * @qemu_version: QEMU's version, e.g. "7.2.22"
 * @qemu_package: the distribution package string, or NULL
 * @generated_by: what wrote the file, e.g. "romcompat machines"
 * @memory_mib:	guest RAM for machine types that do not say otherwise
 * @search_path: where the binary finds its files (`-L help`), each
 *		directory absolute or relative to the binary's directory
 *		("../share/qemu"); NULL when the catalog does not say
 * @machines:	RcCatalogMachine, sorted by name (version order)
 * @format:	the file's format: 1 lists NICs only, 2 also display devices
 *		and firmware blocks (rc_catalog_has_devices())
 */
typedef struct {
	char *arch;
	char *qemu_binary;
	char *qemu_version;
	char *qemu_package;
	char *generated_by;
	guint memory_mib;
	GPtrArray *search_path;
	GPtrArray *machines;
	guint format;
} RcCatalog;

RcCatalog *rc_catalog_new(const char *arch, const char *qemu_binary, const char *qemu_version);
void rc_catalog_free(RcCatalog *catalog);
RcCatalogMachine *rc_catalog_add_machine(RcCatalog *catalog, const char *name);
RcCatalogNic *rc_catalog_machine_add_nic(RcCatalogMachine *machine, const char *model,
					 const char *romfile, gint64 romsize);
RcCatalogDisplay *rc_catalog_machine_add_display(RcCatalogMachine *machine, const char *model,
						 const char *romfile);
RcCatalogFirmware *rc_catalog_machine_add_firmware(RcCatalogMachine *machine, const char *block,
						   const char *source, const char *file,
						   gint64 size);
void rc_catalog_sort(RcCatalog *catalog);
void rc_catalog_set_search_path(RcCatalog *catalog, const char *binary, const char *const *dirs);
GStrv rc_catalog_search_dirs(const RcCatalog *catalog, const char *binary, GError **error);

const RcCatalogMachine *rc_catalog_find_machine(const RcCatalog *catalog, const char *name);
const RcCatalogNic *rc_catalog_machine_find_nic(const RcCatalogMachine *machine, const char *model);
const RcCatalogDisplay *rc_catalog_machine_find_display(const RcCatalogMachine *machine,
							const char *model);
const RcCatalogFirmware *rc_catalog_machine_find_firmware(const RcCatalogMachine *machine,
							  const char *block);
gboolean rc_catalog_has_devices(const RcCatalog *catalog);
guint rc_catalog_machine_memory_mib(const RcCatalog *catalog, const RcCatalogMachine *machine);

gboolean rc_catalog_name_is_valid(const char *name);
int rc_catalog_name_compare(const char *a, const char *b);
gboolean rc_catalog_validate(const RcCatalog *catalog, const char *source, GError **error);

RcCatalog *rc_catalog_parse(const char *text, gsize length, const char *source, GError **error);
RcCatalog *rc_catalog_load(const char *path, GError **error);
json_object *rc_catalog_to_json(const RcCatalog *catalog);
char *rc_catalog_to_string(const RcCatalog *catalog);
gboolean rc_catalog_save(const RcCatalog *catalog, const char *path, GError **error);
char *rc_catalog_path(const char *directory, const char *arch, const char *qemu_version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcCatalog, rc_catalog_free)

#endif /* RC_CATALOG_H */
