/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * romhide.h - ROM files hidden from the QEMUs romcompat starts, in a
 * private mount namespace (with a user namespace when not root), the
 * system's files untouched.
 */
#ifndef RC_ROMHIDE_H
#define RC_ROMHIDE_H

#include <glib.h>

/* What the JSON and the text say hid the files. */
#define RC_ROMHIDE_ISOLATION "mount-namespace"

typedef struct RcRomHide RcRomHide;

gboolean rc_rom_hide_enter(GError **error);
gboolean rc_rom_hide_user_namespace(void);
RcRomHide *rc_rom_hide_new(const char *const *dirs, const char *const *names,
			   const char *const *only, GError **error);
guint rc_rom_hide_count(const RcRomHide *hide);
void rc_rom_hide_free(RcRomHide *hide);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcRomHide, rc_rom_hide_free)

#endif /* RC_ROMHIDE_H */
