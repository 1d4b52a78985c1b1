"""The curation window's menu bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from tunedeck.core.storage import Status
from tunedeck.ui.workspace_tabs import TITLES

if TYPE_CHECKING:
    from tunedeck.ui.main_window import MainWindow

# Single keys, as reviewers asked for: one hand on the keyboard walks a whole dataset.
REVIEW_KEYS = {
    Status.APPROVED: ("&Approve", "A"),
    Status.REJECTED: ("&Reject", "R"),
    Status.NEEDS_WORK: ("Needs &work", "W"),
    Status.UNREVIEWED: ("Mark &unreviewed", "U"),
}


def add_action(
    window: MainWindow, menu: QMenu, text: str, shortcut: str | QKeySequence | None, slot
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    """The menu bar: every command with its shortcut; the single-key review commands are the
    ones the window turns off outside the Curate tab."""
    menus = window.menuBar()
    file = menus.addMenu("&File")
    window.files.add_to(file)
    file.addSeparator()
    add_action(window, file, "&Export JSONL…", "Ctrl+E", window.export_dialog)
    add_action(window, file, "&Refresh (see others' changes)", "F5", window.refresh)
    file.addSeparator()
    add_action(window, file, "&Close window", QKeySequence.StandardKey.Close, window.close)
    add_action(window, file, "&Quit", QKeySequence.StandardKey.Quit, QApplication.closeAllWindows)

    edit = menus.addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Shift+Z")])
    edit.addActions([undo, redo])
    edit.addSeparator()
    add_action(window, edit, "&Add example", "Ctrl+N", window.add_example)
    add_action(window, edit, "&Duplicate example", "Ctrl+D", window.duplicate_example)
    add_action(
        window, edit, "&Delete examples", QKeySequence.StandardKey.Delete, window.delete_rows
    )
    add_action(window, edit, "&Paste rows from a spreadsheet", "Ctrl+Shift+V", window.paste_rows)
    edit.addSeparator()
    add_action(
        window, edit, "&Find…", QKeySequence.StandardKey.Find, window.filters.search.setFocus
    )

    review = menus.addMenu("&Review")
    for status, (text, key) in REVIEW_KEYS.items():
        add_action(window, review, text, key, lambda _=False, s=status: window.set_status(s))
    curation_actions = [*edit.actions()[3:], *review.actions()]  # not undo/redo
    review.addSeparator()
    add_action(window, review, "&Next row", "J", lambda: window.rows.move(1))
    add_action(window, review, "&Previous row", "K", lambda: window.rows.move(-1))
    add_action(window, review, "Next &unreviewed", "N", window.rows.next_unreviewed)
    add_action(window, review, "Next with &errors", "E", window.rows.next_with_errors)

    dataset = menus.addMenu("&Dataset")
    add_action(window, dataset, "&Settings…", "Ctrl+,", window.settings_dialog)
    window._switch_menu = dataset.addMenu("S&witch to")
    window._switch_menu.aboutToShow.connect(window._fill_switch_menu)

    window._view_menu = menus.addMenu("&View")
    for index, title in enumerate(TITLES):
        add_action(
            window,
            window._view_menu,
            title,
            f"Ctrl+{index + 1}",
            lambda _=False, i=index: window.tabs.setCurrentIndex(i),
        )
    window._view_menu.addSeparator()
    window._view_menu.addAction(window._problems_dock.toggleViewAction())
    window.tabs.set_curation_parts([window._problems_dock], curation_actions)
