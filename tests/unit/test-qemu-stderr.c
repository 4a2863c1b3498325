/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-qemu-stderr.c - the classifier on messages QEMU really prints
 * (captured from QEMU 7.2, and the older "Length mismatch" form from
 * QEMU's migration/ram.c before 5.2).
 */
#include <string.h>

#include "qemu/qemu_stderr.h"

static void check(const char *text, RcKind kind, const char *block, guint64 src, guint64 dst,
		  const char *line)
{
	g_autoptr(RcQemuMessage) msg = rc_qemu_stderr_classify(text);

	g_assert_cmpint(msg->kind, ==, kind);
	g_assert_cmpstr(msg->block, ==, block);
	g_assert_cmpuint(msg->source_size, ==, src);
	g_assert_cmpuint(msg->destination_size, ==, dst);
	g_assert_cmpstr(msg->line, ==, line);
}

static void test_size_mismatch(void)
{
	check("qemu-system-x86_64: warning: nic e1000.0 has no peer\n"
	      "qemu-system-x86_64: Size mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000: Invalid argument\n"
	      "qemu-system-x86_64: error while loading state for instance 0x0 of device 'ram'\n"
	      "qemu-system-x86_64: load of migration failed: Invalid argument\n",
	      RC_KIND_ROM_SIZE_MISMATCH, "0000:00:02.0/e1000.rom", 0x40000, 0x80000,
	      "Size mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000: Invalid argument");
}

static void test_length_mismatch(void)
{
	check("qemu-system-x86_64: Length mismatch: 0000:00:03.0/virtio-net-pci.rom: 0x40000 in != 0x80000: Invalid argument\n",
	      RC_KIND_ROM_SIZE_MISMATCH, "0000:00:03.0/virtio-net-pci.rom", 0x40000, 0x80000,
	      "Length mismatch: 0000:00:03.0/virtio-net-pci.rom: 0x40000 in != 0x80000: Invalid argument");
}

static void test_others(void)
{
	check("qemu-system-x86_64: Unknown ramblock \"0000:00:02.0/e1000.rom\", cannot accept migration\n"
	      "qemu-system-x86_64: load of migration failed: Invalid argument\n",
	      RC_KIND_UNKNOWN_RAMBLOCK, "0000:00:02.0/e1000.rom", 0, 0,
	      "Unknown ramblock \"0000:00:02.0/e1000.rom\", cannot accept migration");
	check("qemu-system-x86_64: -device e1000,romfile=/x.rom: failed to find romfile \"/x.rom\"\n",
	      RC_KIND_ROMFILE_MISSING, NULL, 0, 0,
	      "-device e1000,romfile=/x.rom: failed to find romfile \"/x.rom\"");
	check("qemu-system-x86_64: unsupported machine type\nUse -machine help to list supported machines\n",
	      RC_KIND_UNKNOWN_MACHINE_TYPE, NULL, 0, 0, "unsupported machine type");
	check("qemu-system-x86_64: -device e1000x: 'e1000x' is not a valid device model name\n",
	      RC_KIND_UNKNOWN_DEVICE, NULL, 0, 0,
	      "-device e1000x: 'e1000x' is not a valid device model name");
	check("qemu: module audio-audio-pa not found, do you want to install qemu-system-gui package?\n"
	      "qemu-system-aarch64: -device e1000,id=nic0,addr=0x2: PCI: slot 2 function 0 not available\n",
	      RC_KIND_OTHER, NULL, 0, 0,
	      "-device e1000,id=nic0,addr=0x2: PCI: slot 2 function 0 not available");
	/* Found by fuzz-qemu-stderr: the block of an earlier line leaked. */
	check("qemu-system-x86_64: Unknown ramblock \"a\", cannot accept migration\n"
	      "qemu-system-x86_64: Size mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000\n",
	      RC_KIND_ROM_SIZE_MISMATCH, "0000:00:02.0/e1000.rom", 0x40000, 0x80000,
	      "Size mismatch: 0000:00:02.0/e1000.rom: 0x40000 != 0x80000");
	check("qemu-system-x86_64: something new\n", RC_KIND_OTHER, NULL, 0, 0, "something new");
	check("qemu-system-x86_64: warning: nic e1000.0 has no peer\n", RC_KIND_NONE, NULL, 0, 0,
	      NULL);
	check(NULL, RC_KIND_NONE, NULL, 0, 0, NULL);
}

/* The file a machine type's default NIC or a -device could not find
 * (romcompat needs): named only by "failed to find romfile". */
static void check_romfile(const char *text, RcKind kind, const char *romfile, const char *line)
{
	g_autoptr(RcQemuMessage) msg = rc_qemu_stderr_classify(text);

	g_assert_cmpint(msg->kind, ==, kind);
	g_assert_cmpstr(msg->romfile, ==, romfile);
	g_assert_cmpstr(msg->line, ==, line);
}

static void test_romfile(void)
{
	check_romfile("qemu-system-x86_64: failed to find romfile \"efi-e1000.rom\"\n",
		      RC_KIND_ROMFILE_MISSING, "efi-e1000.rom",
		      "failed to find romfile \"efi-e1000.rom\"");
	check_romfile(
		"qemu: module audio-audio-pa not found, do you want to install qemu-system-gui package?\n"
		"qemu-system-aarch64: failed to find romfile \"efi-virtio.rom\"\n",
		RC_KIND_ROMFILE_MISSING, "efi-virtio.rom",
		"failed to find romfile \"efi-virtio.rom\"");
	check_romfile(
		"qemu-system-x86_64: -device e1000,romfile=/x.rom: failed to find romfile \"/x.rom\"\n",
		RC_KIND_ROMFILE_MISSING, "/x.rom",
		"-device e1000,romfile=/x.rom: failed to find romfile \"/x.rom\"");
	/* Other firmware missing is not a ROM file of ipxe-qemu. */
	check_romfile("qemu-system-m68k: could not load MacROM 'MacROM.bin'\n", RC_KIND_OTHER, NULL,
		      "could not load MacROM 'MacROM.bin'");
	check_romfile("qemu-system-x86_64: failed to find romfile \"unterminated\n",
		      RC_KIND_ROMFILE_MISSING, NULL, "failed to find romfile \"unterminated");
	check_romfile("qemu-system-x86_64: terminating on signal 15 from pid 1 (romcompat)\n",
		      RC_KIND_OTHER, NULL, "terminating on signal 15 from pid 1 (romcompat)");
}

/* The firmware image a machine type could not load, as QEMU 7.2 words it
 * (its BIOS hidden, or -bios nofile.bin): the file named, the kind left to
 * the caller. */
static void check_firmware(const char *text, RcKind kind, const char *firmware, const char *line)
{
	g_autoptr(RcQemuMessage) msg = rc_qemu_stderr_classify(text);

	g_assert_cmpint(msg->kind, ==, kind);
	g_assert_cmpstr(msg->firmware, ==, firmware);
	g_assert_null(msg->romfile);
	g_assert_cmpstr(msg->line, ==, line);
}

static void test_firmware(void)
{
	check_firmware("qemu: could not load PC BIOS 'bios-256k.bin'\n", RC_KIND_OTHER,
		       "bios-256k.bin", "qemu: could not load PC BIOS 'bios-256k.bin'");
	check_firmware("qemu-system-riscv64: Unable to load the RISC-V firmware \"nofile.bin\"\n",
		       RC_KIND_OTHER, "nofile.bin",
		       "Unable to load the RISC-V firmware \"nofile.bin\"");
	check_firmware("qemu-system-m68k: could not load MacROM 'MacROM.bin'\n", RC_KIND_OTHER,
		       "MacROM.bin", "could not load MacROM 'MacROM.bin'");
	check_firmware("qemu-system-aarch64: Could not find ROM image 'nofile.bin'\n",
		       RC_KIND_OTHER, "nofile.bin", "Could not find ROM image 'nofile.bin'");
	/* Names no file: nothing to hide or to blame. */
	check_firmware("qemu-system-alpha: no palcode provided\n", RC_KIND_OTHER, NULL,
		       "no palcode provided");
	/* A ROM file missing after it is the more specific message. */
	{
		g_autoptr(RcQemuMessage) msg = rc_qemu_stderr_classify(
			"qemu: could not load PC BIOS 'bios-256k.bin'\n"
			"qemu-system-x86_64: failed to find romfile \"efi-e1000.rom\"\n");

		g_assert_cmpint(msg->kind, ==, RC_KIND_ROMFILE_MISSING);
		g_assert_null(msg->firmware);
	}
}

/* A line of 20 MB is cut to what a report can carry; the cut note is no error. */
static void test_long_line(void)
{
	g_autofree char *junk = g_strnfill(20 * 1024 * 1024, 'x');
	g_autofree char *text = g_strdup_printf(
		"[... 100 of 200 bytes of output left out ...]\nqemu-system-x86_64: %s\n", junk);
	g_autoptr(RcQemuMessage) msg = rc_qemu_stderr_classify(text);

	g_assert_cmpint(msg->kind, ==, RC_KIND_OTHER);
	g_assert_cmpuint(strlen(msg->line), <, 600);
	g_assert_true(g_str_has_prefix(msg->line, "xxxx"));
	g_assert_true(g_str_has_suffix(msg->line, " [... 20971008 more bytes]"));
	check("[... 100 of 200 bytes of output left out ...]\n", RC_KIND_NONE, NULL, 0, 0, NULL);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/qemu-stderr/size-mismatch", test_size_mismatch);
	g_test_add_func("/qemu-stderr/length-mismatch", test_length_mismatch);
	g_test_add_func("/qemu-stderr/others", test_others);
	g_test_add_func("/qemu-stderr/long-line", test_long_line);
	g_test_add_func("/qemu-stderr/romfile", test_romfile);
	g_test_add_func("/qemu-stderr/firmware", test_firmware);
	return g_test_run();
}
