"""Summary numbers: size, classes, review progress, tokens per epoch."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SAMPLE_FILES
from tests.core.stats.conftest import linted, write_jsonl
from tunedeck.core.lint import LintSettings
from tunedeck.core.stats import summarize
from tunedeck.core.storage import Review, Split, Status

SEP = "\n\n###\n\n"
SETTINGS = LintSettings(model="davinci-002", separator=SEP, stop="\n", classification=True)


def test_what_counts_where(tmp_path: Path) -> None:
    rows = [{"prompt": f"ticket {n}{SEP}", "completion": f" {c}\n"} for n, c in enumerate("aabbcd")]
    source = linted(write_jsonl(tmp_path / "d.jsonl", [*rows, "{broken"]), SETTINGS)
    a1, a2, b1, b2, c, d, broken = source.dataset.ids()
    source.reviews = {
        a1: Review(status=Status.APPROVED, split=Split.TRAIN),
        a2: Review(status=Status.UNREVIEWED, split=Split.VALIDATION),
        b1: Review(status=Status.NEEDS_WORK, split=Split.TRAIN),  # held back
        b2: Review(status=Status.APPROVED),  # unassigned: trained on
        c: Review(status=Status.REJECTED, split=Split.VALIDATION),  # never counted
        broken: Review(status=Status.APPROVED),  # nothing to export
    }
    tokens = {row_id: source.linter.facts(row_id).tokens for row_id in source.dataset.ids()}

    summary = summarize(source)

    assert (summary.examples, summary.quarantined) == (7, 1)
    assert summary.classes == 3  # a, b, d: "c" is only on a rejected example
    assert summary.by_status == {
        Status.UNREVIEWED: 2,
        Status.APPROVED: 3,
        Status.REJECTED: 1,
        Status.NEEDS_WORK: 1,
    }
    assert summary.by_split == {Split.TRAIN: 2, Split.VALIDATION: 2, Split.UNASSIGNED: 3}
    assert (summary.reviewed, summary.progress) == (5, 5 / 7)
    assert summary.tokens == sum(tokens[i] for i in (a1, a2, b1, b2, c, d))
    assert (summary.training, summary.validation, summary.exported) == (3, 1, 4)
    assert summary.tokens_per_epoch == tokens[a1] + tokens[b2] + tokens[d]
    assert summary.validation_tokens == tokens[a2]
    assert summary.exported_tokens == summary.tokens_per_epoch + summary.validation_tokens
    assert summary.training_tokens(epochs=3) == 3 * summary.tokens_per_epoch
    assert summary.over_limit == 0 and summary.token_limit == 2048


def test_samples(tmp_path: Path) -> None:
    for path in SAMPLE_FILES:
        source = linted(path)
        summary = summarize(source)
        lines = path.read_text(encoding="utf-8").splitlines()
        assert summary.examples == len(lines) == summary.by_status[Status.UNREVIEWED]
        assert (
            summary.tokens
            == summary.tokens_per_epoch
            == sum(source.linter.facts(row_id).tokens for row_id in source.dataset.ids())
        )
        expected_classes = 14 if "dbpedia" in path.name else 0
        assert summary.classes == expected_classes, path.name
        tokens = [source.linter.facts(i).tokens for i in source.dataset.ids()]
        assert summary.over_limit == sum(n > summary.token_limit for n in tokens)
