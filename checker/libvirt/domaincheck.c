/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * domaincheck.c - which NICs of a real VM would stop it from restoring (or
 * migrating) on a host with a new ROM directory.
 *
 * Theory of operation: the scratch copy of the VM (domainxml.c) is started
 * paused with the ROMs it loads today and saved.  It is then restored with
 * every NIC given its ROM from the new directory.  A restore that fails
 * names one RAM block ("Size mismatch: 0000:00:03.0/e1000.rom: ..."): the
 * NICs of that device model are failed with QEMU's line, given their old
 * ROM back, and the restore is tried again, until it succeeds (every NIC
 * still on a new ROM is proved by that restore) or fails for a reason no
 * NIC owns.  Each verdict is therefore QEMU's own.
 */
#include <string.h>

#include "libvirt/domaincheck.h"
#include "base/error.h"
#include "qemu/ramblock.h"
#include "base/trace.h"

static void result_free(gpointer p)
{
	RcDomainNicResult *r = p;

	g_free(r->old_rom);
	g_free(r->new_rom);
	g_free(r->message);
	g_free(r);
}

/* The size of the ROM block of @device's NIC(s) among @blocks, or 0. */
static guint64 block_size(GPtrArray *blocks, const char *device)
{
	g_autofree char *suffix = g_strdup_printf("/%s.rom", device);

	for (guint i = 0; blocks && i < blocks->len; i++) {
		const RcRamBlock *b = g_ptr_array_index(blocks, i);

		if (g_str_has_suffix(b->name, suffix))
			return b->used;
	}
	return 0;
}

/* What QEMU gave each NIC's ROM on both sides: the sizes that must agree. */
static void note_blocks(GPtrArray *results, const RcMigrationOutcome *out)
{
	for (guint i = 0; i < results->len; i++) {
		RcDomainNicResult *r = g_ptr_array_index(results, i);

		if (!r->old_rom)
			continue;
		r->old_size = block_size(out->src_blocks, r->nic->device);
		r->new_size = block_size(out->dst_blocks, r->nic->device);
	}
}

/* The ROM a NIC loads today and its namesake in the new directory. */
static gboolean plan_nic(RcDomainNicResult *r, const char *machine_name,
			 const RcCatalogMachine *machine, const char *dir, GError **error)
{
	const RcDomainNic *nic = r->nic;
	const RcCatalogNic *cn = machine ? rc_catalog_machine_find_nic(machine, nic->device) : NULL;
	g_autofree char *base = NULL;

	if (nic->rom_disabled) {
		r->pending = FALSE;
		r->message = g_strdup("no ROM (<rom enabled='no'/>): nothing to check");
		return TRUE;
	}
	if (nic->rom_file) {
		r->old_rom = g_strdup(nic->rom_file);
	} else if (cn && cn->romfile && *cn->romfile) {
		r->old_rom = g_strdup(cn->romfile);
	} else {
		r->pending = FALSE;
		r->message = g_strdup_printf("%s loads no ROM on %s", nic->device, machine_name);
		return TRUE;
	}
	base = g_path_get_basename(r->old_rom);
	r->new_rom = g_build_filename(dir, base, NULL);
	if (!g_file_test(r->new_rom, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "--new-rom-dir %s has no %s, the ROM that %s loads (give the directory "
			    "of the new *.rom files)",
			    dir, base, nic->label);
		return FALSE;
	}
	return TRUE;
}

/* Give every NIC still under test its new ROM, the others their old one. */
static void assign_roms(RcDomainXml *dom, GPtrArray *results)
{
	for (guint i = 0; i < results->len; i++) {
		const RcDomainNicResult *r = g_ptr_array_index(results, i);

		rc_domain_xml_set_rom(dom, i, r->pending ? r->new_rom : r->nic->rom_file);
	}
}

/* The NICs under test whose device owns @block ("0000:00:03.0/e1000.rom"). */
static guint blame(GPtrArray *results, const RcMigrationOutcome *out)
{
	const char *slash = out->block ? strrchr(out->block, '/') : NULL;
	guint n = 0;

	for (guint i = 0; slash && i < results->len; i++) {
		RcDomainNicResult *r = g_ptr_array_index(results, i);
		g_autofree char *suffix = g_strdup_printf("/%s.rom", r->nic->device);

		if (!r->pending || strcmp(slash, suffix) != 0)
			continue;
		r->pending = FALSE;
		r->verdict = RC_VERDICT_FAIL;
		r->kind = out->kind;
		r->message = g_strdup(out->message);
		n++;
	}
	return n;
}

static void finish_all(GPtrArray *results, RcVerdict verdict, RcKind kind, const char *message)
{
	for (guint i = 0; i < results->len; i++) {
		RcDomainNicResult *r = g_ptr_array_index(results, i);

		if (!r->pending)
			continue;
		r->pending = FALSE;
		r->verdict = verdict;
		r->kind = kind;
		r->message = g_strdup(message);
	}
}

static GPtrArray *check(RcLibvirt *lv, RcDomainXml *dom, const RcCatalog *catalog,
			const char *new_rom_dir, RcMigrationOutcome *out, RcLibvirtSaved **saved,
			GError **error)
{
	g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func(result_free);
	GPtrArray *nics = rc_domain_xml_nics(dom);
	const RcCatalogMachine *machine =
		rc_catalog_find_machine(catalog, rc_domain_xml_machine(dom));
	g_autofree char *uuid = NULL;
	g_autofree char *probe_uuid = NULL;
	g_autofree char *name = rc_libvirt_domain_name(&uuid);
	g_autofree char *probe_name = rc_libvirt_domain_name(&probe_uuid);
	g_autofree char *src_xml = NULL;
	g_autofree char *probe_xml = NULL;
	g_autoptr(GError) local = NULL;
	guint pending = 0;

	for (guint i = 0; i < nics->len; i++) {
		RcDomainNicResult *r = g_new0(RcDomainNicResult, 1);

		r->nic = g_ptr_array_index(nics, i);
		r->verdict = RC_VERDICT_NOT_RUN;
		r->pending = TRUE;
		g_ptr_array_add(results, r);
		if (!plan_nic(r, rc_domain_xml_machine(dom), machine, new_rom_dir, error) ||
		    !rc_libvirt_check_rom(lv, r->nic->rom_file, error) ||
		    !rc_libvirt_check_rom(lv, r->new_rom, error))
			return NULL;
		pending += r->pending;
	}
	if (!pending)
		return g_steal_pointer(&results);

	/* The VM as it runs today, then the destination's blocks. */
	src_xml = rc_domain_xml_render(dom, name, uuid);
	assign_roms(dom, results);
	probe_xml = rc_domain_xml_render(dom, probe_name, probe_uuid);
	rc_trace("domain check: source XML:\n%s", src_xml);
	if (!rc_libvirt_probe(lv, probe_xml, out)) {
		finish_all(results, RC_VERDICT_ERROR, out->kind, out->message);
		return g_steal_pointer(&results);
	}
	if (!(*saved = rc_libvirt_save(lv, src_xml, name, out, &local))) {
		if (local) {
			g_propagate_error(error, g_steal_pointer(&local));
			return NULL;
		}
		finish_all(results, RC_VERDICT_ERROR, out->kind, out->message);
		return g_steal_pointer(&results);
	}
	note_blocks(results, out);
	for (guint attempt = 0; pending; attempt++) {
		g_autofree char *dst_xml = NULL;

		assign_roms(dom, results);
		dst_xml = rc_domain_xml_render(dom, name, uuid);
		rc_trace("domain check: restore %u:\n%s", attempt + 1, dst_xml);
		if (rc_libvirt_restore(lv, *saved, dst_xml, out)) {
			finish_all(results, RC_VERDICT_PASS, RC_KIND_OK,
				   "restored with the new ROM");
			break;
		}
		if ((out->kind != RC_KIND_ROM_SIZE_MISMATCH &&
		     out->kind != RC_KIND_UNKNOWN_RAMBLOCK) ||
		    !blame(results, out)) {
			finish_all(results, RC_VERDICT_ERROR, out->kind, out->message);
			break;
		}
		pending = 0;
		for (guint i = 0; i < results->len; i++)
			pending += ((RcDomainNicResult *)g_ptr_array_index(results, i))->pending;
	}
	/* The copy keeps the ROMs the VM has today. */
	for (guint i = 0; i < nics->len; i++)
		rc_domain_xml_set_rom(dom, i,
				      ((RcDomainNic *)g_ptr_array_index(nics, i))->rom_file);
	return g_steal_pointer(&results);
}

/**
 * rc_domain_check() - check a VM's NICs against a new ROM directory
 * @lv:		the libvirt connection
 * @dom:	the VM's scratch copy (its ROM settings are changed and put back)
 * @catalog:	the catalog of the VM's QEMU: the ROM each NIC loads by default
 * @new_rom_dir: the directory of the new ROM files
 * @error:	set for bad input (a ROM missing from @new_rom_dir), or when the
 *		copy could not be saved for a reason of the host
 *
 * Return: RcDomainNicResult *, one per NIC in document order, or NULL
 */
GPtrArray *rc_domain_check(RcLibvirt *lv, RcDomainXml *dom, const RcCatalog *catalog,
			   const char *new_rom_dir, GError **error)
{
	RcMigrationOutcome *out = g_new0(RcMigrationOutcome, 1);
	RcLibvirtSaved *saved = NULL;
	GPtrArray *results = check(lv, dom, catalog, new_rom_dir, out, &saved, error);

	rc_libvirt_saved_free(saved);
	rc_migration_outcome_free(out);
	return results;
}
