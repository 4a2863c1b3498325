/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * savedxml.h - a libvirt save image's domain XML made fit to restore a
 * copy of the image here, with the new ROMs.
 */
#ifndef RC_SAVEDXML_H
#define RC_SAVEDXML_H

#include <glib.h>

#include "matrix/backend_module.h"

char *rc_saved_xml_for_restore(const RcImageRestore *request, const char *dir, GError **error);

#endif /* RC_SAVEDXML_H */
