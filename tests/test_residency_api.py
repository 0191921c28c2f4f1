"""Proof of residency over HTTP (Synaps v3): submit, the check, details for the applicant
and the tenant, the v4 step payload, and every refusal with nothing stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.checks.address.pdfs import raw_pdf
from tests.checks.document.samples import adult, picture
from tests.conftest import new_app
from tests.helpers import decide, error_message, init_session, step_ids

from openkyc.bootstrap import System
from openkyc.checks.address import sample
from openkyc.kit.clock import utcnow
from openkyc.models import File

TODAY = utcnow().date()
BILL = sample.bill(61, TODAY, lang="fr", kind="ELECTRICITY_BILL", firstname="Claire",
                   lastname="Martin")  # fmt: skip
FLOW = [{"type": "ID_DOCUMENT"}, {"type": "PROOF_OF_ADDRESS"}]


@pytest.fixture(scope="module")
def bill_pdf() -> bytes:
    return sample.digital_pdf(BILL)


def form(**changes: str) -> dict[str, str]:
    values = {
        "document_type": BILL.kind,
        "country": BILL.country,
        "address": BILL.address,
        "city": BILL.city,
        "zip_code": BILL.zipcode,
        **changes,
    }
    return {k: v for k, v in values.items() if v != "-"}


def submit(
    client: TestClient,
    session_id: str,
    step_id: str,
    document: bytes | None,
    data: dict[str, str] | None = None,
    name: str = "bill.pdf",
    extra: dict[str, tuple[str, bytes, str]] | None = None,
) -> Any:
    files = {"document": (name, document, "application/pdf")} if document is not None else {}
    return client.post(
        f"/v3/residency/submit?step_id={step_id}",
        files={**files, **(extra or {})},
        data=form() if data is None else data,
        headers={"Session-Id": session_id, "Accept-Language": "fr-FR"},
    )


def details(client: TestClient, step_id: str, **headers: str) -> Any:
    return client.get(f"/v3/residency/details?step_id={step_id}", headers=headers)


def stored_files(system: System) -> int:
    with system.runtime.transaction(readonly=True) as ctx:
        return int(ctx.db.scalar(select(func.count()).select_from(File)) or 0)


def test_the_applicant_journey_from_id_to_a_validated_address(
    client: TestClient, system: System, bill_pdf: bytes
) -> None:
    app = new_app(system, flow=FLOW)
    session_id = init_session(client, app["api_key"])
    ids = step_ids(client, app["api_key"], session_id)
    passport = picture("TD3", adult(), "light", seed=21)  # CLAIRE MARTIN
    identity = client.post(
        f"/v3/identity/submit?step_id={ids['ID_DOCUMENT']}",
        files={"front": ("front.jpg", passport, "image/jpeg")},
        data={"document_type": "PASSPORT", "country": "FRA"},
        headers={"Session-Id": session_id},
    )
    assert identity.status_code == 200, identity.text
    step_id = ids["PROOF_OF_ADDRESS"]
    before = details(client, step_id, **{"Session-Id": session_id}).json()
    assert before["state"] == "NOT_STARTED" and before["history"] == []
    response = submit(client, session_id, step_id, bill_pdf)
    assert response.json() == {"id": step_id, "status": "PENDING_VERIFICATION"}
    body = details(client, step_id, **{"Session-Id": session_id}).json()
    assert body["state"] == "VALIDATED", body
    document = body["document"]
    assert document["document"]["type"] == "ELECTRICITY_BILL"
    assert document["document"]["filetype"] == "application/pdf"
    assert document["document"]["file"].startswith("http://testserver/files/")
    assert document["is_accomodation"] is False and document["lang"] == "fr"
    assert document["info"] == {
        "firstname": "CLAIRE",
        "lastname": "MARTIN",
        "address": BILL.address,
        "country": "FRA",
        "city": BILL.city,
        "zipcode": BILL.zipcode,
        "issuing_date": BILL.issued.isoformat(),
    }
    [entry] = body["history"]
    assert entry["state"] == "VALIDATED" and entry["rejection_code"] == ""
    assert len(entry["submitted_at"]) == 19 and len(entry["verified_at"]) == 19
    tenant = details(client, step_id, **{"Api-Key": app["api_key"], "Client-Id": app["app_id"]})
    assert tenant.json() == body | {"document": tenant.json()["document"]}
    downloaded = client.get(document["document"]["file"].removeprefix("http://testserver"))
    assert downloaded.content == bill_pdf
    v4 = client.get(
        f"/v4/individual/session/{session_id}/step/{step_id}", headers={"Api-Key": app["api_key"]}
    ).json()
    assert v4["status"] == "APPROVED"
    assert v4["document"]["type"] == "ELECTRICITY_BILL" and v4["document"]["country"] == "FRA"
    assert v4["document"]["fields"] == {
        "address": BILL.address,
        "city": BILL.city,
        "zipcode": BILL.zipcode,
        "issuing_date": BILL.issued.isoformat(),
    }
    assert v4["document"]["original_files"]["proof"]["type"] == "application/pdf"
    assert "host_id_document" not in v4["document"]


def test_history_reasons_and_who_reads_them(
    client: TestClient, system: System, bill_pdf: bytes, admin_headers: dict[str, str]
) -> None:
    """Without an ID step no name can be compared: a reviewer decides; the applicant reads
    the translated user_reason, never the internal customer_reason."""
    app = new_app(system, flow=[{"type": "PROOF_OF_ADDRESS"}])
    session_id = init_session(client, app["api_key"])
    step_id = step_ids(client, app["api_key"], session_id)["PROOF_OF_ADDRESS"]
    assert submit(client, session_id, step_id, bill_pdf).status_code == 200
    assert details(client, step_id, **{"Session-Id": session_id}).json()["state"] == "PENDING"
    reason, note = "POA_DOCUMENT_TOO_OLD", "issued before the move"
    answer = decide(client, admin_headers, app["app_id"], step_id, "resubmit", reason, note)
    assert answer.status_code == 200, answer.text
    mine = details(client, step_id, **{"Session-Id": session_id, "Accept-Language": "de"}).json()
    assert mine["state"] == "REJECTED"
    assert mine["history"][0]["user_reason"].startswith("Der Adressnachweis ist zu alt")
    assert mine["history"][0]["customer_reason"] == ""
    theirs = details(client, step_id, **{"Api-Key": app["api_key"]}).json()
    assert theirs["history"][0]["customer_reason"] == "issued before the move"
    assert theirs["history"][0]["rejection_code"] == "POA_DOCUMENT_TOO_OLD"
    assert submit(client, session_id, step_id, bill_pdf).status_code == 200
    assert decide(client, admin_headers, app["app_id"], step_id, "reject").status_code == 200
    final = details(client, step_id, **{"Api-Key": app["api_key"]}).json()
    assert final["state"] == "REJECTED"
    assert [h["state"] for h in final["history"]] == ["REJECTED", "FINAL_REJECTED"]


@pytest.fixture
def fresh(client: TestClient, system: System) -> dict[str, str]:
    app = new_app(system, flow=FLOW)
    session_id = init_session(client, app["api_key"])
    ids = step_ids(client, app["api_key"], session_id)
    return {**app, "session_id": session_id, "step_id": ids["PROOF_OF_ADDRESS"],
            "id_step": ids["ID_DOCUMENT"]}  # fmt: skip


def encrypted_pdf() -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text="Bank statement")
    doc.set_encryption(owner_password="owner-secret")
    return bytes(doc.output())


BAD_INPUTS = [
    ("too large", b"%PDF-1.7\n" + b"0" * (4 * 1024 * 1024), {}, 413, "limit of 4 MB (4194304"),
    ("exe renamed pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, {}, 415, "application/x-msdownload"),
    ("encrypted", "encrypted", {}, 422, "the PDF is encrypted"),
    ("2,000 pages", raw_pdf(pages=2000), {}, 422, "2000 pages; at most 20"),
    ("20,000 pt page", raw_pdf(size=(20000, 20000)), {}, 422, "unusable size"),
    ("no document", None, {}, 422, "file 'document' is required"),
    ("no type", "bill", {"document_type": "-"}, 422, "field 'document_type' is required"),
    ("unknown type", "bill", {"document_type": "PAYSLIP"}, 422, "document_type must be one of"),
    ("no address", "bill", {"address": "-"}, 422, "field 'address' is required"),
    ("no city", "bill", {"city": " "}, 422, "field 'city' is required"),
    ("alpha-2 country", "bill", {"country": "FR"}, 422, "alpha-3"),
    ("unknown country", "bill", {"country": "XYZ"}, 422, "alpha-3"),
    ("host without letter", "bill", {"host_id_document_type": "PASSPORT"}, 422, "accomodation"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("document", "changes", "status", "message"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_is_refused_with_nothing_stored(
    client: TestClient,
    system: System,
    fresh: dict[str, str],
    bill_pdf: bytes,
    tmp_path: Path,
    document: Any,
    changes: dict[str, str],
    status: int,
    message: str,
) -> None:
    data = {"bill": bill_pdf, "encrypted": encrypted_pdf()}.get(document, document)
    response = submit(client, fresh["session_id"], fresh["step_id"], data, form(**changes))
    assert message in error_message(response, status)
    assert stored_files(system) == 0
    assert not any(p.is_file() for p in (tmp_path / "files").rglob("*"))
    state = details(client, fresh["step_id"], **{"Session-Id": fresh["session_id"]}).json()
    assert state["state"] == "NOT_STARTED" and state["history"] == []


def test_steps_of_other_sessions_and_apps_are_not_found(
    client: TestClient, system: System, fresh: dict[str, str], bill_pdf: bytes
) -> None:
    other_session = init_session(client, fresh["api_key"], alias="user-2")
    response = submit(client, other_session, fresh["step_id"], bill_pdf)
    assert "not found" in error_message(response, 404)
    other_app = new_app(system, name="globex", flow=FLOW)
    foreign = init_session(client, other_app["api_key"])
    assert "not found" in error_message(submit(client, foreign, fresh["step_id"], bill_pdf), 404)
    assert "Session-Id" in error_message(submit(client, "", fresh["step_id"], bill_pdf), 401)
    assert "invalid" in error_message(submit(client, "nope", fresh["step_id"], bill_pdf), 401)
    wrong_type = submit(client, fresh["session_id"], fresh["id_step"], bill_pdf)
    assert "not PROOF_OF_ADDRESS" in error_message(wrong_type, 409)
    assert stored_files(system) == 0
    step = fresh["step_id"]
    assert "not found" in error_message(details(client, step, **{"Session-Id": foreign}), 404)
    assert "not found" in error_message(
        details(client, step, **{"Api-Key": other_app["api_key"]}), 404
    )
    mismatch = details(client, step, **{"Api-Key": fresh["api_key"], "Client-Id": "00000000"})
    assert "Client-Id" in error_message(mismatch, 401)
    assert "Api-Key" in error_message(details(client, step), 401)
    assert "invalid" in error_message(details(client, step, **{"Api-Key": "bad"}), 401)


def test_living_at_a_hosts_address(client: TestClient, system: System, bill_pdf: bytes) -> None:
    """The bill is in the host's name; the host's ID is checked; a person reads the letter."""
    app = new_app(system, flow=[{"type": "PROOF_OF_ADDRESS"}])
    session_id = init_session(client, app["api_key"])
    step_id = step_ids(client, app["api_key"], session_id)["PROOF_OF_ADDRESS"]
    host = {
        "host_id_front_document": (
            "id.jpg",
            picture("TD3", adult(), "light", seed=21),
            "image/jpeg",
        ),
        "accomodation_proof": ("letter.pdf", raw_pdf(text="Attestation"), "application/pdf"),
    }
    data = form(host_id_document_type="passport", host_id_document_country="fra")
    response = submit(client, session_id, step_id, bill_pdf, data, extra=host)
    assert response.status_code == 200, response.text
    body = details(client, step_id, **{"Session-Id": session_id}).json()
    assert body["state"] == "PENDING" and body["document"]["is_accomodation"] is True
    v4 = client.get(
        f"/v4/individual/session/{session_id}/step/{step_id}", headers={"Api-Key": app["api_key"]}
    ).json()["document"]
    assert v4["host_id_document"]["type"] == "PASSPORT"
    assert v4["host_id_document"]["country"] == "FRA"
    assert v4["host_id_document"]["fields"] == {"firstname": "CLAIRE", "lastname": "MARTIN"}
    assert set(v4["host_id_document"]["files"]) == {"front"}
    assert set(v4["files"]) == {"proof", "accomodation"} == set(v4["original_files"])


def test_a_browser_form_with_empty_file_inputs_is_a_plain_submission(
    client: TestClient, fresh: dict[str, str], bill_pdf: bytes
) -> None:
    """A form posted from the hosted page sends its untouched file inputs as empty parts."""
    empty = {
        "host_id_front_document": ("", b"", "application/octet-stream"),
        "accomodation_proof": ("", b"", "application/octet-stream"),
    }
    data = form(host_id_document_type="", host_id_document_country="")
    response = submit(client, fresh["session_id"], fresh["step_id"], bill_pdf, data, extra=empty)
    assert response.status_code == 200, response.text
    state = details(client, fresh["step_id"], **{"Session-Id": fresh["session_id"]}).json()
    assert state["document"]["is_accomodation"] is False
