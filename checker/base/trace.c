/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.c - the --trace switch (also ROMCOMPAT_TRACE=1 in the environment):
 * every QMP message and every QEMU argv, time-stamped on the monotonic
 * clock, to stderr.  Off by default; the user sees one clear line per
 * error, the trace carries the whole exchange.
 */
#include "base/trace.h"

#include <stdarg.h>
#include <stdio.h>

static gint trace_on = -1; /* -1: not decided yet, read the environment */
static gint64 trace_epoch;

/**
 * rc_trace_enable() - turn tracing on or off
 * @on:		TRUE to trace
 */
void rc_trace_enable(gboolean on)
{
	g_atomic_int_set(&trace_on, on ? 1 : 0);
}

/**
 * rc_trace_enabled() - whether trace lines are printed
 *
 * Return: TRUE when --trace was given or ROMCOMPAT_TRACE is set to a
 * non-empty value other than "0"
 */
gboolean rc_trace_enabled(void)
{
	gint on = g_atomic_int_get(&trace_on);

	if (on < 0) {
		const char *env = g_getenv("ROMCOMPAT_TRACE");

		on = env && *env && g_strcmp0(env, "0") != 0;
		g_atomic_int_set(&trace_on, on);
	}
	return on;
}

/**
 * rc_trace() - print one trace line if tracing is on
 * @fmt:	printf format
 */
void rc_trace(const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;
	gint64 now;

	if (!rc_trace_enabled())
		return;
	now = g_get_monotonic_time();
	if (!trace_epoch)
		trace_epoch = now;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "[%10.6f] %s\n", (double)(now - trace_epoch) / G_USEC_PER_SEC, msg);
}

/**
 * rc_trace_argv() - trace a command line, one quoted word at a time
 * @what:	what is being started ("qemu src", ...)
 * @argv:	NULL-terminated argument vector
 */
void rc_trace_argv(const char *what, const char *const *argv)
{
	g_autoptr(GString) line = NULL;

	if (!rc_trace_enabled())
		return;
	line = g_string_new(what);
	g_string_append(line, ":");
	for (; argv && *argv; argv++) {
		g_autofree char *q = g_shell_quote(*argv);

		g_string_append_c(line, ' ');
		g_string_append(line, q);
	}
	rc_trace("%s", line->str);
}
