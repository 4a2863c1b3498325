/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * enumtable.h - enum <-> name tables declared in one place each, in the
 * spirit of libvirt's VIR_ENUM_IMPL: a table of names indexed by the enum,
 * checked against the enum's count at compile time, and the two
 * conversions generated from it.
 *
 * In a header:	RC_ENUM_DECL(rc_kind, RcKind);
 * In its .c:	RC_ENUM_IMPL(rc_kind, RcKind, RC_KIND_COUNT,
 *			     [RC_KIND_NONE] = "none", [RC_KIND_OK] = "ok", ...);
 * which give rc_kind_to_string(value) (the name; "?" for a value outside
 * the table) and rc_kind_from_string(text, &value) (TRUE when @text is one
 * of the names, exactly).
 *
 * An enum only ever written out (a report's words) takes the _TO_STRING
 * pair instead, one only ever read (a peer's state names) the _FROM_STRING
 * pair, so that no direction exists that nothing calls:
 * RC_ENUM_DECL_TO_STRING(rc_pad_action, RcPadAction) in the header and
 * RC_ENUM_IMPL_TO_STRING(rc_pad_action, RcPadAction, COUNT, ...) in the .c.
 */
#ifndef RC_ENUMTABLE_H
#define RC_ENUMTABLE_H

#include <glib.h>

const char *rc_enum_to_string(const char *const *names, guint count, int value);
int rc_enum_from_string(const char *const *names, guint count, const char *text);

#define RC_ENUM_DECL_TO_STRING(prefix, Type) const char *prefix##_to_string(Type value)
/* (The NOLINTs: Type is a type name, which cannot take parentheses.) */
#define RC_ENUM_DECL_FROM_STRING(prefix, Type)                                                     \
	gboolean prefix##_from_string(const char *text,                                            \
				      Type *value) /* NOLINT(bugprone-macro-parentheses) */
#define RC_ENUM_DECL(prefix, Type)                                                                 \
	RC_ENUM_DECL_TO_STRING(prefix, Type);                                                      \
	RC_ENUM_DECL_FROM_STRING(prefix, Type)

/* The pieces the RC_ENUM_IMPL* macros are made of; not for use elsewhere. */
#define RC_ENUM_TABLE_(prefix, count, ...)                                                         \
	static const char *const prefix##_names[] = {__VA_ARGS__};                                 \
	G_STATIC_ASSERT(G_N_ELEMENTS(prefix##_names) == (count));
#define RC_ENUM_TO_STRING_(prefix, Type)                                                           \
	const char *prefix##_to_string(Type value)                                                 \
	{                                                                                          \
		return rc_enum_to_string(prefix##_names, G_N_ELEMENTS(prefix##_names),             \
					 (int)value);                                              \
	}
#define RC_ENUM_FROM_STRING_(prefix, Type)                                                         \
	gboolean prefix##_from_string(const char *text,                                            \
				      Type *value) /* NOLINT(bugprone-macro-parentheses) */        \
	{                                                                                          \
		int found =                                                                        \
			rc_enum_from_string(prefix##_names, G_N_ELEMENTS(prefix##_names), text);   \
		if (found < 0)                                                                     \
			return FALSE;                                                              \
		*value = (Type)found;                                                              \
		return TRUE;                                                                       \
	}

#define RC_ENUM_IMPL(prefix, Type, count, ...)                                                     \
	RC_ENUM_TABLE_(prefix, count, __VA_ARGS__)                                                 \
	RC_ENUM_TO_STRING_(prefix, Type)                                                           \
	RC_ENUM_FROM_STRING_(prefix, Type)
#define RC_ENUM_IMPL_TO_STRING(prefix, Type, count, ...)                                           \
	RC_ENUM_TABLE_(prefix, count, __VA_ARGS__)                                                 \
	RC_ENUM_TO_STRING_(prefix, Type)
#define RC_ENUM_IMPL_FROM_STRING(prefix, Type, count, ...)                                         \
	RC_ENUM_TABLE_(prefix, count, __VA_ARGS__)                                                 \
	RC_ENUM_FROM_STRING_(prefix, Type)

#endif /* RC_ENUMTABLE_H */
