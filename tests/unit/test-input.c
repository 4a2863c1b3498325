/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-input.c - operands that are not regular files: a FIFO is refused at
 * once instead of blocking, a device and a directory are named, a size
 * bound is checked before any byte is read.
 */
#include "base/error.h"
#include "base/input.h"
#include "romsynth.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_fifo_refused(void)
{
	g_autofree char *dir = romsynth_temp_dir();
	g_autofree char *fifo = g_build_filename(dir, "rom.fifo", NULL);
	g_autofree char *link = g_build_filename(dir, "link-to-fifo", NULL);
	g_autoptr(GError) error = NULL;
	char *text = NULL;

	g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
	g_assert_cmpint(symlink(fifo, link), ==, 0);
	/* No writer: a blocking open would never return. */
	g_assert_cmpint(rc_input_open(fifo, "ROM file", RC_INPUT_FILE, NULL, &error), ==, -1);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "a FIFO"));
	g_clear_error(&error);
	g_assert_false(rc_input_read(link, "report", 1024, &text, NULL, &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, link));
	g_assert_null(text);
	romsynth_remove_tree(dir);
}

static void test_device_and_directory(void)
{
	g_autofree char *dir = romsynth_temp_dir();
	g_autoptr(GError) error = NULL;
	struct stat st;
	int fd;

	g_assert_false(rc_input_check("/dev/zero", "report", RC_INPUT_FILE, NULL, &error));
	g_assert_nonnull(strstr(error->message, "a character device"));
	g_clear_error(&error);
	g_assert_false(rc_input_check(dir, "ROM file", RC_INPUT_FILE, NULL, &error));
	g_assert_nonnull(strstr(error->message, "a directory"));
	g_clear_error(&error);
	fd = rc_input_open(dir, "ROM set", RC_INPUT_FILE_OR_DIR, &st, &error);
	g_assert_no_error(error);
	g_assert_cmpint(fd, >=, 0);
	g_assert_true(S_ISDIR(st.st_mode));
	close(fd);
	romsynth_remove_tree(dir);
}

static void test_size_bound(void)
{
	g_autofree char *dir = romsynth_temp_dir();
	g_autofree char *path = g_build_filename(dir, "report.json", NULL);
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	gsize length = 0;

	g_assert_true(g_file_set_contents(path, "{\"a\": 1}", -1, NULL));
	g_assert_true(rc_input_read(path, "report", 8, &text, &length, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(length, ==, 8);
	g_assert_cmpstr(text, ==, "{\"a\": 1}");
	g_assert_false(rc_input_read(path, "report", 7, &text, &length, &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "8 bytes"));
	g_clear_error(&error);
	g_assert_false(rc_input_read("/nonexistent/x.json", "report", 8, &text, NULL, &error));
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	romsynth_remove_tree(dir);
}

static void test_link_loop(void)
{
	g_autofree char *dir = romsynth_temp_dir();
	g_autofree char *a = g_build_filename(dir, "a", NULL);
	g_autofree char *b = g_build_filename(dir, "b", NULL);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(symlink(b, a), ==, 0);
	g_assert_cmpint(symlink(a, b), ==, 0);
	g_assert_false(rc_input_check(a, "scenario", RC_INPUT_FILE, NULL, &error));
	g_assert_nonnull(strstr(error->message, "link loop"));
	g_assert_null(strchr(error->message, '\n'));
	romsynth_remove_tree(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/input/fifo-refused", test_fifo_refused);
	g_test_add_func("/input/device-and-directory", test_device_and_directory);
	g_test_add_func("/input/size-bound", test_size_bound);
	g_test_add_func("/input/link-loop", test_link_loop);
	return g_test_run();
}
