"""SDK exceptions become messages a dataset author can act on, never carrying the key."""

from __future__ import annotations

import httpx2
import openai
import pytest

from tunedeck.core.errors import UserError
from tunedeck.core.remote.errors import UnknownOutcomeError, user_error
from tunedeck.core.remote.launch import Launcher
from tunedeck.core.remote.ledger import JsonFileLedger
from tunedeck.core.remote.provider import Provider
from tunedeck.core.remote.records import JobSpec
from tunedeck.core.remote.secrets import ApiKey

REQUEST = httpx2.Request("POST", "https://api.openai.com/v1/fine_tuning/jobs")


_CLASSES = {
    400: openai.BadRequestError,
    401: openai.AuthenticationError,
    429: openai.RateLimitError,
    502: openai.InternalServerError,
}


def _status_error(status: int, error: dict) -> openai.APIStatusError:
    """The exception the SDK raises for this answer (it passes the "error" object as body)."""
    response = httpx2.Response(status, request=REQUEST, json={"error": error})
    return _CLASSES[status](f"Error code: {status}", response=response, body=error)


def test_quota_exhausted_is_told_apart_from_a_rate_limit() -> None:
    quota = _status_error(
        429, {"message": "You exceeded your current quota.", "code": "insufficient_quota"}
    )
    message = str(user_error(quota, "create the fine-tuning job", where="OpenAI"))
    assert "used up its quota" in message and "waiting will not help" in message
    limited = _status_error(429, {"message": "Rate limit reached.", "code": "rate_limit_exceeded"})
    assert "Wait a minute" in str(user_error(limited, "list the jobs", where="OpenAI"))


def test_a_rejected_key_is_explained_without_the_services_echo_of_it() -> None:
    key = ApiKey("sk-proj-abcdefghijklmnop1234", "the keychain")
    # OpenAI's 401 text repeats the key's start and end; none of it may reach the user.
    echoed = _status_error(
        401, {"message": "Incorrect API key provided: sk-proj-****1234.", "code": "invalid_api_key"}
    )
    message = str(user_error(echoed, "list the models", where="OpenAI"))
    assert "rejected the API key" in message and "1234" not in message
    leaked = _status_error(400, {"message": f"bad header {key.reveal()}"})
    assert key.reveal() not in str(user_error(leaked, "list the models"))


def test_a_network_failure_or_5xx_is_an_unknown_outcome() -> None:
    down = openai.APIConnectionError(request=REQUEST)
    assert isinstance(user_error(down, "create the job"), UnknownOutcomeError)
    assert isinstance(
        user_error(_status_error(502, {"message": "bad gateway"}), "x"), UnknownOutcomeError
    )
    refused = user_error(_status_error(400, {"message": "no"}), "x")
    assert type(refused) is UserError


def test_a_refused_training_file_keeps_the_services_reason(
    sandbox, make_profile, completion_file, tmp_path
) -> None:
    with Provider(make_profile("openai"), None) as provider:
        launcher = Launcher(provider, JsonFileLedger(tmp_path / "l.json"))
        with pytest.raises(UserError) as raised:
            launcher.launch(JobSpec("gpt-4o-mini-2024-07-18"), completion_file)
    message = str(raised.value)
    assert message.startswith("Could not create the fine-tuning job:")
    assert "prompt/completion format" in message  # the service's own words
    assert isinstance(raised.value.__cause__, openai.BadRequestError)


def test_an_unknown_model_is_named(sandbox, make_profile) -> None:
    with (
        Provider(make_profile("sandbox"), None) as provider,
        pytest.raises(UserError, match="does not know this") as raised,
    ):
        provider.chat("gpt-9-imaginary", [{"role": "user", "content": "hi"}])
    assert "gpt-9-imaginary" in str(raised.value)
