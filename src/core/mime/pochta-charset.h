/* pochta-charset.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Converts text of a declared, missing or wrong charset to valid UTF-8.
 */

#pragma once

#if !defined (POCHTA_CORE_INSIDE) && !defined (POCHTA_CORE_COMPILATION)
# error "Only <pochta-core.h> can be included directly."
#endif

#include <glib.h>
#include <iconv.h>

G_BEGIN_DECLS

/**
 * PochtaCharsetSource:
 * @POCHTA_CHARSET_SOURCE_ASCII: the bytes were plain ASCII
 * @POCHTA_CHARSET_SOURCE_DECLARED: the declared charset converted them cleanly
 * @POCHTA_CHARSET_SOURCE_UTF8: the bytes were valid UTF-8 (declared so, undeclared,
 *   or mislabelled with a single-byte charset)
 * @POCHTA_CHARSET_SOURCE_LOSSY: the declared charset was used, but some bytes were
 *   invalid in it and became U+FFFD
 * @POCHTA_CHARSET_SOURCE_GUESSED: some bytes were not UTF-8 and the charset was
 *   guessed (windows-1252, koi8-r or windows-1251)
 *
 * How pochta_charset_to_utf8() decided; anything from LOSSY on means the
 * message did not say the truth about its charset.
 */
typedef enum
{
  POCHTA_CHARSET_SOURCE_ASCII,
  POCHTA_CHARSET_SOURCE_DECLARED,
  POCHTA_CHARSET_SOURCE_UTF8,
  POCHTA_CHARSET_SOURCE_LOSSY,
  POCHTA_CHARSET_SOURCE_GUESSED,
} PochtaCharsetSource;

char       *pochta_charset_to_utf8 (const char          *data,
                                    gssize               len,
                                    const char          *declared,
                                    PochtaCharsetSource *source,
                                    const char         **charset_used);
const char *pochta_charset_guess   (const char          *data,
                                    gsize                len);
iconv_t     pochta_charset_get_converter (const char    *charset,
                                          gsize          len);

G_END_DECLS
