"""What a submission records about the applicant's client: parsed user agents, languages."""

from __future__ import annotations

import pytest

from openkyc.domain.step.client import MAX_UA, client_metadata, language

FIREFOX_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:114.0) Gecko/20100101 Firefox/114.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.144 Mobile Safari/537.36"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91"
)


@pytest.mark.parametrize(
    ("ua", "platform", "browser", "version", "device"),
    [
        (FIREFOX_MAC, "Mac OS X 10.15", "Firefox", "114.0", "Mac"),
        (SAFARI_IPHONE, "iOS 17.1", "Mobile Safari", "17.1", "iPhone"),
        (CHROME_WINDOWS, "Windows 10", "Chrome", "120.0", ""),
        (CHROME_ANDROID, "Android 14", "Chrome Mobile", "120.0", "Pixel 8"),
        (EDGE_WINDOWS, "Windows 10", "Edge", "120.0", ""),
    ],
)
def test_real_user_agents_are_parsed(
    ua: str, platform: str, browser: str, version: str, device: str
) -> None:
    assert client_metadata("203.0.113.7", ua, "fr-FR,fr;q=0.9,en;q=0.8") == {
        "ip": "203.0.113.7",
        "user_agent": ua,
        "platform": platform,
        "browser_name": browser,
        "browser_version": version,
        "device": device,
        "customer_language": "fr",
    }


def test_nothing_known_is_empty_strings() -> None:
    assert client_metadata(None, None, None) == {
        "ip": "",
        "user_agent": "",
        "platform": "",
        "browser_name": "",
        "browser_version": "",
        "device": "",
        "customer_language": "",
    }


def test_unknown_agents_leave_the_fields_empty() -> None:
    meta = client_metadata("::1", "my-kyc-app/3.2 (custom)", "")
    assert meta["user_agent"] == "my-kyc-app/3.2 (custom)"
    assert (meta["platform"], meta["browser_name"], meta["device"]) == ("", "", "")


def test_a_huge_user_agent_is_cut() -> None:
    meta = client_metadata("10.0.0.1", FIREFOX_MAC + "x" * 10_000, None)
    assert len(meta["user_agent"]) == MAX_UA
    assert meta["browser_name"] == "Firefox"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"),
        ("en;q=0.1, de;q=0.9", "de"),  # the weight decides, not the position
        ("es-419", "es"),
        ("DE-de", "de"),
        ("zh-Hant-TW;q=0.8", "zh"),
        ("de, fr", "de"),  # a tie goes to the first
        ("*", ""),
        ("en;q=0, fr;q=0", ""),  # q=0 means "not acceptable"
        ("en;q=abc, es;q=0.3", "es"),
        ("en;q=7, es;q=0.3", "es"),  # out of range weights are ignored
        ("x-klingon-1234, it", "it"),
        ("12, 3-4", ""),
        ("ñ, pt-BR", "pt"),
        (";;;,,,", ""),
        ("", ""),
        (None, ""),
        ("de;q=0.5," + "x;q=0.1," * 5000 + "fr", "de"),  # long headers are cut, not parsed
    ],
)
def test_accept_language(header: str | None, expected: str) -> None:
    assert language(header) == expected
