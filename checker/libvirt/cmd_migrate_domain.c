/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_migrate_domain.c - `romcompat migrate --domain-xml FILE --new-rom-dir
 * DIR`: a real VM's NICs checked through libvirt (domaincheck.c), the
 * verdict printed as a table (or its verdict line alone, -q), and the
 * JSON report written to --json FILE.  Part of the libvirt module: the
 * migrate command (cmd_migrate.c) checks the options and calls it through
 * backend.c.
 */
#include <stdio.h>
#include <string.h>

#include "libvirt/backend_libvirt.h"
#include "qemu/discover.h"
#include "libvirt/domaincheck.h"
#include "base/error.h"
#include "base/jsonutil.h"
#include "base/output.h"
#include "qemu/qemu_binary.h"
#include "qemu/qemu_process.h"
#include "base/texttable.h"
#include "base/units.h"

static const char *verdict_word(const RcDomainNicResult *r)
{
	switch (r->verdict) {
	case RC_VERDICT_PASS:
		return "restores";
	case RC_VERDICT_FAIL:
		return "FAILS";
	case RC_VERDICT_ERROR:
		return "ERROR";
	case RC_VERDICT_NOT_RUN:
		break;
	}
	return "not checked";
}

static char *rom_text(const char *rom, guint64 size)
{
	g_autofree char *base = rom ? g_path_get_basename(rom) : NULL;
	g_autofree char *bucket = size ? rc_format_bucket(size) : NULL;

	if (!rom)
		return g_strdup("-");
	return bucket ? g_strdup_printf("%s (%s)", base, bucket) : g_strdup(base);
}

/* The verdict line: how many NICs would stop the VM. */
static void print_verdict(GPtrArray *results, FILE *out)
{
	guint failing = 0;

	for (guint i = 0; i < results->len; i++)
		failing += ((const RcDomainNicResult *)g_ptr_array_index(results, i))->verdict ==
			   RC_VERDICT_FAIL;
	if (failing)
		fprintf(out,
			"INCOMPATIBLE: %u of %u NICs would stop this VM from restoring or migrating "
			"to a host with these ROMs\n",
			failing, results->len);
	else
		fprintf(out, "The VM restores with these ROMs.\n");
}

static void print_domain(const RcDomainXml *dom, const char *backend, GPtrArray *results, FILE *out)
{
	g_autoptr(RcTextTable) table = rc_text_table_new(5);
	GPtrArray *removed = rc_domain_xml_removed(dom);

	fprintf(out, "VM %s, machine type %s: a scratch copy saved and restored through %s\n",
		rc_domain_xml_name(dom) ? rc_domain_xml_name(dom) : "(unnamed)",
		rc_domain_xml_machine(dom), backend);
	if (removed->len) {
		g_autofree char *list = NULL;

		g_ptr_array_add(removed, NULL);
		list = g_strjoinv(", ", (char **)removed->pdata);
		g_ptr_array_remove_index(removed, removed->len - 1);
		fprintf(out, "left out of the copy: %s\n", list);
	}
	fputc('\n', out);
	rc_text_table_add(table, "NIC", "ROM today", "new ROM", "verdict", "QEMU says",
			  (char *)NULL);
	for (guint i = 0; i < results->len; i++) {
		const RcDomainNicResult *r = g_ptr_array_index(results, i);

		rc_text_table_add_take(table, g_strdup(r->nic->label),
				       rom_text(r->old_rom, r->old_size),
				       rom_text(r->new_rom, r->new_size), g_strdup(verdict_word(r)),
				       g_strdup(r->message ? r->message : ""), (char *)NULL);
	}
	rc_text_table_print(table, out, "  ");
	fputc('\n', out);
	print_verdict(results, out);
}

static gboolean write_json_document(FILE *out, gconstpointer data)
{
	return rc_json_print((json_object *)data, out, NULL);
}

static json_object *domain_json(const RcDomainXml *dom, const char *backend, GPtrArray *results)
{
	json_object *doc = json_object_new_object();
	json_object *nics = json_object_new_array();
	json_object *removed = json_object_new_array();

	for (guint i = 0; i < rc_domain_xml_removed(dom)->len; i++)
		json_object_array_add(removed, json_object_new_string(g_ptr_array_index(
						       rc_domain_xml_removed(dom), i)));
	for (guint i = 0; i < results->len; i++) {
		const RcDomainNicResult *r = g_ptr_array_index(results, i);
		json_object *o = json_object_new_object();

		json_object_object_add(o, "nic", json_object_new_string(r->nic->label));
		json_object_object_add(o, "model", json_object_new_string(r->nic->model));
		json_object_object_add(o, "device", json_object_new_string(r->nic->device));
		json_object_object_add(o, "old-rom",
				       r->old_rom ? json_object_new_string(r->old_rom) : NULL);
		json_object_object_add(o, "new-rom",
				       r->new_rom ? json_object_new_string(r->new_rom) : NULL);
		json_object_object_add(o, "old-block-size", json_object_new_uint64(r->old_size));
		json_object_object_add(o, "new-block-size", json_object_new_uint64(r->new_size));
		json_object_object_add(o, "verdict",
				       json_object_new_string(rc_verdict_to_string(r->verdict)));
		json_object_object_add(o, "kind",
				       json_object_new_string(rc_kind_to_string(r->kind)));
		json_object_object_add(o, "message",
				       r->message ? json_object_new_string(r->message) : NULL);
		json_object_array_add(nics, o);
	}
	json_object_object_add(
		doc, "vm",
		rc_domain_xml_name(dom) ? json_object_new_string(rc_domain_xml_name(dom)) : NULL);
	json_object_object_add(doc, "machine", json_object_new_string(rc_domain_xml_machine(dom)));
	json_object_object_add(doc, "backend", json_object_new_string(backend));
	json_object_object_add(doc, "left-out", removed);
	json_object_object_add(doc, "nics", nics);
	return doc;
}

/**
 * rc_libvirt_check_domain() - `migrate --domain-xml FILE --new-rom-dir DIR`
 * @request:	what to check (options already checked for usage)
 * @exit_status: 0 every NIC restores, 1 some NIC fails, 3 QEMU or libvirt
 *		could not be run
 * @error:	set for bad input or an unreachable daemon
 *
 * Return: TRUE when a verdict was printed
 */
gboolean rc_libvirt_check_domain(const RcDomainRequest *request, int *exit_status, GError **error)
{
	const RcDomainRequest *o = request;
	g_autoptr(RcLibvirt) lv = NULL;
	g_autoptr(RcDomainXml) dom = NULL;
	g_autoptr(RcCatalog) catalog = NULL;
	g_autoptr(GPtrArray) results = NULL;
	g_autofree char *backend_text = NULL;
	g_autofree char *qemu = NULL;
	const char *accel;
	int status = RC_EXIT_COMPATIBLE;

	if (!g_file_test(o->new_rom_dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(
			error, RC_ERROR, RC_ERROR_INPUT,
			"--new-rom-dir %s: not a directory (give the directory of the new *.rom "
			"files)",
			o->new_rom_dir);
		return FALSE;
	}
	if (!(accel = rc_qemu_pick_accel(o->accel, error)))
		return FALSE;
	if (!(dom = rc_domain_xml_load(o->domain_xml, strcmp(accel, "kvm") == 0, error)))
		return FALSE;
	/* Before a package's QEMU is fetched or a catalog read back from QEMU. */
	rc_qemu_install_signal_handlers();
	if (!(qemu = rc_qemu_find_binary(rc_domain_xml_emulator(dom), error)) ||
	    !(catalog = rc_catalog_for_qemu(qemu, NULL, error)))
		return FALSE;
	if (!rc_catalog_find_machine(catalog, rc_domain_xml_machine(dom))) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: machine type %s is not one %s has (see 'romcompat machines')",
			    o->domain_xml, rc_domain_xml_machine(dom), qemu);
		return FALSE;
	}
	for (guint i = 0; i < rc_domain_xml_nics(dom)->len; i++) {
		const RcDomainNic *nic = g_ptr_array_index(rc_domain_xml_nics(dom), i);
		const RcCatalogMachine *m =
			rc_catalog_find_machine(catalog, rc_domain_xml_machine(dom));

		if (!rc_catalog_machine_find_nic(m, nic->device)) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "%s: %s: NIC model '%s' is not one %s has on %s", o->domain_xml,
				    nic->label, nic->model, qemu, rc_domain_xml_machine(dom));
			return FALSE;
		}
	}
	if (!(lv = rc_libvirt_open(o->connect ? o->connect : RC_LIBVIRT_DEFAULT_URI, error)))
		return FALSE;
	backend_text = g_strdup_printf("libvirt (%s)", rc_libvirt_uri(lv));
	if (!(results = rc_domain_check(lv, dom, catalog, o->new_rom_dir, error)))
		return FALSE;
	if (o->quiet)
		print_verdict(results, o->text);
	else
		print_domain(dom, backend_text, results, o->text);
	fflush(o->text);
	if (o->json) {
		g_autoptr(json_object) doc = domain_json(dom, backend_text, results);

		if (!rc_output_write(o->json, "report", write_json_document, doc, error))
			return FALSE;
	}
	for (guint i = 0; i < results->len; i++) {
		const RcDomainNicResult *r = g_ptr_array_index(results, i);

		if (r->verdict == RC_VERDICT_FAIL || r->verdict == RC_VERDICT_ERROR)
			status = rc_exit_worse(status, rc_kind_exit_code(r->kind));
	}
	*exit_status = status;
	return TRUE;
}
