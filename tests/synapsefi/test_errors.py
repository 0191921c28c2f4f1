"""Hostile and mistaken requests: each answered in SynapseFI's envelope with the code the
official SDKs map to an exception class, never a 500, nothing stored."""

from __future__ import annotations

import struct
import zlib

import pytest
from fastapi.testclient import TestClient
from tests.checks.face import images
from tests.helpers import PDF
from tests.synapsefi.conftest import (
    Gateway,
    base_document,
    create_user,
    data_url,
    error_of,
    new_gateway,
    patch,
    user_body,
)

from openkyc.bootstrap import System


def physical(doc_type: str, value: str) -> dict[str, object]:
    return {
        "documents": [
            {
                **base_document(),
                "physical_docs": [{"document_type": doc_type, "document_value": value}],
            }
        ]
    }


def big_png(size: int) -> bytes:
    """A PNG header, then more bytes than any document may hold."""
    header = struct.pack(">IIBBBBB", 4000, 4000, 8, 2, 0, 0, 0)
    chunk = (
        struct.pack(">I", 13) + b"IHDR" + header + struct.pack(">I", zlib.crc32(b"IHDR" + header))
    )
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\x00" * size


@pytest.mark.parametrize(
    ("value", "status", "words"),
    [
        ("data:image/jpeg;base64,@@@notbase64", 400, "base64"),
        ("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ", 400, "base64"),  # unpadded
        ("https://example.com/id.jpg", 400, "data URL"),
        ("", 400, "data URL"),
    ],
)
def test_malformed_data_urls(
    client: TestClient, sandbox: Gateway, value: str, status: int, words: str
) -> None:
    user = create_user(client, sandbox)
    assert words in error_of(
        patch(client, sandbox, user, physical("GOVT_ID", value)), status, "200"
    )


def test_bytes_that_are_not_the_declared_kind(client: TestClient, sandbox: Gateway) -> None:
    user = create_user(client, sandbox)
    jpeg = images.jpeg(images.astronaut())
    message = error_of(
        patch(client, sandbox, user, physical("GOVT_ID", data_url(jpeg, "image/png"))), 415, "200"
    )
    assert "image/jpeg" in message and "image/png" in message
    # A PDF is a proof of address, not a selfie.
    error_of(
        patch(client, sandbox, user, physical("SELFIE", data_url(PDF, "application/pdf"))),
        415,
        "200",
    )
    error_of(
        patch(client, sandbox, user, physical("NOT_A_TYPE", data_url(jpeg, "image/jpeg"))),
        400,
        "200",
    )


def test_an_oversized_document(client: TestClient, sandbox: Gateway) -> None:
    user = create_user(client, sandbox)
    response = patch(
        client, sandbox, user, physical("GOVT_ID", data_url(big_png(11 * 1024 * 1024), "image/png"))
    )
    assert "limit" in error_of(response, 413, "200")
    poa = data_url(big_png(5 * 1024 * 1024), "image/png")
    error_of(patch(client, sandbox, user, physical("PROOF_OF_ADDRESS", poa)), 413, "200")


def test_a_document_id_of_another_user(client: TestClient, sandbox: Gateway) -> None:
    alice, bob = create_user(client, sandbox), create_user(client, sandbox)
    bobs = patch(client, sandbox, bob, {"documents": [base_document()]}).json()["documents"][0]
    base_of_bob = {
        "id": bobs["id"],
        "virtual_docs": [{"document_type": "SSN", "document_value": "2222"}],
    }
    error_of(patch(client, sandbox, alice, {"documents": [base_of_bob]}), 404, "404")
    alices = patch(client, sandbox, alice, {"documents": [base_document()]}).json()["documents"][0]
    sub_of_bob = {"id": bobs["social_docs"][0]["id"], "document_type": "DELETE_DOCUMENT"}
    body = {"documents": [{"id": alices["id"], "social_docs": [sub_of_bob]}]}
    error_of(patch(client, sandbox, alice, body), 404, "404")
    # Alice's OAuth key does not open Bob's record either.
    response = client.patch(
        f"/v3.1/users/{bob.id}", json={}, headers=sandbox.headers(alice.oauth_key)
    )
    error_of(response, 401, "110")


def test_a_user_of_another_app(client: TestClient, sandbox: Gateway, system: System) -> None:
    user = create_user(client, sandbox)
    other = new_gateway(system, "other-app")
    error_of(client.get(f"/v3.1/users/{user.id}", headers=other.headers()), 404, "404")
    response = client.patch(
        f"/v3.1/users/{user.id}", json={}, headers=other.headers(user.oauth_key)
    )
    error_of(response, 404, "404")
    grant = client.post(
        f"/v3.1/oauth/{user.id}",
        json={"refresh_token": user.refresh_token},
        headers=other.headers(),
    )
    error_of(grant, 404, "404")
    listed = client.get("/v3.1/users", headers=other.headers()).json()
    assert listed["users"] == [] and listed["users_count"] == 0


def test_credentials(client: TestClient, sandbox: Gateway) -> None:
    user = create_user(client, sandbox)
    wrong = {**sandbox.headers(), "X-SP-GATEWAY": f"{sandbox.client_id}|client_secret_wrong"}
    error_of(client.get(f"/v3.1/users/{user.id}", headers=wrong), 401, "100")
    error_of(client.get("/v3.1/users", headers={}), 401, "100")
    id_only = {**sandbox.headers(), "X-SP-GATEWAY": sandbox.client_id}
    error_of(client.get("/v3.1/users", headers=id_only), 401, "100")
    error_of(client.post("/v3.1/users", json=user_body(), headers=id_only), 401, "100")
    # The id alone is enough next to the user's own OAuth key (a front end holds no secret).
    with_key = {**id_only, "X-SP-USER": f"{user.oauth_key}|e83cf6ddcf778e37bfe3d48fc78a6502062fc"}
    assert client.get(f"/v3.1/users/{user.id}", headers=with_key).status_code == 200
    error_of(client.get(f"/v3.1/users/{user.id}", headers=id_only), 401, "110")
    error_of(client.patch(f"/v3.1/users/{user.id}", json={}, headers=sandbox.headers()), 401, "110")
    other_device = sandbox.headers(user.oauth_key, fingerprint="another-device")
    error_of(client.patch(f"/v3.1/users/{user.id}", json={}, headers=other_device), 401, "110")


def test_bodies_and_ids(client: TestClient, sandbox: Gateway) -> None:
    user = create_user(client, sandbox)
    headers = {**sandbox.headers(user.oauth_key), "Content-Type": "application/json"}
    error_of(
        client.patch(f"/v3.1/users/{user.id}", content=b"{not json", headers=headers), 400, "200"
    )
    error_of(client.post("/v3.1/users", json={"logins": []}, headers=sandbox.headers()), 400, "200")
    error_of(client.get("/v3.1/users/" + "x" * 300, headers=sandbox.headers()), 404, "404")
    error_of(client.get("/v3.1/users/\u00e9t\u00e9", headers=sandbox.headers()), 404, "404")
    error_of(client.get("/v3.1/nothing-here", headers=sandbox.headers()), 404, "404")
    error_of(client.get("/v3.1/users?page=0", headers=sandbox.headers()), 400, "200")
    nul = {"documents": [{**base_document(), "name": "a\u0000b"}]}
    error_of(patch(client, sandbox, user, nul), 400, "200")
    missing = {"documents": [{"name": "No Email"}]}
    assert "email" in error_of(patch(client, sandbox, user, missing), 400, "200")
