"""Fixtures of the SynapseFI dialect: apps with gateway credentials, users, and the
documents (generated ID pages, face photos shipped in PyPI packages) as data URLs."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from tests.checks.document.samples import adult
from tests.checks.face import images

from openkyc.bootstrap import System
from openkyc.checks.document.sample.photo import LEVELS, photograph
from openkyc.checks.document.sample.render import render
from openkyc.domain.app import service as apps
from openkyc.domain.credential import gateway

FINGERPRINT = "e83cf6ddcf778e37bfe3d48fc78a6502062fc"


@dataclass(frozen=True)
class Gateway:
    app_id: str
    client_id: str
    client_secret: str

    def headers(self, oauth_key: str = "", fingerprint: str = FINGERPRINT) -> dict[str, str]:
        return {
            "X-SP-GATEWAY": f"{self.client_id}|{self.client_secret}",
            "X-SP-USER": f"{oauth_key}|{fingerprint}",
            "X-SP-USER-IP": "127.0.0.1",
        }


def new_gateway(system: System, name: str = "acme", sandbox: bool = True) -> Gateway:
    with system.runtime.transaction() as ctx:
        app = apps.create_app(ctx, name)
        row, secret = gateway.create(ctx, app.id, sandbox)
    return Gateway(app.id, row.client_id, secret)


@pytest.fixture
def sandbox(system: System) -> Gateway:
    return new_gateway(system, "sandbox-app", sandbox=True)


@pytest.fixture
def live(system: System) -> Gateway:
    return new_gateway(system, "live-app", sandbox=False)


def data_url(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def id_page_with(face: np.ndarray, seed: int = 21) -> bytes:
    """A generated passport page whose portrait is a real face photo, photographed (JPEG):
    the document check reads it and crops the face the selfie is matched against."""
    page = render("TD3", adult(), "front", seed=seed, specimen=False)
    w, h = page.size
    box = (int(w * 0.04), int(h * 0.14), int(w * 0.30), int(h * 0.14) + int(w * 0.34))
    head = Image.fromarray(face[0:330, 110:370])  # the astronaut's head and shoulders
    page.paste(head.resize((box[2] - box[0], box[3] - box[1])), box[:2])
    return photograph(page, LEVELS["light"], seed=seed)


@pytest.fixture(scope="session")
def id_page() -> bytes:
    return id_page_with(images.astronaut())


@pytest.fixture(scope="session")
def face_photo() -> bytes:
    return images.jpeg(images.astronaut())


def user_body(email: str = "test@synapsefi.com", **extra: Any) -> dict[str, Any]:
    return {
        "logins": [{"email": email, "password": "Test1234", "scope": "READ_AND_WRITE"}],
        "phone_numbers": ["901.111.1111", email],
        "legal_names": ["Test User"],
        "extra": {"supp_id": "122eddfgbeafrfvbbb", "cip_tag": 1, "is_business": False, **extra},
    }


def base_document(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "email": "test@synapsefi.com",
        "phone_number": "901.111.1111",
        "ip": "::1",
        "name": "Test User",
        "alias": "Test",
        "entity_type": "M",
        "entity_scope": "Arts & Entertainment",
        "day": 2,
        "month": 5,
        "year": 1989,
        "address_street": "1 Market St.",
        "address_city": "SF",
        "address_subdivision": "CA",
        "address_postal_code": "94114",
        "address_country_code": "US",
    }
    doc.update(changes)
    return doc


@dataclass
class User:
    id: str
    oauth_key: str
    refresh_token: str
    body: dict[str, Any]


def create_user(client: TestClient, gw: Gateway, **body: Any) -> User:
    response = client.post("/v3.1/users", json={**user_body(), **body}, headers=gw.headers())
    assert response.status_code == 200, response.text
    user = response.json()
    grant = client.post(
        f"/v3.1/oauth/{user['_id']}",
        json={"refresh_token": user["refresh_token"]},
        headers=gw.headers(),
    )
    assert grant.status_code == 200, grant.text
    return User(user["_id"], grant.json()["oauth_key"], user["refresh_token"], user)


def patch(client: TestClient, gw: Gateway, user: User, body: dict[str, Any]) -> Any:
    return client.patch(f"/v3.1/users/{user.id}", json=body, headers=gw.headers(user.oauth_key))


def error_of(response: Any, status: int, code: str) -> str:
    """Assert SynapseFI's envelope; return the English message."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert body["error_code"] == code and body["http_code"] == str(status), body
    assert body["success"] is False and isinstance(body["error"]["en"], str), body
    return str(body["error"]["en"])
