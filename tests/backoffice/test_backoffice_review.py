"""Reviewing through the back office over plain HTTP: the queue and its filters, the
session page's evidence, decisions, AML hits, four eyes, and the admin pages."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from tests.backoffice.helpers import MANUAL_ADDRESS, post_form, reviewable_session, sign_in
from tests.conftest import ADMIN_TOKEN, new_app
from tests.helpers import init_session, png_bytes, step_ids, upload
from tests.test_aml_step import FIXTURES, PUTIN, aml_flow, load_list, verified_applicant
from tests.test_faces_http import LIVE_FLOW, perform

from openkyc.bootstrap import System
from openkyc.domain.review import four_eyes

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
BLOCKED_EMAIL = [{"type": "EMAIL", "settings": {"blocked_domains": ["example.com"]}}]


def rejected_email_step(client: TestClient, api_key: str) -> tuple[str, str]:
    """A sandbox session whose EMAIL step the check rejected (a blocked domain)."""
    session_id = init_session(client, api_key, "blocked-jane")
    step_id = step_ids(client, api_key, session_id)["EMAIL"]
    headers = {"Session-Id": session_id}
    sent = client.post(
        f"/v3/email/send?step_id={step_id}", json={"email": "jane@example.com"}, headers=headers
    )
    assert sent.status_code == 200, sent.text
    verified = client.post(
        f"/v3/email/verify?step_id={step_id}", json={"code": "000000"}, headers=headers
    )
    assert verified.status_code == 200, verified.text
    return session_id, step_id


def step_of(client: TestClient, app_id: str, step_id: str) -> dict[str, Any]:
    response = client.get(f"/admin/apps/{app_id}/steps/{step_id}", headers=ADMIN)
    assert response.status_code == 200, response.text
    return dict(response.json())


def flash_after(client: TestClient, response: Any) -> str:
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"]).text
    found = re.search(r'<p class="flash[^"]*"[^>]*>([^<]*)</p>', page)
    assert found, "no message on the page"
    return found.group(1)


def test_queue_filters_and_counts(client: TestClient, system: System, reviewer: str) -> None:
    live, sandbox = (
        new_app(system, "live", flow=MANUAL_ADDRESS),
        new_app(system, "sandboxed", sandbox=True, flow=MANUAL_ADDRESS),
    )
    reviewable_session(client, live["api_key"], alias="live-applicant")
    reviewable_session(client, sandbox["api_key"], alias="sandbox-applicant")
    sign_in(client, reviewer)

    def listed(query: str) -> tuple[str, list[str]]:
        html = client.get(f"/backoffice/queue?{query}").text
        total = re.search(r'<strong id="queue-total">(\d+)</strong>', html)
        assert total, html
        return total.group(1), re.findall(r">((?:live|sandbox)-applicant)</a>", html)

    assert listed("") == ("2", ["live-applicant", "sandbox-applicant"])
    assert listed("sandbox=yes") == ("1", ["sandbox-applicant"])
    assert listed("sandbox=no") == ("1", ["live-applicant"])
    assert listed(f"app={live['app_id']}") == ("1", ["live-applicant"])
    assert listed("type=PROOF_OF_ADDRESS")[0] == "2"
    assert listed("type=LIVENESS") == ("0", [])
    assert listed("age=1h") == ("0", [])  # submitted seconds ago
    assert listed("status=APPROVED") == ("0", [])
    assert "PROOF_OF_ADDRESS <b>2</b>" in client.get("/backoffice/queue").text


def test_reject_and_resubmit_with_reason_and_message(
    client: TestClient, system: System, reviewer: str
) -> None:
    tenant = new_app(system, flow=MANUAL_ADDRESS)
    session_id, step_id = reviewable_session(client, tenant["api_key"])
    sign_in(client, reviewer)
    page = f"/backoffice/apps/{tenant['app_id']}/sessions/{session_id}"
    action = f"/backoffice/apps/{tenant['app_id']}/steps/{step_id}/decision"
    fields = {"action": "resubmit", "reason_code": "BAD_QUALITY", "message": "too dark"}
    assert "resubmit recorded" in flash_after(client, post_form(client, page, action, **fields))
    step = step_of(client, tenant["app_id"], step_id)
    assert (step["status"], step["reason_code"]) == ("RESUBMISSION_REQUIRED", "BAD_QUALITY")
    decision = step["decisions"][-1]
    assert (decision["reviewer"], decision["message"]) == (reviewer, "too dark")
    html = client.get(page).text
    assert "review.decision" in html and reviewer in html  # the audit trail
    assert f'action="{action}"' not in html  # nothing to decide until a new submission


def test_four_eyes_needs_a_second_reviewer_to_override_a_check(
    client: TestClient, system: System, reviewer: str, second_reviewer: str, administrator: str
) -> None:
    tenant = new_app(system, sandbox=True, flow=BLOCKED_EMAIL)
    app_id = tenant["app_id"]
    sign_in(client, administrator)
    app_page = f"/backoffice/admin/apps/{app_id}"
    done = post_form(client, app_page, f"{app_page}/four-eyes", enabled="yes")
    assert "Four eyes required" in flash_after(client, done)
    session_id, step_id = rejected_email_step(client, tenant["api_key"])
    assert step_of(client, app_id, step_id)["status"] == "REJECTED"

    first = TestClient(client.app)
    sign_in(first, reviewer)
    page = f"/backoffice/apps/{app_id}/sessions/{session_id}"
    action = f"/backoffice/apps/{app_id}/steps/{step_id}/decision"
    note = flash_after(first, post_form(first, page, action, action="approve"))
    assert "a second reviewer must approve" in note
    assert step_of(client, app_id, step_id)["status"] == "REJECTED"
    again = flash_after(first, post_form(first, page, action, action="approve"))
    assert "another person must approve" in again
    assert step_of(client, app_id, step_id)["status"] == "REJECTED"

    second = TestClient(client.app)
    sign_in(second, second_reviewer)
    waiting = second.get("/backoffice/queue?status=SECOND_APPROVAL").text
    assert "blocked-jane" in waiting and "1 of 2 approvals" in waiting
    assert f"Approved once by {reviewer}" in second.get(page).text
    flash_after(second, post_form(second, page, action, action="approve"))
    step = step_of(client, app_id, step_id)
    assert step["status"] == "APPROVED"
    assert [(d["action"], d["reviewer"]) for d in step["decisions"]] == [
        ("first_approval", reviewer),
        ("approve", second_reviewer),
    ]
    assert "blocked-jane" not in second.get("/backoffice/queue?status=SECOND_APPROVAL").text


def test_four_eyes_through_the_admin_api_and_not_for_unflagged_steps(
    client: TestClient, system: System, reviewer: str
) -> None:
    tenant = new_app(system, sandbox=True, flow=[*BLOCKED_EMAIL, *MANUAL_ADDRESS])
    app_id = tenant["app_id"]
    with system.runtime.transaction() as ctx:
        four_eyes.set_enabled(ctx, app_id, True)
    session_id, step_id = rejected_email_step(client, tenant["api_key"])
    url = f"/admin/apps/{app_id}/steps/{step_id}/decision"
    once = client.post(url, json={"action": "approve"}, headers=ADMIN)
    assert once.status_code == 200 and once.json()["status"] == "REJECTED"
    twice = client.post(url, json={"action": "approve"}, headers=ADMIN)
    assert twice.status_code == 409 and "second reviewer" in twice.json()["message"]
    # A step no check flagged (a manual one) is approved by one reviewer.
    address_id = step_ids(client, tenant["api_key"], session_id)["PROOF_OF_ADDRESS"]
    sent = upload(client, session_id, address_id, {"document": ("a.png", png_bytes(), "image/png")})
    assert sent.status_code == 200, sent.text
    plain = client.post(
        f"/admin/apps/{app_id}/steps/{address_id}/decision",
        json={"action": "approve"},
        headers=ADMIN,
    )
    assert plain.json()["status"] == "APPROVED"


def test_an_aml_hit_is_cleared_from_the_session_page(
    client: TestClient, system: System, reviewer: str, admin_headers: dict[str, str]
) -> None:
    tenant = new_app(system)
    load_list(system, FIXTURES / "eu.xml", "eu")
    aml_flow(client, admin_headers, tenant["app_id"])
    session_id, ids = verified_applicant(client, system, admin_headers, tenant, PUTIN)
    sign_in(client, reviewer)
    page = f"/backoffice/apps/{tenant['app_id']}/sessions/{session_id}"
    html = client.get(page).text
    hit_id = re.search(r'id="hit-(\d+)"', html)
    assert hit_id and "Vladimir Vladimirovich Putin" in html and "birth_date" in html
    action = f"/backoffice/apps/{tenant['app_id']}/aml/hits/{hit_id.group(1)}/clear"
    assert "cleared" in flash_after(client, post_form(client, page, action, next=page))
    assert "already" in flash_after(client, post_form(client, page, action, next=page))
    hits = client.get(
        f"/admin/apps/{tenant['app_id']}/steps/{ids['AML']}/aml/hits", headers=admin_headers
    ).json()["hits"]
    assert [(h["status"], h["cleared_by"]) for h in hits] == [("cleared", reviewer)]
    assert f"Cleared by {reviewer}" in client.get(page).text


def test_every_step_type_renders_before_and_after_a_submission(
    client: TestClient, system: System, reviewer: str
) -> None:
    every = ["ID_DOCUMENT", "LIVENESS", "PHONE", "EMAIL", "PROOF_OF_ADDRESS", "PVID"]
    flow = [{"type": t, "settings": {"manual_review": True}} for t in every]
    tenant = new_app(system, flow=[*flow, {"type": "DUPLICATE"}, {"type": "AML"}])
    session_id, _ = reviewable_session(client, tenant["api_key"])
    sign_in(client, reviewer)
    page = client.get(f"/backoffice/apps/{tenant['app_id']}/sessions/{session_id}")
    assert page.status_code == 200
    for step_type in [*every, "DUPLICATE", "AML"]:
        assert f">{step_type}\n" in page.text or f">{step_type} " in page.text, step_type
    assert "Submitted and extracted" in page.text and "75002" in page.text


def test_admin_pages_manage_apps_keys_flows_webhooks_and_show_lists(
    client: TestClient, system: System, administrator: str
) -> None:
    load_list(system, FIXTURES / "eu.xml", "eu")
    sign_in(client, administrator)
    created = post_form(
        client,
        "/backoffice/admin/apps",
        "/backoffice/admin/apps",
        name="Beta <Bank>",
        sandbox="yes",
    )
    assert created.status_code == 200
    key = re.search(r'id="secret">(sk_test_[^<]+)<', created.text)
    assert key, created.text
    app_id = re.search(r'href="/backoffice/admin/apps/(\d+)"', created.text)
    assert app_id
    page = f"/backoffice/admin/apps/{app_id.group(1)}"
    assert key.group(1) not in client.get(page).text  # shown once
    assert "Beta &lt;Bank&gt;" in client.get("/backoffice/admin/apps").text
    init = client.post("/v4/session/init", json={"alias": "a"}, headers={"Api-Key": key.group(1)})
    assert init.status_code == 200 and init.json()["sandbox"] is True

    bad = flash_after(client, post_form(client, page, f"{page}/flow", flow="[not json"))
    assert "not valid JSON" in bad
    unknown = flash_after(client, post_form(client, page, f"{page}/flow", flow='["NOPE"]'))
    assert "NOPE" in unknown
    saved = flash_after(client, post_form(client, page, f"{page}/flow", flow='["EMAIL"]'))
    assert saved == "Flow saved."
    assert "&#34;type&#34;: &#34;EMAIL&#34;" in client.get(page).text

    refused = flash_after(client, post_form(client, page, f"{page}/webhooks", url="ftp://x y"))
    assert "absolute http(s) URL" in refused
    hook = post_form(client, page, f"{page}/webhooks", url="https://hooks.example/kyc")
    assert hook.status_code == 200 and re.search(r'id="secret">[0-9a-f]{48}<', hook.text)
    endpoint = re.search(r"<td>(\d+)</td><td class=\"url\">", client.get(page).text)
    assert endpoint
    disable = f"{page}/webhooks/{endpoint.group(1)}/disable"
    assert "disabled" in flash_after(client, post_form(client, page, disable))

    keys = re.findall(r"/keys/(\d+)/revoke", client.get(page).text)
    assert len(keys) == 1
    revoked = flash_after(client, post_form(client, page, f"{page}/keys/{keys[0]}/revoke"))
    assert "revoked" in revoked
    assert (
        client.post(
            "/v4/session/init", json={"alias": "a"}, headers={"Api-Key": key.group(1)}
        ).status_code
        == 401
    )

    lists_page = client.get("/backoffice/admin/lists").text
    assert "eu_fsf" in lists_page and "<td>1</td>" in lists_page
    missing = client.get("/backoffice/admin/apps/99999999")
    assert missing.status_code == 404
    replay = f"{page}/deliveries/12345/replay"
    assert "not found" in flash_after(client, post_form(client, page, replay))


def test_liveness_and_a_duplicate_link_to_the_earlier_session(
    client: TestClient, system: System, reviewer: str
) -> None:
    tenant = new_app(system, flow=LIVE_FLOW)
    first = init_session(client, tenant["api_key"], "first-face")
    perform(client, first, step_ids(client, tenant["api_key"], first)["LIVENESS"])
    again = init_session(client, tenant["api_key"], "same-face")
    ids = step_ids(client, tenant["api_key"], again)
    perform(client, again, ids["LIVENESS"])
    sign_in(client, reviewer)
    html = client.get(f"/backoffice/apps/{tenant['app_id']}/sessions/{again}").text
    assert "Best frame" in html and html.count('class="ok"') >= 2  # challenges performed
    link = f'href="/backoffice/apps/{tenant["app_id"]}/sessions/{first}"'
    assert link in html and re.search(r"similarity (0\.9\d*|1\.0)<", html)
    duplicate = html.split(f'id="step-{ids["DUPLICATE"]}"')[1]
    assert "DUPLICATE_USER" in duplicate and "REJECTED" in duplicate
    assert "Match 1" in duplicate  # the other applicant's face, side by side
