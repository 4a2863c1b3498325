/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * savedcheck.h - will a saved VM state restore with new ROMs: each RAM
 * block the state names, the length the new host gives it (predicted from
 * the ROM files, or read back from the new QEMU), a verdict per block and
 * per state, and the evidence.
 */
#ifndef RC_SAVEDCHECK_H
#define RC_SAVEDCHECK_H

#include <glib.h>

#include "base/enumtable.h"
#include "qemu/catalog.h"
#include "qemu/savedstate.h"
#include "sources/stateimage.h"

/**
 * RcSavedBlockVerdict - one RAM block on the new host
 * @RC_SAVED_BLOCK_SAME:	the new host gives it the length saved
 * @RC_SAVED_BLOCK_CHANGED:	another length: the state will not load
 * @RC_SAVED_BLOCK_MISSING:	the new host has no such block (or no such ROM)
 * @RC_SAVED_BLOCK_UNKNOWN:	not predicted (not a NIC's or display's ROM nor a
 *				firmware block), or not checked
 */
typedef enum {
	RC_SAVED_BLOCK_SAME,
	RC_SAVED_BLOCK_CHANGED,
	RC_SAVED_BLOCK_MISSING,
	RC_SAVED_BLOCK_UNKNOWN,
	RC_SAVED_BLOCK_VERDICT_COUNT
} RcSavedBlockVerdict;
RC_ENUM_DECL_TO_STRING(rc_saved_block_verdict, RcSavedBlockVerdict);

/**
 * RcSavedVerdict - one saved state on the new host
 * @RC_SAVED_RESTORES:		every block keeps its length (or it loaded)
 * @RC_SAVED_WILL_NOT_RESTORE:	a block changes length (or QEMU refused it)
 * @RC_SAVED_UNCHECKED:		QEMU could not be run to check it
 * @RC_SAVED_UNREADABLE:	the file is not a readable saved state
 */
typedef enum {
	RC_SAVED_RESTORES,
	RC_SAVED_WILL_NOT_RESTORE,
	RC_SAVED_UNCHECKED,
	RC_SAVED_UNREADABLE,
	RC_SAVED_VERDICT_COUNT
} RcSavedVerdict;
RC_ENUM_DECL_TO_STRING(rc_saved_verdict, RcSavedVerdict);

/**
 * RcSavedEvidence - what a verdict rests on
 * @RC_SAVED_PREDICTED:	ROM file sizes (--static), no QEMU started
 * @RC_SAVED_READ_BACK:	the new QEMU's RAM blocks, read back (info ramblock)
 * @RC_SAVED_LOADED:	the new QEMU loaded the state
 * @RC_SAVED_REFUSED:	the new QEMU refused the state (its line is quoted)
 * @RC_SAVED_NONE:	nothing: the state could not be checked
 */
typedef enum {
	RC_SAVED_PREDICTED,
	RC_SAVED_READ_BACK,
	RC_SAVED_LOADED,
	RC_SAVED_REFUSED,
	RC_SAVED_NONE,
	RC_SAVED_EVIDENCE_COUNT
} RcSavedEvidence;
RC_ENUM_DECL_TO_STRING(rc_saved_evidence, RcSavedEvidence);

/**
 * RcSavedBlock - one RAM block of a saved state
 * @id:		its id in the stream ("0000:00:02.0/e1000.rom")
 * @model:	the device model a NIC or display ROM block belongs to
 *		("e1000", "VGA"), or NULL
 * @path:	the device's PCI path ("0000:00:02.0"), or NULL
 * @saved_length: its length in the state
 * @has_new:	@new_length is known
 * @new_length:	its length on the new host
 * @new_rom_size: the new ROM file's size (0: unknown)
 * @rom:	the ROM file it comes from ("efi-e1000.rom", or the domain
 *		XML's own file), or NULL
 * @xml_rom:	the file the domain XML gives the NIC (<rom file=...>), or NULL
 * @verdict:	what happens to it
 * @evidence:	what the verdict rests on
 * @fix_romsize: the mitigation: romsize pinned to this (0: not this one)
 * @fix_romfile: the mitigation: this old file as a compatibility ROM, or NULL
 * @display:	a display device's ROM block (@model is the catalog's model)
 * @firmware:	a firmware block the machine type loads with -bios ("pc.bios")
 * @in_new_set:	@rom is in the new ROM directory (else the installed file
 *		stays: a display ROM or firmware image the new set lacks)
 */
typedef struct {
	char *id;
	char *model;
	char *path;
	guint64 saved_length;
	gboolean has_new;
	guint64 new_length;
	guint64 new_rom_size;
	char *rom;
	char *xml_rom;
	RcSavedBlockVerdict verdict;
	RcSavedEvidence evidence;
	guint64 fix_romsize;
	char *fix_romfile;
	gboolean display;
	gboolean firmware;
	gboolean in_new_set;
} RcSavedBlock;

/**
 * RcSavedCheck - one saved state checked
 * @path:	the file
 * @format:	its container
 * @snapshot:	the qcow2 snapshot's name, or NULL
 * @machine:	the machine type (from the state, the domain XML or --machine)
 * @machine_from: where @machine came from: "state", "domain XML", "--machine"
 * @arch:	the architecture
 * @verdict:	the state's verdict
 * @evidence:	what it rests on
 * @message:	QEMU's line, or why it could not be checked, or NULL
 * @blocks:	RcSavedBlock in stream order
 * @bytes_read:	bytes read from the file to get here
 * @mitigated:	the state with every changed block's mitigation applied:
 *		loaded, refused, or RC_SAVED_NONE (not tried)
 * @mitigated_message: QEMU's line when that was refused, or NULL
 * @disk_size:	the virtual disk size of a qcow2 snapshot (a blank disk of
 *		that size stands in for the VM's disk in a load), or 0
 * @installed:	the new QEMU's search path (where the display ROMs and
 *		firmware images the new set lacks are), or NULL: unknown
 * @installed_why: why @installed is unknown, or NULL
 */
typedef struct {
	char *path;
	RcStateFormat format;
	char *snapshot;
	char *machine;
	const char *machine_from;
	char *arch;
	RcSavedVerdict verdict;
	RcSavedEvidence evidence;
	char *message;
	GPtrArray *blocks;
	guint64 bytes_read;
	RcSavedEvidence mitigated;
	char *mitigated_message;
	guint64 disk_size;
	GStrv installed;
	char *installed_why;
} RcSavedCheck;

RcSavedCheck *rc_saved_check_new(const char *path, RcStateFormat format, const char *snapshot);
void rc_saved_check_free(RcSavedCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcSavedCheck, rc_saved_check_free)

gboolean rc_saved_check_describe(RcSavedCheck *check, const RcSavedState *state, const char *xml,
				 const char *machine, const char *arch, GError **error);
void rc_saved_check_predict(RcSavedCheck *check, const RcCatalog *catalog, const char *new_roms,
			    const char *const *installed, const char *installed_why);
void rc_saved_check_conclude(RcSavedCheck *check);
gboolean rc_saved_check_plan_fixes(RcSavedCheck *check, const char *old_roms);
char *rc_saved_block_remedy(const RcSavedBlock *block);
char *rc_saved_xml_attribute(const char *xml, const char *element, const char *attribute);
GPtrArray *rc_saved_check_nic_roms(const RcSavedCheck *check, const char *xml,
				   const char *new_roms);

#endif /* RC_SAVEDCHECK_H */
