from __future__ import annotations

from fastapi.testclient import TestClient
from tests.conftest import new_app
from tests.helpers import init_session, last_code, step_ids

from openkyc.adapters.messaging import MemoryMessenger
from openkyc.bootstrap import System


def test_phone_and_email_codes_approve_the_session(
    client: TestClient, system: System, sms: MemoryMessenger, email: MemoryMessenger
) -> None:
    key = new_app(system, flow=["PHONE", "EMAIL"])["api_key"]
    sid = init_session(client, key)
    ids = step_ids(client, key, sid)
    headers = {"Session-Id": sid}

    r = client.post(
        f"/v3/phone/send?step_id={ids['PHONE']}",
        json={"phone_number": "+33686521748"},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert sms.sent[-1].to == "+33686521748"
    r = client.post(
        f"/v3/phone/verify?step_id={ids['PHONE']}", json={"code": last_code(sms)}, headers=headers
    )
    assert r.status_code == 200, r.text

    r = client.post(
        f"/v3/email/send?step_id={ids['EMAIL']}",
        json={"email": "jane@example.com"},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    r = client.post(
        f"/v3/email/verify?step_id={ids['EMAIL']}", json={"code": last_code(email)}, headers=headers
    )
    assert r.status_code == 200, r.text

    details = client.get(f"/v4/individual/session/{sid}", headers={"Api-Key": key}).json()
    assert details["session"]["status"] == "APPROVED", details["session"]["steps"]
    assert {s["status"] for s in details["session"]["steps"]} == {"APPROVED"}
    phone = client.get(
        f"/v4/individual/session/{sid}/step/{ids['PHONE']}", headers={"Api-Key": key}
    ).json()
    assert phone["verification"]["phone"] == {
        "number": "+33686521748",
        "calling_code": "33",
        "method": "sms",
        "country": "FRA",
    }
    assert phone["reason"] is None
