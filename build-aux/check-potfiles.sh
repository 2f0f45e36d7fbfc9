#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in, when POTFILES.in names a file that does not exist, or when
# POTFILES.in is not sorted.
#
# Usage: check-potfiles.sh [SOURCE_ROOT]

set -u

srcdir=${1:-$(dirname "$0")/..}
cd "$srcdir" || exit 2

potfiles=po/POTFILES.in
status=0

listed=$(mktemp)
found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT

grep -v -e '^#' -e '^[[:space:]]*$' "$potfiles" >"$listed"

if ! LC_ALL=C sort -c "$listed" 2>/dev/null; then
  echo "$potfiles is not sorted (LC_ALL=C sort)"
  status=1
fi

while read -r file; do
  if [ ! -f "$file" ]; then
    echo "$potfiles lists $file, which does not exist"
    status=1
  fi
done <"$listed"

{
  find src -name '*.c' -print0 | xargs -0 -r \
    grep -l -E '(^|[^[:alnum:]_])(N|C|NC|Q)?_\(' || true
  find src data -name '*.ui' -print0 | xargs -0 -r \
    grep -l 'translatable="yes"' || true
  find data -name '*.desktop.in.in' -o -name '*.metainfo.xml.in.in' -o -name '*.gschema.xml'
} | LC_ALL=C sort -u >"$found"

while read -r file; do
  if ! grep -qxF "$file" "$listed"; then
    echo "$file has translatable strings but is not in $potfiles"
    status=1
  fi
done <"$found"

if [ "$status" -eq 0 ]; then
  echo "$potfiles lists every file with translatable strings"
fi
exit "$status"
