"""Outgoing HTTP for webhooks."""

from __future__ import annotations

import httpx


class HttpxPoster:
    def __init__(self) -> None:
        # One pooled client: webhooks to the same receiver reuse connections.
        self.client = httpx.Client(follow_redirects=False)

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        """The status code; any failure to get one is an OSError subclass whose message
        never repeats the URL (it carries the endpoint's secret)."""
        try:
            response = self.client.post(url, content=body, headers=headers, timeout=timeout)
        except httpx.TimeoutException:
            raise TimeoutError(f"no answer within {timeout:g} seconds") from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise ConnectionError(type(exc).__name__) from None
        return response.status_code

    def close(self) -> None:
        self.client.close()
