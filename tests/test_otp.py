"""One-time codes of the PHONE and EMAIL steps: sandbox, hashing, attempts, expiry, throttling.

Time is driven by moving the rows' own timestamps in the database, never by patching.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from tests.conftest import make_settings, new_app
from tests.helpers import error_message, init_session, last_code, step_ids
from tests.servers import closed_port

from openkyc.adapters.messaging import MemoryMessenger
from openkyc.app import create_app
from openkyc.bootstrap import System, build_system
from openkyc.db.base import Base
from openkyc.kit.clock import utcnow
from openkyc.models import OneTimeCode

NUMBER = "+33686521748"


@pytest.fixture
def tenant(system: System) -> dict[str, str]:
    """A live app with the PHONE and EMAIL flow these tests are written against (the
    default flow grows as checks are added)."""
    return new_app(system, flow=["PHONE", "EMAIL"])


def _send(client: TestClient, sid: str, step: str, **body: Any) -> Any:
    kind = "email" if "email" in body else "phone"
    body = body if kind == "email" else {"phone_number": NUMBER, **body}
    return client.post(f"/v3/{kind}/send?step_id={step}", json=body, headers={"Session-Id": sid})


def _verify(client: TestClient, sid: str, step: str, code: str, kind: str = "phone") -> Any:
    return client.post(
        f"/v3/{kind}/verify?step_id={step}", json={"code": code}, headers={"Session-Id": sid}
    )


def _age_codes(engine: Engine, step: str, seconds: float) -> None:
    """Make every code of a step older, as if that much time had passed."""
    with engine.begin() as conn:
        for row in conn.execute(select(OneTimeCode).where(OneTimeCode.step_id == step)):
            conn.execute(
                update(OneTimeCode)
                .where(OneTimeCode.id == row.id)
                .values(
                    created_at=row.created_at - timedelta(seconds=seconds),
                    expires_at=row.expires_at - timedelta(seconds=seconds),
                )
            )


def _phone_step(client: TestClient, key: str) -> tuple[str, str]:
    sid = init_session(client, key)
    return sid, step_ids(client, key, sid)["PHONE"]


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_sandbox_codes_are_000000_and_nothing_is_sent(
    client: TestClient, system: System, sms: MemoryMessenger, email: MemoryMessenger
) -> None:
    app = new_app(system, "sandboxed", sandbox=True, flow=["PHONE", "EMAIL"])
    sid = init_session(client, app["api_key"])
    ids = step_ids(client, app["api_key"], sid)
    assert _send(client, sid, ids["PHONE"]).status_code == 200
    assert _send(client, sid, ids["EMAIL"], email="jane@example.com").status_code == 200
    assert sms.sent == [] and email.sent == []
    error_message(_verify(client, sid, ids["PHONE"], "123456"), 422)
    assert _verify(client, sid, ids["PHONE"], "000000").status_code == 200
    assert _verify(client, sid, ids["EMAIL"], "000000", "email").status_code == 200
    session = client.get("/v3/session", headers={"Session-Id": sid}).json()
    assert session["sandbox"] is True
    assert session["status"] == "APPROVED"


def test_live_codes_are_six_random_digits_never_stored_in_clear(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger, engine: Engine
) -> None:
    sid, step = _phone_step(client, tenant["api_key"])
    r = _send(client, sid, step)
    assert r.status_code == 200, r.text
    assert r.json() == {"sent": True, "channel": "sms", "expires_in": 600, "resend_in": 30}
    assert len(sms.sent) == 1
    assert sms.sent[0].channel == "sms" and sms.sent[0].to == NUMBER
    code = last_code(sms)
    assert "expires in 10 minutes" in sms.sent[0].text
    # Neither the code nor the phone number appears in any column of any table.
    alone = re.compile(rf"(?<!\d){code}(?!\d)")
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                for value in row:
                    if isinstance(value, datetime):
                        continue  # microseconds are six digits too; a time holds no secret
                    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    assert not alone.search(text), (table.name, value)
                    assert NUMBER not in text and NUMBER[1:] not in text, (table.name, value)
        stored = conn.execute(select(OneTimeCode)).one()
    assert len(stored.code_hash) == 64 and stored.code_hash != code
    assert _verify(client, sid, step, code).status_code == 200


def test_a_wrong_code_uses_up_an_attempt(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger, engine: Engine
) -> None:
    sid, step = _phone_step(client, tenant["api_key"])
    _send(client, sid, step)
    code = last_code(sms)
    r = _verify(client, sid, step, _wrong(code))
    assert error_message(r, 422) == "wrong code"
    assert r.json()["attempts_left"] == 4
    with engine.connect() as conn:
        assert conn.execute(select(OneTimeCode.attempts_left)).scalar_one() == 4
    assert _verify(client, sid, step, code).status_code == 200


def test_five_wrong_codes_lock_until_a_new_code_is_sent(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger, engine: Engine
) -> None:
    sid, step = _phone_step(client, tenant["api_key"])
    _send(client, sid, step)
    code = last_code(sms)
    for left in (4, 3, 2, 1):
        r = _verify(client, sid, step, _wrong(code))
        error_message(r, 422)
        assert r.json()["attempts_left"] == left
    fifth = _verify(client, sid, step, _wrong(code))
    assert "no attempts left" in error_message(fifth, 423)
    assert fifth.json()["attempts_left"] == 0
    # Even the right code is refused now.
    sixth = _verify(client, sid, step, code)
    assert "request a new code" in error_message(sixth, 423)
    status = client.get("/v3/session", headers={"Session-Id": sid}).json()["steps"][0]["status"]
    assert status == "SUBMISSION_REQUIRED"
    # A new code (after the resend delay) unlocks the step; the old code stays dead.
    _age_codes(engine, step, 31)
    assert _send(client, sid, step).status_code == 200
    fresh = last_code(sms)
    if fresh != code:
        error_message(_verify(client, sid, step, code), 422)
    assert _verify(client, sid, step, fresh).status_code == 200


def test_an_expired_code_is_410(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger, engine: Engine
) -> None:
    sid, step = _phone_step(client, tenant["api_key"])
    _send(client, sid, step)
    code = last_code(sms)
    with engine.begin() as conn:
        conn.execute(update(OneTimeCode).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert "expired" in error_message(_verify(client, sid, step, code), 410)
    _age_codes(engine, step, 31)
    _send(client, sid, step)
    assert _verify(client, sid, step, last_code(sms)).status_code == 200


def test_a_used_code_cannot_be_used_again_after_a_reset(
    client: TestClient,
    tenant: dict[str, str],
    sms: MemoryMessenger,
    admin_headers: dict[str, str],
) -> None:
    sid, step = _phone_step(client, tenant["api_key"])
    _send(client, sid, step)
    code = last_code(sms)
    assert _verify(client, sid, step, code).status_code == 200
    r = client.post(f"/admin/apps/{tenant['app_id']}/sessions/{sid}/reset", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert "already used" in error_message(_verify(client, sid, step, code), 409)


def test_verifying_before_any_code_was_sent_is_409(
    client: TestClient, tenant: dict[str, str]
) -> None:
    sid, step = _phone_step(client, tenant["api_key"])
    assert "no code" in error_message(_verify(client, sid, step, "123456"), 409)


def test_a_code_belongs_to_its_own_step(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger
) -> None:
    first_sid, first = _phone_step(client, tenant["api_key"])
    second_sid, second = _phone_step(client, tenant["api_key"])
    _send(client, first_sid, first)
    first_code = last_code(sms)
    _send(client, second_sid, second)
    second_code = last_code(sms)
    if first_code != second_code:
        error_message(_verify(client, second_sid, second, first_code), 422)
    assert _verify(client, second_sid, second, second_code).status_code == 200


def test_resending_too_fast_is_429_with_retry_after(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger, engine: Engine
) -> None:
    sid, step = _phone_step(client, tenant["api_key"])
    assert _send(client, sid, step).status_code == 200
    r = _send(client, sid, step)
    error_message(r, 429)
    assert 1 <= int(r.headers["Retry-After"]) <= 31
    assert r.json()["retry_after"] == int(r.headers["Retry-After"])
    assert len(sms.sent) == 1
    _age_codes(engine, step, 20)
    r = _send(client, sid, step)
    assert 1 <= int(r.headers["Retry-After"]) <= 11
    _age_codes(engine, step, 11)
    assert _send(client, sid, step).status_code == 200
    assert len(sms.sent) == 2


def test_the_hourly_cap_is_429_until_the_oldest_code_is_an_hour_old(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger, engine: Engine
) -> None:
    sid, step = _phone_step(client, tenant["api_key"])
    for _ in range(5):
        assert _send(client, sid, step).status_code == 200
        _age_codes(engine, step, 600)  # each send looks ten minutes after the last
    # Five codes in the last hour, the oldest 50 minutes old: next slot in 10 minutes.
    r = _send(client, sid, step)
    assert "too many codes" in error_message(r, 429)
    assert 590 <= int(r.headers["Retry-After"]) <= 601
    assert len(sms.sent) == 5
    _age_codes(engine, step, 601)
    assert _send(client, sid, step).status_code == 200


INVALID_PHONE_REQUESTS: list[dict[str, Any]] = [
    {"phone_number": "12"},
    {"phone_number": "+33 1"},
    {"phone_number": "+999 123456789"},
    {"phone_number": "not a number"},
    {"phone_number": "0686521748"},  # national form needs a country
    {"phone_number": "0686521748", "country": "ZZZ"},
    {"phone_number": "+33686521748", "method": "fax"},
    {"phone_number": "+33686521748", "method": "SMS"},
    {"phone_number": "+33686521748", "method": ""},
    {"phone_number": "+33686521748", "country": "FRANCE"},
    {"phone_number": "+" + "1" * 40},
]


def test_invalid_phone_requests_are_422_and_send_nothing(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger, subtests: Any
) -> None:
    sid, step = _phone_step(client, tenant["api_key"])
    for body in INVALID_PHONE_REQUESTS:
        with subtests.test(body=body):
            r = client.post(
                f"/v3/phone/send?step_id={step}", json=body, headers={"Session-Id": sid}
            )
            error_message(r, 422)
    assert sms.sent == []
    # None of them counted against the resend throttle.
    assert _send(client, sid, step).status_code == 200


def test_invalid_emails_are_422_and_send_nothing(
    client: TestClient, tenant: dict[str, str], email: MemoryMessenger, subtests: Any
) -> None:
    sid = init_session(client, tenant["api_key"])
    step = step_ids(client, tenant["api_key"], sid)["EMAIL"]
    for value in (
        "jane",
        "jane@",
        "@example.com",
        "jane@@example.com",
        "jane doe@example.com",
        "jane@example",
        "jane@-example.com",
        "a" * 300 + "@example.com",
        "jane@example.com\nBcc: x@example.com",
        42,
        "",
    ):
        with subtests.test(value=value):
            error_message(_send(client, sid, step, email=value), 422)
    assert email.sent == []


def test_call_is_delivered_by_the_sms_messenger_on_the_call_channel(
    client: TestClient, tenant: dict[str, str], sms: MemoryMessenger, email: MemoryMessenger
) -> None:
    sid, step = _phone_step(client, tenant["api_key"])
    r = _send(client, sid, step, method="call")
    assert r.json()["channel"] == "call"
    assert [(m.channel, m.to) for m in sms.sent] == [("call", NUMBER)]
    assert email.sent == []
    assert _verify(client, sid, step, last_code(sms)).status_code == 200
    step_body = client.get(
        f"/v4/individual/session/{sid}/step/{step}", headers={"Api-Key": tenant["api_key"]}
    ).json()
    assert step_body["verification"]["phone"]["method"] == "call"


def test_email_codes_go_by_email_in_the_applicants_language(
    client: TestClient, tenant: dict[str, str], email: MemoryMessenger, sms: MemoryMessenger
) -> None:
    sid = init_session(client, tenant["api_key"])
    step = step_ids(client, tenant["api_key"], sid)["EMAIL"]
    r = client.post(
        f"/v3/email/send?step_id={step}",
        json={"email": "jane@example.com"},
        headers={"Session-Id": sid, "Accept-Language": "fr-CA,fr;q=0.9"},
    )
    assert r.json()["channel"] == "email"
    assert sms.sent == []
    sent = email.sent[-1]
    assert (sent.channel, sent.to, sent.subject) == (
        "email",
        "jane@example.com",
        "Votre code de vérification",
    )
    assert "expire dans 10 minutes" in sent.text


def _codes(engine: Engine) -> int:
    with engine.connect() as conn:
        return len(conn.execute(select(OneTimeCode.id)).all())


def test_a_gateway_failure_is_503_and_does_not_count_against_the_throttle(
    client: TestClient,
    tenant: dict[str, str],
    sms: MemoryMessenger,
    email: MemoryMessenger,
    engine: Engine,
) -> None:
    sid, step = _phone_step(client, tenant["api_key"])
    sms.failing = True
    for _ in range(2):  # the second try is not "a code was just sent"
        r = _send(client, sid, step)
        assert "could not be sent" in error_message(r, 503)
    assert sms.sent == [] and _codes(engine) == 0
    sms.failing = False
    r = _send(client, sid, step)  # at once: nothing was issued before
    assert r.status_code == 200, r.text
    assert _verify(client, sid, step, last_code(sms)).status_code == 200

    email_step = step_ids(client, tenant["api_key"], sid)["EMAIL"]
    email.failing = True
    error_message(_send(client, sid, email_step, email="jo@example.com"), 503)
    assert _codes(engine) == 1  # the phone's only


def test_an_unreachable_sms_gateway_is_503(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(
        tmp_path, database_url, sms_url=f"http://127.0.0.1:{closed_port()}/sms"
    )
    system = build_system(settings)
    try:
        key = new_app(system, flow=["PHONE"])["api_key"]
        with TestClient(create_app(settings, system, workers=False)) as client:
            sid, step = _phone_step(client, key)
            for _ in range(2):
                r = _send(client, sid, step)
                assert error_message(r, 503) == "the sms could not be sent; try again later"
            assert _codes(system.runtime.engine) == 0
            session = client.get("/v3/session", headers={"Session-Id": sid})
            assert session.status_code == 200
    finally:
        system.runtime.engine.dispose()
