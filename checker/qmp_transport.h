/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qmp_transport.h - one QMP connection as a stream of JSON messages: a file
 * descriptor, a receive buffer, incremental parsing and whole-message
 * writes, each bounded by a deadline.  It knows nothing of ids, replies or
 * events (that is qmp_client.c).
 */
#ifndef RC_QMP_TRANSPORT_H
#define RC_QMP_TRANSPORT_H

#include <glib.h>
#include <json-c/json.h>

/* The largest message accepted; query-qmp-schema, the biggest reply QEMU
 * sends, is about 200 KiB, so this only stops a runaway peer. */
#define RC_QMP_MAX_MESSAGE (16 * 1024 * 1024)

typedef struct RcQmpTransport RcQmpTransport;

RcQmpTransport *rc_qmp_transport_new(int fd, const char *label, GError **error);
json_object *rc_qmp_transport_receive(RcQmpTransport *t, gint64 deadline, GError **error);
gboolean rc_qmp_transport_send(RcQmpTransport *t, json_object *msg, gint64 deadline,
			       GError **error);
int rc_qmp_transport_get_fd(RcQmpTransport *t);
const char *rc_qmp_transport_get_label(RcQmpTransport *t);
void rc_qmp_transport_free(RcQmpTransport *t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcQmpTransport, rc_qmp_transport_free)

#endif /* RC_QMP_TRANSPORT_H */
