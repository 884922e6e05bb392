"""Personal links as a mail-merge file, or sent by e-mail through an SMTP server.

The tokens of personal links are not stored (see :mod:`spiegel.services.invitations`),
so the file or the e-mails are the only place they appear: generate them once.

``SPIEGEL_SMTP_URL`` names the server: ``smtp://host:25`` (plain),
``smtp+starttls://user:password@host:587`` (STARTTLS) or ``smtps://user:password@host:465``
(TLS from the start); ``?from=enquete@example.org`` sets the sender.
"""

from __future__ import annotations

import csv
import io
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from spiegel.services.invitations import PersonalLink, link_url

__all__ = [
    "MAILMERGE_COLUMNS",
    "SendReport",
    "SmtpServer",
    "mailmerge_csv",
    "parse_smtp_url",
    "send_invitations",
]

MAILMERGE_COLUMNS = ("employee_key", "email", "name", "unit_code", "unit_name", "role_group", "url")
SMTP_TIMEOUT = 30


def mailmerge_csv(links: Sequence[PersonalLink], public_url: str) -> str:
    """The mail-merge file (CSV, one row per new link, with its address)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MAILMERGE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for link in links:
        writer.writerow(
            {
                "employee_key": link.employee_key,
                "email": link.email or "",
                "name": link.name or "",
                "unit_code": link.unit_code,
                "unit_name": link.unit_name,
                "role_group": link.role_group,
                "url": link_url(public_url, link.token),
            }
        )
    return out.getvalue()


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to send mail."""

    host: str
    port: int
    security: str  # "plain", "starttls" or "tls"
    username: str | None
    password: str | None
    sender: str


def parse_smtp_url(url: str, default_sender: str = "spiegel@localhost") -> SmtpServer:
    """The server named by ``SPIEGEL_SMTP_URL`` (``ValueError`` when it is malformed)."""
    parts = urlsplit(url)
    schemes = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(
            f"SPIEGEL_SMTP_URL must look like smtp+starttls://user:password@host:587; got "
            f"scheme {parts.scheme!r}"
        )
    security, default_port = schemes[parts.scheme]
    sender = parse_qs(parts.query).get("from", [default_sender])[0]
    return SmtpServer(
        host=parts.hostname,
        port=parts.port or default_port,
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        sender=sender,
    )


@dataclass(frozen=True)
class SendReport:
    """What sending did: sent, and the employees without an address (or refused)."""

    sent: int
    without_address: list[str]
    failed: list[str]


def _message(link: PersonalLink, url: str, sender: str, title: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = link.email or ""
    msg["Subject"] = f"{title} – uw persoonlijke link / your personal link"
    greeting = f"Beste {link.name}," if link.name else "Beste collega,"
    msg.set_content(
        f"{greeting}\n\n"
        "We horen graag hoe u uw werk ervaart. Uw antwoorden zijn anoniem: ze worden niet aan\n"
        "u gekoppeld. Deze link is persoonlijk; stuur hem niet door.\n\n"
        f"{url}\n\n"
        "---\n\n"
        "We would like to hear how you experience your work. Your answers are anonymous:\n"
        "they are not linked to you. This link is personal; please do not forward it.\n\n"
        f"{url}\n"
    )
    return msg


def send_invitations(
    links: Sequence[PersonalLink], public_url: str, smtp_url: str, title: str = "Spiegel"
) -> SendReport:
    """E-mail each new personal link to its employee over one SMTP connection."""
    server = parse_smtp_url(smtp_url)
    with_address = [link for link in links if link.email]
    without = [link.employee_key for link in links if not link.email]
    failed: list[str] = []
    sent = 0
    if not with_address:
        return SendReport(0, without, failed)
    smtp: smtplib.SMTP
    if server.security == "tls":
        smtp = smtplib.SMTP_SSL(
            server.host, server.port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT)
    with smtp:
        if server.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if server.username:
            smtp.login(server.username, server.password or "")
        for link in with_address:
            message = _message(link, link_url(public_url, link.token), server.sender, title)
            try:
                smtp.send_message(message)
                sent += 1
            except smtplib.SMTPRecipientsRefused:
                failed.append(link.employee_key)
    return SendReport(sent, without, failed)
