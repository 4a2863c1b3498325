/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * synthetic.h - test inputs built in code: a small machine-type catalog
 * shaped like QEMU's, and a report whose results are set by hand.  They are
 * inputs to the catalog, matrix and report code under test, not results of
 * any migration.
 */
#ifndef RC_TEST_SYNTHETIC_H
#define RC_TEST_SYNTHETIC_H

#include "qemu/catalog.h"
#include "matrix/matrix.h"

RcCatalog *test_catalog_new(void);
RcCatalog *test_catalog_new_large(guint machines_per_family);
RcReport *test_report_new(void);
RcReport *test_report_shard(const RcReport *whole, guint index, guint count);
char *test_golden_path(const char *name);
void test_assert_golden(const char *name, const char *text);

#endif /* RC_TEST_SYNTHETIC_H */
