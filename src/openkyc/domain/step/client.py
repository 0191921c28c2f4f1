"""What a submission records about the applicant's client: IP, browser, platform, language."""

from __future__ import annotations

from typing import Any

from ua_parser import parse

MAX_UA = 512
MAX_ACCEPT_LANGUAGE = 512
MAX_TAGS = 32


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


def _weight(params: list[str]) -> float:
    for param in params:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                return 0.0
            return weight if 0.0 <= weight <= 1.0 else 0.0
    return 1.0


def language(accept_language: str | None) -> str:
    """The preferred language of an Accept-Language header (highest q, first on a tie),
    reduced to its primary subtag; "" when there is none. "*" and the one-letter
    prefixes of private tags ("x-...", "i-...") name no language."""
    if not accept_language:
        return ""
    best, best_weight = "", 0.0
    # Browsers send a handful of tags; a header of thousands is cut, not parsed.
    for item in accept_language[:MAX_ACCEPT_LANGUAGE].split(",")[:MAX_TAGS]:
        tag, *params = item.split(";")
        primary = tag.strip().split("-")[0].lower()
        if not (primary.isascii() and primary.isalpha() and 2 <= len(primary) <= 3):
            continue
        weight = _weight(params)
        if weight > best_weight:
            best, best_weight = primary, weight
    return best
