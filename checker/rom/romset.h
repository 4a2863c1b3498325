/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * romset.h - a set of ROM files keyed by file name (the name QEMU looks
 * up), loaded from one ROM file, a directory of ROM files, or a Debian
 * package read in place.  Besides option ROMs (NIC ROMs, the vgabios-*.bin
 * of display devices) a set may hold firmware images (bios-256k.bin,
 * OVMF_CODE.fd): recognised and sized, never parsed as option ROMs.
 */
#ifndef RC_ROMSET_H
#define RC_ROMSET_H

#include <glib.h>

#include "base/enumtable.h"
#include "rom/rom.h"

/*
 * The most a set may hold; rc_rom_set_load() refuses more.  Firmware
 * images reach 64 MiB, so one file may be that large (a larger one is an
 * error of its own); a set is never read whole into memory, but a bomb of
 * many large files still costs time, so the files of a set together and
 * their number are bounded too.
 */
#define RC_ROM_SET_MAX_FILE_BYTES  (64u * 1024 * 1024)
#define RC_ROM_SET_MAX_TOTAL_BYTES (256u * 1024 * 1024)
#define RC_ROM_SET_MAX_FILES	   4096u

/**
 * RcRomSetKind - where a set came from
 * @RC_ROM_SET_FILE:		one ROM file
 * @RC_ROM_SET_DIRECTORY:	the *.rom, *.bin and *.fd files of a directory
 * @RC_ROM_SET_DEB:		the ROM files inside a .deb
 * @RC_ROM_SET_PADDED:		copies of another set's files fitted to target buckets
 */
typedef enum {
	RC_ROM_SET_FILE,
	RC_ROM_SET_DIRECTORY,
	RC_ROM_SET_DEB,
	RC_ROM_SET_PADDED,
} RcRomSetKind;

#define RC_ROM_SET_KIND_COUNT 4

/* Its name in reports: "file", "directory", "deb" or "padded". */
RC_ENUM_DECL_TO_STRING(rc_rom_set_kind, RcRomSetKind);

/**
 * RcRomEntry - one file of a set
 * @name:	file name, the key ("efi-e1000.rom")
 * @location:	for people: its path, or "PACKAGE.deb:MEMBER"
 * @member:	.deb only: the member path inside the package, else NULL
 * @link_target: the symbolic link it is (its target as written), else NULL
 * @has_size:	@size is known (FALSE when the file could not even be opened)
 * @size:	file size in bytes
 * @rom:	the parsed ROM, or NULL when it could not be read or parsed
 * @error:	why this file cannot be trusted (unreadable, not a ROM,
 *		truncated, malformed), or NULL; a truncated or malformed file
 *		has both @rom and @error
 * @firmware:	a firmware image (a *.fd file, or a *.bin file without the
 *		55 AA signature): @rom is NULL and no error; its RAM block
 *		(pc.bios, a pflash block) takes the file's exact size
 * @malformed:	the file is a malformed build (truncated, a broken image
 *		chain, trailing bytes that are not padding, an efi-*.rom
 *		without an EFI image): its size must not be judged
 * @source_member: .deb only: the member whose bytes these are (@member
 *		with its links resolved), read again from the package when
 *		the bytes are needed (rc_rom_set_each_member()), else NULL
 * @data:	padded sets only: the file's bytes, for rc_rom_set_write_files()
 * @path:	a path QEMU can open: the file itself, or the copy that
 *		rc_rom_set_write_files() made of a package member; NULL when
 *		there is none yet
 */
typedef struct {
	char *name;
	char *location;
	char *member;
	char *link_target;
	char *source_member;
	gboolean has_size;
	guint64 size;
	RcRom *rom;
	GError *error;
	gboolean firmware;
	gboolean malformed;
	GBytes *data;
	char *path;
} RcRomEntry;

/**
 * RcRomSet - ROM files by name
 * @source:	the path the set was loaded from, as given
 * @kind:	what that path is
 * @entries:	RcRomEntry *, sorted by name once loaded
 * @skipped:	char *: .deb members left out because they are not option
 *		ROMs (packages ship other firmware under *.rom names too), and
 *		*.bin ISA option ROMs (no PCI Data Structure) of a directory or
 *		package
 * @by_name:	name -> RcRomEntry * (borrowed from @entries)
 * @package:	the .deb the entries' bytes are read again from (for a
 *		"debian:" source, the file in the cache), else NULL
 */
typedef struct {
	char *source;
	RcRomSetKind kind;
	GPtrArray *entries;
	GPtrArray *skipped;
	GHashTable *by_name;
	char *package;
} RcRomSet;

RcRomSet *rc_rom_set_new(const char *source, RcRomSetKind kind);
void rc_rom_set_free(RcRomSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcRomSet, rc_rom_set_free)

gboolean rc_rom_name_may_be_firmware(const char *name);
guint64 rc_rom_entry_block_size(const RcRomEntry *e);
RcRomEntry *rc_rom_set_add_data(RcRomSet *set, const char *name, const char *location,
				const guint8 *data, gsize len);
RcRomEntry *rc_rom_set_add_error(RcRomSet *set, const char *name, const char *location,
				 GError *error);
const RcRomEntry *rc_rom_set_lookup(const RcRomSet *set, const char *name);
void rc_rom_set_sort(RcRomSet *set);
guint rc_rom_set_count_errors(const RcRomSet *set);

RcRomSet *rc_rom_set_load(const char *path, GError **error);
gboolean rc_rom_set_write_files(RcRomSet *set, const char *directory, GError **error);
gboolean rc_rom_set_holds_bytes(const RcRomSet *set);

/**
 * RcRomMemberFunc - called with the bytes of one entry of a package's set
 * @e:		the entry
 * @data:	its bytes, valid during the call only
 * @len:	how many
 * @user:	the caller's pointer
 * @error:	set to stop the walk
 *
 * Return: TRUE to go on
 */
typedef gboolean (*RcRomMemberFunc)(const RcRomEntry *e, const guint8 *data, gsize len,
				    gpointer user, GError **error);
gboolean rc_rom_set_each_member(const RcRomSet *set, RcRomMemberFunc fn, gpointer user,
				GError **error);
GError *rc_rom_set_errors_summary(const RcRomSet *set);

#endif /* RC_ROMSET_H */
