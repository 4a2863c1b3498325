/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_stderr.c - pure classifier of QEMU's migration and start-up
 * messages.
 *
 * Only the destination of a failed migration says why (the source sees a
 * broken pipe), so this reads the destination's stderr.  Patterns, from
 * QEMU's migration/ram.c, hw/pci/pci.c and vl.c:
 *   Size mismatch: ID: 0xSRC != 0xDST          (QEMU >= 5.2)
 *   Length mismatch: ID: 0xSRC in != 0xDST     (QEMU < 5.2)
 *   Unknown ramblock "ID", cannot accept migration
 *   failed to find romfile "FILE"
 *   could not load PC BIOS 'FILE' (hw/i386/x86.c; its own "qemu: " in front),
 *   Unable to load the RISC-V firmware "FILE", could not load MacROM 'FILE',
 *   Could not find ROM image 'FILE' (-bios on arm, loongarch)
 *   unsupported machine type / ram_size must be greater than ...
 * In the mismatch messages the first size is what the stream (the source)
 * carries and the second is the destination's own block.
 */
#include "qemu/qemu_stderr.h"

#include <string.h>

/* Bytes of one line kept as a case's message: it is copied into every case
 * of a shared pair, and into every report. */
#define RC_QEMU_LINE_MAX 512

/**
 * rc_qemu_message_free() - free a classified message
 * @msg:	the message, or NULL
 */
void rc_qemu_message_free(RcQemuMessage *msg)
{
	if (!msg)
		return;
	g_free(msg->block);
	g_free(msg->line);
	g_free(msg->romfile);
	g_free(msg->firmware);
	g_free(msg);
}

/* QEMU prefixes errors with "qemu-system-ARCH: " and sometimes an option. */
static const char *strip_prefix(const char *line)
{
	const char *p = line;

	if (g_str_has_prefix(p, "qemu-system-") || g_str_has_prefix(p, "qemu-")) {
		const char *colon = strstr(p, ": ");

		if (colon)
			p = colon + 2;
	}
	return p;
}

/* @line for a report: at most RC_QEMU_LINE_MAX bytes, and a note of the rest. */
static char *keep_line(const char *line)
{
	gsize len = strlen(line);
	const char *end;

	if (len <= RC_QEMU_LINE_MAX)
		return g_strdup(line);
	end = g_utf8_find_prev_char(line, line + RC_QEMU_LINE_MAX + 1);
	if (!end || !g_utf8_validate(line, end - line, NULL))
		end = line + RC_QEMU_LINE_MAX;
	return g_strdup_printf("%.*s [... %" G_GSIZE_FORMAT " more bytes]", (int)(end - line), line,
			       len - (gsize)(end - line));
}

/* The note rc_capture_text() puts where output was left out. */
static gboolean is_cut_note(const char *line)
{
	return g_str_has_prefix(line, "[... ") && g_str_has_suffix(line, " left out ...]");
}

static gboolean match_mismatch(const char *line, RcQemuMessage *msg)
{
	static const char *const patterns[] = {
		"Size mismatch: (\\S+): 0x([0-9a-fA-F]+) != 0x([0-9a-fA-F]+)",
		"Length mismatch: (\\S+): 0x([0-9a-fA-F]+) in != 0x([0-9a-fA-F]+)",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(patterns); i++) {
		g_autoptr(GRegex) re = g_regex_new(patterns[i], 0, 0, NULL);
		g_autoptr(GMatchInfo) m = NULL;

		if (re && g_regex_match(re, line, 0, &m)) {
			g_autofree char *src = g_match_info_fetch(m, 2);
			g_autofree char *dst = g_match_info_fetch(m, 3);

			msg->kind = RC_KIND_ROM_SIZE_MISMATCH;
			g_free(msg->block); /* an earlier "Unknown ramblock" named one */
			msg->block = g_match_info_fetch(m, 1);
			msg->source_size = g_ascii_strtoull(src, NULL, 16);
			msg->destination_size = g_ascii_strtoull(dst, NULL, 16);
			return TRUE;
		}
	}
	return FALSE;
}

static char *quoted(const char *line, const char *after)
{
	const char *start = strstr(line, after);
	const char *end;

	if (!start)
		return NULL;
	start += strlen(after);
	end = strchr(start, '"');
	return end ? g_strndup(start, end - start) : NULL;
}

/* The file of a firmware image QEMU could not load, as its line quotes it. */
static char *firmware_file(const char *line)
{
	g_autoptr(GRegex) re = g_regex_new("^(?:qemu: )?(?:[Cc]ould not (?:load|find)|Unable to "
					   "load) [^'\"]*['\"]([^'\"]+)['\"]",
					   0, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;

	return re && g_regex_match(re, line, 0, &m) ? g_match_info_fetch(m, 1) : NULL;
}

/**
 * rc_qemu_stderr_classify() - what QEMU's stderr says went wrong
 * @text:	everything QEMU printed on stderr (may be NULL)
 *
 * Warnings ("warning: ...") are passed over.  The most specific message
 * wins: a RAM-block mismatch over the generic "load of migration failed"
 * that follows it.  A line kept is cut to RC_QEMU_LINE_MAX bytes; the
 * note of output left out (rc_capture_text()) is not a message.
 *
 * Return: a new RcQemuMessage; kind RC_KIND_OTHER with the first error
 * line when nothing specific was recognised, RC_KIND_NONE when there is no
 * error line at all
 */
RcQemuMessage *rc_qemu_stderr_classify(const char *text)
{
	g_autoptr(RcQemuMessage) msg = g_new0(RcQemuMessage, 1);
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);

	msg->kind = RC_KIND_NONE;
	for (guint i = 0; lines[i]; i++) {
		const char *line = strip_prefix(g_strstrip(lines[i]));
		RcKind kind = RC_KIND_NONE;
		char *block = NULL;

		/* A display or audio module of another package, or the sound library
		 * finding no sound card: noise, not the reason. */
		if ((strstr(line, "module ") &&
		     strstr(line, " not found, do you want to install")) ||
		    g_str_has_prefix(line, "ALSA lib "))
			continue;
		if (!*line || strstr(line, "warning:") == line || strstr(lines[i], ": warning: ") ||
		    is_cut_note(line))
			continue;
		if (match_mismatch(line, msg)) {
			g_clear_pointer(&msg->firmware, g_free);
			g_free(msg->line);
			msg->line = keep_line(line);
			return g_steal_pointer(&msg);
		}
		if ((block = quoted(line, "Unknown ramblock \"")))
			kind = RC_KIND_UNKNOWN_RAMBLOCK;
		else if (strstr(line, "failed to find romfile"))
			kind = RC_KIND_ROMFILE_MISSING;
		else if (strstr(line, "is not a valid device model name"))
			kind = RC_KIND_UNKNOWN_DEVICE;
		else if (strstr(line, "unsupported machine type") ||
			 strstr(line, "Use -machine help"))
			kind = RC_KIND_UNKNOWN_MACHINE_TYPE;
		if (kind != RC_KIND_NONE &&
		    (msg->kind == RC_KIND_NONE || msg->kind == RC_KIND_OTHER)) {
			msg->kind = kind;
			g_clear_pointer(&msg->firmware, g_free);
			g_free(msg->romfile);
			msg->romfile = kind == RC_KIND_ROMFILE_MISSING
					       ? quoted(line, "failed to find romfile \"")
					       : NULL;
			g_free(msg->block);
			msg->block = block;
			g_free(msg->line);
			msg->line = keep_line(line);
			continue;
		}
		g_free(block);
		if (msg->kind == RC_KIND_NONE) {
			msg->kind = RC_KIND_OTHER;
			msg->line = keep_line(line);
			msg->firmware = firmware_file(line);
		}
	}
	return g_steal_pointer(&msg);
}
