"""Blob storage: a local directory (default), S3-compatible, or memory (tests).

Blobs arrive already encrypted; storage never sees plaintext. Keys are the server's own
(`<app id>/<file id>`), checked anyway so that no key can reach outside the store. Every
adapter raises FileNotFoundError for a key it does not hold.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

# Segments separated by single slashes, each starting with a letter or digit: no absolute
# paths, no "." or ".." segments, no empty ones, nothing a filesystem reads specially.
_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9_\-.]*"
_KEY = re.compile(rf"{_SEGMENT}(/{_SEGMENT})*")


def _checked(key: str) -> str:
    if len(key) > 200 or not _KEY.fullmatch(key) or ".." in key:
        raise ValueError("invalid storage key")
    return key


class LocalStorage:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def put(self, key: str, data: bytes) -> None:
        path = self.root / _checked(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write and sync a temporary file, then rename it over the real name: a reader or a
        # crash sees the old blob or the new one, never half of one.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        return (self.root / _checked(key)).read_bytes()

    def delete(self, key: str) -> None:
        (self.root / _checked(key)).unlink(missing_ok=True)


class MemoryStorage:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put(self, key: str, data: bytes) -> None:
        self.blobs[_checked(key)] = data

    def get(self, key: str) -> bytes:
        try:
            return self.blobs[_checked(key)]
        except KeyError:
            raise FileNotFoundError(key) from None

    def delete(self, key: str) -> None:
        self.blobs.pop(_checked(key), None)


class S3Storage:
    """s3://bucket/prefix?endpoint_url=http://host:port&region=... ; credentials from boto3's
    usual chain (environment, profile, instance role)."""

    def __init__(self, bucket: str, prefix: str = "", client: Any = None, **options: Any) -> None:
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client or boto3.client("s3", **options)

    def _key(self, key: str) -> str:
        key = _checked(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def get(self, key: str) -> bytes:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None
        body: bytes = obj["Body"].read()
        return body

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def build_storage(url: str) -> LocalStorage | S3Storage | MemoryStorage:
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalStorage(parts.netloc + parts.path)
    if parts.scheme == "memory":
        return MemoryStorage()
    if parts.scheme == "s3":
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        options: dict[str, Any] = {}
        if "endpoint_url" in query:
            options["endpoint_url"] = query["endpoint_url"]
        if "region" in query:
            options["region_name"] = query["region"]
        return S3Storage(parts.netloc, parts.path, **options)
    raise ValueError(f"unsupported storage URL scheme {parts.scheme!r} (file, s3, memory)")
