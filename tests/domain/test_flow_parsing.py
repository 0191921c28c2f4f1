"""An app's flow as an operator writes it: step types in order, with per-step settings."""

from __future__ import annotations

from typing import Any

import pytest

from openkyc.domain.app.schemas import parse_flow
from openkyc.domain.step.schemas import StepType
from openkyc.errors import Invalid


def test_types_and_settings_are_normalised() -> None:
    assert parse_flow(["PHONE", {"type": "ID_DOCUMENT", "settings": {"max_file_bytes": 5}}]) == [
        {"type": "PHONE", "settings": {}},
        {"type": "ID_DOCUMENT", "settings": {"max_file_bytes": 5}},
    ]


def test_every_step_type_may_be_used() -> None:
    flow = parse_flow([t.value for t in StepType])
    assert [s["type"] for s in flow] == [t.value for t in StepType]


@pytest.mark.parametrize(
    ("flow", "fragment"),
    [
        (None, "non-empty list"),
        ("PHONE", "non-empty list"),
        ([], "non-empty list"),
        (["NOPE"], "unknown step type 'NOPE'"),
        ([{"type": 3}], "unknown step type 3"),
        ([{"type": ("PHONE",)}], "unknown step type tuple"),
        ([{"type": "PHONE", "settings": "x"}], "settings of PHONE"),
        ([{"type": "PHONE", "settings": {str(i): i for i in range(51)}}], "at most 50"),
        ([{"type": "PVID", "settings": {"max_file_bytes": -1}}], "max_file_bytes"),
        ([{"type": "PVID", "settings": {"max_file_bytes": 1.5}}], "max_file_bytes"),
        ([{"type": "PVID", "settings": {"max_file_bytes": 2**40}}], "max_file_bytes"),
        (["AML", "AML"], "AML is repeated"),
        ([{"type": "EMAIL", "extra": 1}], "'extra'"),
        ([["PHONE"]], "each flow step"),
    ],
)
def test_invalid_flows_say_what_is_wrong(flow: Any, fragment: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_flow(flow)
    assert fragment in caught.value.message
