/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ptrarray.h - a GPtrArray helper GLib lacks.
 */
#ifndef RC_PTRARRAY_H
#define RC_PTRARRAY_H

#include <glib.h>

GPtrArray *rc_ptr_array_sorted_view(GPtrArray *items, GCompareFunc compare);

#endif /* RC_PTRARRAY_H */
