/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-savedstate.c - the head of a saved VM state: migration streams
 * (configuration section, capabilities, postcopy page sizes, ignore-shared
 * addresses), libvirt save images (either byte order, compressed, never
 * finished) and qcow2 snapshots, built byte by byte as QEMU and libvirt
 * write them; every truncation is one input error.
 */
#include <gio/gio.h>
#include <string.h>

#include "base/error.h"
#include "qemu/ramblock.h"
#include "qemu/savedstate.h"
#include "sources/stateimage.h"

static void put_be(GByteArray *b, guint bytes, guint64 v)
{
	for (guint i = bytes; i-- > 0;) {
		guint8 c = (guint8)(v >> (i * 8));

		g_byte_array_append(b, &c, 1);
	}
}

static void put_str8(GByteArray *b, const char *s)
{
	put_be(b, 1, strlen(s));
	g_byte_array_append(b, (const guint8 *)s, (guint)strlen(s));
}

/* A stream as QEMU 7.2 writes it for pc-q35-7.2 with two NICs. */
static GByteArray *make_stream(gboolean config, gboolean postcopy, gboolean ignore_shared)
{
	GByteArray *b = g_byte_array_new();

	put_be(b, 4, RC_QEMU_VM_MAGIC);
	put_be(b, 4, 3);
	if (config) {
		put_be(b, 1, 0x07);
		put_be(b, 4, 10);
		g_byte_array_append(b, (const guint8 *)"pc-q35-7.2", 10);
		put_be(b, 1, 0x05);
		put_str8(b, "configuration/capabilities");
		put_be(b, 4, 1);
		put_be(b, 4, ignore_shared ? 1 : 0);
		if (ignore_shared)
			put_str8(b, "x-ignore-shared");
	}
	if (postcopy) {
		put_be(b, 1, 0x08);
		put_be(b, 2, 2);
		put_be(b, 2, 16);
		put_be(b, 8, 0x1000);
		put_be(b, 8, 0x1000);
	}
	put_be(b, 1, 0x01);
	put_be(b, 4, 2);
	put_str8(b, "ram");
	put_be(b, 4, 0);
	put_be(b, 4, 4);
	put_be(b, 8, (0x4000000ULL + 0x40000 + 0x80000) | 0x04);
	put_str8(b, "pc.ram");
	put_be(b, 8, 0x4000000);
	if (postcopy)
		put_be(b, 8, 0x200000); /* huge pages */
	if (ignore_shared)
		put_be(b, 8, 0);
	put_str8(b, "0000:00:02.0/e1000.rom");
	put_be(b, 8, 0x40000);
	if (ignore_shared)
		put_be(b, 8, 0xfeb80000);
	put_str8(b, "0000:00:01.0:00.0:01.0/virtio-net-pci.rom");
	put_be(b, 8, 0x80000);
	if (ignore_shared)
		put_be(b, 8, 0xfea00000);
	put_be(b, 8, 0x10); /* EOS: never read */
	return b;
}

static RcSavedState *parse(const guint8 *data, gsize len, GError **error)
{
	g_autoptr(RcStateImage) img = rc_state_image_new_from_data("t", data, len, error);
	g_autoptr(RcStateStream) s = NULL;
	GPtrArray *snaps;

	if (!img)
		return NULL;
	snaps = rc_state_image_snapshots(img);
	s = rc_state_stream_open(img, snaps && snaps->len ? g_ptr_array_index(snaps, 0) : NULL,
				 error);
	return s ? rc_saved_state_parse(s, "t", error) : NULL;
}

static void assert_blocks(const RcSavedState *st)
{
	const RcRamBlock *b;

	g_assert_cmpuint(st->blocks->len, ==, 3);
	b = g_ptr_array_index(st->blocks, 1);
	g_assert_cmpstr(b->name, ==, "0000:00:02.0/e1000.rom");
	g_assert_cmpuint(b->used, ==, 0x40000);
	b = g_ptr_array_index(st->blocks, 2);
	g_assert_cmpstr(b->name, ==, "0000:00:01.0:00.0:01.0/virtio-net-pci.rom");
	g_assert_cmpuint(b->used, ==, 0x80000);
}

static void test_stream(void)
{
	for (guint v = 0; v < 8; v++) {
		g_autoptr(GByteArray) b = make_stream(v & 1, v & 2, v & 4);
		g_autoptr(GError) error = NULL;
		g_autoptr(RcSavedState) st = parse(b->data, b->len, &error);

		if ((v & 4) && !(v & 1)) { /* ignore-shared is only known from the config */
			g_clear_error(&error);
			continue;
		}
		g_assert_no_error(error);
		g_assert_cmpstr(st->machine, ==, (v & 1) ? "pc-q35-7.2" : NULL);
		assert_blocks(st);
		g_assert_cmpint(st->postcopy, ==, !!(v & 2));
	}
}

/* Every cut before the end of the block table is one input error. */
static void test_truncated(void)
{
	g_autoptr(GByteArray) b = make_stream(TRUE, TRUE, TRUE);

	for (guint len = 0; len < b->len - 8; len++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RcSavedState) st = parse(b->data, len, &error);

		g_assert_null(st);
		g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	}
}

static void test_corrupt(void)
{
	g_autoptr(GByteArray) b = make_stream(TRUE, FALSE, FALSE);
	g_autoptr(GError) error = NULL;
	g_autoptr(RcSavedState) bad_version = NULL;
	g_autoptr(RcSavedState) not_state = NULL;

	b->data[7] = 2; /* version */
	bad_version = parse(b->data, b->len, &error);
	g_assert_null(bad_version);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "unknown version"));
	g_clear_error(&error);
	not_state = parse((const guint8 *)"hello world, not a state", 24, &error);
	g_assert_null(not_state);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "not a saved VM state"));
}

static GByteArray *make_libvirt(gboolean swapped, guint32 compressed, const char *magic,
				const GByteArray *stream)
{
	GByteArray *b = g_byte_array_new();
	const char *xml = "<domain type='kvm'><name>vm</name></domain>";
	guint32 words[19] = {2, 1024, 1, compressed, 0};
	guint8 zeros[1024] = {0};

	for (guint i = 0; i < G_N_ELEMENTS(words); i++)
		words[i] = swapped ? GUINT32_SWAP_LE_BE(words[i]) : words[i];
	g_byte_array_append(b, (const guint8 *)magic, 16);
	g_byte_array_append(b, (const guint8 *)words, sizeof(words));
	g_strlcpy((char *)zeros, xml, sizeof(zeros));
	g_byte_array_append(b, zeros, sizeof(zeros));
	g_byte_array_append(b, stream->data, stream->len);
	return b;
}

static GByteArray *gzip(const GByteArray *in)
{
	g_autoptr(GZlibCompressor) z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
	GByteArray *out = g_byte_array_new();
	guint8 buf[65536];
	gsize rd;
	gsize wr;

	g_assert_cmpint(g_converter_convert(G_CONVERTER(z), in->data, in->len, buf, sizeof(buf),
					    G_CONVERTER_INPUT_AT_END, &rd, &wr, NULL),
			==, G_CONVERTER_FINISHED);
	g_byte_array_append(out, buf, (guint)wr);
	return out;
}

static void test_libvirt(void)
{
	g_autoptr(GByteArray) stream = make_stream(TRUE, FALSE, FALSE);
	g_autoptr(GByteArray) gz = gzip(stream);

	for (guint v = 0; v < 4; v++) {
		g_autoptr(GByteArray) b = make_libvirt(v & 1, (v & 2) ? 1 : 0, "LibvirtQemudSave",
						       (v & 2) ? gz : stream);
		g_autoptr(GError) error = NULL;
		g_autoptr(RcStateImage) img =
			rc_state_image_new_from_data("t", b->data, b->len, &error);
		g_autoptr(RcSavedState) st = parse(b->data, b->len, &error);

		g_assert_no_error(error);
		g_assert_cmpint(rc_state_image_format(img), ==, RC_STATE_LIBVIRT);
		g_assert_cmpstr(rc_state_image_xml(img), ==,
				"<domain type='kvm'><name>vm</name></domain>");
		g_assert_cmpstr(rc_state_image_compression(img), ==, (v & 2) ? "gzip" : "raw");
		assert_blocks(st);
	}
}

static void test_libvirt_bad(void)
{
	g_autoptr(GByteArray) stream = make_stream(TRUE, FALSE, FALSE);
	g_autoptr(GByteArray) part = make_libvirt(FALSE, 0, "LibvirtQemudPart", stream);
	g_autoptr(GByteArray) unknown = make_libvirt(FALSE, 9, "LibvirtQemudSave", stream);
	g_autoptr(GByteArray) notgz = make_libvirt(FALSE, 1, "LibvirtQemudSave", stream);
	g_autoptr(GError) error = NULL;
	g_autoptr(RcSavedState) st_part = parse(part->data, part->len, &error);
	g_autoptr(RcSavedState) st_unknown = NULL;
	g_autoptr(RcSavedState) st_notgz = NULL;

	g_assert_null(st_part);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "never finished"));
	g_clear_error(&error);
	st_unknown = parse(unknown->data, unknown->len, &error);
	g_assert_null(st_unknown);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
	g_assert_nonnull(strstr(error->message, "unknown compression 9"));
	g_clear_error(&error);
	/* Says gzip, holds a raw stream: libarchive's raw reader passes it
	 * through, or it is refused; never a crash or a wrong table. */
	st_notgz = parse(notgz->data, notgz->len, &error);
	if (st_notgz)
		assert_blocks(st_notgz);
	else
		g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
}

/* A qcow2 v3 image, 512-byte clusters, 32 KiB disk, one snapshot whose VM
 * state is @stream: header, snapshot table, L1, L2, data clusters. */
static GByteArray *make_qcow2(const GByteArray *stream)
{
	GByteArray *b = g_byte_array_new();
	guint nclusters = (stream->len + 511) / 512;

	g_byte_array_set_size(b, 512 * (5 + nclusters));
	memset(b->data, 0, b->len);
	g_byte_array_set_size(b, 0);
	put_be(b, 4, 0x514649fb);
	put_be(b, 4, 3);
	put_be(b, 8, 0);
	put_be(b, 4, 0);
	put_be(b, 4, 9);     /* cluster bits */
	put_be(b, 8, 32768); /* size: 64 clusters = one L2 table */
	put_be(b, 4, 0);
	put_be(b, 4, 0); /* l1 size */
	put_be(b, 8, 0);
	put_be(b, 8, 0);
	put_be(b, 4, 0);
	put_be(b, 4, 1);   /* snapshots */
	put_be(b, 8, 512); /* snapshot table */
	put_be(b, 8, 0);
	put_be(b, 8, 0);
	put_be(b, 8, 0);
	put_be(b, 4, 4);
	put_be(b, 4, 104);
	g_byte_array_set_size(b, 512);
	/* snapshot entry: L1 at 1024, 2 entries */
	put_be(b, 8, 1024);
	put_be(b, 4, 2);
	put_be(b, 2, 1);
	put_be(b, 2, 7);
	put_be(b, 4, 0);
	put_be(b, 4, 0);
	put_be(b, 8, 0);
	put_be(b, 4, stream->len);
	put_be(b, 4, 16);
	put_be(b, 8, stream->len);
	put_be(b, 8, 32768);
	g_byte_array_append(b, (const guint8 *)"1suspend", 8);
	g_byte_array_set_size(b, 1024);
	put_be(b, 8, 0);    /* L1[0]: the disk, unallocated */
	put_be(b, 8, 1536); /* L1[1]: the VM state's L2 */
	g_byte_array_set_size(b, 1536);
	for (guint i = 0; i < nclusters; i++)
		put_be(b, 8, (1ULL << 63) | (2048 + 512ULL * i));
	g_byte_array_set_size(b, 2048);
	g_byte_array_append(b, stream->data, stream->len);
	g_byte_array_set_size(b, 2048 + 512 * nclusters);
	return b;
}

static void test_qcow2(void)
{
	g_autoptr(GByteArray) stream = make_stream(TRUE, FALSE, FALSE);
	g_autoptr(GByteArray) b = make_qcow2(stream);
	g_autoptr(GError) error = NULL;
	g_autoptr(RcStateImage) img = rc_state_image_new_from_data("t", b->data, b->len, &error);
	g_autoptr(RcSavedState) st = parse(b->data, b->len, &error);
	g_autoptr(RcSavedState) cut = NULL;
	const RcStateSnapshot *snap;

	g_assert_no_error(error);
	g_assert_cmpint(rc_state_image_format(img), ==, RC_STATE_QCOW2);
	g_assert_cmpuint(rc_state_image_snapshots(img)->len, ==, 1);
	snap = g_ptr_array_index(rc_state_image_snapshots(img), 0);
	g_assert_cmpstr(snap->id, ==, "1");
	g_assert_cmpstr(snap->name, ==, "suspend");
	g_assert_cmpuint(snap->vm_state_size, ==, stream->len);
	g_assert_cmpstr(st->machine, ==, "pc-q35-7.2");
	assert_blocks(st);
	/* The image cut inside its VM state. */
	cut = parse(b->data, 2048 + 100, &error);
	g_assert_null(cut);
	g_assert_error(error, RC_ERROR, RC_ERROR_INPUT);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/savedstate/stream", test_stream);
	g_test_add_func("/savedstate/truncated", test_truncated);
	g_test_add_func("/savedstate/corrupt", test_corrupt);
	g_test_add_func("/savedstate/libvirt", test_libvirt);
	g_test_add_func("/savedstate/libvirt-bad", test_libvirt_bad);
	g_test_add_func("/savedstate/qcow2", test_qcow2);
	return g_test_run();
}
