"""The one place that chooses adapters from the settings."""

from __future__ import annotations

from openkyc.adapters.http import HttpxPoster
from openkyc.adapters.messaging import build_messenger
from openkyc.adapters.storage import build_storage
from openkyc.checks.duplicate.index import UsearchFaceIndex
from openkyc.domain.ports import Ports, Queue
from openkyc.kit.crypto import Crypto
from openkyc.settings import Settings


def build_ports(settings: Settings, queue: Queue) -> Ports:
    return Ports(
        settings=settings,
        crypto=Crypto(settings.secret_key),
        storage=build_storage(settings.storage_url),
        email=build_messenger(settings.email_url, sender=settings.email_from),
        sms=build_messenger(settings.sms_url, token=settings.sms_token),
        http=HttpxPoster(),
        queue=queue,
        faces=UsearchFaceIndex(),
    )
