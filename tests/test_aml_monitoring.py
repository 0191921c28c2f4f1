"""Ongoing monitoring: a new list version screens only its added and changed entities
against approved, monitored applicants; a new hit raises one alert and one webhook."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.servers import http_receiver, wait_for
from tests.test_aml_step import aml_flow, aml_step, load_list, verified_applicant

from openkyc.bootstrap import System
from openkyc.domain.aml import repository as aml_repo
from openkyc.domain.webhook import service as webhooks
from openkyc.models import Session
from openkyc.models.aml import Monitored

DRAGO = {
    "firstname": "IVAN",
    "lastname": "DRAGO",
    "birth_date": "1961-05-20",
    "nationality": "RUS",
    "country": "RUS",
}


def ftm(path: Path, *entities: dict[str, object]) -> Path:
    lines = [
        json.dumps({"id": e["id"], "schema": "Person", "properties": e["properties"]})
        for e in entities
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


CREED = {"id": "creed", "properties": {"name": ["Apollo Creed"], "birthDate": ["1942"]}}
DRAGO_LISTED = {
    "id": "drago",
    "properties": {"name": ["Ivan Drago"], "birthDate": ["1961-05-20"], "topics": ["sanction"]},
}


def deliveries(system: System, app_id: str) -> int:
    with system.runtime.transaction(readonly=True) as ctx:
        return len(webhooks.list_deliveries(ctx, app_id, None, 200, 0))


def alerts(client: TestClient, admin: dict[str, str], app_id: str) -> list[dict[str, object]]:
    r = client.get(f"/admin/apps/{app_id}/aml/alerts", headers=admin)
    assert r.status_code == 200, r.text
    return list(r.json()["alerts"])


def test_a_new_list_entry_alerts_once_for_a_monitored_applicant(
    client: TestClient,
    system: System,
    admin_headers: dict[str, str],
    tenant: dict[str, str],
    tmp_path: Path,
) -> None:
    app_id, key = tenant["app_id"], tenant["api_key"]
    load_list(system, ftm(tmp_path / "v1.jsonl", CREED), "ftm")
    aml_flow(client, admin_headers, app_id, monitoring=True)
    sid, ids = verified_applicant(client, system, admin_headers, tenant, DRAGO)
    assert aml_step(client, key, sid, ids["AML"])["status"] == "APPROVED"
    with http_receiver() as receiver:
        r = client.post(
            f"/admin/apps/{app_id}/webhooks", json={"url": receiver.url}, headers=admin_headers
        )
        assert r.status_code == 201, r.text
        before = deliveries(system, app_id)

        v2 = ftm(tmp_path / "v2.jsonl", CREED, DRAGO_LISTED)
        load_list(system, v2, "ftm")
        [alert] = alerts(client, admin_headers, app_id)
        assert alert["step_id"] == ids["AML"] and alert["status"] == "open"
        assert deliveries(system, app_id) == before + 1
        wait_for(lambda: len(receiver.requests) == 1, "the alert's webhook")
        sent = receiver.requests[0].json()
        assert (sent["step_id"], sent["reason"]) == (ids["AML"], "AML_MONITORING_HIT")
        step = aml_step(client, key, sid, ids["AML"])
        aml = step["verification"]["aml"]
        assert (aml["total_hits"], aml["action_required"], aml["monitored"]) == (1, True, True)
        assert aml["hits"][0]["info"]["full_name"] == "Ivan Drago"

        load_list(system, v2, "ftm")  # the same file again
        load_list(system, ftm(tmp_path / "v2b.jsonl", DRAGO_LISTED, CREED), "ftm")  # same content
        assert len(alerts(client, admin_headers, app_id)) == 1
        assert deliveries(system, app_id) == before + 1

        # Cleared as a false positive: no alert while the entity stays the same...
        r = client.get(f"/admin/apps/{app_id}/steps/{ids['AML']}/aml/hits", headers=admin_headers)
        hit_id = r.json()["hits"][0]["id"]
        r = client.post(f"/admin/apps/{app_id}/aml/hits/{hit_id}/clear", headers=admin_headers)
        assert r.status_code == 200
        assert alerts(client, admin_headers, app_id)[0]["status"] == "closed"
        creed2 = {**CREED, "properties": {"name": ["Apollo Creed"], "birthDate": ["1943"]}}
        load_list(system, ftm(tmp_path / "v3.jsonl", creed2, DRAGO_LISTED), "ftm")
        assert len(alerts(client, admin_headers, app_id)) == 1
        # ...and a new one once it changes.
        drago2 = {"id": "drago", "properties": {**DRAGO_LISTED["properties"], "alias": ["Drago"]}}  # type: ignore[dict-item]
        load_list(system, ftm(tmp_path / "v4.jsonl", creed2, drago2), "ftm")
        assert [a["status"] for a in alerts(client, admin_headers, app_id)] == ["open", "closed"]
        assert deliveries(system, app_id) == before + 2


def test_only_approved_applicants_of_monitoring_apps_are_screened(
    client: TestClient,
    system: System,
    admin_headers: dict[str, str],
    tenant: dict[str, str],
    tmp_path: Path,
) -> None:
    app_id = tenant["app_id"]
    load_list(system, ftm(tmp_path / "v1.jsonl", CREED), "ftm")
    aml_flow(client, admin_headers, app_id)  # monitoring off
    verified_applicant(client, system, admin_headers, tenant, DRAGO)
    load_list(system, ftm(tmp_path / "v2.jsonl", CREED, DRAGO_LISTED), "ftm")
    assert alerts(client, admin_headers, app_id) == []


def test_an_applicant_monitored_in_two_sessions_gets_one_hit(
    client: TestClient,
    system: System,
    admin_headers: dict[str, str],
    tenant: dict[str, str],
    tmp_path: Path,
) -> None:
    """Hits belong to the applicant: both sessions finding the listed entity in the same
    update store it once (and the load goes through)."""
    app_id = tenant["app_id"]
    load_list(system, ftm(tmp_path / "v1.jsonl", CREED), "ftm")
    aml_flow(client, admin_headers, app_id, monitoring=True)
    first, _ = verified_applicant(client, system, admin_headers, tenant, DRAGO)
    again, _ = verified_applicant(client, system, admin_headers, tenant, DRAGO)
    with system.runtime.transaction() as ctx:  # as a dialect that reuses its applicants does
        one, two = (ctx.db.get(Session, sid) for sid in (first, again))
        assert one is not None and two is not None
        owner = two.applicant_id = one.applicant_id
        ctx.db.execute(
            update(Monitored).where(Monitored.session_id == again).values(applicant_id=owner)
        )
    load_list(system, ftm(tmp_path / "v2.jsonl", CREED, DRAGO_LISTED), "ftm")
    assert len(alerts(client, admin_headers, app_id)) == 1
    with system.runtime.transaction(readonly=True) as ctx:
        assert len(aml_repo.hits_of(ctx.db, app_id, owner)) == 1
