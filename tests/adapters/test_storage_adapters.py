"""Blob storage: the local directory (keys that try to leave it, atomic writes) and S3
against a real local S3 server (moto's), through the same URLs an operator would set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from openkyc.adapters.storage import LocalStorage, MemoryStorage, S3Storage, build_storage

HOSTILE_KEYS = [
    "../escape",
    "a/../../escape",
    "/etc/passwd",
    "a/./b",
    "a//b",
    ".hidden",
    "a\\..\\b",
    "a\x00b",
    "",
    "x" * 201,
]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_local_storage_refuses_keys_outside_its_root(tmp_path: Path, key: str) -> None:
    storage = LocalStorage(tmp_path / "root")
    for call in (lambda: storage.put(key, b"x"), lambda: storage.get(key)):
        with pytest.raises(ValueError, match="invalid storage key"):
            call()
    with pytest.raises(ValueError):
        storage.delete(key)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root"]
    assert list((tmp_path / "root").iterdir()) == []


def test_local_storage_round_trip_and_atomic_replace(tmp_path: Path) -> None:
    storage = build_storage(f"file://{tmp_path}/files")
    assert isinstance(storage, LocalStorage)
    storage.put("app1/blob-1", b"first")
    storage.put("app1/blob-1", b"second")  # replaced whole
    assert storage.get("app1/blob-1") == b"second"

    # A write that fails half way (here: data that is not bytes, refused by the write
    # itself, after the temporary file exists) leaves the old blob and no temporary file.
    with pytest.raises(TypeError):
        storage.put("app1/blob-1", "not bytes")  # type: ignore[arg-type]
    assert storage.get("app1/blob-1") == b"second"
    assert os.listdir(tmp_path / "files" / "app1") == ["blob-1"]

    storage.delete("app1/blob-1")
    storage.delete("app1/blob-1")  # deleting twice is fine
    with pytest.raises(FileNotFoundError):
        storage.get("app1/blob-1")


def test_memory_storage_speaks_the_same_protocol() -> None:
    storage = build_storage("memory://")
    assert isinstance(storage, MemoryStorage)
    storage.put("a/b", b"x")
    assert storage.get("a/b") == b"x"
    storage.delete("a/b")
    with pytest.raises(FileNotFoundError):
        storage.get("a/b")
    with pytest.raises(ValueError):
        storage.put("../a", b"x")


def test_unknown_storage_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported storage URL scheme 'ftp'"):
        build_storage("ftp://host/files")


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    # boto3 reads credentials from the environment; moto accepts any.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def test_s3_storage_against_a_local_s3_server(s3_endpoint: str) -> None:
    admin = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    admin.create_bucket(Bucket="kyc")
    storage = build_storage(f"s3://kyc/tenant-files?endpoint_url={s3_endpoint}&region=us-east-1")
    assert isinstance(storage, S3Storage)

    storage.put("app1/blob-1", b"\x00encrypted\xff")
    assert storage.get("app1/blob-1") == b"\x00encrypted\xff"
    listed = admin.list_objects_v2(Bucket="kyc")["Contents"]
    assert [o["Key"] for o in listed] == ["tenant-files/app1/blob-1"]  # under the prefix

    storage.delete("app1/blob-1")
    with pytest.raises(FileNotFoundError):
        storage.get("app1/blob-1")
    for key in HOSTILE_KEYS:
        with pytest.raises(ValueError):
            storage.put(key, b"x")
    assert admin.list_objects_v2(Bucket="kyc")["KeyCount"] == 0
    admin.close()
    storage.client.close()
