/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qmp_commands.c - one typed wrapper per QMP command romcompat uses.
 *
 * Each wrapper has the same steps (as libvirt's qemu_monitor_json.c): make
 * the "arguments" object with json-c, send it with rc_qmp_execute(), check
 * that the "return" value has the JSON type the command's schema promises
 * (qmp_call()), and extract C values in a separate parse function.  A value
 * of the wrong type or a missing member is RC_QMP_ERROR_PROTOCOL naming the
 * command; the whole reply is in the trace.
 */
#include "qmp/qmp_commands.h"

#include <string.h>

#include "base/jsonutil.h"

static void bad_reply(RcQmp *qmp, const char *command, const char *what, GError **error)
{
	g_set_error(error, RC_QMP_ERROR, RC_QMP_ERROR_PROTOCOL,
		    "%s: QEMU %s sent a reply of the wrong shape (%s); see --trace", command,
		    rc_qmp_get_label(qmp), what);
}

/**
 * qmp_call() - send a command and check the type of its result
 * @qmp:	session
 * @command:	command name
 * @args:	arguments object or NULL (borrowed)
 * @expected:	JSON type the command returns
 * @deadline:	monotonic time to give up at
 * @error:	the command's error, or RC_QMP_ERROR_PROTOCOL for a wrong type
 *
 * Return: a new reference to the "return" value, or NULL
 */
static json_object *qmp_call(RcQmp *qmp, const char *command, json_object *args, json_type expected,
			     gint64 deadline, GError **error)
{
	g_autoptr(json_object) ret = rc_qmp_execute(qmp, command, args, deadline, error);

	if (!ret)
		return NULL;
	if (!json_object_is_type(ret, expected)) {
		g_autofree char *what = g_strdup_printf(
			"%s where %s was expected", json_type_to_name(json_object_get_type(ret)),
			json_type_to_name(expected));

		bad_reply(qmp, command, what, error);
		return NULL;
	}
	return g_steal_pointer(&ret);
}

/* A command whose result carries nothing: "return": {}. */
static gboolean qmp_call_void(RcQmp *qmp, const char *command, json_object *args, gint64 deadline,
			      GError **error)
{
	g_autoptr(json_object) ret =
		qmp_call(qmp, command, args, json_type_object, deadline, error);

	return ret != NULL;
}

/* The member @key of @obj if it exists with JSON type @type, else NULL. */
static json_object *member(json_object *obj, const char *key, json_type type)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* The string member @key, or NULL when missing or not a string. */
static const char *member_string(json_object *obj, const char *key)
{
	json_object *v = member(obj, key, json_type_string);

	return v ? json_object_get_string(v) : NULL;
}

/* The boolean member @key, FALSE when missing or not a boolean. */
static gboolean member_bool(json_object *obj, const char *key)
{
	json_object *v = member(obj, key, json_type_boolean);

	return v && json_object_get_boolean(v);
}

/**
 * rc_qmp_version_free() - free a query-version result
 * @version:	the result, or NULL
 */
void rc_qmp_version_free(RcQmpVersion *version)
{
	if (!version)
		return;
	g_free(version->package);
	g_free(version);
}

static RcQmpVersion *parse_version(RcQmp *qmp, json_object *ret, GError **error)
{
	json_object *qemu = member(ret, "qemu", json_type_object);
	json_object *major = qemu ? member(qemu, "major", json_type_int) : NULL;
	json_object *minor = qemu ? member(qemu, "minor", json_type_int) : NULL;
	json_object *micro = qemu ? member(qemu, "micro", json_type_int) : NULL;
	const char *package = member_string(ret, "package");
	RcQmpVersion *version;

	if (!major || !minor || !micro) {
		bad_reply(qmp, "query-version", "no qemu.major/minor/micro", error);
		return NULL;
	}
	version = g_new0(RcQmpVersion, 1);
	version->major = json_object_get_int(major);
	version->minor = json_object_get_int(minor);
	version->micro = json_object_get_int(micro);
	version->package = g_strdup(package ? package : "");
	return version;
}

/**
 * rc_qmp_query_version() - QEMU's version
 * @qmp:	session
 * @deadline:	monotonic time to give up at
 * @error:	set on failure
 *
 * Return: the version (free with rc_qmp_version_free()), or NULL
 */
RcQmpVersion *rc_qmp_query_version(RcQmp *qmp, gint64 deadline, GError **error)
{
	g_autoptr(json_object) ret =
		qmp_call(qmp, "query-version", NULL, json_type_object, deadline, error);

	return ret ? parse_version(qmp, ret, error) : NULL;
}

static GHashTable *parse_commands(RcQmp *qmp, json_object *ret, GError **error)
{
	g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	size_t n = json_object_array_length(ret);

	for (size_t i = 0; i < n; i++) {
		const char *name = member_string(json_object_array_get_idx(ret, i), "name");

		if (!name) {
			bad_reply(qmp, "query-commands", "an entry without a name", error);
			return NULL;
		}
		g_hash_table_add(set, g_strdup(name));
	}
	return g_steal_pointer(&set);
}

/**
 * rc_qmp_query_commands() - the commands this QEMU accepts, for feature
 * detection
 * @qmp:	session
 * @deadline:	monotonic time to give up at
 * @error:	set on failure
 *
 * Return: a set of command names (g_hash_table_unref() it; test with
 * rc_qmp_has_command()), or NULL
 */
GHashTable *rc_qmp_query_commands(RcQmp *qmp, gint64 deadline, GError **error)
{
	g_autoptr(json_object) ret =
		qmp_call(qmp, "query-commands", NULL, json_type_array, deadline, error);

	return ret ? parse_commands(qmp, ret, error) : NULL;
}

/**
 * rc_qmp_has_command() - whether a command is in a query-commands set
 * @commands:	set from rc_qmp_query_commands()
 * @name:	command name
 *
 * Return: TRUE when QEMU knows the command
 */
gboolean rc_qmp_has_command(GHashTable *commands, const char *name)
{
	return g_hash_table_contains(commands, name);
}

/* Every state but RC_MIGRATION_OTHER, the last, by the name QEMU gives it. */
RC_ENUM_IMPL_FROM_STRING(
	rc_migration_status, RcMigrationStatus,
	RC_MIGRATION_OTHER, [RC_MIGRATION_NONE] = "none", [RC_MIGRATION_SETUP] = "setup",
	[RC_MIGRATION_ACTIVE] = "active", [RC_MIGRATION_COMPLETED] = "completed",
	[RC_MIGRATION_FAILED] = "failed", [RC_MIGRATION_CANCELLED] = "cancelled")

/*
 * A state from its name in query-migrate or a MIGRATION event: NULL (no
 * migration yet, as query-migrate says before the first) is none, a state
 * not told apart is other.
 */
static RcMigrationStatus classify_status(const char *status)
{
	RcMigrationStatus value;

	if (!status)
		return RC_MIGRATION_NONE;
	if (!rc_migration_status_from_string(status, &value))
		return RC_MIGRATION_OTHER;
	return value;
}

/**
 * rc_qmp_migration_event_status() - the state a MIGRATION event announces
 * @event:	an event from rc_qmp_wait_event() or rc_qmp_pop_event()
 * @name:	set to QEMU's name for the state (owned by @event), or to NULL
 *		when the event carries none; may be NULL when not wanted
 *
 * Return: the state; RC_MIGRATION_OTHER when @event is not a MIGRATION
 * event with a status, so that a caller waiting for a goal state never
 * takes it for one
 */
RcMigrationStatus rc_qmp_migration_event_status(json_object *event, const char **name)
{
	json_object *data = member(event, "data", json_type_object);
	const char *status = data ? member_string(data, "status") : NULL;

	if (name)
		*name = status;
	if (g_strcmp0(member_string(event, "event"), "MIGRATION") != 0 || !status)
		return RC_MIGRATION_OTHER;
	return classify_status(status);
}

/**
 * rc_qmp_migrate_info_free() - free a query-migrate result
 * @info:	the result, or NULL
 */
void rc_qmp_migrate_info_free(RcQmpMigrateInfo *info)
{
	if (!info)
		return;
	g_free(info->status_name);
	g_free(info->error_desc);
	g_free(info);
}

static RcQmpMigrateInfo *parse_migrate_info(json_object *ret)
{
	RcQmpMigrateInfo *info = g_new0(RcQmpMigrateInfo, 1);
	const char *status = member_string(ret, "status");

	/* Before any migration QEMU returns {} without a status. */
	info->status = classify_status(status);
	info->status_name = g_strdup(status ? status : "none");
	info->error_desc = g_strdup(member_string(ret, "error-desc"));
	return info;
}

/**
 * rc_qmp_query_migrate() - the state of the outgoing or incoming migration
 * @qmp:	session
 * @deadline:	monotonic time to give up at
 * @error:	set on failure
 *
 * Return: the state (free with rc_qmp_migrate_info_free()), or NULL
 */
RcQmpMigrateInfo *rc_qmp_query_migrate(RcQmp *qmp, gint64 deadline, GError **error)
{
	g_autoptr(json_object) ret =
		qmp_call(qmp, "query-migrate", NULL, json_type_object, deadline, error);

	return ret ? parse_migrate_info(ret) : NULL;
}

static json_object *make_uri_args(const char *uri)
{
	json_object *args = json_object_new_object();

	json_object_object_add(args, "uri", json_object_new_string(uri));
	return args;
}

/**
 * rc_qmp_migrate() - start migrating to @uri
 * @qmp:	session of the source QEMU
 * @uri:	destination, e.g. "unix:/path/to/socket"
 * @deadline:	monotonic time to give up at
 * @error:	set when QEMU refuses to start the migration
 *
 * The migration runs on after this returns; follow it with MIGRATION events
 * or rc_qmp_query_migrate().
 *
 * Return: TRUE when the migration started
 */
gboolean rc_qmp_migrate(RcQmp *qmp, const char *uri, gint64 deadline, GError **error)
{
	g_autoptr(json_object) args = make_uri_args(uri);

	return qmp_call_void(qmp, "migrate", args, deadline, error);
}

/**
 * rc_qmp_migrate_incoming() - make a QEMU started with -incoming defer listen
 * @qmp:	session of the destination QEMU
 * @uri:	where to listen, e.g. "unix:/path/to/socket"
 * @deadline:	monotonic time to give up at
 * @error:	set when QEMU refuses
 *
 * Return: TRUE when QEMU listens
 */
gboolean rc_qmp_migrate_incoming(RcQmp *qmp, const char *uri, gint64 deadline, GError **error)
{
	g_autoptr(json_object) args = make_uri_args(uri);

	return qmp_call_void(qmp, "migrate-incoming", args, deadline, error);
}

/**
 * rc_qmp_migrate_set_capability() - turn one migration capability on or off
 * @qmp:	session
 * @capability:	capability name, e.g. "events"
 * @state:	TRUE to turn it on
 * @deadline:	monotonic time to give up at
 * @error:	set when QEMU does not know the capability or refuses it
 *
 * Return: TRUE on success
 */
gboolean rc_qmp_migrate_set_capability(RcQmp *qmp, const char *capability, gboolean state,
				       gint64 deadline, GError **error)
{
	g_autoptr(json_object) args = json_object_new_object();
	json_object *list = json_object_new_array();
	json_object *cap = json_object_new_object();

	json_object_object_add(cap, "capability", json_object_new_string(capability));
	json_object_object_add(cap, "state", json_object_new_boolean(state));
	json_object_array_add(list, cap);
	json_object_object_add(args, "capabilities", list);
	return qmp_call_void(qmp, "migrate-set-capabilities", args, deadline, error);
}

/**
 * rc_qmp_human_monitor_command() - run an HMP command, e.g. "info ramblock"
 * @qmp:	session
 * @command_line: the HMP command line
 * @deadline:	monotonic time to give up at
 * @error:	set on failure
 *
 * HMP reports its own errors as text, so the output may be an error
 * message; callers parse what they expect.
 *
 * Return: the command's output (g_free() it), or NULL
 */
char *rc_qmp_human_monitor_command(RcQmp *qmp, const char *command_line, gint64 deadline,
				   GError **error)
{
	g_autoptr(json_object) args = json_object_new_object();
	g_autoptr(json_object) ret = NULL;

	json_object_object_add(args, "command-line", json_object_new_string(command_line));
	ret = qmp_call(qmp, "human-monitor-command", args, json_type_string, deadline, error);
	return ret ? g_strdup(json_object_get_string(ret)) : NULL;
}

/**
 * rc_qmp_qom_get() - read a QOM property
 * @qmp:	session
 * @path:	QOM path, e.g. "/machine/peripheral/nic0"
 * @property:	property name, e.g. "romsize"
 * @deadline:	monotonic time to give up at
 * @error:	set on failure (DEVICE_NOT_FOUND for a missing path)
 *
 * Return: a new reference to the value, of whatever JSON type the property
 * has, or NULL
 */
json_object *rc_qmp_qom_get(RcQmp *qmp, const char *path, const char *property, gint64 deadline,
			    GError **error)
{
	g_autoptr(json_object) args = json_object_new_object();

	json_object_object_add(args, "path", json_object_new_string(path));
	json_object_object_add(args, "property", json_object_new_string(property));
	return rc_qmp_execute(qmp, "qom-get", args, deadline, error);
}

/**
 * rc_qmp_qom_get_string() - read a QOM property of string type
 * @qmp:	session
 * @path:	QOM path
 * @property:	property name, e.g. "romfile"
 * @deadline:	monotonic time to give up at
 * @error:	set on failure, RC_QMP_ERROR_PROTOCOL when not a string
 *
 * Return: the value (g_free() it), or NULL
 */
char *rc_qmp_qom_get_string(RcQmp *qmp, const char *path, const char *property, gint64 deadline,
			    GError **error)
{
	g_autoptr(json_object) ret = rc_qmp_qom_get(qmp, path, property, deadline, error);

	if (!ret)
		return NULL;
	if (!json_object_is_type(ret, json_type_string)) {
		g_autofree char *what =
			g_strdup_printf("property %s of %s is not a string", property, path);

		bad_reply(qmp, "qom-get", what, error);
		return NULL;
	}
	return g_strdup(json_object_get_string(ret));
}

/**
 * rc_qmp_machine_free() - free one query-machines entry
 * @machine:	the entry, or NULL
 */
void rc_qmp_machine_free(RcQmpMachine *machine)
{
	if (!machine)
		return;
	g_free(machine->name);
	g_free(machine->alias);
	g_free(machine);
}

/* json_object_put-style free functions do not match GDestroyNotify. */
static void machine_free_notify(gpointer machine)
{
	rc_qmp_machine_free(machine);
}

static GPtrArray *parse_machines(RcQmp *qmp, json_object *ret, GError **error)
{
	g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func(machine_free_notify);
	size_t n = json_object_array_length(ret);

	for (size_t i = 0; i < n; i++) {
		json_object *entry = json_object_array_get_idx(ret, i);
		const char *name = member_string(entry, "name");
		RcQmpMachine *machine;

		if (!name) {
			bad_reply(qmp, "query-machines", "an entry without a name", error);
			return NULL;
		}
		machine = g_new0(RcQmpMachine, 1);
		machine->name = g_strdup(name);
		machine->alias = g_strdup(member_string(entry, "alias"));
		machine->is_default = member_bool(entry, "is-default");
		machine->deprecated = member_bool(entry, "deprecated");
		if (member(entry, "default-ram-size", json_type_int))
			machine->default_ram_size = json_object_get_int64(
				member(entry, "default-ram-size", json_type_int));
		g_ptr_array_add(machines, machine);
	}
	return g_steal_pointer(&machines);
}

/**
 * rc_qmp_query_machines() - the machine types this QEMU offers
 * @qmp:	session
 * @deadline:	monotonic time to give up at
 * @error:	set on failure
 *
 * Return: an array of RcQmpMachine * in QEMU's order (g_ptr_array_unref()
 * frees the entries too), or NULL
 */
GPtrArray *rc_qmp_query_machines(RcQmp *qmp, gint64 deadline, GError **error)
{
	g_autoptr(json_object) ret =
		qmp_call(qmp, "query-machines", NULL, json_type_array, deadline, error);

	return ret ? parse_machines(qmp, ret, error) : NULL;
}

/**
 * rc_qmp_query_status() - the VM's run state
 * @qmp:	session
 * @status:	set to the state name ("prelaunch", "running", "inmigrate",
 *		"postmigrate", ...; g_free() it), or NULL when not wanted
 * @running:	set to whether the guest runs, or NULL when not wanted
 * @deadline:	monotonic time to give up at
 * @error:	set on failure
 *
 * Return: TRUE on success
 */
gboolean rc_qmp_query_status(RcQmp *qmp, char **status, gboolean *running, gint64 deadline,
			     GError **error)
{
	g_autoptr(json_object) ret =
		qmp_call(qmp, "query-status", NULL, json_type_object, deadline, error);
	const char *name;

	if (!ret)
		return FALSE;
	name = member_string(ret, "status");
	if (!name || !member(ret, "running", json_type_boolean)) {
		bad_reply(qmp, "query-status", "no status or running", error);
		return FALSE;
	}
	if (status)
		*status = g_strdup(name);
	if (running)
		*running = member_bool(ret, "running");
	return TRUE;
}

/**
 * rc_qmp_quit() - ask QEMU to exit
 * @qmp:	session
 * @deadline:	monotonic time to give up at
 * @error:	set on failure
 *
 * QEMU closing the connection before its reply arrives also counts as
 * success: the goal, QEMU going away, is reached.  The caller still reaps
 * the process.
 *
 * Return: TRUE when QEMU accepted the command or is gone
 */
gboolean rc_qmp_quit(RcQmp *qmp, gint64 deadline, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (qmp_call_void(qmp, "quit", NULL, deadline, &local))
		return TRUE;
	if (g_error_matches(local, RC_QMP_ERROR, RC_QMP_ERROR_EOF))
		return TRUE;
	g_propagate_error(error, g_steal_pointer(&local));
	return FALSE;
}

/**
 * rc_qmp_cont() - let a QEMU started with -S run
 * @qmp:	session
 * @deadline:	monotonic time to give up at
 * @error:	set on failure
 *
 * Return: TRUE on success
 */
gboolean rc_qmp_cont(RcQmp *qmp, gint64 deadline, GError **error)
{
	return qmp_call_void(qmp, "cont", NULL, deadline, error);
}

/**
 * rc_qmp_query_target() - the target architecture of this QEMU binary
 * @qmp:	session
 * @deadline:	monotonic time to give up at
 * @error:	set on failure
 *
 * Return: "x86_64", "aarch64", "riscv64", "loongarch64", ...; g_free() it
 */
char *rc_qmp_query_target(RcQmp *qmp, gint64 deadline, GError **error)
{
	g_autoptr(json_object) ret =
		qmp_call(qmp, "query-target", NULL, json_type_object, deadline, error);
	const char *arch;

	if (!ret)
		return NULL;
	arch = member_string(ret, "arch");
	if (!arch) {
		bad_reply(qmp, "query-target", "no arch", error);
		return NULL;
	}
	return g_strdup(arch);
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The "name" members of an array of objects, as a sorted string vector. */
static GStrv names_of(RcQmp *qmp, const char *command, json_object *ret, GError **error)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	size_t n = json_object_array_length(ret);

	for (size_t i = 0; i < n; i++) {
		const char *name = member_string(json_object_array_get_idx(ret, i), "name");

		if (!name) {
			bad_reply(qmp, command, "an entry without a name", error);
			return NULL;
		}
		g_ptr_array_add(names, g_strdup(name));
	}
	g_ptr_array_sort(names, compare_names);
	g_ptr_array_add(names, NULL);
	return (GStrv)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

/**
 * rc_qmp_qom_list_types() - the concrete QOM types that implement a type
 * @qmp:	session
 * @implements:	"pci-device", say
 * @deadline:	monotonic time to give up at
 * @error:	set on failure
 *
 * Return: sorted type names (g_strfreev() them), or NULL
 */
GStrv rc_qmp_qom_list_types(RcQmp *qmp, const char *implements, gint64 deadline, GError **error)
{
	g_autoptr(json_object) args = json_object_new_object();
	g_autoptr(json_object) ret = NULL;

	json_object_object_add(args, "implements", json_object_new_string(implements));
	json_object_object_add(args, "abstract", json_object_new_boolean(FALSE));
	ret = qmp_call(qmp, "qom-list-types", args, json_type_array, deadline, error);
	return ret ? names_of(qmp, "qom-list-types", ret, error) : NULL;
}

/**
 * rc_qmp_device_list_properties() - the properties a device type has
 * @qmp:	session
 * @type:	device type ("e1000")
 * @deadline:	monotonic time to give up at
 * @error:	set on failure
 *
 * Return: sorted property names (g_strfreev() them), or NULL
 */
GStrv rc_qmp_device_list_properties(RcQmp *qmp, const char *type, gint64 deadline, GError **error)
{
	g_autoptr(json_object) args = json_object_new_object();
	g_autoptr(json_object) ret = NULL;

	json_object_object_add(args, "typename", json_object_new_string(type));
	ret = qmp_call(qmp, "device-list-properties", args, json_type_array, deadline, error);
	return ret ? names_of(qmp, "device-list-properties", ret, error) : NULL;
}
