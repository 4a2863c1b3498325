/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qmp_client.h - a QMP client for one QEMU: the capabilities handshake,
 * an id on every command, replies matched by id, and events set aside in a
 * queue that never drops one while a reply is awaited.
 *
 * Layers (as in QEMU's qtest): qmp_transport.c knows only a file descriptor
 * and the framing of JSON messages; this client knows ids, replies and
 * events; qmp_commands.c has one typed wrapper per command (make, send,
 * check, extract).
 *
 * Every call that waits takes a deadline on the monotonic clock
 * (g_get_monotonic_time() microseconds) and fails with RC_QMP_ERROR_TIMEOUT
 * when it passes.
 */
#ifndef RC_QMP_CLIENT_H
#define RC_QMP_CLIENT_H

#include <glib.h>
#include <json-c/json.h>

#include "qmp/qmp_transport.h"

typedef struct RcQmp RcQmp;

RcQmp *rc_qmp_new_fd(int fd, const char *label, gint64 deadline, GError **error);
RcQmp *rc_qmp_connect_unix(const char *path, const char *label, gint64 deadline, GError **error);
json_object *rc_qmp_execute(RcQmp *qmp, const char *command, json_object *args, gint64 deadline,
			    GError **error);
json_object *rc_qmp_wait_event(RcQmp *qmp, const char *event, gint64 deadline, GError **error);
json_object *rc_qmp_pop_event(RcQmp *qmp, const char *event);
int rc_qmp_get_fd(RcQmp *qmp);
const char *rc_qmp_get_label(RcQmp *qmp);
void rc_qmp_free(RcQmp *qmp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcQmp, rc_qmp_free)

#endif /* RC_QMP_CLIENT_H */
