"""Lint results as text for a terminal and as JSON for a pipeline."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from tunedeck.core.dataset.dataset import Dataset
from tunedeck.core.dataset.example import ExampleFormat
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.linter import Linter
from tunedeck.core.lint.settings import Source
from tunedeck.core.lint.show import visible
from tunedeck.core.wording import counted


@dataclass
class Report:
    file: str
    linter: Linter

    @property
    def dataset(self) -> Dataset:
        return self.linter.dataset

    def findings(self) -> list[Diagnostic]:
        return self.linter.diagnostics()

    def line_of(self, diagnostic: Diagnostic) -> int | None:
        if diagnostic.row_id is None or diagnostic.row_id not in self.dataset:
            return None
        return self.dataset[diagnostic.row_id].line

    def data_format(self) -> str:
        formats = self.linter.tally.formats
        kinds = {f for f in (ExampleFormat.LEGACY, ExampleFormat.CHAT) if formats.get(f)}
        if len(kinds) == 2:
            return "mixed"
        return kinds.pop().value if kinds else "unknown"

    def summary(self, findings: list[Diagnostic]) -> dict[str, Any]:
        severities = Counter(d.severity.value for d in findings)
        return {
            "errors": severities.get("error", 0),
            "warnings": severities.get("warning", 0),
            "info": severities.get("info", 0),
            "fixable": sum(1 for d in findings if d.fix is not None),
            "by_rule": dict(Counter(d.rule for d in findings).most_common()),
        }

    def invalid(self) -> int:
        return self.linter.tally.formats.get(ExampleFormat.INVALID, 0)

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.findings())

    def as_json(self) -> dict[str, Any]:
        settings = self.linter.settings
        findings = self.findings()
        return {
            "file": self.file,
            "format": self.data_format(),
            "model": settings.model.name,
            "encoding": settings.model.encoding,
            "examples": len(self.dataset) - self.invalid(),
            "invalid": self.invalid(),
            "settings": settings.as_dict(),
            "findings": [self._finding(d) for d in findings],
            "summary": self.summary(findings),
        }

    def _finding(self, diagnostic: Diagnostic) -> dict[str, Any]:
        return {
            "rule": diagnostic.rule,
            "code": diagnostic.code,
            "severity": diagnostic.severity.value,
            "line": self.line_of(diagnostic),
            "field": diagnostic.field,
            "message": diagnostic.message,
            "fixable": diagnostic.fix is not None,
            "data": dict(diagnostic.data),
        }

    def as_text(self) -> str:
        findings = self.findings()
        lines = []
        for diagnostic in findings:
            line = self.line_of(diagnostic)
            where = f"{self.file}:{line}" if line is not None else self.file
            lines.append(f"{where}: {diagnostic.code} {diagnostic.rule}: {diagnostic.message}")
        if lines:
            lines.append("")
        lines.extend(self._text_summary(findings))
        return "\n".join(lines) + "\n"

    def _text_summary(self, findings: list[Diagnostic]) -> list[str]:
        settings = self.linter.settings
        invalid = self.invalid()
        lines = [
            f"{self.file}: {len(self.dataset) - invalid} examples ({self.data_format()})"
            + (f", {counted(invalid, 'unreadable line')}" if invalid else ""),
            f"  model {settings.model.name} ({_source(settings.model_source)}): "
            f"{settings.model.encoding}, limit {settings.token_limit:,} tokens",
        ]
        if settings.separator is not None:
            lines.append(
                f"  separator {visible(settings.separator)} ({_source(settings.separator_source)})"
            )
        if settings.stop is not None:
            lines.append(f"  stop {visible(settings.stop)} ({_source(settings.stop_source)})")
        elif settings.separator is not None:
            lines.append("  stop sequence: none (no common ending among the completions)")
        kind = "classification" if settings.classification else "not classification"
        lines.append(f"  {kind} ({_source(settings.classification_source)})")
        summary = self.summary(findings)
        lines.append(
            f"{counted(len(findings), 'finding')}: {counted(summary['errors'], 'error')}, "
            f"{counted(summary['warnings'], 'warning')}, {summary['info']} info; "
            f"{summary['fixable']} fixable with `tunedeck fix`"
        )
        lines.extend(f"  {count:6} {rule}" for rule, count in summary["by_rule"].items())
        return lines


def _source(source: Source) -> str:
    return {
        Source.CONFIGURED: "as given",
        Source.INFERRED: "inferred from the data",
        Source.PROPOSED: "proposed: the data has none",
        Source.NONE: "none",
    }[source]
