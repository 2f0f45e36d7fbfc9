#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The run command: on a fresh Debian 12 machine installs what is missing,
# builds, and launches Pochta. With --demo it first starts a local Dovecot +
# Postfix on loopback, filled with a few hundred generated messages, and runs
# Pochta on a demo profile of its own (never the real one); the servers stop
# when Pochta quits.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILDDIR=${BUILDDIR:-build}
DEMO=0
for arg in "$@"; do
  case "$arg" in
    --demo) DEMO=1 ;;
    *) echo "usage: $0 [--demo]" >&2; exit 2 ;;
  esac
done

build-aux/install-deps.sh
if [ ! -f "$BUILDDIR/build.ninja" ]; then
  meson setup "$BUILDDIR" -Dwerror=true -Dtests=true
fi
meson compile -C "$BUILDDIR"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: run this from a desktop session (or set DISPLAY)." >&2
  exit 1
fi

export GSETTINGS_SCHEMA_DIR="$PWD/$BUILDDIR/data"
# The HTML reader module (pochta-web-view.so) of this build, not an installed one.
export POCHTA_MODULE_DIR="$PWD/$BUILDDIR/src/app"

if [ "$DEMO" = 0 ]; then
  exec "$BUILDDIR/src/app/pochta"
fi

demo="$PWD/$BUILDDIR/demo"
mkdir -p "$demo/profile"
# Keep our own DISPLAY: the servers' Xvfb is for the tests.
display=${DISPLAY:-}
ini=$(python3 build-aux/servers/pochta-test-servers.py ensure --state "$demo/servers" \
        --owner-pid $$ --seed-scale 2)
trap 'python3 build-aux/servers/pochta-test-servers.py stop --state "$demo/servers"' EXIT

val() { sed -n "s/^$1 = //p" "$ini"; }
cat <<TXT
Demo servers on 127.0.0.1 (self-signed certificate $(val cert-sha256)):
  IMAP $(val imap-port) (STARTTLS), IMAPS $(val imaps-port), POP3 $(val pop3-port), POP3S $(val pop3s-port)
  SMTP submission $(val submission-port) (STARTTLS), submissions $(val submissions-port)
  users: alice / alice-secret, bob / bob-secret (addresses USER@$(val mail-domain))
TXT

# The demo profile and keyring are the demo's own: its password goes to the
# harness's private gnome-keyring (on its own session bus), never to yours.
export XDG_DATA_HOME="$demo/profile/data"
export XDG_CONFIG_HOME="$demo/profile/config"
export XDG_CACHE_HOME="$demo/profile/cache"
export DBUS_SESSION_BUS_ADDRESS="$(val dbus-address)"
# The servers may come up on other ports than last time: add the account
# afresh (its cache fills again in a second or two).
"$BUILDDIR/src/cli/pochta-cli" account remove Demo >/dev/null 2>&1 || true
echo alice-secret | "$BUILDDIR/src/cli/pochta-cli" account add Demo \
      --name "Alice Demo" --address "alice@$(val mail-domain)" \
      --imap "127.0.0.1:$(val imap-port)" --imap-tls starttls --user alice \
      --smtp "127.0.0.1:$(val submission-port)" --smtp-tls starttls \
      --accept-certificate "$(val cert-sha256)" --smtp-accept-certificate "$(val cert-sha256)" \
      --password-stdin

DISPLAY=$display POCHTA_DEMO_SERVERS="$ini" "$BUILDDIR/src/app/pochta"
