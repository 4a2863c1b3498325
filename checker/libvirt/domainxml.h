/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * domainxml.h - an existing VM's libvirt domain XML made into a scratch
 * copy that can be started, saved and restored without touching anything
 * of the real VM, and the NICs whose ROMs it loads.
 */
#ifndef RC_DOMAINXML_H
#define RC_DOMAINXML_H

#include <glib.h>

/**
 * RcDomainNic - one <interface> of the VM
 * @label:	how to name it to people: its alias or "interface N", and MAC
 * @model:	libvirt's model ("virtio", "e1000")
 * @device:	the QEMU device it becomes ("virtio-net-pci")
 * @rom_file:	its <rom file=...>, or NULL for QEMU's default ROM
 * @rom_disabled: <rom enabled='no'/> or <rom bar='off'/>: no ROM block
 */
typedef struct {
	char *label;
	char *model;
	char *device;
	char *rom_file;
	gboolean rom_disabled;
} RcDomainNic;

typedef struct RcDomainXml RcDomainXml;

RcDomainXml *rc_domain_xml_load(const char *path, gboolean kvm, GError **error);
void rc_domain_xml_free(RcDomainXml *dom);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcDomainXml, rc_domain_xml_free)

const char *rc_domain_xml_name(const RcDomainXml *dom);
const char *rc_domain_xml_machine(const RcDomainXml *dom);
const char *rc_domain_xml_emulator(const RcDomainXml *dom);
GPtrArray *rc_domain_xml_nics(const RcDomainXml *dom);
GPtrArray *rc_domain_xml_removed(const RcDomainXml *dom);
void rc_domain_xml_set_rom(RcDomainXml *dom, guint nic, const char *path);
char *rc_domain_xml_render(RcDomainXml *dom, const char *name, const char *uuid);

#endif /* RC_DOMAINXML_H */
