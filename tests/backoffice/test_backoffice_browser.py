"""The back office in a real browser (Debian's chromium driven by Playwright) against a live
server whose embedded workers run the real checks: a passport of a listed person is read,
AML screening finds the hit, a reviewer signs in with a TOTP code, clears the hit and
approves; the tenant's webhook receiver gets the signed events. Screenshots of the main
pages at mobile and desktop widths; axe-core finds no serious violation."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pyotp
from tests.backoffice.conftest import AXE, DESKTOP, MOBILE, BrowserThread, Live, new_page
from tests.backoffice.helpers import PASSWORD, make_user
from tests.checks.document.samples import adult, picture
from tests.conftest import ADMIN_TOKEN
from tests.servers import Receiver, http_receiver, wait_for
from tests.test_aml_step import FIXTURES, load_list

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
LISTED = adult(
    lastname="PUTIN",
    firstname="VLADIMIR",
    birth_date=date(1952, 10, 7),
    sex="M",
    nationality="RUS",
    issuing_state="RUS",
    birth_place="LENINGRAD",
)
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def shoot(page: Any, shots: Path, name: str) -> None:
    """The page at desktop and mobile widths (full height), then back to desktop."""
    for label, size in (("desktop", DESKTOP), ("mobile", MOBILE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(shots / f"backoffice-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def audit(page: Any) -> None:
    """No Content-Security-Policy violation, and (when axe-core is installed) no serious
    accessibility violation."""
    assert page.evaluate("window.__cspViolations") == []
    if not AXE.exists():
        return
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    assert found == [], found


def drive_to_review(api: httpx.Client, receiver: Receiver) -> dict[str, str]:
    """A tenant app with a webhook; a session whose passport is submitted: the document
    check, then the AML screening, run in the server's workers."""
    flow = ["ID_DOCUMENT", "AML"]
    created = api.post("/admin/apps", json={"name": "Acme Exchange", "flow": flow}, headers=ADMIN)
    assert created.status_code == 201, created.text
    app_id, key = created.json()["app_id"], created.json()["api_key"]
    hook = api.post(f"/admin/apps/{app_id}/webhooks", json={"url": receiver.url}, headers=ADMIN)
    assert hook.status_code == 201, hook.text
    init = api.post("/v4/session/init", json={"alias": "vladimir-p"}, headers={"Api-Key": key})
    session_id = init.json()["session_id"]
    details = api.get(f"/v4/individual/session/{session_id}", headers={"Api-Key": key}).json()
    ids = {s["type"]: s["id"] for s in details["session"]["steps"]}
    sent = api.post(
        f"/v3/step/submit?step_id={ids['ID_DOCUMENT']}",
        files={"front": ("front.jpg", picture("TD3", LISTED, "light", seed=31), "image/jpeg")},
        data={"document_type": "PASSPORT", "country": "RUS"},
        headers={"Session-Id": session_id},
    )
    assert sent.status_code == 200, sent.text
    return {"app_id": app_id, "key": key, "session_id": session_id, **ids}


def step_status(api: httpx.Client, case: dict[str, str], step: str) -> str:
    url = f"/v4/individual/session/{case['session_id']}/step/{case[step]}"
    return str(api.get(url, headers={"Api-Key": case["key"]}).json()["status"])


def sign_in(page: Any, email: str, totp: str = "") -> None:
    page.goto("/backoffice/queue")
    assert "/backoffice/login" in page.url  # signed out: sent to the login page
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if totp:
        page.wait_for_url("**/backoffice/login/totp**")
        audit(page)
        page.get_by_label("Code").fill(pyotp.TOTP(totp).now())
        page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/backoffice/queue")


def test_reviewer_clears_an_aml_hit_and_approves_in_the_browser(
    live: Live, browser: BrowserThread, shots: Path
) -> None:
    load_list(live.system, FIXTURES / "eu.xml", "eu")
    secret = make_user(live.system, "rita@example.com", "reviewer", totp=True)
    make_user(live.system, "ada@example.com", "admin")
    with http_receiver() as receiver, httpx.Client(base_url=live.url, timeout=10) as api:
        case = drive_to_review(api, receiver)
        browser.run(review, live, api, receiver, case, secret, shots)
        assert step_status(api, case, "AML") == "APPROVED"
        browser.run(administer, live, case, shots)


def review(
    chromium: Any,
    live: Live,
    api: httpx.Client,
    receiver: Receiver,
    case: dict[str, str],
    totp: str,
    shots: Path,
) -> None:
    with new_page(chromium, live.url) as page:
        sign_in(page, "rita@example.com", totp=totp)
        wait_for(lambda: step_status(api, case, "AML") == "PENDING_VERIFICATION", "AML", 60)
        page.reload()
        audit(page)
        page.get_by_label("Step type").select_option("AML")  # htmx swaps the results in
        page.wait_for_url("**type=AML**")
        assert page.locator("#queue-total").inner_text() == "1"
        shoot(page, shots, "queue")
        page.get_by_role("link", name="vladimir-p").click()
        page.wait_for_url(f"**/sessions/{case['session_id']}**")
        mrz = page.locator(f"#step-{case['ID_DOCUMENT']} .mrz")
        assert "P<RUS" in mrz.locator(".mrz-lines").inner_text()
        assert mrz.locator(".checks .ok").count() >= 4 and mrz.locator(".ko").count() == 0
        hit = page.locator(f"#step-{case['AML']} article.hit")
        assert "eu-13" in hit.inner_text() and "birth_date" in hit.inner_text()
        audit(page)
        shoot(page, shots, "session")
        hit.get_by_role("button", name="Clear as false positive").click()
        page.wait_for_selector(f"#step-{case['AML']} article.hit.hit-cleared")
        page.locator(f"#step-{case['AML']}").get_by_role("button", name="Approve").click()
        page.wait_for_selector(".flash")
        assert "approve recorded" in page.locator(".flash").inner_text()
        wait_for(lambda: approved(receiver, case["session_id"]), "the APPROVED webhooks", 20)
        assert page.goto("/backoffice/admin/apps").status == 403  # a reviewer's limits


def approved(receiver: Receiver, session_id: str) -> bool:
    seen = {(r.json()["step_id"] != "", r.json()["status"]) for r in receiver.requests}
    payloads = [r.json() for r in receiver.requests]
    return (False, "APPROVED") in seen and all(p["session_id"] == session_id for p in payloads)


def administer(chromium: Any, live: Live, case: dict[str, str], shots: Path) -> None:
    with new_page(chromium, live.url) as page:
        sign_in(page, "ada@example.com")
        page.goto(f"/backoffice/admin/apps/{case['app_id']}")
        audit(page)
        shoot(page, shots, "app")
        page.get_by_label("sandbox").check()
        page.get_by_role("button", name="Create a key").click()
        key = page.locator("#secret").inner_text()
        assert key.startswith("sk_test_")
        page.goto(f"/backoffice/admin/apps/{case['app_id']}")
        assert key not in page.content()  # shown once only
        page.goto(f"/backoffice/admin/apps/{case['app_id']}/deliveries")
        assert page.locator("td .status-delivered").count() >= 3
        page.get_by_role("button", name="Replay").first.click()
        assert "sent again" in page.locator(".flash").inner_text()
        audit(page)
        shoot(page, shots, "deliveries")


def test_applicant_text_is_inert_in_the_browser(live: Live, browser: BrowserThread) -> None:
    make_user(live.system, "rita@example.com", "reviewer")
    flow = [{"type": "PROOF_OF_ADDRESS", "settings": {"manual_review": True}}]
    with httpx.Client(base_url=live.url, timeout=10) as api:
        created = api.post("/admin/apps", json={"name": "x", "flow": flow}, headers=ADMIN)
        key = created.json()["api_key"]
        init = api.post("/v4/session/init", json={"alias": XSS}, headers={"Api-Key": key})
        session_id = init.json()["session_id"]
        steps = api.get(f"/v4/individual/session/{session_id}", headers={"Api-Key": key}).json()
        sent = api.post(
            f"/v3/step/submit?step_id={steps['session']['steps'][0]['id']}",
            files={"document": ("bill.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
            data={"address": XSS, "city": json.dumps(XSS), "zip_code": "1", "country": "FRA"},
            headers={"Session-Id": session_id},
        )
        assert sent.status_code == 200, sent.text
    browser.run(inert, live)


def inert(chromium: Any, live: Live) -> None:
    with new_page(chromium, live.url) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        sign_in(page, "rita@example.com")
        page.get_by_role("link", name=XSS).click()
        page.wait_for_selector("table.compare")
        assert page.evaluate("window.__xss") is None and dialogs == []
        assert XSS in page.locator("table.compare").inner_text()
        audit(page)
