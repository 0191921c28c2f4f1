"""Reading and writing multipart/form-data bodies, for the test that plays the applicant's
part in the liveness step (the fake camera cannot follow random prompts)."""

from __future__ import annotations

import re
import secrets

Part = tuple[str, str | None, str | None, bytes]  # name, filename, content type, data


def parse(content_type: str, body: bytes) -> list[Part]:
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    assert found, content_type
    delimiter = b"--" + found.group(1).encode()
    parts: list[Part] = []
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = head.decode("utf-8", "replace")
        name = re.search(r'name="([^"]*)"', headers)
        filename = re.search(r'filename="([^"]*)"', headers)
        kind = re.search(r"content-type:\s*([^\r\n]+)", headers, re.I)
        parts.append(
            (
                name.group(1) if name else "",
                filename.group(1) if filename else None,
                kind.group(1).strip() if kind else None,
                data.removesuffix(b"\r\n"),
            )
        )
    return parts


def build(parts: list[Part]) -> tuple[str, bytes]:
    boundary = "----openkyc" + secrets.token_hex(8)
    out = b""
    for name, filename, kind, data in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        head = f"Content-Disposition: {disposition}\r\n"
        if kind:
            head += f"Content-Type: {kind}\r\n"
        out += f"--{boundary}\r\n{head}\r\n".encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", out
