"""Wires settings into a running system: engine, ports, queue and its tasks."""

from __future__ import annotations

from dataclasses import dataclass

from huey import Huey

import openkyc.models  # noqa: F401  (registers every table)
from openkyc.adapters.build import build_ports
from openkyc.db.engine import attach_crypto, make_engine
from openkyc.domain.context import Runtime
from openkyc.settings import Settings
from openkyc.worker.queue import HueyQueue, build_huey
from openkyc.worker.tasks import register_tasks


@dataclass
class System:
    runtime: Runtime
    huey: Huey
    queue: HueyQueue


def build_system(settings: Settings) -> System:
    huey = build_huey(settings.queue_url)
    queue = HueyQueue(huey)
    ports = build_ports(settings, queue)
    runtime = Runtime(attach_crypto(make_engine(settings.database_url), ports.crypto), ports)
    register_tasks(huey, runtime, queue)
    return System(runtime=runtime, huey=huey, queue=queue)
