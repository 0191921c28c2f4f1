"""The official SDKs against a live local server: openkyc under uvicorn on a free port,
an app with gateway credentials, a webhook receiver and the KYC files on disk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.servers import Receiver, http_receiver, serve
from tests.synapsefi.conftest import Gateway, id_page_with, new_gateway

from openkyc.app import create_app
from openkyc.bootstrap import System
from openkyc.settings import Settings


@dataclass(frozen=True)
class Live:
    url: str
    gateway: Gateway
    receiver: Receiver
    id_page: Path
    selfie: Path
    other_selfie: Path


@pytest.fixture
def live_server(settings: Settings, system: System, tmp_path: Path) -> Iterator[Live]:
    from tests.checks.face import images

    files = {
        "id_page": id_page_with(images.astronaut()),
        "selfie": images.jpeg(images.astronaut()),
        "other_selfie": images.jpeg(images.hopper()),
    }
    for name, data in files.items():
        (tmp_path / f"{name}.jpg").write_bytes(data)
    gateway = new_gateway(system, "sdk-app", sandbox=True)
    with http_receiver() as receiver, serve(create_app(settings, system)) as url:
        yield Live(
            url,
            gateway,
            receiver,
            tmp_path / "id_page.jpg",
            tmp_path / "selfie.jpg",
            tmp_path / "other_selfie.jpg",
        )
