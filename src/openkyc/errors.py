"""Domain errors carry a transport-neutral kind; each surface renders them in its dialect."""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    INVALID = "invalid"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    LOCKED = "locked"
    TOO_MANY = "too_many"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    GONE = "gone"
    UNAVAILABLE = "unavailable"


class OpenKYCError(Exception):
    kind: ErrorKind = ErrorKind.INVALID

    def __init__(
        self,
        message: str,
        kind: ErrorKind | None = None,
        keep_changes: bool = False,
        **details: object,
    ) -> None:
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind
        # True when the work done before the error must still be committed
        # (a wrong one-time code uses up an attempt even though the request fails).
        self.keep_changes = keep_changes
        self.details = details


class NotFound(OpenKYCError):
    kind = ErrorKind.NOT_FOUND


class Invalid(OpenKYCError):
    kind = ErrorKind.INVALID


class Conflict(OpenKYCError):
    kind = ErrorKind.CONFLICT


class Unauthorized(OpenKYCError):
    kind = ErrorKind.UNAUTHORIZED
