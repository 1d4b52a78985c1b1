"""The project's saved conversations, most recent first, to reopen or delete."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMenu, QWidget

from tunedeck.core.storage.chat_store import ChatStore, Conversation

COMPARE = "compare"  # the settings' "mode" of a comparison; a chat has "chat"


def is_comparison(conversation: Conversation) -> bool:
    return (conversation.settings or {}).get("mode") == COMPARE


class ConversationList(QListWidget):
    """Signals:
    opened(Conversation): the user chose a conversation to reopen.
    deleted(int): a conversation was deleted from the project.
    """

    opened = Signal(object)
    deleted = Signal(int)

    def __init__(self, chats: ChatStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chats = chats
        self.setToolTip("Conversations kept in the project; right-click to delete one")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_menu)
        self.itemActivated.connect(self._on_item)
        self.itemClicked.connect(self._on_item)
        self.refresh()

    def refresh(self, current: int | None = None) -> None:
        self.blockSignals(True)
        self.clear()
        for conversation in self._chats.conversations():
            if is_comparison(conversation):
                continue
            when = conversation.updated_at.astimezone().strftime("%d %b %H:%M")
            item = QListWidgetItem(f"{conversation.title}\n{conversation.model} · {when}")
            item.setData(Qt.ItemDataRole.UserRole, conversation)
            item.setToolTip(f"{conversation.title}\nasked {conversation.model}")
            self.addItem(item)
            if conversation.id == current:
                self.setCurrentItem(item)
        self.blockSignals(False)

    def conversation_ids(self) -> list[int]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole).id for i in range(self.count())]

    def _on_item(self, item: QListWidgetItem) -> None:
        self.opened.emit(item.data(Qt.ItemDataRole.UserRole))

    def _on_menu(self, point) -> None:
        item = self.itemAt(point)
        if item is None:
            return
        conversation: Conversation = item.data(Qt.ItemDataRole.UserRole)
        menu = QMenu(self)
        menu.addAction("Delete conversation", lambda: self._delete(conversation.id))
        menu.exec(self.viewport().mapToGlobal(point))

    def _delete(self, conversation: int) -> None:
        self._chats.delete_conversation(conversation)
        self.refresh()
        self.deleted.emit(conversation)
