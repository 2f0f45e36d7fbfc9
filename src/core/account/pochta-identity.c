/* pochta-identity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who a message is from: a name, an address, a reply-to and a signature.
 */

#define G_LOG_DOMAIN "pochta-account"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pochta-account-error.h"
#include "pochta-account-private.h"
#include "pochta-identity.h"

struct _PochtaIdentity
{
  GObject  parent_instance;
  char    *name;
  char    *address;
  char    *reply_to;
  char    *signature;
  guint    is_default : 1;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_REPLY_TO,
  PROP_SIGNATURE,
  PROP_IS_DEFAULT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PochtaIdentity, pochta_identity, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* RFC 5321 caps a forward path at 256 octets including the angle brackets. */
#define MAX_ADDRESS_LENGTH 254

/**
 * pochta_address_is_valid:
 * @address: (nullable): an address as a person typed it
 *
 * A deliberately loose check: one local part, "@", one domain, nothing
 * that cannot appear in a bare address. Servers judge the rest; this only
 * catches typos and pasted "Name <addr>" forms before they reach a header.
 *
 * Returns: %TRUE when @address looks like local@domain.
 */
gboolean
pochta_address_is_valid (const char *address)
{
  const char *at;
  const char *domain;

  if (address == NULL || address[0] == '\0' || strlen (address) > MAX_ADDRESS_LENGTH)
    return FALSE;

  for (const char *p = address; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p) || g_ascii_isspace (*p) || strchr ("<>,;()[]\\", *p) != NULL)
        return FALSE;
    }

  /* The last "@" splits, since a quoted local part may hold one. */
  at = strrchr (address, '@');
  if (at == NULL || at == address)
    return FALSE;

  if (address[0] != '"' && memchr (address, '@', at - address) != NULL)
    return FALSE;

  domain = at + 1;
  if (domain[0] == '\0' || domain[0] == '.' || domain[0] == '-' ||
      g_str_has_suffix (domain, ".") || strstr (domain, "..") != NULL || strchr (domain, '"') != NULL)
    return FALSE;

  return TRUE;
}

static void
pochta_identity_finalize (GObject *object)
{
  PochtaIdentity *self = (PochtaIdentity *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->reply_to, g_free);
  g_clear_pointer (&self->signature, g_free);

  G_OBJECT_CLASS (pochta_identity_parent_class)->finalize (object);
}

static void
pochta_identity_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PochtaIdentity *self = POCHTA_IDENTITY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_REPLY_TO:
      g_value_set_string (value, self->reply_to);
      break;

    case PROP_SIGNATURE:
      g_value_set_string (value, self->signature);
      break;

    case PROP_IS_DEFAULT:
      g_value_set_boolean (value, self->is_default);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_identity_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PochtaIdentity *self = POCHTA_IDENTITY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      pochta_identity_set_name (self, g_value_get_string (value));
      break;

    case PROP_ADDRESS:
      pochta_identity_set_address (self, g_value_get_string (value));
      break;

    case PROP_REPLY_TO:
      pochta_identity_set_reply_to (self, g_value_get_string (value));
      break;

    case PROP_SIGNATURE:
      pochta_identity_set_signature (self, g_value_get_string (value));
      break;

    case PROP_IS_DEFAULT:
      pochta_identity_set_is_default (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pochta_identity_class_init (PochtaIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pochta_identity_finalize;
  object_class->get_property = pochta_identity_get_property;
  object_class->set_property = pochta_identity_set_property;

  /* name, address and signature are never NULL ("" until set); reply-to is
   * optional, so NULL means "replies go to the address". */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_REPLY_TO] =
    g_param_spec_string ("reply-to", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SIGNATURE] =
    g_param_spec_string ("signature", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_IS_DEFAULT] =
    g_param_spec_boolean ("is-default", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pochta_identity_init (PochtaIdentity *self)
{
  self->name = g_strdup ("");
  self->address = g_strdup ("");
  self->signature = g_strdup ("");
}

/**
 * pochta_identity_new:
 * @name: (nullable): the display name, e.g. "Alice Liddell"
 * @address: (nullable): the address, e.g. "alice@example.org"
 *
 * Returns: (transfer full): a new identity; nothing is validated yet.
 */
PochtaIdentity *
pochta_identity_new (const char *name,
                     const char *address)
{
  return g_object_new (POCHTA_TYPE_IDENTITY,
                       "name", name,
                       "address", address,
                       NULL);
}

/**
 * pochta_identity_copy:
 *
 * Returns: (transfer full): an independent copy of @self.
 */
PochtaIdentity *
pochta_identity_copy (PochtaIdentity *self)
{
  g_return_val_if_fail (POCHTA_IS_IDENTITY (self), NULL);

  return g_object_new (POCHTA_TYPE_IDENTITY,
                       "name", self->name,
                       "address", self->address,
                       "reply-to", self->reply_to,
                       "signature", self->signature,
                       "is-default", (gboolean) self->is_default,
                       NULL);
}

static void
set_string_property (PochtaIdentity  *self,
                     char           **field,
                     const char      *value,
                     gboolean         nullable,
                     guint            prop_id)
{
  if (value != NULL && value[0] == '\0' && nullable)
    value = NULL;
  else if (value == NULL && !nullable)
    value = "";

  if (_pochta_set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

const char *
pochta_identity_get_name (PochtaIdentity *self)
{
  g_return_val_if_fail (POCHTA_IS_IDENTITY (self), NULL);

  return self->name;
}

void
pochta_identity_set_name (PochtaIdentity *self,
                          const char     *name)
{
  g_return_if_fail (POCHTA_IS_IDENTITY (self));

  set_string_property (self, &self->name, name, FALSE, PROP_NAME);
}

const char *
pochta_identity_get_address (PochtaIdentity *self)
{
  g_return_val_if_fail (POCHTA_IS_IDENTITY (self), NULL);

  return self->address;
}

void
pochta_identity_set_address (PochtaIdentity *self,
                             const char     *address)
{
  g_return_if_fail (POCHTA_IS_IDENTITY (self));

  set_string_property (self, &self->address, address, FALSE, PROP_ADDRESS);
}

/**
 * pochta_identity_get_reply_to:
 *
 * Returns: (nullable): the Reply-To address, or %NULL when replies go to
 *   the identity's own address.
 */
const char *
pochta_identity_get_reply_to (PochtaIdentity *self)
{
  g_return_val_if_fail (POCHTA_IS_IDENTITY (self), NULL);

  return self->reply_to;
}

void
pochta_identity_set_reply_to (PochtaIdentity *self,
                              const char     *reply_to)
{
  g_return_if_fail (POCHTA_IS_IDENTITY (self));

  set_string_property (self, &self->reply_to, reply_to, TRUE, PROP_REPLY_TO);
}

const char *
pochta_identity_get_signature (PochtaIdentity *self)
{
  g_return_val_if_fail (POCHTA_IS_IDENTITY (self), NULL);

  return self->signature;
}

void
pochta_identity_set_signature (PochtaIdentity *self,
                               const char     *signature)
{
  g_return_if_fail (POCHTA_IS_IDENTITY (self));

  set_string_property (self, &self->signature, signature, FALSE, PROP_SIGNATURE);
}

gboolean
pochta_identity_get_is_default (PochtaIdentity *self)
{
  g_return_val_if_fail (POCHTA_IS_IDENTITY (self), FALSE);

  return self->is_default;
}

/**
 * pochta_identity_set_is_default:
 *
 * Inside an account, making one identity the default clears the flag on
 * the others (the account watches this property).
 */
void
pochta_identity_set_is_default (PochtaIdentity *self,
                                gboolean        is_default)
{
  g_return_if_fail (POCHTA_IS_IDENTITY (self));

  is_default = !!is_default;

  if (self->is_default != is_default)
    {
      self->is_default = is_default;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEFAULT]);
    }
}

/**
 * pochta_identity_validate:
 *
 * Returns: %TRUE when the identity can go into a From header; otherwise
 *   %POCHTA_ACCOUNT_ERROR_INVALID with a message for the setup UI.
 */
gboolean
pochta_identity_validate (PochtaIdentity  *self,
                          GError         **error)
{
  g_return_val_if_fail (POCHTA_IS_IDENTITY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A line break in a header value would let the name inject headers. */
  if (strpbrk (self->name, "\r\n") != NULL)
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("The name cannot contain line breaks"));
      return FALSE;
    }

  if (_pochta_str_is_blank (self->address))
    {
      g_set_error_literal (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                           _("Enter an email address"));
      return FALSE;
    }

  if (!pochta_address_is_valid (self->address))
    {
      g_set_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                   _("“%s” is not an email address: it should look like name@example.org"),
                   self->address);
      return FALSE;
    }

  if (self->reply_to != NULL && !pochta_address_is_valid (self->reply_to))
    {
      g_set_error (error, POCHTA_ACCOUNT_ERROR, POCHTA_ACCOUNT_ERROR_INVALID,
                   _("The reply-to address “%s” is not an email address"),
                   self->reply_to);
      return FALSE;
    }

  return TRUE;
}

/**
 * pochta_identity_to_variant:
 *
 * The shape (a{sv}; 'reply-to' only when set):
 *
 * |[
 * { 'version': <uint32 1>, 'name': <'Alice'>, 'address': <'alice@example.org'>,
 *   'reply-to': <'lists@example.org'>, 'signature': <'-- \nAlice'>,
 *   'is-default': <true> }
 * ]|
 *
 * Returns: (transfer floating): the identity as a dictionary.
 */
GVariant *
pochta_identity_to_variant (PochtaIdentity *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (POCHTA_IS_IDENTITY (self), NULL);

  g_variant_builder_add (&builder, "{sv}", "version", g_variant_new_uint32 (POCHTA_ACCOUNT_VARIANT_VERSION));
  g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string (self->name));
  g_variant_builder_add (&builder, "{sv}", "address", g_variant_new_string (self->address));
  if (self->reply_to != NULL)
    g_variant_builder_add (&builder, "{sv}", "reply-to", g_variant_new_string (self->reply_to));
  g_variant_builder_add (&builder, "{sv}", "signature", g_variant_new_string (self->signature));
  g_variant_builder_add (&builder, "{sv}", "is-default", g_variant_new_boolean (self->is_default));

  return g_variant_builder_end (&builder);
}

/**
 * pochta_identity_new_from_variant:
 *
 * Returns: (transfer full) (nullable): the identity, or %NULL with
 *   %POCHTA_ACCOUNT_ERROR_INVALID when @variant is damaged or too new.
 */
PochtaIdentity *
pochta_identity_new_from_variant (GVariant  *variant,
                                  GError   **error)
{
  g_autoptr(GVariantDict) dict = NULL;
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *reply_to = NULL;
  g_autofree char *signature = NULL;
  gboolean is_default = FALSE;

  g_return_val_if_fail (variant != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_pochta_variant_check_dict (variant, "identity", error))
    return NULL;

  dict = g_variant_dict_new (variant);

  if (!_pochta_variant_check_version (dict, error) ||
      !_pochta_variant_lookup_string (dict, "name", &name, error) ||
      !_pochta_variant_lookup_string (dict, "address", &address, error) ||
      !_pochta_variant_lookup_string (dict, "reply-to", &reply_to, error) ||
      !_pochta_variant_lookup_string (dict, "signature", &signature, error) ||
      !_pochta_variant_lookup_bool (dict, "is-default", &is_default, error))
    return NULL;

  return g_object_new (POCHTA_TYPE_IDENTITY,
                       "name", name,
                       "address", address,
                       "reply-to", reply_to,
                       "signature", signature,
                       "is-default", is_default,
                       NULL);
}
