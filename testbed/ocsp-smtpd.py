#!/usr/bin/python3
"""Minimal SMTP listener that can staple OCSP responses (test bed only).

Postfix cannot staple OCSP as a server, so this shim speaks the plaintext part
of SMTP (banner, EHLO advertising STARTTLS, STARTTLS) itself and then hands the
raw socket to a per-connection `openssl s_server -status_file <der>` over a
unix socket. The decrypted SMTP dialogue that follows is read from s_server's
stdout and answered through its stdin, so clients can EHLO again and QUIT.

Usage: ocsp-smtpd.py ADDR PORT HOSTNAME CERT KEY CHAIN STATUS_DER|- PIDFILE
Standard library only; runs inside the test bed network namespace.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ADDR, PORT, HOSTNAME, CERT, KEY, CHAIN, STATUS, PIDFILE = sys.argv[1:9]
PORT_N = int(PORT)
CHILDREN = set()
LOCK = threading.Lock()
CMD_RE = re.compile(rb"^(EHLO|HELO|QUIT|NOOP|RSET|MAIL|RCPT|DATA|STARTTLS|VRFY|HELP)\b", re.I)


def log(msg):
    sys.stderr.write("%s ocsp-smtpd[%s:%d] %s\n" % (time.strftime("%H:%M:%S"), ADDR, PORT_N, msg))
    sys.stderr.flush()


def ehlo_lines(tls):
    caps = ["PIPELINING", "SIZE 10240000", "8BITMIME"]
    if not tls:
        caps.append("STARTTLS")
    lines = [HOSTNAME] + caps
    out = b""
    for i, line in enumerate(lines):
        sep = "-" if i < len(lines) - 1 else " "
        out += ("250%s%s\r\n" % (sep, line)).encode()
    return out


def reply_for(line, tls):
    """Returns (reply bytes, close_after)."""
    m = CMD_RE.match(line)
    verb = m.group(1).upper() if m else b""
    if verb in (b"EHLO",):
        return ehlo_lines(tls), False
    if verb == b"HELO":
        return ("250 %s\r\n" % HOSTNAME).encode(), False
    if verb == b"QUIT":
        return b"221 2.0.0 Bye\r\n", True
    if verb in (b"NOOP", b"RSET"):
        return b"250 2.0.0 Ok\r\n", False
    if verb == b"STARTTLS":
        if tls:
            return b"554 5.5.1 Error: TLS already active\r\n", False
        return b"220 2.0.0 Ready to start TLS\r\n", False
    if not tls:
        return b"530 5.7.0 Must issue a STARTTLS command first\r\n", False
    return b"502 5.5.2 Error: command not implemented in test bed\r\n", False


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for s in (dst,):
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def start_tls(conn):
    tmp = tempfile.mkdtemp(prefix="ocsp-smtpd-")
    path = os.path.join(tmp, "s")
    cmd = ["openssl", "s_server", "-quiet", "-naccept", "1", "-unix", path,
           "-cert", CERT, "-key", KEY, "-cert_chain", CHAIN]
    if STATUS != "-":
        cmd += ["-status_file", STATUS]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sys.stderr)
    with LOCK:
        CHILDREN.add(proc)
    try:
        back = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.time() + 5
        while True:
            try:
                back.connect(path)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.02)
        t1 = threading.Thread(target=pump, args=(conn, back), daemon=True)
        t2 = threading.Thread(target=pump, args=(back, conn), daemon=True)
        t1.start()
        t2.start()
        buf = b""
        closing = False
        while not closing:
            chunk = proc.stdout.read1(4096)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf and not closing:
                line, buf = buf.split(b"\n", 1)
                line = line.rstrip(b"\r")
                if not CMD_RE.match(line):
                    continue
                reply, closing = reply_for(line, True)
                proc.stdin.write(reply)
                proc.stdin.flush()
        if closing:
            # Give the client a moment to read 221 and close; then end s_server.
            t1.join(2)
        back.close()
    finally:
        try:
            proc.wait(1)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(2)
            except subprocess.TimeoutExpired:
                proc.kill()
        with LOCK:
            CHILDREN.discard(proc)
        try:
            os.unlink(path)
        except OSError:
            pass
        try:
            os.rmdir(tmp)
        except OSError:
            pass


def handle(conn, peer):
    log("connect from %s" % (peer,))
    try:
        conn.settimeout(30)
        conn.sendall(("220 %s ESMTP testbed OCSP shim\r\n" % HOSTNAME).encode())
        f = conn.makefile("rb")
        while True:
            line = f.readline(4096)
            if not line:
                return
            line = line.rstrip(b"\r\n")
            reply, close = reply_for(line, False)
            conn.sendall(reply)
            if close:
                return
            if CMD_RE.match(line) and CMD_RE.match(line).group(1).upper() == b"STARTTLS":
                conn.settimeout(None)
                start_tls(conn)
                return
    except OSError as e:
        log("error: %s" % e)
    finally:
        try:
            conn.close()
        except OSError:
            pass
        log("disconnect from %s" % (peer,))


def main():
    def stop(*_):
        with LOCK:
            for p in list(CHILDREN):
                try:
                    p.kill()
                except OSError:
                    pass
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    fam = socket.AF_INET6 if ":" in ADDR else socket.AF_INET
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((ADDR, PORT_N))
    srv.listen(16)
    with open(PIDFILE, "w") as pf:
        pf.write("%d\n" % os.getpid())
    log("listening, staple=%s" % STATUS)
    while True:
        conn, peer = srv.accept()
        threading.Thread(target=handle, args=(conn, peer), daemon=True).start()


if __name__ == "__main__":
    main()
