"""Provider rules: what the launch panel lists and the findings it stops a launch with."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

from tunedeck.core.remote.profiles import AzureProfile, OpenAIProfile, SandboxProfile
from tunedeck.core.remote.rules import check_export, rules_for

OPENAI = OpenAIProfile(id="o", name="OpenAI")
AZURE = AzureProfile(id="a", name="Azure", endpoint="https://x.openai.azure.com")
SANDBOX = SandboxProfile(id="s", name="Sandbox", url="http://127.0.0.1:1")


def _codes(findings: list) -> dict[str, str]:
    return {finding.code: finding.severity for finding in findings}


def test_each_rule_names_where_it_is_written_down() -> None:
    for profile in (OPENAI, AZURE):
        rules = rules_for(profile)
        assert rules
        assert all(rule.source.startswith("https://") and rule.detail for rule in rules)
    azure = {rule.code for rule in rules_for(AZURE)}
    assert {
        "azure-utf8-bom",
        "azure-hosting-fee",
        "azure-developer-24h",
        "azure-idle-15-days",
    } <= azure
    assert rules_for(SANDBOX) == ()


def test_openai_warns_before_the_cutoff_and_refuses_after(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text("{}\n")
    before = check_export(OPENAI, path, 50, today=date(2026, 11, 22))
    assert _codes(before) == {"openai-job-cutoff": "warning"}
    assert "45 days left" in before[0].message
    after = check_export(OPENAI, path, 50, today=date(2027, 1, 6))
    assert _codes(after) == {"openai-job-cutoff": "error"}


def test_too_few_examples_is_an_error_for_both_services(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + b"{}\n")
    for profile in (OPENAI, AZURE):
        findings = check_export(profile, path, 9, today=date(2026, 11, 22))
        assert _codes(findings)["min-examples"] == "error"
        assert "Add 1 more" in next(f.message for f in findings if f.code == "min-examples")


def test_azure_wants_a_byte_order_mark_and_valid_utf8(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(codecs.BOM_UTF8 + '{"a": "café"}\n'.encode())
    assert _codes(check_export(AZURE, good, 10)) == {"azure-deploy-to-chat": "info"}

    plain = tmp_path / "plain.jsonl"
    plain.write_bytes('{"a": "café"}\n'.encode())
    findings = check_export(AZURE, plain, 10)
    assert _codes(findings)["azure-utf8-bom"] == "error"
    assert "byte-order mark" in findings[0].message

    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(codecs.BOM_UTF8 + '{"a": "café"}\n'.encode("latin-1"))
    messages = [f.message for f in check_export(AZURE, latin1, 10)]
    assert any("not valid UTF-8" in message for message in messages)


def test_the_sandbox_checks_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text("{}\n")
    assert check_export(SANDBOX, path, 1) == []
