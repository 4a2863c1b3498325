/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qmp_client.c - the QMP protocol above the framing: the greeting and the
 * capabilities handshake, a unique id on every command, replies matched by
 * id, and events set aside in a queue while a reply is awaited.
 *
 * Theory of operation: QMP interleaves asynchronous events with replies on
 * one stream, so whoever reads the socket may meet an event meant for a
 * later rc_qmp_wait_event() call.  Such events go to a queue, in arrival
 * order, and every event lookup searches the queue before reading more; no
 * event is ever dropped.  A command whose reply did not come before its
 * deadline leaves its id in a set, so that the late reply is recognised and
 * skipped instead of being taken for a reply to a later command.
 *
 * Errors have two audiences (as in libvirt): the full command and reply are
 * in the trace, the GError carries the command name and QMP's "desc".
 */
#include "qmp/qmp_client.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/jsonutil.h"
#include "qmp/qmp_transport.h"
#include "base/trace.h"

/* Back-off between connection attempts while QEMU creates its socket. */
#define CONNECT_RETRY_MIN_US 1000
#define CONNECT_RETRY_MAX_US 20000

/**
 * struct RcQmp - one QMP session
 * @t:		the framing layer, owning the socket
 * @events:	events received while something else was awaited (json_object *)
 * @next_id:	number for the next command's id
 * @abandoned:	ids of commands whose reply did not come before their
 *		deadline (char * set)
 * @broken:	the protocol violation that made the session unusable, or NULL
 */
struct RcQmp {
	RcQmpTransport *t;
	GQueue events;
	guint64 next_id;
	GHashTable *abandoned;
	GError *broken;
};

static const char *json_get_string(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static gboolean is_event(json_object *msg)
{
	return json_get_string(msg, "event") != NULL;
}

static gboolean is_reply(json_object *msg)
{
	return json_object_object_get_ex(msg, "return", NULL) ||
	       json_object_object_get_ex(msg, "error", NULL);
}

/* The id of a reply as a string (QEMU echoes whatever JSON value was sent;
 * ours are strings), or NULL when there is none. */
static const char *reply_id(json_object *msg)
{
	return json_get_string(msg, "id");
}

static RcQmpErrorCode code_for_class(const char *klass)
{
	if (g_strcmp0(klass, "GenericError") == 0)
		return RC_QMP_ERROR_GENERIC;
	if (g_strcmp0(klass, "CommandNotFound") == 0)
		return RC_QMP_ERROR_COMMAND_NOT_FOUND;
	if (g_strcmp0(klass, "DeviceNotFound") == 0)
		return RC_QMP_ERROR_DEVICE_NOT_FOUND;
	return RC_QMP_ERROR_OTHER_CLASS;
}

static void protocol_error(RcQmp *qmp, GError **error, const char *what)
{
	g_set_error(error, RC_QMP_ERROR, RC_QMP_ERROR_PROTOCOL,
		    "QEMU %s broke the QMP protocol: %s (see --trace)",
		    rc_qmp_transport_get_label(qmp->t), what);
}

/**
 * receive_other() - deal with a message that is not the one awaited
 * @qmp:	session
 * @msg:	the message (consumed)
 * @error:	set when @msg has no place in the protocol at this point
 *
 * Events are queued, late replies to abandoned commands skipped; anything
 * else is a protocol error.
 *
 * Return: TRUE when the caller can go on reading
 */
static gboolean receive_other(RcQmp *qmp, json_object *msg, GError **error)
{
	g_autoptr(json_object) owned = msg;
	GError *local = NULL;
	const char *id;

	if (is_event(msg)) {
		g_queue_push_tail(&qmp->events, g_steal_pointer(&owned));
		return TRUE;
	}
	id = reply_id(msg);
	if (is_reply(msg) && id && g_hash_table_remove(qmp->abandoned, id)) {
		rc_trace("qmp %s: late reply to %s skipped", rc_qmp_transport_get_label(qmp->t),
			 id);
		return TRUE;
	}
	if (is_reply(msg) && id) {
		g_autofree char *what = g_strdup_printf("a reply to unknown command id %s", id);

		protocol_error(qmp, &local, what);
	} else if (is_reply(msg)) {
		protocol_error(qmp, &local, "a reply without an id");
	} else if (json_object_object_get_ex(msg, "QMP", NULL)) {
		protocol_error(qmp, &local, "a second greeting");
	} else {
		protocol_error(qmp, &local, "a message that is neither a reply nor an event");
	}
	/* Replies can no longer be trusted to match their commands. */
	qmp->broken = g_error_copy(local);
	g_propagate_error(error, local);
	return FALSE;
}

/* Whether an earlier protocol violation ended the session; sets @error. */
static gboolean session_broken(RcQmp *qmp, GError **error)
{
	if (!qmp->broken)
		return FALSE;
	g_propagate_error(error, g_error_copy(qmp->broken));
	return TRUE;
}

/**
 * check_reply() - turn a reply into its "return" value or a GError
 * @qmp:	session
 * @command:	the command's name, for the error message
 * @reply:	the reply (borrowed)
 * @error:	RC_QMP_ERROR with a code from the error class and message
 *		"COMMAND: desc", or RC_QMP_ERROR_PROTOCOL
 *
 * Return: a new reference to the "return" value, or NULL
 */
static json_object *check_reply(RcQmp *qmp, const char *command, json_object *reply, GError **error)
{
	json_object *ret, *err;

	if (json_object_object_get_ex(reply, "error", &err)) {
		const char *klass = json_get_string(err, "class");
		const char *desc = json_get_string(err, "desc");

		if (!json_object_is_type(err, json_type_object) || !klass || !desc) {
			g_autofree char *what =
				g_strdup_printf("a malformed error reply to %s", command);

			protocol_error(qmp, error, what);
			return NULL;
		}
		g_set_error(error, RC_QMP_ERROR, code_for_class(klass), "%s: %s", command, desc);
		return NULL;
	}
	if (!json_object_object_get_ex(reply, "return", &ret)) {
		g_autofree char *what = g_strdup_printf("a reply to %s without a result", command);

		protocol_error(qmp, error, what);
		return NULL;
	}
	/* "return": null is not something QEMU sends; json-c has no object for
	 * it, and callers expect a value. */
	if (!ret) {
		g_autofree char *what = g_strdup_printf("a null result for %s", command);

		protocol_error(qmp, error, what);
		return NULL;
	}
	return json_object_get(ret);
}

/**
 * rc_qmp_execute() - run one QMP command and wait for its reply
 * @qmp:	session
 * @command:	command name, e.g. "query-migrate"
 * @args:	its "arguments" object, or NULL; borrowed, not consumed
 * @deadline:	monotonic time (g_get_monotonic_time()) to give up at
 * @error:	a QMP error reply (code from its class, message
 *		"COMMAND: desc"), or TIMEOUT, EOF, PROTOCOL, IO
 *
 * Events that arrive before the reply are queued for rc_qmp_wait_event().
 *
 * Return: a new reference to the reply's "return" value, or NULL
 */
json_object *rc_qmp_execute(RcQmp *qmp, const char *command, json_object *args, gint64 deadline,
			    GError **error)
{
	g_autoptr(json_object) cmd = json_object_new_object();
	g_autofree char *id = g_strdup_printf("rc-%" G_GUINT64_FORMAT, ++qmp->next_id);
	GError *local = NULL;

	json_object_object_add(cmd, "execute", json_object_new_string(command));
	if (args)
		json_object_object_add(cmd, "arguments", json_object_get(args));
	json_object_object_add(cmd, "id", json_object_new_string(id));

	if (session_broken(qmp, &local) || !rc_qmp_transport_send(qmp->t, cmd, deadline, &local))
		goto fail;

	for (;;) {
		g_autoptr(json_object) msg = rc_qmp_transport_receive(qmp->t, deadline, &local);

		if (!msg) {
			if (g_error_matches(local, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT))
				g_hash_table_add(qmp->abandoned, g_steal_pointer(&id));
			goto fail;
		}
		if (is_reply(msg) && g_strcmp0(reply_id(msg), id) == 0)
			return check_reply(qmp, command, msg, error);
		if (!receive_other(qmp, g_steal_pointer(&msg), &local))
			goto fail;
	}

fail:
	g_prefix_error(&local, "%s: ", command);
	g_propagate_error(error, local);
	return NULL;
}

static gboolean event_matches(json_object *msg, const char *event)
{
	return !event || g_strcmp0(json_get_string(msg, "event"), event) == 0;
}

/**
 * rc_qmp_pop_event() - take a queued event without reading the socket
 * @qmp:	session
 * @event:	event name, e.g. "MIGRATION", or NULL for any event
 *
 * Return: the oldest queued event of that name (the whole message, with
 * "event", "data" and "timestamp"; the caller owns it), or NULL
 */
json_object *rc_qmp_pop_event(RcQmp *qmp, const char *event)
{
	for (GList *l = qmp->events.head; l; l = l->next) {
		if (event_matches(l->data, event)) {
			json_object *msg = l->data;

			g_queue_delete_link(&qmp->events, l);
			return msg;
		}
	}
	return NULL;
}

/**
 * rc_qmp_wait_event() - wait for an event, looking in the queue first
 * @qmp:	session
 * @event:	event name, or NULL for any event
 * @deadline:	monotonic time to give up at
 * @error:	TIMEOUT, EOF, PROTOCOL or IO
 *
 * Other events read meanwhile are queued; late replies to abandoned
 * commands are skipped.
 *
 * Return: the whole event message (the caller owns it), or NULL
 */
json_object *rc_qmp_wait_event(RcQmp *qmp, const char *event, gint64 deadline, GError **error)
{
	json_object *msg = rc_qmp_pop_event(qmp, event);
	GError *local = NULL;

	while (!msg && !session_broken(qmp, &local)) {
		msg = rc_qmp_transport_receive(qmp->t, deadline, &local);
		if (!msg)
			break;
		if (is_event(msg) && event_matches(msg, event))
			break;
		if (!receive_other(qmp, g_steal_pointer(&msg), &local))
			break;
	}
	if (local) {
		g_prefix_error(&local, "waiting for event %s: ", event ? event : "(any)");
		g_propagate_error(error, local);
	}
	return msg;
}

/**
 * greet() - check QEMU's greeting and leave capabilities negotiation mode
 * @qmp:	session, freshly connected
 * @deadline:	monotonic time to give up at
 * @error:	set when the peer is not a QMP server
 *
 * Return: TRUE when commands can be sent
 */
static gboolean greet(RcQmp *qmp, gint64 deadline, GError **error)
{
	g_autoptr(json_object) greeting = NULL;
	g_autoptr(json_object) ret = NULL;
	json_object *qmp_member;
	GError *local = NULL;

	greeting = rc_qmp_transport_receive(qmp->t, deadline, &local);
	if (!greeting) {
		g_prefix_error(&local, "waiting for the QMP greeting: ");
		g_propagate_error(error, local);
		return FALSE;
	}
	if (!json_object_object_get_ex(greeting, "QMP", &qmp_member) ||
	    !json_object_is_type(qmp_member, json_type_object)) {
		protocol_error(qmp, error, "its first message is not a QMP greeting");
		return FALSE;
	}

	ret = rc_qmp_execute(qmp, "qmp_capabilities", NULL, deadline, error);
	if (!ret)
		return FALSE;
	if (!json_object_is_type(ret, json_type_object)) {
		protocol_error(qmp, error, "qmp_capabilities returned something other than {}");
		return FALSE;
	}
	return TRUE;
}

/**
 * rc_qmp_new_fd() - start a QMP session on a connected socket
 * @fd:		connected stream socket; owned by the session from now on, and
 *		closed when this fails
 * @label:	which QEMU this is, for traces and errors ("src", "dst")
 * @deadline:	monotonic time to give up at
 * @error:	set when the greeting or the handshake fails
 *
 * Reads the greeting, checks it and sends qmp_capabilities.
 *
 * Return: the session, ready for commands, or NULL
 */
RcQmp *rc_qmp_new_fd(int fd, const char *label, gint64 deadline, GError **error)
{
	g_autoptr(RcQmp) qmp = g_new0(RcQmp, 1);

	g_queue_init(&qmp->events);
	qmp->abandoned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	qmp->t = rc_qmp_transport_new(fd, label, error);
	if (!qmp->t || !greet(qmp, deadline, error))
		return NULL;
	return g_steal_pointer(&qmp);
}

/**
 * rc_qmp_connect_unix() - connect to QEMU's QMP unix socket and greet it
 * @path:	socket path given to QEMU's -qmp unix:PATH,server=on,wait=off
 * @label:	which QEMU this is, for traces and errors
 * @deadline:	monotonic time to give up at
 * @error:	TIMEOUT when the socket never accepted, IO for other failures,
 *		or whatever rc_qmp_new_fd() reports
 *
 * QEMU creates the socket while it starts, so a missing socket (ENOENT) or
 * one not listening yet (ECONNREFUSED) is retried with a short back-off
 * until @deadline.
 *
 * Return: the session, or NULL
 */
RcQmp *rc_qmp_connect_unix(const char *path, const char *label, gint64 deadline, GError **error)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	gulong pause_us = CONNECT_RETRY_MIN_US;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		g_set_error(error, RC_QMP_ERROR, RC_QMP_ERROR_IO,
			    "QMP socket path %s of QEMU %s is longer than %zu bytes; use a "
			    "shorter temporary directory (TMPDIR)",
			    path, label, sizeof(addr.sun_path) - 1);
		return NULL;
	}
	g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));

	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int saved;
		gint64 left;

		if (fd < 0) {
			saved = errno;
			g_set_error(error, RC_QMP_ERROR, RC_QMP_ERROR_IO,
				    "cannot create a socket for QEMU %s: %s", label,
				    g_strerror(saved));
			return NULL;
		}
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
			rc_trace("qmp %s: connected to %s", label, path);
			return rc_qmp_new_fd(fd, label, deadline, error);
		}
		saved = errno;
		close(fd);
		if (saved == EINTR)
			continue;
		if (saved != ENOENT && saved != ECONNREFUSED && saved != EAGAIN) {
			g_set_error(error, RC_QMP_ERROR, RC_QMP_ERROR_IO,
				    "cannot connect to QMP socket %s of QEMU %s: %s", path, label,
				    g_strerror(saved));
			return NULL;
		}
		left = deadline - g_get_monotonic_time();
		if (left <= 0) {
			g_set_error(error, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT,
				    "QEMU %s did not open its QMP socket %s before the deadline "
				    "(last attempt: %s)",
				    label, path, g_strerror(saved));
			return NULL;
		}
		g_usleep(MIN(pause_us, (gulong)left));
		pause_us = MIN(pause_us * 2, CONNECT_RETRY_MAX_US);
	}
}

/**
 * rc_qmp_get_fd() - the session's socket, to poll() alongside other sources
 * @qmp:	session
 *
 * Return: the file descriptor, still owned by @qmp
 */
int rc_qmp_get_fd(RcQmp *qmp)
{
	return rc_qmp_transport_get_fd(qmp->t);
}

/**
 * rc_qmp_get_label() - which QEMU the session talks to
 * @qmp:	session
 *
 * Return: the label given when it was opened
 */
const char *rc_qmp_get_label(RcQmp *qmp)
{
	return rc_qmp_transport_get_label(qmp->t);
}

/* json_object_put() has the wrong return type for a GDestroyNotify. */
static void put_event(gpointer msg)
{
	json_object_put(msg);
}

/**
 * rc_qmp_free() - close the socket and free the session
 * @qmp:	session, or NULL
 *
 * Queued events are freed with it.
 */
void rc_qmp_free(RcQmp *qmp)
{
	if (!qmp)
		return;
	rc_qmp_transport_free(qmp->t);
	g_queue_clear_full(&qmp->events, put_event);
	if (qmp->abandoned)
		g_hash_table_unref(qmp->abandoned);
	g_clear_error(&qmp->broken);
	g_free(qmp);
}
