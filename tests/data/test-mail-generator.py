#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-mail-generator.py: checks that pochta-mail-generator.py is deterministic,
# that its three output formats agree, that every message parses cleanly, and
# that the mix holds every kind of mail the client's tests rely on.
#
# Usage: test-mail-generator.py GENERATOR [COUNT [PROFILE]]

import email
import email.policy
import email.utils
import os
import re
import statistics
import subprocess
import sys
import tempfile

SEED = 4242
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)
    return cond


PROFILE = 'small'


def run(gen, *args):
    cmd = [sys.executable, gen, '--seed', str(SEED), '--profile', PROFILE, *args]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit(f"generator failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr.decode()}")
    sys.stderr.write(p.stderr.decode())


def read_maildir(d):
    entries = os.listdir(os.path.join(d, 'cur'))
    out = []
    for name in entries:
        m = re.fullmatch(r'(\d+)\.M(\d+)P(\d+)\.pochta,S=(\d+):2,([A-Z]*)', name)
        if not check(m is not None, f"Maildir name {name!r} has the agreed form"):
            continue
        path = os.path.join(d, 'cur', name)
        with open(path, 'rb') as f:
            data = f.read()
        out.append((int(m.group(2)), int(m.group(1)), int(m.group(4)), m.group(5), data,
                    int(os.stat(path).st_mtime), name))
    out.sort()
    return out


def unmboxrd(data):
    msgs = []
    for chunk in re.split(rb'(?m)^From [^\n]*\n', data)[1:]:
        assert chunk.endswith(b'\n\n')
        chunk = chunk[:-1]
        msgs.append(re.sub(rb'(?m)^>(>*From )', rb'\1', chunk))
    return msgs


SCRIPTS = {
    'cyrillic': re.compile('[\u0400-\u04ff]'),
    'japanese': re.compile('[\u3040-\u30ff]'),
    'chinese': re.compile('[\u4e00-\u9fff]'),
    'greek': re.compile('[\u0370-\u03ff]'),
    'umlaut': re.compile('[äöüÄÖÜß]'),
    'emoji': re.compile('[\U0001f300-\U0001faff\u2600-\u27bf]'),
}


def main():
    gen = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
    global PROFILE
    PROFILE = sys.argv[3] if len(sys.argv) > 3 else 'small'
    with tempfile.TemporaryDirectory(prefix='pochta-gen-') as tmp:
        a, b = os.path.join(tmp, 'a'), os.path.join(tmp, 'b')
        eml, mbox = os.path.join(tmp, 'eml'), os.path.join(tmp, 'mail.mbox')
        run(gen, '--count', str(count), '--maildir', a)
        run(gen, '--count', str(count), '--maildir', b)
        run(gen, '--count', str(count), '--eml-dir', eml)
        run(gen, '--count', str(count), '--mbox', mbox)

        # Determinism and agreement between the output formats.
        ma, mb = read_maildir(a), read_maildir(b)
        check(len(ma) == count, f"Maildir holds {count} messages (got {len(ma)})")
        check([m[6] for m in ma] == [m[6] for m in mb], "same seed gives the same file names")
        check(all(x[4] == y[4] for x, y in zip(ma, mb)), "same seed gives byte-identical messages")
        check(sorted(os.listdir(os.path.join(a, 'new'))) == [] and
              os.path.isdir(os.path.join(a, 'tmp')), "Maildir has empty new/ and a tmp/")
        emls = sorted(os.listdir(eml))
        check(emls[:1] == ['00001.eml'], "eml-dir names start at 00001.eml")
        eml_data = []
        for n in emls:
            with open(os.path.join(eml, n), 'rb') as f:
                eml_data.append(f.read())
        check(eml_data == [m[4] for m in ma], "eml-dir and Maildir hold the same bytes")
        with open(mbox, 'rb') as f:
            mbox_msgs = unmboxrd(f.read())
        check(mbox_msgs == eml_data, "mboxrd output unescapes to the same messages")

        # Per message: parses, required headers, dates, sizes, lines.
        ids = {}
        seen = set()
        charsets = set()
        ctes = set()
        scripts = set()
        sizes = []
        prev_ts = 0
        threads = {}
        flags = {}
        for idx, ts, size, fl, data, mtime, name in ma:
            sizes.append(len(data))
            flags[fl] = flags.get(fl, 0) + 1
            check(size == len(data), f"{name}: S= matches the file size")
            check(mtime == ts, f"{name}: mtime is the message date")
            check(ts >= prev_ts, f"{name}: dates increase")
            prev_ts = ts
            check(b'\r' not in data, f"{name}: LF line ends only")
            check(max(len(l) for l in data.split(b'\n')) < 998, f"{name}: lines under 998 octets")
            msg = email.message_from_bytes(data, policy=email.policy.default)
            for h in ('Date', 'From', 'Message-ID', 'MIME-Version'):
                check(msg[h] is not None, f"{name}: has {h}")
            d = email.utils.parsedate_to_datetime(str(msg['Date']))
            check(int(d.timestamp()) == ts, f"{name}: Date matches the file name")
            mid = str(msg['Message-ID'])
            check(mid not in ids, f"{name}: Message-ID {mid} is unique")
            irt = msg['In-Reply-To']
            if irt is not None:
                seen.add('reply')
                check(str(irt) in ids, f"{name}: In-Reply-To names an earlier message")
                check(msg['References'] is not None, f"{name}: a reply has References")
                root = threads.get(str(irt), str(irt))
                threads[mid] = root
                ids[mid] = idx
                threads.setdefault(('size', root), 1)
                threads[('size', root)] += 1
            ids[mid] = idx
            for key in ('Subject', 'From', 'To', 'Cc'):
                v = msg[key]
                if v is None:
                    continue
                check(not v.defects, f"{name}: {key} parses without defects {v.defects}")
                raw = data.split(b'\n\n', 1)[0]
                if b'=?' in raw:
                    for sname, rx in SCRIPTS.items():
                        if rx.search(str(v)):
                            scripts.add(sname)
            if msg['List-Id'] is not None:
                seen.add('list')
            addrs = email.utils.getaddresses([str(msg['To'] or ''), str(msg['Cc'] or '')])
            if len(addrs) >= 3:
                seen.add('many-recipients')
            ctype = msg.get_content_type()
            if ctype == 'text/plain':
                seen.add('plain')
            if ctype == 'multipart/alternative':
                seen.add('alternative')
            cids = set()
            html_cids = set()
            for part in msg.walk():
                check(not part.defects, f"{name}: part {part.get_content_type()} has no "
                                        f"defects {part.defects}")
                pt = part.get_content_type()
                if pt == 'multipart/related':
                    seen.add('related')
                if pt == 'multipart/mixed':
                    seen.add('mixed')
                if pt == 'message/rfc822':
                    seen.add('rfc822')
                if part.is_multipart() or pt == 'message/rfc822':
                    continue
                cte = part.get('Content-Transfer-Encoding', '7bit').lower()
                ctes.add(cte)
                if part.get('Content-ID'):
                    cids.add(str(part['Content-ID']).strip('<>'))
                if part.get_content_maintype() == 'text':
                    charsets.add(part.get_content_charset())
                    try:
                        text = part.get_content()
                    except (LookupError, UnicodeError) as e:
                        check(False, f"{name}: text part decodes ({e})")
                        continue
                    if pt == 'text/html':
                        html_cids.update(re.findall(r'src="cid:([^"]+)"', text))
                if part.get_content_disposition() == 'attachment':
                    payload = part.get_payload(decode=True)
                    check(payload is not None and (PROFILE != 'small' or len(payload) <= 51200),
                          f"{name}: small profile keeps attachments within 50 KB")
                    if payload and len(payload) >= 10000:
                        seen.add('attachment')
                    if part.get_filename() and not part.get_filename().isascii():
                        seen.add('non-ascii-filename')
            check(html_cids <= cids, f"{name}: every cid: in HTML has its part")
            if html_cids:
                seen.add('inline-image')

        # The mix.
        for kind in ('plain', 'alternative', 'related', 'inline-image', 'mixed', 'attachment',
                     'non-ascii-filename', 'rfc822', 'reply', 'list', 'many-recipients'):
            check(kind in seen, f"the mix holds {kind} mail")
        for cs in ('utf-8', 'koi8-r', 'iso-2022-jp', 'windows-1252', 'us-ascii'):
            check(cs in charsets, f"the mix holds charset {cs}")
        for cte in ('quoted-printable', 'base64', '8bit', '7bit'):
            check(cte in ctes, f"the mix holds Content-Transfer-Encoding {cte}")
        for sname in SCRIPTS:
            check(sname in scripts, f"RFC 2047 headers carry {sname} text")
        chain = [v for k, v in threads.items() if isinstance(k, tuple)]
        check(chain and max(chain) <= 8, f"reply chains are at most 8 long ({max(chain or [0])})")
        check(any(c >= 3 for c in chain), "some reply chains have 3 or more messages")
        med = statistics.median(sizes)
        in_range = sum(1 for s in sizes if 2048 <= s <= 30720) / len(sizes)
        check(2048 <= med <= 30720, f"median size {med} is within 2-30 KB")
        check(in_range >= 0.6, f"most messages are 2-30 KB ({in_range:.0%})")
        seen_share = sum(v for k, v in flags.items() if 'S' in k) / count
        check(0.55 <= seen_share <= 0.85, f"about two thirds are \\Seen ({seen_share:.0%})")
        check(flags.get('RS', 0) > 0 and (flags.get('F', 0) + flags.get('FS', 0)) > 0,
              "some messages are answered and some flagged")

        print(f"# {count} messages, median {med:.0f} bytes, {in_range:.0%} in 2-30 KB, "
              f"flags {dict(sorted(flags.items()))}, longest chain {max(chain or [0])}")

    if failures:
        print(f"{len(failures)} checks failed", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == '__main__':
    sys.exit(main())
