/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * romuse.h - which NIC models, display devices or firmware blocks load a
 * file, on which machine types, as the machine-type catalogs (read back
 * from QEMU) say.
 */
#ifndef RC_ROMUSE_H
#define RC_ROMUSE_H

#include <glib.h>
#include <json-c/json.h>

#include "qemu/catalog.h"

/**
 * RcRomUse - one NIC model that loads a ROM file
 * @model:	the NIC model
 * @loads:	default machine types (rc_machine_is_default()) where it loads the file
 * @has:	default machine types where the model exists at all
 * @on:		the machine types where it loads the file
 * @not_on:	the machine types of @has where it loads another ROM (or none)
 */
typedef struct {
	char *model;
	guint loads;
	guint has;
	GPtrArray *on;
	GPtrArray *not_on;
} RcRomUse;

GPtrArray *rc_shipped_catalogs(const char *arch, gboolean required, GError **error);
RcCatalog *rc_shipped_catalog(const char *arch);
GPtrArray *rc_rom_uses(GPtrArray *catalogs, const char *romfile);
GPtrArray *rc_device_uses(GPtrArray *catalogs, const char *romfile, gboolean firmware);
char *rc_rom_uses_summary(GPtrArray *uses, guint max_models);
json_object *rc_rom_uses_to_json(GPtrArray *uses);

#endif /* RC_ROMUSE_H */
