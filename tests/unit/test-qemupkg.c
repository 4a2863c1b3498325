/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-qemupkg.c - unpacking a QEMU package into the cache: packages built
 * here with ar(1) and tar(1), a well-formed one (links made relative to
 * the tree) and crafted ones whose members would leave the tree, alone or
 * through a chain of links; the resolver that keeps a path inside a tree
 * (openat2 RESOLVE_BENEATH and the walk used where the kernel lacks it).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "base/beneath.h"
#include "base/error.h"
#include "sources/qemupkg.h"
#include "romsynth.h"

static void put(const char *root, const char *member, const char *text)
{
	g_autofree char *path = g_build_filename(root, member, NULL);
	g_autofree char *dir = g_path_get_dirname(path);

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void put_link(const char *root, const char *member, const char *target)
{
	g_autofree char *path = g_build_filename(root, member, NULL);
	g_autofree char *dir = g_path_get_dirname(path);

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_cmpint(symlink(target, path), ==, 0);
}

/*
 * Pack the members of @tmp/root as a .deb; @transform (a tar --transform
 * expression, or NULL) renames members, with -P so that tar keeps
 * absolute names and "..".
 */
static char *build_deb(const char *tmp, const char *transform)
{
	g_autofree char *root = g_build_filename(tmp, "root", NULL);
	g_autofree char *ctldir = g_build_filename(tmp, "control", NULL);
	g_autofree char *xform = transform ? g_strdup_printf("--transform=%s", transform) : NULL;
	const char *ctl[] = {"tar", "-C", ctldir, "-czf", "control.tar.gz", ".", NULL};
	const char *data[] = {
		"tar",	       "-C",	    root,	 "-cJPf",
		"data.tar.xz", "--owner=0", "--group=0", xform ? xform : "--recursion",
		".",	       NULL};
	const char *ar[] = {"ar",	   "rcD", "test.deb", "debian-binary", "control.tar.gz",
			    "data.tar.xz", NULL};

	put(tmp, "control/control", "Package: qemu-system-test\nVersion: 1:1.0-1\n");
	put(tmp, "debian-binary", "2.0\n");
	romsynth_run(tmp, ctl);
	romsynth_run(tmp, data);
	romsynth_run(tmp, ar);
	return g_build_filename(tmp, "test.deb", NULL);
}

static void test_extract(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *src = g_build_filename(tmp, "root", NULL);
	g_autofree char *out = g_build_filename(tmp, "out", NULL);
	g_autofree char *deb = NULL;
	g_autofree char *bin = g_build_filename(out, "usr/bin/qemu-system-x86_64", NULL);
	g_autofree char *abs_link = g_build_filename(out, "usr/share/qemu/bios.bin", NULL);
	g_autofree char *rel_link = g_build_filename(out, "usr/share/qemu/efi-e1000.rom", NULL);
	g_autofree char *target = NULL;
	g_autoptr(GError) error = NULL;

	put(src, "usr/bin/qemu-system-x86_64", "#!/bin/false\n");
	{
		g_autofree char *src_bin =
			g_build_filename(src, "usr/bin/qemu-system-x86_64", NULL);

		g_assert_cmpint(g_chmod(src_bin, 04755), ==, 0);
	}
	put(src, "usr/share/qemu/kvmvapic.bin", "vapic");
	put(src, "usr/lib/ipxe/qemu/efi-e1000.rom", "rom");
	put_link(src, "usr/share/qemu/bios.bin", "/usr/share/seabios/bios-256k.bin");
	put_link(src, "usr/share/qemu/efi-e1000.rom", "../../lib/ipxe/qemu/efi-e1000.rom");
	deb = build_deb(tmp, NULL);

	g_assert_true(rc_qemu_pkg_extract(deb, out, &error));
	g_assert_no_error(error);
	g_assert_true(g_file_test(bin, G_FILE_TEST_IS_EXECUTABLE));
	{
		GStatBuf st;

		g_assert_cmpint(g_stat(bin, &st), ==, 0);
		g_assert_cmpint(st.st_mode & 07777, ==, 0755); /* no set-user-ID */
	}
	/* An absolute target is the package's root: made relative to the link. */
	target = g_file_read_link(abs_link, NULL);
	g_assert_cmpstr(target, ==, "../../../usr/share/seabios/bios-256k.bin");
	g_free(target);
	target = g_file_read_link(rel_link, NULL);
	g_assert_cmpstr(target, ==, "../../lib/ipxe/qemu/efi-e1000.rom");
	g_assert_true(g_file_test(rel_link, G_FILE_TEST_IS_REGULAR));
	romsynth_remove_tree(tmp);
}

/* A crafted package is refused, naming the member, and writes nothing outside. */
static void expect_refused(const char *tmp, const char *deb, const char *member, const char *why)
{
	g_autofree char *out = g_build_filename(tmp, "out", "deep", NULL);
	g_autofree char *outside = g_build_filename(tmp, "out", "evil", NULL);
	g_autoptr(GError) error = NULL;

	g_assert_false(rc_qemu_pkg_extract(deb, out, &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, member));
	g_assert_nonnull(strstr(error->message, why));
	g_assert_nonnull(strstr(error->message, "refused"));
	g_assert_false(g_file_test(outside, G_FILE_TEST_EXISTS));
}

static void test_dotdot(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *src = g_build_filename(tmp, "root", NULL);
	g_autofree char *deb = NULL;

	put(src, "evil", "x");
	deb = build_deb(tmp, "s,^\\./evil$,../evil,");
	expect_refused(tmp, deb, "../evil", "'..'");
	romsynth_remove_tree(tmp);
}

static void test_absolute(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *src = g_build_filename(tmp, "root", NULL);
	g_autofree char *abs = g_build_filename(tmp, "out", "evil", NULL);
	g_autofree char *xform = g_strdup_printf("s,^\\./evil$,%s,", abs);
	g_autofree char *deb = NULL;

	put(src, "evil", "x");
	deb = build_deb(tmp, xform);
	expect_refused(tmp, deb, abs, "absolute");
	romsynth_remove_tree(tmp);
}

static void test_link_out(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *src = g_build_filename(tmp, "root", NULL);
	g_autofree char *deb = NULL;

	put_link(src, "usr/share/qemu/evil", "../../../../evil");
	deb = build_deb(tmp, NULL);
	expect_refused(tmp, deb, "usr/share/qemu/evil", "outside");
	romsynth_remove_tree(tmp);
}

static void test_through_link(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *src = g_build_filename(tmp, "root", NULL);
	g_autofree char *deb = NULL;

	/* "a/b" -> "." passes the lexical test; a member below it must not be written. */
	put_link(src, "a/b", ".");
	put(src, "a/c/x", "x");
	deb = build_deb(tmp, "s,^\\./a/c/x$,a/b/x,");
	expect_refused(tmp, deb, "a/b/x", "through a link");
	romsynth_remove_tree(tmp);
}

/*
 * "a/up -> .." and "usr -> a/up/a/up/../..": each target alone stays in
 * the tree, together they climb two levels above it, where a script waits
 * as usr/bin/qemu-system-x86_64.  The package is refused, nothing is made
 * outside the tree, the script never runs.
 */
static void test_link_chain(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *src = g_build_filename(tmp, "root", NULL);
	g_autofree char *x = g_build_filename(tmp, "x", NULL);
	g_autofree char *out = g_build_filename(x, "y", "root", NULL);
	g_autofree char *planted = g_build_filename(tmp, "x", "bin", "qemu-system-x86_64", NULL);
	g_autofree char *marker = g_build_filename(tmp, "marker", NULL);
	g_autofree char *script = g_strdup_printf("#!/bin/sh\ntouch %s\n", marker);
	g_autofree char *deb = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = NULL;
	guint outside = 0;

	put_link(src, "a/up", "..");
	put_link(src, "usr", "a/up/a/up/../..");
	deb = build_deb(tmp, NULL);
	put(tmp, "x/bin/qemu-system-x86_64", script);
	g_assert_cmpint(g_chmod(planted, 0755), ==, 0);

	g_assert_false(rc_qemu_pkg_extract(deb, out, &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "member usr leads out of the tree"));
	g_assert_nonnull(strstr(error->message, "refused"));
	g_assert_null(strchr(error->message, '\n'));
	/* Outside the tree: only "y" (the tree's parent) and the planted "bin". */
	dir = g_dir_open(x, 0, NULL);
	while (dir && g_dir_read_name(dir))
		outside++;
	g_assert_cmpuint(outside, ==, 2);
	g_assert_false(g_file_test(marker, G_FILE_TEST_EXISTS));
	romsynth_remove_tree(tmp);
}

/* The resolver under test: openat2 with its fallback, or the walk alone. */
typedef int (*OpenBeneath)(int rootfd, const char *path, int flags);

static void expect_open(OpenBeneath fn, int rootfd, const char *path, int flags, int err)
{
	int fd;

	errno = 0;
	fd = fn(rootfd, path, flags);
	if (err == 0) {
		g_assert_cmpint(fd, >=, 0);
		close(fd);
	} else {
		g_assert_cmpint(fd, ==, -1);
		g_assert_cmpint(errno, ==, err);
	}
}

static void check_resolver(OpenBeneath fn, int rootfd)
{
	expect_open(fn, rootfd, "a/file", O_RDONLY, 0);
	expect_open(fn, rootfd, "a/up/a/up/a/file", O_RDONLY, 0);  /* round trips inside */
	expect_open(fn, rootfd, "inside", O_RDONLY, 0);		   /* a link to a/file */
	expect_open(fn, rootfd, "inside", O_PATH | O_NOFOLLOW, 0); /* the link itself */
	expect_open(fn, rootfd, "a/up/..", O_PATH, EXDEV);
	expect_open(fn, rootfd, "usr", O_PATH, EXDEV); /* the chain */
	expect_open(fn, rootfd, "usr/bin/qemu", O_PATH, EXDEV);
	expect_open(fn, rootfd, "abs", O_PATH, EXDEV); /* an absolute target */
	expect_open(fn, rootfd, "/etc/passwd", O_PATH, EXDEV);
	expect_open(fn, rootfd, "loop1", O_PATH, ELOOP);
	expect_open(fn, rootfd, "missing", O_PATH, ENOENT);
	expect_open(fn, rootfd, "a/file/x", O_PATH, ENOTDIR);
}

static void make_resolver_tree(const char *root)
{
	put(root, "a/file", "x");
	put_link(root, "a/up", "..");
	put_link(root, "usr", "a/up/a/up/../..");
	put_link(root, "inside", "a/up/a/file");
	put_link(root, "abs", "/etc");
	put_link(root, "loop1", "loop2");
	put_link(root, "loop2", "loop1");
}

static void test_beneath_openat2(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_BENEATH};
	long probe = syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof(how));
	int rootfd;

	if (probe < 0 && errno == ENOSYS) {
		g_test_skip("this kernel has no openat2 (Linux < 5.6): the walk stands in "
			    "(tested in /qemupkg/beneath/walk)");
		romsynth_remove_tree(tmp);
		return;
	}
	if (probe >= 0)
		close((int)probe);
	make_resolver_tree(tmp);
	rootfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	check_resolver(rc_beneath_open, rootfd);
	close(rootfd);
	romsynth_remove_tree(tmp);
}

static void test_beneath_walk(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	int rootfd;

	make_resolver_tree(tmp);
	rootfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	check_resolver(rc_beneath_walk, rootfd);
	close(rootfd);
	romsynth_remove_tree(tmp);
}

static void test_beneath_tree(void)
{
	g_autofree char *tmp = romsynth_temp_dir();
	g_autofree char *good = g_build_filename(tmp, "good", NULL);
	g_autofree char *bad = g_build_filename(tmp, "bad", NULL);
	g_autoptr(GError) error = NULL;

	put(good, "usr/share/qemu/bios.bin", "x");
	put_link(good, "usr/share/qemu/efi-e1000.rom", "../../lib/ipxe/qemu/efi-e1000.rom");
	put_link(good, "usr/bin/qemu-bundle", "../..");
	g_assert_true(rc_beneath_check_tree(good, &error));
	g_assert_no_error(error);
	g_assert_true(rc_beneath_check_path(good, "usr/bin/qemu-bundle/usr/share/qemu", &error));
	g_assert_false(rc_beneath_check_path(good, "usr/share/qemu/efi-e1000.rom", &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT); /* dangles: not there */
	g_clear_error(&error);

	put_link(bad, "deep/a/up", "..");
	put_link(bad, "deep/usr", "a/up/a/up/../../..");
	g_assert_false(rc_beneath_check_tree(bad, &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_cmpstr(error->message, ==, "deep/usr leads out of the tree through its links");
	romsynth_remove_tree(tmp);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/qemupkg/extract", test_extract);
	g_test_add_func("/qemupkg/refused/dotdot", test_dotdot);
	g_test_add_func("/qemupkg/refused/absolute", test_absolute);
	g_test_add_func("/qemupkg/refused/link-out", test_link_out);
	g_test_add_func("/qemupkg/refused/through-link", test_through_link);
	g_test_add_func("/qemupkg/refused/link-chain", test_link_chain);
	g_test_add_func("/qemupkg/beneath/openat2", test_beneath_openat2);
	g_test_add_func("/qemupkg/beneath/walk", test_beneath_walk);
	g_test_add_func("/qemupkg/beneath/tree", test_beneath_tree);
	return g_test_run();
}
