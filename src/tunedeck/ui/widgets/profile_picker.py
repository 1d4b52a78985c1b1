"""A combo box of the user's provider profiles, shared by the launch panel and the chat tab.

It lists `Connections.profiles()` (the built-in sandbox first) and follows
`Connections.changed`, so a profile added anywhere shows up everywhere. The last entry,
"Manage…", opens the profiles dialog; choosing it never changes the current profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from tunedeck.core.errors import UserError
from tunedeck.core.remote import Profile, SandboxProfile
from tunedeck.ui.connections import BUILTIN_SANDBOX_ID, Connections

if TYPE_CHECKING:
    from tunedeck.ui.dialogs.profiles_dialog import ProfilesDialog

MANAGE_TEXT = "Manage…"
_TOOLTIP = "Where fine-tunes run and chats go: an account of yours, or the offline sandbox"
_KIND_WORDS = {
    "sandbox": "offline",
    "openai": "OpenAI",
    "azure": "Azure OpenAI",
    "compatible": "chat only",
}


class ProfilePicker(QComboBox):
    """Choose one provider profile.

    Signals:
        profile_changed(object): The chosen Profile, or None when there is none. Emitted
            when the user picks another one, and when the chosen one is edited or removed.

    Args:
        connections: The shared profiles, keys and sandbox.
        parent: The owning widget.
    """

    profile_changed = Signal(object)

    def __init__(self, connections: Connections, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._connections = connections
        self._profiles: list[Profile] = []
        self._current: Profile | None = None
        self._dialog: ProfilesDialog | None = None
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._reload()
        self.activated.connect(self._on_activated)
        connections.changed.connect(self._on_connections_changed)

    def current(self) -> Profile | None:
        """The chosen profile, or None when no profile is available."""
        return self._current

    def select(self, profile_id: str) -> bool:
        """Choose the profile with this id; returns False (and changes nothing) if unknown."""
        for profile in self._profiles:
            if profile.id == profile_id:
                self._choose(profile)
                return True
        return False

    def open_manager(self) -> ProfilesDialog:
        """Open the profiles dialog (window-modal, without blocking the event loop)."""
        from tunedeck.ui.dialogs.profiles_dialog import ProfilesDialog

        if self._dialog is None:
            self._dialog = ProfilesDialog(self._connections, self.window())
        if self._current is not None:
            self._dialog.select(self._current.id)
        self._dialog.open()
        return self._dialog

    # --- slots ---------------------------------------------------------------------------------

    def _on_activated(self, index: int) -> None:
        if 0 <= index < len(self._profiles):
            self._choose(self._profiles[index])
            return
        self._show(self._current)  # the separator or "Manage…": keep showing the chosen one
        if self.itemText(index) == MANAGE_TEXT:
            self.open_manager()

    def _on_connections_changed(self) -> None:
        self._reload()

    # --- helpers -------------------------------------------------------------------------------

    def _reload(self) -> None:
        try:
            profiles = self._connections.profiles()
            self.setToolTip(_TOOLTIP)
        except UserError as error:
            # A damaged profiles file must not take the panel down: the sandbox still works.
            profiles = [_builtin()]
            self.setToolTip(str(error))
        self._profiles = profiles
        self.blockSignals(True)
        self.clear()
        for profile in profiles:
            self.addItem(_label(profile), profile.id)
        self.insertSeparator(self.count())
        self.addItem(MANAGE_TEXT)
        self.blockSignals(False)
        wanted = self._current.id if self._current is not None else None
        same = [p for p in profiles if p.id == wanted]
        self._choose(same[0] if same else (profiles[0] if profiles else None))

    def _choose(self, profile: Profile | None) -> None:
        self._show(profile)
        if profile != self._current:  # an edited profile (new URL, say) counts as a change
            self._current = profile
            self.profile_changed.emit(profile)

    def _show(self, profile: Profile | None) -> None:
        ids = [p.id for p in self._profiles]
        index = ids.index(profile.id) if profile is not None and profile.id in ids else -1
        self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(False)


def _label(profile: Profile) -> str:
    kind = _KIND_WORDS.get(profile.kind, profile.kind)
    return profile.name if kind.lower() in profile.name.lower() else f"{profile.name} ({kind})"


def _builtin() -> Profile:
    return SandboxProfile(
        id=BUILTIN_SANDBOX_ID, name="Sandbox (offline simulation)", url="http://127.0.0.1"
    )
