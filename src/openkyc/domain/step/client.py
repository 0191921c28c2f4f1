"""What a submission records about the applicant's client: IP, browser, platform, language."""

from __future__ import annotations

from typing import Any

from ua_parser import parse

MAX_UA = 512


def _version(*parts: str | None) -> str:
    return ".".join(p for p in parts if p)


def client_metadata(
    ip: str | None, user_agent: str | None, accept_language: str | None
) -> dict[str, Any]:
    ua = (user_agent or "")[:MAX_UA]
    parsed = parse(ua) if ua else None
    browser = parsed.user_agent if parsed else None
    os_ = parsed.os if parsed else None
    device = parsed.device if parsed else None
    platform = ""
    if os_ is not None:
        platform = f"{os_.family} {_version(os_.major, os_.minor, os_.patch)}".strip()
    return {
        "ip": ip or "",
        "user_agent": ua,
        "platform": platform,
        "browser_name": browser.family if browser else "",
        "browser_version": _version(browser.major, browser.minor) if browser else "",
        "device": device.family if device and device.family != "Other" else "",
        "customer_language": language(accept_language),
    }


def language(accept_language: str | None) -> str:
    """The first language tag of an Accept-Language header, reduced to its primary subtag."""
    if not accept_language:
        return ""
    first = accept_language.split(",")[0].split(";")[0].strip()
    primary = first.split("-")[0].lower()
    return primary if primary.isalpha() and len(primary) <= 3 else ""
