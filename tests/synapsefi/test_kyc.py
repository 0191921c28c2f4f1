"""A user's KYC documents through PATCH /v3.1/users/{id}: sub-documents start
SUBMITTED|REVIEWING and the real checks (ID document, face, identifier) decide them."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from tests.checks.face import images
from tests.helpers import PDF
from tests.synapsefi.conftest import (
    Gateway,
    base_document,
    create_user,
    data_url,
    error_of,
    patch,
)

from openkyc.bootstrap import System
from openkyc.models import File, Step


def statuses(user: dict[str, Any]) -> dict[str, str]:
    doc = user["documents"][0]
    subs = doc["physical_docs"] + doc["virtual_docs"] + doc["social_docs"]
    return {s["document_type"]: s["status"] for s in subs}


def view(client: TestClient, gw: Gateway, user_id: str, oauth_key: str = "") -> dict[str, Any]:
    response = client.get(f"/v3.1/users/{user_id}", headers=gw.headers(oauth_key))
    assert response.status_code == 200, response.text
    return dict(response.json())


def kyc(id_page: bytes, selfie: bytes, ssn: str = "111-22-2222") -> dict[str, Any]:
    return {
        "documents": [
            {
                **base_document(),
                "virtual_docs": [{"document_value": ssn, "document_type": "SSN"}],
                "physical_docs": [
                    {"document_value": data_url(id_page, "image/jpeg"), "document_type": "GOVT_ID"},
                    {"document_value": data_url(selfie, "image/jpeg"), "document_type": "SELFIE"},
                ],
            }
        ]
    }


def test_documents_are_reviewed_then_valid_and_the_permission_follows(
    client: TestClient, sandbox: Gateway, id_page: bytes, face_photo: bytes
) -> None:
    user = create_user(client, sandbox)
    assert user.body["permission"] == "UNVERIFIED" and user.body["documents"] == []
    response = patch(client, sandbox, user, kyc(id_page, face_photo))
    assert response.status_code == 200, response.text
    submitted = response.json()
    # The answer is written before the checks run: everything is still being reviewed.
    assert set(statuses(submitted).values()) == {"SUBMITTED|REVIEWING"}
    assert submitted["documents"][0]["permission_scope"] == "UNVERIFIED"
    base_id = submitted["documents"][0]["id"]
    assert len(base_id) == 64 and all(
        len(s["id"]) == 64 for s in submitted["documents"][0]["physical_docs"]
    )

    checked = view(client, sandbox, user.id)
    assert statuses(checked) == {
        "GOVT_ID": "SUBMITTED|VALID",
        "SELFIE": "SUBMITTED|VALID",
        "SSN": "SUBMITTED|VALID",
        "EMAIL": "SUBMITTED|VALID",
        "PHONE_NUMBER": "SUBMITTED|VALID",
        "IP": "SUBMITTED|VALID",
    }
    assert checked["documents"][0]["permission_scope"] == "SEND|RECEIVE|10000|DAILY"
    assert checked["permission"] == "SEND-AND-RECEIVE"
    assert checked["doc_status"] == {
        "physical_doc": "SUBMITTED|VALID",
        "virtual_doc": "SUBMITTED|VALID",
    }
    # Values only with full_dehydrate=yes.
    assert "document_value" not in checked["documents"][0]["virtual_docs"][0]
    full = client.get(f"/v3.1/users/{user.id}?full_dehydrate=yes", headers=sandbox.headers())
    doc = full.json()["documents"][0]
    assert doc["virtual_docs"][0]["document_value"] == "111-22-2222"
    assert doc["address_city"] == "SF" and doc["day"] == 2
    assert doc["physical_docs"][0]["document_value"].startswith("http://testserver/files/")


def test_a_selfie_of_someone_else_blocks_the_id_document(
    client: TestClient, sandbox: Gateway, id_page: bytes
) -> None:
    user = create_user(client, sandbox)
    other_face = images.jpeg(images.hopper())
    assert patch(client, sandbox, user, kyc(id_page, other_face)).status_code == 200
    checked = view(client, sandbox, user.id)
    assert statuses(checked)["GOVT_ID"] == "SUBMITTED|INVALID|BLOCKED"
    physical = checked["documents"][0]["physical_docs"][0]
    assert physical["invalid_reasons"] == ["face_mismatch"]
    assert checked["documents"][0]["permission_scope"] == "UNVERIFIED"
    assert checked["permission"] == "UNVERIFIED"


def test_a_second_base_document_and_sub_documents_added_by_id(
    client: TestClient, sandbox: Gateway, system: System
) -> None:
    user = create_user(client, sandbox)
    first = patch(client, sandbox, user, {"documents": [base_document()]}).json()
    base_id = first["documents"][0]["id"]
    added = patch(
        client,
        sandbox,
        user,
        {
            "documents": [
                {
                    "id": base_id,
                    "virtual_docs": [{"document_type": "TIN", "document_value": "12-3452222"}],
                }
            ]
        },
    ).json()
    assert len(added["documents"]) == 1
    assert [d["document_type"] for d in added["documents"][0]["virtual_docs"]] == ["TIN"]
    second = patch(
        client,
        sandbox,
        user,
        {"documents": [base_document(name="Test Business", email="biz@example.com")]},
    )
    assert [d["name"] for d in second.json()["documents"]] == ["Test User", "Test Business"]
    # Deleting a sub-document hides it; what it submitted stays with its step.
    tin = added["documents"][0]["virtual_docs"][0]["id"]
    delete = {
        "id": tin,
        "document_type": "DELETE_DOCUMENT",
        "document_value": "data:image/gif;base64,SUQs==",
    }
    gone = patch(
        client, sandbox, user, {"documents": [{"id": base_id, "virtual_docs": [delete]}]}
    ).json()
    assert gone["documents"][0]["virtual_docs"] == []
    again = patch(client, sandbox, user, {"documents": [{"id": base_id, "virtual_docs": [delete]}]})
    error_of(again, 404, "404")


def test_two_factor_documents_wait_for_the_sandbox_code(
    client: TestClient, sandbox: Gateway
) -> None:
    user = create_user(client, sandbox)
    socials = [
        {"document_type": "EMAIL_2FA", "document_value": "jane@example.com"},
        {"document_type": "PHONE_NUMBER_2FA", "document_value": "+1 415 555 0123"},
    ]
    body = patch(
        client, sandbox, user, {"documents": [{**base_document(), "social_docs": socials}]}
    ).json()
    doc = body["documents"][0]
    pending = {
        s["document_type"]: s for s in doc["social_docs"] if s["document_type"].endswith("2FA")
    }
    assert {s["status"] for s in pending.values()} == {"SUBMITTED|MFA_PENDING"}
    answer = {
        "id": pending["EMAIL_2FA"]["id"],
        "document_type": "EMAIL_2FA",
        "mfa_answer": "000000",
    }
    wrong = patch(
        client, sandbox, user, {"documents": [{"id": doc["id"], "social_docs": [answer]}]}
    )
    error_of(wrong, 400, "200")
    for kind in ("EMAIL_2FA", "PHONE_NUMBER_2FA"):
        answer = {"id": pending[kind]["id"], "document_type": kind, "mfa_answer": "123456"}
        done = patch(
            client, sandbox, user, {"documents": [{"id": doc["id"], "social_docs": [answer]}]}
        )
        assert done.status_code == 200, done.text
    checked = view(client, sandbox, user.id)
    assert statuses(checked)["EMAIL_2FA"] == "SUBMITTED|VALID"
    assert statuses(checked)["PHONE_NUMBER_2FA"] == "SUBMITTED|VALID"


def test_a_refused_document_stores_nothing(
    client: TestClient, sandbox: Gateway, system: System, face_photo: bytes
) -> None:
    user = create_user(client, sandbox)
    good = {"document_value": data_url(face_photo, "image/jpeg"), "document_type": "SELFIE"}
    bad = {"document_value": "data:image/jpeg;base64,not*base64", "document_type": "GOVT_ID"}
    body = {"documents": [{**base_document(), "physical_docs": [good, bad]}]}
    error_of(patch(client, sandbox, user, body), 400, "200")
    with system.runtime.transaction(readonly=True) as ctx:
        assert ctx.db.query(Step).count() == 0 and ctx.db.query(File).count() == 0
    assert view(client, sandbox, user.id)["documents"] == []


def test_documents_without_a_check_wait_for_a_reviewer(
    client: TestClient, sandbox: Gateway, admin_headers: dict[str, str]
) -> None:
    user = create_user(client, sandbox)
    w9 = {"document_value": data_url(PDF, "application/pdf"), "document_type": "W9_DOC"}
    body = patch(client, sandbox, user, {"documents": [{**base_document(), "physical_docs": [w9]}]})
    assert body.status_code == 200, body.text
    assert statuses(view(client, sandbox, user.id))["W9_DOC"] == "SUBMITTED|REVIEWING"
    queue = client.get(f"/admin/review?app_id={sandbox.app_id}", headers=admin_headers).json()
    assert [step["type"] for step in queue["steps"]] == ["PROOF_OF_ADDRESS"]


def test_a_new_value_for_a_sub_document_replaces_it(client: TestClient, sandbox: Gateway) -> None:
    user = create_user(client, sandbox)
    doc = {
        **base_document(),
        "virtual_docs": [{"document_type": "SSN", "document_value": "111-22-1111"}],
    }
    first = patch(client, sandbox, user, {"documents": [doc]}).json()["documents"][0]
    old = first["virtual_docs"][0]
    assert statuses(view(client, sandbox, user.id))["SSN"] == "SUBMITTED|INVALID"
    again = {"id": old["id"], "document_type": "SSN", "document_value": "111-22-2222"}
    body = {"documents": [{"id": first["id"], "virtual_docs": [again]}]}
    replaced = patch(client, sandbox, user, body).json()["documents"][0]["virtual_docs"]
    assert len(replaced) == 1 and replaced[0]["id"] != old["id"]
    assert statuses(view(client, sandbox, user.id))["SSN"] == "SUBMITTED|VALID"
