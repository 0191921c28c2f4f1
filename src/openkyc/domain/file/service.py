"""Files: sniffed, size-limited, encrypted (AES-GCM) before storage, served by signed links."""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

import filetype

from openkyc.domain.context import Ctx
from openkyc.domain.file import repository as repo
from openkyc.domain.step.schemas import FILE_KINDS, StepType
from openkyc.errors import ErrorKind, Invalid, NotFound, OpenKYCError
from openkyc.kit.ids import new_uuid
from openkyc.kit.signing import sign_link, verify
from openkyc.models import File, Step

MB = 1024 * 1024
# Kind prefix of the files a check produced (the uploads keep their field names).
PROCESSED = "out:"
# What sign_link produces: anything else is refused before any comparison.
SIGNATURE = re.compile(r"[0-9a-f]{64}")
EXPIRES = re.compile(r"[0-9]{1,12}")
# Default limits per sniffed family; a step's settings may lower them (`max_file_bytes`).
LIMITS = {"image": 10 * MB, "application": 10 * MB, "video": 50 * MB}
STEP_LIMITS = {StepType.PROOF_OF_ADDRESS: 4 * MB}


def sniff(data: bytes) -> str:
    """The content type from the bytes themselves; the client's claim is ignored."""
    kind = filetype.guess(data[:8192])
    return kind.mime if kind is not None else "application/octet-stream"


def limit_for(step: Step, content_type: str) -> int:
    family = content_type.split("/")[0]
    limit = LIMITS.get(family, 10 * MB)
    limit = min(limit, STEP_LIMITS.get(StepType(step.type), limit))
    configured = step.settings.get("max_file_bytes")
    return min(limit, int(configured)) if configured else limit


def validate(step: Step, kind: str, data: bytes) -> str:
    """Check a file for a step's field; return its sniffed content type."""
    accepted = FILE_KINDS.get(StepType(step.type), {})
    if kind not in accepted:
        raise Invalid(f"a {step.type} step takes no file named {kind!r}")
    if not data:
        raise Invalid(f"file {kind!r} is empty")
    content_type = sniff(data)
    if content_type not in accepted[kind]:
        raise OpenKYCError(
            f"file {kind!r} is {content_type}; accepted: {', '.join(sorted(accepted[kind]))}",
            kind=ErrorKind.UNSUPPORTED,
        )
    limit = limit_for(step, content_type)
    if len(data) > limit:
        raise OpenKYCError(
            f"file {kind!r} is {len(data)} bytes; the limit is {limit}", kind=ErrorKind.TOO_LARGE
        )
    return content_type


def store(ctx: Ctx, step: Step, kind: str, data: bytes, attempt: int) -> File:
    """Store an upload, after checking it against what the step accepts."""
    return _save(ctx, step, kind, data, attempt, validate(step, kind, data))


def store_processed(ctx: Ctx, step: Step, kind: str, data: bytes, content_type: str) -> File:
    """Store a file a check produced for the current attempt (replacing an earlier run's)."""
    for old in of_attempt(ctx, step):
        if old.kind == PROCESSED + kind:
            ctx.ports.storage.delete(old.storage_key)
            ctx.db.delete(old)
    return _save(ctx, step, PROCESSED + kind, data, step.attempt_count, content_type)


def _save(ctx: Ctx, step: Step, kind: str, data: bytes, attempt: int, content_type: str) -> File:
    file_id = new_uuid()
    key = f"{step.app_id}/{file_id}"
    ctx.ports.storage.put(key, ctx.ports.crypto.encrypt_file(data, file_id))
    row = File(
        id=file_id,
        app_id=step.app_id,
        step_id=step.id,
        attempt=attempt,
        kind=kind,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        created_at=ctx.now,
    )
    ctx.db.add(row)
    return row


def read(ctx: Ctx, row: File) -> bytes:
    return ctx.ports.crypto.decrypt_file(ctx.ports.storage.get(row.storage_key), row.id)


def of_attempt(ctx: Ctx, step: Step) -> list[File]:
    return list(repo.of_attempt(ctx.db, step.id, step.attempt_count))


def signed_url(ctx: Ctx, row: File) -> str:
    expires = int(time.time()) + ctx.ports.settings.file_url_ttl_seconds
    path = f"/files/{row.id}"
    signature = sign_link(ctx.ports.crypto.link_key, path, expires)
    return f"{ctx.ports.settings.public_url}{path}?expires={expires}&signature={signature}"


def describe(ctx: Ctx, row: File) -> dict[str, Any]:
    """The `{url, type, size}` object of the Synaps dialect."""
    return {"url": signed_url(ctx, row), "type": row.content_type, "size": row.size}


def open_signed(ctx: Ctx, file_id: str, expires: str, signature: str) -> tuple[File, bytes]:
    """Serve a file for a signed link: a link we did not sign (tampered, or another file's
    signature) is forbidden, an expired one gone, and a signed one whose file was deleted
    not found."""
    if not EXPIRES.fullmatch(expires) or not SIGNATURE.fullmatch(signature):
        raise OpenKYCError("invalid or tampered link", kind=ErrorKind.FORBIDDEN)
    expires_at = int(expires)
    if not verify(ctx.ports.crypto.link_key, f"/files/{file_id}|{expires_at}", signature):
        raise OpenKYCError("invalid or tampered link", kind=ErrorKind.FORBIDDEN)
    if expires_at < time.time():
        raise OpenKYCError("this link has expired", kind=ErrorKind.GONE)
    row = repo.get(ctx.db, file_id)
    if row is None:
        raise NotFound("file not found")
    return row, read(ctx, row)
