"""How SynapseFI signed its webhooks, so receivers written for it keep verifying them.

`X-Synapse-Signature` is the hex HMAC-SHA1 of f"{object_id}+{client_id}" keyed with the
gateway client secret, `X-Synapse-Signature-Sha256` the same with SHA-256. That covers
the ids only, so `X-Synapse-Signature-Sha256-FullBody` (HMAC-SHA256 of the body) is sent
as well: a receiver that checks it knows the body is ours too.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

META = "webhook_meta"


def signatures(secret: str, payload: dict[str, Any], body: bytes) -> dict[str, str]:
    client = payload.get("client") or {}
    message = f"{payload.get('_id', '')}+{client.get('id', '')}".encode()
    key = secret.encode()
    return {
        "X-Synapse-Signature": hmac.new(key, message, hashlib.sha1).hexdigest(),
        "X-Synapse-Signature-Sha256": hmac.new(key, message, hashlib.sha256).hexdigest(),
        "X-Synapse-Signature-Sha256-FullBody": hmac.new(key, body, hashlib.sha256).hexdigest(),
    }
