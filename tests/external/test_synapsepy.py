"""SynapsePy (PyPI `synapsepy`), unchanged, against a live openkyc: only its base URL is
set. Create user -> OAuth -> base document with SSN, GOVT_ID and SELFIE -> the checks
decide -> permission changes -> lock -> a signed webhook arrives."""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path
from typing import Any

import pytest
from synapsepy import Client
from synapsepy import errors as sdk_errors
from tests.external.conftest import Live
from tests.servers import wait_for
from tests.synapsefi.conftest import FINGERPRINT, base_document, user_body


def data_url(path: Path) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode()


def sdk_client(live: Live, secret: str | None = None) -> Client:
    client = Client(
        client_id=live.gateway.client_id,
        client_secret=secret or live.gateway.client_secret,
        fingerprint=FINGERPRINT,
        ip_address="127.0.0.1",
        devmode=True,
    )
    client.http.base_url = live.url + "/v3.1"
    return client


def statuses(body: dict[str, Any]) -> dict[str, str]:
    doc = body["documents"][0]
    return {s["document_type"]: s["status"] for s in doc["physical_docs"] + doc["virtual_docs"]}


def test_synapsepy_scenario(live_server: Live) -> None:
    live = live_server
    client = sdk_client(live)
    sub = client.create_subscription(live.receiver.url + "/synapse", ["USER|POST", "USER|PATCH"])
    assert sub.url.endswith("/synapse")
    user = client.create_user(user_body(), "127.0.0.1", fingerprint=FINGERPRINT)
    assert user.body["permission"] == "UNVERIFIED"
    oauth = user.oauth()
    assert oauth["oauth_key"].startswith("oauth_")

    kyc = {
        **base_document(),
        "virtual_docs": [{"document_value": "111-22-2222", "document_type": "SSN"}],
        "physical_docs": [
            {"document_value": data_url(live.id_page), "document_type": "GOVT_ID"},
            {"document_value": data_url(live.selfie), "document_type": "SELFIE"},
        ],
    }
    submitted = user.update_info({"documents": [kyc]})
    assert set(statuses(submitted).values()) == {"SUBMITTED|REVIEWING"}

    def decided() -> bool:
        body = client.get_user(user.id).body
        return "SUBMITTED|REVIEWING" not in statuses(body).values()

    wait_for(decided, "the checks to decide", deadline=120)
    checked = client.get_user(user.id, full_dehydrate=True).body
    assert statuses(checked) == {k: "SUBMITTED|VALID" for k in ("GOVT_ID", "SELFIE", "SSN")}
    assert checked["permission"] == "SEND-AND-RECEIVE"
    assert checked["documents"][0]["permission_scope"] == "SEND|RECEIVE|10000|DAILY"

    locked = user.update_info({"permission": "LOCKED"})
    assert locked["permission"] == "LOCKED"
    wait_for(
        lambda: any(r.json().get("permission") == "LOCKED" for r in live.receiver.requests),
        "the USER|PATCH webhook",
    )
    hook = next(r for r in live.receiver.requests if r.json()["permission"] == "LOCKED")
    message = f"{user.id}+{live.gateway.client_id}".encode()
    expected = hmac.new(live.gateway.client_secret.encode(), message, hashlib.sha1).hexdigest()
    assert hook.headers["x-synapse-signature"] == expected
    assert hook.json()["webhook_meta"]["function"] == "USER|PATCH"


def test_synapsepy_errors_become_its_exceptions(live_server: Live) -> None:
    client = sdk_client(live_server)
    with pytest.raises(sdk_errors.ObjectNotFound):
        client.get_user("00000000-0000-0000-0000-000000000000")
    with pytest.raises(sdk_errors.IncorrectClientCredentials):
        sdk_client(live_server, secret="client_secret_wrong").get_all_users()
    user = client.create_user(user_body(), "127.0.0.1", fingerprint=FINGERPRINT)
    user.oauth()
    with pytest.raises(sdk_errors.PayloadError):
        bad = {
            **base_document(),
            "physical_docs": [
                {"document_type": "GOVT_ID", "document_value": "data:image/jpeg;base64,@@"}
            ],
        }
        user.update_info({"documents": [bad]})
    # A new device: the SDK's 2FA calls, with the sandbox pin.
    user.http.update_headers(fingerprint="another-device")
    with pytest.raises(sdk_errors.ActionPending):
        user.oauth()
    assert user.select_2fa_device("901.111.1111")["success"] is True
    with pytest.raises(sdk_errors.IncorrectValues):
        user.confirm_2fa_pin("000000")
    assert user.confirm_2fa_pin("123456")["oauth_key"]
    listed = client.get_all_users(per_page=50)
    assert listed.limit == 20 and listed.users_count == 1
