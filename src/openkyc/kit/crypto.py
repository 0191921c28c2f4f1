"""Encryption at rest (AES-256-GCM) and keyed hashes, all derived from one master secret.

Each purpose gets its own key through HKDF, so a leaked link-signing key says nothing
about the file key. Ciphertexts carry a version byte and a random 96-bit nonce.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = b"\x01"


class DecryptionError(Exception):
    """The ciphertext was tampered with, truncated, or encrypted under another key."""


def derive_key(secret: str, purpose: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"openkyc", info=purpose.encode())
    return hkdf.derive(secret.encode())


class Crypto:
    """Keys for one deployment, built once from the settings' secret."""

    def __init__(self, secret: str) -> None:
        self._files = AESGCM(derive_key(secret, "files"))
        self._fields = AESGCM(derive_key(secret, "fields"))
        self.link_key = derive_key(secret, "links")
        self._hash_key = derive_key(secret, "hashes")

    @staticmethod
    def _seal(aead: AESGCM, data: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(12)
        return _VERSION + nonce + aead.encrypt(nonce, data, aad)

    @staticmethod
    def _open(aead: AESGCM, blob: bytes, aad: bytes) -> bytes:
        if len(blob) < 29 or blob[:1] != _VERSION:
            raise DecryptionError("unknown ciphertext format")
        try:
            return aead.decrypt(blob[1:13], blob[13:], aad)
        except InvalidTag as exc:
            raise DecryptionError("ciphertext failed authentication") from exc

    def encrypt_file(self, data: bytes, file_id: str) -> bytes:
        # The file id is bound as associated data: blobs cannot be swapped between files.
        return self._seal(self._files, data, file_id.encode())

    def decrypt_file(self, blob: bytes, file_id: str) -> bytes:
        return self._open(self._files, blob, file_id.encode())

    def encrypt_json(self, value: Any) -> bytes:
        return self._seal(self._fields, json.dumps(value, separators=(",", ":")).encode(), b"")

    def decrypt_json(self, blob: bytes | None) -> Any:
        if not blob:
            return None
        return json.loads(self._open(self._fields, blob, b""))

    def keyed_hash(self, value: str) -> str:
        """A deterministic hash for lookups (API keys, codes) that is useless without the key."""
        return hmac.new(self._hash_key, value.encode(), hashlib.sha256).hexdigest()
