/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-scenario.c - libFuzzer target: scenario parsing from memory.  Any
 * input is either a scenario or one input error naming a line; never a
 * crash, a leak or an error of another domain.
 */
#include <stddef.h>
#include <stdint.h>

#include "sources/debsource.h"
#include "base/error.h"
#include "matrix/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RcScenario) scenario =
		rc_scenario_parse((const char *)data, size, "/fuzz/input.ini", &error);

	if (!scenario && !g_error_matches(error, RC_ERROR, RC_ERROR_INPUT))
		__builtin_trap();
	/* ROM sets are absolute paths, or well-formed package sources. */
	if (scenario && (!scenario->old_side.roms || !scenario->new_side.roms ||
			 (!g_path_is_absolute(scenario->old_side.roms) &&
			  !rc_debian_source_is_valid(scenario->old_side.roms)) ||
			 (!g_path_is_absolute(scenario->new_side.roms) &&
			  !rc_debian_source_is_valid(scenario->new_side.roms))))
		__builtin_trap();
	return 0;
}
