/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_needs.c - `romcompat needs [--qemu Q]... [--machines GLOBS]
 * [--roms R] [--opt2-dir DIR] [-j N] [--json FILE]`: which QEMU binaries
 * and machine types refuse to start, as a user starts them, without a ROM
 * set (ipxe-qemu's by default); how the package shipping each binary
 * relates to ipxe-qemu; where each binary searches for ROM files, and
 * whether a per-architecture directory given ahead of that path is used.
 *
 * Per binary: its catalog (machine types, the NIC models that load a ROM
 * on each, the display models that load one of the hidden files, the
 * firmware images its blocks come from), its search path (`-L help`), its
 * package (dpkg).  Then every selected machine type with its defaults and
 * the ROMs present (what it loads: info qtree), the ROM set hidden
 * (qemu/romhide.c: a private mount namespace), and again with its defaults
 * and with each NIC and display model alone.  A firmware image of the set
 * (bios-256k.bin, the pc.bios block) stops the machine type before any
 * device is made, so the models alone run in a phase of their own that
 * hides the set but those images.  The namespace is entered (with a user
 * namespace when not root) before any thread exists, so that every QEMU
 * shares it; the files are hidden only for the later phases.
 *
 * Exit status: 0 every binary was examined, 2 bad input, 3 a binary could
 * not be run, or the files could not be hidden.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "base/child.h"
#include "base/error.h"
#include "base/jsonutil.h"
#include "base/output.h"
#include "base/texttable.h"
#include "cli/commands.h"
#include "qemu/catalog.h"
#include "qemu/discover.h"
#include "qemu/needs.h"
#include "qemu/qemu_binary.h"
#include "qemu/qemu_process.h"
#include "qemu/romhide.h"
#include "qemu/ramblock.h"
#include "sources/debsource.h"
#include "sources/dpkgrel.h"

/* The ROM set hidden by default: what ipxe-qemu installs. */
#define DEFAULT_ROMS "/usr/lib/ipxe/qemu"
/* The package the verdicts are about when no installed package ships the
 * hidden set (a copy of it elsewhere): ipxe-qemu's. */
#define ROM_PACKAGE "ipxe-qemu"
/* Machine types a verdict names before it counts the rest. */
#define VERDICT_MAX_NAMES 4

typedef struct {
	char **qemus;
	char *machines;
	char *roms;
	char *package;
	char *opt2_dir;
	char *jobs_text;
	char *json;
	RcCommonOptions common;
} NeedsOptions;

static void options_clear(NeedsOptions *o)
{
	g_strfreev(o->qemus);
	g_free(o->machines);
	g_free(o->roms);
	g_free(o->package);
	g_free(o->opt2_dir);
	g_free(o->jobs_text);
	g_free(o->json);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(NeedsOptions, options_clear)

/* One machine type of one binary and what became of it.  It runs with
 * QEMU's own default RAM, as a user starts it: boards with fixed RAM
 * refuse any other (the catalog's RAM is the matrix's). */
typedef struct {
	char *name;
	char *alias;
	GPtrArray *models;	   /* NIC models that load a ROM here (the catalog) */
	GPtrArray *display_models; /* display models that load a hidden file here */
	GPtrArray *firmware;	   /* hidden files its firmware blocks come from */
	RcNeedsResult *present;	   /* defaults, the ROMs present */
	RcNeedsResult *hidden;	   /* defaults, the ROMs hidden */
	GPtrArray *nics;	   /* RcNeedsResult per model, the ROMs hidden */
	GPtrArray *displays;	   /* RcNeedsResult per display model, likewise */
} Machine;

typedef struct {
	char *qemu;  /* as given */
	char *path;  /* absolute; NULL when it could not be run */
	char *error; /* why it could not be examined */
	char *arch;
	char *package;	/* NULL: no installed package ships it */
	char *relation; /* to ipxe-qemu */
	GStrv search_path;
	GPtrArray *machines; /* Machine */
	gboolean nics_only;  /* its catalog (format 1) lists no displays nor firmware */
	char *opt2_machine;
	RcNeedsResult *opt2;
	GStrv opt2_path;
} Binary;

static void machine_free(gpointer p)
{
	Machine *m = p;

	g_free(m->name);
	g_free(m->alias);
	g_ptr_array_unref(m->models);
	g_ptr_array_unref(m->display_models);
	g_ptr_array_unref(m->firmware);
	rc_needs_result_free(m->present);
	rc_needs_result_free(m->hidden);
	g_ptr_array_unref(m->nics);
	g_ptr_array_unref(m->displays);
	g_free(m);
}

static void binary_free(gpointer p)
{
	Binary *b = p;

	g_free(b->qemu);
	g_free(b->path);
	g_free(b->error);
	g_free(b->arch);
	g_free(b->package);
	g_free(b->relation);
	g_strfreev(b->search_path);
	g_ptr_array_unref(b->machines);
	g_free(b->opt2_machine);
	rc_needs_result_free(b->opt2);
	g_strfreev(b->opt2_path);
	g_free(b);
}

/* Whether a machine type (or its alias) is one --machines selects. */
static gboolean selected(const char *globs, const RcCatalogMachine *m)
{
	g_auto(GStrv) list = NULL;

	if (!globs)
		return TRUE;
	list = g_strsplit(globs, ",", -1);
	for (guint i = 0; list[i]; i++)
		if (*list[i] && (g_pattern_match_simple(list[i], m->name) ||
				 (m->alias && g_pattern_match_simple(list[i], m->alias))))
			return TRUE;
	return FALSE;
}

/* The display models of @cm that load one of @names, and the files of
 * @names its firmware blocks come from: the catalog's, as QEMU said. */
static void add_hidden_devices(Machine *m, const RcCatalogMachine *cm, const char *const *names)
{
	for (guint j = 0; j < cm->displays->len; j++) {
		const RcCatalogDisplay *d = cm->displays->pdata[j];

		if (d->romfile && *d->romfile && g_strv_contains(names, d->romfile))
			g_ptr_array_add(m->display_models, g_strdup(d->model));
	}
	for (guint j = 0; j < cm->firmware->len; j++) {
		const RcCatalogFirmware *f = cm->firmware->pdata[j];

		if (f->file && *f->file && g_strv_contains(names, f->file) &&
		    !g_ptr_array_find_with_equal_func(m->firmware, f->file, g_str_equal, NULL))
			g_ptr_array_add(m->firmware, g_strdup(f->file));
	}
}

/* The machine types of @b that --machines selects, from its catalog. */
static void add_machines(Binary *b, const RcCatalog *catalog, const char *globs,
			 const char *const *names)
{
	for (guint i = 0; i < catalog->machines->len; i++) {
		const RcCatalogMachine *cm = catalog->machines->pdata[i];
		Machine *m;

		if (!selected(globs, cm))
			continue;
		m = g_new0(Machine, 1);
		m->name = g_strdup(cm->name);
		m->alias = g_strdup(cm->alias);
		m->models = g_ptr_array_new_with_free_func(g_free);
		m->display_models = g_ptr_array_new_with_free_func(g_free);
		m->firmware = g_ptr_array_new_null_terminated(1, g_free, TRUE);
		m->nics = g_ptr_array_new_with_free_func((GDestroyNotify)rc_needs_result_free);
		m->displays = g_ptr_array_new_with_free_func((GDestroyNotify)rc_needs_result_free);
		for (guint j = 0; j < cm->nics->len; j++) {
			const RcCatalogNic *nic = cm->nics->pdata[j];

			if (nic->romfile && *nic->romfile)
				g_ptr_array_add(m->models, g_strdup(nic->model));
		}
		add_hidden_devices(m, cm, names);
		g_ptr_array_add(b->machines, m);
	}
}

/*
 * What can be known of a binary before any QEMU runs on a machine type: its
 * catalog, search path and package.  A binary that cannot be run keeps the
 * reason in ->error (exit 3) and the run goes on; a signal is an error.
 */
static gboolean examine_binary(Binary *b, const NeedsOptions *o, const char *const *names,
			       GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(RcCatalog) catalog = NULL;
	g_autoptr(RcQemuIdentity) id = NULL;

	if (!(b->path = rc_qemu_find_binary(b->qemu, &local)) ||
	    !(id = rc_qemu_identify(b->path, &local)) ||
	    !(catalog = rc_catalog_for_qemu(b->path, NULL, &local)) ||
	    !(b->search_path = rc_qemu_search_path(b->path, NULL, &local))) {
		if (!rc_child_check_interrupted(error))
			return FALSE;
		b->error = g_strdup(local->message);
		return TRUE;
	}
	b->arch = g_strdup(id->arch);
	b->nics_only = !rc_catalog_has_devices(catalog);
	add_machines(b, catalog, o->machines, names);
	if (rc_debian_is_source(b->qemu)) {
		g_autofree char *spec = g_strdup(b->qemu + strlen("debian:"));

		spec[strcspn(spec, "=")] = '\0';
		b->package = g_steal_pointer(&spec);
		return TRUE;
	}
	if ((b->package = rc_dpkg_owner(b->path, &local)))
		b->relation = rc_dpkg_relation(b->package, o->package, &local);
	if (local)
		b->error = g_strdup(local->message);
	return TRUE;
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The QEMU binaries to examine: --qemu, else every qemu-system-* on PATH. */
static GPtrArray *binaries_from_path(void)
{
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) dirs = g_strsplit(g_getenv("PATH") ? g_getenv("PATH") : "", ":", -1);

	for (guint i = 0; dirs[i]; i++) {
		g_autoptr(GDir) dir = *dirs[i] ? g_dir_open(dirs[i], 0, NULL) : NULL;
		const char *name;

		while (dir && (name = g_dir_read_name(dir))) {
			gboolean seen = FALSE;

			if (!g_str_has_prefix(name, "qemu-system-"))
				continue;
			for (guint j = 0; j < found->len; j++)
				seen |= strcmp(found->pdata[j], name) == 0;
			if (!seen)
				g_ptr_array_add(found, g_strdup(name));
		}
	}
	g_ptr_array_sort(found, compare_names);
	return g_steal_pointer(&found);
}

/* What one phase starts: the ROM set present or hidden, and which QEMUs. */
typedef struct {
	gboolean hidden;	  /* the ROM set (or all of it but @kept) is hidden */
	gboolean defaults;	  /* each machine type with its defaults */
	gboolean models;	  /* each NIC and display model alone */
	const char *const *names; /* the names hidden, for a firmware refusal */
	const char *const *kept;  /* firmware images of the set left visible, or NULL */
} Phase;

/* The QEMUs of one phase, on worker threads. */
typedef struct {
	GPtrArray *machines; /* Machine*, in order */
	GPtrArray *owners;   /* the Binary* of each */
	const Phase *phase;
	gint next;
	guint done;
	GMutex lock;
	GError *error;
	const RcCommonOptions *common;
} Work;

/* One QEMU of a machine type: its defaults (@model NULL) or one model alone. */
static RcNeedsResult *probe(const Binary *b, const Machine *m, const char *model,
			    const Phase *phase, GError **error)
{
	RcNeedsSpec spec = {.binary = b->path,
			    .machine = m->name,
			    .model = model,
			    .read_roms = !phase->hidden,
			    .hidden = phase->hidden ? phase->names : NULL};

	return rc_needs_probe(&spec, error);
}

static guint refusals(GPtrArray *results)
{
	guint n = 0;

	for (guint i = 0; results && i < results->len; i++)
		n += ((RcNeedsResult *)results->pdata[i])->status == RC_NEEDS_REFUSES;
	return n;
}

static void progress(Work *w, const Binary *b, const Machine *m)
{
	const Phase *p = w->phase;
	const RcNeedsResult *r = p->hidden ? m->hidden : m->present;
	g_autofree char *kept = p->kept ? g_strjoinv(", ", (char **)p->kept) : NULL;
	g_autofree char *models =
		g_strdup_printf(", %u of %u NIC models refuse", refusals(m->nics), m->models->len);
	g_autofree char *displays =
		m->display_models->len
			? g_strdup_printf(", %u of %u display models refuse", refusals(m->displays),
					  m->display_models->len)
			: g_strdup("");

	g_mutex_lock(&w->lock);
	w->done++;
	if (w->common->verbose && !p->defaults)
		fprintf(stderr, "[%u/%u] %s %s without the ROM set but %s: %s%s\n", w->done,
			w->machines->len, b->arch, m->name, kept, models + 2, displays);
	else if (w->common->verbose)
		fprintf(stderr, "[%u/%u] %s %s %s: %s%s%s%s%s%s\n", w->done, w->machines->len,
			b->arch, m->name, p->hidden ? "without the ROM set" : "with the ROM set",
			rc_needs_status_to_string(r->status), r->romfile ? " (" : "",
			r->romfile ? r->romfile : "", r->romfile ? ")" : "",
			p->models ? models : "", p->models ? displays : "");
	g_mutex_unlock(&w->lock);
}

/* Each model of @models alone, its result appended to @results. */
static gboolean probe_models(Work *w, Binary *b, Machine *m, GPtrArray *models, GPtrArray *results,
			     GError **error)
{
	for (guint i = 0; i < models->len; i++) {
		RcNeedsResult *r = probe(b, m, models->pdata[i], w->phase, error);

		if (!r)
			return FALSE;
		g_ptr_array_add(results, r);
	}
	return TRUE;
}

static gboolean work_item(Work *w, Binary *b, Machine *m, GError **error)
{
	const Phase *p = w->phase;

	if (!p->hidden)
		return (m->present = probe(b, m, NULL, p, error)) != NULL;
	if (p->defaults && !(m->hidden = probe(b, m, NULL, p, error)))
		return FALSE;
	return !p->models || (probe_models(w, b, m, m->models, m->nics, error) &&
			      probe_models(w, b, m, m->display_models, m->displays, error));
}

static gpointer worker(gpointer data)
{
	Work *w = data;
	gint i;

	while ((i = g_atomic_int_add(&w->next, 1)) < (gint)w->machines->len) {
		GError *local = NULL;
		Machine *m = w->machines->pdata[i];
		Binary *b = w->owners->pdata[i];

		g_mutex_lock(&w->lock);
		if (w->error) {
			g_mutex_unlock(&w->lock);
			break;
		}
		g_mutex_unlock(&w->lock);
		if (!work_item(w, b, m, &local)) {
			g_mutex_lock(&w->lock);
			if (!w->error)
				w->error = local;
			else
				g_error_free(local);
			g_mutex_unlock(&w->lock);
			break;
		}
		progress(w, b, m);
	}
	return NULL;
}

/* Every machine type of every examined binary, on @jobs threads. */
static gboolean run_phase(GPtrArray *binaries, const Phase *phase, guint jobs,
			  const RcCommonOptions *common, GError **error)
{
	g_autoptr(GPtrArray) threads = g_ptr_array_new();
	g_autoptr(GPtrArray) machines = g_ptr_array_new();
	g_autoptr(GPtrArray) owners = g_ptr_array_new();
	Work w = {.machines = machines, .owners = owners, .phase = phase, .common = common};

	for (guint i = 0; i < binaries->len; i++) {
		Binary *b = binaries->pdata[i];

		for (guint j = 0; !b->error && j < b->machines->len; j++) {
			g_ptr_array_add(machines, b->machines->pdata[j]);
			g_ptr_array_add(owners, b);
		}
	}
	g_mutex_init(&w.lock);
	for (guint i = 0; i < MIN(jobs, MAX(machines->len, 1u)); i++)
		g_ptr_array_add(threads, g_thread_new("needs", worker, &w));
	for (guint i = 0; i < threads->len; i++)
		g_thread_join(threads->pdata[i]);
	g_mutex_clear(&w.lock);
	if (w.error) {
		g_propagate_error(error, w.error);
		return FALSE;
	}
	return TRUE;
}

/* The file names of the ROM set to hide: a directory's entries, or a file. */
static GStrv rom_names(const char *roms, GError **error)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated(16, g_free, TRUE);
	g_autoptr(GDir) dir = NULL;
	const char *name;

	if (g_file_test(roms, G_FILE_TEST_IS_REGULAR)) {
		g_ptr_array_add(names, g_path_get_basename(roms));
	} else if ((dir = g_dir_open(roms, 0, NULL))) {
		while ((name = g_dir_read_name(dir))) {
			g_autofree char *path = g_build_filename(roms, name, NULL);

			if (!g_file_test(path, G_FILE_TEST_IS_DIR))
				g_ptr_array_add(names, g_strdup(name));
		}
	}
	if (names->len == 0) {
		g_autofree char *shown = rc_text_visible(roms);

		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--roms %s: no ROM file there; give the directory or the file of the "
			    "ROM set to hide (default " DEFAULT_ROMS ", from " ROM_PACKAGE ")",
			    shown);
		return NULL;
	}
	g_ptr_array_sort(names, compare_names);
	return (GStrv)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

/* The installed package that ships the hidden set (seabios for its
 * vgabios-*.bin, ipxe-qemu for its ROMs), else ipxe-qemu. */
static char *set_package(const char *roms, const char *const *names)
{
	g_autofree char *path = g_file_test(roms, G_FILE_TEST_IS_REGULAR)
					? g_strdup(roms)
					: g_build_filename(roms, names[0], NULL);
	char *owner = rc_dpkg_owner(path, NULL);

	/* No dpkg, or a copy no package ships: the verdicts speak of ipxe-qemu. */
	return owner ? owner : g_strdup(ROM_PACKAGE);
}

/* Every directory of every examined binary's search path, once. */
static GStrv all_search_dirs(GPtrArray *binaries)
{
	g_autoptr(GPtrArray) dirs = g_ptr_array_new_null_terminated(8, g_free, TRUE);

	for (guint i = 0; i < binaries->len; i++) {
		Binary *b = binaries->pdata[i];

		for (guint j = 0; b->search_path && b->search_path[j]; j++)
			if (!g_strv_contains((const char *const *)dirs->pdata, b->search_path[j]))
				g_ptr_array_add(dirs, g_strdup(b->search_path[j]));
	}
	return (GStrv)g_ptr_array_free(g_steal_pointer(&dirs), FALSE);
}

/* Opt2: a machine type that refused, again with @dir ahead of the path. */
static gboolean run_opt2(Binary *b, const char *dir, GError **error)
{
	const Machine *m = NULL;
	RcNeedsSpec spec = {
		.binary = b->path, .data_dir = dir, .read_roms = TRUE, .read_ramblocks = TRUE};

	/* The first that refused for a file DIR holds, else the first that refused. */
	for (guint pass = 0; pass < 2 && !m; pass++)
		for (guint i = 0; !m && !b->error && i < b->machines->len; i++) {
			Machine *c = b->machines->pdata[i];
			g_autofree char *file = NULL;

			if (c->hidden->status != RC_NEEDS_REFUSES)
				continue;
			file = g_build_filename(dir, c->hidden->romfile, NULL);
			if (pass == 1 || g_file_test(file, G_FILE_TEST_EXISTS))
				m = c;
		}
	if (!m)
		return TRUE;
	spec.machine = m->name;
	b->opt2_machine = g_strdup(m->name);
	if (!(b->opt2_path = rc_qemu_search_path(b->path, dir, error)))
		return FALSE;
	return (b->opt2 = rc_needs_probe(&spec, error)) != NULL;
}

/*
 * The real paths of the set's files when the set is itself on the search
 * path: only entries leading to them are hidden, not another package's file
 * of the same name (qemu-system-data's bios-microvm.bin, a link to its
 * qboot.rom, beside SeaBIOS's).  NULL for a copy elsewhere: its names are
 * hidden wherever QEMU would find them.
 */
static GStrv set_files(const char *roms, const char *const *names, const char *const *dirs)
{
	g_autofree char *dir = g_file_test(roms, G_FILE_TEST_IS_REGULAR) ? g_path_get_dirname(roms)
									 : g_strdup(roms);
	g_autoptr(GPtrArray) files = g_ptr_array_new_null_terminated(16, g_free, TRUE);
	char real[PATH_MAX];
	char other[PATH_MAX];
	gboolean on_path = FALSE;

	if (!realpath(dir, real))
		return NULL;
	for (guint i = 0; dirs[i] && !on_path; i++)
		on_path = realpath(dirs[i], other) && strcmp(real, other) == 0;
	if (!on_path)
		return NULL;
	for (guint i = 0; names[i]; i++) {
		g_autofree char *path = g_build_filename(dir, names[i], NULL);

		if (realpath(path, other))
			g_ptr_array_add(files, g_strdup(other));
	}
	return (GStrv)g_ptr_array_free(g_steal_pointer(&files), FALSE);
}

/* The firmware images of the set that some machine type's blocks come from. */
static GStrv firmware_of(GPtrArray *binaries)
{
	g_autoptr(GPtrArray) files = g_ptr_array_new_null_terminated(2, g_free, TRUE);

	for (guint i = 0; i < binaries->len; i++) {
		const Binary *b = binaries->pdata[i];

		for (guint j = 0; !b->error && j < b->machines->len; j++) {
			const Machine *m = b->machines->pdata[j];

			for (guint k = 0; k < m->firmware->len; k++)
				if (!g_strv_contains((const char *const *)files->pdata,
						     m->firmware->pdata[k]))
					g_ptr_array_add(files, g_strdup(m->firmware->pdata[k]));
		}
	}
	return (GStrv)g_ptr_array_free(g_steal_pointer(&files), FALSE);
}

/* @names but @kept. */
static GStrv names_but(const char *const *names, const char *const *kept)
{
	g_autoptr(GPtrArray) rest = g_ptr_array_new_null_terminated(16, g_free, TRUE);

	for (guint i = 0; names[i]; i++)
		if (!g_strv_contains(kept, names[i]))
			g_ptr_array_add(rest, g_strdup(names[i]));
	return (GStrv)g_ptr_array_free(g_steal_pointer(&rest), FALSE);
}

/* The models alone, with @phase's names hidden (the set but its firmware). */
static gboolean run_models(GPtrArray *binaries, const char *const *dirs, const Phase *phase,
			   const char *const *only, guint jobs, const RcCommonOptions *common,
			   GError **error)
{
	RcRomHide *hide = rc_rom_hide_new(dirs, phase->names, only, error);
	gboolean ok;

	if (!hide)
		return FALSE;
	ok = run_phase(binaries, phase, jobs, common, error);
	rc_rom_hide_free(hide);
	return ok;
}

/*
 * Hide the ROM set, run every machine type without it, uncover.  When the
 * set holds firmware images the machine types load (@kept), the models
 * alone run afterwards with the rest of the set hidden: without its
 * firmware no machine type gets as far as a device.
 */
static gboolean run_hidden(GPtrArray *binaries, const char *const *names, const NeedsOptions *o,
			   guint jobs, const char *const *kept, guint *hidden, GError **error)
{
	g_auto(GStrv) dirs = all_search_dirs(binaries);
	g_auto(GStrv) only = set_files(o->roms, names, (const char *const *)dirs);
	g_auto(GStrv) rest = names_but(names, kept);
	Phase phase = {.hidden = TRUE, .defaults = TRUE, .models = !*kept, .names = names};
	Phase models = {
		.hidden = TRUE, .models = TRUE, .names = (const char *const *)rest, .kept = kept};
	g_autoptr(RcRomHide) hide =
		rc_rom_hide_new((const char *const *)dirs, names, (const char *const *)only, error);

	if (!hide)
		return FALSE;
	*hidden = rc_rom_hide_count(hide);
	if (!run_phase(binaries, &phase, jobs, &o->common, error))
		return FALSE;
	for (guint i = 0; o->opt2_dir && i < binaries->len; i++)
		if (!run_opt2(binaries->pdata[i], o->opt2_dir, error))
			return FALSE;
	if (!*kept)
		return TRUE;
	rc_rom_hide_free(g_steal_pointer(&hide)); /* uncovered before the rest is covered */
	return run_models(binaries, (const char *const *)dirs, &models, (const char *const *)only,
			  jobs, &o->common, error);
}

/* One package and what its binaries showed. */
typedef struct {
	const char *name;
	const char *relation;
	GPtrArray *binaries;	/* Binary*, not owned */
	GPtrArray *refusing;	/* "ARCH MACHINE", owned */
	GPtrArray *romfiles;	/* the files they refuse without, owned */
	guint machines;		/* examined */
	guint nic_refusals;	/* NIC models refusing when added alone */
	guint displays;		/* display models added alone */
	guint display_refusals; /* of them, refusing */
} Package;

static void package_free(gpointer p)
{
	Package *k = p;

	g_ptr_array_unref(k->binaries);
	g_ptr_array_unref(k->refusing);
	g_ptr_array_unref(k->romfiles);
	g_free(k);
}

static void package_add(Package *k, Binary *b)
{
	g_ptr_array_add(k->binaries, b);
	for (guint i = 0; !b->error && i < b->machines->len; i++) {
		const Machine *m = b->machines->pdata[i];

		k->machines++;
		k->nic_refusals += refusals(m->nics);
		k->displays += m->displays->len;
		k->display_refusals += refusals(m->displays);
		if (m->hidden->status != RC_NEEDS_REFUSES)
			continue;
		g_ptr_array_add(k->refusing, g_strdup_printf("%s %s", b->arch, m->name));
		if (!g_ptr_array_find_with_equal_func(k->romfiles, m->hidden->romfile, g_str_equal,
						      NULL))
			g_ptr_array_add(k->romfiles, g_strdup(m->hidden->romfile));
	}
}

/* The binaries grouped by the package that ships them. */
static GPtrArray *packages_of(GPtrArray *binaries)
{
	GPtrArray *packages = g_ptr_array_new_with_free_func(package_free);

	for (guint i = 0; i < binaries->len; i++) {
		Binary *b = binaries->pdata[i];
		const char *name = b->package ? b->package : b->qemu;
		Package *k = NULL;

		if (b->error)
			continue; /* not examined: nothing to say of its package */

		for (guint j = 0; !k && j < packages->len; j++)
			if (strcmp(((Package *)packages->pdata[j])->name, name) == 0)
				k = packages->pdata[j];
		if (!k) {
			k = g_new0(Package, 1);
			k->name = name;
			/* NULL: dpkg does not know the package (debian:PACKAGE=VERSION) */
			k->relation = b->relation ? b->relation : b->package ? NULL : "none";
			k->binaries = g_ptr_array_new();
			k->refusing = g_ptr_array_new_with_free_func(g_free);
			k->romfiles = g_ptr_array_new_with_free_func(g_free);
			g_ptr_array_add(packages, k);
		}
		package_add(k, b);
	}
	return packages;
}

/* "aarch64 virt-7.2, arm virt-7.2 and 3 more" */
static char *some_names(GPtrArray *names)
{
	g_autoptr(GString) text = g_string_new(NULL);

	for (guint i = 0; i < names->len && i < VERDICT_MAX_NAMES; i++)
		g_string_append_printf(text, "%s%s",
				       i == 0		     ? ""
				       : i + 1 == names->len ? " and "
							     : ", ",
				       (const char *)names->pdata[i]);
	if (names->len > VERDICT_MAX_NAMES)
		g_string_append_printf(text, " and %u more", names->len - VERDICT_MAX_NAMES);
	return g_string_free(g_steal_pointer(&text), FALSE);
}

/* Whether the package's relation is what its machine types need. */
static gboolean package_consistent(const Package *k)
{
	if (!k->relation)
		return TRUE; /* nothing to compare */
	return (k->refusing->len > 0) == (strcmp(k->relation, "Depends") == 0);
}

/* "Depends on ipxe-qemu", "does not name seabios", "Recommends ipxe-qemu". */
static char *relation_text(const char *relation, const char *package)
{
	if (!relation)
		return g_strdup_printf("not installed, its relation to %s unknown", package);
	if (strcmp(relation, "none") == 0)
		return g_strdup_printf("does not name %s", package);
	if (strcmp(relation, "Depends") == 0)
		return g_strdup_printf("Depends on %s", package);
	return g_strdup_printf("%s %s", relation, package);
}

/* "; 14 of 14 display models added alone refuse", or "" when none was. */
static char *display_note(const Package *k)
{
	if (!k->displays)
		return g_strdup("");
	return g_strdup_printf("; %u of %u display models added alone refuse%s",
			       k->display_refusals, k->displays,
			       k->display_refusals == 1 ? "s" : "");
}

static char *package_verdict(const Package *k, const char *package)
{
	g_autofree char *names = some_names(k->refusing);
	g_autofree char *displays = display_note(k);
	g_autofree char *files = NULL;
	gboolean depends = k->relation && strcmp(k->relation, "Depends") == 0;
	g_autofree char *rel = relation_text(k->relation, package);

	if (k->refusing->len == 0)
		return g_strdup_printf(
			"%s: %s; none of its %u machine types examined refuses to start "
			"by default without it (%u NIC model%s added alone refuse%s)%s",
			k->name, rel, k->machines, k->nic_refusals, k->nic_refusals == 1 ? "" : "s",
			k->nic_refusals == 1 ? "s" : "", displays);
	g_ptr_array_add(k->romfiles, NULL);
	files = g_strjoinv(", ", (char **)k->romfiles->pdata);
	g_ptr_array_remove_index(k->romfiles, k->romfiles->len - 1);
	return g_strdup_printf("%s: %s, %s %u of its %u machine types examined refuse to start by "
			       "default without it: %s (%s)%s",
			       k->name, rel,
			       depends	     ? "as it must:"
			       : k->relation ? "but"
					     : "and",
			       k->refusing->len, k->machines, names, files, displays);
}

static json_object *strv_json(const char *const *v)
{
	json_object *a = json_object_new_array();

	for (guint i = 0; v && v[i]; i++)
		json_object_array_add(a, rc_json_text_new(v[i]));
	return a;
}

/* {status, romfile, message} */
static json_object *result_json(const RcNeedsResult *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "status",
			       json_object_new_string(rc_needs_status_to_string(r->status)));
	rc_json_add_text(o, "romfile", r->romfile);
	json_object_object_add(o, "firmware", json_object_new_boolean(r->firmware));
	rc_json_add_text(o, "message", r->message);
	return o;
}

/* The runs of models started alone: each result with its model and class. */
static json_object *models_json(GPtrArray *results, GPtrArray *models, const char *device_class)
{
	json_object *array = json_object_new_array();

	for (guint i = 0; i < results->len; i++) {
		json_object *r = result_json(results->pdata[i]);

		json_object_object_add(r, "model", json_object_new_string(models->pdata[i]));
		json_object_object_add(r, "class", json_object_new_string(device_class));
		json_object_array_add(array, r);
	}
	return array;
}

static json_object *machine_json(const Binary *b, const Machine *m)
{
	json_object *o = json_object_new_object();

	rc_json_add_text(o, "qemu", b->path);
	rc_json_add_text(o, "package", b->package);
	rc_json_add_text(o, "arch", b->arch);
	rc_json_add_text(o, "machine", m->name);
	rc_json_add_text(o, "alias", m->alias);
	json_object_object_add(o, "defaults", result_json(m->hidden));
	json_object_object_add(o, "with_roms", result_json(m->present));
	json_object_object_add(o, "nics", models_json(m->nics, m->models, "nic"));
	json_object_object_add(o, "displays",
			       models_json(m->displays, m->display_models, "display"));
	json_object_object_add(o, "firmware", strv_json((const char *const *)m->firmware->pdata));
	json_object_object_add(o, "roms", strv_json((const char *const *)m->present->roms));
	return o;
}

/* The ROM RAM blocks of PCI devices ("0000:00:01.0/virtio-net-pci.rom"). */
static json_object *rom_blocks_json(GPtrArray *blocks)
{
	json_object *a = json_object_new_array();

	for (guint i = 0; blocks && i < blocks->len; i++) {
		const RcRamBlock *rb = blocks->pdata[i];
		json_object *o;

		if (!g_str_has_suffix(rb->name, ".rom") || rc_ramblock_pci_slot(rb->name) < 0)
			continue;
		o = json_object_new_object();
		rc_json_add_text(o, "name", rb->name);
		json_object_object_add(o, "size", json_object_new_int64((gint64)rb->used));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *opt2_json(const Binary *b, const char *dir)
{
	json_object *o = json_object_new_object();
	const char *want = NULL;
	g_autofree char *file = NULL;
	GStatBuf st;

	for (guint i = 0; i < b->machines->len && !want; i++)
		if (strcmp(((Machine *)b->machines->pdata[i])->name, b->opt2_machine) == 0)
			want = ((Machine *)b->machines->pdata[i])->hidden->romfile;
	file = g_build_filename(dir, want, NULL);
	rc_json_add_text(o, "qemu", b->path);
	rc_json_add_text(o, "dir", dir);
	json_object_object_add(o, "search_path", strv_json((const char *const *)b->opt2_path));
	rc_json_add_text(o, "machine", b->opt2_machine);
	rc_json_add_text(o, "romfile", want);
	json_object_object_add(o, "file_size",
			       g_stat(file, &st) == 0 ? json_object_new_int64((gint64)st.st_size)
						      : NULL);
	json_object_object_add(o, "result", result_json(b->opt2));
	json_object_object_add(o, "loaded", strv_json((const char *const *)b->opt2->roms));
	json_object_object_add(o, "ramblocks", rom_blocks_json(b->opt2->ramblocks));
	return o;
}

static json_object *needs_json(GPtrArray *binaries, GPtrArray *packages, const NeedsOptions *o,
			       const char *const *names, const char *const *kept)
{
	json_object *doc = json_object_new_object();
	json_object *machines = json_object_new_array();
	json_object *pkgs = json_object_new_array();
	json_object *paths = json_object_new_object();
	json_object *opt2 = json_object_new_array();
	json_object *skipped = json_object_new_array();
	json_object *nics_only = json_object_new_array();

	for (guint i = 0; i < binaries->len; i++) {
		const Binary *b = binaries->pdata[i];

		if (b->error) {
			json_object *e = json_object_new_object();

			rc_json_add_text(e, "qemu", b->path ? b->path : b->qemu);
			rc_json_add_text(e, "error", b->error);
			json_object_array_add(skipped, e);
			continue;
		}
		for (guint j = 0; j < b->machines->len; j++)
			json_object_array_add(machines, machine_json(b, b->machines->pdata[j]));
		json_object_object_add(paths, b->path,
				       strv_json((const char *const *)b->search_path));
		if (b->nics_only)
			json_object_array_add(nics_only, rc_json_text_new(b->path));
		if (b->opt2)
			json_object_array_add(opt2, opt2_json(b, o->opt2_dir));
	}
	for (guint i = 0; i < packages->len; i++) {
		const Package *k = packages->pdata[i];
		json_object *p = json_object_new_object();
		g_autofree char *verdict = package_verdict(k, o->package);

		rc_json_add_text(p, "package", k->name);
		rc_json_add_text(p, "relation", k->relation);
		g_ptr_array_add(k->refusing, NULL);
		json_object_object_add(p, "refusing",
				       strv_json((const char *const *)k->refusing->pdata));
		g_ptr_array_remove_index(k->refusing, k->refusing->len - 1);
		json_object_object_add(p, "consistent",
				       json_object_new_boolean(package_consistent(k)));
		rc_json_add_text(p, "verdict", verdict);
		json_object_array_add(pkgs, p);
	}
	rc_json_add_text(doc, "roms", o->roms);
	rc_json_add_text(doc, "package", o->package);
	json_object_object_add(doc, "hidden", strv_json(names));
	json_object_object_add(doc, "firmware_kept_for_models", strv_json(kept));
	json_object_object_add(doc, "isolation", json_object_new_string(RC_ROMHIDE_ISOLATION));
	json_object_object_add(doc, "user_namespace",
			       json_object_new_boolean(rc_rom_hide_user_namespace()));
	json_object_object_add(doc, "machines", machines);
	json_object_object_add(doc, "packages", pkgs);
	json_object_object_add(doc, "search_paths", paths);
	json_object_object_add(doc, "opt2", opt2);
	json_object_object_add(doc, "not_examined", skipped);
	json_object_object_add(doc, "catalog_nics_only", nics_only);
	return doc;
}

/* Per binary: how many machine types start, refuse, fail. */
static void print_binaries(GPtrArray *binaries, const char *package, FILE *out)
{
	g_autoptr(RcTextTable) t = rc_text_table_new(8);

	rc_text_table_add(t, "QEMU", "PACKAGE", package, "MACHINES", "REFUSE", "FAIL",
			  "NIC MODELS REFUSING", "DISPLAY MODELS REFUSING", (char *)NULL);
	for (guint i = 0; i < binaries->len; i++) {
		const Binary *b = binaries->pdata[i];
		guint n[RC_NEEDS_STATUS_COUNT] = {0}, nics = 0, nic_refusals = 0;
		guint displays = 0, display_refusals = 0;

		if (b->error)
			continue;
		for (guint j = 0; j < b->machines->len; j++) {
			const Machine *m = b->machines->pdata[j];

			n[m->hidden->status]++;
			nics += m->nics->len;
			nic_refusals += refusals(m->nics);
			displays += m->displays->len;
			display_refusals += refusals(m->displays);
		}
		rc_text_table_add_take(
			t, rc_text_visible(b->path), g_strdup(b->package ? b->package : "-"),
			g_strdup(b->relation ? b->relation : "-"),
			g_strdup_printf("%u", b->machines->len),
			g_strdup_printf("%u", n[RC_NEEDS_REFUSES]),
			g_strdup_printf("%u", n[RC_NEEDS_FAILS]),
			g_strdup_printf("%u of %u", nic_refusals, nics),
			g_strdup_printf("%u of %u", display_refusals, displays), (char *)NULL);
	}
	rc_text_table_print(t, out, "");
}

/* Each machine type that does not start without the ROM set, QEMU's line. */
static void print_machines(GPtrArray *binaries, FILE *out)
{
	for (guint i = 0; i < binaries->len; i++) {
		const Binary *b = binaries->pdata[i];

		for (guint j = 0; !b->error && j < b->machines->len; j++) {
			const Machine *m = b->machines->pdata[j];
			g_autofree char *line = NULL;

			if (m->hidden->status == RC_NEEDS_STARTS)
				continue;
			line = rc_text_visible(m->hidden->message);
			fprintf(out, "%s %s: %s: %s%s\n", b->arch, m->name,
				rc_needs_status_to_string(m->hidden->status), line,
				m->present->status == RC_NEEDS_STARTS ? ""
								      : " (also with the ROM set)");
		}
	}
}

static void print_paths(GPtrArray *binaries, const char *opt2_dir, FILE *out)
{
	for (guint i = 0; i < binaries->len; i++) {
		const Binary *b = binaries->pdata[i];
		g_autofree char *path = NULL;

		if (b->error)
			continue;
		path = g_strjoinv(":", b->search_path);
		fprintf(out, "%s searches %s\n", b->path, path);
		if (b->nics_only)
			fprintf(out,
				"  its catalog lists NIC models only (format 1, read back by an older "
				"romcompat): display models and firmware not examined\n");
		if (!b->opt2)
			continue;
		g_free(path);
		path = g_strjoinv(":", b->opt2_path);
		fprintf(out, "  Opt2 -L %s: searches %s; %s %s%s%s", opt2_dir, path,
			b->opt2_machine, rc_needs_status_to_string(b->opt2->status),
			b->opt2->romfile ? " " : "", b->opt2->romfile ? b->opt2->romfile : "");
		for (guint j = 0; b->opt2->ramblocks && j < b->opt2->ramblocks->len; j++) {
			const RcRamBlock *rb = b->opt2->ramblocks->pdata[j];

			if (g_str_has_suffix(rb->name, ".rom") &&
			    rc_ramblock_pci_slot(rb->name) >= 0)
				fprintf(out, ", RAM block %s 0x%" G_GINT64_MODIFIER "x", rb->name,
					rb->used);
		}
		fputc('\n', out);
	}
}

static void print_text(GPtrArray *binaries, GPtrArray *packages, const NeedsOptions *o,
		       guint hidden, FILE *out)
{
	guint machines = 0, refusing = 0, inconsistent = 0;
	g_autofree char *roms = rc_text_visible(o->roms);

	for (guint i = 0; i < packages->len; i++) {
		const Package *k = packages->pdata[i];

		machines += k->machines;
		refusing += k->refusing->len;
		inconsistent += !package_consistent(k);
	}
	if (!o->common.quiet) {
		print_binaries(binaries, o->package, out);
		fputc('\n', out);
		print_machines(binaries, out);
		print_paths(binaries, o->opt2_dir, out);
		fputc('\n', out);
		for (guint i = 0; i < packages->len; i++) {
			g_autofree char *verdict = package_verdict(packages->pdata[i], o->package);

			fprintf(out, "%s\n", verdict);
		}
		fputc('\n', out);
	}
	fprintf(out,
		"needs: %u of %u machine types refuse to start by default without %s (%u files "
		"hidden, %s%s); %u of %u packages relate to %s otherwise than they need\n",
		refusing, machines, roms, hidden, RC_ROMHIDE_ISOLATION,
		rc_rom_hide_user_namespace() ? " in a user namespace" : "", inconsistent,
		packages->len, o->package);
	fflush(out);
}

static GOptionContext *needs_context(NeedsOptions *o)
{
	const GOptionEntry entries[] = {
		{"qemu", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->qemus,
		 "a QEMU binary to examine, again for more (default: every qemu-system-* on PATH)",
		 "BIN"},
		{"machines", 0, 0, G_OPTION_ARG_STRING, &o->machines,
		 "machine types to start, comma-separated globs on names and aliases (default: all)",
		 "GLOBS"},
		{"roms", 0, 0, G_OPTION_ARG_FILENAME, &o->roms,
		 "the ROM set to hide: a directory or a file (default " DEFAULT_ROMS ")", "R"},
		{"opt2-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->opt2_dir,
		 "a per-architecture ROM directory given with -L ahead of QEMU's path, tried on "
		 "each binary's first refusing machine type",
		 "DIR"},
		{"jobs", 'j', 0, G_OPTION_ARG_STRING, &o->jobs_text, "QEMUs at once (default 2)",
		 "N"},
		RC_OPTION_JSON(&o->json, "machines, packages, search paths and Opt2 as JSON"),
		G_OPTION_ENTRY_NULL,
	};
	GOptionContext *ctx = rc_command_context(
		"needs", "",
		"Which QEMU binaries and machine types refuse to start without a ROM set.",
		&o->common);

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx,
		"Each machine type starts paused with its default devices (its own NIC), then "
		"without defaults\n"
		"with each NIC model that loads a ROM and each display model that loads a hidden "
		"file,\n"
		"while the ROM set (but for the models its firmware images) is hidden in a private "
		"mount\n"
		"namespace (the system's files are untouched; without root, in a user namespace "
		"that\n"
		"keeps the user's own ids). A binary is named by a path, a program on PATH or\n"
		"debian:PACKAGE=VERSION.\n"
		"Exit status: 0 every binary was examined, 2 bad input, 3 a binary could not "
		"be run\nor the ROM set could not be hidden.");
	return ctx;
}

/* Every input checked before any QEMU: --qemu names, --roms, --opt2-dir. */
static gboolean check_inputs(NeedsOptions *o, GPtrArray *binaries, GError **error)
{
	g_autoptr(GPtrArray) names = NULL;

	if (!o->roms)
		o->roms = g_strdup(DEFAULT_ROMS);
	if (o->opt2_dir && !g_file_test(o->opt2_dir, G_FILE_TEST_IS_DIR)) {
		g_autofree char *shown = rc_text_visible(o->opt2_dir);

		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--opt2-dir %s: not a directory; give the per-architecture ROM "
			    "directory to try ahead of QEMU's search path",
			    shown);
		return FALSE;
	}
	names = o->qemus ? g_ptr_array_new_with_free_func(g_free) : binaries_from_path();
	for (guint i = 0; o->qemus && o->qemus[i]; i++) {
		g_autofree char *path = strchr(o->qemus[i], '/')
						? g_strdup(o->qemus[i])
						: g_find_program_in_path(o->qemus[i]);

		if (!rc_debian_is_source(o->qemus[i]) && (!path || access(path, X_OK) != 0)) {
			g_autofree char *shown = rc_text_visible(o->qemus[i]);

			g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
				    "--qemu %s: no such QEMU binary; give a qemu-system-* on PATH, "
				    "its path, or debian:PACKAGE=VERSION",
				    shown);
			return FALSE;
		}
		g_ptr_array_add(names, g_strdup(o->qemus[i]));
	}
	for (guint i = 0; i < names->len; i++) {
		Binary *b = g_new0(Binary, 1);

		b->qemu = g_strdup(names->pdata[i]);
		b->machines = g_ptr_array_new_with_free_func(machine_free);
		g_ptr_array_add(binaries, b);
	}
	return TRUE;
}

/* Each binary's catalog, path, package; a warning for one that cannot run. */
static gboolean examine_all(GPtrArray *binaries, const NeedsOptions *o, const char *const *names,
			    gboolean *failed, GError **error)
{
	guint machines = 0;

	for (guint i = 0; i < binaries->len; i++) {
		Binary *b = binaries->pdata[i];
		g_autofree char *why = NULL;

		if (!examine_binary(b, o, names, error))
			return FALSE;
		machines += b->machines->len;
		if (!b->error)
			continue;
		why = rc_text_visible(b->error);
		fprintf(stderr, "romcompat: warning: %s not examined: %s\n", b->qemu, why);
		*failed = TRUE;
	}
	if (machines == 0 && !*failed) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "--machines %s matches no machine type of the QEMU binaries; see "
			    "'QEMU -machine help' for their names",
			    o->machines ? o->machines : "");
		return FALSE;
	}
	return TRUE;
}

/**
 * rc_cmd_needs() - `romcompat needs`: which binaries and machine types
 * refuse to start without a ROM set, and what their packages say
 * @argc:	argument count (argv[0] is "needs")
 * @argv:	[--qemu BIN]... [--machines GLOBS] [--roms R] [--opt2-dir DIR]
 *		[-j N] [--json FILE] [-q | -v]
 * @exit_status: 0 every binary examined, 3 one could not be run
 * @error:	set for bad input (2), files that cannot be hidden (3), a
 *		failed write or a signal
 *
 * Return: TRUE when the report was written
 */
gboolean rc_cmd_needs(int argc, char **argv, int *exit_status, GError **error)
{
	g_auto(NeedsOptions) o = {0};
	g_autoptr(GOptionContext) ctx = needs_context(&o);
	g_autoptr(GPtrArray) binaries = g_ptr_array_new_with_free_func(binary_free);
	g_autoptr(GPtrArray) packages = NULL;
	g_autoptr(json_object) doc = NULL;
	g_auto(GStrv) names = NULL;
	g_auto(GStrv) kept = NULL;
	Phase present = {.defaults = TRUE};
	RcReportOption reports[1];
	gboolean failed = FALSE;
	guint jobs = 2, hidden = 0;

	if (!rc_command_parse_options(ctx, &o.common, &argc, &argv, error))
		return FALSE;
	reports[0] = (RcReportOption){"--json", o.json};
	if (!rc_command_check_reports(reports, G_N_ELEMENTS(reports), &o.common, error) ||
	    (o.jobs_text && !rc_command_parse_jobs(o.jobs_text, &jobs, error)))
		return FALSE;
	if (argc != 1) {
		g_set_error(error, RC_ERROR, RC_ERROR_USAGE,
			    "needs: takes no operand ('%s'); name QEMU binaries with --qemu",
			    argv[1]);
		return FALSE;
	}
	rc_qemu_install_signal_handlers();
	/* The namespaces while the process has one thread: a user namespace needs it. */
	if (!check_inputs(&o, binaries, error) || !(names = rom_names(o.roms, error)) ||
	    !(o.package = set_package(o.roms, (const char *const *)names)) ||
	    !rc_rom_hide_enter(error) ||
	    !rc_child_registry_reserve(jobs + RC_REGISTRY_SPARE, error) ||
	    !examine_all(binaries, &o, (const char *const *)names, &failed, error))
		return FALSE;
	kept = firmware_of(binaries);
	if (!run_phase(binaries, &present, jobs, &o.common, error) ||
	    !run_hidden(binaries, (const char *const *)names, &o, jobs, (const char *const *)kept,
			&hidden, error))
		return FALSE;
	packages = packages_of(binaries);
	doc = needs_json(binaries, packages, &o, (const char *const *)names,
			 (const char *const *)kept);
	if (o.json && !rc_command_write_json(doc, o.json, error))
		return FALSE;
	print_text(binaries, packages, &o, hidden, o.common.text);
	*exit_status = failed ? RC_EXIT_INFRA : RC_EXIT_COMPATIBLE;
	return TRUE;
}
