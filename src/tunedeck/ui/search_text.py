"""What the free-text search looks in, per row, and which rows a search finds.

Searching 100,000 rows serialised every record to JSON on every keystroke (about a second
per key). The text of a row only changes when the row does, so it is built once, case-folded,
and dropped for the rows an edit touches; the window builds it in small steps while the search
box has the focus (`warm`), before the first key. The cache lives only while a search may be
active: clearing the search box frees it.

A search is answered from the set of rows it finds, worked out in one pass over the texts, so
that the table's filter asks a set rather than building and searching texts per call. The set
follows edits: an edited or added row is tested again at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from itertools import islice

from tunedeck.core.dataset import Example
from tunedeck.core.session import CurationSession

Test = Callable[[str], object]  # a row's text -> truthy when the search finds it


class SearchText:
    def __init__(self, session: CurationSession) -> None:
        self._session = session
        self._texts: dict[int, str] = {}
        self._notes: dict[int, str] = {}  # the notes each text was built with, when any
        self._unbuilt: Iterator[int] | None = None  # warm()'s way through the rows
        self._search: tuple[Test, set[int]] | None = None  # the current one, kept up to date
        dataset = session.dataset
        # Bound methods are held weakly by core signals: nothing to disconnect.
        dataset.row_changed.connect(self._on_row_changed)
        dataset.row_added.connect(self._on_row_added)
        dataset.row_removed.connect(self._on_row_removed)
        session.reviewed.connect(self._on_reviewed)

    def of(self, row_id: int) -> str:
        """The row's record (or raw line) and reviewer notes, case-folded."""
        text = self._texts.get(row_id)
        if text is None:
            text = self._texts[row_id] = self._build(row_id)
        return text

    def finder(self, test: Test) -> Callable[[int], bool]:
        """Whether a row's text passes `test`, asked by row id: every row is tested now, in
        one pass, and the answers follow edits until the next call or clear()."""
        of, texts, dataset = self.of, self._texts, self._session.dataset
        found = {
            row_id
            for row_id in dataset.ids()
            if test(texts[row_id] if row_id in texts else of(row_id))
        }
        self._search = (test, found)

        def finds(row_id: int) -> bool:
            if row_id in found:
                return True
            if row_id in texts or row_id not in dataset:
                return False
            # A row added since (pasted, or a deletion undone): the table asks about it
            # before this cache hears of it.
            self._renew(row_id)
            return row_id in found

        return finds

    def warm(self, rows: int) -> bool:
        """Build the texts of up to `rows` more rows; False once every row has its text."""
        if self._unbuilt is None:
            self._unbuilt = iter(self._session.dataset.ids())
        dataset, texts = self._session.dataset, self._texts
        step = list(islice(self._unbuilt, rows))
        for row_id in step:
            if row_id not in texts and row_id in dataset:  # edited or removed since
                texts[row_id] = self._build(row_id)
        if len(step) < rows:
            self._unbuilt = None
            return False
        return True

    def clear(self) -> None:
        """Free every text (nothing is being searched)."""
        self._texts.clear()
        self._notes.clear()
        self._unbuilt = None
        self._search = None

    def _build(self, row_id: int) -> str:
        example = self._session.dataset[row_id]
        if example.record is None:
            content = (example.raw or b"").decode("utf-8", "replace")
        else:
            content = json.dumps(example.record, ensure_ascii=False)
        notes = self._session.reviews[row_id].notes
        if notes:
            self._notes[row_id] = notes
        else:
            self._notes.pop(row_id, None)
        return f"{content}\n{notes}".casefold()

    def _on_row_changed(self, row_id: int, _path: str) -> None:
        self._renew(row_id)

    def _on_row_added(self, row_id: int) -> None:
        self._renew(row_id)

    def _on_row_removed(self, example: Example) -> None:
        self._texts.pop(example.id, None)
        self._notes.pop(example.id, None)
        if self._search is not None:
            self._search[1].discard(example.id)

    def _on_reviewed(self, row_ids: frozenset[int]) -> None:
        # Of a review, only the notes are searched: a split or a status leaves the text as
        # it was.
        texts, notes, reviews = self._texts, self._notes, self._session.reviews
        for row_id in row_ids:
            if row_id in texts and notes.get(row_id, "") != reviews[row_id].notes:
                self._renew(row_id)

    def _renew(self, row_id: int) -> None:
        self._texts.pop(row_id, None)
        self._notes.pop(row_id, None)
        if self._search is None or row_id not in self._session.dataset:
            return
        test, found = self._search
        if test(self.of(row_id)):
            found.add(row_id)
        else:
            found.discard(row_id)
