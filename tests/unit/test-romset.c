/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-romset.c - ROM sets from a file, a directory and .deb packages built
 * here with ar(1) and tar(1): links inside the package, every compression
 * dpkg uses, and broken packages.
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "base/error.h"
#include "rom/romset.h"
#include "romsynth.h"

#define IPXE_DIR "/usr/lib/ipxe/qemu"

static void write_rom(const char *dir, const char *name, guint32 legacy, guint32 efi, gsize pad)
{
	g_autoptr(GByteArray) rom = romsynth_legacy_efi(legacy, efi, 0x8664, 0, pad);

	g_free(romsynth_write_temp(dir, name, rom));
}

static void make_dirs(const char *root, const char *sub)
{
	g_autofree char *path = g_build_filename(root, sub, NULL);

	g_assert_cmpint(g_mkdir_with_parents(path, 0755), ==, 0);
}

static void make_link(const char *root, const char *member, const char *target)
{
	g_autofree char *path = g_build_filename(root, member, NULL);

	g_assert_cmpint(symlink(target, path), ==, 0);
}

/* Pack @root as a .deb whose data.tar is compressed with @tar_flag. */
static char *build_deb(const char *tmp, const char *root, const char *tar_flag, const char *ext)
{
	g_autofree char *data = g_strconcat("data.tar", ext, NULL);
	g_autofree char *data_path = g_build_filename(tmp, data, NULL);
	g_autofree char *binary = g_build_filename(tmp, "debian-binary", NULL);
	g_autofree char *control = g_build_filename(tmp, "control.tar.gz", NULL);
	g_autofree char *ctldir = g_build_filename(tmp, "control", NULL);
	g_autofree char *ctlfile = g_build_filename(ctldir, "control", NULL);
	g_autofree char *deb = g_strdup_printf("%s/pkg%s.deb", tmp, ext);
	const char *tar_data[] = {"tar", "-C", root, tar_flag, "-cf", data_path, ".", NULL};
	const char *tar_ctl[] = {"tar", "-C", ctldir, "-czf", control, ".", NULL};
	const char *ar[] = {"ar", "rcD", deb, binary, control, data_path, NULL};

	g_assert_true(g_file_set_contents(binary, "2.0\n", -1, NULL));
	g_assert_cmpint(g_mkdir_with_parents(ctldir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(ctlfile, "Package: test\n", -1, NULL));
	g_unlink(deb);
	romsynth_run(tmp, tar_data);
	romsynth_run(tmp, tar_ctl);
	romsynth_run(tmp, ar);
	return g_steal_pointer(&deb);
}

static void test_directory(void)
{
	g_autofree char *dir = romsynth_temp_dir();
	g_autofree char *sub = g_build_filename(dir, "sub.rom", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRomSet) set = NULL;
	const RcRomEntry *e;

	write_rom(dir, "efi-e1000.rom", 75264, 174592, 0);
	write_rom(dir, "pxe-e1000.rom", 75264, 512, 0);
	write_rom(dir, "notes.txt", 512, 512, 0);
	make_link(dir, "efi-e1000e.rom", "efi-e1000.rom");
	make_link(dir, "dangling.rom", "nowhere.rom");
	g_assert_cmpint(g_mkdir(sub, 0755), ==, 0);

	set = rc_rom_set_load(dir, &error);
	g_assert_no_error(error);
	g_assert_cmpint(set->kind, ==, RC_ROM_SET_DIRECTORY);
	g_assert_cmpuint(set->entries->len, ==, 4);
	/* Sorted by name. */
	g_assert_cmpstr(((RcRomEntry *)g_ptr_array_index(set->entries, 0))->name, ==,
			"dangling.rom");
	g_assert_cmpstr(((RcRomEntry *)g_ptr_array_index(set->entries, 3))->name, ==,
			"pxe-e1000.rom");

	e = rc_rom_set_lookup(set, "efi-e1000.rom");
	g_assert_nonnull(e);
	g_assert_no_error(e->error);
	g_assert_cmpuint(e->size, ==, 249856);
	g_assert_cmpuint(e->rom->bucket, ==, 262144);
	g_assert_null(e->link_target);

	e = rc_rom_set_lookup(set, "efi-e1000e.rom");
	g_assert_no_error(e->error);
	g_assert_cmpstr(e->link_target, ==, "efi-e1000.rom");
	g_assert_cmpuint(e->size, ==, 249856);

	e = rc_rom_set_lookup(set, "dangling.rom");
	g_assert_error(e->error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(e->error->message, "dangling.rom"));
	g_assert_false(e->has_size);
	g_assert_null(rc_rom_set_lookup(set, "notes.txt"));
	g_assert_null(rc_rom_set_lookup(set, "sub.rom"));
	g_assert_cmpuint(rc_rom_set_count_errors(set), ==, 1);
	romsynth_remove_tree(dir);
}

/*
 * A directory of seabios's shape: bios.bin (no 55 AA) and OVMF.fd are
 * firmware, sized only, their block their exact size; vgabios-stdvga.bin
 * (a PCI ROM) is parsed and bucketed; an ISA ROM (*.bin with 55 AA but no
 * PCI Data Structure) is left out.
 */
static void test_firmware(void)
{
	g_autofree char *dir = romsynth_temp_dir();
	g_autoptr(GByteArray) bios = g_byte_array_new();
	g_autoptr(GByteArray) isa = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRomSet) set = NULL;
	const RcRomEntry *e;

	g_byte_array_set_size(bios, 3 * 65536);
	memset(bios->data, 0xea, bios->len);
	g_free(romsynth_write_temp(dir, "bios.bin", bios));
	g_free(romsynth_write_temp(dir, "OVMF.fd", bios));
	write_rom(dir, "vgabios-stdvga.bin", 40960, 0, 0);
	g_byte_array_set_size(isa, 4096);
	memset(isa->data, 0, isa->len);
	isa->data[0] = 0x55;
	isa->data[1] = 0xaa;
	g_free(romsynth_write_temp(dir, "vgabios-isavga.bin", isa));

	set = rc_rom_set_load(dir, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(set->entries->len, ==, 3);
	g_assert_cmpuint(set->skipped->len, ==, 1);
	e = rc_rom_set_lookup(set, "bios.bin");
	g_assert_true(e->firmware);
	g_assert_null(e->rom);
	g_assert_null(e->error);
	g_assert_cmpuint(rc_rom_entry_block_size(e), ==, 3 * 65536);
	g_assert_true(rc_rom_set_lookup(set, "OVMF.fd")->firmware);
	e = rc_rom_set_lookup(set, "vgabios-stdvga.bin");
	g_assert_false(e->firmware);
	g_assert_nonnull(e->rom);
	g_assert_cmpuint(rc_rom_entry_block_size(e), ==, 65536);
	g_assert_null(rc_rom_set_lookup(set, "vgabios-isavga.bin"));
	romsynth_remove_tree(dir);
}

static void test_file_and_errors(void)
{
	g_autofree char *dir = romsynth_temp_dir();
	g_autofree char *empty = g_build_filename(dir, "empty", NULL);
	g_autofree char *missing = g_build_filename(dir, "missing.rom", NULL);
	g_autofree char *text = g_build_filename(dir, "script.rom", NULL);
	g_autoptr(GByteArray) cut = romsynth_legacy_efi(1024, 4096, 0x8664, 0, 0);
	g_autofree char *cut_path = NULL;
	g_autofree char *good = NULL;
	g_autoptr(GError) error = NULL;
	RcRomSet *set;

	write_rom(dir, "efi-e1000.rom", 2048, 2048, 0);
	good = g_build_filename(dir, "efi-e1000.rom", NULL);
	set = rc_rom_set_load(good, &error);
	g_assert_no_error(error);
	g_assert_cmpint(set->kind, ==, RC_ROM_SET_FILE);
	g_assert_cmpuint(set->entries->len, ==, 1);
	g_assert_nonnull(rc_rom_set_lookup(set, "efi-e1000.rom")->rom);
	rc_rom_set_free(set);

	set = rc_rom_set_load(missing, &error);
	g_assert_null(set);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, missing));
	g_assert_nonnull(strstr(error->message, "no such file"));
	g_clear_error(&error);

	g_assert_cmpint(g_mkdir(empty, 0755), ==, 0);
	set = rc_rom_set_load(empty, &error);
	g_assert_null(set);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "no *.rom files"));
	g_clear_error(&error);

	g_assert_true(g_file_set_contents(text, "#!/bin/sh\n", -1, NULL));
	set = rc_rom_set_load(text, &error);
	g_assert_no_error(error);
	g_assert_error(rc_rom_set_lookup(set, "script.rom")->error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(rc_rom_set_lookup(set, "script.rom")->error->message, "55 AA"));
	g_assert_true(rc_rom_set_lookup(set, "script.rom")->has_size);
	rc_rom_set_free(set);

	g_byte_array_set_size(cut, 3000);
	cut_path = romsynth_write_temp(dir, "cut.rom", cut);
	set = rc_rom_set_load(cut_path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(rc_rom_set_lookup(set, "cut.rom")->rom);
	g_assert_error(rc_rom_set_lookup(set, "cut.rom")->error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(rc_rom_set_lookup(set, "cut.rom")->error->message, "truncated"));
	rc_rom_set_free(set);
	romsynth_remove_tree(dir);
}

static void test_unreadable(void)
{
	g_autofree char *dir = NULL;
	g_autofree char *path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRomSet) set = NULL;
	const RcRomEntry *e;

	if (geteuid() == 0) {
		g_test_skip("running as root, which reads a mode 000 file anyway "
			    "(tests/cli/inspect.t covers it as an unprivileged user)");
		return;
	}
	dir = romsynth_temp_dir();
	write_rom(dir, "efi-e1000.rom", 1024, 1024, 0);
	write_rom(dir, "efi-e1000e.rom", 1024, 1024, 0);
	path = g_build_filename(dir, "efi-e1000.rom", NULL);
	g_assert_cmpint(g_chmod(path, 0), ==, 0);
	set = rc_rom_set_load(dir, &error);
	g_assert_no_error(error);
	e = rc_rom_set_lookup(set, "efi-e1000.rom");
	g_assert_error(e->error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(e->error->message, "chmod"));
	g_assert_no_error(rc_rom_set_lookup(set, "efi-e1000e.rom")->error);
	romsynth_remove_tree(dir);
}

/* A package shaped like newer ipxe-qemu: files in usr/share/qemu, links in usr/lib/ipxe/qemu. */
static void fill_package_tree(const char *root)
{
	g_autofree char *share = g_build_filename(root, "usr/share/qemu", NULL);
	g_autofree char *lib = g_build_filename(root, "usr/lib/ipxe/qemu", NULL);
	g_autofree char *ipxe = g_build_filename(root, "usr/share/ipxe", NULL);
	g_autoptr(GByteArray) junk = g_byte_array_new();

	make_dirs(root, "usr/share/qemu");
	make_dirs(root, "usr/lib/ipxe/qemu");
	make_dirs(root, "usr/share/ipxe");
	write_rom(share, "efi-e1000.rom", 108544, 38400, 115200);
	write_rom(lib, "pxe-e1000.rom", 108544, 512, 0);
	write_rom(ipxe, "virtio.bin", 1024, 2048, 0);
	g_byte_array_append(junk, (const guint8 *)"\xea\x5b\x00\x00", 4);
	g_free(romsynth_write_temp(share, "qboot.rom", junk));
	make_link(root, "usr/lib/ipxe/qemu/efi-e1000.rom", "../../../share/qemu/efi-e1000.rom");
	make_link(root, "usr/lib/ipxe/qemu/efi-virtio.rom", "/usr/share/ipxe/virtio.bin");
	make_link(root, "usr/lib/ipxe/qemu/efi-evil.rom", "../../../../../etc/passwd");
	make_link(root, "usr/lib/ipxe/qemu/efi-gone.rom", "efi-missing.rom");
	make_link(root, "usr/lib/ipxe/qemu/efi-loop.rom", "efi-loop2.rom");
	make_link(root, "usr/lib/ipxe/qemu/efi-loop2.rom", "efi-loop.rom");
	make_link(root, "usr/lib/ipxe/82540em.rom", "qemu/pxe-e1000.rom");
}

static void check_package_set(const RcRomSet *set, const char *deb)
{
	const RcRomEntry *e;

	g_assert_cmpint(set->kind, ==, RC_ROM_SET_DEB);
	/* efi-e1000 once (share wins over the link), pxe, virtio, evil, gone, loop, loop2. */
	g_assert_cmpuint(set->entries->len, ==, 7);
	g_assert_null(rc_rom_set_lookup(set, "82540em.rom"));
	g_assert_cmpuint(set->skipped->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(set->skipped, 0), ==, "usr/share/qemu/qboot.rom");

	e = rc_rom_set_lookup(set, "efi-e1000.rom");
	g_assert_no_error(e->error);
	g_assert_cmpstr(e->member, ==, "usr/share/qemu/efi-e1000.rom");
	g_assert_cmpuint(e->size, ==, 262144);
	g_assert_cmpuint(e->rom->images->len, ==, 2);
	g_assert_cmpint(e->rom->padding_fill, ==, 0xff);
	g_assert_true(g_str_has_prefix(e->location, deb));

	e = rc_rom_set_lookup(set, "pxe-e1000.rom");
	g_assert_no_error(e->error);
	g_assert_cmpstr(e->member, ==, "usr/lib/ipxe/qemu/pxe-e1000.rom");

	/* Reached through an absolute link to a member not named *.rom: a second pass. */
	e = rc_rom_set_lookup(set, "efi-virtio.rom");
	g_assert_no_error(e->error);
	g_assert_cmpstr(e->link_target, ==, "/usr/share/ipxe/virtio.bin");
	g_assert_cmpuint(e->size, ==, 3072);

	e = rc_rom_set_lookup(set, "efi-evil.rom");
	g_assert_error(e->error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_null(e->rom);
	e = rc_rom_set_lookup(set, "efi-gone.rom");
	g_assert_error(e->error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(e->error->message, "does not contain"));
	e = rc_rom_set_lookup(set, "efi-loop.rom");
	g_assert_error(e->error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_cmpuint(rc_rom_set_count_errors(set), ==, 4);
}

static void test_deb(gconstpointer data)
{
	const char *const *flags = data;
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *root = g_build_filename(tmp, "root", NULL);
	g_autofree char *deb = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRomSet) set = NULL;
	g_autofree char *compressor = g_find_program_in_path(flags[2]);

	if (!compressor) {
		g_test_skip("the compressor for this data.tar is not installed");
		romsynth_remove_tree(tmp);
		return;
	}
	fill_package_tree(root);
	deb = build_deb(tmp, root, flags[0], flags[1]);
	set = rc_rom_set_load(deb, &error);
	g_assert_no_error(error);
	check_package_set(set, deb);
	romsynth_remove_tree(tmp);
}

/* usr/lib/ipxe/qemu as a link to a directory: files reached through it count once. */
static void test_deb_directory_link(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *root = g_build_filename(tmp, "root", NULL);
	g_autofree char *share = g_build_filename(root, "usr/share/qemu", NULL);
	g_autofree char *deb = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRomSet) set = NULL;

	make_dirs(root, "usr/share/qemu");
	make_dirs(root, "usr/lib/ipxe");
	write_rom(share, "efi-rtl8139.rom", 2048, 4096, 512);
	make_link(root, "usr/lib/ipxe/qemu", "../../share/qemu");
	deb = build_deb(tmp, root, "-z", ".gz");
	set = rc_rom_set_load(deb, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(set->entries->len, ==, 1);
	g_assert_cmpuint(rc_rom_set_lookup(set, "efi-rtl8139.rom")->size, ==, 6656);
	romsynth_remove_tree(tmp);
}

/* No usr/share/qemu or usr/lib/ipxe/qemu: every *.rom member counts. */
static void test_deb_elsewhere(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *root = g_build_filename(tmp, "root", NULL);
	g_autofree char *fw = g_build_filename(root, "usr/lib/firmware", NULL);
	g_autofree char *deb = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRomSet) set = NULL;

	make_dirs(root, "usr/lib/firmware");
	write_rom(fw, "nic.rom", 2048, 2048, 0);
	deb = build_deb(tmp, root, "-J", ".xz");
	set = rc_rom_set_load(deb, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(set->entries->len, ==, 1);
	g_assert_cmpstr(rc_rom_set_lookup(set, "nic.rom")->member, ==, "usr/lib/firmware/nic.rom");
	romsynth_remove_tree(tmp);
}

static void test_deb_without_roms(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *root = g_build_filename(tmp, "root", NULL);
	g_autofree char *doc = g_build_filename(root, "usr/share/doc/test", NULL);
	g_autofree char *copyright = g_build_filename(doc, "copyright", NULL);
	g_autofree char *deb = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRomSet) set = NULL;

	make_dirs(root, "usr/share/doc/test");
	g_assert_true(g_file_set_contents(copyright, "GPL\n", -1, NULL));
	deb = build_deb(tmp, root, "-J", ".xz");
	set = rc_rom_set_load(deb, &error);
	g_assert_null(set);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, deb));
	g_assert_nonnull(strstr(error->message, "no *.rom"));
	romsynth_remove_tree(tmp);
}

static void expect_corrupt(const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRomSet) set = rc_rom_set_load(path, &error);

	g_assert_null(set);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, path));
	g_assert_nonnull(strstr(error->message, "corrupt .deb"));
	g_assert_null(strchr(error->message, '\n'));
}

static void test_deb_corrupt(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *root = g_build_filename(tmp, "root", NULL);
	g_autofree char *share = g_build_filename(root, "usr/share/qemu", NULL);
	g_autofree char *garbage = g_build_filename(tmp, "garbage.deb", NULL);
	g_autofree char *cut = g_build_filename(tmp, "cut.deb", NULL);
	g_autofree char *noda = g_build_filename(tmp, "nodata.deb", NULL);
	g_autofree char *binary = g_build_filename(tmp, "debian-binary", NULL);
	g_autofree char *deb = NULL;
	g_autofree char *bytes = NULL;
	gsize len = 0;
	const char *ar[] = {"ar", "rcD", noda, binary, NULL};

	make_dirs(root, "usr/share/qemu");
	/* Random-ish bytes, so that the compressed stream is long enough to cut. */
	for (int i = 0; i < 4; i++) {
		g_autofree char *name = g_strdup_printf("efi-%d.rom", i);

		write_rom(share, name, 65536, 65536, 0);
	}
	deb = build_deb(tmp, root, "-J", ".xz");
	g_assert_true(g_file_get_contents(deb, &bytes, &len, NULL));
	g_assert_true(g_file_set_contents(cut, bytes, (gssize)(len * 2 / 3), NULL));
	expect_corrupt(cut);

	g_assert_true(g_file_set_contents(garbage, "this is not an ar archive at all\n", -1, NULL));
	expect_corrupt(garbage);

	romsynth_run(tmp, ar);
	expect_corrupt(noda);

	/* Flip bytes inside the compressed data.tar. */
	for (gsize i = len / 2; i < len / 2 + 64; i++)
		bytes[i] = (char)~bytes[i];
	g_assert_true(g_file_set_contents(deb, bytes, (gssize)len, NULL));
	expect_corrupt(deb);
	romsynth_remove_tree(tmp);
}

/* The installed ipxe-qemu's version, as it appears in a .deb's file name. */
static char *installed_ipxe_version(void)
{
	const char *argv[] = {"dpkg-query", "-W", "-f", "${Version}", "ipxe-qemu", NULL};
	g_autofree char *out = NULL;
	int status = 0;

	if (!g_spawn_sync(NULL, (char **)argv, NULL,
			  G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
			  &status, NULL) ||
	    !g_spawn_check_wait_status(status, NULL) || !out || !*out)
		return NULL;
	return g_strdup_printf("ipxe-qemu_%s_", out);
}

/* The ipxe-qemu package in apt's cache, if it is the installed version: same files. */
static void test_cached_ipxe_qemu(void)
{
	g_autoptr(GDir) cache = g_dir_open("/var/cache/apt/archives", 0, NULL);
	g_autofree char *prefix = installed_ipxe_version();
	g_autofree char *deb = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RcRomSet) deb_set = NULL;
	g_autoptr(RcRomSet) installed = NULL;
	const char *name;

	while (prefix && cache && (name = g_dir_read_name(cache)))
		if (g_str_has_prefix(name, prefix) && g_str_has_suffix(name, ".deb"))
			deb = g_build_filename("/var/cache/apt/archives", name, NULL);
	if (!deb || !g_file_test(IPXE_DIR, G_FILE_TEST_IS_DIR)) {
		g_test_skip("the installed ipxe-qemu's .deb is not in /var/cache/apt/archives");
		return;
	}
	deb_set = rc_rom_set_load(deb, &error);
	g_assert_no_error(error);
	installed = rc_rom_set_load(IPXE_DIR, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(rc_rom_set_count_errors(deb_set), ==, 0);
	g_assert_cmpuint(deb_set->entries->len, ==, installed->entries->len);
	for (guint i = 0; i < installed->entries->len; i++) {
		const RcRomEntry *want = g_ptr_array_index(installed->entries, i);
		const RcRomEntry *got = rc_rom_set_lookup(deb_set, want->name);
		g_autofree char *tail = g_strconcat("/", want->name, NULL);

		g_assert_nonnull(got);
		g_assert_true(g_str_has_suffix(got->member, tail));
		g_assert_cmpuint(got->size, ==, want->size);
		g_assert_cmpuint(got->rom->images->len, ==, want->rom->images->len);
	}
}

int main(int argc, char **argv)
{
	static const char *const xz[] = {"-J", ".xz", "xz"};
	static const char *const gz[] = {"-z", ".gz", "gzip"};
	static const char *const zst[] = {"--zstd", ".zst", "zstd"};

	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/romset/directory", test_directory);
	g_test_add_func("/romset/file-and-errors", test_file_and_errors);
	g_test_add_func("/romset/firmware", test_firmware);
	g_test_add_func("/romset/unreadable", test_unreadable);
	g_test_add_data_func("/romset/deb/xz", xz, test_deb);
	g_test_add_data_func("/romset/deb/gz", gz, test_deb);
	g_test_add_data_func("/romset/deb/zst", zst, test_deb);
	g_test_add_func("/romset/deb/directory-link", test_deb_directory_link);
	g_test_add_func("/romset/deb/elsewhere", test_deb_elsewhere);
	g_test_add_func("/romset/deb/without-roms", test_deb_without_roms);
	g_test_add_func("/romset/deb/corrupt", test_deb_corrupt);
	g_test_add_func("/romset/deb/cached-ipxe-qemu", test_cached_ipxe_qemu);
	return g_test_run();
}
