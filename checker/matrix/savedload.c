/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * savedload.c - a saved VM state against the new QEMU.
 *
 * The new QEMU is started paused (-S, -incoming defer) with the state's
 * machine type, its guest RAM, and each NIC or display device whose ROM
 * block the state names at the PCI path in the block's name (bridges
 * recreated on the way: "0000:00:01.0:00.0/e1000.rom" is an e1000 in slot
 * 0 behind a bridge in slot 1), loading the new ROM files (a display ROM
 * the new set lacks: the installed one), and with -bios the new set's
 * firmware image when it has one.  Its RAM blocks are read
 * back ("info ramblock", as the matrix does) and compared with the
 * state's, block by block.  Then a copy of the stream (the file itself
 * for a raw stream, read by `cat`; a libvirt image's or qcow2 snapshot's
 * stream copied into the private run directory) is loaded with
 * migrate-incoming: QEMU either loads it or refuses it, and its line is
 * quoted.  A state that holds devices not recreated here (disks,
 * controllers) is refused for that: the read-back stands then, and the
 * report says the load could not prove it.
 */
#include "matrix/savedload.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/trace.h"
#include "qemu/qemu_binary.h"
#include "qemu/qemu_instance.h"
#include "qemu/qemu_process.h"
#include "qemu/ramblock.h"
#include "qemu/rundir.h"
#include "qmp/qmp_commands.h"

#define START_DEADLINE_US (30 * G_USEC_PER_SEC)
#define LOAD_DEADLINE_US  (300 * G_USEC_PER_SEC)
#define EXIT_GRACE_US	  (2 * G_USEC_PER_SEC)
#define POLL_US		  (20 * 1000)
#define COPY_CHUNK	  (64 * 1024)
/* Devices QEMU names as missing added to the load, at most. */
#define MAX_ADDED_DEVICES 8
/* A blank disk's size when the state does not say (a raw stream). */
#define DEFAULT_DISK (1ULL << 30)

/* "02.0" -> "addr=0x2.0"-style QEMU text, checked. */
static gboolean slot_text(const char *part, GString *out)
{
	guint64 slot;
	guint64 fn;
	char *end;

	slot = g_ascii_strtoull(part, &end, 16);
	if (end == part || *end != '.' || slot > 31)
		return FALSE;
	fn = g_ascii_strtoull(end + 1, &end, 16);
	if (*end || fn > 7)
		return FALSE;
	g_string_append_printf(out, "addr=0x%x.%x", (unsigned)slot, (unsigned)fn);
	return TRUE;
}

/* The slots of a device path, from the root bus down ("0000:00:01.0:00.0"
 * and the old "0000:01.0:00.0" alike). */
static GStrv path_slots(const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, ":", -1);
	guint n = g_strv_length(parts);
	guint first = (n >= 2 && strchr(parts[1], '.')) ? 1 : 2;
	GPtrArray *slots = g_ptr_array_new_null_terminated(n, g_free, TRUE);

	for (guint i = first; i < n; i++)
		g_ptr_array_add(slots, g_strdup(parts[i]));
	return (GStrv)g_ptr_array_free(slots, FALSE);
}

/* The bus a device at @slots[0..depth) sits on, bridges added as needed. */
static char *bridge_bus(GHashTable *bridges, gboolean pcie, GStrv slots, guint depth,
			GPtrArray *args, GError **error)
{
	g_autofree char *parent = NULL;
	g_autofree char *key = NULL;
	GString *dev;
	char *id;

	if (depth == 0)
		return g_strdup(pcie ? "pcie.0" : "pci.0");
	key = g_strjoinv("/", slots);
	for (guint i = 0, n = 0; key[i]; i++) /* the first @depth slots */
		if (key[i] == '/' && ++n == depth)
			key[i] = '\0';
	if ((id = g_hash_table_lookup(bridges, key)))
		return g_strdup(id);
	if (!(parent = bridge_bus(bridges, pcie, slots, depth - 1, args, error)))
		return NULL;
	id = g_strdup_printf("bridge%u", g_hash_table_size(bridges) + 1);
	/* As libvirt lays out q35: root ports on pcie.0, a PCIe-to-PCI
	 * bridge behind one, PCI bridges below that. */
	dev = g_string_new(!pcie || depth > 2 ? "pci-bridge"
			   : depth == 1	      ? "pcie-root-port"
					      : "pcie-pci-bridge");
	g_string_append_printf(dev, ",id=%s,bus=%s,", id, parent);
	if (!slot_text(slots[depth - 1], dev)) {
		g_string_free(dev, TRUE);
		g_free(id);
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "a PCI path QEMU cannot have: %s",
			    key);
		return NULL;
	}
	if (!pcie || depth != 2)
		g_string_append_printf(dev, ",%s=%u", pcie && depth == 1 ? "chassis" : "chassis_nr",
				       g_hash_table_size(bridges) + 1);
	g_string_append(dev, ",multifunction=on");
	g_ptr_array_add(args, g_strdup("-device"));
	g_ptr_array_add(args, g_string_free(dev, FALSE));
	g_hash_table_insert(bridges, g_steal_pointer(&key), id);
	return g_strdup(id);
}

static gboolean nic_args(const RcSavedBlock *b, guint i, gboolean pcie, const char *new_roms,
			 gboolean fixes, GHashTable *bridges, GPtrArray *args, GError **error)
{
	g_auto(GStrv) slots = path_slots(b->path);
	guint depth = g_strv_length(slots);
	g_autofree char *bus = NULL;
	GString *dev;

	if (depth == 0 || !(bus = bridge_bus(bridges, pcie, slots, depth - 1, args, error))) {
		if (error && !*error)
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "RAM block %s: not a PCI device path", b->id);
		return FALSE;
	}
	dev = g_string_new(b->model);
	g_string_append_printf(dev, ",id=%s%u,bus=%s,", b->display ? "display" : "nic", i, bus);
	if (!slot_text(slots[depth - 1], dev)) {
		g_string_free(dev, TRUE);
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "RAM block %s: not a PCI device path",
			    b->id);
		return FALSE;
	}
	if (b->rom && (b->in_new_set || b->xml_rom || (fixes && b->fix_romfile))) {
		g_autofree char *file = fixes && b->fix_romfile ? g_strdup(b->fix_romfile)
					: b->xml_rom		? g_strdup(b->xml_rom)
						     : g_build_filename(new_roms, b->rom, NULL);
		g_autofree char *escaped = rc_qemu_escape(file);

		/* Given even when it is not there: QEMU then refuses to start,
		 * which is what the new host would do. */
		g_string_append_printf(dev, ",romfile=%s", escaped);
	}
	if (fixes && b->fix_romsize)
		g_string_append_printf(dev, ",romsize=%" G_GUINT64_FORMAT, b->fix_romsize);
	g_ptr_array_add(args, g_strdup("-device"));
	g_ptr_array_add(args, g_string_free(dev, FALSE));
	return TRUE;
}

/**
 * rc_saved_device_args() - the arguments that recreate a state's NICs,
 * display devices and replaced firmware (-bios)
 * @check:	a described check (its blocks' models and paths)
 * @new_roms:	the new ROM directory (a NIC's file from there, when the
 *		catalog names one and it is there)
 * @fixes:	with each block's mitigation (romsize, compatibility ROM)
 * @args:	where the arguments are added (char *)
 * @error:	RC_ERROR_INPUT for a block path QEMU cannot have
 *
 * Return: TRUE when every NIC and display device has its arguments
 */
gboolean rc_saved_device_args(const RcSavedCheck *check, const char *new_roms, gboolean fixes,
			      GPtrArray *args, GError **error)
{
	g_autoptr(GHashTable) bridges =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	gboolean pcie = strstr(check->machine, "q35") != NULL;
	guint n = 0;

	for (guint i = 0; i < check->blocks->len; i++) {
		const RcSavedBlock *b = g_ptr_array_index(check->blocks, i);

		if (b->model && !nic_args(b, n++, pcie, new_roms, fixes, bridges, args, error))
			return FALSE;
		if (b->firmware && fixes && b->fix_romfile) {
			g_ptr_array_add(args, g_strdup("-bios"));
			g_ptr_array_add(args, g_strdup(b->fix_romfile));
		} else if (b->firmware && b->in_new_set) {
			/* Only a firmware image the new set replaces: QEMU finds
			 * the installed one itself. */
			g_ptr_array_add(args, g_strdup("-bios"));
			g_ptr_array_add(args, g_build_filename(new_roms, b->rom, NULL));
		}
	}
	return TRUE;
}

/* Guest RAM in MiB: the length of the machine's main RAM block, else 0. */
static guint memory_mib(const RcSavedCheck *check)
{
	for (guint i = 0; i < check->blocks->len; i++) {
		const RcSavedBlock *b = g_ptr_array_index(check->blocks, i);

		if (!strchr(b->id, '/') && g_str_has_suffix(b->id, ".ram") &&
		    b->saved_length % (1024 * 1024) == 0)
			return (guint)(b->saved_length / (1024 * 1024));
	}
	return 0;
}

static void compare_blocks(RcSavedCheck *check, GPtrArray *now)
{
	for (guint i = 0; i < check->blocks->len; i++) {
		RcSavedBlock *b = g_ptr_array_index(check->blocks, i);
		const RcRamBlock *n = rc_ramblock_find(now, b->id);

		b->evidence = RC_SAVED_READ_BACK;
		b->has_new = n != NULL;
		b->new_length = n ? n->used : 0;
		b->verdict = !n				  ? RC_SAVED_BLOCK_MISSING
			     : n->used == b->saved_length ? RC_SAVED_BLOCK_SAME
							  : RC_SAVED_BLOCK_CHANGED;
	}
	check->evidence = RC_SAVED_READ_BACK;
}

/* A copy of a container's stream in the run directory. */
static char *copy_stream(RcStateImage *img, const RcStateSnapshot *snap, const RcRunDir *run,
			 GError **error)
{
	g_autoptr(RcStateStream) s = rc_state_stream_open(img, snap, error);
	g_autofree char *path = rc_rundir_file(run, "state.qevm");
	guint8 buf[COPY_CHUNK];
	int fd;
	gssize n;

	if (!s)
		return NULL;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "%s: %s", path, g_strerror(errno));
		return NULL;
	}
	while ((n = rc_state_stream_read(s, buf, sizeof(buf), error)) > 0) {
		if (write(fd, buf, (size_t)n) != n) {
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "%s: %s", path,
				    g_strerror(errno));
			n = -1;
			break;
		}
	}
	close(fd);
	return n < 0 ? NULL : g_steal_pointer(&path);
}

/* Wait for the incoming migration to end: TRUE when it completed. */
static gboolean wait_incoming(RcQemuInstance *q, gint64 deadline, char **why)
{
	for (;;) {
		g_autoptr(GError) local = NULL;
		g_autoptr(RcQmpMigrateInfo) info =
			rc_qmp_query_migrate(rc_qemu_instance_qmp(q), deadline, &local);

		if (!info || info->status == RC_MIGRATION_FAILED) {
			g_autoptr(RcQemuMessage) msg = rc_qemu_instance_explain(
				q, g_get_monotonic_time() + EXIT_GRACE_US, NULL);

			*why = g_strdup(msg->line ? msg->line
					: info	  ? "the load failed"
						  : local->message);
			return FALSE;
		}
		if (info->status == RC_MIGRATION_COMPLETED)
			return TRUE;
		if (g_get_monotonic_time() >= deadline) {
			*why = g_strdup("the load did not finish in time");
			return FALSE;
		}
		g_usleep(POLL_US);
	}
}

/* Load the stream at @path: loaded, refused for a RAM block (*@line set),
 * or RC_SAVED_NONE (*@line says why: something else stood in the way). */
static RcSavedEvidence prove_load(RcQemuInstance *q, const char *path, char **line)
{
	g_autofree char *quoted = g_shell_quote(path);
	g_autofree char *uri = g_strdup_printf("exec:cat %s", quoted);
	g_autoptr(GError) local = NULL;
	gint64 deadline = g_get_monotonic_time() + LOAD_DEADLINE_US;

	if (!rc_qmp_migrate_incoming(rc_qemu_instance_qmp(q), uri, deadline, &local))
		*line = g_strdup(local->message);
	else if (wait_incoming(q, deadline, line))
		return RC_SAVED_LOADED;
	/* "Size mismatch" names a RAM block the state cannot have (a ROM or
	 * a firmware block such as pc.bios): the state itself is refused. */
	return strstr(*line, "Size mismatch") ||
			       (strstr(*line, "mismatch") && strstr(*line, ".rom"))
		       ? RC_SAVED_REFUSED
		       : RC_SAVED_NONE;
}

/* Why a QEMU that would not start refuses the state itself (a ROM file
 * the new set lacks, a machine type or device it no longer has). */
static gboolean refuses_state(RcKind kind)
{
	return kind == RC_KIND_ROMFILE_MISSING || kind == RC_KIND_UNKNOWN_MACHINE_TYPE ||
	       kind == RC_KIND_UNKNOWN_DEVICE || kind == RC_KIND_MALFORMED_ROM;
}

/* A new QEMU for the state, greeted; NULL with *@refusal set (QEMU's
 * line) when it refuses the state's configuration, else with @error. */
static RcQemuInstance *start_new(const RcSavedCheck *check, const char *qemu, const char *new_roms,
				 gboolean fixes, GPtrArray *more, const RcRunDir *run,
				 char **refusal, GError **error)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new_null_terminated(16, g_free, TRUE);
	RcQemuConfig config = {.label = "new",
			       .binary = qemu,
			       .machine = check->machine,
			       .accel = "tcg",
			       .memory_mib = memory_mib(check),
			       .run = run,
			       .stderr_name = fixes ? "mitigated.err" : "new.err"};
	g_autoptr(RcQemuInstance) q = NULL;
	g_autoptr(GError) local = NULL;

	if (!rc_saved_device_args(check, new_roms, fixes, args, error))
		return NULL;
	for (guint i = 0; more && i < more->len; i++)
		g_ptr_array_add(args, g_strdup(g_ptr_array_index(more, i)));
	g_ptr_array_add(args, g_strdup("-incoming"));
	g_ptr_array_add(args, g_strdup("defer"));
	config.extra = (const char *const *)args->pdata;
	if (!(q = rc_qemu_instance_spawn(&config, error)))
		return NULL;
	if (!rc_qemu_instance_greet(q, g_get_monotonic_time() + START_DEADLINE_US, &local)) {
		g_autoptr(RcQemuMessage) msg =
			rc_qemu_instance_explain(q, g_get_monotonic_time() + EXIT_GRACE_US, NULL);

		if (msg->line && refuses_state(msg->kind))
			*refusal = g_strdup(msg->line);
		else
			g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
				    "the new QEMU (%s) did not start: %s", qemu,
				    msg->line ? msg->line : local->message);
		return NULL;
	}
	return g_steal_pointer(&q);
}

/* The blocks read back from a QEMU started with the new ROMs. */
static gboolean read_back(RcSavedCheck *check, RcQemuInstance *q, GError **error)
{
	g_autofree char *text =
		rc_qmp_human_monitor_command(rc_qemu_instance_qmp(q), "info ramblock",
					     g_get_monotonic_time() + START_DEADLINE_US, error);
	g_autoptr(GPtrArray) now = text ? rc_ramblock_parse(text, error) : NULL;

	if (!now)
		return FALSE;
	compare_blocks(check, now);
	return TRUE;
}

static void conclude_load(RcSavedCheck *check, RcSavedEvidence loaded, const char *line)
{
	g_clear_pointer(&check->message, g_free);
	if (loaded != RC_SAVED_NONE)
		check->evidence = loaded;
	if (!line)
		return;
	check->message = loaded == RC_SAVED_REFUSED
				 ? g_strdup_printf("QEMU: %s", line)
				 : g_strdup_printf("load not proven (the state holds devices not "
						   "recreated here): QEMU: %s",
						   line);
}

/*
 * A device QEMU names as missing ("Unknown savevm section or instance
 * '0000:00:04.0/virtio-blk' 0") added for the next attempt, on the root
 * bus, a disk backed by a blank null device of the snapshot's disk size.
 * FALSE when the line names none, or one already added.
 */
static gboolean add_device(const char *line, guint64 disk_size, GPtrArray *more)
{
	g_autoptr(GRegex) re = g_regex_new(
		"Unknown savevm section or instance '0000:00:([0-9a-f]{2}\\.[0-7])/([a-z0-9-]+)'",
		0, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *slot = NULL;
	g_autofree char *name = NULL;
	g_autofree char *model = NULL;
	GString *dev;

	if (!line || !g_regex_match(re, line, 0, &m))
		return FALSE;
	slot = g_match_info_fetch(m, 1);
	name = g_match_info_fetch(m, 2);
	model = g_str_has_prefix(name, "virtio-") && !g_str_has_suffix(name, "-pci")
			? g_strconcat(name, "-pci", NULL)
			: g_strdup(name);
	dev = g_string_new(model);
	if (!slot_text(slot, (g_string_append_c(dev, ','), dev)))
		return (void)g_string_free(dev, TRUE), FALSE;
	for (guint i = 0; i < more->len; i++)
		if (g_str_has_prefix(g_ptr_array_index(more, i), dev->str))
			return (void)g_string_free(dev, TRUE), FALSE;
	if (strstr(name, "blk")) {
		guint n = more->len;

		g_ptr_array_add(more, g_strdup("-blockdev"));
		g_ptr_array_add(
			more, g_strdup_printf("driver=null-co,node-name=blank%u,read-zeroes="
					      "on,size=%" G_GUINT64_FORMAT,
					      n, (guint64)(disk_size ? disk_size : DEFAULT_DISK)));
		g_string_append_printf(dev, ",drive=blank%u", n);
	}
	g_ptr_array_add(more, g_strdup("-device"));
	g_ptr_array_add(more, g_string_free(dev, FALSE));
	rc_trace("saved: the state holds %s at %s: added for the next load", model, slot);
	return TRUE;
}

/*
 * Load the stream into a new QEMU, adding the devices QEMU names as
 * missing and trying again; the first QEMU's blocks read back when
 * @check_blocks.  Return: the evidence (*@line: QEMU's last line), or -1
 * with @error set when the first QEMU could not be run or asked.
 */
static int load_with(RcSavedCheck *check, const char *binary, const char *new_roms, gboolean fixes,
		     gboolean check_blocks, GPtrArray *more, const RcRunDir *run,
		     const char *stream, char **line, GError **error)
{
	RcSavedEvidence loaded = RC_SAVED_NONE;

	for (guint attempt = 0; attempt <= MAX_ADDED_DEVICES; attempt++) {
		g_autoptr(GError) local = NULL;
		g_autofree char *refusal = NULL;
		g_autoptr(RcQemuInstance) q =
			start_new(check, binary, new_roms, fixes, more, run, &refusal, &local);

		if (!q && refusal) {
			g_free(*line);
			*line = g_steal_pointer(&refusal);
			return RC_SAVED_REFUSED;
		}
		if (q && check_blocks && attempt == 0 && !read_back(check, q, &local)) {
			RcQemuInstance *asked = q;

			q = NULL;
			rc_qemu_instance_free(asked);
		}
		if (!q && attempt == 0) {
			g_propagate_error(error, g_steal_pointer(&local));
			return -1;
		}
		if (!q)
			break; /* an added device QEMU would not take: the last line stands */
		g_clear_pointer(line, g_free);
		loaded = prove_load(q, stream, line);
		if (loaded != RC_SAVED_NONE || !add_device(*line, check->disk_size, more))
			break;
	}
	return (int)loaded;
}

/* The state loaded once more, each changed block with its mitigation. */
static void prove_mitigation(RcSavedCheck *check, const char *binary, const char *new_roms,
			     const char *old_roms, GPtrArray *more, const RcRunDir *run,
			     const char *stream)
{
	g_autoptr(GError) local = NULL;
	g_autofree char *line = NULL;
	int loaded;

	if (!rc_saved_check_plan_fixes(check, old_roms))
		return;
	loaded = load_with(check, binary, new_roms, TRUE, FALSE, more, run, stream, &line, &local);
	/* NONE with a line: the RAM blocks (first in the stream) were taken,
	 * a device not recreated here stopped the load after them. */
	check->mitigated = loaded < 0 ? RC_SAVED_NONE : (RcSavedEvidence)loaded;
	check->mitigated_message = loaded < 0 ? g_strdup(local->message) : g_steal_pointer(&line);
	rc_trace("saved: %s: with the mitigation: %s", check->path,
		 rc_saved_evidence_to_string(check->mitigated));
}

/**
 * rc_saved_load() - a saved state's blocks read back from the new QEMU, a
 * copy of it loaded there, and loaded again with its mitigation
 * @check:	a described check; its blocks get their new lengths
 * @qemu:	the new QEMU
 * @new_roms:	the new ROM directory
 * @old_roms:	where the old files are (compatibility ROMs), or NULL
 * @img:	the state's file (read, never written)
 * @snapshot:	the qcow2 snapshot, or NULL
 * @error:	RC_ERROR_INFRA when the new QEMU cannot be run (the check
 *		then has no evidence)
 *
 * Return: TRUE when the blocks were read back (and the load tried)
 */
gboolean rc_saved_load(RcSavedCheck *check, const char *qemu, const char *new_roms,
		       const char *old_roms, RcStateImage *img, const RcStateSnapshot *snapshot,
		       GError **error)
{
	g_autofree char *binary = rc_qemu_find_binary(qemu, error);
	g_autoptr(RcRunDir) run = binary ? rc_rundir_new(error) : NULL;
	g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *stream = NULL;
	g_autofree char *line = NULL;
	int loaded;

	if (!run)
		return FALSE;
	if (rc_state_image_format(img) == RC_STATE_RAW)
		stream = g_canonicalize_filename(rc_state_image_label(img), NULL);
	else if (!(stream = copy_stream(img, snapshot, run, error)))
		return FALSE;
	check->disk_size = snapshot ? snapshot->disk_size : 0;
	loaded = load_with(check, binary, new_roms, FALSE, TRUE, more, run, stream, &line, error);
	if (loaded < 0)
		return FALSE;
	conclude_load(check, (RcSavedEvidence)loaded, line);
	if (loaded == RC_SAVED_REFUSED)
		prove_mitigation(check, binary, new_roms, old_roms, more, run, stream);
	if (rc_state_image_format(img) != RC_STATE_RAW)
		unlink(stream);
	rc_trace("saved: %s: %s", check->path, rc_saved_evidence_to_string(check->evidence));
	return TRUE;
}

/**
 * rc_saved_restore() - a libvirt save image restored from a copy by libvirt
 * with the new ROMs (its NICs' <rom file> pointed at them)
 * @check:	a check whose blocks were predicted
 * @backend:	an open libvirt backend
 * @new_roms:	the new ROM directory
 * @img:	the save image (copied, never written)
 * @error:	set when the restore could not be tried (the check then has
 *		no evidence)
 *
 * Return: TRUE when libvirt restored the copy or refused it
 */
gboolean rc_saved_restore(RcSavedCheck *check, const RcBackend *backend, const char *new_roms,
			  RcStateImage *img, GError **error)
{
	g_autofree char *dir = g_canonicalize_filename(new_roms, NULL);
	g_autofree char *image = g_canonicalize_filename(rc_state_image_label(img), NULL);
	g_autoptr(GPtrArray) roms = rc_saved_check_nic_roms(check, rc_state_image_xml(img), dir);
	RcImageRestore request = {image, rc_state_image_xml(img), (const char *const *)roms->pdata,
				  roms->len};
	RcMigrationOutcome *out = rc_backend_restore_image(backend, &request, error);
	g_autofree char *via = rc_backend_describe(backend);
	gboolean refused;
	gboolean restored;

	if (!out)
		return FALSE;
	restored = out->kind == RC_KIND_OK;
	refused = out->kind == RC_KIND_ROM_SIZE_MISMATCH || out->kind == RC_KIND_UNKNOWN_RAMBLOCK ||
		  refuses_state(out->kind);
	g_clear_pointer(&check->message, g_free);
	if (restored) {
		check->evidence = RC_SAVED_LOADED;
		check->message = g_strdup_printf("loaded (restored by %s from a copy, with the "
						 "new ROMs)",
						 via);
	} else if (refused) {
		check->evidence = RC_SAVED_REFUSED;
		check->message = g_strdup_printf("QEMU: %s (restore by %s)", out->message, via);
	} else {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "%s: restore by %s not proven: %s",
			    check->path, via, out->message ? out->message : "no reason given");
	}
	rc_migration_outcome_free(out);
	return restored || refused;
}
