/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qmp_transport.c - QMP framing over one file descriptor: JSON messages in,
 * JSON messages out, every wait bounded by a deadline on the monotonic clock.
 *
 * Theory of operation: QEMU writes each message as one JSON object followed
 * by "\r\n", but a read() may return part of a message or several at once.
 * Bytes read are kept in a buffer and fed to a json_tokener, which keeps its
 * state across calls, so a message split over many reads is parsed as it
 * arrives and the bytes after a complete message stay in the buffer for the
 * next call.  The whitespace between messages is skipped here rather than
 * fed to the tokener, so that "in the middle of a message" is known exactly:
 * an end of file there is a truncated reply, between messages a clean close.
 *
 * End of file, bytes that are not JSON and I/O errors leave the connection
 * unusable: the first such error is kept and every later call returns it
 * again.  A timeout does not: a message still under way simply continues
 * at the next call.
 *
 * Every message received or sent goes to the trace ("qmp LABEL <- {...}").
 */
#include "qmp/qmp_transport.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/trace.h"

G_DEFINE_QUARK(rc - qmp - error - quark, rc_qmp_error)

/* How much one read() asks for; QMP messages are mostly a few hundred bytes. */
#define READ_CHUNK 65536

/* How many bytes of a message that is not JSON the trace shows. */
#define TRACE_GARBAGE_MAX 256

/**
 * struct RcQmpTransport - one QMP connection's framing state
 * @fd:		the connected socket, non-blocking, owned
 * @label:	which QEMU this is, for traces and errors ("src", "dst")
 * @tok:	incremental parser, holding a partly received message
 * @buf:	bytes read but not fed to @tok yet
 * @buf_pos:	how many bytes at the start of @buf have been fed already
 * @msg_len:	bytes of the current message fed so far; 0 between messages
 * @msg_head:	the first bytes of the current message, for the trace when it
 *		turns out not to be JSON
 * @eof:	the peer closed its side
 * @broken:	the error that made the connection unusable, or NULL
 */
struct RcQmpTransport {
	int fd;
	char *label;
	json_tokener *tok;
	GByteArray *buf;
	gsize buf_pos;
	gsize msg_len;
	GString *msg_head;
	gboolean eof;
	GError *broken;
};

/**
 * rc_qmp_transport_new() - wrap a connected socket
 * @fd:		connected stream socket; owned by the transport from now on,
 *		also when this fails
 * @label:	which QEMU this is, for traces and errors
 * @error:	set when the descriptor cannot be made non-blocking
 *
 * Return: the transport, or NULL (and @fd closed)
 */
RcQmpTransport *rc_qmp_transport_new(int fd, const char *label, GError **error)
{
	RcQmpTransport *t;
	int flags = fcntl(fd, F_GETFL);

	/* Non-blocking so that every wait is a poll() with a deadline, and
	 * close-on-exec so that a QEMU started later does not inherit it. */
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		int saved = errno;

		g_set_error(error, RC_QMP_ERROR, RC_QMP_ERROR_IO,
			    "cannot set up the QMP connection to QEMU %s: %s", label,
			    g_strerror(saved));
		close(fd);
		return NULL;
	}

	t = g_new0(RcQmpTransport, 1);
	t->fd = fd;
	t->label = g_strdup(label);
	t->tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	json_tokener_set_flags(t->tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
					       JSON_TOKENER_VALIDATE_UTF8);
	t->buf = g_byte_array_new();
	t->msg_head = g_string_new(NULL);
	return t;
}

/**
 * rc_qmp_transport_free() - close the socket and free the transport
 * @t:		transport, or NULL
 */
void rc_qmp_transport_free(RcQmpTransport *t)
{
	if (!t)
		return;
	if (t->fd >= 0)
		close(t->fd);
	g_free(t->label);
	json_tokener_free(t->tok);
	g_byte_array_unref(t->buf);
	g_string_free(t->msg_head, TRUE);
	g_clear_error(&t->broken);
	g_free(t);
}

/**
 * rc_qmp_transport_get_fd() - the socket, for poll() by the caller
 * @t:		transport
 *
 * Return: the file descriptor, still owned by @t
 */
int rc_qmp_transport_get_fd(RcQmpTransport *t)
{
	return t->fd;
}

/**
 * rc_qmp_transport_get_label() - which QEMU this connection talks to
 * @t:		transport
 *
 * Return: the label given at creation
 */
const char *rc_qmp_transport_get_label(RcQmpTransport *t)
{
	return t->label;
}

/* Keep @err as the reason the connection is dead and hand it to the caller. */
static void transport_break(RcQmpTransport *t, GError *err, GError **error)
{
	rc_trace("qmp %s: connection unusable: %s", t->label, err->message);
	if (!t->broken)
		t->broken = g_error_copy(err);
	g_propagate_error(error, err);
}

static void trace_message(RcQmpTransport *t, const char *dir, json_object *msg)
{
	if (!rc_trace_enabled())
		return;
	rc_trace("qmp %s %s %s", t->label, dir,
		 json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
}

static gboolean is_json_space(guint8 c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Remember the start of the message being parsed, so that the trace can
 * show what QEMU sent when it is not JSON. */
static void keep_head(RcQmpTransport *t, const guint8 *p, gsize n)
{
	if (t->msg_head->len < TRACE_GARBAGE_MAX)
		g_string_append_len(t->msg_head, (const char *)p,
				    MIN(n, TRACE_GARBAGE_MAX - t->msg_head->len));
}

static GError *not_json_error(RcQmpTransport *t, const char *why)
{
	if (rc_trace_enabled()) {
		g_autofree char *shown = g_strescape(t->msg_head->str, NULL);

		rc_trace("qmp %s <- (not JSON: %s) %s", t->label, why, shown);
	}
	return g_error_new(RC_QMP_ERROR, RC_QMP_ERROR_PROTOCOL,
			   "QEMU %s sent something that is not QMP on its monitor socket (%s)",
			   t->label, why);
}

/**
 * feed() - parse the buffered bytes up to the end of the next message
 * @t:		transport
 * @error:	set when the bytes are not a JSON object or are too many
 *
 * Return: the next message, or NULL with @error unset when more bytes are
 * needed
 */
static json_object *feed(RcQmpTransport *t, GError **error)
{
	while (t->buf_pos < t->buf->len) {
		const guint8 *p = t->buf->data + t->buf_pos;
		gsize n = t->buf->len - t->buf_pos;
		enum json_tokener_error jerr;
		json_object *obj;
		gsize chunk, used;

		if (t->msg_len == 0) {
			gsize skip = 0;

			while (skip < n && is_json_space(p[skip]))
				skip++;
			t->buf_pos += skip;
			if (skip == n)
				break;
			p += skip;
			n -= skip;
			g_string_truncate(t->msg_head, 0);
		}

		/* Never feed more than one byte beyond the limit, so that a
		 * runaway message costs at most RC_QMP_MAX_MESSAGE of memory. */
		chunk = MIN(n, RC_QMP_MAX_MESSAGE + 1 - t->msg_len);
		keep_head(t, p, chunk);
		obj = json_tokener_parse_ex(t->tok, (const char *)p, (int)chunk);
		jerr = json_tokener_get_error(t->tok);
		if (jerr == json_tokener_continue) {
			t->buf_pos += chunk;
			t->msg_len += chunk;
			if (t->msg_len > RC_QMP_MAX_MESSAGE) {
				g_autofree char *why = g_strdup_printf(
					"a message longer than %d MiB", RC_QMP_MAX_MESSAGE >> 20);

				g_propagate_error(error, not_json_error(t, why));
				return NULL;
			}
			continue;
		}
		if (jerr != json_tokener_success) {
			g_autofree char *why = g_strdup_printf(
				"JSON error: %s at byte %zu of a message",
				json_tokener_error_desc(jerr),
				t->msg_len + json_tokener_get_parse_end(t->tok) + 1);

			g_propagate_error(error, not_json_error(t, why));
			return NULL;
		}

		used = json_tokener_get_parse_end(t->tok);
		t->buf_pos += used;
		t->msg_len = 0;
		json_tokener_reset(t->tok);
		/* A bare "null" parses as success with no object. */
		if (!obj || !json_object_is_type(obj, json_type_object)) {
			json_object_put(obj);
			g_propagate_error(error,
					  not_json_error(t, "a message that is not a JSON object"));
			return NULL;
		}
		return obj;
	}

	/* Everything fed: reuse the buffer from its start. */
	g_byte_array_set_size(t->buf, 0);
	t->buf_pos = 0;
	return NULL;
}

/**
 * wait_ready() - poll() the socket for @events until @deadline
 * @t:		transport
 * @events:	POLLIN or POLLOUT
 * @deadline:	monotonic time in microseconds
 * @what:	what is awaited, for the timeout message
 * @error:	set on timeout or poll() failure
 *
 * A deadline already past still polls once without waiting, so that bytes
 * already there are never reported as a timeout.  POLLHUP and POLLERR count
 * as ready: the read() or send() that follows says what happened.
 *
 * Return: TRUE when the socket is ready
 */
static gboolean wait_ready(RcQmpTransport *t, short events, gint64 deadline, const char *what,
			   GError **error)
{
	for (;;) {
		struct pollfd pfd = {.fd = t->fd, .events = events};
		gint64 left = deadline - g_get_monotonic_time();
		int ms = left <= 0 ? 0 : (int)MIN((left + 999) / 1000, (gint64)INT_MAX);
		int r = poll(&pfd, 1, ms);

		if (r > 0)
			return TRUE;
		if (r < 0 && errno != EINTR) {
			int saved = errno;

			g_set_error(error, RC_QMP_ERROR, RC_QMP_ERROR_IO,
				    "cannot wait for QEMU %s on its QMP socket: %s", t->label,
				    g_strerror(saved));
			return FALSE;
		}
		if (r == 0 && g_get_monotonic_time() >= deadline) {
			g_set_error(error, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT,
				    "QEMU %s did not %s on its QMP socket before the deadline",
				    t->label, what);
			return FALSE;
		}
	}
}

/**
 * fill() - read whatever the peer has sent into the buffer
 * @t:		transport
 * @deadline:	monotonic time in microseconds
 * @error:	set on timeout or read error
 *
 * Return: TRUE when bytes were read or the end of file was seen
 */
static gboolean fill(RcQmpTransport *t, gint64 deadline, GError **error)
{
	for (;;) {
		guint oldlen = t->buf->len;
		ssize_t n;

		if (!wait_ready(t, POLLIN, deadline, "answer", error))
			return FALSE;
		g_byte_array_set_size(t->buf, oldlen + READ_CHUNK);
		n = read(t->fd, t->buf->data + oldlen, READ_CHUNK);
		g_byte_array_set_size(t->buf, oldlen + (n > 0 ? (guint)n : 0));
		if (n > 0)
			return TRUE;
		if (n == 0) {
			t->eof = TRUE;
			return TRUE;
		}
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			continue;
		if (errno == ECONNRESET) {
			t->eof = TRUE;
			return TRUE;
		}
		{
			int saved = errno;

			g_set_error(error, RC_QMP_ERROR, RC_QMP_ERROR_IO,
				    "cannot read from the QMP socket of QEMU %s: %s", t->label,
				    g_strerror(saved));
			return FALSE;
		}
	}
}

/**
 * rc_qmp_transport_receive() - the next message from the peer
 * @t:		transport
 * @deadline:	monotonic time in microseconds
 * @error:	RC_QMP_ERROR_TIMEOUT, _EOF, _PROTOCOL (not JSON, not an object,
 *		too big) or _IO
 *
 * Return: a new reference to the next JSON object, or NULL
 */
json_object *rc_qmp_transport_receive(RcQmpTransport *t, gint64 deadline, GError **error)
{
	if (t->broken) {
		g_propagate_error(error, g_error_copy(t->broken));
		return NULL;
	}

	for (;;) {
		GError *local = NULL;
		json_object *msg = feed(t, &local);

		if (msg) {
			trace_message(t, "<-", msg);
			return msg;
		}
		if (local) {
			transport_break(t, local, error);
			return NULL;
		}
		if (t->eof) {
			local = g_error_new(RC_QMP_ERROR, RC_QMP_ERROR_EOF,
					    "QEMU %s closed its QMP connection%s; it has probably "
					    "exited, see its error output",
					    t->label,
					    t->msg_len ? " in the middle of a message" : "");
			transport_break(t, local, error);
			return NULL;
		}
		if (!fill(t, deadline, &local)) {
			if (g_error_matches(local, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT)) {
				rc_trace("qmp %s <- nothing before the deadline", t->label);
				g_propagate_error(error, local);
			} else {
				transport_break(t, local, error);
			}
			return NULL;
		}
	}
}

/* send() without SIGPIPE; a descriptor that is not a socket (a pipe in a
 * test) falls back to write(). */
static ssize_t send_some(int fd, const char *p, size_t n)
{
	ssize_t r = send(fd, p, n, MSG_NOSIGNAL);

	if (r < 0 && errno == ENOTSOCK)
		r = write(fd, p, n);
	return r;
}

/**
 * rc_qmp_transport_send() - write one whole message and its newline
 * @t:		transport
 * @msg:	the message (not consumed)
 * @deadline:	monotonic time in microseconds
 * @error:	RC_QMP_ERROR_TIMEOUT, _EOF (the peer closed) or _IO
 *
 * A message cut short by a timeout would leave half a command in QEMU's
 * parser, so that also makes the connection unusable.
 *
 * Return: TRUE when the whole message was written
 */
gboolean rc_qmp_transport_send(RcQmpTransport *t, json_object *msg, gint64 deadline, GError **error)
{
	g_autofree char *line = NULL;
	gsize len, done = 0;

	if (t->broken) {
		g_propagate_error(error, g_error_copy(t->broken));
		return FALSE;
	}

	trace_message(t, "->", msg);
	line = g_strconcat(json_object_to_json_string_ext(
				   msg, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
			   "\r\n", NULL);
	len = strlen(line);

	while (done < len) {
		GError *local = NULL;
		ssize_t n = send_some(t->fd, line + done, len - done);

		if (n >= 0) {
			done += (gsize)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (wait_ready(t, POLLOUT, deadline, "accept a command", &local))
				continue;
			if (done == 0) {
				g_propagate_error(error, local);
				return FALSE;
			}
		} else if (errno == EPIPE || errno == ECONNRESET) {
			local = g_error_new(RC_QMP_ERROR, RC_QMP_ERROR_EOF,
					    "QEMU %s closed its QMP connection; it has probably "
					    "exited, see its error output",
					    t->label);
		} else {
			int saved = errno;

			local = g_error_new(RC_QMP_ERROR, RC_QMP_ERROR_IO,
					    "cannot write to the QMP socket of QEMU %s: %s",
					    t->label, g_strerror(saved));
		}
		transport_break(t, local, error);
		return FALSE;
	}
	return TRUE;
}
