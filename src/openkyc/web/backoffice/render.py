"""Jinja2 rendering for the back office. Autoescaping is on for every template: whatever
an applicant or a tenant typed is text, never markup."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from openkyc.domain.step.reasons import REASONS
from openkyc.domain.step.schemas import StepStatus, StepType
from openkyc.kit.clock import as_utc

TEMPLATES = Path(__file__).parent / "templates"


def _when(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return as_utc(value).strftime("%Y-%m-%d %H:%M:%S UTC")


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["pretty"] = _pretty
    env.tests["scalar"] = _scalar
    env.globals.update(
        reason_codes=sorted(REASONS),
        step_types=list(StepType),
        step_statuses=list(StepStatus),
    )
    return env


class Pages:
    def __init__(self, csrf: Any) -> None:
        self.env = build_environment()
        self._csrf = csrf

    def render(
        self, request: Request, name: str, http_status: int = 200, **context: Any
    ) -> HTMLResponse:
        """A page with the signed-in account, the CSRF token and the pending message; the
        message is shown once."""
        session = request.state.session
        flash = (session.flash, session.flash_kind) if session.flash else None
        if flash:
            request.state.session = replace(session, flash=None)
        html = self.env.get_template(name).render(
            csrf_token=self._csrf(session),
            viewer=getattr(request.state, "viewer", None),
            flash=flash,
            path=request.url.path,
            **context,
        )
        return HTMLResponse(html, status_code=http_status)
