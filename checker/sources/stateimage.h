/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stateimage.h - the files a saved VM state lives in, as sources of a
 * migration stream: a raw stream, a libvirt save image (header, domain
 * XML, the stream raw or compressed) and a qcow2 image's internal
 * snapshots (the vmstate behind each snapshot's L1 table).  Read-only,
 * read only as far as the caller asks, every byte counted.
 */
#ifndef RC_STATEIMAGE_H
#define RC_STATEIMAGE_H

#include <glib.h>

#include "base/enumtable.h"

/**
 * RcStateFormat - the container a saved state is in
 * @RC_STATE_RAW:	a bare migration stream ("QEVM")
 * @RC_STATE_LIBVIRT:	a libvirt save image ("LibvirtQemudSave")
 * @RC_STATE_QCOW2:	a qcow2 image with internal snapshots
 */
typedef enum {
	RC_STATE_RAW,
	RC_STATE_LIBVIRT,
	RC_STATE_QCOW2,
	RC_STATE_FORMAT_COUNT
} RcStateFormat;
RC_ENUM_DECL_TO_STRING(rc_state_format, RcStateFormat);

/* The libvirt save image header: 16-byte magic and 19 32-bit words. */
#define RC_LIBVIRT_SAVE_HEADER_SIZE 92
#define RC_QEMU_VM_MAGIC	    0x5145564dU

/**
 * RcStateSnapshot - one internal snapshot of a qcow2 image
 * @id:		its id ("1")
 * @name:	its name ("suspend")
 * @vm_state_size: bytes of VM state it holds (0: a disk-only snapshot)
 * @disk_size:	the virtual disk size when it was taken
 * @l1_offset:	its L1 table in the file
 * @l1_size:	entries of that table
 */
typedef struct {
	char *id;
	char *name;
	guint64 vm_state_size;
	guint64 disk_size;
	guint64 l1_offset;
	guint32 l1_size;
} RcStateSnapshot;

typedef struct RcStateImage RcStateImage;
typedef struct RcStateStream RcStateStream;

RcStateImage *rc_state_image_open(const char *path, GError **error);
RcStateImage *rc_state_image_new_from_data(const char *label, const void *data, gsize size,
					   GError **error);
RcStateFormat rc_state_image_format(const RcStateImage *img);
const char *rc_state_image_label(const RcStateImage *img);
const char *rc_state_image_xml(const RcStateImage *img);
const char *rc_state_image_compression(const RcStateImage *img);
GPtrArray *rc_state_image_snapshots(const RcStateImage *img);
guint64 rc_state_image_bytes_read(const RcStateImage *img);
void rc_state_image_free(RcStateImage *img);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcStateImage, rc_state_image_free)

RcStateStream *rc_state_stream_open(RcStateImage *img, const RcStateSnapshot *snapshot,
				    GError **error);
gssize rc_state_stream_read(RcStateStream *s, void *buf, gsize len, GError **error);
void rc_state_stream_free(RcStateStream *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcStateStream, rc_state_stream_free)

#endif /* RC_STATEIMAGE_H */
