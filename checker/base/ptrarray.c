/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ptrarray.c - a GPtrArray helper GLib lacks: a sorted view that owns
 * nothing, for writing catalogs and case lists in canonical order without
 * reordering the caller's array.
 */
#include "base/ptrarray.h"

/**
 * rc_ptr_array_sorted_view() - the same pointers, sorted, owning none
 * @items:	the array (not changed)
 * @compare:	as for g_ptr_array_sort()
 *
 * Unlike g_ptr_array_copy(), the view has no element free function.
 *
 * Return: a new array; free it with g_ptr_array_unref()
 */
GPtrArray *rc_ptr_array_sorted_view(GPtrArray *items, GCompareFunc compare)
{
	GPtrArray *view = g_ptr_array_sized_new(items->len);

	for (guint i = 0; i < items->len; i++)
		g_ptr_array_add(view, g_ptr_array_index(items, i));
	g_ptr_array_sort(view, compare);
	return view;
}
