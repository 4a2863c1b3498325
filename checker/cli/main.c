/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - romcompat's entry point: global options, the subcommand table,
 * and the one place where an error is printed and turned into an exit code.
 *
 * Exit codes: 0 compatible, 1 incompatible, 2 the user's input is wrong,
 * 3 the environment failed (QEMU, libvirt, apt, disk); bisect: 0 good,
 * 1 bad, 125 cannot test, 128 stop (what git bisect run reads).
 *
 * "romcompat help" lists the commands, "romcompat help COMMAND" prints a
 * command's help (as "romcompat COMMAND --help").
 */
#include <locale.h>
#include <sys/resource.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "sources/debsource.h"
#include "base/error.h"
#include "base/input.h"
#include "qmp/qmp_transport.h"
#include "base/trace.h"

static const RcCommand commands[] = {
	{"inspect", rc_cmd_inspect, "show the images inside option ROM files"},
	{"diff", rc_cmd_diff, "predict, without QEMU, which ROMs change BAR bucket"},
	{"pad", rc_cmd_pad, "fit ROM files into target buckets by padding or trimming"},
	{"migrate", rc_cmd_migrate, "migrate one machine type and NIC between two ROMs"},
	{"check", rc_cmd_check, "run the migration matrix of a scenario on real QEMU pairs"},
	{"bisect", rc_cmd_bisect, "a verdict for git bisect run: 0 good, 1 bad, 125 cannot test"},
	{"machines", rc_cmd_machines,
	 "read a QEMU binary's machine types and NIC ROMs into a catalog"},
	{"merge", rc_cmd_merge, "merge the shard reports of one matrix run"},
	{"combine", rc_cmd_combine, "one multi-image option ROM from per-architecture images"},
	{"saved", rc_cmd_saved, "will saved VM states restore with new ROMs"},
	{"split", rc_cmd_split, "write each image of an option ROM to a file of its own"},
	{"needs", rc_cmd_needs, "which QEMU machine types refuse to start without a ROM set"},
};

static void print_usage(FILE *out)
{
	fprintf(out, "Usage: romcompat [--trace] [--apt-sources FILE] COMMAND [OPTION...]\n"
		     "       romcompat help [COMMAND]\n\n"
		     "Will running VMs still migrate after an option ROM or QEMU update?\n\n"
		     "Commands:\n");
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nGlobal options:\n"
		     "  --trace    print every QMP message and QEMU command line on stderr\n"
		     "             (also ROMCOMPAT_TRACE=1)\n"
		     "  --apt-sources FILE\n"
		     "             fetch debian:PACKAGE=VERSION sources through this apt sources\n"
		     "             list, in private apt directories (also ROMCOMPAT_APT_SOURCES)\n"
		     "  --version  print the version\n\n"
		     "Run 'romcompat help COMMAND' for a command's options. Every command\n"
		     "takes --json FILE ('-': standard output, and then nothing else there),\n"
		     "-q (only the verdict line and errors) and -v (a line per case).\n"
		     "Exit status: 0 compatible, 1 incompatible, 2 the input is wrong,\n"
		     "3 the environment failed (QEMU, libvirt, apt, disk);\n"
		     "bisect: 0 good, 1 bad, 125 cannot test, 128 stop.\n");
}

static const RcCommand *find_command(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	fprintf(stderr, "romcompat: error: unknown command '%s' (see 'romcompat help')\n", name);
	return RC_EXIT_INPUT;
}

/*
 * "romcompat help [COMMAND]": the list of commands, or a command's help,
 * which the command prints itself (and exits 0).
 */
static int run_help(int argc, char **argv)
{
	const RcCommand *cmd;
	g_autoptr(GError) error = NULL;
	int status = RC_EXIT_COMPATIBLE;
	char *help_argv[] = {NULL, (char *)"--help", NULL};

	if (argc == 1) {
		print_usage(stdout);
		return RC_EXIT_COMPATIBLE;
	}
	if (argc > 2) {
		fprintf(stderr,
			"romcompat: error: help takes one command (see 'romcompat help')\n");
		return RC_EXIT_INPUT;
	}
	if (!(cmd = find_command(argv[1])))
		return unknown_command(argv[1]);
	help_argv[0] = (char *)cmd->name;
	if (!cmd->run(2, help_argv, &status, &error)) {
		rc_print_error(error);
		return RC_EXIT_INPUT;
	}
	return status;
}

static double cpu_seconds(const struct rusage *ru)
{
	return (double)ru->ru_utime.tv_sec + (double)ru->ru_stime.tv_sec +
	       ((double)ru->ru_utime.tv_usec + (double)ru->ru_stime.tv_usec) / 1e6;
}

/*
 * ROMCOMPAT_STATS=1: one line on stderr at exit with romcompat's own CPU
 * time and peak RSS apart from its QEMU children's, for the benchmarks.
 */
static void print_stats(void)
{
	struct rusage self, children;

	if (!g_getenv("ROMCOMPAT_STATS") || getrusage(RUSAGE_SELF, &self) != 0 ||
	    getrusage(RUSAGE_CHILDREN, &children) != 0)
		return;
	fprintf(stderr, "romcompat-stats: self-cpu=%.4f children-cpu=%.4f self-maxrss-kib=%ld\n",
		cpu_seconds(&self), cpu_seconds(&children), self.ru_maxrss);
}

/*
 * Raise the soft limit on open files to the hard one: -j 256 keeps 512
 * QEMUs, each with a QMP socket and a stderr pipe, about 1,500
 * descriptors, while many systems start programs with a soft limit of
 * 1,024.  Children get their descriptors closed (close_range), so the
 * higher limit costs them nothing.
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/*
 * exit_code_for_error() - exit code for a failure
 * @error:	the error that ended the command
 *
 * Only the command line knows every error domain: QMP errors are the
 * environment's (QEMU went away or misbehaved).  Errors of other domains (GIO, GLib file errors) come from reading inputs
 * and count as input errors.
 *
 * Return: RC_EXIT_INPUT or RC_EXIT_INFRA
 */
static int exit_code_for_error(const GError *error)
{
	if (error && error->domain == RC_QMP_ERROR)
		return RC_EXIT_INFRA;
	if (error && error->domain == RC_ERROR &&
	    (error->code == RC_ERROR_INFRA || error->code == RC_ERROR_INTERRUPTED))
		return RC_EXIT_INFRA;
	return RC_EXIT_INPUT;
}

static int finish(int status)
{
	print_stats();
	return status;
}

/* --apt-sources FILE: checked now, without blocking (apt would hang on a FIFO). */
static gboolean set_apt_sources(const char *file, const char *what, GError **error)
{
	if (!rc_input_check(file, what, RC_INPUT_FILE, NULL, error))
		return FALSE;
	rc_debian_set_apt_sources(file);
	return TRUE;
}

/*
 * The global options before the command; *@first is set to the command's
 * index.  Returns -1 to go on, or the exit status (--help, --version, an
 * error).
 */
static int parse_global_options(int argc, char **argv, int *first)
{
	g_autoptr(GError) error = NULL;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "--trace") == 0) {
			rc_trace_enable(TRUE);
		} else if (g_str_has_prefix(arg, "--apt-sources=")) {
			if (!set_apt_sources(arg + strlen("--apt-sources="), "--apt-sources",
					     &error))
				break;
		} else if (strcmp(arg, "--apt-sources") == 0) {
			if (i + 1 >= argc) {
				g_set_error(&error, RC_ERROR, RC_ERROR_USAGE,
					    "--apt-sources takes a FILE: an apt sources list");
				break;
			}
			if (!set_apt_sources(argv[++i], "--apt-sources", &error))
				break;
		} else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			print_usage(stdout);
			return RC_EXIT_COMPATIBLE;
		} else if (strcmp(arg, "--version") == 0) {
			printf("romcompat %s\n", RC_VERSION);
			return RC_EXIT_COMPATIBLE;
		} else {
			g_set_error(
				&error, RC_ERROR, RC_ERROR_USAGE,
				"unknown global option '%s'; a command's options come after its "
				"name (see 'romcompat help')",
				arg);
			break;
		}
	}
	if (error) {
		rc_print_error(error);
		return RC_EXIT_INPUT;
	}
	*first = i;
	return -1;
}

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	const RcCommand *cmd = NULL;
	int exit_status = RC_EXIT_COMPATIBLE;
	int first = 1;
	const char *env_sources;

	setlocale(LC_ALL, "");
	g_set_prgname("romcompat");
	raise_fd_limit();
	if ((exit_status = parse_global_options(argc, argv, &first)) >= 0)
		return exit_status;
	exit_status = RC_EXIT_COMPATIBLE;
	if (first >= argc) {
		fprintf(stderr, "romcompat: error: give a command (see 'romcompat help')\n");
		return RC_EXIT_INPUT;
	}
	/* The variable's file, like the option's, is checked before apt reads it. */
	env_sources = g_getenv("ROMCOMPAT_APT_SOURCES");
	if (env_sources && *env_sources &&
	    !rc_input_check(env_sources, "ROMCOMPAT_APT_SOURCES", RC_INPUT_FILE, NULL, &error)) {
		rc_print_error(error);
		return RC_EXIT_INPUT;
	}
	if (strcmp(argv[first], "help") == 0)
		return run_help(argc - first, argv + first);
	if (!(cmd = find_command(argv[first])))
		return unknown_command(argv[first]);

	if (!cmd->run(argc - first, argv + first, &exit_status, &error)) {
		rc_print_error(error);
		return finish(exit_code_for_error(error));
	}
	return finish(exit_status);
}
