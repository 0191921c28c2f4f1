"""An app's AML settings (its `settings["aml"]`); the AML flow step's settings override."""

from __future__ import annotations

from typing import Any

from openkyc.domain.app import service as apps
from openkyc.domain.context import Ctx
from openkyc.errors import Invalid

KEYS = {"monitoring": bool, "automatic_decisions": bool, "threshold": float}


def set_settings(ctx: Ctx, app_id: str, values: dict[str, Any]) -> dict[str, Any]:
    app = apps.get_app(ctx, app_id)
    current = dict((app.settings or {}).get("aml") or {})
    for key, value in values.items():
        if value is None:
            continue
        if key not in KEYS:
            raise Invalid(f"unknown AML setting {key!r}; known: {', '.join(KEYS)}")
        if key == "threshold" and not 0.5 <= float(value) <= 1.0:
            raise Invalid("threshold is between 0.5 and 1")
        current[key] = KEYS[key](value)
    app.settings = {**(app.settings or {}), "aml": current}
    ctx.db.flush()
    return current
