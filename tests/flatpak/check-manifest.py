#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-manifest.py: checks flatpak/io.github.pochta.Pochta.json. It checks the
# keys and permissions we agreed on, pinned archives, and that every
# dependency('…') in the project's meson.build files is either in the GNOME
# runtime or built by one of the manifest's modules.
#
# Usage: check-manifest.py SOURCE_ROOT [MANIFEST]

import json
import os
import re
import sys

APP_ID = 'io.github.pochta.Pochta'
MIN_RUNTIME = 47
REQUIRED_FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
]
# Broader than Pochta needs (see flatpak/README.md): files go through the
# FileChooser portal and passwords through the Secret portal.
FORBIDDEN_FINISH_ARGS = [
    '--socket=x11',
    '--socket=session-bus',
    '--socket=system-bus',
    '--device=all',
    '--filesystem=host',
    '--filesystem=home',
    '--filesystem=host-os',
]

# pkg-config names in org.gnome.Sdk//47 that Pochta might use: the GNOME
# platform on top of freedesktop-sdk 24.08. This is not the whole SDK. Before
# adding a name, check it with
#   flatpak run --command=pkg-config org.gnome.Sdk//47 --exists NAME
GNOME_47_RUNTIME = {
    # GLib
    'glib-2.0', 'gobject-2.0', 'gio-2.0', 'gio-unix-2.0', 'gmodule-2.0',
    'gmodule-no-export-2.0', 'gthread-2.0', 'girepository-2.0', 'gobject-introspection-1.0',
    # toolkit
    'gtk4', 'gtk4-wayland', 'gtk4-x11', 'gtk4-unix-print', 'libadwaita-1',
    'gdk-pixbuf-2.0', 'pango', 'pangocairo', 'cairo', 'cairo-gobject', 'graphene-gobject-1.0',
    'harfbuzz', 'fontconfig', 'freetype2', 'gtksourceview-5', 'librsvg-2.0',
    'gsettings-desktop-schemas', 'libportal', 'libportal-gtk4',
    # web, network, secrets
    'webkitgtk-6.0', 'webkitgtk-web-process-extension-6.0', 'javascriptcoregtk-6.0',
    'libsoup-3.0', 'libsecret-1', 'gnutls', 'libpsl', 'libidn2', 'json-glib-1.0',
    # data
    'sqlite3', 'zlib', 'libxml-2.0', 'icu-uc', 'icu-i18n', 'libpcre2-8', 'libffi',
    'gstreamer-1.0', 'gstreamer-base-1.0',
}

# Built-in meson dependencies that are not pkg-config names.
MESON_SPECIAL = {'threads', 'intl', 'iconv', 'dl', 'openmp', 'libm', 'm'}

# What each manifest module installs, by module name.
MODULE_PROVIDES = {
    'gmime': {'gmime-3.0'},
    'gpgme': {'gpgme', 'gpgme-glib'},
    'libgpg-error': {'gpg-error'},
    'libassuan': {'libassuan'},
}

SKIP_DIRS = {'.git', '.flatpak-builder', 'subprojects', '_flatpak', 'node_modules'}

errors = []
warnings = []


def error(msg):
    errors.append(msg)


def strip_comment(line):
    quote = False
    for i, c in enumerate(line):
        if c == "'":
            quote = not quote
        elif c == '#' and not quote:
            return line[:i]
    return line


DEP_RE = re.compile(r"(?<![\w.])dependency\(\s*((?:'[^']*'\s*,\s*)*'[^']*'|[^)'\s][^),]*)")


def meson_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        # A build directory holds meson-private/ (or meson-info/); skip it whole.
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not
                             os.path.isdir(os.path.join(dirpath, d, 'meson-private')) and not
                             os.path.isdir(os.path.join(dirpath, d, 'meson-info')))
        if 'meson.build' in filenames:
            yield os.path.join(dirpath, 'meson.build')


def scan_dependencies(root):
    """Returns {pkg-config name alternatives (tuple): [file:line, ...]}."""
    found = {}
    for path in meson_files(root):
        with open(path, encoding='utf-8') as f:
            text = '\n'.join(strip_comment(l) for l in f.read().split('\n'))
        for m in DEP_RE.finditer(text):
            arg = m.group(1)
            line = text.count('\n', 0, m.start()) + 1
            where = f"{os.path.relpath(path, root)}:{line}"
            names = tuple(re.findall(r"'([^']*)'", arg))
            if not names:
                warnings.append(f"{where}: dependency({arg.strip()}) is not a literal name; not checked")
                continue
            found.setdefault(names, []).append(where)
    return found


def check_sources(module):
    name = module.get('name', '?')
    for src in module.get('sources', []):
        if isinstance(src, str):
            continue  # a path to a JSON file of sources
        kind = src.get('type')
        if kind in ('archive', 'file'):
            sha = src.get('sha256', '')
            if not re.fullmatch(r'[0-9a-f]{64}', sha):
                error(f"module {name}: {kind} source {src.get('url') or src.get('path')} "
                      f"needs a sha256 of 64 lowercase hex digits (got {sha!r})")
            if kind == 'archive' and not src.get('url', '').startswith('https://'):
                if 'path' not in src:
                    error(f"module {name}: archive source must use an https:// url")
        elif kind == 'git':
            if not (src.get('commit') or src.get('tag')):
                error(f"module {name}: git source {src.get('url')} must pin a commit or tag")
    for sub in module.get('modules', []):
        if isinstance(sub, dict):
            check_sources(sub)


def module_names(modules):
    for m in modules:
        if isinstance(m, dict):
            yield m.get('name', '')
            yield from module_names(m.get('modules', []))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: check-manifest.py SOURCE_ROOT [MANIFEST]")
    root = sys.argv[1]
    manifest_path = (sys.argv[2] if len(sys.argv) > 2 else
                     os.path.join(root, 'flatpak', APP_ID + '.json'))
    try:
        with open(manifest_path, encoding='utf-8') as f:
            man = json.load(f)
    except (OSError, ValueError) as e:
        print(f"FAIL: cannot read {manifest_path}: {e}", file=sys.stderr)
        return 1

    for key in ('app-id', 'runtime', 'runtime-version', 'sdk', 'command', 'finish-args', 'modules'):
        if key not in man:
            error(f"missing key '{key}'")
    expect = {'app-id': APP_ID, 'runtime': 'org.gnome.Platform', 'sdk': 'org.gnome.Sdk',
              'command': 'pochta'}
    for key, want in expect.items():
        if key in man and man[key] != want:
            error(f"'{key}' is {man[key]!r}, expected {want!r}")
    rv = str(man.get('runtime-version', ''))
    try:
        if float(rv) < MIN_RUNTIME:
            error(f"runtime-version {rv} is older than {MIN_RUNTIME}")
    except ValueError:
        error(f"runtime-version {rv!r} is not a stable GNOME version number (need >= {MIN_RUNTIME})")

    args = man.get('finish-args', [])
    for a in REQUIRED_FINISH_ARGS:
        if a not in args:
            error(f"finish-args lacks {a}")
    for a in args:
        if a in FORBIDDEN_FINISH_ARGS:
            error(f"finish-args has {a}, broader than Pochta needs (see flatpak/README.md)")
    if len(set(args)) != len(args):
        error("finish-args has duplicates")

    modules = man.get('modules', [])
    for m in modules:
        if isinstance(m, dict):
            check_sources(m)
    last = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    if last.get('name') != 'pochta' or last.get('buildsystem') != 'meson':
        error("the last module must be 'pochta' with buildsystem meson")
    opts = last.get('config-opts', [])
    tests_off = '-Dtests=false' in opts
    if not tests_off:
        error("the pochta module must configure with -Dtests=false")
    if not any(isinstance(s, dict) and s.get('type') == 'dir' and s.get('path') == '..'
               for s in last.get('sources', [])):
        error("the pochta module must build this checkout (source type dir, path '..')")

    provided = set(GNOME_47_RUNTIME)
    for name in module_names(modules):
        provided |= MODULE_PROVIDES.get(name, set())
    deps = scan_dependencies(root)
    if not deps:
        error(f"no dependency('…') found under {root}: wrong source root?")
    for names, where in sorted(deps.items()):
        if any(n in provided or n in MESON_SPECIAL for n in names):
            continue
        only_tests = all(w.startswith('tests' + os.sep) for w in where)
        msg = (f"dependency {' or '.join(repr(n) for n in names)} ({', '.join(where)}) is "
               "neither in the GNOME 47 runtime nor built by a module of the manifest: add a "
               "module to flatpak/io.github.pochta.Pochta.json (and to MODULE_PROVIDES), or if "
               "the SDK has it, to GNOME_47_RUNTIME in tests/flatpak/check-manifest.py")
        if only_tests and tests_off:
            warnings.append(msg + " (only tests use it, and the manifest builds with "
                                  "-Dtests=false)")
        else:
            error(msg)

    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    checked = ', '.join(sorted('/'.join(n) for n in deps))
    if errors:
        for e in errors:
            print(f"FAIL: {e}", file=sys.stderr)
        return 1
    print(f"ok: {os.path.basename(manifest_path)}; dependencies checked: {checked}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
