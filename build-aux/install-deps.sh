#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what Pochta needs to build, run and test on Debian 12 (as root or
# through sudo). Installs nothing when everything is already there.
set -euo pipefail

PACKAGES=(
  # build
  meson ninja-build pkg-config gcc gettext itstool
  # libraries (minimum versions in meson.build are Debian 12's)
  libglib2.0-dev libglib2.0-bin glib-networking libgtk-4-dev libgtk-4-bin
  libadwaita-1-dev libgmime-3.0-dev libsqlite3-dev libsecret-1-dev
  libwebkitgtk-6.0-dev libsoup-3.0-dev zlib1g-dev libgnutls28-dev
  # data checks
  desktop-file-utils appstream
  # test servers: Dovecot (IMAP, POP3, LMTP), Postfix (submission),
  # gnome-keyring in a private D-Bus session, Xvfb
  dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix
  gnome-keyring dbus dbus-x11 libsecret-tools xvfb xauth openssl python3
  adwaita-icon-theme hicolor-icon-theme fonts-cantarell
  # fuzzing (clang + libFuzzer) and screenshots
  clang libclang-rt-14-dev imagemagick
  # the sync benchmark's comparison (mbsync)
  isync
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Postfix is only used with the private configuration of the test servers;
# "No configuration" keeps the package from setting up a system mailer.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q "${missing[@]}"
