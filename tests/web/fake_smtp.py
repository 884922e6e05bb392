"""A tiny SMTP server for tests (stdlib ``socketserver``; aiosmtpd is not installed).

It speaks just enough SMTP for :mod:`smtplib` (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT), refuses recipients at ``refused.example``, and keeps every message it receives.
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: str


@dataclass
class Mailbox:
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _send(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        self._send("220 fake.smtp ready")
        sender, recipients = "", []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self._send("250-fake.smtp")
                self._send("250 8BITMIME")
            elif verb == "HELO":
                self._send("250 fake.smtp")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip().strip("<>"), []
                self._send("250 OK")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].strip().strip("<>")
                if address.endswith("@refused.example"):
                    self._send("550 no such user")
                else:
                    recipients.append(address)
                    self._send("250 OK")
            elif verb == "DATA":
                self._send("354 end with .")
                lines = []
                while True:
                    data_line = self.rfile.readline().decode("utf-8", "replace")
                    if data_line in (".\r\n", ".\n", ""):
                        break
                    lines.append(data_line[1:] if data_line.startswith("..") else data_line)
                with self.server.mailbox.lock:
                    self.server.mailbox.messages.append(
                        Received(sender, list(recipients), "".join(lines))
                    )
                self._send("250 queued")
            elif verb in ("RSET", "NOOP"):
                sender, recipients = "", []
                self._send("250 OK")
            elif verb == "QUIT":
                self._send("221 bye")
                return
            else:
                self._send("502 not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    mailbox: Mailbox


@contextmanager
def fake_smtp() -> Iterator[tuple[str, Mailbox]]:
    """A running fake server: yields its ``smtp://`` URL and the mailbox."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.mailbox = Mailbox()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"smtp://{host}:{port}?from=enquete@example.org", server.mailbox
    finally:
        server.shutdown()
        server.server_close()
