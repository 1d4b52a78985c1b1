"""Every rule is listed, named by contract, documented for authors, and has its cases."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tunedeck.core.lint.registry import RULES
from tunedeck.core.lint.rule import DOC_HEADINGS

CASES = Path(__file__).parent / "cases"

# The names are a contract with users' CI configurations: never rename one.
CONTRACT_NAMES = {
    "missing-separator",
    "separator-in-prompt",
    "completion-leading-space",
    "missing-stop",
    "class-token",
    "duplicate",
    "conflicting-completion",
    "token-overflow",
    "empty-field",
    "chat-structure",
    "invalid-record",
    "pii",
    "too-few-examples",
    "class-imbalance",
    "mixed-format",
}


def test_every_contract_name_is_registered() -> None:
    assert {rule.name for rule in RULES} >= CONTRACT_NAMES


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [rule.code for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"TD\d{3}", code) for code in codes)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", name) for name in names)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_docstring_has_the_fixed_headings_in_order(rule: type) -> None:
    doc = rule.__doc__ or ""
    positions = [doc.find(heading) for heading in DOC_HEADINGS]
    assert -1 not in positions, f"{rule.name} lacks {DOC_HEADINGS[positions.index(-1)]}"
    assert positions == sorted(positions)
    assert rule.summary and len(rule.summary) < 60


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_every_rule_has_pass_fail_and_fix_cases(rule: type) -> None:
    path = CASES / f"{rule.name}.toml"
    assert path.exists(), f"missing case file {path.name}"
    cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    assert any(not case["expect"] for case in cases), "no passing case"
    assert any(case["expect"] for case in cases), "no failing case"
    fix_section = (rule.__doc__ or "").split("## Fix", 1)[1].split("##", 1)[0].strip()
    if not fix_section.startswith("None"):
        assert any("fixed" in case for case in cases), "the rule fixes, but no case checks it"
