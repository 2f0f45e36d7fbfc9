#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds fuzz-imap-parser with clang's libFuzzer and sanitizers and runs it
# on a copy of the seed corpus; a crash is saved to the regressions dir and
# fails the test. Exits 77 (skipped) where clang cannot build fuzzers.
#
# usage: run-fuzzer.sh SOURCE_ROOT BUILD_ROOT TARGET [SECONDS]

set -eu

src=$1
build=$2
target=$3
seconds=${4:-60}

case $target in
  imap-parser)
    # The parser depends on GLib only, so it builds apart from the core library.
    sources="src/core/imap/pochta-imap-parser.c src/core/imap/pochta-imap-parser-tokens.c
             src/core/imap/pochta-imap-response.c src/core/imap/pochta-imap-error.c"
    ;;
  *)
    echo "unknown fuzz target $target"
    exit 1
    ;;
esac
out="$build/tests/fuzz"
bin="$out/fuzz-$target-libfuzzer"

command -v clang >/dev/null 2>&1 || { echo "clang not found"; exit 77; }
mkdir -p "$out"

if ! (cd "$src" && clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -DPOCHTA_CORE_COMPILATION \
    -I"$build" -I"$src/src/core" -I"$src/src/core/imap" \
    $sources "tests/fuzz/fuzz-$target.c" \
    $(pkg-config --cflags --libs glib-2.0) -o "$bin"); then
  echo "clang cannot build a libFuzzer target here"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/tests/fuzz/corpus/$target/"* "$work/"

"$bin" -max_total_time="$seconds" -error_exitcode=1 -timeout_exitcode=1 -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$src/tests/fuzz/regressions/$target/" \
  -print_final_stats=1 "$work"
