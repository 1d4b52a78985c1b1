"""Paints a dataset cell with its worst finding, and edits a field's text with its newlines.

The model already gives each cell a tint (BackgroundRole) and an icon (DecorationRole); a
selected row paints over the tint, so a severity stripe on the cell's left edge keeps the
finding visible there too. Editing uses a plain-text box rather than a line edit, because a
line edit would silently turn the separator's newlines into something else.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from tunedeck.ui import severity_style
from tunedeck.ui.models.dataset_table import DatasetTableModel
from tunedeck.ui.models.table_columns import Column

Index = QModelIndex | QPersistentModelIndex
_STRIPE = 3  # pixels
_EDITOR_LINES = 6
_ENDS_MATTER = frozenset({Column.PROMPT, Column.COMPLETION})


class LintDelegate(QStyledItemDelegate):
    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        # A prompt's separator and a completion's stop sit at the end of the text: eliding in
        # the middle keeps both the start and them on screen. Chat turns have neither.
        model = index.model()
        if isinstance(model, DatasetTableModel) and model.columns[index.column()] in _ENDS_MATTER:
            option.textElideMode = Qt.TextElideMode.ElideMiddle

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        severity = index.data(DatasetTableModel.SeverityRole)
        if severity is None or not option.state & QStyle.StateFlag.State_Selected:
            return
        rect = option.rect
        painter.fillRect(
            rect.x(), rect.y(), _STRIPE, rect.height(), severity_style.COLOURS[severity]
        )

    # --- editing ---------------------------------------------------------------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)  # a tab key moves on; a tab character is rare in data
        editor.installEventFilter(self)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel, index: Index
    ) -> None:
        assert isinstance(editor, QPlainTextEdit)
        model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(  # noqa: N802
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        # A row is one line high; a field is often several. Grow downwards, inside the view.
        rect = option.rect
        height = max(rect.height(), editor.fontMetrics().lineSpacing() * _EDITOR_LINES + 8)
        room = editor.parentWidget().height() if editor.parentWidget() else height
        top = min(rect.top(), max(0, room - height))
        editor.setGeometry(rect.left(), top, max(rect.width(), 320), height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Enter makes a new line inside the text; Ctrl+Enter commits, as in most editors.
        if isinstance(watched, QPlainTextEdit) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            committing = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if committing and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QStyledItemDelegate.EndEditHint.NoHint)
                return True
        return super().eventFilter(watched, event)
