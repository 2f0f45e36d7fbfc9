#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The test command: on a fresh Debian 12 machine (as root) installs what is
# missing, builds, and runs the whole suite. The suite starts its own servers
# (Dovecot, Postfix, gnome-keyring in a private D-Bus session, Xvfb) on
# loopback and stops them when it ends. Prints "N passed, N failed" last.
set -uo pipefail
cd "$(dirname "$0")/.."

BUILDDIR=${BUILDDIR:-build}

build-aux/install-deps.sh || exit 1

if [ -f "$BUILDDIR/build.ninja" ]; then
  meson setup --reconfigure "$BUILDDIR" -Dwerror=true -Dtests=true >/dev/null || exit 1
else
  meson setup "$BUILDDIR" -Dwerror=true -Dtests=true || exit 1
fi
meson compile -C "$BUILDDIR" || exit 1

# A stale server set from an interrupted earlier run is not reused.
python3 build-aux/servers/pochta-test-servers.py stop --state "$BUILDDIR/tests/servers" || true

meson test -C "$BUILDDIR" --print-errorlogs --num-processes "$(nproc)" "$@"
status=$?

python3 - "$BUILDDIR/meson-logs/testlog.json" <<'PY'
import json, sys
counts = {'passed': 0, 'failed': 0, 'skipped': 0}
try:
    with open(sys.argv[1]) as f:
        for line in f:
            r = json.loads(line).get('result')
            if r in ('OK', 'EXPECTEDFAIL'):
                counts['passed'] += 1
            elif r == 'SKIP':
                counts['skipped'] += 1
            else:
                counts['failed'] += 1
except OSError:
    counts['failed'] += 1
line = '%d passed, %d failed' % (counts['passed'], counts['failed'])
if counts['skipped']:
    line += ', %d skipped' % counts['skipped']
print(line)
PY
exit $status
