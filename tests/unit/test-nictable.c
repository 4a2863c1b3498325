/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-nictable.c - the built-in NIC table against the real QEMU: every
 * model of the table is plugged into one paused QEMU per machine type and
 * its romfile read back with qom-get (QMP over QEMU's stdio).
 */
#include <string.h>

#include <gio/gio.h>
#include <json-c/json.h>

#include "jsonutil.h"
#include "nictable.h"

#define QEMU	     "qemu-system-x86_64"
#define QEMU_TIMEOUT 30 /* seconds for one QEMU to answer and quit */

/* The distinct models of the table, in table order. */
static GPtrArray *table_models(void)
{
	gsize n = 0;
	const RcNicUse *uses = rc_nic_table(&n);
	GPtrArray *models = g_ptr_array_new();

	for (gsize i = 0; i < n; i++)
		if (!g_ptr_array_find_with_equal_func(models, uses[i].model, g_str_equal, NULL))
			g_ptr_array_add(models, (gpointer)uses[i].model);
	return models;
}

/* What the table says @model loads on @machine: a file name or "" for none. */
static const char *expected_romfile(const char *model, const char *machine)
{
	gsize n = 0;
	const RcNicUse *uses = rc_nic_table(&n);

	for (gsize i = 0; i < n; i++)
		if (strcmp(uses[i].model, model) == 0 &&
		    rc_nic_machines_match(uses[i].machines, machine))
			return uses[i].romfile;
	return "";
}

typedef struct {
	GMainLoop *loop;
	char *out;
	GError *error;
	gboolean done;
} Communicate;

static void communicated(GObject *source, GAsyncResult *res, gpointer data)
{
	Communicate *c = data;

	g_subprocess_communicate_utf8_finish(G_SUBPROCESS(source), res, &c->out, NULL, &c->error);
	c->done = TRUE;
	g_main_loop_quit(c->loop);
}

static gboolean timed_out(gpointer data)
{
	g_main_loop_quit(((Communicate *)data)->loop);
	return G_SOURCE_REMOVE;
}

/* Start QEMU with @models on @machine, qom-get each romfile: model -> romfile. */
static GHashTable *read_romfiles(const char *machine, GPtrArray *models)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) input = g_string_new("{\"execute\": \"qmp_capabilities\"}\n");
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_auto(GStrv) lines = NULL;
	Communicate c = {.loop = loop};
	GHashTable *romfiles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	guint timeout;

	for (const char *a[] = {QEMU, "-machine", NULL, "-accel", "tcg", "-nodefaults", "-display",
				"none", "-m", "64", "-S", "-qmp", "stdio", NULL},
			**p = a;
	     *p || p == a + 2; p++)
		g_ptr_array_add(argv, g_strdup(p == a + 2 ? machine : *p));
	for (guint i = 0; i < models->len; i++) {
		const char *model = g_ptr_array_index(models, i);

		g_ptr_array_add(argv, g_strdup("-device"));
		g_ptr_array_add(argv, g_strdup_printf("%s,id=nic%u", model, i));
		g_string_append_printf(
			input,
			"{\"execute\": \"qom-get\", \"id\": %u, \"arguments\": "
			"{\"path\": \"/machine/peripheral/nic%u\", \"property\": \"romfile\"}}\n",
			i, i);
	}
	g_string_append(input, "{\"execute\": \"quit\"}\n");
	g_ptr_array_add(argv, NULL);

	proc = g_subprocess_newv((const char *const *)argv->pdata,
				 G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					 G_SUBPROCESS_FLAGS_STDERR_SILENCE,
				 &error);
	g_assert_no_error(error);
	g_subprocess_communicate_utf8_async(proc, input->str, NULL, communicated, &c);
	timeout = g_timeout_add_seconds(QEMU_TIMEOUT, timed_out, &c);
	g_main_loop_run(loop);
	if (!c.done) {
		g_subprocess_force_exit(proc);
		g_subprocess_wait(proc, NULL, NULL);
		g_error("%s -machine %s did not quit within %d s", QEMU, machine, QEMU_TIMEOUT);
	}
	g_source_remove(timeout);
	g_subprocess_wait(proc, NULL, NULL);
	g_assert_no_error(c.error);

	lines = g_strsplit(c.out, "\n", -1);
	for (char **l = lines; *l; l++) {
		g_autoptr(json_object) reply = json_tokener_parse(*l);
		json_object *id = NULL;
		json_object *ret = NULL;

		if (!reply || !json_object_object_get_ex(reply, "id", &id) ||
		    !json_object_object_get_ex(reply, "return", &ret))
			continue;
		g_hash_table_replace(romfiles,
				     g_strdup(g_ptr_array_index(models, json_object_get_int(id))),
				     g_strdup(json_object_get_string(ret)));
	}
	g_free(c.out);
	return romfiles;
}

static void test_against_qemu(gconstpointer data)
{
	const char *machine = data;
	g_autoptr(GPtrArray) models = table_models();
	g_autoptr(GHashTable) romfiles = NULL;
	g_autofree char *qemu = g_find_program_in_path(QEMU);

	if (!qemu) {
		g_test_skip(QEMU " is not installed (package qemu-system-x86)");
		return;
	}
	romfiles = read_romfiles(machine, models);
	for (guint i = 0; i < models->len; i++) {
		const char *model = g_ptr_array_index(models, i);
		const char *got = g_hash_table_lookup(romfiles, model);

		if (!got)
			g_error("%s on %s: no romfile read back (model unknown to this QEMU?)",
				model, machine);
		if (strcmp(got, expected_romfile(model, machine)) != 0)
			g_error("%s on %s loads '%s', the table says '%s'", model, machine, got,
				expected_romfile(model, machine));
	}
}

static void test_lookup(void)
{
	g_autoptr(GPtrArray) e1000 = rc_nic_table_lookup("efi-e1000.rom");
	g_autoptr(GPtrArray) none = rc_nic_table_lookup("efi-eepro100.rom");
	g_autoptr(GPtrArray) eepro = rc_nic_table_lookup("pxe-eepro100.rom");
	g_autofree char *summary = rc_nic_models_summary(e1000, 0);
	g_autofree char *short_eepro = rc_nic_models_summary(eepro, 4);
	g_autofree char *dash = rc_nic_models_summary(none, 4);

	g_assert_cmpuint(e1000->len, ==, 3);
	g_assert_cmpstr(summary, ==, "e1000 (not on pc-i440fx-1.4), e1000-82544gc, e1000-82545em");
	g_assert_cmpuint(eepro->len, ==, 13);
	g_assert_cmpstr(short_eepro, ==, "i82550, i82551, ..., i82801 (13 models)");
	g_assert_cmpstr(dash, ==, "-");
	g_assert_true(rc_nic_machines_match(RC_NIC_FROM_2_7, "pc-q35-2.7"));
	g_assert_false(rc_nic_machines_match(RC_NIC_FROM_2_7, "pc-i440fx-2.6"));
	g_assert_true(rc_nic_machines_match(RC_NIC_FROM_2_7, "pc-i440fx-2.10"));
	g_assert_true(rc_nic_machines_match(RC_NIC_FROM_2_7, "q35"));
	g_assert_false(rc_nic_machines_match(RC_NIC_NOT_I440FX_1_4, "pc-i440fx-1.4"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/nictable/lookup", test_lookup);
	g_test_add_data_func("/nictable/qemu/pc-i440fx-1.4", "pc-i440fx-1.4", test_against_qemu);
	g_test_add_data_func("/nictable/qemu/pc-i440fx-2.6", "pc-i440fx-2.6", test_against_qemu);
	g_test_add_data_func("/nictable/qemu/pc-i440fx-2.7", "pc-i440fx-2.7", test_against_qemu);
	g_test_add_data_func("/nictable/qemu/q35", "q35", test_against_qemu);
	return g_test_run();
}
