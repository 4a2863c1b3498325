/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-needs.c - the pure parts of romcompat needs: the ROM files named in
 * HMP `info qtree`, and a package's relation to ipxe-qemu from its
 * Depends, Recommends and Suggests fields.
 */
#include <glib.h>

#include "qemu/needs.h"
#include "sources/dpkgrel.h"

/* Abridged from QEMU 7.2 x86_64 pc: the NIC and the VGA name a file, the
 * PIIX IDE an empty one. */
static const char qtree[] = "bus: main-system-bus\n"
			    "  type System\n"
			    "  dev: i440FX-pcihost, id \"\"\n"
			    "    bus: pci.0\n"
			    "      type PCI\n"
			    "      dev: e1000, id \"\"\n"
			    "        mac = \"52:54:00:12:34:56\"\n"
			    "        romfile = \"efi-e1000.rom\"\n"
			    "        romsize = 262144 (0x40000)\n"
			    "      dev: VGA, id \"\"\n"
			    "        romfile = \"vgabios-stdvga.bin\"\n"
			    "      dev: piix3-ide, id \"\"\n"
			    "        romfile = \"\"\n"
			    "      dev: e1000, id \"\"\n"
			    "        romfile = \"efi-e1000.rom\"\n";

static void test_qtree(void)
{
	g_auto(GStrv) files = rc_needs_qtree_romfiles(qtree);

	g_assert_cmpuint(g_strv_length(files), ==, 2);
	g_assert_cmpstr(files[0], ==, "efi-e1000.rom");
	g_assert_cmpstr(files[1], ==, "vgabios-stdvga.bin");
	g_strfreev(files);
	files = rc_needs_qtree_romfiles(NULL);
	g_assert_cmpuint(g_strv_length(files), ==, 0);
	g_strfreev(files);
	files = rc_needs_qtree_romfiles("romfile = \"unterminated\n");
	g_assert_cmpuint(g_strv_length(files), ==, 0);
}

static void test_relation(void)
{
	/* qemu-system-arm 1:7.2: "|" inside a field separates alternatives */
	const char *arm = "libc6 (>= 2.34), qemu-system-data (>> 1:7.2+dfsg~)\n"
			  "qemu-system-gui (= 1:7.2+dfsg-7)|foo, qemu-utils, ipxe-qemu, "
			  "qemu-efi-aarch64\n"
			  "qemu-block-extra (= 1:7.2+dfsg-7)|samba, vde2\n";
	const char *x86 = "libc6 (>= 2.34), seabios, ipxe-qemu (>= 1.0.0+git-20131111.c3d1e78-1~)\n"
			  "qemu-utils, ovmf\n\n";

	g_assert_cmpstr(rc_dpkg_relation_parse(arm, "ipxe-qemu"), ==, "Recommends");
	g_assert_cmpstr(rc_dpkg_relation_parse(x86, "ipxe-qemu"), ==, "Depends");
	g_assert_cmpstr(rc_dpkg_relation_parse(arm, "samba"), ==, "Suggests");
	g_assert_cmpstr(rc_dpkg_relation_parse("a | ipxe-qemu:any\n\n", "ipxe-qemu"), ==,
			"Depends");
	g_assert_cmpstr(rc_dpkg_relation_parse(x86, "ipxe"), ==, "none");
	g_assert_cmpstr(rc_dpkg_relation_parse("ipxe-qemu-256k-compat-efi-roms\n", "ipxe-qemu"), ==,
			"none");
	g_assert_cmpstr(rc_dpkg_relation_parse(NULL, "ipxe-qemu"), ==, "none");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/needs/qtree-romfiles", test_qtree);
	g_test_add_func("/needs/dpkg-relation", test_relation);
	return g_test_run();
}
