/* test-certificate-info.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Certificate details, fingerprint spelling, and errors that carry them.
 */

#include "config.h"

#include "pochta-fake-server.h"
#include "pochta-test-util.h"

/* openssl x509 -noout -fingerprint -sha256 of the fake server's certificate */
#define FAKE_SHA256 "3F:FB:9C:42:04:A8:11:A2:B1:9A:F1:95:8E:2F:5D:3A:E2:58:16:9E:DA:1A:74:B2:E4:82:DB:52:70:30:B7:42"

typedef struct
{
  const char *input;
  const char *normalized;
} FingerprintCase;

static const FingerprintCase fingerprint_cases[] = {
  { FAKE_SHA256, FAKE_SHA256 },
  { "3ffb9c4204a811a2b19af1958e2f5d3ae258169eda1a74b2e482db527030b742", FAKE_SHA256 },
  { "3f:fb:9c:42:04:a8:11:a2:b1:9a:f1:95:8e:2f:5d:3a:e2:58:16:9e:da:1a:74:b2:e4:82:db:52:70:30:b7:42", FAKE_SHA256 },
  { " 3F FB 9C 42 04 A8 11 A2 B1 9A F1 95 8E 2F 5D 3A E2 58 16 9E DA 1A 74 B2 E4 82 DB 52 70 30 B7 42 ", FAKE_SHA256 },
  { "3ffb9c4204a811a2b19af1958e2f5d3ae258169eda1a74b2e482db527030b7", NULL },
  { "3ffb9c4204a811a2b19af1958e2f5d3ae258169eda1a74b2e482db527030b74200", NULL },
  { "zzfb9c4204a811a2b19af1958e2f5d3ae258169eda1a74b2e482db527030b742", NULL },
  { "", NULL },
};

static void
test_fingerprint_case (gconstpointer data)
{
  const FingerprintCase *c = data;
  g_autofree char *normalized = pochta_certificate_fingerprint_normalize (c->input);

  g_assert_cmpstr (normalized, ==, c->normalized);
  g_assert_cmpint (pochta_certificate_fingerprint_equal (c->input, FAKE_SHA256), ==, c->normalized != NULL);
}

static void
test_fingerprint_equal_rejects_invalid (void)
{
  g_assert_false (pochta_certificate_fingerprint_equal (NULL, NULL));
  g_assert_false (pochta_certificate_fingerprint_equal ("", ""));
  g_assert_false (pochta_certificate_fingerprint_equal ("garbage", "garbage"));
}

static PochtaCertificateInfo *
fake_info (GTlsCertificateFlags errors)
{
  g_autoptr(PochtaFakeServer) server = pochta_fake_server_new ();

  return pochta_certificate_info_new (pochta_fake_server_get_certificate (server), errors);
}

static void
test_info_fields (void)
{
  g_autoptr(PochtaCertificateInfo) info = fake_info (G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_autofree char *problems = NULL;

  g_assert_cmpstr (pochta_certificate_info_get_fingerprint (info), ==, FAKE_SHA256);
  g_assert_nonnull (strstr (pochta_certificate_info_get_subject (info), "Pochta fake server"));
  g_assert_nonnull (strstr (pochta_certificate_info_get_issuer (info), "Pochta fake server"));
  g_assert_cmpint (g_date_time_get_year (pochta_certificate_info_get_not_after (info)), ==, 2126);
  g_assert_nonnull (pochta_certificate_info_get_not_before (info));
  g_assert_cmpint (pochta_certificate_info_get_errors (info), ==, G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_true (pochta_certificate_info_matches (info, "3ffb9c4204a811a2b19af1958e2f5d3ae258169eda1a74b2e482db527030b742"));

  problems = pochta_certificate_info_dup_problems (info);
  g_assert_cmpstr (problems, ==, "it is not signed by a trusted certificate authority");
}

static void
test_info_description (void)
{
  g_autoptr(PochtaCertificateInfo) info = fake_info (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_BAD_IDENTITY);
  g_autoptr(PochtaCertificateInfo) trusted = fake_info (0);
  g_autofree char *description = pochta_certificate_info_dup_description (info);
  g_autofree char *trusted_description = pochta_certificate_info_dup_description (trusted);

  g_assert_nonnull (strstr (description, "Subject: CN=Pochta fake server"));
  g_assert_nonnull (strstr (description, "Issuer: CN=Pochta fake server"));
  g_assert_nonnull (strstr (description, "Valid until: 2126-10-30 12:58:39 UTC"));
  g_assert_nonnull (strstr (description, "SHA-256 fingerprint: " FAKE_SHA256));
  g_assert_nonnull (strstr (description, "Problems: it was issued for a different server name; it has expired"));
  g_assert_null (strstr (trusted_description, "Problems"));
  g_assert_null (pochta_certificate_info_dup_problems (trusted));
}

static void
test_error_carries_info (void)
{
  g_autoptr(PochtaCertificateInfo) info = fake_info (G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) plain = g_error_new_literal (POCHTA_NET_ERROR, POCHTA_NET_ERROR_CLOSED, "closed");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "io");

  g_test_summary ("The info survives g_prefix_error and g_error_copy, as errors travel through GTask.");

  error = pochta_net_error_new_for_certificate (POCHTA_NET_ERROR_TLS_CERTIFICATE, info,
                                                "The certificate is not trusted.");
  g_assert_error (error, POCHTA_NET_ERROR, POCHTA_NET_ERROR_TLS_CERTIFICATE);
  g_assert_true (g_str_has_prefix (error->message, "The certificate is not trusted.\n\n"));
  g_assert_nonnull (strstr (error->message, FAKE_SHA256));
  g_assert_true (pochta_net_error_get_certificate_info (error) == info);

  g_prefix_error (&error, "Account “Work”: ");
  g_assert_true (pochta_net_error_get_certificate_info (error) == info);

  copy = g_error_copy (error);
  g_assert_true (pochta_net_error_get_certificate_info (copy) == info);
  g_assert_cmpstr (copy->message, ==, error->message);

  g_assert_null (pochta_net_error_get_certificate_info (plain));
  g_assert_null (pochta_net_error_get_certificate_info (other));
  g_assert_null (pochta_net_error_get_certificate_info (NULL));
}

static void
test_boxed (void)
{
  g_autoptr(PochtaCertificateInfo) info = fake_info (0);
  PochtaCertificateInfo *copy = g_boxed_copy (POCHTA_TYPE_CERTIFICATE_INFO, info);

  g_assert_true (copy == info);
  g_boxed_free (POCHTA_TYPE_CERTIFICATE_INFO, copy);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fingerprint_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/net/certificate-info/fingerprint/%u", i);
      g_test_add_data_func (path, &fingerprint_cases[i], test_fingerprint_case);
    }

  g_test_add_func ("/core/net/certificate-info/fingerprint-equal-rejects-invalid",
                   test_fingerprint_equal_rejects_invalid);
  g_test_add_func ("/core/net/certificate-info/fields", test_info_fields);
  g_test_add_func ("/core/net/certificate-info/description", test_info_description);
  g_test_add_func ("/core/net/certificate-info/error-carries-info", test_error_carries_info);
  g_test_add_func ("/core/net/certificate-info/boxed", test_boxed);

  return g_test_run ();
}
