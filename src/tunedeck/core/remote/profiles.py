"""Connection profiles: where a provider lives and how to talk to it, never its key.

A user may keep several (a personal OpenAI account, the team's Azure resource, a local
vLLM server). `ProfileStore` keeps them in one JSON file; keys live in the keychain or the
environment (see `secrets`), so the file can be shared, backed up or shown in a bug report.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, ClassVar

from tunedeck.core.errors import UserError
from tunedeck.core.io.atomic import atomic_write

OPENAI_BASE_URL = "https://api.openai.com/v1"
AZURE_MANAGEMENT_ROOT = "https://management.azure.com"
# The GA data-plane version that has fine-tuning, files and chat; users may pick another.
AZURE_DEFAULT_API_VERSION = "2024-10-21"


def new_profile_id() -> str:
    """A fresh id; it also names the profile's key in the keychain."""
    return uuid.uuid4().hex


@dataclass(frozen=True, kw_only=True)
class _Profile:
    kind: ClassVar[str]
    id: str
    name: str
    # Seconds for one request; uploads get longer (see uploads.upload_timeout).
    timeout_seconds: float = 60.0
    connect_timeout_seconds: float = 10.0
    # The SDK retries 408/409/429/5xx and dropped connections this many times.
    max_retries: int = 2

    @property
    def needs_key(self) -> bool:
        """Whether calls fail without an API key."""
        return True

    @property
    def can_fine_tune(self) -> bool:
        """Whether the provider runs fine-tuning jobs (a plain compatible server only chats)."""
        return True


@dataclass(frozen=True, kw_only=True)
class OpenAIProfile(_Profile):
    """api.openai.com, or a proxy in front of it."""

    kind: ClassVar[str] = "openai"
    base_url: str = OPENAI_BASE_URL
    organization: str | None = None
    project: str | None = None


@dataclass(frozen=True, kw_only=True)
class AzureProfile(_Profile):
    """An Azure OpenAI resource. Chat needs a deployment; deploying needs the ARM fields."""

    kind: ClassVar[str] = "azure"
    endpoint: str
    api_version: str = AZURE_DEFAULT_API_VERSION
    deployments: tuple[str, ...] = ()
    management_root: str = AZURE_MANAGEMENT_ROOT
    subscription_id: str | None = None
    resource_group: str | None = None
    account: str | None = None

    @property
    def can_deploy(self) -> bool:
        """Whether enough is known to create deployments through the management plane."""
        return bool(self.subscription_id and self.resource_group and self.account)


@dataclass(frozen=True, kw_only=True)
class CompatibleProfile(_Profile):
    """Any server that speaks the OpenAI chat API: vLLM, Ollama, llama.cpp, LM Studio."""

    kind: ClassVar[str] = "compatible"
    base_url: str
    key_required: bool = False

    @property
    def needs_key(self) -> bool:
        return self.key_required

    @property
    def can_fine_tune(self) -> bool:
        return False


@dataclass(frozen=True, kw_only=True)
class SandboxProfile(_Profile):
    """TuneDeck's own local server (`tunedeck.core.sandbox`): fine-tuning without an account."""

    kind: ClassVar[str] = "sandbox"
    url: str
    key_required: bool = False

    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL the SDK talks to."""
        return self.url.rstrip("/") + "/v1"

    @property
    def needs_key(self) -> bool:
        return self.key_required


Profile = OpenAIProfile | AzureProfile | CompatibleProfile | SandboxProfile
PROFILE_KINDS: dict[str, type[_Profile]] = {
    cls.kind: cls for cls in (OpenAIProfile, AzureProfile, CompatibleProfile, SandboxProfile)
}


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    """The JSON form: plain fields plus "kind". There is no key field to leak."""
    data = asdict(profile)
    data["kind"] = profile.kind
    if isinstance(profile, AzureProfile):
        data["deployments"] = list(profile.deployments)
    return data


def profile_from_dict(data: dict[str, Any]) -> Profile:
    """Build a profile from its JSON form, ignoring fields a newer TuneDeck may have added.

    Raises:
        UserError: The kind is unknown or a required field is missing.
    """
    kind = data.get("kind")
    cls = PROFILE_KINDS.get(str(kind))
    if cls is None:
        raise UserError(f"Unknown provider kind {kind!r} in the profiles file.")
    known = {f.name for f in fields(cls)}
    values = {k: v for k, v in data.items() if k in known}
    if "deployments" in values:
        values["deployments"] = tuple(values["deployments"])
    try:
        return cls(**values)
    except TypeError as exc:
        name = data.get("name", "?")
        raise UserError(f"The provider profile {name!r} is incomplete: {exc}.") from exc


class ProfileStore:
    """The user's provider profiles, kept in one JSON file (no secrets in it).

    Args:
        path: The JSON file; it need not exist yet.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"ProfileStore({str(self.path)!r})"

    def load(self) -> list[Profile]:
        """All profiles, in the order they were added.

        Raises:
            UserError: The file exists but cannot be read as a profiles file.
        """
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise UserError(f"Cannot read the provider profiles in {self.path}: {exc}.") from exc
        try:
            data = json.loads(text)
            entries = data["profiles"]
        except (ValueError, KeyError, TypeError) as exc:
            raise UserError(
                f"{self.path} is not a TuneDeck profiles file; move it aside to start afresh."
            ) from exc
        return [profile_from_dict(entry) for entry in entries]

    def get(self, profile_id: str) -> Profile:
        """The profile with this id.

        Raises:
            UserError: There is none.
        """
        for profile in self.load():
            if profile.id == profile_id:
                return profile
        raise UserError("That provider profile no longer exists; choose another in Settings.")

    def save(self, profile: Profile) -> None:
        """Add the profile, or replace the one with the same id."""
        profiles = self.load()
        for index, existing in enumerate(profiles):
            if existing.id == profile.id:
                profiles[index] = profile
                break
        else:
            profiles.append(profile)
        self._write(profiles)

    def remove(self, profile_id: str) -> None:
        """Forget a profile (its key in the keychain is `secrets.KeyStore.delete`'s job)."""
        self._write([p for p in self.load() if p.id != profile_id])

    def _write(self, profiles: list[Profile]) -> None:
        payload = {"version": 1, "profiles": [profile_to_dict(p) for p in profiles]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(self.path) as stream:
            stream.write(json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8"))
