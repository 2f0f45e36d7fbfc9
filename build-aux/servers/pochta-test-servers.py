#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts the real servers that Pochta's tests and demo run against, all on
# 127.0.0.1 high ports with their state in one directory: Dovecot (IMAP and
# POP3, plain+STARTTLS and implicit TLS, LMTP for delivery), Postfix
# (submission with STARTTLS and implicit TLS, SASL through Dovecot, delivery
# over LMTP into the same mailboxes), gnome-keyring unlocked inside a private
# dbus-run-session, and Xvfb.
#
# A supervisor process owns them. It stops them all when every "owner"
# process has gone (for `meson test` that is the meson process, so the
# servers live exactly one run, also when the run fails or is killed), when
# `stop` is called, or after --max-minutes at the latest.
#
#   pochta-test-servers.py ensure --state DIR --owner-pid PID  -> prints DIR/servers.ini
#   pochta-test-servers.py stop --state DIR
#   pochta-test-servers.py control --state DIR stop-dovecot|start-dovecot|stop-postfix|start-postfix
#   pochta-test-servers.py seed --state DIR --user NAME --count N [--profile realistic|small]

import argparse
import configparser
import fcntl
import hashlib
import os
import pwd
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
GENERATOR = os.path.join(SOURCE_ROOT, 'tests', 'data', 'pochta-mail-generator.py')

DOMAIN = 'example.test'
KEYRING_PASSWORD = 'pochta-test-keyring'
# user -> (seed, number of INBOX messages); the password is "<user>-secret".
USERS = {
    'alice': (1, 200),
    'bob': (2, 60),
    'carol': (3, 20),
    'empty': (0, 0),
}
START_TIMEOUT = 60


def log(state, msg):
    with open(os.path.join(state, 'supervisor.log'), 'a') as f:
        f.write('%s %s\n' % (time.strftime('%H:%M:%S'), msg))


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(('127.0.0.1', 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def wait_port(port, timeout, what, proc_alive=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1):
                return
        except OSError:
            if proc_alive is not None and not proc_alive():
                break
            time.sleep(0.05)
    raise RuntimeError('%s did not start listening on port %d' % (what, port))


def child_pids(parent):
    """PIDs whose parent is @parent, from /proc."""
    pids = []
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % name) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(name))
    return pids


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is not alive for our purpose.
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().split(') ', 1)[1][0] != 'Z'
    except OSError:
        return False


def substitute(template, dest, values):
    with open(os.path.join(HERE, template)) as f:
        text = f.read()
    for k, v in values.items():
        text = text.replace('@%s@' % k, str(v))
    with open(dest, 'w') as f:
        f.write(text)


def run(cmd, daemon_log=None):
    """Runs cmd; a command that leaves a daemon behind gets a log file for its
    output, since the daemon would hold a pipe open forever."""
    if daemon_log:
        with open(daemon_log, 'a') as out:
            r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        if r.returncode != 0:
            with open(daemon_log) as f:
                tail = f.read()[-2000:]
            raise RuntimeError('%s failed (%d): %s' % (' '.join(cmd), r.returncode, tail))
        return ''
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise RuntimeError('%s failed (%d): %s' % (' '.join(cmd), r.returncode, r.stdout.strip()))
    return r.stdout


class Servers:
    def __init__(self, state, seed_scale=1):
        self.state = state
        self.seed_scale = seed_scale
        self.ini = os.path.join(state, 'servers.ini')
        self.values = {}
        self.children = {}

    # -- set-up --------------------------------------------------------------

    def prepare(self):
        st = self.state
        for d in ('tls', 'dovecot', 'postfix'):
            os.makedirs(os.path.join(st, d), exist_ok=True)
        # Dovecot's unprivileged processes must reach the mail and TLS files.
        os.chmod(st, 0o755)
        if os.geteuid() == 0:
            mail = pwd.getpwnam('mail')
            self.mail_uid, self.mail_gid = mail.pw_uid, mail.pw_gid
            self.internal_user, self.login_user = 'dovecot', 'dovenull'
        else:
            me = pwd.getpwuid(os.geteuid())
            self.mail_uid, self.mail_gid = me.pw_uid, me.pw_gid
            self.internal_user = self.login_user = me.pw_name
        self.make_certificate()
        self.seed_mail()
        ports = free_ports(9)
        self.values = {
            'STATE': st,
            'INSTANCE': os.getpid(),
            'DOMAIN': DOMAIN,
            'MAIL_UID': self.mail_uid,
            'MAIL_GID': self.mail_gid,
            'INTERNAL_USER': self.internal_user,
            'LOGIN_USER': self.login_user,
            'IMAP_PORT': ports[0],
            'IMAPS_PORT': ports[1],
            'POP3_PORT': ports[2],
            'POP3S_PORT': ports[3],
            'LMTP_PORT': ports[4],
            'AUTH_PORT': ports[5],
            'SUBMISSION_PORT': ports[6],
            'SUBMISSIONS_PORT': ports[7],
        }

    def make_certificate(self):
        tls = os.path.join(self.state, 'tls')
        pem, key = os.path.join(tls, 'server.pem'), os.path.join(tls, 'server.key')
        if not os.path.exists(pem):
            run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30',
                 '-keyout', key, '-out', pem,
                 '-subj', '/CN=localhost/O=Pochta Test Server',
                 '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'])
        os.chmod(pem, 0o644)
        os.chmod(key, 0o640)
        out = run(['openssl', 'x509', '-noout', '-fingerprint', '-sha256', '-in', pem])
        self.fingerprint = out.strip().split('=', 1)[1]

    def seed_mail(self):
        st = self.state
        mail = os.path.join(st, 'mail')
        os.makedirs(mail, exist_ok=True)
        users = []
        # Benchmark users (added by `seed`, marked by a stamp) are kept with
        # their mail, so a large mailbox is generated once, not every run.
        for user in sorted(os.listdir(mail)):
            if user in USERS:
                continue
            if os.path.exists(os.path.join(mail, user, '.pochta-seeded')):
                users.append('%s:{PLAIN}%s-secret::::::' % (user, user))
            else:
                shutil.rmtree(os.path.join(mail, user), ignore_errors=True)
        for user, (seed, count) in USERS.items():
            home = os.path.join(mail, user)
            maildir = os.path.join(home, 'Maildir')
            shutil.rmtree(home, ignore_errors=True)
            os.makedirs(maildir)
            count *= self.seed_scale
            if count:
                if not os.path.exists(GENERATOR):
                    raise RuntimeError('mail generator missing: %s' % GENERATOR)
                run([sys.executable, GENERATOR, '--seed', str(seed), '--count', str(count),
                     '--maildir', maildir, '--domain', DOMAIN,
                     '--to', '%s@%s' % (user, DOMAIN), '--profile', 'small'])
            users.append('%s:{PLAIN}%s-secret::::::' % (user, user))
        with open(os.path.join(st, 'dovecot', 'users'), 'w') as f:
            f.write('\n'.join(users) + '\n')
        os.chmod(os.path.join(st, 'dovecot', 'users'), 0o644)
        for user in USERS:
            for root, dirs, files in os.walk(os.path.join(mail, user)):
                for name in dirs + files:
                    os.chown(os.path.join(root, name), self.mail_uid, self.mail_gid)
            os.chown(os.path.join(mail, user), self.mail_uid, self.mail_gid)
        os.chown(mail, self.mail_uid, self.mail_gid)

    # -- Dovecot -------------------------------------------------------------

    def dovecot_conf(self):
        return os.path.join(self.state, 'dovecot', 'dovecot.conf')

    def start_dovecot(self):
        conf = self.dovecot_conf()
        substitute('dovecot.conf.in', conf, self.values)
        run(['dovecot', '-c', conf], daemon_log=os.path.join(self.state, 'dovecot', 'start.log'))
        wait_port(self.values['IMAP_PORT'], START_TIMEOUT, 'Dovecot')
        wait_port(self.values['LMTP_PORT'], START_TIMEOUT, 'Dovecot LMTP')

    def stop_dovecot(self):
        conf = self.dovecot_conf()
        pidfile = os.path.join(self.state, 'dovecot', 'run', 'master.pid')
        try:
            with open(pidfile) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return
        # Offline tests need the server really gone: the master leaves its
        # imap/pop3 children (and so the clients' connections) alive for a
        # while, so they are killed too.
        children = child_pids(pid)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
        for child in children:
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        del conf

    # -- Postfix -------------------------------------------------------------

    def postfix_dir(self):
        return os.path.join(self.state, 'postfix', 'etc')

    def start_postfix(self):
        if os.geteuid() != 0:
            raise RuntimeError('Postfix needs root: run the tests as root (the README test command does)')
        etc = self.postfix_dir()
        os.makedirs(etc, exist_ok=True)
        for d in ('spool', 'data'):
            os.makedirs(os.path.join(self.state, 'postfix', d), exist_ok=True)
        substitute('postfix-main.cf.in', os.path.join(etc, 'main.cf'), self.values)
        substitute('postfix-master.cf.in', os.path.join(etc, 'master.cf'), self.values)
        postfix = pwd.getpwnam('postfix')
        os.chown(os.path.join(self.state, 'postfix', 'data'), postfix.pw_uid, postfix.pw_gid)
        # The Postfix scripts read these from the default install.
        for f in ('dynamicmaps.cf', 'postfix-files'):
            src = os.path.join('/etc/postfix', f)
            if os.path.exists(src):
                shutil.copy(src, os.path.join(etc, f))
        run(['postfix', '-c', etc, 'start'], daemon_log=os.path.join(self.state, 'postfix', 'start.log'))
        wait_port(self.values['SUBMISSION_PORT'], START_TIMEOUT, 'Postfix')

    def stop_postfix(self):
        etc = self.postfix_dir()
        if os.path.exists(os.path.join(etc, 'main.cf')):
            subprocess.run(['postfix', '-c', etc, 'stop'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            pidfile = os.path.join(self.state, 'postfix', 'spool', 'pid', 'master.pid')
            deadline = time.monotonic() + 10
            while os.path.exists(pidfile) and time.monotonic() < deadline:
                try:
                    with open(pidfile) as f:
                        if not pid_alive(int(f.read().strip())):
                            break
                except (OSError, ValueError):
                    break
                time.sleep(0.05)

    # -- gnome-keyring in a private session bus ------------------------------

    def start_keyring(self):
        home = os.path.join(self.state, 'keyring')
        shutil.rmtree(home, ignore_errors=True)
        runtime = os.path.join(home, 'run')
        os.makedirs(runtime, mode=0o700)
        addr_file = os.path.join(home, 'bus-address')
        # The unlock password must not be empty: an empty one creates no
        # login collection and libsecret then fails on .../collection/login.
        holder = ('printf %%s "$POCHTA_KEYRING_PASSWORD" | '
                  'gnome-keyring-daemon --unlock --components=secrets >/dev/null && '
                  'echo "$DBUS_SESSION_BUS_ADDRESS" > %s.tmp && mv %s.tmp %s && '
                  'exec sleep 86400' % (addr_file, addr_file, addr_file))
        env = dict(os.environ, HOME=home, XDG_DATA_HOME=os.path.join(home, 'data'),
                   XDG_CONFIG_HOME=os.path.join(home, 'config'), XDG_RUNTIME_DIR=runtime,
                   POCHTA_KEYRING_PASSWORD=KEYRING_PASSWORD)
        env.pop('DBUS_SESSION_BUS_ADDRESS', None)
        env.pop('DISPLAY', None)
        p = subprocess.Popen(['dbus-run-session', '--', 'sh', '-c', holder], env=env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(home, 'keyring.log'), 'w'),
                             start_new_session=True)
        self.children['keyring'] = p
        deadline = time.monotonic() + START_TIMEOUT
        while not os.path.exists(addr_file):
            if p.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError('gnome-keyring did not start (see %s/keyring.log)' % home)
            time.sleep(0.05)
        with open(addr_file) as f:
            self.dbus_address = f.read().strip()

    # -- Xvfb ------------------------------------------------------------------

    def start_xvfb(self):
        r, w = os.pipe()
        p = subprocess.Popen(['Xvfb', '-displayfd', str(w), '-screen', '0', '1280x800x24',
                              '-nolisten', 'tcp', '-noreset'],
                             pass_fds=(w,), stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(self.state, 'xvfb.log'), 'w'),
                             start_new_session=True)
        os.close(w)
        self.children['xvfb'] = p
        data = b''
        deadline = time.monotonic() + START_TIMEOUT
        while not data.endswith(b'\n'):
            if time.monotonic() > deadline:
                raise RuntimeError('Xvfb did not start')
            chunk = os.read(r, 64)
            if not chunk:
                raise RuntimeError('Xvfb exited (see %s/xvfb.log)' % self.state)
            data += chunk
        os.close(r)
        self.display = ':' + data.decode().strip()

    # -- whole set -------------------------------------------------------------

    def start_all(self):
        self.prepare()
        self.start_dovecot()
        self.start_postfix()
        self.start_keyring()
        self.start_xvfb()
        cp = configparser.ConfigParser(interpolation=None)
        v = self.values
        cp['servers'] = {
            'host': '127.0.0.1',
            'imap-port': v['IMAP_PORT'],
            'imaps-port': v['IMAPS_PORT'],
            'pop3-port': v['POP3_PORT'],
            'pop3s-port': v['POP3S_PORT'],
            'lmtp-port': v['LMTP_PORT'],
            'submission-port': v['SUBMISSION_PORT'],
            'submissions-port': v['SUBMISSIONS_PORT'],
            'cert-file': os.path.join(self.state, 'tls', 'server.pem'),
            'cert-sha256': self.fingerprint,
            'mail-domain': DOMAIN,
            'state-dir': self.state,
            'dbus-address': self.dbus_address,
            'display': self.display,
            'supervisor-pid': os.getpid(),
            'users': ','.join(USERS),
        }
        tmp = self.ini + '.tmp'
        with open(tmp, 'w') as f:
            cp.write(f)
        os.rename(tmp, self.ini)

    def stop_all(self):
        try:
            os.unlink(self.ini)
        except FileNotFoundError:
            pass
        for name, p in self.children.items():
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
        self.stop_postfix()
        self.stop_dovecot()


def resolve_state(path):
    """The state directory to use for PATH. Dovecot's mail processes run as
    an unprivileged user that must reach the mail under it; a checkout under
    a private directory (/root, a 0700 home) would lock them out, so such a
    path maps to a directory under /tmp named after it instead."""
    path = os.path.abspath(path)
    if os.geteuid() != 0:
        return path
    probe = path
    while True:
        if os.path.exists(probe) and not os.stat(probe).st_mode & stat.S_IXOTH:
            digest = hashlib.sha1(path.encode()).hexdigest()[:12]
            return os.path.join(tempfile.gettempdir(), 'pochta-servers-' + digest)
        parent = os.path.dirname(probe)
        if parent == probe:
            return path
        probe = parent


def owners_file(state):
    return os.path.join(state, 'owners')


def read_owners(state):
    try:
        with open(owners_file(state)) as f:
            return [int(x) for x in f.read().split()]
    except (OSError, ValueError):
        return []


def supervise(state, max_minutes, seed_scale, ready_w):
    """Runs in the daemonised child: start, report, watch owners, stop."""
    servers = Servers(state, seed_scale)
    stop_file = os.path.join(state, 'stop-request')
    stopping = []
    signal.signal(signal.SIGTERM, lambda *a: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *a: stopping.append(1))
    try:
        servers.start_all()
    except Exception as e:  # report any failure to the waiting `ensure`
        log(state, 'start failed: %s' % e)
        os.write(ready_w, ('error: %s\n' % e).encode())
        servers.stop_all()
        return 1
    os.write(ready_w, b'ok\n')
    os.close(ready_w)
    log(state, 'started: %s' % servers.values)
    deadline = time.monotonic() + max_minutes * 60
    while not stopping and time.monotonic() < deadline:
        if os.path.exists(stop_file):
            break
        if not any(pid_alive(p) for p in read_owners(state)):
            break
        time.sleep(0.3)
    log(state, 'stopping')
    servers.stop_all()
    for f in (stop_file, owners_file(state), os.path.join(state, 'supervisor.pid')):
        try:
            os.unlink(f)
        except FileNotFoundError:
            pass
    return 0


def supervisor_pid(state):
    try:
        with open(os.path.join(state, 'supervisor.pid')) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def cmd_ensure(args):
    state = resolve_state(args.state)
    os.makedirs(state, exist_ok=True)
    lock = open(os.path.join(state, '.lock'), 'w')
    fcntl.flock(lock, fcntl.LOCK_EX)
    ini = os.path.join(state, 'servers.ini')
    owners = read_owners(state)
    if supervisor_pid(state) and os.path.exists(ini) and not os.path.exists(os.path.join(state, 'stop-request')):
        if args.owner_pid not in owners:
            with open(owners_file(state), 'a') as f:
                f.write('%d\n' % args.owner_pid)
        print(ini)
        return 0
    # A supervisor that is on its way out (or died) is waited for, then replaced.
    pid = supervisor_pid(state)
    if pid:
        deadline = time.monotonic() + 30
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
    for f in ('stop-request', 'servers.ini'):
        try:
            os.unlink(os.path.join(state, f))
        except FileNotFoundError:
            pass
    with open(owners_file(state), 'w') as f:
        f.write('%d\n' % args.owner_pid)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        lock.close()
        with open(os.path.join(state, 'supervisor.pid'), 'w') as f:
            f.write('%d\n' % os.getpid())
        os._exit(supervise(state, args.max_minutes, args.seed_scale, w))
    os.close(w)
    os.waitpid(pid, 0)
    answer = b''
    deadline = time.monotonic() + START_TIMEOUT * 3
    while not answer.endswith(b'\n') and time.monotonic() < deadline:
        if not select.select([r], [], [], 1)[0]:
            continue
        chunk = os.read(r, 4096)
        if not chunk:
            break
        answer += chunk
    if answer.strip() != b'ok':
        sys.stderr.write('pochta-test-servers: %s\n' % (answer.decode().strip() or 'supervisor died; see %s/supervisor.log' % state))
        return 1
    print(ini)
    return 0


def cmd_stop(args):
    state = resolve_state(args.state)
    pid = supervisor_pid(state)
    if not pid:
        return 0
    open(os.path.join(state, 'stop-request'), 'w').close()
    deadline = time.monotonic() + 30
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return 0 if not pid_alive(pid) else 1


def cmd_control(args):
    """Stops or starts one server with the same ports, for offline tests."""
    state = resolve_state(args.state)
    cp = configparser.ConfigParser(interpolation=None)
    if not cp.read(os.path.join(state, 'servers.ini')):
        sys.stderr.write('pochta-test-servers: servers are not running\n')
        return 1
    s = cp['servers']
    servers = Servers(state)
    servers.values = {'IMAP_PORT': int(s['imap-port']), 'LMTP_PORT': int(s['lmtp-port']),
                      'SUBMISSION_PORT': int(s['submission-port'])}
    if args.what == 'stop-dovecot':
        servers.stop_dovecot()
    elif args.what == 'start-dovecot':
        # The generated config is still there with the same ports.
        run(['dovecot', '-c', servers.dovecot_conf()], daemon_log=os.path.join(state, 'dovecot', 'start.log'))
        wait_port(servers.values['IMAP_PORT'], START_TIMEOUT, 'Dovecot')
    elif args.what == 'stop-postfix':
        servers.stop_postfix()
    elif args.what == 'start-postfix':
        run(['postfix', '-c', servers.postfix_dir(), 'start'], daemon_log=os.path.join(state, 'postfix', 'start.log'))
        wait_port(servers.values['SUBMISSION_PORT'], START_TIMEOUT, 'Postfix')
    return 0


def cmd_seed(args):
    """Adds a user with a generated INBOX of --count messages to running
    servers (Dovecot re-reads its passwd-file when it changes). Benchmarks
    use it for their large mailboxes; an existing user of that size is kept,
    so repeated runs don't regenerate gigabytes."""
    state = resolve_state(args.state)
    cp = configparser.ConfigParser(interpolation=None)
    if not cp.read(os.path.join(state, 'servers.ini')):
        sys.stderr.write('pochta-test-servers: servers are not running\n')
        return 1
    lock = open(os.path.join(state, '.lock'), 'w')
    fcntl.flock(lock, fcntl.LOCK_EX)
    home = os.path.join(state, 'mail', args.user)
    maildir = os.path.join(home, 'Maildir')
    stamp = os.path.join(home, '.pochta-seeded')
    wanted = '%d %d %s\n' % (args.count, args.seed, args.profile)
    if not args.fresh:
        try:
            with open(stamp) as f:
                if f.read() == wanted:
                    print(args.user)
                    return 0
        except OSError:
            pass
    if args.user in USERS:
        sys.stderr.write('pochta-test-servers: %s is a standard user\n' % args.user)
        return 1
    # Dovecot may hold the old mailbox open (a test's earlier connection):
    # kick the user's sessions so the new Maildir is what they see next.
    subprocess.run(['doveadm', '-c', os.path.join(state, 'dovecot', 'dovecot.conf'),
                    'kick', args.user], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(maildir)
    if args.count:
        run([sys.executable, GENERATOR, '--seed', str(args.seed), '--count', str(args.count),
             '--maildir', maildir, '--domain', DOMAIN, '--to', '%s@%s' % (args.user, DOMAIN),
             '--profile', args.profile])
    mail = os.stat(os.path.join(state, 'mail'))
    for root, dirs, files in os.walk(home):
        for name in dirs + files:
            os.chown(os.path.join(root, name), mail.st_uid, mail.st_gid)
    os.chown(home, mail.st_uid, mail.st_gid)
    users = os.path.join(state, 'dovecot', 'users')
    with open(users) as f:
        lines = [l for l in f.read().splitlines() if not l.startswith(args.user + ':')]
    lines.append('%s:{PLAIN}%s-secret::::::' % (args.user, args.user))
    tmp = users + '.tmp'
    with open(tmp, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    os.chmod(tmp, 0o644)
    os.rename(tmp, users)
    # Dovecot looks at the passwd-file's mtime at most once a second: a
    # login right after this must not race it.
    time.sleep(1.1)
    if not args.fresh:
        with open(stamp, 'w') as f:
            f.write(wanted)
    print(args.user)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest='command', required=True)
    e = sub.add_parser('ensure', help='start the servers unless running; print servers.ini')
    e.add_argument('--state', required=True)
    e.add_argument('--owner-pid', type=int, required=True,
                   help='the servers stop when all owner processes have exited')
    e.add_argument('--max-minutes', type=float, default=180)
    e.add_argument('--seed-scale', type=int, default=1,
                   help='multiply the number of seeded messages (the demo uses more)')
    s = sub.add_parser('stop')
    s.add_argument('--state', required=True)
    c = sub.add_parser('control')
    c.add_argument('--state', required=True)
    c.add_argument('what', choices=['stop-dovecot', 'start-dovecot', 'stop-postfix', 'start-postfix'])
    d = sub.add_parser('seed', help='add a user with a generated INBOX (for benchmarks)')
    d.add_argument('--state', required=True)
    d.add_argument('--user', required=True)
    d.add_argument('--count', type=int, required=True)
    d.add_argument('--seed', type=int, default=100)
    d.add_argument('--profile', choices=['realistic', 'small'], default='realistic')
    d.add_argument('--fresh', action='store_true',
                   help='always regenerate, and drop the user when the servers next start (tests)')
    args = ap.parse_args()
    return {'ensure': cmd_ensure, 'stop': cmd_stop, 'control': cmd_control,
            'seed': cmd_seed}[args.command](args)


if __name__ == '__main__':
    sys.exit(main())
