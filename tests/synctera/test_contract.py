"""Contract: schemathesis runs every operation of Synctera's published spec (a vendored
copy of v0.153.0) against the app in-process, with valid and with invalid data.

Checked: no 5xx, only status codes and content types the spec lists, response bodies and
headers that match its schemas, invalid data rejected. Not checked: that every
schema-valid request is accepted, since the spec's prose adds rules its schema cannot
express (exactly one of person_id / business_id, consent must be true, the subject must
exist), so a schema-valid request may rightly be a 400 or a 404.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from openkyc.app import create_app
from openkyc.bootstrap import System
from openkyc.settings import Settings

from .conftest import ACME, JANE, evidence

SPEC = Path(__file__).resolve().parents[1] / "fixtures/synctera/verifications-openapi.json"
# Per operation and mode: enough to cover every field's kinds of wrong, bounded in time.
EXAMPLES = 25
OPERATIONS = [
    ("/verifications", "GET"),
    ("/verifications", "POST"),
    ("/verifications/adhoc", "POST"),
    ("/verifications/verify", "POST"),
    ("/verifications/{verification_id}", "GET"),
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]


def _seed(client: TestClient, auth: dict[str, str]) -> dict[str, str]:
    person = client.post("/v0/persons", json=JANE, headers=auth).json()["id"]
    business = client.post("/v0/businesses", json=ACME, headers=auth).json()["id"]
    xml = {"content_type": "text/xml", "vendor": "IDOLOGY", "xml": "<a><b/></a>"}
    made = client.post(
        "/v0/verifications", json=evidence(person_id=person, vendor_info=xml), headers=auth
    )
    assert made.status_code == 201, made.text
    client.post("/v0/verifications", json=evidence(business_id=business), headers=auth)
    return {"person": person, "business": business, "record": made.json()["id"]}


def _existing(case: Case, known: dict[str, str]) -> Case:
    body = case.body
    if isinstance(body, dict):
        if "payer_id" in body:
            body.update(payer_id=known["person"], payee_id=known["business"])
        elif "business_id" in body and "person_id" not in body:
            body["business_id"] = known["business"]
        else:
            body.pop("business_id", None)
            body["person_id"] = known["person"]
    if case.path_parameters and "verification_id" in case.path_parameters:
        case.path_parameters["verification_id"] = known["record"]
    return case


def test_the_list_covers_every_operation_of_the_spec() -> None:
    loaded = schemathesis.openapi.from_path(SPEC)
    found = {(op.ok().path, op.ok().method.upper()) for op in loaded.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_operation_keeps_to_the_spec(
    settings: Settings,
    system: System,
    tenant: dict[str, str],
    path: str,
    method: str,
    mode: GenerationMode,
) -> None:
    loaded = schemathesis.openapi.from_path(SPEC)
    app = create_app(settings, system, workers=False)
    loaded.app = app
    operation = loaded[path][method]
    auth = {"Authorization": f"Bearer {tenant['api_key']}"}
    strategy = operation.as_strategy(generation_mode=mode)
    if mode == GenerationMode.NEGATIVE:
        # An empty list as a query value is sent as nothing at all: the request on the
        # wire is a valid one, which no server could tell from it.
        strategy = strategy.filter(lambda case: [] not in (case.query or {}).values())
    if mode == GenerationMode.POSITIVE:
        # Valid data about subjects and records that exist, so the 2xx answers are
        # generated and checked too (random UUIDs would only ever be 404s).
        known = _seed(TestClient(app), auth)
        strategy = strategy.map(lambda case: _existing(case, known))

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case) -> None:
        case.call_and_validate(headers=auth, checks=CHECKS)

    run()
