"""Messengers against real local servers: SMTP (aiosmtpd), the HTTP SMS/voice gateway
(http.server), and the console one, which must never print a whole recipient."""

from __future__ import annotations

import io
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from tests.servers import Receiver, closed_port, http_receiver

from openkyc.adapters.messaging import (
    ConsoleMessenger,
    HttpSmsMessenger,
    MessageNotSent,
    SmtpMessenger,
    build_messenger,
    mask,
)

REFUSED = "nobody@example.org"


class Mailbox:
    """An aiosmtpd handler keeping what it accepts; it refuses REFUSED, quoting it back."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.logins: list[bytes] = []

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret/pass"
        if ok:
            self.logins.append(auth_data.login)
        # handled=False: aiosmtpd answers a failure itself (535)
        return AuthResult(success=ok, handled=False)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == REFUSED:
            return f"550 5.1.1 <{address}>: recipient unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "message": message_from_bytes(envelope.content),
            }
        )
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = closed_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=mailbox.authenticate,
        auth_require_tls=False,  # a local test server offers no TLS
    )
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def test_smtp_sends_the_code_by_email(smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    messenger = build_messenger(
        f"smtp://codes%40acme:s3cret%2Fpass@127.0.0.1:{port}", sender="acme <no-reply@acme.test>"
    )
    assert isinstance(messenger, SmtpMessenger)
    messenger.send("email", "jane@example.com", "Your code", "Your code is 123456.")
    [sent] = mailbox.messages
    assert sent["from"] == "no-reply@acme.test"
    assert sent["to"] == ["jane@example.com"]
    assert mailbox.logins == [b"codes@acme"]  # user and password are URL-decoded
    assert sent["message"]["Subject"] == "Your code"
    assert sent["message"].get_payload(decode=True).decode().strip() == "Your code is 123456."


def test_smtp_failures_never_name_the_recipient(smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    messenger = SmtpMessenger(f"smtp://127.0.0.1:{port}", sender="no-reply@acme.test")
    with pytest.raises(MessageNotSent) as refused:
        messenger.send("email", REFUSED, "Your code", "Your code is 123456.")
    assert "550" in str(refused.value) and "nobody" not in str(refused.value)
    assert refused.value.__cause__ is None and refused.value.__suppress_context__

    wrong_login = SmtpMessenger(f"smtp://u:wrong@127.0.0.1:{port}", sender="a@acme.test")
    with pytest.raises(MessageNotSent, match="535"):
        wrong_login.send("email", "jane@example.com", "s", "t")
    down = SmtpMessenger(f"smtp://127.0.0.1:{closed_port()}", sender="a@acme.test")
    with pytest.raises(MessageNotSent, match="ConnectionRefusedError"):
        down.send("email", "jane@example.com", "s", "t")
    assert mailbox.messages == []


@pytest.fixture
def gateway() -> Iterator[Receiver]:
    with http_receiver() as running:
        yield running


def test_http_sms_gateway_gets_json_and_the_bearer_token(gateway: Receiver) -> None:
    messenger = build_messenger(f"{gateway.url}/sms", token="gw-token-123")
    assert isinstance(messenger, HttpSmsMessenger)
    messenger.send("sms", "+33686521748", "ignored", "Your code is 123456.")
    messenger.send("call", "+33686521748", "ignored", "Your code is 654321.")
    first, second = gateway.requests
    assert first.path == "/sms"
    assert first.headers["authorization"] == "Bearer gw-token-123"
    assert first.headers["content-type"] == "application/json"
    assert first.json() == {"to": "+33686521748", "text": "Your code is 123456.", "channel": "sms"}
    assert second.json()["channel"] == "call"


def test_http_sms_gateway_failures_are_clear(gateway: Receiver) -> None:
    gateway.status = 502
    messenger = HttpSmsMessenger(gateway.url)
    with pytest.raises(MessageNotSent, match="HTTP 502"):
        messenger.send("sms", "+33686521748", "", "Your code is 123456.")
    assert "authorization" not in gateway.requests[0].headers  # no token configured
    down = HttpSmsMessenger(f"http://127.0.0.1:{closed_port()}/sms")
    with pytest.raises(MessageNotSent, match="unreachable") as failed:
        down.send("sms", "+33686521748", "", "Your code is 123456.")
    assert "+33686521748" not in str(failed.value)


@pytest.mark.parametrize(
    ("recipient", "shown"),
    [
        ("jane.doe@example.com", "j***@example.com"),
        ("+33686521748", "+33***48"),
        ("+3312", "***"),  # too short to show any part of it
    ],
)
def test_mask_hides_the_recipient(recipient: str, shown: str) -> None:
    assert mask(recipient) == shown


def test_console_messenger_masks_the_recipient(tmp_path: Path) -> None:
    stream = io.StringIO()
    ConsoleMessenger(stream=stream).send("sms", "+33686521748", "s", "Your code is 123456.")
    assert stream.getvalue() == "[openkyc sms to +33***48] Your code is 123456.\n"

    log = tmp_path / "logs" / "messages.log"
    log.parent.mkdir()
    to_file = build_messenger(f"console://{log}")
    assert isinstance(to_file, ConsoleMessenger)
    to_file.send("email", "jane@example.com", "s", "Your code is 111111.")
    to_file.send("email", "jane@example.com", "s", "Your code is 222222.")
    lines = log.read_text().splitlines()
    assert lines == [
        "[openkyc email to j***@example.com] Your code is 111111.",
        "[openkyc email to j***@example.com] Your code is 222222.",
    ]


def test_unknown_messaging_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported messaging URL scheme 'pigeon'"):
        build_messenger("pigeon://coop")
