"""Back office sessions, CSRF tokens and response headers.

The session lives in one cookie: a small JSON document with an HMAC (a key derived from the
master secret), so nothing is stored server-side; the account is re-read on every request,
so a disabled account is out at once. The cookie is HttpOnly, SameSite=Strict, Secure over
https, scoped to /backoffice, and expires after IDLE of inactivity (each request slides it)
and after MAX_AGE in any case. Every session, signed in or not, carries a random `sid`; the
CSRF token of its forms is an HMAC of that `sid`, and signing in issues a fresh `sid`.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
import threading
from collections import deque
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlsplit

from openkyc.kit.crypto import derive_key
from openkyc.kit.signing import sign

COOKIE = "openkyc_backoffice"
PATH = "/backoffice"
IDLE_SECONDS = 30 * 60
MAX_AGE_SECONDS = 12 * 3600
MAX_COOKIE = 2048
# A second factor must follow the password quickly.
TOTP_WINDOW_SECONDS = 5 * 60


@dataclass(frozen=True)
class BackofficeSession:
    sid: str
    issued: int
    seen: int
    user_id: str | None = None
    # Set between a right password and the TOTP code of an account with a second factor.
    pending_user_id: str | None = None
    flash: str | None = None
    flash_kind: str = "info"

    @staticmethod
    def anonymous(now: int) -> BackofficeSession:
        return BackofficeSession(sid=secrets.token_urlsafe(18), issued=now, seen=now)

    def signed_in(self, user_id: str, now: int) -> BackofficeSession:
        """A new session id on every sign-in: a planted cookie gains nothing."""
        fresh = BackofficeSession.anonymous(now)
        return replace(fresh, user_id=user_id)

    def with_flash(self, message: str, kind: str = "info") -> BackofficeSession:
        return replace(self, flash=message[:300], flash_kind=kind)


class Keys:
    def __init__(self, secret: str) -> None:
        self._cookie = derive_key(secret, "backoffice-session")
        self._csrf = derive_key(secret, "backoffice-csrf")

    def encode(self, session: BackofficeSession) -> str:
        raw = json.dumps(asdict(session), separators=(",", ":")).encode()
        # Unpadded: "=" would make the cookie value a quoted string.
        body = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        return f"{body}.{sign(self._cookie, body)}"

    def decode(self, value: str | None, now: int) -> BackofficeSession | None:
        """The session in a cookie, or None when it is missing, forged or expired."""
        if not value or len(value) > MAX_COOKIE or value.count(".") != 1:
            return None
        body, mac = value.split(".")
        if not hmac.compare_digest(sign(self._cookie, body), mac):
            return None
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            session = BackofficeSession(**json.loads(raw))
        except (ValueError, TypeError, binascii.Error):
            return None
        if now - session.seen > IDLE_SECONDS or now - session.issued > MAX_AGE_SECONDS:
            return None
        return session

    def csrf_token(self, session: BackofficeSession) -> str:
        return sign(self._csrf, session.sid)

    def csrf_ok(self, session: BackofficeSession | None, token: str | None) -> bool:
        if session is None or not token or len(token) != 64:
            return False
        return hmac.compare_digest(self.csrf_token(session), token)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a back office path of this server."""
    default = f"{PATH}/queue"
    if not target or len(target) > 500:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or not target.startswith(PATH + "/"):
        return default
    return target


def content_security_policy(file_origin: str) -> str:
    """No inline script or style anywhere; images and videos from here or the file links'
    origin (the public URL)."""
    media = "'self'" if not file_origin else f"'self' {file_origin}"
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {media}",
            f"media-src {media}",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ]
    )


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class SourceThrottle:
    """Failed sign-ins per client address, in this process: after LIMIT failures within
    WINDOW seconds the address must wait, whichever accounts it tried (the per-account lock
    alone would let one address try a password against every account)."""

    LIMIT = 20
    WINDOW = 600
    MAX_SOURCES = 10_000

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_for(self, source: str, now: float) -> int:
        """Seconds this address must still wait before trying again (0: it may try)."""
        with self._lock:
            recent = self._recent(source, now)
            if len(recent) < self.LIMIT:
                return 0
            return int(recent[0] + self.WINDOW - now) + 1

    def failed(self, source: str, now: float) -> None:
        with self._lock:
            if source not in self._failures and len(self._failures) >= self.MAX_SOURCES:
                self._failures.pop(next(iter(self._failures)))  # the longest-known address
            self._recent(source, now).append(now)

    def _recent(self, source: str, now: float) -> deque[float]:
        recent = self._failures.setdefault(source, deque(maxlen=self.LIMIT))
        while recent and recent[0] <= now - self.WINDOW:
            recent.popleft()
        return recent
