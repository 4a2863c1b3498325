/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend_libvirt.c - one migration case through libvirt, the stack most
 * production VMs run on.
 *
 * Theory of operation: a case becomes a transient domain with the case's
 * NICs (each with <rom file=...> of its side's ROM set, or <rom
 * enabled='no'/>, at the PCI slot the runner chose).  First the
 * destination's XML is started paused under a scratch name and its RAM
 * blocks are read ("info ramblock" through virDomainQemuMonitorCommand),
 * then destroyed; then the source's XML is started paused, its blocks read,
 * and it is saved to a file (virDomainSaveFlags) and restored with the
 * destination's XML (virDomainRestoreFlags: same name and UUID, other ROM
 * paths).  The restore is the migration: QEMU loads the saved stream and
 * refuses a RAM block of another size with the very "Size mismatch" line a
 * live migration gives.  libvirt's error carries QEMU's lines; they are
 * classified like the direct backend's stderr, so both backends name the
 * same block and sizes.  A romsize pin (the romsize mitigation) is set with
 * <qemu:override>, since libvirt has no romsize attribute.
 *
 * Every domain is transient and named "romcompat-PID-N": whatever happens,
 * the case destroys what it created; domains are started with
 * VIR_DOMAIN_START_AUTODESTROY, so libvirt destroys them itself when
 * romcompat's connection closes (romcompat killed); and opening a
 * connection destroys what a dead romcompat process left all the same (a
 * restored domain, which cannot be autodestroy, in the instant before it
 * is destroyed).
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <gmodule.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "libvirt/backend_libvirt.h"
#include "libvirt/savedxml.h"
#include "base/error.h"
#include "base/jsonutil.h"
#include "qemu/qemu_stderr.h"
#include "sources/qemupkg.h"
#include "qemu/ramblock.h"
#include "qemu/rundir.h"
#include "base/trace.h"
#include "libvirt/services.h"

#define DOMAIN_PREFIX "romcompat-"
#define COPY_CHUNK    (64 * 1024)

/* Where a system daemon's QEMU user is set (the default is built in). */
#define QEMU_CONF	  "/etc/libvirt/qemu.conf"
#define QEMU_USER_DEFAULT "libvirt-qemu"

/**
 * struct RcLibvirt - a connection
 * @conn:	libvirt's
 * @uri:	the URI it was opened with
 * @log_dir:	where a session daemon keeps domain logs, or NULL
 * @qemu_user:	a system daemon's QEMU user ("libvirt-qemu"), or NULL when
 *		QEMU runs as the daemon's own user (session) or as root
 * @qemu_uid:	its uid
 * @qemu_groups: its primary and supplementary groups (gid_t)
 */
struct RcLibvirt {
	virConnectPtr conn;
	char *uri;
	char *log_dir;
	char *qemu_user;
	uid_t qemu_uid;
	GArray *qemu_groups;
};

static gint domain_counter;

/* libvirt prints every error on stderr unless told otherwise; romcompat
 * reports them itself, once, where they matter. */
static void quiet_errors(void *data, virErrorPtr err)
{
}

static const char *last_error(void)
{
	virErrorPtr err = virGetLastError();

	return err && err->message ? err->message : "unknown libvirt error";
}

/* Domains of romcompat processes that are gone: destroy them. */
static void destroy_orphans(virConnectPtr conn)
{
	virDomainPtr *domains = NULL;
	int n = virConnectListAllDomains(conn, &domains, VIR_CONNECT_LIST_DOMAINS_TRANSIENT);

	for (int i = 0; i < n; i++) {
		const char *name = virDomainGetName(domains[i]);
		long pid;

		if (name && g_str_has_prefix(name, DOMAIN_PREFIX) &&
		    (pid = strtol(name + strlen(DOMAIN_PREFIX), NULL, 10)) > 0 &&
		    pid != (long)getpid() && kill((pid_t)pid, 0) < 0 && errno == ESRCH) {
			rc_trace("libvirt: destroying %s, left behind by process %ld", name, pid);
			virDomainDestroy(domains[i]);
		}
		virDomainFree(domains[i]);
	}
	free(domains);
}

/*
 * Where a session daemon keeps its domains' QEMU logs: under the cache
 * directory of its user ($XDG_CACHE_HOME/libvirt/qemu/log).  For the
 * user's own qemu:///session that is ours; for a daemon reached by its
 * socket DIR/run/libvirt/libvirt-sock (scripts/libvirt-daemon.sh lays its
 * XDG directories out side by side) it is DIR/cache.  NULL: unknown.
 */
static char *session_log_dir(const char *uri)
{
	static const char sock_tail[] = "/run/libvirt/libvirt-sock";
	const char *socket = strstr(uri, "socket=");

	if (!g_str_has_prefix(uri, "qemu") || !strstr(uri, "/session"))
		return NULL;
	if (!socket)
		return g_build_filename(g_get_user_cache_dir(), "libvirt", "qemu", "log", NULL);
	socket += strlen("socket=");
	if (!g_str_has_suffix(socket, sock_tail))
		return NULL;
	return g_strdup_printf("%.*s/cache/libvirt/qemu/log",
			       (int)(strlen(socket) - strlen(sock_tail)), socket);
}

/* The value of "KEY = "VALUE"" in qemu.conf, or NULL (commented out or absent). */
static char *qemu_conf_value(const char *text, const char *key)
{
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);

	for (guint i = 0; lines[i]; i++) {
		const char *p = lines[i] + strspn(lines[i], " \t");
		const char *q;

		if (!g_str_has_prefix(p, key))
			continue;
		p += strlen(key);
		p += strspn(p, " \t");
		if (*p != '=' || !(p = strchr(p, '"')) || !(q = strchr(p + 1, '"')))
			continue;
		return g_strndup(p + 1, (gsize)(q - p - 1));
	}
	return NULL;
}

/*
 * A qemu.conf user or group: a name, or "+N" for a number.  Looked up once,
 * when the connection opens, before any worker thread exists: the
 * non-reentrant lookups are safe here.
 */
static struct passwd *conf_user(const char *name)
{
	// cppcheck-suppress [getpwuidCalled, getpwnamCalled]
	return name[0] == '+' ? getpwuid((uid_t)strtoul(name + 1, NULL, 10)) : getpwnam(name);
}

/* The same for a group (see conf_user()). */
static struct group *conf_group(const char *name)
{
	// cppcheck-suppress [getgrgidCalled, getgrnamCalled]
	return name[0] == '+' ? getgrgid((gid_t)strtoul(name + 1, NULL, 10)) : getgrnam(name);
}

/*
 * A system daemon runs QEMU as the user of its qemu.conf (libvirt-qemu by
 * default, with that user's groups), and QEMU opens the ROM files itself:
 * find that user, so that a ROM it cannot read is named before QEMU says
 * only "failed to find romfile".  qemu.conf is root's alone: an ordinary
 * user gets the default.
 */
static void find_qemu_user(RcLibvirt *lv)
{
	g_autofree char *conf = NULL;
	g_autofree char *user = NULL;
	g_autofree char *group = NULL;
	struct passwd *pw;
	struct group *gr;
	gid_t gid;
	int n = 64;

	if (!strstr(lv->uri, "/system"))
		return;
	if (g_file_get_contents(QEMU_CONF, &conf, NULL, NULL)) {
		user = qemu_conf_value(conf, "user");
		group = qemu_conf_value(conf, "group");
	}
	if (!(pw = conf_user(user ? user : QEMU_USER_DEFAULT)) || pw->pw_uid == 0)
		return;
	gid = pw->pw_gid;
	if (group && (gr = conf_group(group)))
		gid = gr->gr_gid;
	lv->qemu_user = g_strdup(pw->pw_name);
	lv->qemu_uid = pw->pw_uid;
	lv->qemu_groups = g_array_sized_new(FALSE, TRUE, sizeof(gid_t), (guint)n);
	g_array_set_size(lv->qemu_groups, (guint)n);
	if (getgrouplist(pw->pw_name, gid, (gid_t *)lv->qemu_groups->data, &n) < 0)
		n = 0;
	g_array_set_size(lv->qemu_groups, (guint)n);
	g_array_append_val(lv->qemu_groups, gid);
	rc_trace("libvirt: %s runs QEMU as %s (uid %u)", lv->uri, lv->qemu_user,
		 (unsigned)lv->qemu_uid);
}

/* May the QEMU user do @bit (4 read, 1 search) on this file?  ACLs aside. */
static gboolean qemu_user_may(const RcLibvirt *lv, const struct stat *st, mode_t bit)
{
	if (st->st_uid == lv->qemu_uid)
		return (st->st_mode & (bit << 6)) != 0;
	for (guint i = 0; i < lv->qemu_groups->len; i++)
		if (g_array_index(lv->qemu_groups, gid_t, i) == st->st_gid)
			return (st->st_mode & (bit << 3)) != 0;
	return (st->st_mode & bit) != 0;
}

/**
 * rc_libvirt_check_rom() - can the daemon's QEMU read this ROM file?
 * @lv:		the connection
 * @rom:	the ROM's path, "" or NULL (nothing to read)
 * @error:	set (RC_ERROR_INPUT) naming the directory or file the QEMU
 *		user may not enter or read, and what to do
 *
 * Only a system daemon (qemu:///system) runs QEMU as another user; for
 * others this is always TRUE.
 *
 * Return: TRUE when QEMU will be able to open @rom
 */
gboolean rc_libvirt_check_rom(const RcLibvirt *lv, const char *rom, GError **error)
{
	g_autofree char *real = NULL;
	g_auto(GStrv) parts = NULL;
	g_autoptr(GString) at = g_string_new(NULL);
	struct stat st;

	if (!lv->qemu_user || !rom || !*rom || !(real = realpath(rom, NULL)))
		return TRUE; /* a missing file is QEMU's to name */
	parts = g_strsplit(real, "/", -1);
	for (guint i = 0; parts[i]; i++) {
		gboolean last = parts[i + 1] == NULL;

		if (!*parts[i] && i > 0)
			continue;
		g_string_append_printf(at, "%s%s", at->len > 1 ? "/" : "", i ? parts[i] : "/");
		if (stat(at->str, &st) != 0 || qemu_user_may(lv, &st, last ? S_IROTH : S_IXOTH))
			continue;
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s runs QEMU as user %s, which may not %s %s (mode %04o, owner "
			    "%u), so it cannot read the ROM %s; make it readable to that user "
			    "(chmod o+x on each directory, o+r on the file) or copy the ROMs to a "
			    "directory it can read",
			    lv->uri, lv->qemu_user, last ? "read" : "enter", at->str,
			    (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid, rom);
		return FALSE;
	}
	return TRUE;
}

/**
 * rc_libvirt_open() - connect to a libvirt daemon
 * @uri:	the connection URI ("qemu:///session", "qemu+unix:///session?socket=...")
 * @error:	set (RC_ERROR_INFRA) when there is no daemon to talk to
 *
 * Return: the connection, or NULL with @error set
 */
RcLibvirt *rc_libvirt_open(const char *uri, GError **error)
{
	RcLibvirt *lv;
	virConnectPtr conn;

	virSetErrorFunc(NULL, quiet_errors);
	rc_trace("libvirt: connecting to %s", uri);
	conn = virConnectOpen(uri);
	if (!conn) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INFRA,
			"libvirt %s: cannot connect: %s (start a daemon: scripts/libvirt-daemon.sh "
			"start DIR prints a URI to use)",
			uri, last_error());
		return NULL;
	}
	destroy_orphans(conn);
	lv = g_new0(RcLibvirt, 1);
	lv->conn = conn;
	lv->uri = g_strdup(uri);
	lv->log_dir = session_log_dir(uri);
	find_qemu_user(lv);
	return lv;
}

/**
 * rc_libvirt_close() - close a connection
 * @lv:	the connection, or NULL
 */
void rc_libvirt_close(RcLibvirt *lv)
{
	if (!lv)
		return;
	virConnectClose(lv->conn);
	g_free(lv->uri);
	g_free(lv->log_dir);
	g_free(lv->qemu_user);
	if (lv->qemu_groups)
		g_array_unref(lv->qemu_groups);
	g_free(lv);
}

/**
 * rc_libvirt_uri() - the URI a connection was opened with
 * @lv:	the connection
 *
 * Return: the URI (owned by @lv)
 */
const char *rc_libvirt_uri(const RcLibvirt *lv)
{
	return lv->uri;
}

/**
 * rc_libvirt_model_name() - libvirt's <model type=...> for a QEMU NIC device
 * @qemu_device: the QEMU device ("virtio-net-pci", "e1000")
 *
 * libvirt names the virtio NICs after the family; every other model has
 * QEMU's own name.
 *
 * Return: a new string
 */
char *rc_libvirt_model_name(const char *qemu_device)
{
	static const struct {
		const char *qemu;
		const char *libvirt;
	} names[] = {
		{"virtio-net-pci", "virtio"},
		{"virtio-net-pci-transitional", "virtio-transitional"},
		{"virtio-net-pci-non-transitional", "virtio-non-transitional"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		if (strcmp(qemu_device, names[i].qemu) == 0)
			return g_strdup(names[i].libvirt);
	return g_strdup(qemu_device);
}

/* g_string_append_printf() with every argument escaped for XML. */
static G_GNUC_PRINTF(2, 3) void append_escaped(GString *xml, const char *format, ...)
{
	va_list args;
	g_autofree char *text = NULL;

	va_start(args, format);
	text = g_markup_vprintf_escaped(format, args);
	va_end(args);
	g_string_append(xml, text);
}

/* A QEMU unpacked from a package (qemupkg.c) needs its -L directories and
 * QEMU_MODULE_DIR; libvirt passes them with <qemu:commandline>. */
static void append_package_runtime(GString *xml, const char *qemu)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) envp = rc_qemu_pkg_runtime(qemu, args);
	const char *moddir = envp ? g_environ_getenv(envp, "QEMU_MODULE_DIR") : NULL;

	if (!envp)
		return;
	g_string_append(xml, "  <qemu:commandline>\n");
	for (guint i = 0; i < args->len; i++)
		append_escaped(xml, "    <qemu:arg value='%s'/>\n",
			       (const char *)g_ptr_array_index(args, i));
	if (moddir)
		append_escaped(xml, "    <qemu:env name='QEMU_MODULE_DIR' value='%s'/>\n", moddir);
	g_string_append(xml, "  </qemu:commandline>\n");
}

/* "qemu-system-x86_64" -> "x86_64": the architecture libvirt wants. */
static char *emulator_arch(const char *qemu)
{
	g_autofree char *base = g_path_get_basename(qemu);

	if (g_str_has_prefix(base, "qemu-system-"))
		return g_strdup(base + strlen("qemu-system-"));
	return g_strdup("x86_64");
}

/**
 * rc_libvirt_domain_xml() - the domain XML of one side of a case
 * @spec:	the case
 * @source:	TRUE for the source side's ROMs, FALSE for the destination's
 * @name:	domain name
 * @uuid:	domain UUID
 *
 * Nothing but the machine type, RAM, and the NICs (user networking, fixed
 * MAC addresses, so that both sides' XML describe the same machine); every
 * string from outside is escaped.
 *
 * Return: a new string
 */
char *rc_libvirt_domain_xml(const RcMigrationSpec *spec, gboolean source, const char *name,
			    const char *uuid)
{
	const char *qemu = source ? spec->src_qemu : spec->dst_qemu;
	g_autofree char *arch = emulator_arch(qemu);
	GString *xml = g_string_new(NULL);
	GString *override = g_string_new(NULL);

	g_string_append_printf(xml,
			       "<domain type='%s' "
			       "xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n",
			       g_strcmp0(spec->accel, "kvm") == 0 ? "kvm" : "qemu");
	append_escaped(xml, "  <name>%s</name>\n  <uuid>%s</uuid>\n", name, uuid);
	g_string_append_printf(xml, "  <memory unit='MiB'>%u</memory>\n", spec->memory_mib);
	append_escaped(xml, "  <os>\n    <type arch='%s' machine='%s'>hvm</type>\n  </os>\n", arch,
		       spec->machine);
	/* ACPI on, as QEMU has it by default (and as the direct backend runs
	 * it); without <acpi/> libvirt 9.0 would pass -no-acpi, which QEMU 9
	 * and later refuse. */
	if (strcmp(arch, "x86_64") == 0 || strcmp(arch, "i686") == 0)
		g_string_append(xml, "  <features>\n    <acpi/>\n  </features>\n");
	append_escaped(xml, "  <devices>\n    <emulator>%s</emulator>\n", qemu);
	for (guint i = 0; i < spec->n_nics; i++) {
		const RcCaseNic *nic = &spec->nics[i];
		const char *rom = source ? nic->src_rom : nic->dst_rom;
		guint64 romsize = source ? nic->src_romsize : nic->dst_romsize;
		g_autofree char *model = rc_libvirt_model_name(nic->model);
		/* No slot asked for: where QEMU itself (the direct backend) puts
		 * it, the first free slot of bus 0.  libvirt would put a
		 * conventional PCI NIC behind a PCIe-to-PCI bridge on q35, which
		 * renames its RAM block; on i440fx it picks slot 2 as QEMU does. */
		int slot = nic->addr >= 0 || !strstr(spec->machine, "q35") ? nic->addr : 1 + (int)i;

		g_string_append_printf(xml,
				       "    <interface type='user'>\n"
				       "      <mac address='52:54:00:7c:%02x:%02x'/>\n",
				       (i >> 8) & 0xff, i & 0xff);
		append_escaped(xml, "      <model type='%s'/>\n", model);
		if (rom && !*rom)
			g_string_append(xml, "      <rom enabled='no'/>\n");
		else if (rom)
			append_escaped(xml, "      <rom file='%s'/>\n", rom);
		g_string_append_printf(xml, "      <alias name='ua-net%u'/>\n", i);
		if (slot >= 0)
			g_string_append_printf(xml,
					       "      <address type='pci' domain='0x0000' "
					       "bus='0x00' slot='0x%02x' function='0x0'/>\n",
					       (guint)slot);
		g_string_append(xml, "    </interface>\n");
		if (romsize)
			g_string_append_printf(
				override,
				"    <qemu:device alias='ua-net%u'>\n"
				"      <qemu:frontend>\n"
				"        <qemu:property name='romsize' type='unsigned' "
				"value='%" G_GUINT64_FORMAT "'/>\n"
				"      </qemu:frontend>\n"
				"    </qemu:device>\n",
				i, romsize);
	}
	g_string_append(xml, "    <controller type='usb' model='none'/>\n"
			     "    <memballoon model='none'/>\n"
			     "  </devices>\n");
	if (override->len)
		g_string_append_printf(xml, "  <qemu:override>\n%s  </qemu:override>\n",
				       override->str);
	append_package_runtime(xml, qemu);
	g_string_append(xml, "</domain>\n");
	g_string_free(override, TRUE);
	return g_string_free(xml, FALSE);
}

/* QEMU's lines out of a libvirt error ("internal error: qemu unexpectedly
 * closed the monitor: 2026-...Z qemu-system-x86_64: Size mismatch: ..."). */
static char *qemu_lines(const char *message)
{
	g_auto(GStrv) lines = g_strsplit(message ? message : "", "\n", -1);
	GString *out = g_string_new(NULL);

	for (guint i = 0; lines[i]; i++) {
		const char *q = strstr(lines[i], "qemu-system-");

		g_string_append(out, q ? q : lines[i]);
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

/*
 * The log libvirt keeps of a domain's QEMU: what QEMU printed since the
 * domain's last start, or NULL.  libvirt's error usually quotes QEMU's last
 * lines, but not always (when the monitor closes before the log is read);
 * the log always has them.
 */
static char *domain_log(const RcLibvirt *lv, const char *name)
{
	g_autofree char *file = NULL;
	g_autofree char *text = NULL;
	const char *start;
	const char *p;

	if (!lv->log_dir || !name)
		return NULL;
	file = g_strdup_printf("%s/%s.log", lv->log_dir, name);
	if (!g_file_get_contents(file, &text, NULL, NULL))
		return NULL;
	/* libvirt writes "... starting up libvirt version ..." at each start. */
	for (start = text; (p = strstr(start, "starting up")); start = p + 1)
		;
	return g_strdup(start);
}

/* A libvirt call failed: the verdict from QEMU's lines in its error, or
 * in the domain's log.  FALSE when QEMU said nothing known (the kind is
 * then @fallback). */
static gboolean classify(const RcLibvirt *lv, const char *name, RcMigrationOutcome *out,
			 const char *what, RcKind fallback)
{
	g_autofree char *text = qemu_lines(last_error());
	g_autoptr(RcQemuMessage) msg = rc_qemu_stderr_classify(text);

	rc_trace("libvirt: %s failed: %s", what, last_error());
	if (msg->kind == RC_KIND_NONE || msg->kind == RC_KIND_OTHER) {
		g_autofree char *log = domain_log(lv, name);
		g_autofree char *log_lines = log ? qemu_lines(log) : NULL;
		g_autoptr(RcQemuMessage) from_log = log ? rc_qemu_stderr_classify(log_lines) : NULL;

		if (from_log && from_log->kind != RC_KIND_NONE && from_log->kind != RC_KIND_OTHER) {
			rc_trace("libvirt: %s: the domain's log says: %s", name, from_log->line);
			rc_qemu_message_free(g_steal_pointer(&msg));
			msg = g_steal_pointer(&from_log);
		}
	}
	out->kind = msg->kind == RC_KIND_NONE || msg->kind == RC_KIND_OTHER ? fallback : msg->kind;
	out->block = g_steal_pointer(&msg->block);
	out->source_size = msg->source_size;
	out->destination_size = msg->destination_size;
	if (msg->line && msg->kind != RC_KIND_NONE && msg->kind != RC_KIND_OTHER) {
		out->message = g_steal_pointer(&msg->line);
		return TRUE;
	}
	out->message = g_strdup_printf("libvirt %s: %s", what, last_error());
	return FALSE;
}

/*
 * A restore that failed without QEMU's reason anywhere (no line in the
 * error, no log to read): when the RAM block lists read from both sides
 * show a ROM block of another size, that is what QEMU stopped at (it reads
 * the blocks in the source's order); say so, and where it comes from.
 */
static void explain_from_blocks(RcMigrationOutcome *out)
{
	const RcRamBlockDiff *first = NULL;

	if (out->kind != RC_KIND_OTHER || !out->diffs)
		return;
	for (guint i = 0; i < out->diffs->len && !first; i++) {
		const RcRamBlockDiff *d = g_ptr_array_index(out->diffs, i);

		if (g_str_has_suffix(d->name, ".rom") && d->source_size && d->destination_size)
			first = d;
	}
	if (!first)
		return;
	out->kind = RC_KIND_ROM_SIZE_MISMATCH;
	g_free(out->block);
	out->block = g_strdup(first->name);
	out->source_size = first->source_size;
	out->destination_size = first->destination_size;
	g_free(out->message);
	out->message = g_strdup_printf("Size mismatch: %s: 0x%" G_GINT64_MODIFIER
				       "x != 0x%" G_GINT64_MODIFIER
				       "x (from both sides' RAM blocks; the restore failed and "
				       "libvirt did not quote QEMU)",
				       first->name, first->source_size, first->destination_size);
}

/* The RAM blocks of a running domain, or NULL (traced). */
static GPtrArray *ram_blocks(virDomainPtr dom)
{
	char *text = NULL;
	GPtrArray *blocks;
	g_autoptr(GError) local = NULL;

	if (virDomainQemuMonitorCommand(dom, "info ramblock", &text,
					VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) < 0) {
		rc_trace("libvirt: info ramblock: %s", last_error());
		return NULL;
	}
	blocks = rc_ramblock_parse(text, &local);
	free(text);
	if (!blocks)
		rc_trace("libvirt: info ramblock: %s", local->message);
	return blocks;
}

static void destroy(virDomainPtr *dom)
{
	if (!*dom)
		return;
	virDomainDestroy(*dom);
	virDomainFree(*dom);
	*dom = NULL;
}

/* QEMU's version ("7.2.22") by QMP query-version, or NULL. */
static char *qemu_version(virDomainPtr dom)
{
	char *reply = NULL;
	g_autoptr(json_object) root = NULL;
	json_object *ret, *qemu, *v;
	int part[3] = {0};
	static const char *const names[] = {"major", "minor", "micro"};

	if (virDomainQemuMonitorCommand(dom, "{\"execute\": \"query-version\"}", &reply, 0) < 0)
		return NULL;
	root = json_tokener_parse(reply);
	free(reply);
	if (!root || !json_object_object_get_ex(root, "return", &ret) ||
	    !json_object_object_get_ex(ret, "qemu", &qemu))
		return NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		if (json_object_object_get_ex(qemu, names[i], &v))
			part[i] = json_object_get_int(v);
	return g_strdup_printf("%d.%d.%d", part[0], part[1], part[2]);
}

/* Start @xml paused and read its RAM blocks and version; NULL on failure. */
static virDomainPtr start_paused(RcLibvirt *lv, const char *xml, GPtrArray **blocks, char **version)
{
	virDomainPtr dom = virDomainCreateXML(
		lv->conn, xml, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY);

	if (dom) {
		*blocks = ram_blocks(dom);
		*version = qemu_version(dom);
	}
	return dom;
}

/* The ROM each NIC was given on one side, for the report. */
static GStrv configured_roms(const RcMigrationSpec *spec, gboolean source)
{
	GStrv roms = g_new0(char *, spec->n_nics + 1);

	for (guint i = 0; i < spec->n_nics; i++) {
		const char *rom = source ? spec->nics[i].src_rom : spec->nics[i].dst_rom;

		roms[i] = g_strdup(!rom ? "(QEMU's default)" : *rom ? rom : "(none)");
	}
	return roms;
}

/**
 * rc_libvirt_probe() - the RAM blocks a domain XML gives, from a scratch
 * domain started paused and destroyed at once
 * @lv:		the connection
 * @xml:	the XML (its name and UUID must not be in use)
 * @out:	gets dst_blocks and dst_version, or the verdict when the
 *		domain cannot start (QEMU's words)
 *
 * Return: TRUE when it started
 */
gboolean rc_libvirt_probe(RcLibvirt *lv, const char *xml, RcMigrationOutcome *out)
{
	virDomainPtr dom = start_paused(lv, xml, &out->dst_blocks, &out->dst_version);

	if (!dom) {
		classify(lv, NULL, out, "starting the destination", RC_KIND_QEMU_START_FAILED);
		return FALSE;
	}
	destroy(&dom);
	g_free(out->dst_end);
	out->dst_end = g_strdup("destroyed after reading its RAM blocks");
	return TRUE;
}

/**
 * RcLibvirtSaved - a source domain saved to a file, ready to be restored
 * @run:	the private directory of the file
 * @path:	the saved state
 * @name:	the domain's name
 * @xml:	the domain's live XML before it was saved (addresses filled in)
 */
struct RcLibvirtSaved {
	RcRunDir *run;
	char *path;
	char *name;
	char *xml;
};

/**
 * rc_libvirt_saved_free() - remove a saved state and free it
 * @saved:	the state, or NULL
 */
void rc_libvirt_saved_free(RcLibvirtSaved *saved)
{
	if (!saved)
		return;
	if (saved->path)
		g_unlink(saved->path);
	rc_rundir_free(saved->run);
	g_free(saved->path);
	g_free(saved->name);
	g_free(saved->xml);
	g_free(saved);
}

/**
 * rc_libvirt_save() - start the source paused, read its RAM blocks, save it
 * @lv:		the connection
 * @xml:	the source's XML
 * @name:	its domain name (as in @xml)
 * @out:	gets src_blocks and src_version, or the verdict when the
 *		source cannot start or be saved
 * @error:	set when there is no run directory for the file, or the daemon
 *		could not write it (RC_ERROR_INFRA, with libvirt's cause)
 *
 * Return: the saved state, or NULL (@out says why, or @error is set)
 */
RcLibvirtSaved *rc_libvirt_save(RcLibvirt *lv, const char *xml, const char *name,
				RcMigrationOutcome *out, GError **error)
{
	g_autoptr(RcRunDir) run = NULL;
	g_autofree char *path = NULL;
	g_autofree char *live_xml = NULL;
	RcLibvirtSaved *saved;
	virDomainPtr dom;
	char *live;

	if (!(run = rc_rundir_new(error)))
		return NULL;
	if (!(dom = start_paused(lv, xml, &out->src_blocks, &out->src_version))) {
		classify(lv, name, out, "starting the source", RC_KIND_QEMU_START_FAILED);
		return NULL;
	}
	rc_trace("libvirt: %s: source started paused, RAM blocks read", name);
	if ((live = virDomainGetXMLDesc(dom, 0))) {
		live_xml = g_strdup(live);
		free(live);
	}
	path = rc_rundir_file(run, "domain.save");
	if (virDomainSaveFlags(dom, path, NULL, VIR_DOMAIN_SAVE_PAUSED) < 0) {
		/* Not QEMU refusing the state: the host (a file the daemon cannot
		 * write, a full disk) is no verdict on the ROMs. */
		if (!classify(lv, name, out, "saving the source", RC_KIND_OTHER))
			g_set_error(
				error, RC_ERROR, RC_ERROR_INFRA,
				"libvirt %s could not save a domain to romcompat's run "
				"directory: %s; the daemon writes the file as its own user: run "
				"romcompat as that user, or point TMPDIR at a directory the "
				"daemon can write",
				lv->uri, last_error());
		destroy(&dom);
		g_unlink(path);
		return NULL;
	}
	virDomainFree(dom); /* a saved transient domain is gone */
	g_free(out->src_end);
	out->src_end = g_strdup("saved by libvirt");
	rc_trace("libvirt: %s: saved to %s", name, path);
	saved = g_new0(RcLibvirtSaved, 1);
	saved->run = g_steal_pointer(&run);
	saved->path = g_steal_pointer(&path);
	saved->name = g_strdup(name);
	saved->xml = g_steal_pointer(&live_xml);
	return saved;
}

/**
 * rc_libvirt_restore() - restore a saved source with the destination's XML
 * @lv:		the connection
 * @saved:	the saved source (it stays, for another try)
 * @xml:	the destination's XML: same name and UUID, other ROMs
 * @out:	gets the verdict: RC_KIND_OK, or QEMU's reason
 *
 * The restored domain is destroyed at once.
 *
 * Return: TRUE when it restored
 */
gboolean rc_libvirt_restore(RcLibvirt *lv, const RcLibvirtSaved *saved, const char *xml,
			    RcMigrationOutcome *out)
{
	virDomainPtr dom;

	g_clear_pointer(&out->block, g_free);
	g_clear_pointer(&out->message, g_free);
	out->source_size = out->destination_size = 0;
	if (virDomainRestoreFlags(lv->conn, saved->path, xml, VIR_DOMAIN_SAVE_PAUSED) < 0) {
		classify(lv, saved->name, out, "restoring with the destination's ROMs",
			 RC_KIND_OTHER);
		explain_from_blocks(out);
		g_free(out->dst_end);
		out->dst_end = g_strdup("restore failed");
		return FALSE;
	}
	out->kind = RC_KIND_OK;
	dom = virDomainLookupByName(lv->conn, saved->name);
	destroy(&dom);
	g_free(out->dst_end);
	out->dst_end = g_strdup("restored, then destroyed");
	return TRUE;
}

/**
 * rc_libvirt_domain_name() - a new name and UUID for a scratch domain
 * @uuid:	set to a new random UUID (free it)
 *
 * Return: "romcompat-PID-N", unique in this process
 */
char *rc_libvirt_domain_name(char **uuid)
{
	guint id = (guint)g_atomic_int_add(&domain_counter, 1);

	*uuid = g_uuid_string_random();
	return g_strdup_printf(DOMAIN_PREFIX "%ld-%u", (long)getpid(), id);
}

static gboolean run_case(RcLibvirt *lv, const RcMigrationSpec *spec, RcMigrationOutcome *out,
			 GError **error)
{
	g_autofree char *uuid = NULL;
	g_autofree char *probe_uuid = NULL;
	g_autofree char *name = rc_libvirt_domain_name(&uuid);
	g_autofree char *probe_name = rc_libvirt_domain_name(&probe_uuid);
	g_autofree char *src_xml = rc_libvirt_domain_xml(spec, TRUE, name, uuid);
	g_autofree char *dst_xml = rc_libvirt_domain_xml(spec, FALSE, name, uuid);
	g_autofree char *probe_xml = rc_libvirt_domain_xml(spec, FALSE, probe_name, probe_uuid);
	RcLibvirtSaved *saved;
	g_autoptr(GError) local = NULL;

	for (guint i = 0; i < spec->n_nics; i++)
		if (!rc_libvirt_check_rom(lv, spec->nics[i].src_rom, error) ||
		    !rc_libvirt_check_rom(lv, spec->nics[i].dst_rom, error))
			return FALSE;
	out->src_romfiles = configured_roms(spec, TRUE);
	out->dst_romfiles = configured_roms(spec, FALSE);
	rc_trace("libvirt: %s source XML:\n%s", name, src_xml);
	rc_trace("libvirt: %s destination XML:\n%s", name, dst_xml);

	/* The destination's blocks, from a scratch domain of its XML. */
	if (!rc_libvirt_probe(lv, probe_xml, out))
		return TRUE;
	if (!(saved = rc_libvirt_save(lv, src_xml, name, out, &local))) {
		if (!local)
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	if (out->src_blocks && out->dst_blocks)
		out->diffs = rc_ramblock_compare(out->src_blocks, out->dst_blocks);
	rc_libvirt_restore(lv, saved, dst_xml, out);
	rc_libvirt_saved_free(saved);
	return TRUE;
}

/**
 * rc_libvirt_migrate() - one migration case as a libvirt save and restore
 * @spec:	what to run (RcMigrateFunc for the runner)
 * @lv:		the RcLibvirt connection
 * @error:	set when the case could not be run at all (no run directory,
 *		interrupted by a signal)
 *
 * Return: the outcome, or NULL with @error set
 */
RcMigrationOutcome *rc_libvirt_migrate(const RcMigrationSpec *spec, gpointer lv, GError **error)
{
	RcMigrationOutcome *out = g_new0(RcMigrationOutcome, 1);
	gint64 start = g_get_monotonic_time();

	out->kind = RC_KIND_NONE;
	if (!run_case(lv, spec, out, error)) {
		rc_migration_outcome_free(out);
		return NULL;
	}
	if (out->kind == RC_KIND_NONE)
		out->kind = RC_KIND_OTHER;
	out->seconds = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	return out;
}

/* A copy of the user's image at @to (the image is only read). */
static gboolean copy_image(const char *from, const char *to, GError **error)
{
	int in = open(from, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	guint8 buf[COPY_CHUNK];
	gssize n = 0;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	if (in < 0 || out < 0 || n < 0)
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot copy %s to %s: %s", from, to,
			    g_strerror(errno));
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return in >= 0 && out >= 0 && n == 0;
}

/* The domain name in @xml, when no domain of that name or UUID is on the
 * connection (the restore would take its place: the user's own VM). */
static char *free_name(RcLibvirt *lv, const char *xml, GError **error)
{
	g_autoptr(GRegex) re =
		g_regex_new("<name>([^<]+)</name>.*?<uuid>([^<]+)</uuid>", G_REGEX_DOTALL, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *name = NULL;
	g_autofree char *uuid = NULL;
	virDomainPtr by_name;
	virDomainPtr by_uuid;

	if (!g_regex_match(re, xml, 0, &m)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "the save image's domain XML has no name and UUID");
		return NULL;
	}
	name = g_match_info_fetch(m, 1);
	uuid = g_match_info_fetch(m, 2);
	by_name = virDomainLookupByName(lv->conn, name);
	by_uuid = virDomainLookupByUUIDString(lv->conn, uuid);
	if (by_name || by_uuid) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "libvirt %s has a domain named %s or of its UUID: restoring the image "
			    "there would take that domain's place; give --connect a daemon "
			    "without it (scripts/libvirt-daemon.sh starts a private one)",
			    lv->uri, name);
		if (by_name)
			virDomainFree(by_name);
		if (by_uuid)
			virDomainFree(by_uuid);
		return NULL;
	}
	return g_steal_pointer(&name);
}

/* Restore the copy at @path with @xml; @out gets the verdict. */
static void restore_copy(RcLibvirt *lv, const char *path, const char *xml, const char *name,
			 RcMigrationOutcome *out)
{
	virDomainPtr dom;

	rc_trace("libvirt: restoring %s as %s:\n%s", path, name, xml);
	if (virDomainRestoreFlags(lv->conn, path, xml, VIR_DOMAIN_SAVE_PAUSED) < 0) {
		classify(lv, name, out, "restoring the image", RC_KIND_OTHER);
		return;
	}
	out->kind = RC_KIND_OK;
	dom = virDomainLookupByName(lv->conn, name);
	destroy(&dom);
	out->dst_end = g_strdup("restored, then destroyed");
}

/**
 * rc_libvirt_restore_image() - a libvirt save image restored from a copy
 * with the new ROMs, then destroyed
 * @lv:		the connection
 * @request:	the image, its XML and each NIC's new ROM
 * @error:	set when the image could not be copied or its XML made fit,
 *		or a domain of its name or UUID is on the connection
 *		(RC_ERROR_INFRA, or RC_ERROR_INPUT for XML that cannot be read)
 *
 * Return: the outcome (RC_KIND_OK: restored; else QEMU's reason), or NULL
 */
RcMigrationOutcome *rc_libvirt_restore_image(RcLibvirt *lv, const RcImageRestore *request,
					     GError **error)
{
	g_autofree char *name = free_name(lv, request->xml, error);
	g_autoptr(RcRunDir) run = name ? rc_rundir_new(error) : NULL;
	g_autofree char *copy = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *xml = NULL;
	RcMigrationOutcome *out;

	if (!run)
		return NULL;
	copy = rc_rundir_file(run, "restore.save");
	dir = g_path_get_dirname(copy);
	if (!copy_image(request->image, copy, error) ||
	    !(xml = rc_saved_xml_for_restore(request, dir, error))) {
		g_unlink(copy);
		return NULL;
	}
	out = g_new0(RcMigrationOutcome, 1);
	out->kind = RC_KIND_NONE;
	restore_copy(lv, copy, xml, name, out);
	g_unlink(copy);
	return out;
}

/* What the module offers the program. */
static const RcLibvirtModule libvirt_module = {
	.abi = RC_LIBVIRT_MODULE_ABI,
	.open = rc_libvirt_open,
	.close = rc_libvirt_close,
	.uri = rc_libvirt_uri,
	.migrate = rc_libvirt_migrate,
	.check_domain = rc_libvirt_check_domain,
	.restore_image = rc_libvirt_restore_image,
};

/**
 * rc_libvirt_module_init() - the one symbol the program looks up in the
 * module (backend.c): take the program's services, offer the module's
 * @services:	the program's services, kept for the module's calls into it
 * @error:	set (RC_ERROR_INFRA) when the module was built for other
 *		services
 *
 * Return: what the module offers, or NULL with @error set
 */
G_MODULE_EXPORT const RcLibvirtModule *rc_libvirt_module_init(const RcHostServices *services,
							      GError **error)
{
	if (!rc_services_accept(services, error))
		return NULL;
	return &libvirt_module;
}
