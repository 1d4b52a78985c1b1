"""What the free-text search looks in, per row, kept between keystrokes.

Searching 100,000 rows serialised every record to JSON on every keystroke (about a second
per key). The text of a row only changes when the row does, so it is built once, case-folded,
and dropped for the rows an edit or a review touches. The cache lives only while a search is
active: clearing the search box frees it.
"""

from __future__ import annotations

import json

from tunedeck.core.session import CurationSession


class SearchText:
    def __init__(self, session: CurationSession) -> None:
        self._session = session
        self._texts: dict[int, str] = {}
        dataset = session.dataset
        # Bound methods are held weakly by core signals: nothing to disconnect.
        dataset.row_changed.connect(self._on_row_changed)
        dataset.row_removed.connect(self._on_row_removed)
        session.reviewed.connect(self._on_reviewed)

    def of(self, row_id: int) -> str:
        """The row's record (or raw line) and reviewer notes, case-folded."""
        text = self._texts.get(row_id)
        if text is None:
            text = self._texts[row_id] = self._build(row_id)
        return text

    def clear(self) -> None:
        self._texts.clear()

    def _build(self, row_id: int) -> str:
        example = self._session.dataset[row_id]
        if example.record is None:
            content = (example.raw or b"").decode("utf-8", "replace")
        else:
            content = json.dumps(example.record, ensure_ascii=False)
        notes = self._session.reviews[row_id].notes
        return f"{content}\n{notes}".casefold()

    def _on_row_changed(self, row_id: int, _path: str) -> None:
        self._forget(row_id)

    def _on_row_removed(self, example) -> None:
        self._forget(example.id)

    def _on_reviewed(self, row_ids: frozenset[int]) -> None:
        texts = self._texts
        for row_id in row_ids:
            texts.pop(row_id, None)

    def _forget(self, row_id: int) -> None:
        self._texts.pop(row_id, None)
