"""Every sandbox test value of SynapseFI's documentation behaves as documented."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.synapsefi.conftest import Gateway, base_document, create_user, patch

VIRTUAL = ["SSN", "PASSPORT", "DRIVERS_LICENSE", "PERSONAL_IDENTIFICATION", "TIN", "DUNS", "OTHER"]


def sub_statuses(
    client: TestClient, gw: Gateway, user_id: str, category: str
) -> list[tuple[str, str]]:
    body = client.get(f"/v3.1/users/{user_id}", headers=gw.headers()).json()
    return [(s["document_type"], s["status"]) for s in body["documents"][0][f"{category}_docs"]]


def add(
    client: TestClient, gw: Gateway, base: dict[str, Any], category: str, subs: list[dict[str, str]]
) -> str:
    user = create_user(client, gw)
    response = patch(client, gw, user, {"documents": [{**base, f"{category}_docs": subs}]})
    assert response.status_code == 200, response.text
    return user.id


@pytest.mark.parametrize("value", ["777772222", "2222"])
def test_virtual_documents_ending_2222_are_valid(
    client: TestClient, sandbox: Gateway, value: str
) -> None:
    subs = [{"document_type": t, "document_value": value} for t in VIRTUAL]
    user_id = add(client, sandbox, base_document(), "virtual", subs)
    assert sub_statuses(client, sandbox, user_id, "virtual") == [
        (t, "SUBMITTED|VALID") for t in VIRTUAL
    ]


def test_other_virtual_values_are_invalid_in_sandbox(client: TestClient, sandbox: Gateway) -> None:
    subs = [{"document_type": t, "document_value": "777771111"} for t in VIRTUAL]
    user_id = add(client, sandbox, base_document(), "virtual", subs)
    assert sub_statuses(client, sandbox, user_id, "virtual") == [
        (t, "SUBMITTED|INVALID") for t in VIRTUAL
    ]


FAILING_SOCIAL = [
    ("FACEBOOK", "https://www.facebook.com/invalid"),
    ("LINKEDIN", "https://www.linkedin.com/in/invalid"),
    ("TWITTER", "https://twitter.com/invalid"),
]


def test_failing_social_values_are_a_complete_fail(client: TestClient, sandbox: Gateway) -> None:
    subs = [{"document_type": t, "document_value": v} for t, v in FAILING_SOCIAL]
    base = base_document(
        email="invalid@synapsefi.com", ip="255.255.255.0", phone_number="541-754-3010"
    )
    user_id = add(client, sandbox, base, "social", subs)
    found = dict(sub_statuses(client, sandbox, user_id, "social"))
    assert found == {
        "EMAIL": "SUBMITTED|INVALID|BLOCKED",
        "PHONE_NUMBER": "SUBMITTED|INVALID|BLOCKED",
        "IP": "SUBMITTED|INVALID|BLOCKED",
        "FACEBOOK": "SUBMITTED|INVALID|BLOCKED",
        "LINKEDIN": "SUBMITTED|INVALID|BLOCKED",
        "TWITTER": "SUBMITTED|INVALID|BLOCKED",
    }
    body = client.get(f"/v3.1/users/{user_id}", headers=sandbox.headers()).json()
    assert body["documents"][0]["permission_scope"] == "UNVERIFIED"


def test_other_social_values_pass(client: TestClient, sandbox: Gateway) -> None:
    subs = [{"document_type": "FACEBOOK", "document_value": "https://www.facebook.com/valid"}]
    user_id = add(client, sandbox, base_document(), "social", subs)
    assert {s for _, s in sub_statuses(client, sandbox, user_id, "social")} == {"SUBMITTED|VALID"}


def test_live_values_are_checked_by_their_validators(client: TestClient, live: Gateway) -> None:
    """Out of the sandbox, 2222 means nothing: python-stdnum decides."""
    subs = [
        {"document_type": "SSN", "document_value": "536-90-4399"},
        {"document_type": "TIN", "document_value": "12-34"},
        {"document_type": "PASSPORT", "document_value": "X4RT5Y2B9"},
    ]
    user_id = add(client, live, base_document(), "virtual", subs)
    assert sub_statuses(client, live, user_id, "virtual") == [
        ("SSN", "SUBMITTED|VALID"),
        ("TIN", "SUBMITTED|INVALID"),
        ("PASSPORT", "SUBMITTED|REVIEWING"),  # no validator: a reviewer decides
    ]


def test_a_number_another_user_declared_goes_to_a_reviewer(
    client: TestClient, live: Gateway
) -> None:
    subs = [{"document_type": "SSN", "document_value": "536-90-4399"}]
    add(client, live, base_document(), "virtual", subs)
    again = add(
        client,
        live,
        base_document(),
        "virtual",
        [{"document_type": "SSN", "document_value": "536904399"}],
    )
    assert sub_statuses(client, live, again, "virtual") == [("SSN", "SUBMITTED|REVIEWING")]
