"""Outgoing mail: files in the outbox, or a real SMTP conversation with a local server."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes, policy

import pytest

from assetmap.errors import InvalidInput
from assetmap.mail import OutboxMailer, SmtpMailer, make_mailer


class FakeSmtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept one message and keep what was said."""

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        self.reply("220 fake ESMTP")
        lines, in_data = [], False
        while line := self.rfile.readline():
            if in_data:
                if line == b".\r\n":
                    self.server.messages.append(b"".join(lines))
                    lines, in_data = [], False
                    self.reply("250 queued")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper().decode()
            self.server.commands.append(line.decode().strip())
            if verb == "EHLO":
                self.reply("250-fake\r\n250 8BITMIME")
            elif verb == "DATA":
                in_data = True
                self.reply("354 end with .")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeSmtp)
    server.messages, server.commands = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_outbox_writes_a_readable_message(tmp_path):
    mailer = OutboxMailer(tmp_path / "outbox", "Site <site@example.org>")
    path = mailer.send("ada@example.org", "Hello", "Line one\nLine two ü\n")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["From"] == "Site <site@example.org>" and message["To"] == "ada@example.org"
    assert message["Subject"] == "Hello"
    assert message.get_content() == "Line one\nLine two ü\n"
    second = mailer.send("bob@example.org", "Again", "x")
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == sorted(
        [path.name, second.name])


def test_smtp_mailer_talks_to_the_server_in_mail_url(smtp_server):
    host, port = smtp_server.server_address
    mailer = make_mailer(f"smtp://{host}:{port}", outbox=None, sender="site@example.org")
    assert isinstance(mailer, SmtpMailer)
    mailer.send("ada@example.org", "Reset", "Open this link")
    said = [command.lower() for command in smtp_server.commands]
    assert "mail from:<site@example.org>" in said and "rcpt to:<ada@example.org>" in said
    [raw] = smtp_server.messages
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Reset" and message.get_content().strip() == "Open this link"


def test_a_bad_mail_url_is_named(tmp_path):
    with pytest.raises(InvalidInput, match="MAIL_URL must look like smtp://host:25"):
        make_mailer("http://mail.example.org", tmp_path)
    assert isinstance(make_mailer(None, tmp_path), OutboxMailer)
