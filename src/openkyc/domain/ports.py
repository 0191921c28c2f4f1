"""The long-lived collaborators the domain needs, as Protocols. adapters/ implements them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from openkyc.kit.crypto import Crypto
from openkyc.settings import Settings


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...


class Messenger(Protocol):
    """Sends one short message to a phone (sms or call) or an email address."""

    def send(self, channel: str, to: str, subject: str, text: str) -> None: ...


class HttpPoster(Protocol):
    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        """POST and return the status code; raise OSError on a transport failure."""
        ...


class Queue(Protocol):
    """Carries 'look at X' messages; the database row stays the truth."""

    def check_step(self, step_id: str) -> None: ...
    def deliver_webhook(self, delivery_id: str, delay_seconds: float = 0) -> None: ...


class FaceIndex(Protocol):
    """In-memory nearest-neighbour search over face embeddings, one index per app.

    A cache of the database rows (the truth), filled and caught up by the duplicate check.
    Vectors are float32 numpy arrays of unit length; keys are the rows' integer ids.
    """

    def last_key(self, app_id: str) -> int: ...
    def add(self, app_id: str, keys: Any, vectors: Any) -> None: ...
    def remove(self, app_id: str, keys: list[int]) -> None: ...
    def search(self, app_id: str, vector: Any, count: int) -> list[tuple[int, float]]: ...


@dataclass
class Ports:
    settings: Settings
    crypto: Crypto
    storage: Storage
    email: Messenger
    sms: Messenger
    http: HttpPoster
    queue: Queue
    faces: FaceIndex
