"""All configuration, read once from the environment (prefix OPENKYC_) at the edge.

Nothing else in the code reads the environment: the Settings object is built by the
CLI (or a test) and passed down.
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "openkyc-development-secret-key-change-me"  # noqa: S105 - refused in production


class InsecureSettings(ValueError):
    """Raised when production mode is asked for with development secrets."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OPENKYC_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    # The master secret: file and field encryption keys, signed URLs and hashes derive from it.
    secret_key: str = DEFAULT_SECRET_KEY
    # Optional fixed admin token (in addition to tokens created with `openkyc admin-tokens`).
    admin_token: str = ""

    database_url: str = "sqlite:///var/openkyc.db"
    storage_url: str = "file://var/files"
    # sqlite:///path (embedded, default), redis://host:port/db (scale-out), memory:// (tests)
    queue_url: str = "sqlite:///var/queue.db"
    # Consumer threads run inside `openkyc serve` for the sqlite and memory queues.
    embedded_workers: int = 2
    worker_threads: int = 4

    public_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000

    # Messaging: console (stdout, or console:///path/to/file), smtp://user:pass@host:port
    email_url: str = "console://"
    email_from: str = "openkyc <no-reply@localhost>"
    # console://..., or https://... : a generic SMS/voice webhook receiving JSON
    sms_url: str = "console://"
    sms_token: str = ""
    email_check_deliverability: bool = False

    otp_ttl_seconds: int = 600
    otp_max_attempts: int = 5
    otp_resend_seconds: int = 30
    otp_max_sends_per_hour: int = 5

    file_url_ttl_seconds: int = 900
    # Whole request bodies; per-file limits are stricter (see domain/file).
    max_upload_bytes: int = 60 * 1024 * 1024

    # A step whose check was enqueued this long ago without a decision is enqueued again.
    sweep_stale_seconds: int = 120
    sweep_interval_seconds: int = 30
    # A check started this many times for one submission without finishing (its worker
    # crashed each time) is given up: the step goes to a reviewer.
    check_max_runs: int = Field(default=3, ge=1)
    webhook_timeout_seconds: float = 10.0
    webhook_retry_hours: int = 24
    webhook_first_retry_seconds: int = 30

    # A local ONNX passive anti-spoofing model whose score is added to liveness evidence
    # (none ships with openkyc; it is never downloaded). Empty: not used.
    liveness_antispoof_model: str = ""

    log_level: str = "INFO"
    demo: bool = Field(default=True, description="create a demo app on first start")

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        if self.environment == "production":
            if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
                raise InsecureSettings(
                    "OPENKYC_SECRET_KEY must be set to a random value of at least 32 characters "
                    "in production"
                )
            if self.admin_token and len(self.admin_token) < 32:
                raise InsecureSettings("OPENKYC_ADMIN_TOKEN must be at least 32 characters")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def export_to_children(**values: str) -> None:
    """Hand settings to child processes (uvicorn's worker processes build their own
    Settings from the environment they inherit)."""
    for name, value in values.items():
        os.environ[f"OPENKYC_{name.upper()}"] = value
