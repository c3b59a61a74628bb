"""Outgoing mail. With MAIL_URL set (smtp://host:port, smtps://user:password@host:465) mail
goes to that server; without it each message is written as a file under the outbox folder
(instance/outbox/ by default) and logged, so the demo and the tests can read what was sent.
"""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from assetmap.errors import InvalidInput

log = logging.getLogger(__name__)

DEFAULT_SENDER = "assetmap <no-reply@localhost>"


def compose(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message with the usual headers."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="assetmap.invalid")
    message.set_content(body)
    return message


class OutboxMailer:
    """Writes each message to `folder` as an .eml file instead of sending it."""

    def __init__(self, folder: Path, sender: str = DEFAULT_SENDER):
        self.folder = Path(folder)
        self.sender = sender

    def send(self, to: str, subject: str, body: str) -> Path:
        """Write the message; returns the file's path."""
        self.folder.mkdir(parents=True, exist_ok=True)
        # Time first so a listing sorts oldest to newest; the uuid keeps names unique.
        path = self.folder / f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(bytes(compose(self.sender, to, subject, body)))
        log.info("mail to %s (%s) written to %s", to, subject, path)
        return path


class SmtpMailer:
    """Sends through an SMTP server named by a URL: smtp:// (STARTTLS when offered) or smtps://."""

    def __init__(self, url: str, sender: str = DEFAULT_SENDER, timeout: float = 10.0):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise InvalidInput(f"MAIL_URL must look like smtp://host:25, not {url!r}.",
                               field="MAIL_URL")
        self.ssl = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.ssl else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender
        self.timeout = timeout

    def send(self, to: str, subject: str, body: str) -> str:
        """Send the message; returns its Message-ID."""
        message = compose(self.sender, to, subject, body)
        smtp_class = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
        with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
            if not self.ssl:
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls()
                    smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)
        log.info("mail to %s (%s) sent via %s:%s", to, subject, self.host, self.port)
        return message["Message-ID"]


def make_mailer(mail_url: str | None, outbox: Path, sender: str = DEFAULT_SENDER):
    """The SMTP mailer when `mail_url` is set, else the outbox folder."""
    if mail_url:
        return SmtpMailer(mail_url, sender)
    return OutboxMailer(outbox, sender)
