/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * domainxml.c - a real VM's domain XML (as `virsh dumpxml` prints it) made
 * into a scratch copy for a save/restore check.
 *
 * The copy gets a new name and UUID (set when it is rendered); everything
 * that reaches outside QEMU is taken out: disks, host devices, shared
 * directories, consoles and channels with their sockets and files,
 * graphics, TPMs, the NVRAM file, direct-boot kernels, resource tuning
 * that needs privileges, and the host-side networking of every NIC (each
 * becomes user networking with the same MAC, model, ROM and address).
 * What decides the ROM RAM blocks stays as it is: the machine type, the
 * NIC models and their <rom> settings, the PCI layout.  Guest RAM is capped
 * at 1 GiB; its size does not change any ROM block.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "qemu/catalog.h"
#include "libvirt/domainxml.h"
#include "base/error.h"
#include "base/input.h"

#define MAX_MEMORY_MIB 1024
/* virsh dumpxml of a large VM is tens of KiB. */
#define DOMAIN_XML_MAX (4u * 1024 * 1024)

struct RcDomainXml {
	xmlDocPtr doc;
	char *name;
	char *machine;
	char *emulator;
	GPtrArray *nics;      /* RcDomainNic * */
	GPtrArray *nic_nodes; /* xmlNodePtr, the <interface> of each NIC */
	GPtrArray *removed;   /* char *: what the copy leaves out, for people */
};

/* Top-level elements that need privileges or describe the real VM only. */
static const char *const drop_top[] = {
	"seclabel",	 "resource",	  "cputune",   "numatune", "memtune",	  "blkiotune",
	"memoryBacking", "currentMemory", "maxMemory", "title",	   "description", "metadata",
};

/* Devices that reach outside QEMU (files, sockets, host hardware, audio). */
static const char *const drop_devices[] = {
	"disk",	   "hostdev",  "filesystem", "redirdev", "redirfilter", "smartcard",
	"channel", "graphics", "serial",     "console",	 "parallel",	"tpm",
	"rng",	   "shmem",    "vsock",	     "sound",	 "audio",	"lease",
};

/* What an <interface> keeps: the guest side. */
static const char *const keep_interface[] = {"mac", "model", "rom", "address", "alias", "boot"};

static void nic_free(gpointer p)
{
	RcDomainNic *nic = p;

	g_free(nic->label);
	g_free(nic->model);
	g_free(nic->device);
	g_free(nic->rom_file);
	g_free(nic);
}

/**
 * rc_domain_xml_free() - free a scratch copy
 * @dom:	the copy, or NULL
 */
void rc_domain_xml_free(RcDomainXml *dom)
{
	if (!dom)
		return;
	if (dom->doc)
		xmlFreeDoc(dom->doc);
	g_free(dom->name);
	g_free(dom->machine);
	g_free(dom->emulator);
	if (dom->nics)
		g_ptr_array_unref(dom->nics);
	if (dom->nic_nodes)
		g_ptr_array_unref(dom->nic_nodes);
	if (dom->removed)
		g_ptr_array_unref(dom->removed);
	g_free(dom);
}

static gboolean named(xmlNodePtr node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
		if (named(n, name))
			return n;
	return NULL;
}

static char *prop(xmlNodePtr node, const char *name)
{
	xmlChar *v = node ? xmlGetProp(node, (const xmlChar *)name) : NULL;
	char *copy = v ? g_strdup((const char *)v) : NULL;

	xmlFree(v);
	return copy;
}

static char *text_of(xmlNodePtr node)
{
	xmlChar *v = node ? xmlNodeGetContent(node) : NULL;
	char *copy = v ? g_strstrip(g_strdup((const char *)v)) : NULL;

	xmlFree(v);
	return copy;
}

static gboolean in_list(const char *name, const char *const *list, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return TRUE;
	return FALSE;
}

/* Unlink the children of @parent listed in @list; count them in @counts. */
static void drop_children(xmlNodePtr parent, const char *const *list, gsize n, GPtrArray *dropped)
{
	xmlNodePtr next;

	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = next) {
		next = c->next;
		if (c->type != XML_ELEMENT_NODE || !in_list((const char *)c->name, list, n))
			continue;
		g_ptr_array_add(dropped, g_strdup((const char *)c->name));
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "disk", "disk", "graphics" -> "2 disk", "graphics", into dom->removed. */
static void note_counts(RcDomainXml *dom, GPtrArray *dropped)
{
	g_ptr_array_sort(dropped, compare_names);
	for (guint i = 0; i < dropped->len;) {
		const char *name = g_ptr_array_index(dropped, i);
		guint n = 1;

		while (i + n < dropped->len && strcmp(g_ptr_array_index(dropped, i + n), name) == 0)
			n++;
		g_ptr_array_add(dom->removed,
				n == 1 ? g_strdup(name) : g_strdup_printf("%u %s", n, name));
		i += n;
	}
}

/* QEMU's device for a libvirt model. */
static char *qemu_device(const char *model)
{
	if (strcmp(model, "virtio") == 0)
		return g_strdup("virtio-net-pci");
	if (strcmp(model, "virtio-transitional") == 0)
		return g_strdup("virtio-net-pci-transitional");
	if (strcmp(model, "virtio-non-transitional") == 0)
		return g_strdup("virtio-net-pci-non-transitional");
	return g_strdup(model);
}

/* One <interface>: guest side kept, host side made user networking. */
static gboolean scratch_interface(RcDomainXml *dom, xmlNodePtr iface, const char *arch,
				  const char *path, GError **error)
{
	RcDomainNic *nic = g_new0(RcDomainNic, 1);
	g_autofree char *type = prop(iface, "type");
	xmlNodePtr model = child(iface, "model");
	xmlNodePtr rom = child(iface, "rom");
	g_autofree char *alias = prop(child(iface, "alias"), "name");
	g_autofree char *mac = prop(child(iface, "mac"), "address");
	g_autofree char *enabled = prop(rom, "enabled");
	xmlNodePtr next;

	for (xmlNodePtr c = iface->children; c; c = next) {
		next = c->next;
		if (c->type == XML_ELEMENT_NODE &&
		    in_list((const char *)c->name, keep_interface, G_N_ELEMENTS(keep_interface)))
			continue;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	xmlSetProp(iface, (const xmlChar *)"type", (const xmlChar *)"user");
	xmlUnsetProp(iface, (const xmlChar *)"managed");
	nic->model = prop(model, "type");
	if (!nic->model) {
		/* libvirt's default model, made explicit so both sides agree. */
		nic->model = g_strdup(g_strcmp0(arch, "x86_64") == 0 || g_strcmp0(arch, "i686") == 0
					      ? "rtl8139"
					      : "virtio");
		model = xmlNewChild(iface, NULL, (const xmlChar *)"model", NULL);
		xmlSetProp(model, (const xmlChar *)"type", (const xmlChar *)nic->model);
	}
	if (!rc_catalog_name_is_valid(nic->model)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: interface model '%s' is not a NIC model name", path, nic->model);
		nic_free(nic);
		return FALSE;
	}
	nic->device = qemu_device(nic->model);
	nic->rom_file = prop(rom, "file");
	nic->rom_disabled = g_strcmp0(enabled, "no") == 0;
	nic->label = g_strdup_printf("%s (%s%s%s)", alias ? alias : "interface", nic->model,
				     mac ? ", " : "", mac ? mac : "");
	if (g_strcmp0(type, "user") != 0)
		g_ptr_array_add(
			dom->removed,
			g_strdup_printf("the host side of %s (type '%s', now user networking)",
					alias ? alias : nic->model, type ? type : "?"));
	g_ptr_array_add(dom->nics, nic);
	g_ptr_array_add(dom->nic_nodes, iface);
	return TRUE;
}

static gboolean scratch_devices(RcDomainXml *dom, xmlNodePtr devices, const char *arch,
				const char *path, GError **error)
{
	g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func(g_free);
	xmlNodePtr next;

	drop_children(devices, drop_devices, G_N_ELEMENTS(drop_devices), counts);
	note_counts(dom, counts);
	for (xmlNodePtr c = devices ? devices->children : NULL; c; c = next) {
		g_autofree char *type = NULL;

		next = c->next;
		if (!named(c, "interface"))
			continue;
		type = prop(c, "type");
		if (g_strcmp0(type, "hostdev") == 0 || g_strcmp0(type, "vdpa") == 0) {
			/* A host device's ROM is the card's, not QEMU's. */
			g_ptr_array_add(dom->removed,
					g_strdup_printf("a '%s' interface (host hardware)", type));
			xmlUnlinkNode(c);
			xmlFreeNode(c);
			continue;
		}
		if (!scratch_interface(dom, c, arch, path, error))
			return FALSE;
	}
	return TRUE;
}

static void scratch_os(RcDomainXml *dom, xmlNodePtr os)
{
	static const char *const drop_os[] = {"nvram", "kernel", "initrd", "cmdline", "dtb"};
	g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func(g_free);

	drop_children(os, drop_os, G_N_ELEMENTS(drop_os), counts);
	note_counts(dom, counts);
}

static void scratch_memory(RcDomainXml *dom, xmlNodePtr root)
{
	xmlNodePtr memory = child(root, "memory");
	g_autofree char *value = text_of(memory);
	g_autofree char *unit = prop(memory, "unit");
	guint64 mib = 256;
	g_autofree char *text = NULL;

	if (value) {
		guint64 n = g_ascii_strtoull(value, NULL, 10);
		guint shift =
			!unit || g_ascii_strcasecmp(unit, "KiB") == 0 ||
					g_ascii_strcasecmp(unit, "k") == 0
				? 10
			: g_ascii_strcasecmp(unit, "GiB") == 0 || g_ascii_strcasecmp(unit, "G") == 0
				? 30
			: g_ascii_strcasecmp(unit, "MiB") == 0 || g_ascii_strcasecmp(unit, "M") == 0
				? 20
				: 0;

		mib = shift >= 20 ? n << (shift - 20) : n >> (20 - shift);
	}
	if (mib > MAX_MEMORY_MIB) {
		g_ptr_array_add(dom->removed,
				g_strdup_printf("guest RAM above %u MiB (%" G_GUINT64_FORMAT
						" MiB; RAM size does not change ROM blocks)",
						MAX_MEMORY_MIB, mib));
		mib = MAX_MEMORY_MIB;
	}
	if (mib == 0)
		mib = 256;
	if (memory) {
		xmlUnlinkNode(memory);
		xmlFreeNode(memory);
	}
	text = g_strdup_printf("%" G_GUINT64_FORMAT, mib);
	memory = xmlNewChild(root, NULL, (const xmlChar *)"memory", (const xmlChar *)text);
	xmlSetProp(memory, (const xmlChar *)"unit", (const xmlChar *)"MiB");
}

static xmlDocPtr parse(const char *path, GError **error)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	g_autofree char *text = NULL;
	gsize length = 0;

	/* Read without blocking (a FIFO is refused) and within a bound. */
	if (!rc_input_read(path, "--domain-xml", DOMAIN_XML_MAX, &text, &length, error))
		return NULL;
	if (length > G_MAXINT || !(ctxt = xmlNewParserCtxt())) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "%s: out of memory", path);
		return NULL;
	}
	/* No network, no entity expansion, no DTD loading: the file is untrusted. */
	doc = xmlCtxtReadMemory(ctxt, text, (int)length, path, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		g_autofree char *msg =
			g_strstrip(g_strdup(e && e->message ? e->message : "cannot be read"));

		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s:%d: not a domain XML: %s (give the output of 'virsh dumpxml VM')",
			    path, e ? e->line : 0, msg);
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

static gboolean load_into(RcDomainXml *dom, const char *path, gboolean kvm, GError **error)
{
	g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func(g_free);
	xmlNodePtr root, os, type;
	g_autofree char *arch = NULL;

	if (!(dom->doc = parse(path, error)))
		return FALSE;
	root = xmlDocGetRootElement(dom->doc);
	if (!root || !named(root, "domain")) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: the root element is not <domain> (give the output of 'virsh "
			    "dumpxml VM')",
			    path);
		return FALSE;
	}
	dom->name = text_of(child(root, "name"));
	os = child(root, "os");
	type = child(os, "type");
	dom->machine = prop(type, "machine");
	arch = prop(type, "arch");
	if (!dom->machine || !rc_catalog_name_is_valid(dom->machine)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "%s: no machine type in <os><type machine='...'> (virsh dumpxml of a "
			    "defined VM always has one)",
			    path);
		return FALSE;
	}
	dom->emulator = text_of(child(child(root, "devices"), "emulator"));
	if (!child(root, "devices"))
		xmlNewChild(root, NULL, (const xmlChar *)"devices", NULL);
	if (!dom->emulator) {
		dom->emulator = g_strdup_printf("/usr/bin/qemu-system-%s", arch ? arch : "x86_64");
		xmlNewTextChild(child(root, "devices"), NULL, (const xmlChar *)"emulator",
				(const xmlChar *)dom->emulator);
	}
	xmlSetProp(root, (const xmlChar *)"type", (const xmlChar *)(kvm ? "kvm" : "qemu"));
	xmlUnsetProp(root, (const xmlChar *)"id");
	drop_children(root, drop_top, G_N_ELEMENTS(drop_top), counts);
	if (!kvm) {
		static const char *const cpu[] = {"cpu"};

		drop_children(root, cpu, 1, counts);
	}
	note_counts(dom, counts);
	scratch_memory(dom, root);
	scratch_os(dom, os);
	if (!scratch_devices(dom, child(root, "devices"), arch, path, error))
		return FALSE;
	return TRUE;
}

/**
 * rc_domain_xml_load() - read a VM's domain XML and make the scratch copy
 * @path:	the XML file
 * @kvm:	the copy will run with KVM (else TCG: a host CPU model is dropped)
 * @error:	set (RC_ERROR_INPUT) when the file is missing, not XML, not a
 *		domain, has no machine type, or names a NIC model that is no name
 *
 * Return: the copy, or NULL with @error set
 */
RcDomainXml *rc_domain_xml_load(const char *path, gboolean kvm, GError **error)
{
	RcDomainXml *dom = g_new0(RcDomainXml, 1);

	dom->nics = g_ptr_array_new_with_free_func(nic_free);
	dom->nic_nodes = g_ptr_array_new();
	dom->removed = g_ptr_array_new_with_free_func(g_free);
	if (!load_into(dom, path, kvm, error)) {
		rc_domain_xml_free(dom);
		return NULL;
	}
	return dom;
}

/**
 * rc_domain_xml_name() - the real VM's name
 * @dom:	the copy
 *
 * Return: the name (owned by @dom), or NULL
 */
const char *rc_domain_xml_name(const RcDomainXml *dom)
{
	return dom->name;
}

/**
 * rc_domain_xml_machine() - the VM's machine type
 * @dom:	the copy
 *
 * Return: the machine type (owned by @dom)
 */
const char *rc_domain_xml_machine(const RcDomainXml *dom)
{
	return dom->machine;
}

/**
 * rc_domain_xml_emulator() - the QEMU binary the VM runs
 * @dom:	the copy
 *
 * Return: its path (owned by @dom)
 */
const char *rc_domain_xml_emulator(const RcDomainXml *dom)
{
	return dom->emulator;
}

/**
 * rc_domain_xml_nics() - the VM's NICs, in document order
 * @dom:	the copy
 *
 * Return: RcDomainNic * (owned by @dom)
 */
GPtrArray *rc_domain_xml_nics(const RcDomainXml *dom)
{
	return dom->nics;
}

/**
 * rc_domain_xml_removed() - what the scratch copy leaves out, for people
 * @dom:	the copy
 *
 * Return: char * ("2 disk", "graphics"; owned by @dom)
 */
GPtrArray *rc_domain_xml_removed(const RcDomainXml *dom)
{
	return dom->removed;
}

/**
 * rc_domain_xml_set_rom() - give one NIC another ROM file
 * @dom:	the copy
 * @nic:	index into rc_domain_xml_nics()
 * @path:	the ROM file, or NULL for QEMU's default
 */
void rc_domain_xml_set_rom(RcDomainXml *dom, guint nic, const char *path)
{
	xmlNodePtr iface = g_ptr_array_index(dom->nic_nodes, nic);
	xmlNodePtr rom = child(iface, "rom");

	if (!rom && !path)
		return;
	if (!rom)
		rom = xmlNewChild(iface, NULL, (const xmlChar *)"rom", NULL);
	if (path)
		xmlSetProp(rom, (const xmlChar *)"file", (const xmlChar *)path);
	else
		xmlUnsetProp(rom, (const xmlChar *)"file");
}

/**
 * rc_domain_xml_render() - the copy as XML, under a name and UUID
 * @dom:	the copy
 * @name:	domain name
 * @uuid:	domain UUID
 *
 * Return: a new string
 */
char *rc_domain_xml_render(RcDomainXml *dom, const char *name, const char *uuid)
{
	xmlNodePtr root = xmlDocGetRootElement(dom->doc);
	const char *keys[] = {"name", "uuid"};
	const char *values[] = {name, uuid};
	xmlChar *text = NULL;
	int len = 0;
	char *out;

	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		xmlNodePtr n = child(root, keys[i]);

		if (!n)
			n = xmlNewChild(root, NULL, (const xmlChar *)keys[i], NULL);
		xmlNodeSetContent(n, (const xmlChar *)values[i]);
	}
	xmlDocDumpMemory(dom->doc, &text, &len);
	out = g_strndup((const char *)text, (gsize)len);
	xmlFree(text);
	return out;
}
