"""HMAC signatures: expiring links and webhook signatures."""

from __future__ import annotations

import hashlib
import hmac


def sign(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def verify(key: bytes, message: str, signature: str) -> bool:
    return hmac.compare_digest(sign(key, message), signature)


def sign_link(key: bytes, path: str, expires: int) -> str:
    return sign(key, f"{path}|{expires}")


def webhook_signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return mac.hexdigest()
