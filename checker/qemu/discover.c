/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * discover.c - machine-type catalogs read back from a running QEMU, and
 * the catalog that goes with a QEMU binary (shipped, cached or discovered).
 *
 * Theory of operation: QEMU is the oracle.  A first QEMU (-machine none)
 * says what it is (query-version, query-target), which machine types it
 * has (query-machines) and which PCI NIC models: the concrete pci-device
 * types (qom-list-types) that have a "romfile" and a "netdev" property
 * (device-list-properties).  Then, per machine type, one QEMU with every
 * NIC model plugged in (slot 2 + i, -S: nothing runs) is asked each NIC's
 * "romfile" and "romsize" with qom-get: machine-type compat properties
 * change them (pc-i440fx-1.4 loads pxe-*.rom, vmxnet3 has no ROM before
 * the 2.7 machine types), so nothing is assumed.  A machine type that
 * refuses the set is probed without NICs, then NIC by NIC; one that takes
 * no PCI NIC at all (isapc, microvm) gets an empty list.  Machine types
 * are probed on a pool of workers.
 *
 * Display devices: the PCI types QEMU lists under "Display devices" (HMP
 * "device_add help", QEMU's own categories) that have a "romfile"
 * property, each plugged in alone (two VGA-compatible devices do not go
 * together) and asked its romfile.  Firmware blocks: a bare QEMU of the
 * machine type is asked its "firmware" property (the -bios default, e.g.
 * bios-256k.bin): "info roms" says which files were loaded into ROM and
 * where, "info mtree -f" which memory region is there, "info ramblock"
 * that region's block and size.  Each machine type is started once more
 * with a scratch flash image as its "pflash0": a block that appears with
 * the image's size is the flash block, sized from the file.
 */
#include "qemu/discover.h"

#include <string.h>

#include "base/child.h"
#include "base/datadir.h"
#include "sources/debsource.h"
#include "base/error.h"
#include "base/jsonutil.h"
#include "qemu/qemu_binary.h"
#include "qemu/qemu_instance.h"
#include "qemu/qemu_process.h"
#include "qemu/ramblock.h"
#include "sources/qemupkg.h"
#include "qmp/qmp_client.h"
#include "qmp/qmp_commands.h"
#include "qemu/rundir.h"
#include "base/trace.h"

/* One probe QEMU, from start to quit. */
#define PROBE_TIMEOUT_US (20 * G_USEC_PER_SEC)
/* QEMU's romsize when unset: (uint32_t)-1. */
#define ROMSIZE_UNSET 0xffffffffLL
/* The QOM path of display device i under probe. */
#define DISPLAY_PATH "/machine/peripheral/display%u"
/* The scratch flash image: 2 MiB, a size no other block of a bare
 * machine type uses. */
#define FLASH_PROBE_SIZE (2 * 1024 * 1024)

/* A probe QEMU in a run directory of its own. */
typedef struct {
	RcRunDir *run;
	RcQemuInstance *qemu;
} Probe;

static void probe_free(Probe *p)
{
	if (!p)
		return;
	if (p->qemu && rc_qemu_instance_qmp(p->qemu))
		rc_qmp_quit(rc_qemu_instance_qmp(p->qemu), g_get_monotonic_time() + G_USEC_PER_SEC,
			    NULL);
	rc_qemu_instance_free(p->qemu);
	rc_rundir_free(p->run);
	g_free(p);
}

/* The QMP connection of a started probe. */
static RcQmp *probe_qmp(Probe *p)
{
	return rc_qemu_instance_qmp(p->qemu);
}

/**
 * rc_qemu_identity_free() - free an identity
 * @id:	the identity, or NULL
 */
void rc_qemu_identity_free(RcQemuIdentity *id)
{
	if (!id)
		return;
	g_free(id->binary);
	g_free(id->path);
	g_free(id->arch);
	g_free(id->version);
	g_free(id->package);
	g_free(id);
}

/* QEMU's reason for not starting, from its error output. */
static char *refusal(Probe *p, const GError *qmp_error, gint64 deadline)
{
	g_autoptr(RcQemuMessage) msg = rc_qemu_instance_explain(p->qemu, deadline, NULL);

	return g_strdup(msg->line ? msg->line : qmp_error->message);
}

/*
 * Start @path with @machine (NULL: "none") and the -device values in
 * @devices, paused.  A QEMU that refuses the configuration is not an
 * error: NULL is returned with *@why set to QEMU's reason.  @error is for
 * a QEMU that cannot be run at all, or a signal.
 */
static Probe *probe_start_args(const char *path, const char *machine, guint memory_mib,
			       GPtrArray *devices, const char *const *args, char **why,
			       GError **error)
{
	Probe *p; /* plain ownership: clang's analyzer loses g_autoptr of our types */
	g_autoptr(GPtrArray) extra = g_ptr_array_new_null_terminated(8, g_free, TRUE);
	g_autoptr(GError) local = NULL;
	gint64 deadline = g_get_monotonic_time() + PROBE_TIMEOUT_US;
	RcQemuConfig config = {.label = "probe",
			       .binary = path,
			       .machine = machine,
			       .accel = "tcg",
			       .memory_mib = memory_mib,
			       .stderr_name = "probe.err"};

	if (!rc_child_check_interrupted(error))
		return NULL;
	for (guint i = 0; devices && i < devices->len; i++) {
		g_ptr_array_add(extra, g_strdup("-device"));
		g_ptr_array_add(extra, g_strdup(g_ptr_array_index(devices, i)));
	}
	for (guint i = 0; args && args[i]; i++)
		g_ptr_array_add(extra, g_strdup(args[i]));
	config.extra = (const char *const *)extra->pdata;
	p = g_new0(Probe, 1);
	if (!(config.run = p->run = rc_rundir_new(error)))
		goto fail;
	if (!(p->qemu = rc_qemu_instance_spawn(&config, error)))
		goto fail;
	if (rc_qemu_instance_greet(p->qemu, deadline, &local))
		return p;
	if (rc_child_check_interrupted(error))
		*why = refusal(p, local, deadline);
fail:
	probe_free(p);
	return NULL;
}

static Probe *probe_start(const char *path, const char *machine, guint memory_mib,
			  GPtrArray *devices, char **why, GError **error)
{
	return probe_start_args(path, machine, memory_mib, devices, NULL, why, error);
}

static char *version_string(const RcQmpVersion *v)
{
	return g_strdup_printf("%d.%d.%d", v->major, v->minor, v->micro);
}

static RcQemuIdentity *identify(Probe *p, const char *qemu, const char *path, GError **error)
{
	gint64 deadline = g_get_monotonic_time() + PROBE_TIMEOUT_US;
	g_autoptr(RcQmpVersion) v = rc_qmp_query_version(probe_qmp(p), deadline, error);
	g_autofree char *arch = NULL;
	RcQemuPkg *pkg; /* plain ownership, see probe_start() */
	RcQemuIdentity *id;

	if (!v || !(arch = rc_qmp_query_target(probe_qmp(p), deadline, error)))
		return NULL;
	id = g_new0(RcQemuIdentity, 1);
	/* A QEMU from a package is known by its program's name. */
	pkg = rc_debian_is_source(qemu) ? NULL : rc_qemu_pkg_for_binary(path);
	id->binary = pkg || rc_debian_is_source(qemu) ? g_path_get_basename(path) : g_strdup(qemu);
	rc_qemu_pkg_free(pkg);
	id->path = g_strdup(path);
	id->version = version_string(v);
	id->package = v->package && *v->package ? g_strdup(g_strstrip(v->package)) : NULL;
	id->arch = g_steal_pointer(&arch);
	return id;
}

static Probe *start_none(const char *qemu, char **path, GError **error)
{
	g_autofree char *why = NULL;
	Probe *p;

	if (!(*path = rc_qemu_find_binary(qemu, error)))
		return NULL;
	p = probe_start(*path, NULL, 0, NULL, &why, error);
	if (!p && why)
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "QEMU %s does not start: %s (is it a QEMU system emulator?)", qemu,
			    why);
	return p;
}

/**
 * rc_qemu_identify() - ask a QEMU binary what it is
 * @qemu:	command name or path
 * @error:	set when it cannot be run (exit 3)
 *
 * Return: its identity, or NULL
 */
RcQemuIdentity *rc_qemu_identify(const char *qemu, GError **error)
{
	g_autofree char *path = NULL;
	Probe *p = start_none(qemu, &path, error); /* plain ownership, see probe_start() */
	RcQemuIdentity *id;

	if (!p)
		return NULL;
	id = identify(p, qemu, path, error);
	probe_free(p);
	return id;
}

/*
 * The PCI devices QEMU files under "Display devices" in its device list
 * (HMP "device_add help": 'name "VGA", bus PCI' lines in that section).
 */
static GHashTable *display_category(Probe *p, GError **error)
{
	gint64 deadline = g_get_monotonic_time() + PROBE_TIMEOUT_US;
	g_autofree char *help =
		rc_qmp_human_monitor_command(probe_qmp(p), "device_add help", deadline, error);
	g_autoptr(GHashTable) set = NULL;
	g_auto(GStrv) lines = NULL;
	gboolean in_display = FALSE;

	if (!help)
		return NULL;
	set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	lines = g_strsplit(help, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		char *line = g_strstrip(lines[i]);
		const char *end;

		if (g_str_has_suffix(line, "devices:")) {
			in_display = strcmp(line, "Display devices:") == 0;
			continue;
		}
		if (!in_display || !g_str_has_prefix(line, "name \"") ||
		    !(end = strchr(line + 6, '"')) || !g_str_has_prefix(end, "\", bus PCI"))
			continue;
		g_hash_table_add(set, g_strndup(line + 6, (gsize)(end - line - 6)));
	}
	return g_steal_pointer(&set);
}

/* The device models of one probe: PCI NICs and PCI display devices. */
typedef struct {
	GPtrArray *nics;
	GPtrArray *displays;
} RomModels;

/* Sort one type: a NIC (romfile and netdev), a display device (romfile, in
 * QEMU's display category), or neither. */
static void classify_type(RomModels *out, GHashTable *display, const char *type,
			  const char *const *props)
{
	if (!g_strv_contains(props, "romfile") || !rc_catalog_name_is_valid(type))
		return;
	if (g_strv_contains(props, "netdev"))
		g_ptr_array_add(out->nics, g_strdup(type));
	else if (g_hash_table_contains(display, type))
		g_ptr_array_add(out->displays, g_strdup(type));
}

/*
 * The PCI NIC models (concrete pci-device types with a romfile and a
 * netdev property) and the PCI display devices with a romfile.  Asking
 * for the properties of some types makes QEMU exit (a display device
 * whose module is not installed): the probe is then started again and the
 * type passed over.
 */
static gboolean rom_models(Probe **p, const char *qemu, char **path, RomModels *out, GError **error)
{
	gint64 deadline = g_get_monotonic_time() + PROBE_TIMEOUT_US;
	g_auto(GStrv) types = rc_qmp_qom_list_types(probe_qmp(*p), "pci-device", deadline, error);
	g_autoptr(GHashTable) display = types ? display_category(*p, error) : NULL;
	guint restarts = 0;

	if (!display)
		return FALSE;
	for (guint i = 0; types[i]; i++) {
		g_autoptr(GError) local = NULL;
		g_auto(GStrv) props =
			rc_qmp_device_list_properties(probe_qmp(*p), types[i], deadline, &local);

		if (!props) {
			rc_trace("%s: no properties (%s)", types[i], local->message);
			if (!g_error_matches(local, RC_QMP_ERROR, RC_QMP_ERROR_EOF) &&
			    !g_error_matches(local, RC_QMP_ERROR, RC_QMP_ERROR_IO))
				continue;
			if (++restarts > 16) {
				g_set_error(
					error, RC_ERROR, RC_ERROR_INFRA,
					"QEMU %s keeps exiting when asked for device properties",
					qemu);
				return FALSE;
			}
			probe_free(*p);
			g_free(*path);
			*path = NULL;
			if (!(*p = start_none(qemu, path, error)))
				return FALSE;
			deadline = g_get_monotonic_time() + PROBE_TIMEOUT_US;
			continue;
		}
		classify_type(out, display, types[i], (const char *const *)props);
	}
	g_ptr_array_add(out->nics, NULL);
	g_ptr_array_add(out->displays, NULL);
	return TRUE;
}

/* QEMU's romsize of nicN, -1 when unset. */
static gboolean read_romsize(Probe *p, guint n, gint64 *romsize, gint64 deadline, GError **error)
{
	g_autofree char *path = g_strdup_printf(RC_QEMU_NIC_PATH, n);
	g_autoptr(json_object) size =
		rc_qmp_qom_get(probe_qmp(p), path, "romsize", deadline, error);

	if (!size)
		return FALSE;
	*romsize = json_object_is_type(size, json_type_int) ? json_object_get_int64(size) : -1;
	if (*romsize <= 0 || *romsize == ROMSIZE_UNSET)
		*romsize = -1;
	return TRUE;
}

/*
 * Read back the romfile of the NICs nic0.. of a running probe.  Their
 * romsize is not read here: once a ROM is loaded QEMU sets romsize to the
 * block it made (the file's bucket), which is not the machine type's
 * default; read_default_romsizes() asks for that.
 */
static gboolean read_nics(Probe *p, RcCatalogMachine *m, const char *const *models, guint n,
			  GError **error)
{
	gint64 deadline = g_get_monotonic_time() + PROBE_TIMEOUT_US;

	for (guint i = 0; i < n; i++) {
		g_autofree char *path = g_strdup_printf(RC_QEMU_NIC_PATH, i);
		g_autofree char *romfile =
			rc_qmp_qom_get_string(probe_qmp(p), path, "romfile", deadline, error);

		if (!romfile)
			return FALSE;
		if (*romfile && !rc_catalog_name_is_valid(romfile)) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
				    "%s %s: romfile '%s' is a path, not a file name", m->name,
				    models[i], romfile);
			return FALSE;
		}
		rc_catalog_machine_add_nic(m, models[i], romfile, -1);
	}
	return TRUE;
}

typedef struct {
	const char *path;
	const char *const *models;
	const char *const *displays;
	RcCatalogMachine *machine;
	guint memory_mib;
	gint64 default_ram_size;
	GError *error;
} MachineJob;

static GPtrArray *device_args(const char *const *models, guint n)
{
	GPtrArray *devices = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < n; i++)
		g_ptr_array_add(devices, g_strdup_printf("%s,id=nic%u,addr=0x%x", models[i], i,
							 RC_QEMU_FIRST_NIC_SLOT + i));
	return devices;
}

/* Probe @models on the job's machine type; FALSE with *why when refused. */
static gboolean probe_nics(MachineJob *job, const char *const *models, guint n, char **why,
			   GError **error)
{
	g_autoptr(GPtrArray) devices = device_args(models, n);
	Probe *p = probe_start(job->path, job->machine->name, job->memory_mib, devices, why,
			       error); /* plain ownership, see probe_start() */
	gboolean ok;

	if (!p)
		return FALSE;
	ok = read_nics(p, job->machine, models, n, error);
	probe_free(p);
	return ok;
}

/* The NIC QEMU's refusal names ("-device MODEL,id=nicN,...: ..."), or -1. */
static int refused_device(const char *why, const char *prefix, guint n)
{
	g_autofree char *key = g_strconcat(",id=", prefix, NULL);
	const char *id = why ? strstr(why, key) : NULL;
	guint64 index;
	char *end;

	if (!id || !g_str_has_prefix(why, "-device "))
		return -1;
	index = g_ascii_strtoull(id + strlen(key), &end, 10);
	return end != id + strlen(key) && *end == ',' && index < n ? (int)index : -1;
}

static int refused_nic(const char *why, guint n)
{
	return refused_device(why, "nic", n);
}

/*
 * Start the job's machine type bare with the catalog's RAM, and when it
 * refuses, with twice as much, up to its default (QEMU's default-ram-size;
 * 1 GiB when it says none: loongarch64 virt refuses less): the least RAM
 * it starts with, to a power of two, is recorded for it (riscv64 virt
 * needs 4 MiB; its ROM regions overlap below that).  FALSE with *why when
 * it starts with none of them.
 */
static gboolean smallest_ram(MachineJob *job, char **why, GError **error)
{
	guint64 most = job->default_ram_size > 0 ? (guint64)job->default_ram_size : 1ULL << 30;
	guint first = job->memory_mib;

	while (!probe_nics(job, NULL, 0, why, error)) {
		if (!*why || (guint64)job->memory_mib * 2 * 1024 * 1024 > most) {
			job->memory_mib = first;
			return FALSE;
		}
		g_clear_pointer(why, g_free);
		job->memory_mib *= 2;
	}
	if (job->memory_mib != first)
		job->machine->memory_mib = job->memory_mib;
	return TRUE;
}

/*
 * Probe every NIC model on the job's machine type.  A NIC that QEMU
 * refuses by name (pvrdma without its RDMA backend, a NIC this machine
 * type has no bus for) is left out and the rest probed again; a refusal
 * that names no NIC falls back to probing the machine type bare, then
 * NIC by NIC.
 */
static gboolean probe_machine(MachineJob *job, GError **error)
{
	g_autoptr(GPtrArray) pending = g_ptr_array_new();
	g_autofree char *bare_why = NULL;

	for (guint i = 0; job->models[i]; i++)
		g_ptr_array_add(pending, (gpointer)job->models[i]);
	while (pending->len) {
		guint chunk = MIN(pending->len, RC_QEMU_MAX_NICS);
		g_autofree char *why = NULL;
		int refused;

		if (probe_nics(job, (const char *const *)pending->pdata, chunk, &why, error)) {
			g_ptr_array_remove_range(pending, 0, chunk);
			continue;
		}
		if (!why)
			return FALSE;
		if (strstr(why, "No 'PCI' bus found")) {
			/* QEMU says so: no PCI NIC fits this machine type. */
			rc_trace("%s: no PCI bus (%s)", job->machine->name, why);
			return TRUE;
		}
		refused = refused_nic(why, chunk);
		if (refused < 0) {
			rc_trace("%s: refuses its NICs (%s); probing them one by one",
				 job->machine->name, why);
			break;
		}
		rc_trace("%s: no %s here (%s)", job->machine->name,
			 (const char *)g_ptr_array_index(pending, refused), why);
		g_ptr_array_remove_index(pending, (guint)refused);
	}
	if (!pending->len)
		return TRUE;
	/* Does the machine type start at all, and with how much RAM? */
	if (!smallest_ram(job, &bare_why, error)) {
		if (!bare_why)
			return FALSE;
		rc_trace("%s: does not start without NICs either (%s): no NICs recorded",
			 job->machine->name, bare_why);
		return TRUE;
	}
	for (guint i = 0; i < pending->len; i++) {
		g_autofree char *alone = NULL;
		const char *model = g_ptr_array_index(pending, i);

		if (!probe_nics(job, &model, 1, &alone, error)) {
			if (!alone)
				return FALSE;
			rc_trace("%s: no %s here (%s)", job->machine->name, model, alone);
		}
	}
	return TRUE;
}

/* Probe NICs @first .. @first + @n - 1 without a ROM and read their romsize. */
static gboolean probe_romsizes(MachineJob *job, guint first, guint n, char **why, GError **error)
{
	GPtrArray *nics = job->machine->nics;
	g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func(g_free);
	Probe *p; /* plain ownership, see probe_start() */
	gboolean ok = TRUE;
	gint64 deadline;

	for (guint i = 0; i < n; i++) {
		const RcCatalogNic *nic = g_ptr_array_index(nics, first + i);

		g_ptr_array_add(devices,
				g_strdup_printf("%s,id=nic%u,addr=0x%x,romfile=", nic->model, i,
						RC_QEMU_FIRST_NIC_SLOT + i));
	}
	p = probe_start(job->path, job->machine->name, job->memory_mib, devices, why, error);
	if (!p)
		return FALSE;
	deadline = g_get_monotonic_time() + PROBE_TIMEOUT_US;
	for (guint i = 0; ok && i < n; i++) {
		RcCatalogNic *nic = g_ptr_array_index(nics, first + i);

		ok = read_romsize(p, i, &nic->romsize, deadline, error);
	}
	probe_free(p);
	return ok;
}

/*
 * The machine type's default romsize of each NIC found: the NICs again
 * with "romfile=" (no ROM), so that QEMU leaves romsize as the machine
 * type set it.  Where they do not fit together (a board with a small PCI
 * window), one at a time.
 */
static gboolean read_default_romsizes(MachineJob *job, GError **error)
{
	GPtrArray *nics = job->machine->nics;

	for (guint done = 0; done < nics->len;) {
		guint chunk = MIN(nics->len - done, RC_QEMU_MAX_NICS);
		g_autofree char *why = NULL;

		if (!probe_romsizes(job, done, chunk, &why, error)) {
			if (!why)
				return FALSE;
			for (guint i = done; i < done + chunk; i++) {
				g_clear_pointer(&why, g_free);
				if (!probe_romsizes(job, i, 1, &why, error)) {
					if (why)
						g_set_error(
							error, RC_ERROR, RC_ERROR_INFRA,
							"%s without a ROM: %s",
							((RcCatalogNic *)g_ptr_array_index(nics, i))
								->model,
							why);
					return FALSE;
				}
			}
		}
		done += chunk;
	}
	return TRUE;
}

/*
 * One "info roms" line of a file QEMU loaded into ROM at a fixed address
 * ('addr=00000000fffc0000 size=0x040000 mem=rom name="bios-256k.bin"'):
 * its address, size and file name, or FALSE for any other line (fw_cfg
 * files, images loaded into RAM).
 */
static gboolean rom_line(const char *line, gint64 *address, gint64 *size, char **file)
{
	const char *addr = strstr(line, "addr=");
	const char *length = strstr(line, " size=");
	const char *name = strstr(line, " name=\"");
	const char *end;

	if (!addr || !length || !name || !strstr(line, " mem=rom ") ||
	    !(end = strchr(name + 7, '"')))
		return FALSE;
	*address = (gint64)g_ascii_strtoull(addr + 5, NULL, 16);
	*size = (gint64)g_ascii_strtoull(length + 6, NULL, 16);
	*file = g_strndup(name + 7, (gsize)(end - name - 7));
	return TRUE;
}

/*
 * The ROM memory region that starts at @address in the system address
 * space ("info mtree -f": "  00000000fffc0000-00000000ffffffff (prio 0,
 * rom): pc.bios"), or NULL.
 */
static char *rom_region_at(const char *mtree, gint64 address)
{
	g_auto(GStrv) lines = g_strsplit(mtree, "\n", -1);
	gboolean in_memory = FALSE;

	for (guint i = 0; lines[i]; i++) {
		char *line = g_strstrip(lines[i]);
		const char *name;
		char *end;

		if (g_str_has_prefix(line, "FlatView"))
			in_memory = FALSE;
		if (g_str_has_prefix(line, "AS \"memory\""))
			in_memory = TRUE;
		if (!in_memory || !g_ascii_isxdigit(*line) ||
		    (gint64)g_ascii_strtoull(line, &end, 16) != address || *end != '-' ||
		    !strstr(end, ", rom") || !(name = strstr(end, "): ")))
			continue;
		name += 3;
		return g_strndup(name, strcspn(name, " "));
	}
	return NULL;
}

/* The used size of block @name in "info ramblock" text, or -1. */
static gint64 block_size(const char *ramblocks, const char *name)
{
	g_autoptr(GPtrArray) blocks = rc_ramblock_parse(ramblocks, NULL);
	const RcRamBlock *block = blocks ? rc_ramblock_find(blocks, name) : NULL;

	return block ? (gint64)block->used : -1;
}

static char *hmp(Probe *p, const char *command, GError **error)
{
	return rc_qmp_human_monitor_command(probe_qmp(p), command,
					    g_get_monotonic_time() + PROBE_TIMEOUT_US, error);
}

/*
 * The blocks the machine type's firmware files become: every file "info
 * roms" says was loaded into ROM at a fixed address, filling a block of
 * exactly its size (the -bios default:
 * bios-256k.bin; bios.bin on machine types that leave the "firmware"
 * property unset), the memory region at that address ("info mtree -f")
 * and that region's RAM block ("info ramblock").
 */
static gboolean read_bios(Probe *p, RcCatalogMachine *m, const char *blocks, GError **error)
{
	g_autofree char *roms = hmp(p, "info roms", error);
	g_autofree char *mtree = roms ? hmp(p, "info mtree -f", error) : NULL;
	g_auto(GStrv) lines = NULL;

	if (!mtree)
		return FALSE;
	lines = g_strsplit(roms, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		g_autofree char *file = NULL;
		g_autofree char *region = NULL;
		gint64 address, length, size;

		if (!rom_line(lines[i], &address, &length, &file))
			continue;
		region = rom_region_at(mtree, address);
		size = region ? block_size(blocks, region) : -1;
		/* A block sized by the machine (a reset vector blob in a fixed
		 * mask ROM) does not change with a file. */
		if (size != length || !rc_catalog_name_is_valid(region) ||
		    !rc_catalog_name_is_valid(file) ||
		    rc_catalog_machine_find_firmware(m, region)) {
			rc_trace("%s: %s is not loaded into a RAM block of its own", m->name, file);
			continue;
		}
		rc_catalog_machine_add_firmware(m, region, "bios", file, size);
	}
	return TRUE;
}

/* A block that @with has at @size and @without has not (or smaller). */
static char *new_block_of_size(const char *without, const char *with, gint64 size)
{
	g_autoptr(GPtrArray) before = rc_ramblock_parse(without, NULL);
	g_autoptr(GPtrArray) after = rc_ramblock_parse(with, NULL);

	for (guint i = 0; before && after && i < after->len; i++) {
		const RcRamBlock *block = g_ptr_array_index(after, i);
		const RcRamBlock *old = rc_ramblock_find(before, block->name);

		if ((gint64)block->used == size && (!old || old->used != block->used))
			return g_strdup(block->name);
	}
	return NULL;
}

/* A file of @size zero bytes. */
static gboolean write_zeros(const char *path, gsize size)
{
	char *zeros = g_malloc0(size);
	gboolean ok = g_file_set_contents(path, zeros, (gssize)size, NULL);

	g_free(zeros);
	return ok;
}

/*
 * The block a flash image given to the machine's "pflash0" property
 * becomes, when its size is the file's: the machine type started with a
 * zero-filled scratch image, its blocks compared with @bare's.
 */
static gboolean read_pflash(MachineJob *job, const char *bare, GError **error)
{
	g_autoptr(RcRunDir) dir = rc_rundir_new(error);
	g_autofree char *image = dir ? rc_rundir_file(dir, "flash.img") : NULL;
	g_autofree char *blockdev = NULL, *with = NULL, *block = NULL, *why = NULL;
	Probe *p; /* plain ownership, see probe_start() */

	if (!image)
		return FALSE;
	if (!write_zeros(image, FLASH_PROBE_SIZE)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "cannot write %s", image);
		return FALSE;
	}
	blockdev =
		g_strdup_printf("driver=file,filename=%s,node-name=rcflash0,read-only=on", image);
	p = probe_start_args(
		job->path, job->machine->name, job->memory_mib, NULL,
		(const char *const[]){"-blockdev", blockdev, "-machine", "pflash0=rcflash0", NULL},
		&why, error);
	if (!p && !why)
		return FALSE;
	if (!p) {
		rc_trace("%s: does not start with a flash image (%s)", job->machine->name, why);
		return TRUE;
	}
	with = hmp(p, "info ramblock", error);
	probe_free(p);
	if (!with)
		return FALSE;
	if ((block = new_block_of_size(bare, with, FLASH_PROBE_SIZE)) &&
	    rc_catalog_name_is_valid(block))
		rc_catalog_machine_add_firmware(job->machine, block, "pflash0", "", -1);
	else
		rc_trace("%s: no block takes the flash image's size", job->machine->name);
	return TRUE;
}

/*
 * The firmware blocks of the job's machine type: the default -bios file's
 * block, and the flash block when the machine type takes a flash image.
 * A machine type that does not start bare has none.  (QEMU drops an
 * unused "pflash0" property once the machine is built, so the flash
 * probe is simply tried: a machine type without it refuses the option.)
 */
static gboolean probe_firmware(MachineJob *job, GError **error)
{
	g_autofree char *why = NULL;
	g_autofree char *bare = NULL;
	Probe *p = probe_start(job->path, job->machine->name, job->memory_mib, NULL, &why, error);
	gboolean ok;

	if (!p)
		return why != NULL;
	ok = (bare = hmp(p, "info ramblock", error)) && read_bios(p, job->machine, bare, error);
	probe_free(p);
	return ok && read_pflash(job, bare, error);
}

/*
 * Start the display devices @models together (display i on slot 2 + i)
 * and record each one's romfile.  FALSE with *why when QEMU refuses.
 */
static gboolean probe_display_set(MachineJob *job, GPtrArray *models, char **why, GError **error)
{
	g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func(g_free);
	Probe *p; /* plain ownership, see probe_start() */
	gint64 deadline;

	for (guint i = 0; i < models->len; i++)
		g_ptr_array_add(devices, g_strdup_printf("%s,id=display%u,addr=0x%x",
							 (const char *)g_ptr_array_index(models, i),
							 i, RC_QEMU_FIRST_NIC_SLOT + i));
	if (!(p = probe_start(job->path, job->machine->name, job->memory_mib, devices, why, error)))
		return FALSE;
	deadline = g_get_monotonic_time() + PROBE_TIMEOUT_US;
	for (guint i = 0; i < models->len; i++) {
		const char *model = g_ptr_array_index(models, i);
		g_autofree char *path = g_strdup_printf(DISPLAY_PATH, i);
		g_autofree char *romfile =
			rc_qmp_qom_get_string(probe_qmp(p), path, "romfile", deadline, error);

		if (!romfile || (*romfile && !rc_catalog_name_is_valid(romfile))) {
			if (romfile)
				g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
					    "%s %s: romfile '%s' is a path, not a file name",
					    job->machine->name, model, romfile);
			probe_free(p);
			return FALSE;
		}
		rc_catalog_machine_add_display(job->machine, model, romfile);
	}
	probe_free(p);
	return TRUE;
}

/*
 * The display devices on the job's machine type, as few QEMUs as QEMU
 * allows: all together; a device QEMU refuses by name is moved to the
 * front (qxl-vga "must be console 0") or, when it is already there,
 * probed alone at the end; a refusal that names none, one by one.  A
 * machine type without a PCI bus gets none.
 */
static gboolean probe_displays(MachineJob *job, GError **error)
{
	g_autoptr(GPtrArray) pending = g_ptr_array_new();
	g_autoptr(GPtrArray) alone = g_ptr_array_new();

	for (guint i = 0; i < RC_QEMU_MAX_NICS && job->displays[i]; i++)
		g_ptr_array_add(pending, (gpointer)job->displays[i]);
	for (guint tries = 0; pending->len; tries++) {
		g_autofree char *why = NULL;
		int refused;

		if (probe_display_set(job, pending, &why, error))
			break;
		if (!why)
			return FALSE;
		if (strstr(why, "No 'PCI' bus found"))
			return TRUE;
		refused = refused_device(why, "display", pending->len);
		if (refused < 0 || tries > 2 * RC_QEMU_MAX_NICS) {
			rc_trace("%s: refuses its display devices together (%s)",
				 job->machine->name, why);
			g_ptr_array_extend_and_steal(alone, g_steal_pointer(&pending));
			pending = g_ptr_array_new();
			break;
		}
		if (refused == 0)
			g_ptr_array_add(alone, g_ptr_array_steal_index(pending, 0));
		else
			g_ptr_array_insert(pending, 0,
					   g_ptr_array_steal_index(pending, (guint)refused));
	}
	for (guint i = 0; i < alone->len; i++) {
		g_autoptr(GPtrArray) one = g_ptr_array_new();
		g_autofree char *why = NULL;

		g_ptr_array_add(one, g_ptr_array_index(alone, i));
		if (!probe_display_set(job, one, &why, error) && !why)
			return FALSE;
		if (why)
			rc_trace("%s: no %s here (%s)", job->machine->name,
				 (const char *)g_ptr_array_index(alone, i), why);
	}
	return TRUE;
}

static void run_machine_job(gpointer data, gpointer user_data)
{
	MachineJob *job = data;

	if (probe_machine(job, &job->error) && read_default_romsizes(job, &job->error) &&
	    probe_displays(job, &job->error))
		probe_firmware(job, &job->error);
}

/* Every machine type probed on @jobs workers, into a new catalog. */
static RcCatalog *probe_machines(const char *qemu, const char *path, const RcQemuIdentity *id,
				 GPtrArray *machines, const RomModels *models, guint jobs,
				 GError **error)
{
	RcCatalog *catalog = rc_catalog_new(id->arch, id->binary, id->version);
	g_autoptr(GArray) work = g_array_new(FALSE, TRUE, sizeof(MachineJob));
	GThreadPool *pool;
	gboolean ok = TRUE;

	catalog->qemu_package = g_strdup(id->package);
	g_array_set_size(work, machines->len);
	/* One probe QEMU per worker, and the first one still running. */
	pool = rc_child_registry_reserve(jobs + RC_REGISTRY_SPARE, error)
		       ? g_thread_pool_new(run_machine_job, NULL, (gint)MAX(jobs, 1), TRUE, error)
		       : NULL;
	if (!pool) {
		rc_catalog_free(catalog);
		return NULL;
	}
	for (guint i = 0; i < machines->len; i++) {
		const RcQmpMachine *qm = g_ptr_array_index(machines, i);
		MachineJob *job = &g_array_index(work, MachineJob, i);
		RcCatalogMachine *m;

		if (!rc_catalog_name_is_valid(qm->name))
			continue;
		m = rc_catalog_add_machine(catalog, qm->name);
		m->alias = qm->alias && rc_catalog_name_is_valid(qm->alias) ? g_strdup(qm->alias)
									    : NULL;
		m->is_default = qm->is_default;
		m->deprecated = qm->deprecated;
		*job = (MachineJob){.path = path,
				    .models = (const char *const *)models->nics->pdata,
				    .displays = (const char *const *)models->displays->pdata,
				    .machine = m,
				    .memory_mib = catalog->memory_mib,
				    .default_ram_size = qm->default_ram_size};
		g_thread_pool_push(pool, job, NULL);
	}
	g_thread_pool_free(pool, FALSE, TRUE);
	for (guint i = 0; i < machines->len; i++) {
		MachineJob *job = &g_array_index(work, MachineJob, i);

		if (!job->error)
			continue;
		if (ok)
			g_propagate_prefixed_error(error, job->error, "%s %s: ", qemu,
						   job->machine->name);
		else
			g_error_free(job->error);
		job->error = NULL;
		ok = FALSE;
	}
	if (ok) {
		rc_catalog_sort(catalog);
		ok = rc_catalog_validate(catalog, qemu, error);
	}
	if (!ok) {
		rc_catalog_free(catalog);
		return NULL;
	}
	return catalog;
}

/**
 * rc_discover_catalog() - a QEMU binary's catalog, read back from it
 * @qemu:	command name or path (its search path is read with -L help)
 * @jobs:	QEMUs at once (at least 1)
 * @error:	set when QEMU cannot be run or does not answer (exit 3)
 *
 * Return: the catalog, sorted, or NULL
 */
RcCatalog *rc_discover_catalog(const char *qemu, guint jobs, GError **error)
{
	g_autofree char *path = NULL;
	Probe *p = start_none(qemu, &path, error); /* plain ownership, see probe_start() */
	RcQemuIdentity *id = NULL;
	g_autoptr(GPtrArray) machines = NULL;
	g_autoptr(GPtrArray) nics = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) displays = g_ptr_array_new_with_free_func(g_free);
	RomModels models = {nics, displays};
	gboolean have_models = FALSE;
	gint64 deadline = g_get_monotonic_time() + PROBE_TIMEOUT_US;
	RcCatalog *catalog = NULL;
	g_auto(GStrv) dirs = NULL;

	if (p && (id = identify(p, qemu, path, error)) &&
	    (machines = rc_qmp_query_machines(probe_qmp(p), deadline, error)))
		have_models = rom_models(&p, qemu, &path, &models, error);
	probe_free(p);
	if (have_models)
		catalog = probe_machines(qemu, path, id, machines, &models, jobs, error);
	rc_qemu_identity_free(id);
	if (catalog && !(dirs = rc_qemu_search_path(path, NULL, error))) {
		rc_catalog_free(catalog);
		return NULL;
	}
	if (catalog)
		rc_catalog_set_search_path(catalog, path, (const char *const *)dirs);
	return catalog;
}

/* A catalog file that belongs to @id, or NULL when there is none. */
static RcCatalog *load_matching(const char *path, const RcQemuIdentity *id, GError **error)
{
	RcCatalog *catalog; /* plain ownership, see probe_start() */

	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return NULL;
	if (!(catalog = rc_catalog_load(path, error)))
		return NULL;
	if (g_strcmp0(catalog->arch, id->arch) != 0 ||
	    g_strcmp0(catalog->qemu_version, id->version) != 0 ||
	    (catalog->qemu_package && id->package &&
	     strcmp(catalog->qemu_package, id->package) != 0)) {
		rc_trace("%s: made for %s %s (%s), not this QEMU: passed over", path, catalog->arch,
			 catalog->qemu_version,
			 catalog->qemu_package ? catalog->qemu_package : "no package");
		rc_catalog_free(catalog);
		return NULL;
	}
	rc_trace("catalog of %s: %s", id->binary, path);
	return catalog;
}

static RcCatalog *catalog_for(const char *qemu, const RcQemuIdentity *id, GError **error)
{
	g_autofree char *shipped_dir = g_build_filename(rc_datadir(), "machine-types", NULL);
	g_autofree char *shipped = rc_catalog_path(shipped_dir, id->arch, id->version);
	g_autofree char *cache_dir = NULL;
	g_autofree char *cached = NULL;
	g_autofree char *cached_dir = NULL;
	g_autoptr(GError) local = NULL;
	RcCatalog *catalog;

	if ((catalog = load_matching(shipped, id, &local)))
		return catalog;
	if (local) {
		g_propagate_error(error, g_steal_pointer(&local));
		return NULL;
	}
	cache_dir = rc_cachedir("machine-types");
	cached = rc_catalog_path(cache_dir, id->arch, id->version);
	if ((catalog = load_matching(cached, id, &local)))
		return catalog;
	if (local)
		rc_trace("cached catalog %s unusable (%s): discovering again", cached,
			 local->message);
	rc_trace("no catalog for %s %s %s: asking the binary", qemu, id->arch, id->version);
	if (!(catalog = rc_discover_catalog(qemu, g_get_num_processors(), error)))
		return NULL;
	cached_dir = g_path_get_dirname(cached);
	g_mkdir_with_parents(cached_dir, 0700);
	g_clear_error(&local);
	if (!rc_catalog_save(catalog, cached, &local))
		rc_trace("catalog not cached: %s", local->message);
	return catalog;
}

/* A catalog file given by the user, read before QEMU is asked for its target. */
static RcCatalog *load_explicit(const char *path, const char *qemu, GError **error)
{
	RcCatalog *catalog = rc_catalog_load(path, error);
	RcQemuIdentity *id; /* plain ownership, see probe_start() */
	gboolean same;

	if (!catalog || !qemu)
		return catalog;
	if (!(id = rc_qemu_identify(qemu, error))) {
		rc_catalog_free(catalog);
		return NULL;
	}
	same = strcmp(catalog->arch, id->arch) == 0;
	if (!same)
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "catalog %s is for %s, but QEMU %s is %s; give the catalog of this "
			    "QEMU ('romcompat machines --qemu %s' writes it)",
			    path, catalog->arch, id->binary, id->arch, id->binary);
	rc_qemu_identity_free(id);
	if (same)
		return catalog;
	rc_catalog_free(catalog);
	return NULL;
}

/**
 * rc_catalog_for_qemu() - the machine-type catalog of a QEMU binary
 * @qemu:	command name or path; NULL when no QEMU will run (then
 *		@explicit_catalog is required and taken as it is)
 * @explicit_catalog: a catalog file to use, or NULL
 * @error:	set when the file is bad or for another architecture than
 *		@qemu (exit 2), or QEMU cannot be run (3)
 *
 * An @explicit_catalog must be for @qemu's architecture (QEMU is asked,
 * query-target): machine types and NIC models of another one would fail
 * every case.  Without it: the shipped catalog for the binary's
 * architecture and version (DATADIR/machine-types/ARCH/VERSION.json),
 * else the one in the cache, else one discovered now from the binary and
 * written to the cache for next time.
 *
 * Return: the catalog, or NULL
 */
RcCatalog *rc_catalog_for_qemu(const char *qemu, const char *explicit_catalog, GError **error)
{
	RcQemuIdentity *id; /* plain ownership, see probe_start() */
	RcCatalog *catalog;

	g_return_val_if_fail(qemu || explicit_catalog, NULL);
	if (explicit_catalog)
		return load_explicit(explicit_catalog, qemu, error);
	if (!(id = rc_qemu_identify(qemu, error)))
		return NULL;
	catalog = catalog_for(qemu, id, error);
	rc_qemu_identity_free(id);
	return catalog;
}
