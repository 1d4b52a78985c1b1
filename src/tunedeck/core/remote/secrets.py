"""API keys: kept in the OS keychain or read from the environment, and never shown.

A key is held in an `ApiKey`, whose repr, str and equality never reveal it; only
`ApiKey.reveal()` does, and only the code that builds an SDK client calls it. Every key
that has been revealed is also remembered by `redact`, so a log line or an error message
that somehow carries it is scrubbed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from tunedeck.core.errors import UserError
from tunedeck.core.remote import redact
from tunedeck.core.remote.profiles import Profile

SERVICE = "TuneDeck"
# The variables the official SDKs read too, so a key set up for them works here.
ENVIRONMENT_VARIABLES = {"openai": "OPENAI_API_KEY", "azure": "AZURE_OPENAI_API_KEY"}

_NO_KEYCHAIN = (
    "This computer has no usable keychain (no Secret Service, macOS Keychain or Windows "
    "Credential Manager was found), so TuneDeck cannot store the key."
)


class ApiKey:
    """A secret that stays out of reprs, logs and messages.

    Args:
        value: The key itself.
        source: Where it came from, for messages ("the keychain", "OPENAI_API_KEY").
    """

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str) -> None:
        if not value or not value.strip():
            raise UserError(f"The API key from {source} is empty.")
        self._value = value.strip()
        self.source = source
        redact.remember(self._value)

    def reveal(self) -> str:
        """The key itself; pass it straight to the SDK and nowhere else."""
        return self._value

    def __repr__(self) -> str:
        return f"ApiKey(<hidden>, source={self.source!r})"

    __str__ = __repr__

    def __reduce__(self) -> object:
        # Pickling would write the key wherever the pickle goes (a crash dump, a cache).
        raise TypeError("an ApiKey cannot be pickled")


@dataclass(frozen=True)
class KeyStatus:
    """What a settings dialog shows about a profile's key, without the key."""

    present: bool
    source: str | None
    keychain_available: bool


class KeyStore:
    """Reads and writes provider keys: keychain first, then the environment.

    The keychain entry is service "TuneDeck", username = the profile id.

    Args:
        environ: The environment to read keys from (os.environ by default).
    """

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def __repr__(self) -> str:
        return "KeyStore()"

    def keychain_available(self) -> bool:
        """Whether keyring found a real backend (a headless machine often has none)."""
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)

    def save(self, profile: Profile, key: str) -> None:
        """Store the key for this profile in the keychain.

        Raises:
            UserError: There is no usable keychain, or it refused; the message says how to
                use an environment variable instead.
        """
        import keyring
        from keyring.errors import KeyringError

        api_key = ApiKey(key, "the keychain")
        try:
            keyring.set_password(SERVICE, profile.id, api_key.reveal())
        except KeyringError as exc:
            raise UserError(self._no_keychain_message(profile, exc)) from exc

    def delete(self, profile: Profile) -> None:
        """Remove the profile's key from the keychain; a missing key is not an error."""
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(SERVICE, profile.id)
        except PasswordDeleteError:
            return
        except KeyringError as exc:
            raise UserError(self._no_keychain_message(profile, exc)) from exc

    def lookup(self, profile: Profile) -> ApiKey | None:
        """The profile's key, or None when there is none anywhere.

        A keychain that cannot be used is not an error here: the environment may still
        have the key.
        """
        import keyring
        from keyring.errors import KeyringError

        try:
            value = keyring.get_password(SERVICE, profile.id)
        except KeyringError:
            value = None
        if value:
            return ApiKey(value, "the keychain")
        variable = ENVIRONMENT_VARIABLES.get(profile.kind)
        if variable and self._environ.get(variable, "").strip():
            return ApiKey(self._environ[variable], variable)
        return None

    def require(self, profile: Profile) -> ApiKey | None:
        """The key the profile needs, or None for a server that needs none.

        Raises:
            UserError: The profile needs a key and none is stored or set.
        """
        key = self.lookup(profile)
        if key is not None or not profile.needs_key:
            return key
        variable = ENVIRONMENT_VARIABLES.get(profile.kind)
        where = "Enter it in Settings ▸ Providers"
        if variable:
            where += f", or set the {variable} environment variable before starting TuneDeck"
        if not self.keychain_available():
            where = f"{_NO_KEYCHAIN} " + (
                f"Set the {variable} environment variable before starting TuneDeck instead"
                if variable
                else "Install a keychain service (for example gnome-keyring) and try again"
            )
        raise UserError(f"No API key for the provider {profile.name!r}. {where}.")

    def status(self, profile: Profile) -> KeyStatus:
        """Whether a key is set and where from, for a settings dialog."""
        key = self.lookup(profile)
        return KeyStatus(
            present=key is not None,
            source=None if key is None else key.source,
            keychain_available=self.keychain_available(),
        )

    def _no_keychain_message(self, profile: Profile, exc: Exception) -> str:
        variable = ENVIRONMENT_VARIABLES.get(profile.kind)
        instead = (
            f" Set the {variable} environment variable before starting TuneDeck instead."
            if variable
            else " Install a keychain service (for example gnome-keyring) and try again."
        )
        if self.keychain_available():
            # keyring's own text names the backend's problem and never carries the key.
            return f"The keychain refused to store the key: {exc}.{instead}"
        return _NO_KEYCHAIN + instead
