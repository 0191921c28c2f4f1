"""Users: creation, listing, `update.*`, permission changes and the core's declared data."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.synapsefi.conftest import Gateway, base_document, create_user, error_of, patch, user_body

from openkyc.bootstrap import System
from openkyc.domain.applicant import service as applicants


def test_created_user_matches_the_seed_shape(client: TestClient, sandbox: Gateway) -> None:
    user = create_user(client, sandbox).body
    assert set(user) >= {
        "_id", "_links", "client", "doc_status", "documents", "emails", "extra", "is_hidden",
        "legal_names", "logins", "permission", "phone_numbers", "photos", "refresh_token",
    }  # fmt: skip
    assert user["client"] == {"id": sandbox.client_id, "name": "sandbox-app"}
    assert user["logins"] == [{"email": "test@synapsefi.com", "scope": "READ_AND_WRITE"}]
    assert user["extra"]["cip_tag"] == 1 and user["extra"]["supp_id"] == "122eddfgbeafrfvbbb"
    assert user["doc_status"] == {
        "physical_doc": "MISSING|INVALID",
        "virtual_doc": "MISSING|INVALID",
    }
    assert "password" not in str(user)


def test_updates(client: TestClient, sandbox: Gateway) -> None:
    user = create_user(client, sandbox)
    update = {
        "legal_name": "Test Two",
        "login": {"email": "two@synapsefi.com", "password": "x", "read_only": True},
        "phone_number": "+14155550123",
        "remove_phone_number": "901.111.1111",
        "cip_tag": 2,
        "public_note": "checked by phone",
        "is_hidden": True,
    }
    body = patch(
        client, sandbox, user, {"update": update, "refresh_token": user.refresh_token}
    ).json()
    assert body["legal_names"] == ["Test User", "Test Two"]
    assert body["logins"][-1] == {"email": "two@synapsefi.com", "scope": "READ"}
    assert "901.111.1111" not in body["phone_numbers"] and "+14155550123" in body["phone_numbers"]
    assert body["extra"]["cip_tag"] == 2 and body["extra"]["public_note"] == "checked by phone"
    assert body["is_hidden"] is True
    removed = {"remove_legal_name": "Test Two", "remove_login": {"email": "two@synapsefi.com"}}
    body = patch(client, sandbox, user, {"update": removed}).json()
    assert body["legal_names"] == ["Test User"] and len(body["logins"]) == 1
    error_of(patch(client, sandbox, user, {"refresh_token": "refresh_wrong"}), 400, "400")


def test_lock_and_make_it_go_away(client: TestClient, sandbox: Gateway) -> None:
    kept, gone = create_user(client, sandbox), create_user(client, sandbox)
    assert (
        patch(client, sandbox, kept, {"permission": "SEND-AND-RECEIVE"}).json()["permission"]
        == "UNVERIFIED"
    )
    assert patch(client, sandbox, kept, {"permission": "LOCKED"}).json()["permission"] == "LOCKED"
    assert (
        patch(client, sandbox, gone, {"permission": "MAKE-IT-GO-AWAY"}).json()["permission"]
        == "MAKE-IT-GO-AWAY"
    )
    listed = client.get("/v3.1/users", headers=sandbox.headers()).json()
    assert [u["_id"] for u in listed["users"]] == [kept.id]
    assert (
        listed["users"][0]["permission"] == "LOCKED" and "refresh_token" not in listed["users"][0]
    )


def test_listing_pages_and_query(client: TestClient, sandbox: Gateway) -> None:
    for n in range(3):
        client.post(
            "/v3.1/users", json=user_body(f"user{n}@example.com"), headers=sandbox.headers()
        )
    page = client.get(
        "/v3.1/users?per_page=2&page=2&show_refresh_tokens=yes", headers=sandbox.headers()
    ).json()
    assert page["users_count"] == 3 and page["page_count"] == 2 and len(page["users"]) == 1
    assert page["users"][0]["refresh_token"].startswith("refresh_")
    capped = client.get("/v3.1/users?per_page=500", headers=sandbox.headers()).json()
    assert capped["limit"] == 20
    found = client.get("/v3.1/users?query=USER1@", headers=sandbox.headers()).json()
    assert [u["logins"][0]["email"] for u in found["users"]] == ["user1@example.com"]


def test_a_base_document_fills_the_declared_data(
    client: TestClient, sandbox: Gateway, system: System
) -> None:
    """The same person seen by the other dialects: names, birth date, address, identifiers."""
    user = create_user(client, sandbox)
    doc = {
        **base_document(),
        "virtual_docs": [{"document_type": "SSN", "document_value": "111-22-2222"}],
    }
    patch(client, sandbox, user, {"documents": [doc]})
    with system.runtime.transaction(readonly=True) as ctx:
        data = applicants.get(ctx, sandbox.app_id, user.id).data
    assert data["first_name"] == "Test" and data["last_name"] == "User"
    assert data["birth_date"] == "1989-05-02" and data["legal_address"]["country"] == "US"
    assert data["identifiers"] == [{"type": "SSN", "value": "111-22-2222"}]
