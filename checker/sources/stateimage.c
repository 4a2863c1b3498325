/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stateimage.c - the files a saved VM state lives in, read as sources of
 * a migration stream.
 *
 * Three containers: a bare stream (QMP `migrate` to a file), a libvirt
 * save image (libvirt's src/qemu/qemu_saveimage.h: a 92-byte header in
 * the host's byte order, the domain XML, then the stream, raw or through
 * a compressor) and a qcow2 image whose internal snapshots carry a VM
 * state (QEMU's block/qcow2-snapshot.c: the state sits in the image's
 * virtual address space at the first L1 entry past the disk, reached
 * through the snapshot's own L1 table).  Nothing is ever written, and
 * every byte read from the file is counted, so a caller can show that
 * it read only as far as it needed.
 */
#include "sources/stateimage.h"

#include <archive.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/input.h"

RC_ENUM_IMPL_TO_STRING(rc_state_format, RcStateFormat, RC_STATE_FORMAT_COUNT, "raw", "libvirt",
		       "qcow2")

#define LIBVIRT_MAGIC	      "LibvirtQemudSave"
#define LIBVIRT_MAGIC_PARTIAL "LibvirtQemudPart"
#define LIBVIRT_MAGIC_LEN     16
#define LIBVIRT_SAVE_VERSION  2
/* The domain XML and cookie libvirt keeps before the stream, at most. */
#define LIBVIRT_DATA_MAX     (16U * 1024 * 1024)
#define QCOW2_MAGIC	     0x514649fbU
#define QCOW2_HEADER_MIN     72
#define QCOW2_SNAPSHOT_FIXED 40
#define QCOW2_MAX_SNAPSHOTS  65536
#define QCOW2_OFFSET_MASK    0x00fffffffffffe00ULL
#define QCOW2_COMPRESSED     (1ULL << 62)
#define QCOW2_ZERO	     1ULL
#define QCOW2_EXTL2	     (1ULL << 4)
#define STREAM_CHUNK	     (64 * 1024)

struct RcStateImage {
	char *label;
	int fd;		    /* -1 for an image in memory */
	const guint8 *data; /* the image in memory (fuzzing, tests) */
	guint64 size;
	guint64 bytes_read;
	RcStateFormat format;
	/* libvirt */
	char *xml;
	guint32 compressed;
	guint64 stream_offset;
	/* qcow2 */
	guint32 cluster_bits;
	guint32 l2_bits;
	guint32 l2_entry_size;
	guint64 disk_size;
	GPtrArray *snapshots;
};

struct RcStateStream {
	RcStateImage *img;
	guint64 pos;	  /* bytes of the stream given so far */
	guint64 file_pos; /* compressed bytes handed to libarchive so far */
	guint64 end;	  /* the stream's length where known, else G_MAXUINT64 */
	const RcStateSnapshot *snapshot;
	struct archive *archive;
	guint8 *chunk;
};

static const char *const compression_names[] = {"raw", "gzip", "bzip2", "xz", "lzop", "zstd"};

static void snapshot_free(gpointer p)
{
	RcStateSnapshot *s = p;

	g_free(s->id);
	g_free(s->name);
	g_free(s);
}

/**
 * rc_state_image_free() - close a saved state's file
 * @img:	the image, or NULL
 */
void rc_state_image_free(RcStateImage *img)
{
	if (!img)
		return;
	if (img->fd >= 0)
		close(img->fd);
	g_free(img->label);
	g_free(img->xml);
	if (img->snapshots)
		g_ptr_array_unref(img->snapshots);
	g_free(img);
}

/* Read exactly @len bytes at @off; FALSE (with @error) at a short read. */
static gboolean pread_exact(RcStateImage *img, void *buf, gsize len, guint64 off, GError **error)
{
	if (off > img->size || len > img->size - off) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "saved state %s: truncated (needs bytes up to %" G_GUINT64_FORMAT
			    " of %" G_GUINT64_FORMAT "); copy it again from where it was saved",
			    img->label, off + len, img->size);
		return FALSE;
	}
	if (!img->data) {
		gsize done = 0;

		while (done < len) {
			gssize n = pread(img->fd, (guint8 *)buf + done, len - done,
					 (off_t)(off + done));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
					    "saved state %s: cannot read at %" G_GUINT64_FORMAT
					    ": %s",
					    img->label, off + done,
					    n < 0 ? g_strerror(errno) : "end of file");
				return FALSE;
			}
			done += (gsize)n;
		}
	} else {
		memcpy(buf, img->data + off, len);
	}
	img->bytes_read += len;
	return TRUE;
}

static guint32 be32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static guint64 be64(const guint8 *p)
{
	return ((guint64)be32(p) << 32) | be32(p + 4);
}

static guint16 be16(const guint8 *p)
{
	return (guint16)((p[0] << 8) | p[1]);
}

static gboolean bad(GError **error, const RcStateImage *img, const char *what)
{
	g_set_error(error, RC_ERROR, RC_ERROR_INPUT, "saved state %s: %s", img->label, what);
	return FALSE;
}

/*
 * The libvirt header: magic, then version, data_len, was_running,
 * compressed, cookieOffset in the byte order of the host that wrote it
 * (libvirt swaps when the version reads too large, and so do we).
 */
static gboolean parse_libvirt(RcStateImage *img, const guint8 *hdr, GError **error)
{
	guint32 words[5];
	g_autofree char *data = NULL;

	if (memcmp(hdr, LIBVIRT_MAGIC_PARTIAL, LIBVIRT_MAGIC_LEN) == 0)
		return bad(error, img,
			   "a libvirt save image that was never finished (LibvirtQemudPart): "
			   "the save was interrupted; nothing can be restored from it");
	memcpy(words, hdr + LIBVIRT_MAGIC_LEN, sizeof(words));
	if (words[0] > LIBVIRT_SAVE_VERSION)
		for (guint i = 0; i < G_N_ELEMENTS(words); i++)
			words[i] = GUINT32_SWAP_LE_BE(words[i]);
	if (words[0] == 0 || words[0] > LIBVIRT_SAVE_VERSION)
		return bad(error, img, "libvirt save image of an unknown version");
	if (words[1] == 0 || words[1] > LIBVIRT_DATA_MAX)
		return bad(error, img, "libvirt save image with an impossible XML length");
	img->compressed = words[3];
	if (img->compressed >= G_N_ELEMENTS(compression_names)) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "saved state %s: libvirt save image with unknown compression %u",
			    img->label, img->compressed);
		return FALSE;
	}
	data = g_malloc(words[1] + 1);
	if (!pread_exact(img, data, words[1], RC_LIBVIRT_SAVE_HEADER_SIZE, error))
		return FALSE;
	data[words[1]] = '\0';
	img->xml = g_strdup(data); /* up to its NUL: the cookie follows */
	img->stream_offset = RC_LIBVIRT_SAVE_HEADER_SIZE + (guint64)words[1];
	return TRUE;
}

/* One snapshot table entry at *@off; *@off moves past it. */
static RcStateSnapshot *parse_snapshot(RcStateImage *img, guint64 *off, GError **error)
{
	guint8 f[QCOW2_SNAPSHOT_FIXED];
	guint8 extra[24] = {0};
	g_autoptr(GPtrArray) hold = g_ptr_array_new_with_free_func(snapshot_free);
	RcStateSnapshot *s = g_new0(RcStateSnapshot, 1);
	guint32 extra_size;
	guint16 id_size;
	guint16 name_size;

	g_ptr_array_add(hold, s);
	if (!pread_exact(img, f, sizeof(f), *off, error))
		return NULL;
	s->l1_offset = be64(f);
	s->l1_size = be32(f + 8);
	id_size = be16(f + 12);
	name_size = be16(f + 14);
	s->vm_state_size = be32(f + 32);
	extra_size = be32(f + 36);
	if (extra_size > 1024) {
		bad(error, img, "qcow2 snapshot table entry with oversized extra data");
		return NULL;
	}
	if (!pread_exact(img, extra, MIN(extra_size, sizeof(extra)), *off + sizeof(f), error))
		return NULL;
	if (extra_size >= 8)
		s->vm_state_size = be64(extra);
	s->disk_size = extra_size >= 16 ? be64(extra + 8) : img->disk_size;
	*off += sizeof(f) + extra_size;
	s->id = g_malloc0((gsize)id_size + 1);
	s->name = g_malloc0((gsize)name_size + 1);
	if (!pread_exact(img, s->id, id_size, *off, error) ||
	    !pread_exact(img, s->name, name_size, *off + id_size, error))
		return NULL;
	*off += id_size + name_size;
	*off = (*off + 7) & ~7ULL;
	return g_ptr_array_steal_index(hold, 0);
}

static gboolean parse_qcow2(RcStateImage *img, const guint8 *h, GError **error)
{
	guint32 version = be32(h + 4);
	guint32 nb = be32(h + 60);
	guint64 off = be64(h + 64);
	guint8 v3[8] = {0};

	img->cluster_bits = be32(h + 20);
	img->disk_size = be64(h + 24);
	if (version < 2 || version > 3)
		return bad(error, img, "qcow2 image of an unknown version");
	if (img->cluster_bits < 9 || img->cluster_bits > 21)
		return bad(error, img, "qcow2 image with an impossible cluster size");
	if (version == 3 && !pread_exact(img, v3, sizeof(v3), QCOW2_HEADER_MIN, error))
		return FALSE;
	img->l2_entry_size = (be64(v3) & QCOW2_EXTL2) ? 16 : 8;
	img->l2_bits = img->cluster_bits - (img->l2_entry_size == 16 ? 4 : 3);
	if (be32(h + 32) != 0)
		return bad(error, img, "encrypted qcow2 image: its VM state cannot be read");
	if (nb > QCOW2_MAX_SNAPSHOTS)
		return bad(error, img, "qcow2 image with an impossible number of snapshots");
	img->snapshots = g_ptr_array_new_with_free_func(snapshot_free);
	for (guint32 i = 0; i < nb; i++) {
		RcStateSnapshot *s = parse_snapshot(img, &off, error);

		if (!s)
			return FALSE;
		g_ptr_array_add(img->snapshots, s);
	}
	return TRUE;
}

/* Which container, from the first bytes. */
static gboolean parse_container(RcStateImage *img, GError **error)
{
	guint8 h[RC_LIBVIRT_SAVE_HEADER_SIZE] = {0};
	gsize n = sizeof(h);

	if (img->size < n)
		n = (gsize)img->size;
	if (img->size < 4 || !pread_exact(img, h, n, 0, error)) {
		g_clear_error(error);
		return bad(error, img,
			   "empty or truncated: not a saved VM state (a migration stream, a "
			   "libvirt save image or a qcow2 image)");
	}
	if (be32(h) == RC_QEMU_VM_MAGIC) {
		img->format = RC_STATE_RAW;
		return TRUE;
	}
	if (n == sizeof(h) && (memcmp(h, LIBVIRT_MAGIC, LIBVIRT_MAGIC_LEN) == 0 ||
			       memcmp(h, LIBVIRT_MAGIC_PARTIAL, LIBVIRT_MAGIC_LEN) == 0)) {
		img->format = RC_STATE_LIBVIRT;
		return parse_libvirt(img, h, error);
	}
	if (n >= QCOW2_HEADER_MIN && be32(h) == QCOW2_MAGIC) {
		img->format = RC_STATE_QCOW2;
		return parse_qcow2(img, h, error);
	}
	return bad(error, img,
		   "not a saved VM state (neither a QEMU migration stream, a libvirt save image "
		   "nor a qcow2 image)");
}

/**
 * rc_state_image_open() - open a file that may hold a saved VM state
 * @path:	the file (never written)
 * @error:	RC_ERROR_INPUT when it is not one
 *
 * Reads the container's header only (and a qcow2 image's snapshot table).
 *
 * Return: the image, or NULL with @error set
 */
RcStateImage *rc_state_image_open(const char *path, GError **error)
{
	RcStateImage *img;
	struct stat st;
	int fd = rc_input_open(path, "saved state", RC_INPUT_FILE, &st, error);

	if (fd < 0)
		return NULL;
	img = g_new0(RcStateImage, 1);
	img->label = g_strdup(path);
	img->fd = fd;
	img->size = (guint64)st.st_size;
	if (!parse_container(img, error)) {
		rc_state_image_free(img);
		return NULL;
	}
	return img;
}

/**
 * rc_state_image_new_from_data() - a saved state's bytes held in memory
 * @label:	its name in messages
 * @data:	the bytes; must outlive the image
 * @size:	their length
 * @error:	as for rc_state_image_open()
 *
 * Return: the image, or NULL with @error set
 */
RcStateImage *rc_state_image_new_from_data(const char *label, const void *data, gsize size,
					   GError **error)
{
	RcStateImage *img = g_new0(RcStateImage, 1);

	img->label = g_strdup(label);
	img->fd = -1;
	img->data = data;
	img->size = size;
	if (!parse_container(img, error)) {
		rc_state_image_free(img);
		return NULL;
	}
	return img;
}

/** rc_state_image_format() - the container.  @img: the image.  Return: its format */
RcStateFormat rc_state_image_format(const RcStateImage *img)
{
	return img->format;
}

/** rc_state_image_label() - its name.  @img: the image.  Return: the path given */
const char *rc_state_image_label(const RcStateImage *img)
{
	return img->label;
}

/**
 * rc_state_image_xml() - the domain XML of a libvirt save image
 * @img:	the image
 *
 * Return: the XML, or NULL for other formats
 */
const char *rc_state_image_xml(const RcStateImage *img)
{
	return img->xml;
}

/**
 * rc_state_image_compression() - how a libvirt save image's stream is kept
 * @img:	the image
 *
 * Return: "raw", "gzip", "bzip2", "xz", "lzop" or "zstd"; "raw" for others
 */
const char *rc_state_image_compression(const RcStateImage *img)
{
	return compression_names[img->compressed];
}

/**
 * rc_state_image_snapshots() - a qcow2 image's internal snapshots
 * @img:	the image
 *
 * Return: (transfer none) RcStateSnapshot in table order, or NULL for others
 */
GPtrArray *rc_state_image_snapshots(const RcStateImage *img)
{
	return img->snapshots;
}

/**
 * rc_state_image_bytes_read() - how much of the file has been read
 * @img:	the image
 *
 * Return: bytes read from the file so far (header, tables, stream)
 */
guint64 rc_state_image_bytes_read(const RcStateImage *img)
{
	return img->bytes_read;
}

static la_ssize_t archive_source(struct archive *a, void *opaque, const void **buf)
{
	RcStateStream *s = opaque;
	RcStateImage *img = s->img;
	guint64 at = img->stream_offset + s->file_pos;
	guint64 left = at < img->size ? img->size - at : 0;
	gsize n = left < STREAM_CHUNK ? (gsize)left : STREAM_CHUNK;
	g_autoptr(GError) error = NULL;

	*buf = s->chunk;
	if (n > 0 && !pread_exact(img, s->chunk, n, img->stream_offset + s->file_pos, &error)) {
		archive_set_error(a, EIO, "%s", error->message);
		return -1;
	}
	s->file_pos += n;
	return (la_ssize_t)n;
}

/* libarchive's reader for each compression, by its number in the header. */
static int (*const filter_support[])(struct archive *) = {
	NULL,
	archive_read_support_filter_gzip,
	archive_read_support_filter_bzip2,
	archive_read_support_filter_xz,
	archive_read_support_filter_lzop,
	archive_read_support_filter_zstd,
};

/*
 * Only the filter the header names.  Where libarchive was built without
 * that library it runs the program of the same name ("lzop -d" without
 * liblzo2, ARCHIVE_WARN): a missing program is the system's lack, not the
 * image's fault.
 */
G_STATIC_ASSERT(G_N_ELEMENTS(filter_support) == G_N_ELEMENTS(compression_names));

static gboolean support_filter(RcStateStream *s, GError **error)
{
	const char *name = rc_state_image_compression(s->img);
	int r = filter_support[s->img->compressed](s->archive);
	g_autofree char *program = NULL;

	if (r == ARCHIVE_OK)
		return TRUE;
	program = r == ARCHIVE_WARN ? g_find_program_in_path(name) : NULL;
	if (program)
		return TRUE;
	g_set_error(error, RC_ERROR, RC_ERROR_INFRA,
		    "saved state %s: its stream is %s-compressed and this libarchive reads %s "
		    "only through the %s program, which is not installed; install %s",
		    s->img->label, name, name, name, name);
	return FALSE;
}

static gboolean open_compressed(RcStateStream *s, GError **error)
{
	struct archive_entry *entry;

	s->chunk = g_malloc(STREAM_CHUNK);
	s->archive = archive_read_new();
	if (!support_filter(s, error))
		return FALSE;
	archive_read_support_format_raw(s->archive);
	if (archive_read_open(s->archive, s, NULL, archive_source, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(s->archive, &entry) != ARCHIVE_OK) {
		g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
			    "saved state %s: its %s-compressed stream cannot be read: %s",
			    s->img->label, rc_state_image_compression(s->img),
			    archive_error_string(s->archive) ? archive_error_string(s->archive)
							     : "unknown format");
		return FALSE;
	}
	return TRUE;
}

/**
 * rc_state_stream_open() - the migration stream a saved state holds
 * @img:	the image (must outlive the stream)
 * @snapshot:	for a qcow2 image, the snapshot whose VM state to read
 * @error:	RC_ERROR_INPUT when it cannot be read, RC_ERROR_INFRA when the
 *		decompressor it needs is not installed
 *
 * Return: the stream from its first byte ("QEVM"), or NULL with @error set
 */
RcStateStream *rc_state_stream_open(RcStateImage *img, const RcStateSnapshot *snapshot,
				    GError **error)
{
	RcStateStream *s;

	if (img->format == RC_STATE_QCOW2 && (!snapshot || snapshot->vm_state_size == 0)) {
		bad(error, img, "the snapshot holds no VM state (a disk-only snapshot)");
		return NULL;
	}
	s = g_new0(RcStateStream, 1);
	s->img = img;
	s->end = G_MAXUINT64;
	if (img->format == RC_STATE_QCOW2) {
		s->snapshot = snapshot;
		s->end = snapshot->vm_state_size;
	} else if (img->format == RC_STATE_LIBVIRT && img->compressed != 0 &&
		   !open_compressed(s, error)) {
		rc_state_stream_free(s);
		return NULL;
	}
	return s;
}

/* Where byte @pos of a snapshot's VM state is in the file; 0: unallocated. */
static gboolean qcow2_map(RcStateStream *s, guint64 pos, guint64 *host, GError **error)
{
	RcStateImage *img = s->img;
	guint32 shift = img->cluster_bits + img->l2_bits;
	guint64 l1_index = (s->snapshot->disk_size + (1ULL << shift) - 1) >> shift;
	guint64 voff = (l1_index << shift) + pos;
	guint64 l1i = voff >> shift;
	guint64 l2i = (voff >> img->cluster_bits) & ((1ULL << img->l2_bits) - 1);
	guint8 e[8];
	guint64 l2;
	guint64 entry;

	*host = 0;
	if (l1i >= s->snapshot->l1_size)
		return TRUE;
	if (!pread_exact(img, e, 8, s->snapshot->l1_offset + l1i * 8, error))
		return FALSE;
	l2 = be64(e) & QCOW2_OFFSET_MASK;
	if (!l2)
		return TRUE;
	if (!pread_exact(img, e, 8, l2 + l2i * img->l2_entry_size, error))
		return FALSE;
	entry = be64(e);
	if (entry & QCOW2_COMPRESSED)
		return bad(error, img,
			   "qcow2 snapshot whose VM state is in compressed clusters: not "
			   "supported; restore it with QEMU instead");
	if (entry & QCOW2_ZERO)
		return TRUE;
	*host = (entry & QCOW2_OFFSET_MASK) + (voff & ((1ULL << img->cluster_bits) - 1));
	return TRUE;
}

static gssize read_qcow2(RcStateStream *s, guint8 *buf, gsize len, GError **error)
{
	gsize done = 0;

	len = (gsize)MIN(len, s->end - s->pos);
	while (done < len) {
		guint64 csize = 1ULL << s->img->cluster_bits;
		guint64 in_cluster = csize - (s->pos & (csize - 1));
		gsize n = (gsize)MIN(len - done, in_cluster);
		guint64 host;

		/* The VM state starts cluster-aligned (the L1 boundary), so
		 * the stream's offset within a cluster is the address's. */
		if (!qcow2_map(s, s->pos, &host, error))
			return -1;
		if (host == 0)
			memset(buf + done, 0, n);
		else if (!pread_exact(s->img, buf + done, n, host, error))
			return -1;
		done += n;
		s->pos += n;
	}
	return (gssize)done;
}

/**
 * rc_state_stream_read() - the next bytes of a saved state's stream
 * @s:		the stream
 * @buf:	where to put them
 * @len:	how many are wanted
 * @error:	RC_ERROR_INPUT when the file cannot be read
 *
 * Return: bytes given (fewer than @len only at the stream's end), or -1
 */
gssize rc_state_stream_read(RcStateStream *s, void *buf, gsize len, GError **error)
{
	RcStateImage *img = s->img;
	gsize n;

	if (s->snapshot)
		return read_qcow2(s, buf, len, error);
	if (s->archive) {
		la_ssize_t r = archive_read_data(s->archive, buf, len);

		if (r < 0) {
			g_set_error(error, RC_ERROR, RC_ERROR_INPUT,
				    "saved state %s: its %s-compressed stream is corrupt: %s",
				    img->label, rc_state_image_compression(img),
				    archive_error_string(s->archive));
			return -1;
		}
		return (gssize)r;
	}
	n = (gsize)MIN((guint64)len, img->size - MIN(img->size, img->stream_offset + s->pos));
	if (n && !pread_exact(img, buf, n, img->stream_offset + s->pos, error))
		return -1;
	s->pos += n;
	return (gssize)n;
}

/**
 * rc_state_stream_free() - close a stream
 * @s:	the stream, or NULL
 */
void rc_state_stream_free(RcStateStream *s)
{
	if (!s)
		return;
	if (s->archive)
		archive_read_free(s->archive);
	g_free(s->chunk);
	g_free(s);
}
