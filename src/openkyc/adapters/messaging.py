"""Sending codes: console (development), SMTP (email), a generic HTTPS webhook (SMS/voice).

The console adapter prints the message for a developer; it is the only place a code is
ever written out, and it masks the recipient. A message that cannot be sent raises
MessageNotSent, whose text never holds the recipient (it ends up in logs).
"""

from __future__ import annotations

import smtplib
import ssl
import sys
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

import httpx


class MessageNotSent(OSError):
    """The transport refused or failed; the message says how, never to whom."""


def mask(recipient: str) -> str:
    """Enough to tell two test recipients apart, not enough to identify anyone."""
    if "@" in recipient:
        user, domain = recipient.rsplit("@", 1)
        return f"{user[:1]}***@{domain}"
    if len(recipient) < 8:
        return "***"
    return f"{recipient[:3]}***{recipient[-2:]}"


class ConsoleMessenger:
    """console:// prints to stdout; console:///path appends to that file."""

    def __init__(self, path: str | None = None, stream: TextIO | None = None) -> None:
        self.path = Path(path) if path else None
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def send(self, channel: str, to: str, subject: str, text: str) -> None:
        line = f"[openkyc {channel} to {mask(to)}] {text}\n"
        with self._lock:
            if self.path:
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(line)
            else:
                self.stream.write(line)
                self.stream.flush()


@dataclass
class Sent:
    channel: str
    to: str
    subject: str
    text: str


class MemoryMessenger:
    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.failing = False  # set it to answer as a gateway that is down

    def send(self, channel: str, to: str, subject: str, text: str) -> None:
        if self.failing:
            raise MessageNotSent("memory messenger set to fail")
        self.sent.append(Sent(channel, to, subject, text))


class SmtpMessenger:
    """smtp://user:pass@host:port (STARTTLS when offered) or smtps:// (TLS from the start)."""

    def __init__(self, url: str, sender: str) -> None:
        parts = urlsplit(url)
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username or "")
        self.password = unquote(parts.password or "")
        self.sender = sender

    def send(self, channel: str, to: str, subject: str, text: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(text)
        # A verified certificate: smtplib's own default context would accept any.
        context = ssl.create_default_context()
        try:
            with self._connect(context) as smtp:
                smtp.ehlo()
                if not self.tls and smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(message)
        except smtplib.SMTPResponseException as exc:
            # The server's text may quote the address; its code is enough to act on.
            raise MessageNotSent(f"SMTP server answered {exc.smtp_code}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _ in exc.recipients.values()})
            raise MessageNotSent(f"SMTP server refused the recipient ({codes})") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise MessageNotSent(f"SMTP delivery failed: {type(exc).__name__}") from None

    def _connect(self, context: ssl.SSLContext) -> smtplib.SMTP:
        if self.tls:
            return smtplib.SMTP_SSL(self.host, self.port, timeout=30, context=context)
        return smtplib.SMTP(self.host, self.port, timeout=30)


class HttpSmsMessenger:
    """POSTs {"to", "text", "channel": "sms"|"call"} as JSON to the operator's gateway."""

    def __init__(self, url: str, token: str = "", timeout: float = 10.0) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.timeout = timeout

    def send(self, channel: str, to: str, subject: str, text: str) -> None:
        try:
            response = httpx.post(
                self.url,
                json={"to": to, "text": text, "channel": channel},
                headers=self.headers,
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise MessageNotSent(f"SMS gateway unreachable: {type(exc).__name__}") from None
        if not response.is_success:
            raise MessageNotSent(f"SMS gateway answered HTTP {response.status_code}")


def build_messenger(
    url: str, sender: str = "", token: str = ""
) -> ConsoleMessenger | SmtpMessenger | HttpSmsMessenger | MemoryMessenger:
    parts = urlsplit(url)
    if parts.scheme == "console":
        return ConsoleMessenger((parts.netloc + parts.path) or None)
    if parts.scheme == "memory":
        return MemoryMessenger()
    if parts.scheme in ("smtp", "smtps"):
        return SmtpMessenger(url, sender)
    if parts.scheme in ("http", "https"):
        return HttpSmsMessenger(url, token)
    raise ValueError(f"unsupported messaging URL scheme {parts.scheme!r}")
