"""SynapseNode (npm `synapsenode` 1.2.17), unchanged, against a live openkyc: the scenario
in node/scenario.js, run with `node`; its node_modules come from `npm ci` (make install)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.external.conftest import Live
from tests.servers import wait_for
from tests.synapsefi.conftest import FINGERPRINT, base_document, user_body

NODE_DIR = Path(__file__).parent / "node"


def run_scenario(live: Live) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is needed for the SynapseNode tests"
    assert (NODE_DIR / "node_modules" / "synapsenode").is_dir(), (
        "run `make install` (npm ci in tests/external/node) first"
    )
    env = {
        **os.environ,
        "BASE_URL": live.url,
        "CLIENT_ID": live.gateway.client_id,
        "CLIENT_SECRET": live.gateway.client_secret,
        "FINGERPRINT": FINGERPRINT,
        "HOOK_URL": live.receiver.url + "/node",
        "USER_BODY": json.dumps(user_body()),
        "BASE_DOCUMENT": json.dumps(base_document()),
        "ID_PAGE": str(live.id_page),
        "SELFIE": str(live.selfie),
    }
    done = subprocess.run(
        [node, "scenario.js"], cwd=NODE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_synapsenode_scenario(live_server: Live) -> None:
    out = run_scenario(live_server)
    assert out["subscription"]["is_active"] is True
    assert str(out["oauthKey"]).startswith("oauth_")  # the SDK's OAuth after creating
    submitted = out["submitted"]["documents"][0]
    assert {s["status"] for s in submitted["physical_docs"]} == {"SUBMITTED|REVIEWING"}
    checked = out["checked"]["documents"][0]
    subs = checked["physical_docs"] + checked["virtual_docs"]
    assert {s["document_type"]: s["status"] for s in subs} == {
        "GOVT_ID": "SUBMITTED|VALID",
        "SELFIE": "SUBMITTED|VALID",
        "SSN": "SUBMITTED|VALID",
    }
    assert checked["permission_scope"] == "SEND|RECEIVE|10000|DAILY"
    assert checked["virtual_docs"][0]["document_value"] == "111-22-2222"
    assert out["locked"]["permission"] == "LOCKED"
    assert out["listed"]["limit"] == 20
    assert out["notFound"] == {"status": 404, "body": {
        "error": {"en": "user 00000000-0000-0000-0000-000000000000 not found"},
        "error_code": "404", "http_code": "404", "success": False,
    }}  # fmt: skip
    assert out["wrongSecret"]["body"]["error_code"] == "100"
    receiver = live_server.receiver
    # The SDK's default scope spells USERS|POST: the creation is delivered too.
    wait_for(lambda: len(receiver.requests) >= 2, "the webhooks")
    functions = [r.json()["webhook_meta"]["function"] for r in receiver.requests]
    assert functions[0] == "USER|POST" and "USER|PATCH" in functions
    wait_for(lambda: any(r.json()["permission"] == "LOCKED" for r in receiver.requests), "LOCKED")
