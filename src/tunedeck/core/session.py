"""One dataset of a project, open for curation: in memory, linted, every change stored at once.

The window works on this object and nothing else. Record edits arrive as the same reversible
commands the lint fixes use; the session applies them to the in-memory dataset (so the
linter follows incrementally through the dataset's signals) and stores them in one
transaction before returning. If storing fails, the in-memory change is taken back, so what
the user sees is always what the project holds.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import Any

from tunedeck.core import tokens
from tunedeck.core.collector import building_long_lived
from tunedeck.core.dataset import Dataset, Example, ExampleFormat
from tunedeck.core.dataset.commands import Command
from tunedeck.core.dataset.fields import MISSING, get_field
from tunedeck.core.lint import Linter, LintSettings, Update
from tunedeck.core.lint.linter import Progress
from tunedeck.core.models import DEFAULT_CHAT_MODEL, DEFAULT_COMPLETION_MODEL
from tunedeck.core.signals import Signal
from tunedeck.core.storage import Change, DatasetInfo, Project, Review, StoredExample
from tunedeck.core.storage.bulk_editing import Reviewed
from tunedeck.core.storage.loading import PageReader
from tunedeck.core.storage.records import with_suppressions


class CurationSession:
    """The dataset named `name` of an open project.

    Signals:
        reviewed(row_ids): the reviews (status, notes, split, ...) of these rows changed; a
            frozenset, once per change however many rows it touched. A split of 100,000
            rows is one call, so that whatever follows (table, counts, charts) works
            through them in one go rather than running its whole reaction per row.
        findings_changed(Update): rows whose findings an edit changed, to repaint.
        relinted(): the linter was replaced (new settings); every row may have changed.
    """

    reviewed = Signal(object)
    findings_changed = Signal(object)
    relinted = Signal()

    def __init__(self, project: Project, name: str, first: int | None = None) -> None:
        """Open dataset `name` of `project`: all its rows, or with `first`, that many of them
        (so that a window can show them at once); read_rest() and take_rest() bring the rest.
        """
        tokens.prefetch(_likely_model(project, name))  # while the rows load
        with building_long_lived():
            loaded = project.load(name, first=first)
        self.project = project
        self.info: DatasetInfo = loaded.info
        self.dataset: Dataset = loaded.dataset
        self.reviews: dict[int, Review] = loaded.reviews
        self._versions = loaded.versions
        self._rest = loaded.rest
        self._linter_outdated = False
        self._linted = False  # see `linted`
        # Every row, loaded or not: what a progress bar counts up to.
        self.total_rows = len(self.dataset) + (
            0 if self._rest is None else project.count(self.info.id) - len(self.dataset)
        )
        self._deleted: set[int] = set()
        self._recording: list[tuple[str, int, str]] | None = None
        self.dataset.row_changed.connect(self._on_row_changed)
        self.dataset.row_removed.connect(self._on_row_removed)
        self.dataset.row_added.connect(self._on_row_added)
        self.linter = self._new_linter(loaded.lint_settings())

    def _new_linter(self, settings: LintSettings) -> Linter:
        # Not Linter.attach(): the session forwards the dataset's signals to whichever linter
        # is current, so a linter replaced by new settings stops following edits.
        return Linter(self.dataset, settings)

    # --- opening page by page ------------------------------------------------------------

    @property
    def complete(self) -> bool:
        """Every row is in memory (False between a `first` opening and take_rest())."""
        return self._rest is None

    @property
    def linted(self) -> bool:
        """Every row is in and the current linter has been through them all, so its findings,
        classes and counts describe the whole dataset (an export may be checked against it)."""
        return self._rest is None and self._linted

    def read_rest(self, progress: Callable[[int], None] | None = None) -> dict[int, Example]:
        """Read the rows not loaded yet, in a worker thread: by id, in file order, for
        take_rest(). `progress` gets the number read so far, page by page.

        Their reviews and versions go straight into the session's, from the worker: the
        window only looks up rows it has, and this spares the GUI thread two 100,000-key
        merges in take_rest().
        """
        if self._rest is None:
            return {}
        reader = PageReader(self.reviews, self._versions)
        with building_long_lived():
            rest = self.project.load_rest(
                self.info.id, self._rest, progress=progress, reader=reader
            )
            # Asked of every row when the table picks its columns: worked out here, off the
            # GUI thread, where take_rest() would otherwise spend it.
            deque(map(_FORMAT, rest.examples), maxlen=0)
            return dict(zip(map(_ID, rest.examples), rest.examples, strict=True))

    def take_rest(self, rows: dict[int, Example]) -> None:
        """Add what read_rest() read (on the GUI thread): the dataset announces them in one
        rows_appended. Run lint_all() next: it builds a new linter first, since settings
        inferred from the first rows alone may not fit them all."""
        self._rest = None
        self.total_rows = len(self.dataset) + len(rows)
        self._linter_outdated = True  # rebuilt by lint_all(), in its worker thread
        self._linted = False
        self.dataset.extend(rows)

    def lint_all(self, progress: Progress | None = None) -> None:
        """The first full pass (slow on a large dataset: run it off the GUI thread)."""
        if self._linter_outdated:  # a look at every row to infer settings: also off the GUI
            self.linter = self._new_linter(with_suppressions(self.info.settings, self.reviews))
            self._linter_outdated = False
        self.linter.run(progress)
        self._linted = True

    # --- record edits ----------------------------------------------------------------------

    def execute(self, command: Command) -> Command:
        """Apply an edit and store it; returns the command that undoes it.

        Raises:
            UserError: It could not be stored (a conflict, a full disk); nothing changed.
        """
        self._recording = []
        try:
            inverse = command.apply(self.dataset)
            changes = self._recording
        finally:
            self._recording = None
        try:
            stored = self.project.apply([self._change(*item) for item in changes])
        except BaseException:
            with self._muted():
                inverse.apply(self.dataset)
            raise
        self._announce([example.id for example in stored.values() if self._remember(example)])
        return inverse

    def _change(self, kind: str, row_id: int, path: str) -> Change:
        version = self._versions[row_id]
        if kind == "field":
            record = self.dataset[row_id].record
            try:
                value = get_field(record, path)
            except (KeyError, IndexError, TypeError):
                value = MISSING
            return Change(row_id, version, content={path: value})
        return Change(row_id, version, review={"deleted": kind == "removed"})

    def _on_row_changed(self, row_id: int, path: str) -> None:
        if self._recording is not None and path:
            self._recording.append(("field", row_id, path))
        self.findings_changed.emit(self.linter.row_changed(row_id))

    def _on_row_removed(self, example: Example) -> None:
        if self._recording is not None:
            self._recording.append(("removed", example.id, ""))
            self._deleted.add(example.id)
        self.findings_changed.emit(self.linter.row_removed(example.id))

    def _on_row_added(self, row_id: int) -> None:
        if self._recording is not None:
            self._recording.append(("added", row_id, ""))
            self._deleted.discard(row_id)
        self.findings_changed.emit(self.linter.row_added(row_id))

    @contextmanager
    def _muted(self) -> Iterator[None]:
        saved, self._recording = self._recording, None
        try:
            yield
        finally:
            self._recording = saved

    def _remember(self, stored: StoredExample | Reviewed) -> bool:
        """Take in a stored row's version and review; True when the review changed (the
        caller announces it, with the rest of its change)."""
        self._versions[stored.id] = stored.version
        before = self.reviews.get(stored.id)
        if before == stored.review:
            return False
        self.reviews[stored.id] = stored.review
        if before is None or before.suppressed != stored.review.suppressed:
            self._suppress(stored.id, stored.review.suppressed)
        return True

    def _announce(self, row_ids: Iterable[int]) -> None:
        changed = frozenset(row_ids)
        if changed:
            self.reviewed.emit(changed)

    def _suppress(self, row_id: int, rules: tuple[str, ...]) -> None:
        # The linter filters suppressed rules when asked for a row's findings, so updating
        # its table and repainting the row is all "Ignore for this row" needs.
        suppressed = self.linter.settings.options.suppressed
        if rules:
            suppressed[row_id] = set(rules)
        else:
            suppressed.pop(row_id, None)
        self.linter.forget_findings()
        self.findings_changed.emit(Update({row_id}))

    # --- other changes ---------------------------------------------------------------------

    def review(self, row_id: int, **changes: Any) -> dict[str, Any]:
        """Change review fields; returns their previous values (for undo)."""
        before = self.reviews[row_id]
        old = {name: getattr(before, name) for name in changes}
        if "status" in changes and "reviewer" not in changes:
            old["reviewer"] = before.reviewer
        stored = self.project.review(row_id, self._versions[row_id], **changes)
        if self._remember(stored):
            self._announce((row_id,))
        return old

    def review_many(
        self,
        changes: Mapping[int, Mapping[str, Any]],
        progress: Callable[[int, int], None] | None = None,
        run_store: Callable[[Callable[[], Any]], Any] | None = None,
    ) -> dict[int, dict[str, Any]]:
        """Change review fields of many rows in one transaction (a split of the dataset).

        Args:
            changes: Row id -> review fields to change, as review() takes them. Rows changed
                alike may share one mapping (a split: one per side); it is not kept.
            progress: Called as progress(done, total) while the session takes the stored
                reviews in, every thousand rows and at the end (before `reviewed` is
                emitted, once, for all of them).
            run_store: Runs the store: `run_store(store)` returns what `store()` returns
                (or raises what it raises). The window runs it in a thread, so that it can
                repaint meanwhile; by default it runs here. Nothing in the session changes
                until it has returned.

        Returns:
            Row id -> the previous values of the fields changed, to undo with this call.

        Raises:
            UserError: One row could not be stored (someone else changed it); nothing was.
        """
        old = {}
        batch = []
        copies: dict[int, dict[str, Any]] = {}  # one copy per mapping, shared like it
        reviews, versions = self.reviews, self._versions
        for row_id, fields in changes.items():
            before = reviews[row_id]
            old[row_id] = {name: getattr(before, name) for name in fields}
            if "status" in fields and "reviewer" not in fields:
                old[row_id]["reviewer"] = before.reviewer
            review = copies.get(id(fields))
            if review is None:
                review = copies[id(fields)] = dict(fields)
            batch.append(Change(row_id, versions[row_id], review=review))

        def store() -> list[Reviewed]:
            # The new reviews are worked out where the store runs (the window's thread for
            # it): a third of a second for 100,000 rows that the window need not wait for.
            return list(self.project.apply(batch).reviewed())

        stored = store() if run_store is None else run_store(store)
        total = len(stored)
        changed = []
        for done, reviewed in enumerate(stored, 1):
            if self._remember(reviewed):
                changed.append(reviewed.id)
            if progress is not None and (done % 1000 == 0 or done == total):
                progress(done, total)
        self._announce(changed)
        return old

    def add(self, record: dict[str, Any], after: int | None = None) -> int:
        """Store a new example after row `after` (at the end when None); returns its id."""
        stored = self.project.add(self.info.id, record, after=after)
        following = self._following(after)
        self._versions[stored.id] = stored.version
        self.reviews[stored.id] = stored.review
        with self._muted():
            self.dataset.insert(stored.example, before=following)
        return stored.id

    def _following(self, after: int | None) -> int | None:
        if after is None:
            return None
        ids = self.dataset.ids()
        index = ids.index(after) + 1
        return ids[index] if index < len(ids) else None

    def replace_line(self, row_id: int, text: str) -> str:
        """Replace a row's whole line of JSON (repairing a quarantined line); returns the old."""
        stored = self.project.repair(row_id, self._versions[row_id], text)
        old = self.project.history(row_id)[-1].old
        self._versions[row_id] = stored.version
        with self._muted():
            self.dataset.replace(row_id, stored.example)
        return old

    def apply_settings(self, settings: LintSettings) -> None:
        """Store new lint settings and build a linter for them; call lint_all() next."""
        self.info = self.project.set_settings(self.info.name, settings, self.info.settings_version)
        self.linter = self._new_linter(with_suppressions(self.info.settings, self.reviews))
        self._linted = False
        self.relinted.emit()

    def export(self, path: str | Path) -> int:
        return self.project.export(self.info.name, path)

    # --- team ------------------------------------------------------------------------------

    def refresh(self) -> set[int]:
        """Take in what others committed since; returns the ids of rows that changed."""
        changed = set()
        for row_id, version in self.project.versions(self.info.id).items():
            if self._versions.get(row_id) != version and row_id in self.dataset:
                changed.add(row_id)
        reviewed = []
        for row_id in changed:
            stored = self.project.example(row_id)
            if self._remember(stored):
                reviewed.append(row_id)
            with self._muted():
                if stored.deleted:
                    self.dataset.remove([row_id])
                else:
                    self.dataset.replace(row_id, stored.example)
        self._announce(reviewed)  # once the rows are in, for whoever reads them back
        return changed


_FORMAT = attrgetter("format")
_ID = attrgetter("id")

__all__ = ["CurationSession", "Update"]


def _likely_model(project: Project, name: str) -> str:
    """The dataset's model, or the default the linter will infer for data like its first row
    (a wrong guess only wastes a background build)."""
    info = project.dataset(name)
    if info.settings.model:
        return info.settings.model
    first = project.window(info.id, 0, 1)
    legacy = bool(first) and first[0].example.format is ExampleFormat.LEGACY
    return DEFAULT_COMPLETION_MODEL if legacy else DEFAULT_CHAT_MODEL
