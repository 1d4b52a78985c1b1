"""The user's provider profiles, their keys, the price table, and the built-in sandbox.

One object the launch panel, the jobs view and the chat tab share, so that a profile added
in one shows up in the others. Profiles are kept in the app's config folder without keys;
keys go to the OS keychain (core.remote.secrets). The built-in sandbox is always offered
first: it starts in-process on a free loopback port the first time a provider is opened for
it, so a new user can try the whole flow offline without a second terminal.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Signal

from tunedeck.core.remote import KeyStore, Profile, ProfileStore, Provider, SandboxProfile
from tunedeck.core.remote.cost import PriceTable

if TYPE_CHECKING:
    from tunedeck.core.sandbox import Sandbox

BUILTIN_SANDBOX_ID = "builtin-sandbox"
# Long enough to watch a job move through its states, short enough to wait for.
SANDBOX_JOB_SECONDS = 20.0


class Connections(QObject):
    """Profiles (with the built-in sandbox first), keys and prices.

    Args:
        config: Where profiles.json and prices.json live (default: the app's config folder).
        data: Where the built-in sandbox keeps its state (default: the app's data folder).
        keys: The key store (default: the OS keychain, then the environment).
        sandbox_job_seconds: How long a job in the built-in sandbox takes.
    """

    changed = Signal()  # a profile was added, edited or removed

    def __init__(
        self,
        config: Path | None = None,
        data: Path | None = None,
        keys: KeyStore | None = None,
        sandbox_job_seconds: float = SANDBOX_JOB_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.config = config or _folder(QStandardPaths.StandardLocation.AppConfigLocation)
        self.data = data or _folder(QStandardPaths.StandardLocation.AppDataLocation)
        self.store = ProfileStore(self.config / "profiles.json")
        self.keys = keys or KeyStore()
        self.prices_path = self.config / "prices.json"
        self._sandbox_job_seconds = sandbox_job_seconds
        self._sandbox: Sandbox | None = None

    # --- profiles --------------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        """The built-in sandbox, then the user's profiles in the order they were added."""
        builtin = SandboxProfile(
            id=BUILTIN_SANDBOX_ID, name="Sandbox (offline simulation)", url="http://127.0.0.1"
        )
        return [builtin, *self.store.load()]

    def profile(self, profile_id: str) -> Profile:
        for profile in self.profiles():
            if profile.id == profile_id:
                return profile
        raise KeyError(profile_id)

    def save(self, profile: Profile, key: str | None = None) -> None:
        """Store a profile, and its key in the keychain when one is given."""
        if profile.id == BUILTIN_SANDBOX_ID:
            raise ValueError("the built-in sandbox cannot be changed")
        if key:
            self.keys.save(profile, key)
        self.store.save(profile)
        self.changed.emit()

    def remove(self, profile: Profile) -> None:
        self.store.remove(profile.id)
        self.keys.delete(profile)
        self.changed.emit()

    def prices(self) -> PriceTable:
        return PriceTable.load(self.prices_path)

    # --- providers -------------------------------------------------------------------------

    def resolved(self, profile: Profile) -> Profile:
        """The profile as it can be called: the built-in sandbox gets its running URL."""
        if profile.id != BUILTIN_SANDBOX_ID:
            return profile
        return dataclasses.replace(profile, url=self.ensure_sandbox().url)

    def provider(self, profile: Profile) -> Provider:
        """An open Provider for `profile` (close it, or use `with`).

        Raises:
            UserError: The profile needs a key and none is stored or set in the environment.
        """
        profile = self.resolved(profile)
        if profile.id == BUILTIN_SANDBOX_ID:
            return Provider(profile, None)
        return Provider.open(profile, self.keys)

    def ensure_sandbox(self) -> Sandbox:
        """The built-in sandbox, started on first use."""
        if self._sandbox is None:
            from tunedeck.core.sandbox import Sandbox

            state = self.data / "sandbox"
            self._sandbox = Sandbox(state, job_seconds=self._sandbox_job_seconds).start()
        return self._sandbox

    def close(self) -> None:
        """Stop the built-in sandbox, if it was started."""
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None


def _folder(location: QStandardPaths.StandardLocation) -> Path:
    folder = Path(QStandardPaths.writableLocation(location))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
