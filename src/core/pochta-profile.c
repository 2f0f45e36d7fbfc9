/* pochta-profile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Profile directories under the XDG base directories ("pochta", or
 * "pochta-devel" for a development build).
 */

#define G_LOG_DOMAIN "pochta-core"

#include "config.h"

#include "pochta-profile.h"

/* The XDG variables decide the base, so tests, benchmarks and the demo
 * point them at a directory of their own and never touch a real profile. */
const char *
pochta_profile_get_name (void)
{
  return "pochta" PROFILE_SUFFIX;
}

char *
pochta_profile_get_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), pochta_profile_get_name (), NULL);
}

char *
pochta_profile_get_config_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), pochta_profile_get_name (), NULL);
}

char *
pochta_profile_get_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), pochta_profile_get_name (), NULL);
}
