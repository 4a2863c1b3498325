/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-ramblock.c - the "info ramblock" parser and comparison, on tables
 * captured from QEMU 7.2 (pc-i440fx-7.2 with an e1000, 256 and 512 KiB ROMs).
 */
#include <string.h>

#include "qemu/ramblock.h"

static const char *const table_256k =
	"              Block Name    PSize              Offset               Used              Total\r\n"
	"                  pc.ram    4 KiB  0x0000000000000000 0x0000000004000000 0x0000000004000000\r\n"
	"                 pc.bios    4 KiB  0x0000000004000000 0x0000000000040000 0x0000000000040000\r\n"
	"  0000:00:02.0/e1000.rom    4 KiB  0x0000000004080000 0x0000000000040000 0x0000000000040000\r\n"
	"0000:00:18.0/virtio-net-pci-non-transitional    4 KiB  0x0000000004600000 0x0000000000040000 0x0000000000040000\r\n"
	"                  pc.rom    4 KiB  0x0000000004040000 0x0000000000020000 0x0000000000020000\r\n";

static const char *const table_512k =
	"              Block Name    PSize              Offset               Used              Total\r\n"
	"                  pc.ram    4 KiB  0x0000000000000000 0x0000000004000000 0x0000000004000000\r\n"
	"                 pc.bios    4 KiB  0x0000000004000000 0x0000000000040000 0x0000000000040000\r\n"
	"  0000:00:02.0/e1000.rom    4 KiB  0x0000000004080000 0x0000000000080000 0x0000000000080000\r\n"
	"                  pc.rom    4 KiB  0x0000000004040000 0x0000000000020000 0x0000000000020000\r\n"
	"   /rom@etc/acpi/tables    4 KiB  0x0000000004680000 0x0000000000020000 0x0000000000200000\r\n";

static void test_parse(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) blocks = rc_ramblock_parse(table_256k, &error);
	const RcRamBlock *b;

	g_assert_no_error(error);
	g_assert_cmpuint(blocks->len, ==, 5);
	b = rc_ramblock_find(blocks, "0000:00:02.0/e1000.rom");
	g_assert_nonnull(b);
	g_assert_cmpuint(b->used, ==, 0x40000);
	/* QEMU truncates the type name to 31 bytes: no ".rom" on this one. */
	b = rc_ramblock_find(blocks, "0000:00:18.0/virtio-net-pci-non-transitional");
	g_assert_nonnull(b);
	g_assert_cmpuint(b->total, ==, 0x40000);
}

static void test_compare(void)
{
	g_autoptr(GPtrArray) src = rc_ramblock_parse(table_256k, NULL);
	g_autoptr(GPtrArray) dst = rc_ramblock_parse(table_512k, NULL);
	g_autoptr(GPtrArray) diffs = rc_ramblock_compare(src, dst);
	g_autoptr(GPtrArray) same = rc_ramblock_compare(src, src);
	const RcRamBlockDiff *d;

	g_assert_cmpuint(same->len, ==, 0);
	g_assert_cmpuint(diffs->len, ==, 3);
	d = g_ptr_array_index(diffs, 0);
	g_assert_cmpstr(d->name, ==, "0000:00:02.0/e1000.rom");
	g_assert_cmpuint(d->source_size, ==, 0x40000);
	g_assert_cmpuint(d->destination_size, ==, 0x80000);
	d = g_ptr_array_index(diffs, 1); /* only on the source */
	g_assert_cmpstr(d->name, ==, "0000:00:18.0/virtio-net-pci-non-transitional");
	g_assert_cmpuint(d->destination_size, ==, 0);
	d = g_ptr_array_index(diffs, 2); /* only on the destination */
	g_assert_cmpstr(d->name, ==, "/rom@etc/acpi/tables");
	g_assert_cmpuint(d->source_size, ==, 0);
}

static void test_bad(void)
{
	static const char *const bad[] = {
		"",
		"garbage\n",
		"Block Name PSize Offset Used Total\n pc.ram 4 KiB 0x0 0xZZ 0x10\n",
		"Block Name PSize Offset Used Total\n pc.ram 0x0 0x10\n",
	};

	/* Found by fuzz-ramblock: a name twice made a list differ from itself. */
	static const char duplicate[] = "Block Name PSize Offset Used Total\n"
					" 0000:00:03.0/rtl8139.rom 4 KiB 0x0 0x40000 0x40000\n"
					" 0000:00:03.0/rtl8139.rom 4 KiB 0x0 0x80000 0x80000\n";
	g_autoptr(GError) dup_error = NULL;
	g_autoptr(GPtrArray) dup_blocks = rc_ramblock_parse(duplicate, &dup_error);

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) blocks = rc_ramblock_parse(bad[i], &error);

		g_assert_null(blocks);
		g_assert_nonnull(error);
	}
	g_assert_null(dup_blocks);
	g_assert_nonnull(strstr(dup_error->message, "twice"));
}

/* QEMU 10 prints two more columns (HVA, RO) after Total. */
static void test_parse_qemu10(void)
{
	static const char text[] =
		"              Block Name    PSize              Offset               Used              "
		"Total                HVA  RO\n"
		"                  pc.ram    4 KiB  0x0000000000000000 0x0000000004000000 "
		"0x0000000004000000 0x00007f2227e00000  rw\n"
		"  0000:00:02.0/e1000.rom    4 KiB  0x0000000004080000 0x0000000000040000 "
		"0x0000000000040000 0x00007f2227a00000  ro\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) blocks = rc_ramblock_parse(text, &error);
	const RcRamBlock *rom;

	g_assert_no_error(error);
	g_assert_cmpuint(blocks->len, ==, 2);
	rom = rc_ramblock_find(blocks, "0000:00:02.0/e1000.rom");
	g_assert_nonnull(rom);
	g_assert_cmpuint(rom->used, ==, 0x40000);
	g_assert_cmpuint(rom->total, ==, 0x40000);
}

/* Both path formats QEMU 7.2 uses for a device's block, and what is not one. */
static void test_pci_slot(void)
{
	g_assert_cmpint(rc_ramblock_pci_slot("0000:00:05.0/e1000.rom"), ==, 5);
	g_assert_cmpint(rc_ramblock_pci_slot("0000:00:1a.0/virtio-net-pci.rom"), ==, 0x1a);
	g_assert_cmpint(rc_ramblock_pci_slot("0000:02.0/e1000.rom"), ==, 2);
	g_assert_cmpint(rc_ramblock_pci_slot("0000:19.0/rtl8139.rom"), ==, 0x19);
	g_assert_cmpint(rc_ramblock_pci_slot("0000:01:02.0/e1000.rom"), ==, -1);
	g_assert_cmpint(rc_ramblock_pci_slot("pc.ram"), ==, -1);
	g_assert_cmpint(rc_ramblock_pci_slot("/rom@etc/acpi/tables"), ==, -1);
	g_assert_cmpint(rc_ramblock_pci_slot("0000:00:zz.0/x.rom"), ==, -1);
	g_assert_cmpint(rc_ramblock_pci_slot("0000:00:20.0/x.rom"), ==, -1);
	g_assert_cmpint(rc_ramblock_pci_slot("a:b:c:d/x"), ==, -1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ramblock/pci-slot", test_pci_slot);
	g_test_add_func("/ramblock/parse", test_parse);
	g_test_add_func("/ramblock/parse-qemu10", test_parse_qemu10);
	g_test_add_func("/ramblock/compare", test_compare);
	g_test_add_func("/ramblock/bad", test_bad);
	return g_test_run();
}
