"""The AML step end to end over HTTP: it runs once the ID document is approved, with the
document's fields as customer_info, and answers in seed 000's payload shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from tests.helpers import decide, init_session, png_bytes, set_flow, step_ids, upload

from openkyc.bootstrap import System
from openkyc.checks.aml.lists import parse_file
from openkyc.domain.aml import lists
from openkyc.models import Step

FIXTURES = Path(__file__).parent / "fixtures" / "aml"
PUTIN = {
    "firstname": "VLADIMIR",
    "lastname": "PUTIN",
    "birth_date": "1952-10-07",
    "nationality": "RUS",
    "country": "RUS",
}


def load_list(system: System, path: Path, kind: str) -> lists.LoadResult:
    from openkyc.domain.aml import monitoring

    parsed = parse_file(path, kind)
    with system.runtime.transaction() as ctx:
        result = lists.load(ctx, parsed, lists.file_digest(path))
        monitoring.run(ctx, result.version, result.added + result.changed)
        return result


def aml_flow(client: TestClient, admin: dict[str, str], app_id: str, **settings: Any) -> None:
    flow = [
        {"type": "ID_DOCUMENT", "settings": {"manual_review": True}},
        {"type": "AML", "settings": settings},
    ]
    set_flow(client, admin, app_id, flow)


def verified_applicant(
    client: TestClient,
    system: System,
    admin: dict[str, str],
    tenant: dict[str, str],
    fields: dict[str, str],
) -> tuple[str, dict[str, str]]:
    """A session whose ID document a reviewer approved, with these fields read from it
    (written into its evidence as the document check would)."""
    sid = init_session(client, tenant["api_key"], alias=fields["lastname"])
    ids = step_ids(client, tenant["api_key"], sid)
    r = upload(client, sid, ids["ID_DOCUMENT"], {"front": ("front.png", png_bytes(), "image/png")})
    assert r.status_code == 200, r.text
    with system.runtime.transaction() as ctx:
        step = ctx.db.get(Step, ids["ID_DOCUMENT"])
        assert step is not None
        step.evidence = {"fields": fields}
    r = decide(client, admin, tenant["app_id"], ids["ID_DOCUMENT"], "approve")
    assert r.status_code == 200, r.text
    return sid, ids


def aml_step(client: TestClient, key: str, sid: str, step_id: str) -> dict[str, Any]:
    r = client.get(f"/v4/individual/session/{sid}/step/{step_id}", headers={"Api-Key": key})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_listed_applicant_waits_for_a_reviewer_who_can_clear_the_hit(
    client: TestClient, system: System, admin_headers: dict[str, str], tenant: dict[str, str]
) -> None:
    load_list(system, FIXTURES / "eu.xml", "eu")
    aml_flow(client, admin_headers, tenant["app_id"], monitoring=True)
    sid, ids = verified_applicant(client, system, admin_headers, tenant, PUTIN)
    step = aml_step(client, tenant["api_key"], sid, ids["AML"])
    assert step["status"] == "PENDING_VERIFICATION"
    aml = step["verification"]["aml"]
    assert aml["customer_info"] == PUTIN
    assert (aml["total_hits"], aml["action_required"], aml["monitored"]) == (1, True, True)
    [hit] = aml["hits"]
    assert set(hit) == {"fields", "aliases", "media", "info", "type"}
    assert hit["info"] == {
        "full_name": "Vladimir Vladimirovich Putin",
        "birth_date": "1952-10-07",
        "nationality": "Russia",
    }
    assert hit["type"] == ["SANCTION"] and hit["media"] == []
    assert "Владимир Владимирович Путин" in hit["aliases"]

    app_id = tenant["app_id"]
    r = client.get(f"/admin/apps/{app_id}/steps/{ids['AML']}/aml/hits", headers=admin_headers)
    assert r.status_code == 200, r.text
    [listed] = r.json()["hits"]
    assert listed["entity_id"] == "eu-13" and listed["score"] >= 0.7
    assert {"name", "birth_date", "country"} <= set(listed["features"])
    record = client.get(f"/admin/apps/{app_id}/steps/{ids['AML']}", headers=admin_headers).json()
    assert record["evidence"]["lists"] == ["eu_fsf v1"]
    assert record["evidence"]["matches"][0]["hit_id"] == listed["id"]
    r = client.get("/admin/review", params={"app_id": app_id, "type": "AML"}, headers=admin_headers)
    assert [s["id"] for s in r.json()["steps"]] == [ids["AML"]]

    r = client.post(f"/admin/apps/{app_id}/aml/hits/{listed['id']}/clear", headers=admin_headers)
    assert r.status_code == 200 and r.json()["status"] == "cleared"
    r = client.post(f"/admin/apps/{app_id}/aml/hits/{listed['id']}/clear", headers=admin_headers)
    assert r.status_code == 409
    aml = aml_step(client, tenant["api_key"], sid, ids["AML"])["verification"]["aml"]
    assert (aml["total_hits"], aml["hits"], aml["action_required"]) == (0, [], False)
    assert decide(client, admin_headers, app_id, ids["AML"], "approve").status_code == 200
    assert aml_step(client, tenant["api_key"], sid, ids["AML"])["status"] == "APPROVED"


def test_no_hit_approves_and_automatic_decisions_reject(
    client: TestClient, system: System, admin_headers: dict[str, str], tenant: dict[str, str]
) -> None:
    load_list(system, FIXTURES / "eu.xml", "eu")
    aml_flow(client, admin_headers, tenant["app_id"])
    jane = {**PUTIN, "firstname": "JANE", "lastname": "DOE", "birth_date": "1990-01-01"}
    sid, ids = verified_applicant(client, system, admin_headers, tenant, jane)
    step = aml_step(client, tenant["api_key"], sid, ids["AML"])
    assert step["status"] == "APPROVED"
    assert step["verification"]["aml"] == {
        "customer_info": jane,
        "hits": [],
        "total_hits": 0,
        "action_required": False,
        "monitored": False,
    }
    r = client.put(
        f"/admin/apps/{tenant['app_id']}/aml/settings",
        json={"automatic_decisions": True},
        headers=admin_headers,
    )
    assert r.status_code == 200 and r.json()["aml"] == {"automatic_decisions": True}
    sid, ids = verified_applicant(client, system, admin_headers, tenant, PUTIN)
    step = aml_step(client, tenant["api_key"], sid, ids["AML"])
    assert step["status"] == "REJECTED"
    assert step["reason"]["code"] == "AML_MATCH"
    assert step["verification"]["aml"]["total_hits"] == 1


def test_admin_aml_endpoints_refuse_strangers_and_bad_input(
    client: TestClient, admin_headers: dict[str, str], tenant: dict[str, str]
) -> None:
    app_id = tenant["app_id"]
    assert client.get(f"/admin/apps/{app_id}/aml/alerts").status_code == 401
    assert (
        client.post(f"/admin/apps/{app_id}/aml/hits/123/clear", headers=admin_headers).status_code
        == 404
    )
    r = client.put(
        f"/admin/apps/{app_id}/aml/settings", json={"threshold": 3}, headers=admin_headers
    )
    assert r.status_code == 422
    r = client.get(f"/admin/apps/{app_id}/aml/alerts?status=maybe", headers=admin_headers)
    assert r.status_code == 422
    r = client.get("/admin/aml/lists", headers=admin_headers)
    assert r.status_code == 200 and r.json() == {"versions": []}
