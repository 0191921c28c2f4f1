"""Document uploads (`POST /v3/step/submit`) and the signed, expiring file links (`/files`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from tests.conftest import new_app
from tests.helpers import (
    JPEG,
    PDF,
    decide,
    error_message,
    init_session,
    manual,
    png_bytes,
    set_flow,
    step_ids,
    upload,
)

from openkyc.app import create_app
from openkyc.bootstrap import System, build_system
from openkyc.kit.signing import sign_link
from openkyc.settings import Settings

MB = 1024 * 1024


@pytest.fixture
def document(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> dict[str, str]:
    """A session of an app whose flow is one ID_DOCUMENT step."""
    set_flow(client, admin_headers, tenant["app_id"], manual("ID_DOCUMENT"))
    sid = init_session(client, tenant["api_key"])
    return {
        **tenant,
        "session_id": sid,
        "step_id": step_ids(client, tenant["api_key"], sid)["ID_DOCUMENT"],
    }


def _details(client: TestClient, doc: dict[str, str]) -> dict[str, Any]:
    r = client.get(
        f"/v4/individual/session/{doc['session_id']}/step/{doc['step_id']}",
        headers={"Api-Key": doc["api_key"]},
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def _submit(client: TestClient, doc: dict[str, str], files: Any, **kwargs: Any) -> Any:
    return upload(client, doc["session_id"], doc["step_id"], files, **kwargs)


def _status(client: TestClient, doc: dict[str, str]) -> str:
    return str(_details(client, doc)["status"])


def test_front_and_back_are_accepted_and_served_back_exactly(
    client: TestClient, document: dict[str, str]
) -> None:
    front, back = png_bytes(1, size=8), JPEG
    r = _submit(
        client,
        document,
        {"front": ("front.png", front, "image/png"), "back": ("back.jpg", back, "image/jpeg")},
        data={"document_type": "PASSPORT", "country": "FRA"},
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"id": document["step_id"], "status": "PENDING_VERIFICATION"}
    payload = _details(client, document)["document"]
    assert payload["type"] == "PASSPORT" and payload["country"] == "FRA"
    originals = payload["original_files"]
    assert set(originals) == {"front", "back"}
    assert payload["files"] == originals  # nothing processed yet
    for name, data, content_type in (("front", front, "image/png"), ("back", back, "image/jpeg")):
        described = originals[name]
        assert set(described) == {"url", "type", "size"}
        assert (described["type"], described["size"]) == (content_type, len(data))
        url = urlsplit(described["url"])
        assert (url.scheme, url.netloc) == ("http", "testserver")
        query = parse_qs(url.query)
        assert set(query) == {"expires", "signature"}
        # Valid 15 minutes.
        assert 895 <= int(query["expires"][0]) - time.time() <= 901
        got = client.get(described["url"])
        assert got.status_code == 200, got.text
        assert got.content == data
        assert got.headers["content-type"] == content_type
        assert got.headers["x-content-type-options"] == "nosniff"
        assert "no-store" in got.headers["cache-control"]


def test_a_pdf_front_is_accepted(client: TestClient, document: dict[str, str]) -> None:
    r = _submit(client, document, {"front": ("scan.pdf", PDF, "application/pdf")})
    assert r.status_code == 200, r.text
    front = _details(client, document)["document"]["original_files"]["front"]
    assert front["type"] == "application/pdf"
    assert client.get(front["url"]).content == PDF


def test_the_type_is_sniffed_from_the_bytes_not_the_client(
    client: TestClient, document: dict[str, str]
) -> None:
    data = png_bytes(2)
    r = _submit(client, document, {"front": ("x.pdf", data, "application/pdf")})
    assert r.status_code == 200, r.text
    front = _details(client, document)["document"]["original_files"]["front"]
    assert front["type"] == "image/png"
    assert client.get(front["url"]).headers["content-type"] == "image/png"


NOT_ACCEPTED = [
    b"just some text pretending to be a photo\n" * 10,
    b"<html><script>alert(1)</script></html>",
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",  # an image, but not one the step accepts
    b"PK\x03\x04" + b"\x00" * 100,  # a zip
]


def test_bytes_of_a_type_the_field_does_not_accept_are_415(
    client: TestClient, document: dict[str, str], subtests: Any
) -> None:
    for data in NOT_ACCEPTED:
        with subtests.test(data=data[:12]):
            r = _submit(client, document, {"front": ("photo.jpg", data, "image/jpeg")})
            assert "accepted" in error_message(r, 415)
            assert _status(client, document) == "SUBMISSION_REQUIRED"


def test_a_field_only_takes_its_own_types(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    set_flow(client, admin_headers, tenant["app_id"], manual("PROOF_OF_ADDRESS"))
    sid = init_session(client, tenant["api_key"])
    step = step_ids(client, tenant["api_key"], sid)["PROOF_OF_ADDRESS"]
    # The proof of accommodation must be a PDF.
    r = upload(
        client,
        sid,
        step,
        {
            "document": ("bill.pdf", PDF, "application/pdf"),
            "accomodation_proof": ("a.png", png_bytes(), "image/png"),
        },
    )
    assert "application/pdf" in error_message(r, 415)


def test_a_file_over_the_per_file_limit_is_413(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    # Proof of address documents are limited to 4 MB by default.
    set_flow(client, admin_headers, tenant["app_id"], manual("PROOF_OF_ADDRESS"))
    sid = init_session(client, tenant["api_key"])
    step = step_ids(client, tenant["api_key"], sid)["PROOF_OF_ADDRESS"]
    big = png_bytes() + b"\x00" * (4 * MB)
    r = upload(client, sid, step, {"document": ("bill.png", big, "image/png")})
    assert "limit" in error_message(r, 413)
    ok = upload(client, sid, step, {"document": ("bill.png", png_bytes(), "image/png")})
    assert ok.status_code == 200, ok.text


def test_a_flow_setting_lowers_the_per_file_limit(
    client: TestClient, tenant: dict[str, str], admin_headers: dict[str, str]
) -> None:
    flow = [{"type": "ID_DOCUMENT", "settings": {"max_file_bytes": 1000, "manual_review": True}}]
    set_flow(client, admin_headers, tenant["app_id"], flow)
    sid = init_session(client, tenant["api_key"])
    step = step_ids(client, tenant["api_key"], sid)["ID_DOCUMENT"]
    big = png_bytes() + b"\x00" * 1000
    r = upload(client, sid, step, {"front": ("f.png", big, "image/png")})
    assert "the limit is 1000" in error_message(r, 413)


@pytest.fixture
def small_body_client(settings: Settings) -> Iterator[tuple[TestClient, System]]:
    """A server whose whole request bodies may not exceed 64 KiB."""
    small = settings.model_copy(update={"max_upload_bytes": 64 * 1024})
    system = build_system(small)
    with TestClient(create_app(small, system, workers=False)) as client:
        yield client, system
    system.runtime.engine.dispose()


def test_a_body_over_max_upload_bytes_is_413(
    small_body_client: tuple[TestClient, System], admin_headers: dict[str, str]
) -> None:
    client, system = small_body_client
    app = new_app(system, "small", flow=manual("ID_DOCUMENT"))
    sid = init_session(client, app["api_key"])
    step = step_ids(client, app["api_key"], sid)["ID_DOCUMENT"]
    big = png_bytes() + b"\x00" * (64 * 1024)
    r = upload(client, sid, step, {"front": ("f.png", big, "image/png")})
    assert "65536" in error_message(r, 413)

    # Without a Content-Length (chunked), the body is cut off as it streams in.
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"x" * 8192

    r = client.post(
        f"/v3/step/submit?step_id={step}",
        content=chunks(),
        headers={"Session-Id": sid, "Content-Type": "multipart/form-data; boundary=b"},
    )
    error_message(r, 413)
    # A JSON body too, even though the framework would call the cut body unparsable.
    r = client.post(
        "/v4/session/init",
        content=iter([b'{"alias": "', b"a" * 70_000, b'"}']),
        headers={"Api-Key": app["api_key"], "Content-Type": "application/json"},
    )
    error_message(r, 413)
    status = client.get(
        f"/v4/individual/session/{sid}", headers={"Api-Key": app["api_key"]}
    ).json()["session"]["status"]
    assert status == "SUBMISSION_REQUIRED"
    # Small bodies still pass.
    r = upload(client, sid, step, {"front": ("f.png", png_bytes(), "image/png")})
    assert r.status_code == 200, r.text


MISSING_OR_UNEXPECTED: list[tuple[dict[str, Any], str]] = [
    ({"selfie": ("s.png", png_bytes(), "image/png")}, "'front' is required"),
    ({"back": ("b.png", png_bytes(), "image/png")}, "'front' is required"),
    (
        {"front": ("f.png", png_bytes(), "image/png"), "selfie": ("s.png", png_bytes(), "x")},
        "no file named 'selfie'",
    ),
    ({"front": ("f.png", b"", "image/png")}, "empty"),
    ({}, "'front' is required"),
]


def test_missing_or_unexpected_fields_are_422(
    client: TestClient, document: dict[str, str], subtests: Any
) -> None:
    for files, fragment in MISSING_OR_UNEXPECTED:
        with subtests.test(fields=sorted(files)):
            r = _submit(client, document, files)
            assert fragment in error_message(r, 422)
            assert _status(client, document) == "SUBMISSION_REQUIRED"


def test_a_json_body_is_not_an_upload(client: TestClient, document: dict[str, str]) -> None:
    r = client.post(
        f"/v3/step/submit?step_id={document['step_id']}",
        json={"front": "aGVsbG8="},
        headers={"Session-Id": document["session_id"]},
    )
    assert "'front' is required" in error_message(r, 422)


def test_too_many_parts_are_refused(client: TestClient, document: dict[str, str]) -> None:
    files = [("front", (f"f{i}.png", png_bytes(i), "image/png")) for i in range(9)]
    r = client.post(
        f"/v3/step/submit?step_id={document['step_id']}",
        files=files,
        headers={"Session-Id": document["session_id"]},
    )
    error_message(r, 400)


def test_submitting_twice_while_pending_is_409(
    client: TestClient, document: dict[str, str]
) -> None:
    files = {"front": ("f.png", png_bytes(), "image/png")}
    assert _submit(client, document, files).status_code == 200
    assert "PENDING_VERIFICATION" in error_message(_submit(client, document, files), 409)


def test_a_resubmission_is_attempt_two_with_its_own_files(
    client: TestClient, document: dict[str, str], admin_headers: dict[str, str]
) -> None:
    first, second = png_bytes(10), png_bytes(20)
    _submit(client, document, {"front": ("f.png", first, "image/png")})
    old_url = _details(client, document)["document"]["original_files"]["front"]["url"]
    decide(
        client, admin_headers, document["app_id"], document["step_id"], "resubmit", "BAD_QUALITY"
    )
    r = _submit(client, document, {"front": ("f.png", second, "image/png")})
    assert r.status_code == 200, r.text
    front = _details(client, document)["document"]["original_files"]["front"]
    assert client.get(front["url"]).content == second
    # The first attempt's evidence is kept, not overwritten.
    assert client.get(old_url).content == first
    record = client.get(
        f"/admin/apps/{document['app_id']}/steps/{document['step_id']}", headers=admin_headers
    ).json()
    assert [(a["number"], a["status"]) for a in record["attempts"]] == [
        (1, "RESUBMISSION_REQUIRED"),
        (2, "PENDING_VERIFICATION"),
    ]


def test_files_are_encrypted_at_rest(
    client: TestClient, document: dict[str, str], tmp_path: Path
) -> None:
    data = png_bytes(7, size=16)
    _submit(client, document, {"front": ("f.png", data, "image/png")})
    url = _details(client, document)["document"]["original_files"]["front"]["url"]
    file_id = urlsplit(url).path.rsplit("/", 1)[1]
    blob = (tmp_path / "files" / document["app_id"] / file_id).read_bytes()
    assert data not in blob
    assert b"PNG" not in blob and b"IHDR" not in blob
    assert len(blob) >= len(data) + 16  # nonce and tag around the ciphertext
    stored = [p for p in (tmp_path / "files").rglob("*") if p.is_file()]
    assert stored == [tmp_path / "files" / document["app_id"] / file_id]


def _signed(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    return parts.path, query["expires"][0], query["signature"][0]


def test_tampered_links_are_403(client: TestClient, document: dict[str, str]) -> None:
    _submit(client, document, {"front": ("f.png", png_bytes(), "image/png")})
    url = _details(client, document)["document"]["original_files"]["front"]["url"]
    path, expires, signature = _signed(url)
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    for query in (
        f"expires={expires}&signature={flipped}",
        f"expires={int(expires) + 3600}&signature={signature}",
        f"expires={expires}&signature={signature[:-1]}",
        f"expires={expires}&signature={signature.upper()}",
        f"expires={expires}&signature=%C3%A9{signature[2:]}",
        f"expires=+{expires}&signature={signature}",
        f"expires=abc&signature={signature}",
    ):
        assert "link" in error_message(client.get(f"{path}?{query}"), 403), query
    error_message(client.get(path), 422)
    error_message(client.get(f"{path}?expires={expires}"), 422)


def test_an_expired_link_is_410(
    client: TestClient, document: dict[str, str], system: System
) -> None:
    _submit(client, document, {"front": ("f.png", png_bytes(), "image/png")})
    url = _details(client, document)["document"]["original_files"]["front"]["url"]
    path = urlsplit(url).path
    expired = int(time.time()) - 1
    signature = sign_link(system.runtime.ports.crypto.link_key, path, expired)
    r = client.get(f"{path}?expires={expired}&signature={signature}")
    assert "expired" in error_message(r, 410)


def test_another_apps_file_cannot_be_reached_with_a_link_of_ours(
    client: TestClient, document: dict[str, str], system: System, admin_headers: dict[str, str]
) -> None:
    other = new_app(system, "other", flow=manual("ID_DOCUMENT"))
    other_doc = {**other, "session_id": init_session(client, other["api_key"])}
    other_doc["step_id"] = step_ids(client, other["api_key"], other_doc["session_id"])[
        "ID_DOCUMENT"
    ]
    theirs = png_bytes(99)
    _submit(client, other_doc, {"front": ("f.png", theirs, "image/png")})
    _submit(client, document, {"front": ("f.png", png_bytes(1), "image/png")})
    their_path = urlsplit(
        _details(client, other_doc)["document"]["original_files"]["front"]["url"]
    ).path
    _, expires, signature = _signed(
        _details(client, document)["document"]["original_files"]["front"]["url"]
    )
    r = client.get(f"{their_path}?expires={expires}&signature={signature}")
    error_message(r, 403)
    assert theirs not in r.content


def test_a_signed_link_to_a_deleted_file_is_404(client: TestClient, system: System) -> None:
    path = "/files/2b1f6f64-6b4f-4a51-9d0e-6d7f6a1e9b11"
    expires = int(time.time()) + 60
    signature = sign_link(system.runtime.ports.crypto.link_key, path, expires)
    error_message(client.get(f"{path}?expires={expires}&signature={signature}"), 404)


def test_uploads_need_the_session_id_of_the_step(
    client: TestClient, document: dict[str, str], tenant: dict[str, str]
) -> None:
    files = {"front": ("f.png", png_bytes(), "image/png")}
    error_message(upload(client, "", document["step_id"], files), 401)
    other = init_session(client, tenant["api_key"])
    error_message(upload(client, other, document["step_id"], files), 404)
    assert _status(client, document) == "SUBMISSION_REQUIRED"


def test_the_body_limit_answers_in_each_dialects_envelope(
    small_body_client: tuple[TestClient, System],
) -> None:
    client, system = small_body_client
    key = new_app(system, "limits")["api_key"]
    big = b'{"logins": [{"email": "' + b"a" * 70_000 + b'"}]}'
    # Declared too large (Content-Length), then streamed without one.
    for streamed in (False, True):

        def body() -> Any:
            return iter([big[:100], big[100:]]) if streamed else big

        r = client.post("/v3.1/users", content=body(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413, r.text
        answer = r.json()
        assert answer["success"] is False and answer["http_code"] == "413"
        assert "65536" in answer["error"]["en"]

        r = client.post(
            "/v0/persons",
            content=body(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        )
        assert r.status_code == 400, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "65536" in r.json()["detail"], r.text
