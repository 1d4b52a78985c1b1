"""Add, edit and remove provider profiles; enter keys; test a connection.

A key typed here goes straight to the keychain (through `Connections.save`) and is never
shown back: the key box only says whether one is stored, and where from. "Test connection"
makes one cheap call in a worker thread and reports in words what, if anything, to fix.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.errors import UserError
from tunedeck.core.remote import (
    ApiKey,
    AzureProfile,
    CompatibleProfile,
    OpenAIProfile,
    Profile,
    SandboxProfile,
    new_profile_id,
)
from tunedeck.ui.connections import BUILTIN_SANDBOX_ID, Connections
from tunedeck.ui.workers import Worker

# What each kind of profile asks for: (field, label, help). Booleans become check boxes.
_FIELDS: dict[str, list[tuple[str, str, str]]] = {
    "openai": [
        ("base_url", "Address", "Leave as is unless your company routes OpenAI through a proxy"),
        ("organization", "Organization (optional)", "org-…, when your key belongs to several"),
        ("project", "Project (optional)", "proj-…, to bill a specific OpenAI project"),
    ],
    "azure": [
        ("endpoint", "Endpoint", "https://YOUR-RESOURCE.openai.azure.com"),
        ("api_version", "API version", "The resource's data-plane version, e.g. 2024-10-21"),
        ("deployments", "Chat deployments", "Deployment names, separated by commas"),
        ("subscription_id", "Subscription id", "Needed only to deploy tuned models from here"),
        ("resource_group", "Resource group", "Needed only to deploy tuned models from here"),
        ("account", "Resource name", "Needed only to deploy tuned models from here"),
    ],
    "compatible": [
        ("base_url", "Address", "The server's OpenAI-style address, usually ending in /v1"),
        ("key_required", "Needs a key", "Tick if the server checks an API key"),
    ],
    "sandbox": [
        ("url", "Address", "Where `tunedeck sandbox` is listening, e.g. http://127.0.0.1:8765"),
        ("key_required", "Needs a key", "Tick if the sandbox was started with --api-key"),
    ],
}
_NEW: dict[str, tuple[str, type]] = {
    "OpenAI account": ("openai", OpenAIProfile),
    "Azure OpenAI resource": ("azure", AzureProfile),
    "OpenAI-compatible server (chat only)": ("compatible", CompatibleProfile),
    "Sandbox on another address": ("sandbox", SandboxProfile),
}
_BLANKS = {"azure": {"endpoint": ""}, "compatible": {"base_url": ""}, "sandbox": {"url": ""}}


class ProfilesDialog(QDialog):
    """The list of profiles on the left, the chosen one's settings on the right."""

    def __init__(self, connections: Connections, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Providers")
        self._connections = connections
        self._worker: Worker | None = None
        self._editing: Profile | None = None
        self._inputs: dict[str, QLineEdit | QCheckBox] = {}
        self.profiles = QListWidget()
        self.profiles.currentItemChanged.connect(self._on_current_changed)
        add = QToolButton()
        add.setText("Add ▾")
        add.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(add)
        for text in _NEW:
            menu.addAction(text, lambda text=text: self.add(text))
        add.setMenu(menu)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._on_remove)
        left = QVBoxLayout()
        left.addWidget(self.profiles, 1)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(self.remove_button)
        left.addLayout(row)

        self.name = QLineEdit()
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_status = QLabel()
        self.key_status.setWordWrap(True)
        self.form = QFormLayout()
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test)
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addLayout(actions)
        right.addWidget(self.report)
        right.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        self.resize(760, 420)
        self._fill_list()

    # --- the public actions (buttons call these; so do tests) --------------------------------

    def select(self, profile_id: str) -> None:
        for index in range(self.profiles.count()):
            if self.profiles.item(index).data(Qt.ItemDataRole.UserRole) == profile_id:
                self.profiles.setCurrentRow(index)
                return

    def add(self, kind_text: str) -> None:
        """Start a new profile of this kind (it is stored on Save)."""
        kind, cls = _NEW[kind_text]
        self._show(cls(id=new_profile_id(), name=kind_text, **_BLANKS.get(kind, {})), new=True)
        self.name.setFocus()
        self.name.selectAll()

    def save(self) -> bool:
        """Store the profile as edited, and the typed key in the keychain."""
        try:
            profile = self._edited()
            self._connections.save(profile, self.key.text().strip() or None)
        except (UserError, ValueError, TypeError) as error:
            self._say(str(error), ok=False)
            return False
        self.key.clear()
        self._fill_list(select=profile.id)
        self._say(f"Saved “{profile.name}”.", ok=True)
        return True

    def test(self) -> None:
        """Try the profile as edited (with the typed key, if any) in a worker thread."""
        from tunedeck.core.remote import connection

        try:
            profile = self._connections.resolved(self._edited())
            typed = self.key.text().strip()
            keys = ApiKey(typed, "the key box") if typed else self._connections.keys
        except (UserError, ValueError, TypeError) as error:
            self._say(str(error), ok=False)
            return
        self.test_button.setEnabled(False)
        self.report.setText("Testing…")
        self._worker = Worker(lambda _progress, _cancel: connection.test_connection(profile, keys))
        self._worker.finished.connect(self._on_tested)
        self._worker.failed.connect(lambda message: self._on_tested(None, message))
        self._worker.start()

    def done(self, result: int) -> None:
        # A test still running would outlive its thread object; it times out in seconds.
        if self._worker is not None and self._worker.running:
            self._worker.wait()
        super().done(result)

    # --- slots ---------------------------------------------------------------------------------

    def _on_current_changed(self, item: QListWidgetItem | None, _previous) -> None:
        if item is not None:
            self._show(self._connections.profile(item.data(Qt.ItemDataRole.UserRole)))

    def _on_remove(self) -> None:
        if self._editing is None or self._editing.id == BUILTIN_SANDBOX_ID:
            return
        try:
            self._connections.remove(self._editing)
        except UserError as error:
            self._say(str(error), ok=False)
            return
        removed = self._editing.name
        self._fill_list()
        self._say(f"Removed “{removed}” and its stored key.", ok=True)

    def _on_tested(self, report, failure: str | None = None) -> None:
        self.test_button.setEnabled(True)
        if report is None:
            self._say(failure or "The test could not run.", ok=False)
        else:
            self._say(" ".join(p for p in (report.message, report.advice) if p), ok=report.ok)

    # --- helpers -------------------------------------------------------------------------------

    def _fill_list(self, select: str | None = None) -> None:
        self.profiles.blockSignals(True)
        self.profiles.clear()
        try:
            profiles = self._connections.profiles()
        except UserError as error:
            profiles = []
            self._say(str(error), ok=False)
        for profile in profiles:
            item = QListWidgetItem(profile.name)
            item.setData(Qt.ItemDataRole.UserRole, profile.id)
            self.profiles.addItem(item)
        self.profiles.blockSignals(False)
        if profiles:
            self.select(select or profiles[0].id)
            self._show(self._connections.profile(select or profiles[0].id))

    def _show(self, profile: Profile, new: bool = False) -> None:
        self._editing = profile
        builtin = profile.id == BUILTIN_SANDBOX_ID
        while self.form.rowCount():
            self.form.removeRow(0)
        self._inputs = {}
        self.name = QLineEdit(profile.name)
        self.form.addRow("Name", self.name)
        for field, label, help_text in _FIELDS[profile.kind]:
            value = getattr(profile, field)
            if isinstance(value, bool):
                widget: QLineEdit | QCheckBox = QCheckBox()
                widget.setChecked(value)
            else:
                if isinstance(value, tuple):
                    value = ", ".join(value)
                widget = QLineEdit("" if value is None else str(value))
                widget.setPlaceholderText(help_text)
            widget.setToolTip(help_text)
            self._inputs[field] = widget
            self.form.addRow(label, widget)
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_status = QLabel(self._key_words(profile, new))
        self.key_status.setWordWrap(True)
        if profile.needs_key or profile.kind in ("compatible", "sandbox"):
            self.key.setPlaceholderText("Paste a key to store it (it is never shown again)")
            self.form.addRow("API key", self.key)
            self.form.addRow("", self.key_status)
        for widget in (self.name, self.key, *self._inputs.values()):
            widget.setEnabled(not builtin)
        self.save_button.setEnabled(not builtin)
        self.remove_button.setEnabled(not builtin and not new)
        self.report.setText(
            "The built-in sandbox runs inside TuneDeck and needs no settings: nothing leaves "
            "this computer, and no model is really trained."
            if builtin
            else ""
        )

    def _key_words(self, profile: Profile, new: bool) -> str:
        if profile.id == BUILTIN_SANDBOX_ID:
            return ""
        status = None if new else self._connections.keys.status(profile)
        if status is not None and status.present:
            return f"A key is stored (from {status.source}); paste another to replace it."
        if not profile.needs_key:
            return "No key stored; this server is used without one."
        if status is not None and not status.keychain_available:
            return "This computer has no keychain: set the key in the environment instead."
        return "No key stored yet."

    def _edited(self) -> Profile:
        """The profile as the form now describes it."""
        assert self._editing is not None
        values: dict[str, object] = {"name": self.name.text().strip()}
        if not values["name"]:
            raise UserError("Give the profile a name, so you can tell it apart from others.")
        for field, widget in self._inputs.items():
            if isinstance(widget, QCheckBox):
                values[field] = widget.isChecked()
                continue
            text = widget.text().strip()
            if field == "deployments":
                values[field] = tuple(p.strip() for p in text.split(",") if p.strip())
            elif field in ("base_url", "endpoint", "url", "api_version") and not text:
                label = dict((f, lbl) for f, lbl, _ in _FIELDS[self._editing.kind])[field]
                raise UserError(f"Fill in “{label}”: the profile cannot be used without it.")
            else:
                values[field] = text or None
        return dataclasses.replace(self._editing, **values)

    def _say(self, text: str, ok: bool) -> None:
        self.report.setText(text)
        self.report.setStyleSheet("" if ok else "color:#b3261e;")
