"""A worker done with an imported dataset empties it row by row, telling no one."""

from __future__ import annotations

import weakref

from tunedeck.core.dataset import Dataset, Example


class _Marker:
    """Something a record holds that can be watched for being freed."""


def test_let_go_frees_every_row_without_announcing_removals() -> None:
    marker = _Marker()
    watched = weakref.ref(marker)
    records = [{"prompt": f"p{n} ->", "completion": " x", "meta": marker} for n in range(1, 6)]
    examples = [Example(n, record) for n, record in enumerate(records, start=1)]
    del marker, records
    dataset = Dataset.from_examples(examples)
    assert dataset.position(5) == 4
    removed: list[object] = []
    dataset.row_removed.connect(removed.append)
    del examples

    dataset.let_go()

    assert len(dataset) == 0
    assert dataset.ids() == []
    assert watched() is None  # the rows are gone, not just hidden
    assert removed == []  # nothing was deleted by anyone: no undo entry, no store change
