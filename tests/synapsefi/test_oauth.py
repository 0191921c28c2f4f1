"""OAuth: a refresh token for an OAuth key; an unknown device goes through the 2FA pin."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.helpers import last_code
from tests.synapsefi.conftest import Gateway, create_user, error_of

from openkyc.adapters.messaging import MemoryMessenger

NEW_DEVICE = "a-new-laptop"


def test_the_oauth_key_and_its_scopes(client: TestClient, sandbox: Gateway) -> None:
    user = create_user(client, sandbox)
    response = client.post(
        f"/v3.1/oauth/{user.id}",
        json={"refresh_token": user.refresh_token, "scope": ["USER|GET"]},
        headers=sandbox.headers(),
    )
    grant = response.json()
    assert grant["scope"] == ["USER|GET"] and grant["expires_in"] == "7200"
    assert grant["oauth_key"].startswith("oauth_") and grant["refresh_token"] == user.refresh_token
    assert grant["user_id"] == user.id and grant["client_id"] == sandbox.client_id
    # A key without USER|PATCH cannot update the user.
    denied = client.patch(
        f"/v3.1/users/{user.id}", json={}, headers=sandbox.headers(grant["oauth_key"])
    )
    error_of(denied, 403, "300")
    unknown = client.post(
        f"/v3.1/oauth/{user.id}",
        json={"refresh_token": user.refresh_token, "scope": ["ALL"]},
        headers=sandbox.headers(),
    )
    error_of(unknown, 400, "200")


def test_a_wrong_refresh_token_is_an_incorrect_value(client: TestClient, sandbox: Gateway) -> None:
    """The SDKs answer "400" by reading the user again for its current refresh token."""
    user = create_user(client, sandbox)
    response = client.post(
        f"/v3.1/oauth/{user.id}", json={"refresh_token": "refresh_old"}, headers=sandbox.headers()
    )
    error_of(response, 400, "400")
    error_of(client.post(f"/v3.1/oauth/{user.id}", json={}, headers=sandbox.headers()), 400, "400")
    current = client.get(f"/v3.1/users/{user.id}", headers=sandbox.headers()).json()[
        "refresh_token"
    ]
    assert current == user.refresh_token
    no_device = {**sandbox.headers(), "X-SP-USER": ""}
    error_of(
        client.post(f"/v3.1/oauth/{user.id}", json={"refresh_token": current}, headers=no_device),
        400,
        "110",
    )


def test_a_new_device_in_sandbox_is_confirmed_with_123456(
    client: TestClient, sandbox: Gateway
) -> None:
    user = create_user(client, sandbox)
    headers = sandbox.headers(fingerprint=NEW_DEVICE)
    body = {"refresh_token": user.refresh_token}
    pending = client.post(f"/v3.1/oauth/{user.id}", json=body, headers=headers)
    assert pending.status_code == 202
    assert pending.json()["error_code"] == "10" and pending.json()["http_code"] == "202"
    assert pending.json()["phone_numbers"] == ["901.111.1111", "test@synapsefi.com"]
    sent = client.post(
        f"/v3.1/oauth/{user.id}", json={**body, "phone_number": "901.111.1111"}, headers=headers
    )
    assert sent.status_code == 200 and sent.json()["success"] is True
    stranger = client.post(
        f"/v3.1/oauth/{user.id}", json={**body, "phone_number": "+33 1 23"}, headers=headers
    )
    error_of(stranger, 400, "400")
    wrong = client.post(
        f"/v3.1/oauth/{user.id}", json={**body, "validation_pin": "000000"}, headers=headers
    )
    error_of(wrong, 400, "400")
    right = client.post(
        f"/v3.1/oauth/{user.id}", json={**body, "validation_pin": "123456"}, headers=headers
    )
    assert right.status_code == 200 and right.json()["oauth_key"]
    # The device is known from now on.
    again = client.post(f"/v3.1/oauth/{user.id}", json=body, headers=headers)
    assert again.status_code == 200 and again.json()["oauth_key"]


def test_a_new_device_in_live_gets_a_pin_by_sms_or_email(
    client: TestClient, live: Gateway, sms: MemoryMessenger, email: MemoryMessenger
) -> None:
    user = create_user(client, live)
    headers = live.headers(fingerprint=NEW_DEVICE)
    body = {"refresh_token": user.refresh_token}
    assert client.post(f"/v3.1/oauth/{user.id}", json=body, headers=headers).status_code == 202
    client.post(
        f"/v3.1/oauth/{user.id}",
        json={**body, "phone_number": "test@synapsefi.com"},
        headers=headers,
    )
    assert email.sent[-1].to == "test@synapsefi.com"
    pin = last_code(email)
    error_of(
        client.post(
            f"/v3.1/oauth/{user.id}",
            json={**body, "validation_pin": "123456" if pin != "123456" else "654321"},
            headers=headers,
        ),
        400,
        "400",
    )
    right = client.post(
        f"/v3.1/oauth/{user.id}", json={**body, "validation_pin": pin}, headers=headers
    )
    assert right.status_code == 200, right.text
    client.post(
        f"/v3.1/oauth/{user.id}",
        json={**body, "phone_number": "901.111.1111"},
        headers=live.headers(fingerprint="third"),
    )
    assert sms.sent[-1].to == "901.111.1111"
