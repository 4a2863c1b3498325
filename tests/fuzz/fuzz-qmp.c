/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-qmp.c - libFuzzer target: arbitrary bytes as everything a QEMU sends
 * on its QMP socket.
 *
 * The input is written into one end of a socketpair, whose write side is
 * then shut, and read from the other end twice: once by the bare transport
 * (every message until end of file or an error), once by a client session
 * that greets, runs each typed wrapper in turn and waits for events.  The
 * ids the client uses are predictable ("rc-1" for qmp_capabilities, then
 * rc-2, ...), so inputs built from the seed corpus reach the wrappers'
 * extraction code.  All bytes are in the socket before reading starts, so
 * nothing ever waits; the deadline only guards against a hang.
 */
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#include "qmp/qmp_client.h"
#include "qmp/qmp_commands.h"
#include "qmp/qmp_transport.h"

/* A unix socket's default buffer holds this much without blocking. */
#define FUZZ_MAX_INPUT (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A socketpair whose [0] end will read @data and then see end of file;
 * the [1] end stays open so that what the client sends is absorbed. */
static gboolean feed_socketpair(const uint8_t *data, size_t size, int sv[2])
{
	size_t done = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return FALSE;
	while (done < size) {
		ssize_t n = write(sv[1], data + done, size - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	shutdown(sv[1], SHUT_WR);
	return TRUE;
}

static void fuzz_transport(const uint8_t *data, size_t size)
{
	g_autoptr(RcQmpTransport) t = NULL;
	json_object *msg;
	int sv[2];

	if (!feed_socketpair(data, size, sv))
		return;
	close(sv[1]);
	t = rc_qmp_transport_new(sv[0], "fuzz", NULL);
	if (!t)
		return;
	while ((msg = rc_qmp_transport_receive(t, g_get_monotonic_time() + G_USEC_PER_SEC, NULL)))
		json_object_put(msg);
}

static void fuzz_client(const uint8_t *data, size_t size)
{
	gint64 deadline = g_get_monotonic_time() + G_USEC_PER_SEC;
	g_autoptr(RcQmp) qmp = NULL;
	GHashTable *commands;
	GPtrArray *machines;
	g_autofree char *status = NULL;
	json_object *event;
	int sv[2];

	if (!feed_socketpair(data, size, sv))
		return;
	qmp = rc_qmp_new_fd(sv[0], "fuzz", deadline, NULL);
	if (qmp) {
		/* Each wrapper in turn, each taking the reply with the next id;
		 * once the stream is broken or ends, the rest fail at once. */
		rc_qmp_version_free(rc_qmp_query_version(qmp, deadline, NULL));
		commands = rc_qmp_query_commands(qmp, deadline, NULL);
		if (commands)
			g_hash_table_unref(commands);
		rc_qmp_migrate_info_free(rc_qmp_query_migrate(qmp, deadline, NULL));
		machines = rc_qmp_query_machines(qmp, deadline, NULL);
		if (machines)
			g_ptr_array_unref(machines);
		rc_qmp_query_status(qmp, &status, NULL, deadline, NULL);
		g_free(rc_qmp_human_monitor_command(qmp, "info ramblock", deadline, NULL));
		g_free(rc_qmp_qom_get_string(qmp, "/machine/peripheral/nic0", "romfile", deadline,
					     NULL));
		rc_qmp_quit(qmp, deadline, NULL);
		while ((event = rc_qmp_wait_event(qmp, NULL, deadline, NULL)))
			json_object_put(event);
	}
	close(sv[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return 0;
	fuzz_transport(data, size);
	fuzz_client(data, size);
	return 0;
}
