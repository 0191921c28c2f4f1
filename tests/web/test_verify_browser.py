"""The hosted pages in a real browser, one concern at a time: languages, unknown links,
escaping, the code throttle, a two-sided document from files."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import func, select
from tests.web import camera, documents
from tests.web.conftest import ADMIN, Live, audit, shoot
from tests.web.test_verify_journey import fill_address

from openkyc.domain.file import service as files
from openkyc.domain.step import repository as steps_repo
from openkyc.domain.step.reasons import REASONS
from openkyc.models import OneTimeCode

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def injected(page: Any) -> bool:
    return bool(page.evaluate("() => window.__xss === 1 || !!document.querySelector('img[src=x]')"))


def test_language_from_the_browser_then_the_switcher_kept_over_a_reload(
    browser: Any, live: Live, shots: Path
) -> None:
    tenant = live.tenant(["EMAIL"])
    sid = live.session(tenant["api_key"])
    context = browser.new_context(
        locale="de-DE", base_url=live.url, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(f"/verify?session_id={sid}")
    expect(page.locator("h1")).to_have_text("E-Mail-Adresse")
    assert page.evaluate("() => document.documentElement.lang") == "de"

    page.get_by_role("button", name="Français").click()
    expect(page.locator("h1")).to_have_text("Adresse e-mail")
    assert page.evaluate("() => document.documentElement.lang") == "fr"
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")

    page.reload()  # the address bar no longer holds the id: the tab kept it
    assert "session_id" not in page.url
    expect(page.locator("h1")).to_have_text("Adresse e-mail")
    page.get_by_role("button", name="Español").click()
    expect(page.locator("h1")).to_have_text("Correo electrónico")
    shoot(page, shots, "email-es")
    context.close()


def test_an_unknown_link_says_so(page: Any, live: Live, shots: Path) -> None:
    response = page.goto("/verify?session_id=00000000-0000-0000-0000-000000000000")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Link not valid")
    audit(page)
    shoot(page, shots, "notfound")
    page.goto("/verify")  # a fresh tab without the link
    expect(page.locator("h1")).to_have_text("Open your verification link")


def test_text_from_outside_renders_inert(page: Any, live: Live) -> None:
    tenant = live.tenant(["PHONE"], name=XSS)
    sid = live.session(tenant["api_key"])
    page.goto(f"/verify?session_id={sid}")
    expect(page.locator(".intro")).to_contain_text(XSS)  # shown as text
    page.get_by_role("textbox", name="Mobile phone number").fill(XSS)
    page.get_by_role("button", name="Send me a code").click()
    expect(page.locator(".otp .error")).to_have_text(
        "Some information is not valid. Check it and try again."
    )
    assert not injected(page)
    audit(page)


def test_wrong_codes_and_the_resend_throttle(page: Any, live: Live, shots: Path) -> None:
    tenant = live.tenant(["PHONE", "EMAIL"])
    sid = live.session(tenant["api_key"])
    page.clock.install()
    page.goto(f"/verify?session_id={sid}")
    page.get_by_role("textbox", name="Mobile phone number").fill("+33 6 86 52 17 48")
    page.get_by_role("button", name="Send me a code").click()
    resend = page.get_by_role("button", name="Send a new code")
    expect(resend).to_be_disabled()
    page.get_by_label("6-digit code").fill("123456")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".otp .error")).not_to_be_empty()
    # The page's clock runs ahead of the server's: the button comes back before the
    # server allows another code, and the server's Retry-After is what is shown then.
    page.clock.run_for(31_000)
    expect(resend).to_be_enabled()
    resend.click()
    expect(page.locator(".otp .error")).to_have_text("Please wait before trying again.")
    expect(page.locator(".throttle")).to_contain_text("You can ask for a new code in")
    expect(resend).to_be_disabled()
    shoot(page, shots, "code-throttled")
    page.get_by_label("6-digit code").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("h1")).to_have_text("Email address")


def jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def test_a_two_sided_document_from_files(page: Any, live: Live) -> None:
    flow = [{"type": "ID_DOCUMENT", "settings": {"manual_review": True}}, "EMAIL"]
    tenant = live.tenant(flow)
    sid = live.session(tenant["api_key"])
    step_id = live.steps(tenant["api_key"], sid)["ID_DOCUMENT"]["id"]
    picture = jpeg(camera.document_frame().resize((640, 360)))
    page.goto(f"/verify?session_id={sid}")
    page.get_by_label("Document type").select_option("NATIONAL_ID")
    page.get_by_label("Issuing country").select_option("FRA")
    expect(page.locator("fieldset[data-side=back]")).to_be_visible()
    front = {"name": "front.jpg", "mimeType": "image/jpeg", "buffer": picture}
    page.locator("#doc-front-file").set_input_files(front)
    expect(page.get_by_role("img", name="Preview of the Front side")).to_be_visible()
    page.get_by_role("button", name="Send my document").click()
    expect(page.locator("form.document .error")).to_have_text("Add a picture of each side first.")
    page.locator("#doc-back-file").set_input_files({**front, "name": "back.jpg"})
    expect(page.get_by_role("img", name="Preview of the Back side")).to_be_visible()
    audit(page)
    page.get_by_role("button", name="Send my document").click()
    expect(page.locator("h1")).to_have_text("Email address")

    with live.system.runtime.transaction(readonly=True) as ctx:
        step = steps_repo.get(ctx.db, None, step_id)
        assert step is not None and step.status == "PENDING_VERIFICATION"
        kinds = sorted(row.kind for row in files.of_attempt(ctx, step))
    assert kinds == ["back", "front"]
    assert (
        live.http.get(f"/admin/review?app_id={tenant['app_id']}", headers=ADMIN).status_code == 200
    )


def test_proof_of_address_with_a_host(page: Any, live: Live) -> None:
    tenant = live.tenant([{"type": "PROOF_OF_ADDRESS", "settings": {"manual_review": True}}])
    sid = live.session(tenant["api_key"])
    step_id = live.steps(tenant["api_key"], sid)["PROOF_OF_ADDRESS"]["id"]
    page.goto(f"/verify?session_id={sid}")
    expect(page.locator("h1")).to_have_text("Proof of address")
    fill_address(page)
    page.get_by_label("Full postal address").fill(XSS)
    expect(page.locator("fieldset.host")).to_be_hidden()
    page.get_by_label("I live with someone else and the document is in their name").check()
    expect(page.locator("fieldset.host")).to_be_visible()
    page.get_by_label("Host's identity document type").select_option("NATIONAL_ID")
    page.get_by_label("Host's identity document country").select_option("BEL")
    picture = jpeg(camera.document_frame().resize((640, 360)))
    page.get_by_label("Host's identity document, front (JPEG or PNG)").set_input_files(
        {"name": "host.jpg", "mimeType": "image/jpeg", "buffer": picture}
    )
    page.get_by_label("Host's signed attestation (PDF, 4 MB at most)").set_input_files(
        {"name": "proof.pdf", "mimeType": "application/pdf", "buffer": documents.attestation_pdf()}
    )
    audit(page)
    page.get_by_role("button", name="Send my proof of address").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    assert not injected(page)

    details = live.http.get(f"/v3/residency/details?step_id={step_id}", headers={"Session-Id": sid})
    assert details.status_code == 200, details.text
    document = details.json()["document"]
    assert document["is_accomodation"] is True
    assert document["document"]["type"] == "ELECTRICITY_BILL"
    assert (document["info"]["city"], document["info"]["zipcode"]) == ("Paris", "75002")
    assert document["info"]["address"] == " ".join(XSS.split())  # kept as text, sent as typed
    with live.system.runtime.transaction(readonly=True) as ctx:
        step = steps_repo.get(ctx.db, None, step_id)
        assert step is not None
        kinds = sorted(row.kind for row in files.of_attempt(ctx, step))
    assert kinds == ["accomodation_proof", "document", "host_id_front_document"]


def test_the_checking_page_follows_the_check(page: Any, live: Live, shots: Path) -> None:
    """A check still running (a worker elsewhere): the page polls until it is decided."""
    tenant = live.tenant(["EMAIL"])
    sid = live.session(tenant["api_key"])
    step_id = live.steps(tenant["api_key"], sid)["EMAIL"]["id"]
    with live.system.runtime.transaction() as ctx:
        step = steps_repo.get(ctx.db, None, step_id)
        assert step is not None
        step.status = "PENDING_VERIFICATION"  # submitted, its check not yet run
    page.goto(f"/verify?session_id={sid}")
    expect(page.locator("h1")).to_have_text("Checking your information")
    audit(page)
    shoot(page, shots, "checking")
    with live.system.runtime.transaction() as ctx:
        step = steps_repo.get(ctx.db, None, step_id)
        assert step is not None
        step.status, step.reason_code = "RESUBMISSION_REQUIRED", "EMAIL_INVALID"
    expect(page.locator("h1")).to_have_text("Email address", timeout=10_000)
    expect(page.locator(".notice .reason")).to_have_text(REASONS["EMAIL_INVALID"]["en"])


@pytest.mark.parametrize("live_settings", [{"otp_resend_seconds": 2}])
def test_a_new_code_once_the_throttle_allows_it(page: Any, live: Live) -> None:
    tenant = live.tenant(["EMAIL"])
    sid = live.session(tenant["api_key"])
    step_id = live.steps(tenant["api_key"], sid)["EMAIL"]["id"]
    page.goto(f"/verify?session_id={sid}")
    page.get_by_role("textbox", name="Email address").fill("jane@example.com")
    page.get_by_role("button", name="Send me a code").click()
    expect(page.locator(".throttle")).to_contain_text("You can ask for a new code in 2 s.")
    resend = page.get_by_role("button", name="Send a new code")
    expect(resend).to_be_enabled(timeout=5_000)
    page.wait_for_timeout(500)  # the server's own two seconds, measured from its clock
    resend.click()
    expect(page.locator(".throttle")).to_contain_text("You can ask for a new code in")
    expect(page.locator(".otp .error")).to_be_empty()
    with live.system.runtime.transaction(readonly=True) as ctx:
        sent = ctx.db.scalar(
            select(func.count()).select_from(OneTimeCode).where(OneTimeCode.step_id == step_id)
        )
    assert sent == 2
