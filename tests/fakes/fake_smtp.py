#!/usr/bin/env python3
"""A real local SMTP server (aiosmtpd) for uplift-notify's e-mail tests.

It offers STARTTLS with a certificate it makes for 127.0.0.1 (written to
--cert for the client to trust) and requires it before AUTH and MAIL; with
--implicit-tls it speaks TLS from the start (smtps). It accepts one account
(--user, --password). Each message is parsed with Python's own email
package (RFC 2047 subjects, MIME parts) and appended to --log as a JSON
line: envelope, subject, Message-ID, the plain-text body, whether the HTML
part holds the subject, and whether the session was encrypted and
authenticated. --no-tls offers no STARTTLS at all. --fail-first N answers the first N messages 451 (try
later); --refuse RCPT answers 550 for that recipient.

  fake_smtp.py --user U --password P --cert F --port-file F --log F
"""
import argparse
import email
import email.policy
import os
import socket
import ssl
import subprocess
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from fake_http import log_line


def make_certificate(cert, key):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.fail_left = args.fail_first

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.args.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.fail_left > 0:
                self.fail_left -= 1
                return "451 4.3.0 try again later"
        m = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        plain = m.get_body(("plain",))
        html = m.get_body(("html",))
        record = {
            "time": time.time(),
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(m["From"]),
            "subject": str(m["Subject"]),
            "message_id": str(m["Message-ID"]),
            "text": plain.get_content() if plain else "",
            "html_has_subject": bool(html) and str(m["Subject"]) in html.get_content(),
            "tls": self.args.implicit_tls or session.ssl is not None,
            "authenticated": bool(session.authenticated),
        }
        log_line(self.args.log, record)
        return "250 OK"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--cert", required=True, help="where to write the server's certificate")
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--no-tls", action="store_true", help="offer no STARTTLS (a server to refuse)")
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--refuse", default="")
    args = p.parse_args()

    key = args.cert + ".key"
    make_certificate(args.cert, key)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == args.user
              and auth_data.password.decode() == args.password)
        return AuthResult(success=ok, handled=False)

    port = free_port()
    if args.no_tls:
        tls = {"auth_require_tls": False}
    elif args.implicit_tls:
        # The socket is TLS from the start; aiosmtpd 1.4 does not count that
        # as TLS for AUTH (session.ssl stays unset), so it must not require it.
        tls = {"ssl_context": context, "auth_require_tls": False}
    else:
        tls = {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
    controller = Controller(
        Handler(args), hostname="127.0.0.1", port=port, authenticator=authenticate,
        auth_required=True, **tls)
    controller.start()
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.replace(args.port_file + ".tmp", args.port_file)
    threading.Event().wait()


if __name__ == "__main__":
    main()
