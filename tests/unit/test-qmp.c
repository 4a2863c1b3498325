/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-qmp.c - the QMP transport, client and typed wrappers, first against
 * a scripted peer playing QEMU over a socketpair (framing, event queueing,
 * error classes, deadlines, broken peers), then against a real QEMU.
 *
 * The scripted peer runs in a thread: it writes exactly the bytes a test
 * wants (split, packed, truncated or not JSON at all) and reads the
 * client's commands to echo their ids, so the client is exercised through
 * its real socket code.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "base/jsonutil.h"
#include "qmp/qmp_client.h"
#include "qmp/qmp_commands.h"
#include "qmp/qmp_transport.h"

#define GREETING                                                                                   \
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "          \
	"\"package\": \"test\"}, \"capabilities\": [\"oob\"]}}\r\n"

/* Generous: only a broken client waits this long. */
#define TEST_DEADLINE_US (5 * G_USEC_PER_SEC)

typedef struct Peer Peer;
typedef void (*PeerScript)(Peer *peer);

/**
 * struct Peer - a scripted QMP server in a thread
 * @fd:		the peer's end of the socketpair (blocking)
 * @script:	what the peer does
 * @linger:	after the script, keep the socket open until the client
 *		closes its end (for tests where the peer stays silent)
 * @thread:	the thread running @script
 * @data:	test-specific input for the script
 */
struct Peer {
	int fd;
	PeerScript script;
	gboolean linger;
	GThread *thread;
	gconstpointer data;
};

static gint64 deadline_in(gint64 us)
{
	return g_get_monotonic_time() + us;
}

/* Write all of @len bytes; errors mean the client has gone, which some
 * tests cause on purpose. */
static void peer_write(Peer *peer, const char *text, gsize len)
{
	while (len > 0) {
		ssize_t n = send(peer->fd, text, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		text += n;
		len -= (gsize)n;
	}
}

static void peer_send(Peer *peer, const char *text)
{
	peer_write(peer, text, strlen(text));
}

/* One byte per write, with a pause, so the client sees many short reads. */
static void peer_send_bytewise(Peer *peer, const char *text)
{
	for (; *text; text++) {
		peer_write(peer, text, 1);
		g_usleep(200);
	}
}

/* Read the client's next command (one line). */
static json_object *peer_recv(Peer *peer)
{
	g_autoptr(GString) line = g_string_new(NULL);
	char c;

	while (read(peer->fd, &c, 1) == 1 && c != '\n')
		g_string_append_c(line, c);
	return json_tokener_parse(line->str);
}

/* Read a command, check its name, and return its id as a JSON string. */
static char *peer_expect(Peer *peer, const char *command)
{
	g_autoptr(json_object) cmd = peer_recv(peer);
	json_object *execute, *id;

	g_assert_nonnull(cmd);
	g_assert_true(json_object_object_get_ex(cmd, "execute", &execute));
	g_assert_cmpstr(json_object_get_string(execute), ==, command);
	g_assert_true(json_object_object_get_ex(cmd, "id", &id));
	return g_strdup(json_object_to_json_string(id));
}

/* The text of a reply {"return": RET, "id": ID} with CRLF, as QEMU ends it. */
static char *reply_text(const char *id, const char *ret)
{
	g_autoptr(json_object) reply = json_object_new_object();

	json_object_object_add(reply, "return", json_tokener_parse(ret));
	json_object_object_add(reply, "id", json_tokener_parse(id));
	return g_strconcat(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN), "\r\n",
			   NULL);
}

/* Read COMMAND and answer it with RET. */
static void peer_answer(Peer *peer, const char *command, const char *ret)
{
	g_autofree char *id = peer_expect(peer, command);
	g_autofree char *text = reply_text(id, ret);

	peer_send(peer, text);
}

static void peer_handshake(Peer *peer)
{
	peer_send(peer, GREETING);
	peer_answer(peer, "qmp_capabilities", "{}");
}

static gpointer peer_main(gpointer data)
{
	Peer *peer = data;
	char c;

	peer->script(peer);
	if (peer->linger)
		while (read(peer->fd, &c, 1) > 0)
			;
	close(peer->fd);
	return NULL;
}

/* Start @script on one end of a socketpair; return the client's end. */
static int peer_start(Peer *peer, PeerScript script, gconstpointer data)
{
	int sv[2];

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
	peer->fd = sv[1];
	peer->script = script;
	peer->data = data;
	peer->thread = g_thread_new("qmp-peer", peer_main, peer);
	return sv[0];
}

/* Start @script and open a client session on it, expecting success. */
static RcQmp *peer_connect(Peer *peer, PeerScript script, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	int fd = peer_start(peer, script, data);
	RcQmp *qmp = rc_qmp_new_fd(fd, "test", deadline_in(TEST_DEADLINE_US), &error);

	g_assert_no_error(error);
	g_assert_nonnull(qmp);
	return qmp;
}

static void peer_join(Peer *peer)
{
	g_thread_join(peer->thread);
}

/* ---- handshake and a typed command ---- */

static void script_version(Peer *peer)
{
	peer_handshake(peer);
	peer_answer(
		peer, "query-version",
		"{\"qemu\": {\"micro\": 3, \"minor\": 2, \"major\": 7}, \"package\": \"pkg 1\"}");
}

static void test_handshake_and_reply(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcQmpVersion) version = NULL;
	Peer peer = {0};
	RcQmp *qmp = peer_connect(&peer, script_version, NULL);

	g_assert_cmpint(rc_qmp_get_fd(qmp), >=, 0);
	g_assert_cmpstr(rc_qmp_get_label(qmp), ==, "test");
	version = rc_qmp_query_version(qmp, deadline_in(TEST_DEADLINE_US), &error);
	g_assert_no_error(error);
	g_assert_cmpint(version->major, ==, 7);
	g_assert_cmpint(version->minor, ==, 2);
	g_assert_cmpint(version->micro, ==, 3);
	g_assert_cmpstr(version->package, ==, "pkg 1");
	rc_qmp_free(qmp);
	peer_join(&peer);
}

/* ---- events before, between and after replies ---- */

#define EVENT(name, data)                                                                          \
	"{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"" name "\", "         \
	"\"data\": " data "}\r\n"

static void script_events(Peer *peer)
{
	g_autofree char *id1 = NULL, *id2 = NULL, *r1 = NULL, *r2 = NULL;

	peer_handshake(peer);
	id1 = peer_expect(peer, "cont");
	peer_send(peer, EVENT("RESUME", "{}"));
	peer_send(peer, EVENT("MIGRATION", "{\"status\": \"setup\"}"));
	r1 = reply_text(id1, "{}");
	peer_send(peer, r1);
	id2 = peer_expect(peer, "query-status");
	peer_send(peer, EVENT("MIGRATION", "{\"status\": \"completed\"}"));
	r2 = reply_text(id2, "{\"status\": \"running\", \"singlestep\": false, \"running\": true}");
	peer_send(peer, r2);
	/* An event after the last reply: wait_event has to read it. */
	g_usleep(20000);
	peer_send(peer, EVENT("STOP", "{}"));
}

static const char *event_status(json_object *event)
{
	const char *name = NULL;

	rc_qmp_migration_event_status(event, &name);
	return name;
}

static void test_events_queued(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(json_object) mig1 = NULL, mig2 = NULL, resume = NULL, stop = NULL;
	g_autofree char *status = NULL;
	gboolean running = FALSE;
	Peer peer = {0};
	RcQmp *qmp = peer_connect(&peer, script_events, NULL);
	gint64 deadline = deadline_in(TEST_DEADLINE_US);

	g_assert_true(rc_qmp_cont(qmp, deadline, &error));
	g_assert_no_error(error);
	g_assert_true(rc_qmp_query_status(qmp, &status, &running, deadline, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(status, ==, "running");
	g_assert_true(running);

	/* Three events arrived while replies were awaited; none was lost and
	 * those of one name come back in arrival order. */
	g_assert_null(rc_qmp_pop_event(qmp, "SHUTDOWN"));
	mig1 = rc_qmp_wait_event(qmp, "MIGRATION", deadline, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(event_status(mig1), ==, "setup");
	g_assert_cmpint(rc_qmp_migration_event_status(mig1, NULL), ==, RC_MIGRATION_SETUP);
	mig2 = rc_qmp_pop_event(qmp, "MIGRATION");
	g_assert_nonnull(mig2);
	g_assert_cmpstr(event_status(mig2), ==, "completed");
	g_assert_cmpint(rc_qmp_migration_event_status(mig2, NULL), ==, RC_MIGRATION_COMPLETED);
	resume = rc_qmp_pop_event(qmp, NULL);
	g_assert_nonnull(resume);
	g_assert_cmpint(rc_qmp_migration_event_status(resume, NULL), ==, RC_MIGRATION_OTHER);
	g_assert_null(rc_qmp_pop_event(qmp, NULL));

	stop = rc_qmp_wait_event(qmp, "STOP", deadline, &error);
	g_assert_no_error(error);
	g_assert_nonnull(stop);
	rc_qmp_free(qmp);
	peer_join(&peer);
}

/* ---- error replies ---- */

typedef struct {
	const char *klass;
	RcQmpErrorCode code;
} ErrorCase;

static const ErrorCase error_cases[] = {
	{"GenericError", RC_QMP_ERROR_GENERIC},
	{"CommandNotFound", RC_QMP_ERROR_COMMAND_NOT_FOUND},
	{"DeviceNotFound", RC_QMP_ERROR_DEVICE_NOT_FOUND},
	{"KVMMissingCap", RC_QMP_ERROR_OTHER_CLASS},
};

static void script_errors(Peer *peer)
{
	peer_handshake(peer);
	for (size_t i = 0; i < G_N_ELEMENTS(error_cases); i++) {
		g_autofree char *id = peer_expect(peer, "qom-get");
		g_autoptr(json_object) reply = json_object_new_object();
		json_object *err = json_object_new_object();
		g_autofree char *desc = g_strdup_printf("failure number %zu", i);

		json_object_object_add(err, "class", json_object_new_string(error_cases[i].klass));
		json_object_object_add(err, "desc", json_object_new_string(desc));
		json_object_object_add(reply, "id", json_tokener_parse(id));
		json_object_object_add(reply, "error", err);
		peer_send(peer, json_object_to_json_string(reply));
		peer_send(peer, "\r\n");
	}
	/* The session survives error replies. */
	peer_answer(peer, "qom-get", "\"efi-e1000.rom\"");
}

static void test_error_replies(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *romfile = NULL;
	Peer peer = {0};
	RcQmp *qmp = peer_connect(&peer, script_errors, NULL);
	gint64 deadline = deadline_in(TEST_DEADLINE_US);

	for (size_t i = 0; i < G_N_ELEMENTS(error_cases); i++) {
		g_autoptr(GError) err = NULL;
		g_autofree char *expected = g_strdup_printf("qom-get: failure number %zu", i);
		json_object *ret =
			rc_qmp_qom_get(qmp, "/machine/peripheral/nic0", "romfile", deadline, &err);

		g_assert_null(ret);
		g_assert_error(err, RC_QMP_ERROR, (gint)error_cases[i].code);
		g_assert_cmpstr(err->message, ==, expected);
	}
	romfile =
		rc_qmp_qom_get_string(qmp, "/machine/peripheral/nic0", "romfile", deadline, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(romfile, ==, "efi-e1000.rom");
	rc_qmp_free(qmp);
	peer_join(&peer);
}

/* ---- framing: split and packed messages ---- */

static void script_bytewise(Peer *peer)
{
	g_autofree char *id = NULL, *text = NULL;

	peer_handshake(peer);
	id = peer_expect(peer, "human-monitor-command");
	text = reply_text(id, "\"Block Name  PSize\\r\\nram  4 KiB\\r\\n\"");
	peer_send_bytewise(peer, EVENT("RESUME", "{}"));
	peer_send_bytewise(peer, text);
}

static void test_split_bytewise(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *out = NULL;
	g_autoptr(json_object) resume = NULL;
	Peer peer = {0};
	RcQmp *qmp = peer_connect(&peer, script_bytewise, NULL);

	out = rc_qmp_human_monitor_command(qmp, "info ramblock", deadline_in(TEST_DEADLINE_US),
					   &error);
	g_assert_no_error(error);
	g_assert_cmpstr(out, ==, "Block Name  PSize\r\nram  4 KiB\r\n");
	resume = rc_qmp_pop_event(qmp, "RESUME");
	g_assert_nonnull(resume);
	rc_qmp_free(qmp);
	peer_join(&peer);
}

static void script_packed(Peer *peer)
{
	g_autofree char *id = NULL, *reply = NULL, *all = NULL;

	/* Greeting and nothing else, then an event, a reply and another event
	 * in one write. */
	peer_send(peer, GREETING);
	id = peer_expect(peer, "qmp_capabilities");
	reply = reply_text(id, "{}");
	all = g_strconcat(EVENT("STOP", "{}"), reply, EVENT("RESUME", "{}"), NULL);
	peer_send(peer, all);
	peer_answer(peer, "query-migrate",
		    "{\"status\": \"failed\", \"error-desc\": \"Unable to write to socket\"}");
}

static void test_packed_messages(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcQmpMigrateInfo) info = NULL;
	g_autoptr(json_object) stop = NULL, resume = NULL;
	Peer peer = {0};
	RcQmp *qmp = peer_connect(&peer, script_packed, NULL);

	info = rc_qmp_query_migrate(qmp, deadline_in(TEST_DEADLINE_US), &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->status, ==, RC_MIGRATION_FAILED);
	g_assert_cmpstr(info->status_name, ==, "failed");
	g_assert_cmpstr(info->error_desc, ==, "Unable to write to socket");
	stop = rc_qmp_pop_event(qmp, "STOP");
	resume = rc_qmp_pop_event(qmp, "RESUME");
	g_assert_nonnull(stop);
	g_assert_nonnull(resume);
	rc_qmp_free(qmp);
	peer_join(&peer);
}

/* ---- broken peers: each script answers query-status with something bad ---- */

typedef struct {
	const char *name;
	const char *reply; /* after the id-less part; "%s" would be the id */
	gboolean close;	   /* close right after sending @reply */
	gboolean echo_id;  /* wrap @reply as the "return" of a proper reply */
	RcQmpErrorCode code;
} BadCase;

static const BadCase bad_cases[] = {
	{"garbage", "this is not JSON\r\n", FALSE, FALSE, RC_QMP_ERROR_PROTOCOL},
	{"not-an-object", "[1, 2, 3]\r\n", FALSE, FALSE, RC_QMP_ERROR_PROTOCOL},
	{"null", "null\r\n", FALSE, FALSE, RC_QMP_ERROR_PROTOCOL},
	{"wrong-id", "{\"return\": {}, \"id\": \"someone-else\"}\r\n", FALSE, FALSE,
	 RC_QMP_ERROR_PROTOCOL},
	{"no-id", "{\"return\": {}}\r\n", FALSE, FALSE, RC_QMP_ERROR_PROTOCOL},
	{"second-greeting", GREETING, FALSE, FALSE, RC_QMP_ERROR_PROTOCOL},
	{"neither", "{\"hello\": 1}\r\n", FALSE, FALSE, RC_QMP_ERROR_PROTOCOL},
	{"eof-mid-reply", "{\"return\": {\"status\": \"runn", TRUE, FALSE, RC_QMP_ERROR_EOF},
	{"eof-between", "", TRUE, FALSE, RC_QMP_ERROR_EOF},
	{"wrong-type", "[]", FALSE, TRUE, RC_QMP_ERROR_PROTOCOL},
	{"missing-member", "{\"status\": \"running\"}", FALSE, TRUE, RC_QMP_ERROR_PROTOCOL},
};

static void script_bad(Peer *peer)
{
	const BadCase *bad = peer->data;
	g_autofree char *id = NULL;

	peer_handshake(peer);
	id = peer_expect(peer, "query-status");
	if (bad->echo_id) {
		g_autofree char *text = reply_text(id, bad->reply);

		peer_send(peer, text);
	} else {
		peer_send(peer, bad->reply);
	}
	peer->linger = !bad->close;
}

static void test_bad_peer(gconstpointer data)
{
	const BadCase *bad = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) again = NULL;
	g_autofree char *status = NULL;
	Peer peer = {0};
	RcQmp *qmp = peer_connect(&peer, script_bad, bad);

	g_assert_false(
		rc_qmp_query_status(qmp, &status, NULL, deadline_in(TEST_DEADLINE_US), &error));
	g_assert_error(error, RC_QMP_ERROR, (gint)bad->code);
	g_assert_null(status);
	/* The user's line names the command and the QEMU. */
	g_assert_nonnull(strstr(error->message, "query-status"));
	g_assert_nonnull(strstr(error->message, "test"));

	/* A connection that failed this way stays failed, quickly. */
	if (bad->code == RC_QMP_ERROR_EOF ||
	    (bad->code == RC_QMP_ERROR_PROTOCOL && !bad->echo_id)) {
		g_assert_null(
			rc_qmp_wait_event(qmp, "STOP", deadline_in(TEST_DEADLINE_US), &again));
		g_assert_error(again, RC_QMP_ERROR, (gint)bad->code);
	}
	rc_qmp_free(qmp);
	peer_join(&peer);
}

static void script_huge(Peer *peer)
{
	g_autofree char *chunk = g_strnfill(65536, 'x');

	peer_handshake(peer);
	/* The reply never ends, so its id does not matter. */
	g_free(peer_expect(peer, "query-status"));
	peer_send(peer, "{\"return\": \"");
	/* One chunk beyond the limit; the client stops reading before that
	 * and closes, which ends the writes. */
	for (size_t sent = 0; sent <= RC_QMP_MAX_MESSAGE; sent += 65536)
		peer_write(peer, chunk, 65536);
}

static void test_message_too_big(void)
{
	g_autoptr(GError) error = NULL;
	Peer peer = {0};
	RcQmp *qmp = peer_connect(&peer, script_huge, NULL);

	g_assert_false(rc_qmp_query_status(qmp, NULL, NULL, deadline_in(TEST_DEADLINE_US), &error));
	g_assert_error(error, RC_QMP_ERROR, RC_QMP_ERROR_PROTOCOL);
	g_assert_nonnull(strstr(error->message, "MiB"));
	rc_qmp_free(qmp);
	peer_join(&peer);
}

/* ---- deadlines ---- */

static void script_silent(Peer *peer)
{
	peer_handshake(peer);
	peer->linger = TRUE;
}

static void test_timeout(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) event_error = NULL;
	Peer peer = {0};
	RcQmp *qmp = peer_connect(&peer, script_silent, NULL);
	gint64 start = g_get_monotonic_time();
	json_object *ret = rc_qmp_execute(qmp, "query-status", NULL, start + 100000, &error);
	gint64 took = g_get_monotonic_time() - start;

	g_assert_null(ret);
	g_assert_error(error, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT);
	g_assert_cmpint(took, >=, 100000);
	g_assert_cmpint(took, <, G_USEC_PER_SEC);
	g_assert_nonnull(strstr(error->message, "query-status"));

	/* Waiting for an event times out the same way. */
	g_assert_null(rc_qmp_wait_event(qmp, "MIGRATION", deadline_in(50000), &event_error));
	g_assert_error(event_error, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT);
	rc_qmp_free(qmp);
	peer_join(&peer);
}

static void script_late(Peer *peer)
{
	g_autofree char *id = NULL, *text = NULL;

	peer_handshake(peer);
	id = peer_expect(peer, "query-status");
	g_usleep(200000);
	text = reply_text(id, "{\"status\": \"paused\", \"running\": false}");
	peer_send(peer, text);
	peer_answer(peer, "query-status", "{\"status\": \"prelaunch\", \"running\": false}");
}

static void test_late_reply_skipped(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *status = NULL;
	Peer peer = {0};
	RcQmp *qmp = peer_connect(&peer, script_late, NULL);

	g_assert_false(rc_qmp_query_status(qmp, NULL, NULL, deadline_in(50000), &error));
	g_assert_error(error, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT);
	g_clear_error(&error);

	/* The reply to the abandoned command arrives first and is skipped. */
	g_assert_true(
		rc_qmp_query_status(qmp, &status, NULL, deadline_in(TEST_DEADLINE_US), &error));
	g_assert_no_error(error);
	g_assert_cmpstr(status, ==, "prelaunch");
	rc_qmp_free(qmp);
	peer_join(&peer);
}

/* ---- greetings ---- */

typedef struct {
	const char *name;
	const char *greeting;
	RcQmpErrorCode code;
} GreetingCase;

static const GreetingCase greeting_cases[] = {
	{"not-qmp", "{\"hello\": \"world\"}\r\n", RC_QMP_ERROR_PROTOCOL},
	{"qmp-not-object", "{\"QMP\": 1}\r\n", RC_QMP_ERROR_PROTOCOL},
	{"event-first", EVENT("STOP", "{}"), RC_QMP_ERROR_PROTOCOL},
	{"garbage", "SSH-2.0-OpenSSH_9.2\r\n", RC_QMP_ERROR_PROTOCOL},
	{"closed", "", RC_QMP_ERROR_EOF},
};

static void script_greeting(Peer *peer)
{
	const GreetingCase *gc = peer->data;

	peer_send(peer, gc->greeting);
}

static void test_bad_greeting(gconstpointer data)
{
	const GreetingCase *gc = data;
	g_autoptr(GError) error = NULL;
	Peer peer = {0};
	int fd = peer_start(&peer, script_greeting, gc);
	RcQmp *qmp = rc_qmp_new_fd(fd, "test", deadline_in(TEST_DEADLINE_US), &error);

	g_assert_null(qmp);
	g_assert_error(error, RC_QMP_ERROR, (gint)gc->code);
	/* rc_qmp_new_fd() closed the descriptor on failure. */
	g_assert_cmpint(fcntl(fd, F_GETFD), ==, -1);
	peer_join(&peer);
}

static void script_capabilities_refused(Peer *peer)
{
	g_autofree char *id = NULL;
	g_autofree char *text = NULL;

	peer_send(peer, GREETING);
	id = peer_expect(peer, "qmp_capabilities");
	text = g_strdup_printf("{\"id\": %s, \"error\": {\"class\": \"GenericError\", "
			       "\"desc\": \"Capabilities negotiation is already complete\"}}\r\n",
			       id);
	peer_send(peer, text);
}

static void test_capabilities_refused(void)
{
	g_autoptr(GError) error = NULL;
	Peer peer = {0};
	int fd = peer_start(&peer, script_capabilities_refused, NULL);

	g_assert_null(rc_qmp_new_fd(fd, "test", deadline_in(TEST_DEADLINE_US), &error));
	g_assert_error(error, RC_QMP_ERROR, RC_QMP_ERROR_GENERIC);
	g_assert_cmpstr(error->message, ==,
			"qmp_capabilities: Capabilities negotiation is already complete");
	peer_join(&peer);
}

/* ---- typed wrappers' extraction ---- */

static void script_wrappers(Peer *peer)
{
	peer_handshake(peer);
	peer_answer(
		peer, "query-commands",
		"[{\"name\": \"migrate\"}, {\"name\": \"query-status\"}, {\"name\": \"quit\"}]");
	peer_answer(peer, "query-machines",
		    "[{\"name\": \"pc-i440fx-7.2\", \"alias\": \"pc\", \"is-default\": true, "
		    "\"deprecated\": false, \"cpu-max\": 255},"
		    " {\"name\": \"pc-i440fx-1.4\", \"deprecated\": true, \"cpu-max\": 255}]");
	peer_answer(peer, "query-migrate", "{}");
	peer_answer(peer, "migrate-set-capabilities", "{}");
	peer_answer(peer, "migrate-incoming", "{}");
	peer_answer(peer, "migrate", "{}");
	peer_answer(peer, "qom-get", "262144");
	peer_answer(peer, "qom-get", "262144");
	/* QEMU may close the connection before its reply to quit is read. */
	g_free(peer_expect(peer, "quit"));
}

static void test_wrappers(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) commands = NULL;
	g_autoptr(GPtrArray) machines = NULL;
	g_autoptr(RcQmpMigrateInfo) info = NULL;
	g_autoptr(json_object) romsize = NULL;
	g_autofree char *not_string = NULL;
	const RcQmpMachine *m;
	Peer peer = {0};
	RcQmp *qmp = peer_connect(&peer, script_wrappers, NULL);
	gint64 deadline = deadline_in(TEST_DEADLINE_US);

	commands = rc_qmp_query_commands(qmp, deadline, &error);
	g_assert_no_error(error);
	g_assert_true(rc_qmp_has_command(commands, "migrate"));
	g_assert_false(rc_qmp_has_command(commands, "x-query-ramblock"));

	machines = rc_qmp_query_machines(qmp, deadline, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(machines->len, ==, 2);
	m = machines->pdata[0];
	g_assert_cmpstr(m->name, ==, "pc-i440fx-7.2");
	g_assert_cmpstr(m->alias, ==, "pc");
	g_assert_true(m->is_default);
	g_assert_false(m->deprecated);
	m = machines->pdata[1];
	g_assert_null(m->alias);
	g_assert_false(m->is_default);
	g_assert_true(m->deprecated);

	info = rc_qmp_query_migrate(qmp, deadline, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->status, ==, RC_MIGRATION_NONE);
	g_assert_null(info->error_desc);

	g_assert_true(rc_qmp_migrate_set_capability(qmp, "events", TRUE, deadline, &error));
	g_assert_true(rc_qmp_migrate_incoming(qmp, "unix:/nonexistent", deadline, &error));
	g_assert_true(rc_qmp_migrate(qmp, "unix:/nonexistent", deadline, &error));
	g_assert_no_error(error);

	romsize = rc_qmp_qom_get(qmp, "/machine/peripheral/nic0", "romsize", deadline, &error);
	g_assert_no_error(error);
	g_assert_cmpint(json_object_get_int(romsize), ==, 262144);
	not_string =
		rc_qmp_qom_get_string(qmp, "/machine/peripheral/nic0", "romsize", deadline, &error);
	g_assert_null(not_string);
	g_assert_error(error, RC_QMP_ERROR, RC_QMP_ERROR_PROTOCOL);
	g_clear_error(&error);

	/* The connection closing instead of a reply to quit is success. */
	g_assert_true(rc_qmp_quit(qmp, deadline, &error));
	g_assert_no_error(error);
	rc_qmp_free(qmp);
	peer_join(&peer);
}

static void test_migration_status_names(void)
{
	static const struct {
		const char *name;
		RcMigrationStatus status;
	} named[] = {
		{"none", RC_MIGRATION_NONE},	 {"setup", RC_MIGRATION_SETUP},
		{"active", RC_MIGRATION_ACTIVE}, {"completed", RC_MIGRATION_COMPLETED},
		{"failed", RC_MIGRATION_FAILED}, {"cancelled", RC_MIGRATION_CANCELLED},
	};
	g_autoptr(json_object) event = json_tokener_parse(
		"{\"event\": \"MIGRATION\", \"data\": {\"status\": \"postcopy-active\"}}");
	const char *name = NULL;
	RcMigrationStatus status;

	for (gsize i = 0; i < G_N_ELEMENTS(named); i++) {
		status = RC_MIGRATION_OTHER;
		g_assert_true(rc_migration_status_from_string(named[i].name, &status));
		g_assert_cmpint(status, ==, named[i].status);
	}
	/* Other states (and "other", no state of QEMU's) are not told apart. */
	g_assert_false(rc_migration_status_from_string("postcopy-active", &status));
	g_assert_false(rc_migration_status_from_string("other", &status));
	g_assert_false(rc_migration_status_from_string(NULL, &status));

	/* A MIGRATION event with such a state announces "other". */
	g_assert_cmpint(rc_qmp_migration_event_status(event, &name), ==, RC_MIGRATION_OTHER);
	g_assert_cmpstr(name, ==, "postcopy-active");
}

/* ---- unix sockets ---- */

static void test_connect_path_too_long(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = g_strnfill(200, 'a');

	g_assert_null(rc_qmp_connect_unix(path, "test", deadline_in(TEST_DEADLINE_US), &error));
	g_assert_error(error, RC_QMP_ERROR, RC_QMP_ERROR_IO);
	g_assert_nonnull(strstr(error->message, path));
}

static void test_connect_missing_socket(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("rc-qmp-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "absent.sock", NULL);
	gint64 start = g_get_monotonic_time();

	g_assert_null(rc_qmp_connect_unix(path, "test", start + 100000, &error));
	g_assert_error(error, RC_QMP_ERROR, RC_QMP_ERROR_TIMEOUT);
	g_assert_cmpint(g_get_monotonic_time() - start, <, G_USEC_PER_SEC);
	g_assert_nonnull(strstr(error->message, path));
	g_rmdir(dir);
}

typedef struct {
	char *path;
	Peer peer;
} LateListener;

/* Create the socket only after a while, as a starting QEMU does, then play
 * QMP on the accepted connection. */
static gpointer late_listener(gpointer data)
{
	LateListener *ll = data;
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	g_usleep(50000);
	g_strlcpy(addr.sun_path, ll->path, sizeof(addr.sun_path));
	g_assert_cmpint(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
	g_assert_cmpint(listen(lfd, 1), ==, 0);
	ll->peer.fd = accept(lfd, NULL, NULL);
	close(lfd);
	g_assert_cmpint(ll->peer.fd, >=, 0);
	ll->peer.script = script_version;
	return peer_main(&ll->peer);
}

static void test_connect_retries(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("rc-qmp-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "qmp.sock", NULL);
	g_autoptr(RcQmpVersion) version = NULL;
	LateListener ll = {.path = path};
	GThread *thread = g_thread_new("late-listener", late_listener, &ll);
	RcQmp *qmp = rc_qmp_connect_unix(path, "test", deadline_in(TEST_DEADLINE_US), &error);

	g_assert_no_error(error);
	version = rc_qmp_query_version(qmp, deadline_in(TEST_DEADLINE_US), &error);
	g_assert_no_error(error);
	g_assert_cmpint(version->major, ==, 7);
	rc_qmp_free(qmp);
	g_thread_join(thread);
	g_unlink(path);
	g_rmdir(dir);
}

/* ---- a real QEMU ---- */

/**
 * struct Qemu - one real QEMU process and its QMP session
 * @sock:	the QMP socket path
 * @pid:	QEMU's pid, 0 once reaped
 * @qmp:	the session
 */
typedef struct {
	char *sock;
	GPid pid;
	RcQmp *qmp;
} Qemu;

/**
 * struct QemuFixture - up to two real QEMUs, always reaped
 * @dir:	private temporary directory for the sockets
 * @qemu:	path of qemu-system-x86_64, NULL when not installed
 * @src:	the first QEMU, started by the fixture
 * @dst:	a second one, for migration
 */
typedef struct {
	char *dir;
	char *qemu;
	Qemu src;
	Qemu dst;
} QemuFixture;

/* The test program's pid, read by child_setup() after fork. */
static pid_t test_pid;

/* In the child: die with the test program even if it aborts. */
static void child_setup(gpointer data)
{
	pid_t parent = test_pid;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
}

/* Wait up to @timeout_us for the child to exit; kill it if it does not. */
static int reap(GPid pid, gint64 timeout_us)
{
	gint64 deadline = deadline_in(timeout_us);
	int status = 0;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (g_get_monotonic_time() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return status;
		}
		g_usleep(1000);
	}
	return status;
}

/* Start QEMU (-S, no devices) with its QMP socket NAME.sock in the fixture's
 * directory, plus @incoming if not NULL, and connect to it. */
static void qemu_start(QemuFixture *fx, Qemu *q, const char *name, const char *incoming)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *sock_name = g_strconcat(name, ".sock", NULL);
	g_autofree char *qmp_opt = NULL;
	const char *argv[16] = {fx->qemu,      "-machine", "pc-i440fx-7.2,accel=tcg",
				"-nodefaults", "-display", "none",
				"-m",	       "64",	   "-S",
				"-qmp"};
	int argc = 10;

	q->sock = g_build_filename(fx->dir, sock_name, NULL);
	qmp_opt = g_strdup_printf("unix:%s,server=on,wait=off", q->sock);
	argv[argc++] = qmp_opt;
	if (incoming) {
		argv[argc++] = "-incoming";
		argv[argc++] = incoming;
	}
	argv[argc] = NULL;
	g_assert_true(g_spawn_async(NULL, (char **)argv, NULL,
				    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
				    child_setup, NULL, &q->pid, &error));
	g_assert_no_error(error);
	q->qmp = rc_qmp_connect_unix(q->sock, name, deadline_in(TEST_DEADLINE_US), &error);
	g_assert_no_error(error);
}

static void qemu_stop(Qemu *q)
{
	rc_qmp_free(q->qmp);
	if (q->pid > 0) {
		kill(q->pid, SIGTERM);
		reap(q->pid, G_USEC_PER_SEC);
	}
	if (q->sock)
		g_unlink(q->sock);
	g_free(q->sock);
}

/* Ask QEMU to quit, check it says goodbye, and reap it: exit code 0. */
static void qemu_quit(Qemu *q)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(json_object) shutdown = NULL;
	gint64 deadline = deadline_in(TEST_DEADLINE_US);
	int wstatus;

	g_assert_true(rc_qmp_quit(q->qmp, deadline, &error));
	g_assert_no_error(error);
	shutdown = rc_qmp_wait_event(q->qmp, "SHUTDOWN", deadline, &error);
	g_assert_no_error(error);
	g_assert_nonnull(shutdown);
	wstatus = reap(q->pid, 5 * G_USEC_PER_SEC);
	q->pid = 0;
	g_assert_true(WIFEXITED(wstatus));
	g_assert_cmpint(WEXITSTATUS(wstatus), ==, 0);
}

static void qemu_setup(QemuFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	fx->qemu = g_find_program_in_path("qemu-system-x86_64");
	if (!fx->qemu)
		return;
	fx->dir = g_dir_make_tmp("rc-qmp-XXXXXX", &error);
	g_assert_no_error(error);
	qemu_start(fx, &fx->src, "src", NULL);
}

static void qemu_teardown(QemuFixture *fx, gconstpointer data)
{
	qemu_stop(&fx->src);
	qemu_stop(&fx->dst);
	if (fx->dir)
		g_rmdir(fx->dir);
	g_free(fx->dir);
	g_free(fx->qemu);
}

static void test_real_qemu(QemuFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcQmpVersion) version = NULL;
	g_autoptr(GHashTable) commands = NULL;
	g_autoptr(GPtrArray) machines = NULL;
	g_autoptr(RcQmpMigrateInfo) info = NULL;
	g_autofree char *ramblocks = NULL;
	g_autofree char *status = NULL;
	g_autofree char *machine_type = NULL;
	gboolean running = TRUE, found = FALSE;
	gint64 deadline = deadline_in(TEST_DEADLINE_US);

	if (!fx->qemu) {
		g_test_skip("qemu-system-x86_64 is not installed");
		return;
	}

	version = rc_qmp_query_version(fx->src.qmp, deadline, &error);
	g_assert_no_error(error);
	g_assert_cmpint(version->major, >, 0);

	commands = rc_qmp_query_commands(fx->src.qmp, deadline, &error);
	g_assert_no_error(error);
	g_assert_true(rc_qmp_has_command(commands, "migrate"));
	g_assert_false(rc_qmp_has_command(commands, "no-such-command"));

	ramblocks = rc_qmp_human_monitor_command(fx->src.qmp, "info ramblock", deadline, &error);
	g_assert_no_error(error);
	g_assert_nonnull(strstr(ramblocks, "Block Name"));
	g_assert_nonnull(strstr(ramblocks, "pc.ram"));

	machines = rc_qmp_query_machines(fx->src.qmp, deadline, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < machines->len; i++) {
		const RcQmpMachine *m = machines->pdata[i];

		found = found || g_str_equal(m->name, "pc-i440fx-7.2");
	}
	g_assert_true(found);

	machine_type = rc_qmp_qom_get_string(fx->src.qmp, "/machine", "type", deadline, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(machine_type, ==, "pc-i440fx-7.2-machine");

	g_assert_true(rc_qmp_query_status(fx->src.qmp, &status, &running, deadline, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(status, ==, "prelaunch");
	g_assert_false(running);

	info = rc_qmp_query_migrate(fx->src.qmp, deadline, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->status, ==, RC_MIGRATION_NONE);

	/* A real error reply: its class and desc reach the GError. */
	g_assert_null(rc_qmp_qom_get(fx->src.qmp, "/machine/no-such-device", "romfile", deadline,
				     &error));
	g_assert_error(error, RC_QMP_ERROR, RC_QMP_ERROR_DEVICE_NOT_FOUND);
	g_assert_true(g_str_has_prefix(error->message, "qom-get: "));
	g_clear_error(&error);

	qemu_quit(&fx->src);
}

/* One real migration through the wrappers, followed by MIGRATION events on
 * both sides, then the states query-migrate and query-status report. */
static void test_real_migration(QemuFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcQmpMigrateInfo) info = NULL;
	g_autofree char *uri = NULL;
	g_autofree char *mig_sock = NULL;
	g_autofree char *dst_status = NULL;
	gint64 deadline = deadline_in(TEST_DEADLINE_US);
	RcMigrationStatus status = RC_MIGRATION_NONE;
	gboolean dst_running = TRUE;

	if (!fx->qemu) {
		g_test_skip("qemu-system-x86_64 is not installed");
		return;
	}
	qemu_start(fx, &fx->dst, "dst", "defer");
	mig_sock = g_build_filename(fx->dir, "migration.sock", NULL);
	uri = g_strconcat("unix:", mig_sock, NULL);

	g_assert_true(rc_qmp_migrate_set_capability(fx->src.qmp, "events", TRUE, deadline, &error));
	g_assert_true(rc_qmp_migrate_set_capability(fx->dst.qmp, "events", TRUE, deadline, &error));
	g_assert_true(rc_qmp_migrate_incoming(fx->dst.qmp, uri, deadline, &error));
	g_assert_true(rc_qmp_migrate(fx->src.qmp, uri, deadline, &error));
	g_assert_no_error(error);

	/* Follow the source's events to a final state. */
	while (status != RC_MIGRATION_COMPLETED && status != RC_MIGRATION_FAILED) {
		g_autoptr(json_object) event =
			rc_qmp_wait_event(fx->src.qmp, "MIGRATION", deadline, &error);

		g_assert_no_error(error);
		status = rc_qmp_migration_event_status(event, NULL);
	}
	g_assert_cmpint(status, ==, RC_MIGRATION_COMPLETED);

	info = rc_qmp_query_migrate(fx->src.qmp, deadline, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->status, ==, RC_MIGRATION_COMPLETED);
	g_assert_null(info->error_desc);

	/* The destination saw the migration end too. */
	status = RC_MIGRATION_NONE;
	while (status != RC_MIGRATION_COMPLETED && status != RC_MIGRATION_FAILED) {
		g_autoptr(json_object) event =
			rc_qmp_wait_event(fx->dst.qmp, "MIGRATION", deadline, &error);

		g_assert_no_error(error);
		status = rc_qmp_migration_event_status(event, NULL);
	}
	g_assert_cmpint(status, ==, RC_MIGRATION_COMPLETED);
	g_assert_true(
		rc_qmp_query_status(fx->dst.qmp, &dst_status, &dst_running, deadline, &error));
	g_assert_no_error(error);
	/* Out of "inmigrate"; with -S on both sides the guest stays stopped. */
	g_assert_cmpstr(dst_status, !=, "inmigrate");
	g_assert_false(dst_running);

	g_unlink(mig_sock);
	qemu_quit(&fx->src);
	qemu_quit(&fx->dst);
}

/* QMP over a socketpair handed to QEMU as a chardev: no socket path, no
 * connect retries, and a QEMU that dies is an end of file at once. */
static void test_real_socketpair(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcQmp) qmp = NULL;
	g_autofree char *qemu = g_find_program_in_path("qemu-system-x86_64");
	g_autofree char *status = NULL;
	const int target_fds[] = {3};
	int sv[2];
	GPid pid = 0;
	gint64 start;

	if (!qemu) {
		g_test_skip("qemu-system-x86_64 is not installed");
		return;
	}
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
	{
		const char *argv[] = {qemu,
				      "-machine",
				      "pc-i440fx-7.2,accel=tcg",
				      "-nodefaults",
				      "-display",
				      "none",
				      "-m",
				      "64",
				      "-S",
				      "-chardev",
				      "socket,id=qmp,fd=3",
				      "-mon",
				      "chardev=qmp,mode=control",
				      NULL};

		g_spawn_async_with_pipes_and_fds(
			NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
			child_setup, NULL, -1, -1, -1, &sv[1], target_fds, 1, &pid, NULL, NULL,
			NULL, &error);
	}
	close(sv[1]);
	g_assert_no_error(error);
	qmp = rc_qmp_new_fd(sv[0], "qemu", deadline_in(TEST_DEADLINE_US), &error);
	g_assert_no_error(error);
	g_assert_true(
		rc_qmp_query_status(qmp, &status, NULL, deadline_in(TEST_DEADLINE_US), &error));
	g_assert_no_error(error);
	g_assert_cmpstr(status, ==, "prelaunch");

	kill(pid, SIGKILL);
	reap(pid, 5 * G_USEC_PER_SEC);
	start = g_get_monotonic_time();
	g_assert_false(rc_qmp_query_status(qmp, NULL, NULL, deadline_in(TEST_DEADLINE_US), &error));
	g_assert_error(error, RC_QMP_ERROR, RC_QMP_ERROR_EOF);
	g_assert_cmpint(g_get_monotonic_time() - start, <, G_USEC_PER_SEC);
}

int main(int argc, char **argv)
{
	test_pid = getpid();
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/qmp/handshake-and-reply", test_handshake_and_reply);
	g_test_add_func("/qmp/events-queued", test_events_queued);
	g_test_add_func("/qmp/error-replies", test_error_replies);
	g_test_add_func("/qmp/split-bytewise", test_split_bytewise);
	g_test_add_func("/qmp/packed-messages", test_packed_messages);
	for (size_t i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
		g_autofree char *name = g_strdup_printf("/qmp/bad-peer/%s", bad_cases[i].name);

		g_test_add_data_func(name, &bad_cases[i], test_bad_peer);
	}
	g_test_add_func("/qmp/message-too-big", test_message_too_big);
	g_test_add_func("/qmp/timeout", test_timeout);
	g_test_add_func("/qmp/late-reply-skipped", test_late_reply_skipped);
	for (size_t i = 0; i < G_N_ELEMENTS(greeting_cases); i++) {
		g_autofree char *name =
			g_strdup_printf("/qmp/bad-greeting/%s", greeting_cases[i].name);

		g_test_add_data_func(name, &greeting_cases[i], test_bad_greeting);
	}
	g_test_add_func("/qmp/capabilities-refused", test_capabilities_refused);
	g_test_add_func("/qmp/wrappers", test_wrappers);
	g_test_add_func("/qmp/migration-status-names", test_migration_status_names);
	g_test_add_func("/qmp/connect/path-too-long", test_connect_path_too_long);
	g_test_add_func("/qmp/connect/missing-socket", test_connect_missing_socket);
	g_test_add_func("/qmp/connect/retries", test_connect_retries);
	g_test_add("/qmp/real-qemu/commands", QemuFixture, NULL, qemu_setup, test_real_qemu,
		   qemu_teardown);
	g_test_add_func("/qmp/real-qemu/socketpair", test_real_socketpair);
	g_test_add("/qmp/real-qemu/migration", QemuFixture, NULL, qemu_setup, test_real_migration,
		   qemu_teardown);
	return g_test_run();
}
