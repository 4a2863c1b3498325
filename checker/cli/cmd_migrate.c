/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_migrate.c - "romcompat migrate": one machine type, one NIC, two
 * ROMs, a real migration in each direction asked for.
 *
 * The old host is --old-qemu with --old, the new host --new-qemu with
 * --new; old-to-new migrates from the first to the second, new-to-old back.
 * (--src-qemu and --dst-qemu, their earlier names, are hidden aliases.)
 */
#include <stdio.h>
#include <string.h>

#include "matrix/backend.h"
#include "qemu/catalog.h"
#include "cli/commands.h"
#include "sources/debsource.h"
#include "qemu/discover.h"
#include "base/error.h"
#include "base/input.h"
#include "base/jsonutil.h"
#include "matrix/matrix.h"
#include "qemu/migration_case.h"
#include "qemu/qemu_binary.h"
#include "qemu/qemu_process.h"
#include "qemu/ramblock.h"
#include "rom/romset.h"

#define RC_DEFAULT_TIMEOUT_S 30

typedef struct {
	char *machine;
	char *nic;
	char *old_rom;
	char *new_rom;
	char *src_qemu;
	char *dst_qemu;
	char *direction;
	char *accel;
	char *backend;
	char *connect;
	char *domain_xml;
	char *new_rom_dir;
	int timeout_s;
	int memory_mib;
	char *json;
	RcCommonOptions common;
} MigrateOptions;

static void options_clear(MigrateOptions *o)
{
	g_free(o->machine);
	g_free(o->nic);
	g_free(o->old_rom);
	g_free(o->new_rom);
	g_free(o->src_qemu);
	g_free(o->dst_qemu);
	g_free(o->direction);
	g_free(o->accel);
	g_free(o->backend);
	g_free(o->connect);
	g_free(o->domain_xml);
	g_free(o->new_rom_dir);
	g_free(o->json);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MigrateOptions, options_clear)

/*
 * What the options ask to run: the directions, the two QEMU binaries
 * found on this host and the accelerator picked.
 */
typedef struct {
	gboolean forward;
	gboolean backward;
	char *src_bin;
	char *dst_bin;
	const char *accel;
} MigratePlan;

static void plan_clear(MigratePlan *plan)
{
	g_free(plan->src_bin);
	g_free(plan->dst_bin);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MigratePlan, plan_clear)

/*
 * The most bytes a ROM operand may have: the largest firmware image
 * (OVMF.fd is 2 to 4 MiB) with room to spare, and romset.c's bound.
 */
#define ROM_OPERAND_MAX (64u * 1024 * 1024)

/*
 * Firmware images are told apart by name, as QEMU's data directories name
 * them: "*.fd" (OVMF, a pflash image: a whole number of 4 KiB sectors) and
 * "bios*.bin" (SeaBIOS: a whole number of 64 KiB).  Returns the size unit
 * a firmware image of that name must be a multiple of, or 0 for any other
 * file, which is an option ROM and is parsed.  ("vgabios-*.bin" are option
 * ROMs with a 55 AA signature: parsed.)
 */
static guint64 firmware_unit(const char *path)
{
	g_autofree char *base = g_path_get_basename(path);

	if (g_str_has_suffix(base, ".fd"))
		return 4096;
	if (g_str_has_prefix(base, "bios") && g_str_has_suffix(base, ".bin"))
		return 65536;
	return 0;
}

/* A firmware image is sized, not parsed: QEMU maps it whole. */
static gboolean check_firmware(const char *what, const char *path, gsize len, guint64 unit,
			       GError **error)
{
	if (len == 0 || len % unit != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s firmware image %s: %" G_GSIZE_FORMAT
			    " bytes, not a whole multiple of %" G_GUINT64_FORMAT
			    " KiB; build or copy it again",
			    what, path, len, unit / 1024);
		return FALSE;
	}
	return TRUE;
}

/*
 * A ROM operand of migrate, checked as inspect checks it before any QEMU
 * sees it: never blocking on a FIFO, bounded, and parsed by the ROM set
 * code (an empty, truncated or random file is not an option ROM).
 */
static gboolean check_rom(const char *what, const char *path, GError **error)
{
	g_autoptr(RcRomSet) set = NULL;
	g_autofree char *data = NULL;
	g_autofree char *name = NULL;
	g_autofree char *label = g_strdup_printf("%s ROM", what);
	const RcRomEntry *entry;
	guint64 unit;
	gsize len = 0;

	if (!path) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "%s is required (see 'romcompat migrate --help')", what);
		return FALSE;
	}
	if (!*path)
		return TRUE; /* romfile= : the NIC has no ROM, a legitimate configuration */
	if (rc_debian_is_source(path)) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "%s %s: migrate takes one ROM file, not a package; inspect or check "
			    "take debian: sources",
			    what, path);
		return FALSE;
	}
	if (!rc_input_read(path, label, ROM_OPERAND_MAX, &data, &len, error))
		return FALSE;
	if ((unit = firmware_unit(path)))
		return check_firmware(what, path, len, unit, error);
	name = g_path_get_basename(path);
	set = rc_rom_set_new(path, RC_ROM_SET_FILE);
	entry = rc_rom_set_add_data(set, name, path, (const guint8 *)data, len);
	if (entry->error) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "%s ROM %s", what,
			    entry->error->message);
		return FALSE;
	}
	return TRUE;
}

/*
 * A firmware case: no --nic, and --old and --new are both firmware images,
 * given to the two sides as -bios (with --nic they are that device's
 * romfile, as any file is); no device is plugged in, and the blocks compared are
 * the machine type's own (pc.bios takes the image's exact size).
 */
static gboolean firmware_case(const MigrateOptions *o)
{
	return !o->nic && o->old_rom && o->new_rom && *o->old_rom && *o->new_rom &&
	       firmware_unit(o->old_rom) && firmware_unit(o->new_rom);
}

/*
 * --machine and --nic go into QEMU's options (and a domain's XML): only a
 * plain name, so no ",romsize=..." or other property rides along.
 */
static gboolean check_name(const char *option, const char *value, const char *example,
			   GError **error)
{
	if (rc_catalog_name_is_valid(value))
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
		    "%s '%s': not a plain name (letters, digits, '.', '_', '-'); give the name "
		    "alone, e.g. %s %s",
		    option, value, option, example);
	return FALSE;
}

/*
 * The NIC must be one of the PCI NIC models the source QEMU lists for the
 * machine type (its catalog: shipped, cached or read back from it once).
 * A machine type the catalog lacks is left to QEMU, which names it.
 */
static gboolean check_model(const char *qemu, const MigrateOptions *o, GError **error)
{
	g_autoptr(RcCatalog) catalog = rc_catalog_for_qemu(qemu, NULL, error);
	const RcCatalogMachine *machine;
	GString *models;

	if (!catalog)
		return FALSE;
	machine = rc_catalog_find_machine(catalog, o->machine);
	if (!o->nic || !machine || rc_catalog_machine_find_nic(machine, o->nic) ||
	    rc_catalog_machine_find_display(machine, o->nic))
		return TRUE;
	models = g_string_new(NULL);
	for (guint i = 0; i < machine->nics->len; i++) {
		const RcCatalogNic *nic = g_ptr_array_index(machine->nics, i);

		g_string_append_printf(models, "%s%s", i ? ", " : "", nic->model);
	}
	/* Display devices load a ROM through their romfile as NICs do. */
	for (guint i = 0; i < machine->displays->len; i++) {
		const RcCatalogDisplay *display = g_ptr_array_index(machine->displays, i);

		if (*display->romfile)
			g_string_append_printf(models, "%s%s", models->len ? ", " : "",
					       display->model);
	}
	g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
		    "--nic %s: not a PCI NIC or display device of machine type %s in QEMU %s %s; "
		    "it has: %s",
		    o->nic, machine->name, catalog->qemu_binary, catalog->qemu_version,
		    models->len ? models->str : "none");
	g_string_free(models, TRUE);
	return FALSE;
}

static char *human_size(guint64 bytes)
{
	if (!bytes)
		return g_strdup("absent");
	if (bytes % 1024 == 0)
		return g_strdup_printf("0x%" G_GINT64_MODIFIER "x (%" G_GUINT64_FORMAT " KiB)",
				       bytes, bytes / 1024);
	return g_strdup_printf("0x%" G_GINT64_MODIFIER "x (%" G_GUINT64_FORMAT " bytes)", bytes,
			       bytes);
}

static void print_text(const char *direction, const MigrateOptions *o, const char *accel,
		       const char *backend, const RcMigrationOutcome *out)
{
	FILE *f = o->common.text;

	gboolean back = strcmp(direction, "new-to-old") == 0;

	fprintf(f, "%s  %s  %s  %s  %s\n", direction, o->machine, o->nic ? o->nic : "-bios",
		out->kind == RC_KIND_OK ? "migrated" : "FAILED", rc_kind_to_string(out->kind));
	if (o->common.quiet)
		return;
	fprintf(f, "  source:       QEMU %s, %s %s\n", out->src_version ? out->src_version : "?",
		o->nic ? "romfile" : "-bios",
		o->nic ? (out->src_romfiles ? out->src_romfiles[0] : "?")
		       : (back ? o->new_rom : o->old_rom));
	fprintf(f, "  destination:  QEMU %s, %s %s\n", out->dst_version ? out->dst_version : "?",
		o->nic ? "romfile" : "-bios",
		o->nic ? (out->dst_romfiles ? out->dst_romfiles[0] : "?")
		       : (back ? o->old_rom : o->new_rom));
	if (out->diffs && out->diffs->len) {
		fprintf(f, "  RAM blocks that differ before migrating:\n");
		for (guint i = 0; i < out->diffs->len; i++) {
			const RcRamBlockDiff *d = g_ptr_array_index(out->diffs, i);
			g_autofree char *s = human_size(d->source_size);
			g_autofree char *t = human_size(d->destination_size);

			fprintf(f, "    %-32s source %-22s destination %s\n", d->name, s, t);
		}
	}
	if (out->message)
		fprintf(f, "  QEMU says:    %s\n", out->message);
	fprintf(f, "  accel %s, backend %s, %.3f s\n", accel, backend, out->seconds);
}

static json_object *outcome_json(const char *direction, const MigrateOptions *o, const char *accel,
				 const char *backend, const RcMigrationOutcome *out)
{
	json_object *obj = json_object_new_object();
	json_object *diffs = json_object_new_array();

	json_object_object_add(obj, "direction", json_object_new_string(direction));
	json_object_object_add(obj, "machine", json_object_new_string(o->machine));
	json_object_object_add(obj, "nic", o->nic ? json_object_new_string(o->nic) : NULL);
	json_object_object_add(obj, "class",
			       json_object_new_string(!o->nic ? "firmware" : "device"));
	json_object_object_add(obj, "verdict",
			       json_object_new_string(out->kind == RC_KIND_OK ? "pass" : "fail"));
	json_object_object_add(obj, "kind", json_object_new_string(rc_kind_to_string(out->kind)));
	json_object_object_add(obj, "evidence",
			       json_object_new_string(out->kind == RC_KIND_OK ? "migrated"
						      : out->kind == RC_KIND_ROM_SIZE_MISMATCH
							      ? "failed-alone"
							      : "none"));
	if (out->block)
		rc_json_add_text(obj, "block", out->block);
	if (out->source_size)
		json_object_object_add(obj, "source-size",
				       json_object_new_int64((gint64)out->source_size));
	if (out->destination_size)
		json_object_object_add(obj, "destination-size",
				       json_object_new_int64((gint64)out->destination_size));
	if (out->message)
		rc_json_add_text(obj, "message", out->message);
	if (out->source_error)
		rc_json_add_text(obj, "source-error", out->source_error);
	for (guint i = 0; out->diffs && i < out->diffs->len; i++) {
		const RcRamBlockDiff *d = g_ptr_array_index(out->diffs, i);
		json_object *row = json_object_new_object();

		rc_json_add_text(row, "block", d->name);
		json_object_object_add(row, "source-size",
				       json_object_new_int64((gint64)d->source_size));
		json_object_object_add(row, "destination-size",
				       json_object_new_int64((gint64)d->destination_size));
		json_object_array_add(diffs, row);
	}
	json_object_object_add(obj, "ramblock-differences", diffs);
	json_object_object_add(obj, "source-qemu-version",
			       out->src_version ? json_object_new_string(out->src_version) : NULL);
	json_object_object_add(obj, "destination-qemu-version",
			       out->dst_version ? json_object_new_string(out->dst_version) : NULL);
	rc_json_add_text(obj, "source-romfile",
			 o->nic && out->src_romfiles ? out->src_romfiles[0] : NULL);
	rc_json_add_text(obj, "destination-romfile",
			 o->nic && out->dst_romfiles ? out->dst_romfiles[0] : NULL);
	json_object_object_add(obj, "source-end",
			       out->src_end ? json_object_new_string(out->src_end) : NULL);
	json_object_object_add(obj, "destination-end",
			       out->dst_end ? json_object_new_string(out->dst_end) : NULL);
	json_object_object_add(obj, "accel", json_object_new_string(accel));
	json_object_object_add(obj, "backend", json_object_new_string(backend));
	json_object_object_add(obj, "seconds", json_object_new_double(out->seconds));
	return obj;
}

/* migrate --domain-xml FILE --new-rom-dir DIR: one real VM's NICs, checked
 * by the libvirt module (backend.c loads it). */
static gboolean migrate_domain(const MigrateOptions *o, int *exit_status, GError **error)
{
	RcDomainRequest request = {
		.domain_xml = o->domain_xml,
		.new_rom_dir = o->new_rom_dir,
		.connect = o->connect,
		.accel = o->accel,
		.json = o->json,
		.quiet = o->common.quiet,
		.text = o->common.text,
	};

	if (!o->domain_xml || !o->new_rom_dir) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--domain-xml FILE and --new-rom-dir DIR go together");
		return FALSE;
	}
	if (o->machine || o->nic || o->old_rom || o->new_rom) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--domain-xml takes the machine type, NICs and ROMs from the VM; drop "
			    "--machine, --nic, --old and --new");
		return FALSE;
	}
	if (o->backend && strcmp(o->backend, "libvirt") != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--domain-xml runs through libvirt; drop --backend %s", o->backend);
		return FALSE;
	}
	return rc_backend_check_domain(&request, exit_status, error);
}

/* The option context of migrate; the values go into @o. */
static GOptionContext *migrate_context(MigrateOptions *o)
{
	/* g_option_context_add_main_entries() copies the entries. */
	const GOptionEntry entries[] = {
		{"machine", 0, 0, G_OPTION_ARG_STRING, &o->machine,
		 "machine type (e.g. pc-i440fx-7.2)", "TYPE"},
		{"nic", 0, 0, G_OPTION_ARG_STRING, &o->nic,
		 "NIC or display device (e.g. e1000, VGA); none when --old and --new are -bios images",
		 "MODEL"},
		{"old", 0, 0, G_OPTION_ARG_FILENAME, &o->old_rom,
		 "ROM on the old host ('' for none)", "ROM"},
		{"new", 0, 0, G_OPTION_ARG_FILENAME, &o->new_rom,
		 "ROM on the new host ('' for none)", "ROM"},
		{"old-qemu", 0, 0, G_OPTION_ARG_FILENAME, &o->src_qemu,
		 "QEMU of the old host (default qemu-system-x86_64)", "BIN"},
		{"new-qemu", 0, 0, G_OPTION_ARG_FILENAME, &o->dst_qemu,
		 "QEMU of the new host (default: --old-qemu)", "BIN"},
		/* Their earlier names, kept for scripts that use them. */
		{"src-qemu", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &o->src_qemu, NULL,
		 "BIN"},
		{"dst-qemu", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &o->dst_qemu, NULL,
		 "BIN"},
		{"direction", 0, 0, G_OPTION_ARG_STRING, &o->direction,
		 "old-to-new (default), new-to-old or both", "DIR"},
		{"accel", 0, 0, G_OPTION_ARG_STRING, &o->accel, "tcg (default), kvm or auto",
		 "ACCEL"},
		{"timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout_s,
		 "seconds for each migration (default 30)", "SEC"},
		{"memory", 0, 0, G_OPTION_ARG_INT, &o->memory_mib, "guest RAM in MiB (default 64)",
		 "MIB"},
		{"backend", 0, 0, G_OPTION_ARG_STRING, &o->backend,
		 "direct (default: QEMU processes) or libvirt (save and restore a domain)", "B"},
		{"connect", 0, 0, G_OPTION_ARG_STRING, &o->connect,
		 "libvirt connection URI (default qemu:///session)", "URI"},
		{"domain-xml", 0, 0, G_OPTION_ARG_FILENAME, &o->domain_xml,
		 "check an existing VM (virsh dumpxml) through a scratch copy of it", "FILE"},
		{"new-rom-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->new_rom_dir,
		 "with --domain-xml: the directory of the new ROM files", "DIR"},
		RC_OPTION_JSON(&o->json, "the results as JSON"),
		G_OPTION_ENTRY_NULL,
	};
	GOptionContext *ctx = rc_command_context(
		"migrate", "",
		"Migrate one machine type and NIC between two ROMs, or check a VM's NICs "
		"(--domain-xml).\nExit status: 0 every direction migrated, 1 incompatible, 2 bad "
		"input, 3 QEMU or libvirt could not be run.",
		&o->common);

	g_option_context_add_main_entries(ctx, entries, NULL);
	return ctx;
}

/* --direction: old-to-new (also when absent), new-to-old or both. */
static gboolean parse_direction(const char *direction, MigratePlan *plan, GError **error)
{
	plan->forward = !direction || strcmp(direction, "old-to-new") == 0 ||
			strcmp(direction, "both") == 0;
	plan->backward = direction &&
			 (strcmp(direction, "new-to-old") == 0 || strcmp(direction, "both") == 0);
	if (!plan->forward && !plan->backward) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--direction must be old-to-new, new-to-old or both, not '%s'",
			    direction);
		return FALSE;
	}
	return TRUE;
}

/* The options of one machine type and NIC, checked before any QEMU runs. */
static gboolean check_options(const MigrateOptions *o, MigratePlan *plan, GError **error)
{
	if (!o->machine || (!o->nic && !firmware_case(o))) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--machine and --nic are required, --nic unless --old and --new are "
			    "firmware images (see 'romcompat migrate --help')");
		return FALSE;
	}
	if (firmware_case(o) && o->backend && strcmp(o->backend, "direct") != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--old and --new are firmware images (-bios): the direct backend only "
			    "(--backend direct)");
		return FALSE;
	}
	if (o->timeout_s <= 0 || o->memory_mib <= 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--timeout and --memory must be positive");
		return FALSE;
	}
	return parse_direction(o->direction, plan, error) &&
	       check_name("--machine", o->machine, "pc-q35-7.2", error) &&
	       (!o->nic || check_name("--nic", o->nic, "e1000", error)) &&
	       check_rom("--old", o->old_rom, error) && check_rom("--new", o->new_rom, error);
}

/* The accelerator and both QEMUs, and the NIC checked against the source's catalog. */
static gboolean find_qemus(const MigrateOptions *o, MigratePlan *plan, GError **error)
{
	if (!(plan->accel = rc_qemu_pick_accel(o->accel, error)))
		return FALSE;
	/* Before a package's QEMU is fetched and run: that starts children too. */
	rc_qemu_install_signal_handlers();
	plan->src_bin =
		rc_qemu_find_binary(o->src_qemu ? o->src_qemu : "qemu-system-x86_64", error);
	if (!plan->src_bin)
		return FALSE;
	plan->dst_bin = rc_qemu_find_binary(o->dst_qemu ? o->dst_qemu : plan->src_bin, error);
	if (!plan->dst_bin)
		return FALSE;
	return check_model(plan->src_bin, o, error);
}

/* One direction's migration: its NIC and the spec that points at it. */
typedef struct {
	RcCaseNic nic;
	RcMigrationSpec spec;
} MigrationJob;

/* Old-to-new, or new-to-old when @back (the hosts swap roles). */
static void job_init(MigrationJob *job, const MigrateOptions *o, const MigratePlan *plan,
		     gboolean back)
{
	job->spec = (RcMigrationSpec){.src_qemu = back ? plan->dst_bin : plan->src_bin,
				      .dst_qemu = back ? plan->src_bin : plan->dst_bin,
				      .machine = o->machine,
				      .accel = plan->accel,
				      .memory_mib = (guint)o->memory_mib,
				      .timeout_us = (gint64)o->timeout_s * G_USEC_PER_SEC};
	if (firmware_case(o)) {
		job->spec.src_bios = back ? o->new_rom : o->old_rom;
		job->spec.dst_bios = back ? o->old_rom : o->new_rom;
		return;
	}
	job->nic = (RcCaseNic){.model = o->nic,
			       .addr = -1,
			       .src_rom = back ? o->new_rom : o->old_rom,
			       .dst_rom = back ? o->old_rom : o->new_rom};
	job->spec.nics = &job->nic;
	job->spec.n_nics = 1;
	job->spec.details = TRUE;
}

/*
 * Every direction of @plan through the backend asked for, each printed as
 * it ends (its first line alone with -q), and gathered into one JSON
 * array for --json.  Exit code precedence: bad
 * input, then QEMU trouble, then incompatible.
 */
static gboolean run_plan(const MigrateOptions *o, const MigratePlan *plan, int *exit_status,
			 GError **error)
{
	g_autoptr(json_object) results = json_object_new_array();
	g_auto(RcBackend) backend = {0};
	g_autofree char *backend_text = NULL;
	int status = RC_EXIT_COMPATIBLE;

	if (!rc_backend_open(&backend, o->backend, o->connect, error))
		return FALSE;
	backend_text = rc_backend_describe(&backend);
	for (int pass = 0; pass < 2; pass++) {
		gboolean back = pass == 1;
		const char *name = back ? "new-to-old" : "old-to-new";
		g_autoptr(RcMigrationOutcome) result = NULL;
		MigrationJob job;

		if ((back && !plan->backward) || (!back && !plan->forward))
			continue;
		job_init(&job, o, plan, back);
		result = backend.migrate(&job.spec, backend.data, error);
		if (!result)
			return FALSE;
		status = rc_exit_worse(status, rc_kind_exit_code(result->kind));
		json_object_array_add(results,
				      outcome_json(name, o, plan->accel, backend_text, result));
		print_text(name, o, plan->accel, backend_text, result);
		fflush(o->common.text);
	}
	if (o->json && !rc_command_write_json(results, o->json, error))
		return FALSE;
	*exit_status = status;
	return TRUE;
}

/**
 * rc_cmd_migrate() - "romcompat migrate"
 * @argc:	argument count
 * @argv:	arguments, argv[0] = "migrate"
 * @exit_status: 0 all migrated, 1 incompatible, 2 bad input, 3 QEMU trouble
 * @error:	set when the command could not run
 *
 * Return: TRUE when every direction ran
 */
gboolean rc_cmd_migrate(int argc, char **argv, int *exit_status, GError **error)
{
	g_auto(MigrateOptions) o = {.timeout_s = RC_DEFAULT_TIMEOUT_S, .memory_mib = 64};
	g_autoptr(GOptionContext) ctx = migrate_context(&o);
	g_auto(MigratePlan) plan = {0};
	RcReportOption reports[1];

	if (!rc_command_parse_options(ctx, &o.common, &argc, &argv, error))
		return FALSE;
	reports[0] = (RcReportOption){"--json", o.json};
	if (!rc_command_check_reports(reports, G_N_ELEMENTS(reports), &o.common, error))
		return FALSE;
	if (argc > 1) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_USAGE,
			"migrate takes no operand, not '%s'; give the ROMs with --old and --new "
			"(see 'romcompat migrate --help')",
			argv[1]);
		return FALSE;
	}
	if (o.domain_xml || o.new_rom_dir)
		return migrate_domain(&o, exit_status, error);
	return check_options(&o, &plan, error) && find_qemus(&o, &plan, error) &&
	       run_plan(&o, &plan, exit_status, error);
}
