"""Outgoing HTTP for webhooks."""

from __future__ import annotations

import httpx


class HttpxPoster:
    def __init__(self) -> None:
        # One pooled client: webhooks to the same receiver reuse connections.
        self.client = httpx.Client(follow_redirects=False)

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        try:
            response = self.client.post(url, content=body, headers=headers, timeout=timeout)
        except httpx.HTTPError as exc:
            raise OSError(str(exc)) from exc
        return response.status_code

    def close(self) -> None:
        self.client.close()
