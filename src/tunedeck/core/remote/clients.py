"""Build the official SDK client for a profile: the one place a key is handed over.

Everything is passed explicitly, so the SDK never falls back to OPENAI_API_KEY,
OPENAI_BASE_URL and the like on its own: a key meant for OpenAI must never be sent to a
local server a profile points at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tunedeck.core.remote.profiles import (
    OPENAI_BASE_URL,
    AzureProfile,
    CompatibleProfile,
    OpenAIProfile,
    Profile,
    SandboxProfile,
)
from tunedeck.core.remote.secrets import ApiKey

if TYPE_CHECKING:
    import httpx2
    import openai

# Servers without authentication still get a non-empty key: the SDK insists on one, and
# this keeps it from reading OPENAI_API_KEY from the environment instead.
_NO_KEY = "no-key-needed"


def timeout_for(profile: Profile, seconds: float | None = None) -> httpx2.Timeout:
    """The timeout for one call: the profile's (or the given) total, its connect limit."""
    import httpx2

    total = profile.timeout_seconds if seconds is None else seconds
    return httpx2.Timeout(total, connect=min(profile.connect_timeout_seconds, total))


def make_client(profile: Profile, key: ApiKey | None) -> openai.OpenAI:
    """An `OpenAI` or `AzureOpenAI` client with the profile's timeout and retry policy.

    The SDK retries 408, 409, 429, 5xx and broken connections `profile.max_retries`
    times, honouring Retry-After (up to two minutes) and backing off otherwise.
    """
    import openai

    secret = key.reveal() if key is not None else _NO_KEY
    common = {
        "api_key": secret,
        "timeout": timeout_for(profile),
        "max_retries": profile.max_retries,
    }
    if isinstance(profile, AzureProfile):
        return openai.AzureOpenAI(
            azure_endpoint=profile.endpoint, api_version=profile.api_version, **common
        )
    if isinstance(profile, OpenAIProfile):
        return openai.OpenAI(
            base_url=profile.base_url,
            organization=profile.organization,
            project=profile.project,
            **common,
        )
    if isinstance(profile, CompatibleProfile | SandboxProfile):
        return openai.OpenAI(base_url=profile.base_url, **common)
    raise TypeError(f"not a profile: {type(profile).__name__}")


def describe(profile: Profile) -> str:
    """Who a message should say was asked: "OpenAI", "the Azure resource at …"."""
    if isinstance(profile, OpenAIProfile):
        if profile.base_url.rstrip("/") == OPENAI_BASE_URL:
            return "OpenAI"
        return f"the OpenAI service at {profile.base_url}"
    if isinstance(profile, AzureProfile):
        return f"the Azure OpenAI resource at {profile.endpoint}"
    if isinstance(profile, SandboxProfile):
        return f"the TuneDeck sandbox at {profile.url}"
    return f"the server at {profile.base_url}"
