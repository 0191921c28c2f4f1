"""Blob storage: a local directory (default), S3-compatible, or memory (tests).

Blobs arrive already encrypted; storage never sees plaintext.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-/.]{0,199}$")


def _checked(key: str) -> str:
    if not _KEY.match(key) or ".." in key:
        raise ValueError("invalid storage key")
    return key


class LocalStorage:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def put(self, key: str, data: bytes) -> None:
        path = self.root / _checked(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves half a file under the real name.
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)

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
        return self.blobs[_checked(key)]

    def delete(self, key: str) -> None:
        self.blobs.pop(key, None)


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
        obj = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
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
