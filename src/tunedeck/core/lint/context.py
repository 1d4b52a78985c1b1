"""Everything a rule may consult besides the row itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from tunedeck.core.dataset.dataset import Dataset
from tunedeck.core.lint.settings import ResolvedSettings
from tunedeck.core.tokens import TokenCounter


@dataclass
class LintContext:
    settings: ResolvedSettings
    counter: TokenCounter
    dataset: Dataset
    # Class label -> its tokens as the model sees it (with the leading space). Few distinct
    # labels, many rows: tokenizing each label once keeps class-token cheap.
    _label_tokens: dict[str, list[str]] = field(default_factory=dict)

    def label_tokens(self, label: str) -> list[str]:
        tokens = self._label_tokens.get(label)
        if tokens is None:
            tokens = self.counter.tokens(" " + label)
            self._label_tokens[label] = tokens
        return tokens

    def where(self, row_id: int) -> str:
        """How to point a user at another row: its line in the file, else its row id."""
        line = self.dataset[row_id].line if row_id in self.dataset else None
        return f"line {line}" if line is not None else f"row #{row_id}"
