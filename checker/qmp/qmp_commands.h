/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qmp_commands.h - typed wrappers for the QMP commands romcompat uses, one
 * small function each: make the arguments, send, check the reply's type,
 * extract C values.  A reply of the wrong shape is RC_QMP_ERROR_PROTOCOL.
 */
#ifndef RC_QMP_COMMANDS_H
#define RC_QMP_COMMANDS_H

#include <glib.h>
#include <json-c/json.h>

#include "base/enumtable.h"

#include "qmp/qmp_client.h"

/**
 * struct RcQmpVersion - query-version
 * @major:	QEMU major version
 * @minor:	minor version
 * @micro:	micro version
 * @package:	distribution package version ("Debian 1:7.2+dfsg-7..."), may be ""
 */
typedef struct {
	int major;
	int minor;
	int micro;
	char *package;
} RcQmpVersion;

void rc_qmp_version_free(RcQmpVersion *version);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcQmpVersion, rc_qmp_version_free)

RcQmpVersion *rc_qmp_query_version(RcQmp *qmp, gint64 deadline, GError **error);

GHashTable *rc_qmp_query_commands(RcQmp *qmp, gint64 deadline, GError **error);
gboolean rc_qmp_has_command(GHashTable *commands, const char *name);

/**
 * RcMigrationStatus - the states of query-migrate and MIGRATION events
 * that romcompat tells apart
 * @RC_MIGRATION_NONE:		no migration started
 * @RC_MIGRATION_SETUP:		setting up
 * @RC_MIGRATION_ACTIVE:	sending RAM and device state
 * @RC_MIGRATION_COMPLETED:	done; the destination has the VM
 * @RC_MIGRATION_FAILED:	failed; the reason is in error-desc and on
 *				the destination's stderr
 * @RC_MIGRATION_CANCELLED:	cancelled
 * @RC_MIGRATION_OTHER:		any other state (cancelling, postcopy-*,
 *				pre-switchover, device, wait-unplug, ...)
 */
typedef enum {
	RC_MIGRATION_NONE,
	RC_MIGRATION_SETUP,
	RC_MIGRATION_ACTIVE,
	RC_MIGRATION_COMPLETED,
	RC_MIGRATION_FAILED,
	RC_MIGRATION_CANCELLED,
	RC_MIGRATION_OTHER,
} RcMigrationStatus;

/* QEMU's name for each state told apart; RC_MIGRATION_OTHER has none. */
RC_ENUM_DECL_FROM_STRING(rc_migration_status, RcMigrationStatus);
RcMigrationStatus rc_qmp_migration_event_status(json_object *event, const char **name);

/**
 * struct RcQmpMigrateInfo - query-migrate
 * @status:	the state
 * @status_name: QEMU's name for it ("none" when QEMU reported no status)
 * @error_desc:	QEMU's reason for a failure, or NULL
 */
typedef struct {
	RcMigrationStatus status;
	char *status_name;
	char *error_desc;
} RcQmpMigrateInfo;

void rc_qmp_migrate_info_free(RcQmpMigrateInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcQmpMigrateInfo, rc_qmp_migrate_info_free)

RcQmpMigrateInfo *rc_qmp_query_migrate(RcQmp *qmp, gint64 deadline, GError **error);
gboolean rc_qmp_migrate(RcQmp *qmp, const char *uri, gint64 deadline, GError **error);
gboolean rc_qmp_migrate_incoming(RcQmp *qmp, const char *uri, gint64 deadline, GError **error);
gboolean rc_qmp_migrate_set_capability(RcQmp *qmp, const char *capability, gboolean state,
				       gint64 deadline, GError **error);

char *rc_qmp_human_monitor_command(RcQmp *qmp, const char *command_line, gint64 deadline,
				   GError **error);

json_object *rc_qmp_qom_get(RcQmp *qmp, const char *path, const char *property, gint64 deadline,
			    GError **error);
char *rc_qmp_qom_get_string(RcQmp *qmp, const char *path, const char *property, gint64 deadline,
			    GError **error);

/**
 * struct RcQmpMachine - one entry of query-machines
 * @name:	machine type ("pc-i440fx-7.2")
 * @alias:	its alias ("pc"), or NULL
 * @is_default:	the machine used without -machine
 * @deprecated:	QEMU marks it deprecated
 * @default_ram_size: guest RAM in bytes when -m is not given, 0 if not said
 */
typedef struct {
	char *name;
	char *alias;
	gboolean is_default;
	gboolean deprecated;
	gint64 default_ram_size;
} RcQmpMachine;

void rc_qmp_machine_free(RcQmpMachine *machine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcQmpMachine, rc_qmp_machine_free)

GPtrArray *rc_qmp_query_machines(RcQmp *qmp, gint64 deadline, GError **error);

gboolean rc_qmp_query_status(RcQmp *qmp, char **status, gboolean *running, gint64 deadline,
			     GError **error);
gboolean rc_qmp_quit(RcQmp *qmp, gint64 deadline, GError **error);
char *rc_qmp_query_target(RcQmp *qmp, gint64 deadline, GError **error);
GStrv rc_qmp_qom_list_types(RcQmp *qmp, const char *implements, gint64 deadline, GError **error);
GStrv rc_qmp_device_list_properties(RcQmp *qmp, const char *type, gint64 deadline, GError **error);
gboolean rc_qmp_cont(RcQmp *qmp, gint64 deadline, GError **error);

#endif /* RC_QMP_COMMANDS_H */
