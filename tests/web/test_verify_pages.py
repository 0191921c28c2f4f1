"""The hosted pages over HTTP (no browser): unknown links, tenant isolation, languages,
reasons, escaping, the Content-Security-Policy and the redirect back to the tenant."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import new_app
from tests.helpers import decide, init_session, manual, step_ids

from openkyc.bootstrap import System
from openkyc.domain.step.reasons import LANGUAGES, REASONS
from openkyc.web.verify import i18n
from openkyc.web.verify.view import safe_redirect

TEMPLATES = Path(__file__).parents[2] / "src" / "openkyc" / "web" / "templates" / "verify"
PAYLOAD = '"><script>window.__xss=1</script><img src=x onerror="window.__xss=1">'


def page(client: TestClient, session_id: str, **headers: str) -> Any:
    return client.get("/verify", params={"session_id": session_id}, headers=headers)


@pytest.mark.parametrize(
    "session_id",
    ["unknown", "0" * 36, "x" * 5000, "a\x00b", "é" * 10, " ", "' OR 1=1 --"],
    ids=["unknown", "uuid-like", "huge", "nul", "unicode", "blank", "sql"],
)
def test_an_unknown_link_is_a_clear_page_not_a_crash(client: TestClient, session_id: str) -> None:
    response = page(client, session_id)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "This verification link is not valid" in response.text
    header = session_id.encode()[:200] if "\x00" not in session_id else b"x"  # raw bytes
    fragment = client.get("/verify/view", headers={"Session-Id": header})
    assert fragment.status_code == 404 and "Link not valid" in fragment.text


def test_without_an_id_the_page_asks_for_the_link(client: TestClient) -> None:
    response = client.get("/verify")
    assert response.status_code == 200
    assert "Open your verification link" in response.text
    assert client.get("/verify/view").status_code == 404


def test_a_link_shows_its_own_session_only(client: TestClient, system: System) -> None:
    one = new_app(system, "First Bank", flow=["PHONE", "EMAIL"])
    other = new_app(system, "Other Shop", flow=["PHONE", "EMAIL"])
    mine = init_session(client, one["api_key"], "mine")
    theirs = init_session(client, other["api_key"], "theirs")
    their_steps = step_ids(client, other["api_key"], theirs)
    for response in (
        page(client, mine),
        client.get("/verify/view", headers={"Session-Id": mine}),
    ):
        assert response.status_code == 200
        assert "First Bank" in response.text and "Other Shop" not in response.text
        assert theirs not in response.text
        assert not any(step in response.text for step in their_steps.values())
    assert step_ids(client, one["api_key"], mine)["PHONE"] in page(client, mine).text


def test_pages_carry_a_strict_policy_and_no_inline_code(client: TestClient, system: System) -> None:
    tenant = new_app(system, flow=["PHONE", "ID_DOCUMENT", "LIVENESS", "PROOF_OF_ADDRESS"])
    sid = init_session(client, tenant["api_key"])
    for response in (page(client, sid), page(client, "unknown"), client.get("/verify")):
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["referrer-policy"] == "no-referrer"
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S)
        assert scripts and all('src="/static/' in attrs and not body for attrs, body in scripts)
        assert not re.search(r"\sstyle=|\son[a-z]+=", response.text)
    htmx = client.get("/static/vendor/htmx.min.js")
    assert htmx.status_code == 200 and htmx.text.startswith("/*! htmx 2.0.8")


@pytest.mark.parametrize(
    ("accept", "query", "lang", "title"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.5", None, "fr", "Numéro de téléphone"),
        ("de", None, "de", "Telefonnummer"),
        ("es-419", None, "es", "Número de teléfono"),
        ("ja, zh;q=0.5", None, "en", "Phone number"),
        ("de", "es", "es", "Número de teléfono"),
        ("fr", "xx", "fr", "Numéro de téléphone"),
    ],
)
def test_the_language_follows_the_browser_or_the_switcher(
    client: TestClient, system: System, accept: str, query: str | None, lang: str, title: str
) -> None:
    tenant = new_app(system, flow=["PHONE"])
    sid = init_session(client, tenant["api_key"])
    params = {"session_id": sid, **({"lang": query} if query else {})}
    response = client.get("/verify", params=params, headers={"Accept-Language": accept})
    assert f'<html lang="{lang}">' in response.text
    assert f'<h1 id="title">{title}</h1>' in response.text


def test_every_language_has_every_text_the_templates_use() -> None:
    keys = {lang: set(i18n.catalogue(lang)) for lang in LANGUAGES}
    assert all(found == keys["en"] for found in keys.values()), keys
    used = set()
    for template in TEMPLATES.rglob("*.html"):
        used |= set(re.findall(r"""t\(["']([a-zA-Z_.]+)["']\s*[,)]""", template.read_text()))
    assert used and used <= keys["en"], used - keys["en"]
    for lang in LANGUAGES:
        words = i18n.catalogue(lang)
        assert all(words[f"liveness.{c}"] for c in ("turn_left", "look_up", "come_closer"))
    names = dict(i18n.countries("de"))
    assert names["DEU"] == "Deutschland" and dict(i18n.countries("fr"))["DEU"] == "Allemagne"


def test_a_resubmission_shows_the_reason_in_the_applicants_language(
    client: TestClient, system: System, admin_headers: dict[str, str]
) -> None:
    tenant = new_app(system, PAYLOAD, sandbox=True, flow=manual("PHONE", "EMAIL"))
    sid = init_session(client, tenant["api_key"])
    phone = step_ids(client, tenant["api_key"], sid)["PHONE"]
    applicant = {"Session-Id": sid}
    sent = client.post(
        f"/v3/phone/send?step_id={phone}", json={"phone_number": "+33686521748"}, headers=applicant
    )
    assert sent.status_code == 200, sent.text
    verified = client.post(
        f"/v3/phone/verify?step_id={phone}", json={"code": "000000"}, headers=applicant
    )
    assert verified.status_code == 200, verified.text
    assert '<h1 id="title">Email address</h1>' in page(client, sid).text  # phone is pending
    answer = decide(
        client, admin_headers, tenant["app_id"], phone, "resubmit", "PHONE_NUMBER_INVALID", PAYLOAD
    )
    assert answer.status_code == 200, answer.text

    html = page(client, sid, **{"Accept-Language": "fr"}).text
    assert '<h1 id="title">Numéro de téléphone</h1>' in html
    assert REASONS["PHONE_NUMBER_INVALID"]["fr"].replace("'", "&#39;") in html
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html  # the note and the app name


def test_the_completion_page_says_how_it_ended(
    client: TestClient, system: System, admin_headers: dict[str, str]
) -> None:
    tenant = new_app(system, "acme", sandbox=True, flow=manual("PHONE"))
    back = "https://shop.example/kyc/done?user=42&x=<b>"
    sid = init_session(client, tenant["api_key"], metadata={"redirect_url": back})
    phone = step_ids(client, tenant["api_key"], sid)["PHONE"]
    headers = {"Session-Id": sid}
    client.post(
        f"/v3/phone/send?step_id={phone}", json={"phone_number": "+33686521748"}, headers=headers
    )
    client.post(f"/v3/phone/verify?step_id={phone}", json={"code": "000000"}, headers=headers)
    pending = page(client, sid).text
    assert "It is being reviewed" in pending
    assert 'href="https://shop.example/kyc/done?user=42&amp;x=&lt;b&gt;"' in pending
    assert "Return to shop.example" in pending
    assert (
        decide(
            client, admin_headers, tenant["app_id"], phone, "reject", "MANUAL_REJECTION"
        ).status_code
        == 200
    )
    assert "We could not verify your identity" in page(client, sid).text


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/",
        "/relative",
        "ftp://files.example/",
        "https://user:pass@bank.example/",
        "https://bank.example@evil.example/",
        "https:///nohost",
        "https://exa mple.com/",
        "https://example.com/\r\nSet-Cookie: a=b",
        "https://example.com:99999/",
        "",
    ],
)
def test_only_plain_http_redirects_are_offered(url: str) -> None:
    assert safe_redirect(url) is None


def test_plain_redirects_are_kept_as_given() -> None:
    for url in ("https://shop.example/done?x=1#top", "http://127.0.0.1:8080/back"):
        assert safe_redirect(url) == url
    assert safe_redirect(None) is None and safe_redirect(["https://a.example"]) is None


def test_a_bad_redirect_is_not_rendered(client: TestClient, system: System) -> None:
    tenant = new_app(system, sandbox=True, flow=["AML"])  # nothing for the applicant to do
    sid = init_session(client, tenant["api_key"], metadata={"redirect_url": "javascript:alert(1)"})
    html = page(client, sid).text
    assert "Thank you" in html and "javascript:" not in html and "Return to" not in html


def test_the_scripts_get_their_texts_as_data_not_code(client: TestClient, system: System) -> None:
    tenant = new_app(system, flow=["PHONE"])
    html = page(client, init_session(client, tenant["api_key"]), **{"Accept-Language": "de"}).text
    found = re.search(r'data-words="([^"]*)"', html)
    assert found
    words = json.loads(
        found.group(1).replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
    )
    assert words["otp"]["resend_in"] == i18n.catalogue("de")["otp.resend_in"]
