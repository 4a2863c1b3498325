/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * savedxml.c - the domain XML of a libvirt save image made fit to restore
 * a copy of the image on this host with the new ROMs.
 *
 * A restore recreates every device the state holds, so nothing is left
 * out (unlike domainxml.c's scratch copy): the machine type, RAM size,
 * controllers, NICs and disks all stay.  What would reach the VM's real
 * resources is replaced: each NIC's host side becomes user networking
 * (model, MAC, ROM and PCI address kept), each disk with a source gets a
 * blank sparse raw image in the run directory (a CD-ROM or floppy is left
 * empty), the NVRAM file is dropped (libvirt makes a fresh one from its
 * template), and security labels go (a session daemon cannot set them).
 * The name and UUID stay: libvirt restores a state only as the domain it
 * was saved from (the caller makes sure no such domain exists there).
 */
#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <unistd.h>

#include "libvirt/savedxml.h"
#include "base/error.h"

/* A blank disk's size: a restore reads no disk, and a sparse file costs nothing. */
#define BLANK_DISK_BYTES (1ULL << 30)

/* What an <interface> keeps: the guest side. */
static const char *const keep_interface[] = {"mac", "model", "rom", "address", "alias", "boot"};

/* What a <disk> keeps besides the blank image. */
static const char *const keep_disk[] = {"target",   "address",	 "alias",  "boot",
					"readonly", "shareable", "serial", "geometry",
					"blockio",  "wwn",	 "vendor", "product"};

static gboolean named(xmlNodePtr node, const char *name)
{
	return node && node->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)node->name, name) == 0;
}

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (named(c, name))
			return c;
	return NULL;
}

static char *prop(xmlNodePtr node, const char *name)
{
	xmlChar *v = node ? xmlGetProp(node, (const xmlChar *)name) : NULL;
	char *out = v ? g_strdup((const char *)v) : NULL;

	xmlFree(v);
	return out;
}

static void set(xmlNodePtr node, const char *name, const char *value)
{
	xmlSetProp(node, (const xmlChar *)name, (const xmlChar *)value);
}

/* Remove every element child of @node not named in @keep. */
static void keep_only(xmlNodePtr node, const char *const *keep, gsize n)
{
	xmlNodePtr next;

	for (xmlNodePtr c = node->children; c; c = next) {
		gboolean kept = FALSE;

		next = c->next;
		for (gsize i = 0; i < n && c->type == XML_ELEMENT_NODE; i++)
			kept = kept || strcmp((const char *)c->name, keep[i]) == 0;
		if (kept || c->type != XML_ELEMENT_NODE)
			continue;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
}

static void drop(xmlNodePtr parent, const char *name)
{
	xmlNodePtr c;

	while ((c = child(parent, name))) {
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
}

/* One <interface>: user networking, and its new ROM file when given. */
static gboolean restore_interface(xmlNodePtr iface, const char *rom, GError **error)
{
	g_autofree char *type = prop(iface, "type");
	xmlNodePtr r;

	if (g_strcmp0(type, "hostdev") == 0 || g_strcmp0(type, "vdpa") == 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
			    "the domain has a '%s' interface (host hardware): it cannot be "
			    "restored on another host; check it without --backend libvirt",
			    type);
		return FALSE;
	}
	keep_only(iface, keep_interface, G_N_ELEMENTS(keep_interface));
	set(iface, "type", "user");
	xmlUnsetProp(iface, (const xmlChar *)"managed");
	xmlUnsetProp(iface, (const xmlChar *)"trustGuestRxFilters");
	if (!rom)
		return TRUE;
	if (!(r = child(iface, "rom")))
		r = xmlNewChild(iface, NULL, (const xmlChar *)"rom", NULL);
	set(r, "file", rom);
	return TRUE;
}

/* A sparse file of BLANK_DISK_BYTES at @path. */
static gboolean blank_disk(const char *path, GError **error)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0 || ftruncate(fd, (off_t)BLANK_DISK_BYTES) != 0) {
		g_set_error(error, RC_ERROR, RC_ERROR_INFRA, "blank disk %s: %s", path,
			    g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return FALSE;
	}
	close(fd);
	return TRUE;
}

/* One <disk>: empty when removable, else a blank raw image in @dir. */
static gboolean restore_disk(xmlNodePtr disk, const char *dir, guint n, GError **error)
{
	g_autofree char *device = prop(disk, "device");
	g_autofree char *path = NULL;
	xmlNodePtr node;

	if (!child(disk, "source"))
		return TRUE;
	drop(disk, "backingStore");
	if (g_strcmp0(device, "cdrom") == 0 || g_strcmp0(device, "floppy") == 0) {
		drop(disk, "source");
		return TRUE;
	}
	path = g_strdup_printf("%s/disk-%u.img", dir, n);
	if (!blank_disk(path, error))
		return FALSE;
	keep_only(disk, keep_disk, G_N_ELEMENTS(keep_disk));
	set(disk, "type", "file");
	set(disk, "device", "disk");
	node = xmlNewChild(disk, NULL, (const xmlChar *)"driver", NULL);
	set(node, "name", "qemu");
	set(node, "type", "raw");
	node = xmlNewChild(disk, NULL, (const xmlChar *)"source", NULL);
	set(node, "file", path);
	return TRUE;
}

static gboolean restore_devices(xmlNodePtr devices, const RcImageRestore *request, const char *dir,
				GError **error)
{
	guint nic = 0;
	guint disk = 0;

	for (xmlNodePtr c = devices ? devices->children : NULL; c; c = c->next) {
		if (named(c, "interface")) {
			const char *rom = nic < request->n_nics ? request->nic_roms[nic] : NULL;

			nic++;
			if (!restore_interface(c, rom, error))
				return FALSE;
		} else if (named(c, "disk") && !restore_disk(c, dir, disk++, error)) {
			return FALSE;
		}
	}
	return TRUE;
}

static xmlDocPtr parse(const char *xml, GError **error)
{
	xmlDocPtr doc = NULL;
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();

	/* No network, no entity expansion, no DTD loading: the image is untrusted. */
	if (ctxt)
		doc = xmlCtxtReadMemory(ctxt, xml, (int)strlen(xml), "domain.xml", NULL,
					XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlFreeParserCtxt(ctxt);
	if (!doc || !named(xmlDocGetRootElement(doc), "domain")) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "the save image's domain XML cannot be read; restore it with "
			    "virsh restore to see why");
		if (doc)
			xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

/**
 * rc_saved_xml_for_restore() - a save image's domain XML for its restore here
 * @request:	the image's XML and the new ROM of each <interface>
 * @dir:	where blank disks go (removed with it)
 * @error:	RC_ERROR_INPUT for XML that cannot be read, RC_ERROR_INFRA for
 *		a domain that cannot be restored here or a blank disk not made
 *
 * Return: the XML to give virDomainRestoreFlags(), or NULL with @error set
 */
char *rc_saved_xml_for_restore(const RcImageRestore *request, const char *dir, GError **error)
{
	xmlDocPtr doc = strlen(request->xml) < G_MAXINT ? parse(request->xml, error) : NULL;
	xmlNodePtr root;
	xmlChar *text = NULL;
	int len = 0;
	char *out = NULL;

	if (!doc)
		return NULL;
	root = xmlDocGetRootElement(doc);
	drop(root, "seclabel");
	drop(child(root, "os"), "nvram");
	xmlUnsetProp(root, (const xmlChar *)"id");
	if (restore_devices(child(root, "devices"), request, dir, error)) {
		xmlDocDumpMemory(doc, &text, &len);
		out = g_strndup((const char *)text, (gsize)len);
		xmlFree(text);
	}
	xmlFreeDoc(doc);
	return out;
}
