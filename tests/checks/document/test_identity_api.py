"""The applicant's journey over HTTP: upload through /v3/identity/submit, the check runs
(the test queue runs jobs at once), the tenant reads the v4 step payload."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.checks.document.samples import TODAY, adult, picture
from tests.conftest import new_app
from tests.helpers import error_message, init_session, png_bytes, step_ids

from openkyc.bootstrap import System

PASSPORT = adult()


@pytest.fixture(scope="module")
def pictures() -> dict[str, bytes]:
    """Drawn once for the module; each test uploads one."""
    return {
        "good": picture("TD3", PASSPORT, "light", seed=21),
        "expired": picture("TD3", adult(expiry_date=TODAY - timedelta(days=30)), seed=22),
        "minor": picture("TD3", adult(birth_date=date(TODAY.year - 15, 1, 10)), seed=23),
        "specimen": picture(
            "TD3",
            adult(lastname="ERIKSSON", firstname="ANNA MARIA", document_number="L898902C3",
                  issuing_state="UTO", nationality="UTO"),
            seed=24,
            specimen=True,
        ),
    }  # fmt: skip


def submit(client: TestClient, session_id: str, step_id: str, front: bytes, **data: str) -> Any:
    form = {"document_type": "PASSPORT", "country": "FRA", **data}
    return client.post(
        f"/v3/identity/submit?step_id={step_id}",
        files={"front": ("front.jpg", front, "image/jpeg")},
        data=form,
        headers={"Session-Id": session_id, "Accept-Language": "fr-FR"},
    )


def journey(client: TestClient, api_key: str, front: bytes) -> dict[str, Any]:
    session_id = init_session(client, api_key)
    step_id = step_ids(client, api_key, session_id)["ID_DOCUMENT"]
    response = submit(client, session_id, step_id, front)
    assert response.status_code == 200, response.text
    assert response.json() == {"id": step_id, "status": "PENDING_VERIFICATION"}
    step = client.get(
        f"/v4/individual/session/{session_id}/step/{step_id}", headers={"Api-Key": api_key}
    )
    assert step.status_code == 200, step.text
    return dict(step.json())


def test_a_valid_passport_is_approved_with_fields_and_files(
    client: TestClient, tenant: dict[str, str], pictures: dict[str, bytes]
) -> None:
    step = journey(client, tenant["api_key"], pictures["good"])
    assert step["type"] == "ID_DOCUMENT"
    assert (step["status"], step["reason"]) == ("APPROVED", None)
    document = step["document"]
    assert document["country"] == "FRA" and document["type"] == "PASSPORT"
    assert document["fields"] == {
        "firstname": "CLAIRE",
        "lastname": "MARTIN",
        "birth_date": "1990-05-17",
        "document_expiration": PASSPORT.expiry_date.isoformat(),
        "document_number": "X4RT5Y2B9",
        "nationality": "FRA",
        "gender": "F",
        "birth_place": "LYON",
        "full_name": "CLAIRE MARTIN",
    }
    assert set(document["files"]) == {"front", "face"}
    assert set(document["original_files"]) == {"front"}
    original = document["original_files"]["front"]
    assert original["type"] == "image/jpeg" and original["size"] == len(pictures["good"])
    cropped = document["files"]["front"]
    assert cropped["type"] == "image/jpeg" and cropped["url"] != original["url"]
    for item in (cropped, document["files"]["face"]):
        served = client.get(item["url"].removeprefix("http://testserver"))
        assert served.status_code == 200 and served.content[:3] == b"\xff\xd8\xff"
        assert len(served.content) == item["size"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("expired", "IDENTITY_DOCUMENT_EXPIRED"),
        ("minor", "IDENTITY_DOCUMENT_DOB_DATE_MINOR"),
        ("specimen", "DOCUMENT_SPECIMEN"),
    ],
)
def test_rejections_carry_the_reason(
    client: TestClient,
    tenant: dict[str, str],
    pictures: dict[str, bytes],
    name: str,
    reason: str,
) -> None:
    step = journey(client, tenant["api_key"], pictures[name])
    assert step["status"] == "REJECTED"
    assert step["reason"]["code"] == reason
    assert step["reason"]["message"]["translated"] != step["reason"]["message"]["original"]


def test_a_specimen_passes_in_a_sandbox(
    client: TestClient, system: System, pictures: dict[str, bytes]
) -> None:
    sandbox_app = new_app(system, "sandboxed", sandbox=True)
    step = journey(client, sandbox_app["api_key"], pictures["specimen"])
    assert step["status"] == "APPROVED", step
    assert step["document"]["country"] == "UTO"
    assert step["document"]["fields"]["lastname"] == "ERIKSSON"


def test_submission_is_validated(client: TestClient, tenant: dict[str, str]) -> None:
    key = tenant["api_key"]
    session_id = init_session(client, key)
    ids = step_ids(client, key, session_id)
    step_id = ids["ID_DOCUMENT"]
    image = png_bytes(1, 40)
    message = error_message(submit(client, session_id, step_id, image, document_type="VISA"), 422)
    assert "document_type" in message
    for country in ("FR", "XXX", "12A"):
        message = error_message(submit(client, session_id, step_id, image, country=country), 422)
        assert "alpha-3" in message
    response = client.post(
        f"/v3/identity/submit?step_id={step_id}",
        data={"document_type": "PASSPORT", "country": "FRA"},
        files={"back": ("b.png", image, "image/png")},
        headers={"Session-Id": session_id},
    )
    assert "front" in error_message(response, 422)
    gif = b"GIF89a" + b"\x00" * 64
    assert "accepted" in error_message(submit(client, session_id, step_id, gif), 415)
    error_message(submit(client, "not-a-session", step_id, image), 401)
    error_message(submit(client, session_id, ids["PHONE"], image), 409)
    # nothing was stored: the step still waits for its submission
    details = client.get(
        f"/v4/individual/session/{session_id}/step/{step_id}", headers={"Api-Key": key}
    ).json()
    assert details["status"] == "SUBMISSION_REQUIRED"
