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

/**
 * RcQmpErrorCode - why a QMP call failed (the transport sets the last four, the
 * client the reply classes)
 * @RC_QMP_ERROR_GENERIC:	QMP error reply of class GenericError
 * @RC_QMP_ERROR_COMMAND_NOT_FOUND: QMP error reply of class CommandNotFound
 * @RC_QMP_ERROR_DEVICE_NOT_FOUND: QMP error reply of class DeviceNotFound
 * @RC_QMP_ERROR_OTHER_CLASS:	QMP error reply of another class
 * @RC_QMP_ERROR_TIMEOUT:	the deadline passed
 * @RC_QMP_ERROR_EOF:		QEMU closed the connection
 * @RC_QMP_ERROR_PROTOCOL:	not QMP: bad JSON, no greeting, message too big
 * @RC_QMP_ERROR_IO:		socket error
 */
typedef enum {
	RC_QMP_ERROR_GENERIC,
	RC_QMP_ERROR_COMMAND_NOT_FOUND,
	RC_QMP_ERROR_DEVICE_NOT_FOUND,
	RC_QMP_ERROR_OTHER_CLASS,
	RC_QMP_ERROR_TIMEOUT,
	RC_QMP_ERROR_EOF,
	RC_QMP_ERROR_PROTOCOL,
	RC_QMP_ERROR_IO,
} RcQmpErrorCode;

#define RC_QMP_ERROR (rc_qmp_error_quark())
GQuark rc_qmp_error_quark(void);

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
