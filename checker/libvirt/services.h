/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * services.h - the libvirt module's side of the program's services: the
 * table is accepted once, at load, and every call into the program goes
 * through it (services.c).
 */
#ifndef RC_LIBVIRT_SERVICES_H
#define RC_LIBVIRT_SERVICES_H

#include <glib.h>

#include "matrix/backend_module.h"

gboolean rc_services_accept(const RcHostServices *services, GError **error);

#endif /* RC_LIBVIRT_SERVICES_H */
