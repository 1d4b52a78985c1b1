"""Ask a model: chat (messages) or legacy completion (a prompt), streamed as it arrives.

Both stream, so the chat tab can show the answer growing; each piece goes to `on_delta`
and the finished answer is returned. A cancel token is checked between pieces, and
cancelling closes the stream so the service stops generating (and billing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tunedeck.core.remote.records import ChatDelta, ChatReply
from tunedeck.core.remote.uploads import CancelToken

OnDelta = Callable[[ChatDelta], None]


def _collect(
    stream: Any,
    model: str,
    text_of: Callable[[Any], str | None],
    on_delta: OnDelta | None,
    cancel: CancelToken | None,
) -> ChatReply:
    parts: list[str] = []
    finish_reason = None
    prompt_tokens = completion_tokens = None
    served_model = model
    try:
        for chunk in stream:
            if cancel is not None:
                cancel.check("The answer")
            served_model = getattr(chunk, "model", None) or served_model
            usage = getattr(chunk, "usage", None)
            if usage is not None:
                prompt_tokens = getattr(usage, "prompt_tokens", None)
                completion_tokens = getattr(usage, "completion_tokens", None)
            for choice in getattr(chunk, "choices", None) or ():
                if getattr(choice, "index", 0) != 0:
                    continue
                piece = text_of(choice)
                if piece:
                    parts.append(piece)
                    if on_delta is not None:
                        on_delta(ChatDelta(text=piece, index=len(parts) - 1))
                finish_reason = getattr(choice, "finish_reason", None) or finish_reason
    finally:
        stream.close()
    return ChatReply(
        model=served_model,
        text="".join(parts),
        finish_reason=finish_reason,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
    )


def _chat_text(choice: Any) -> str | None:
    delta = getattr(choice, "delta", None)
    return getattr(delta, "content", None) if delta is not None else None


def _completion_text(choice: Any) -> str | None:
    return getattr(choice, "text", None)


def stream_chat(
    client: Any,
    model: str,
    messages: Iterable[Mapping[str, str]],
    *,
    timeout: Any,
    temperature: float | None = None,
    max_tokens: int | None = None,
    include_usage: bool = True,
    on_delta: OnDelta | None = None,
    cancel: CancelToken | None = None,
) -> ChatReply:
    """A chat completion, streamed; `model` is the deployment name on Azure."""
    options: dict[str, Any] = {}
    if temperature is not None:
        options["temperature"] = temperature
    if max_tokens is not None:
        options["max_tokens"] = max_tokens
    if include_usage:
        # Without it the streamed answer carries no token counts.
        options["stream_options"] = {"include_usage": True}
    stream = client.chat.completions.create(
        model=model,
        messages=[dict(message) for message in messages],
        stream=True,
        timeout=timeout,
        **options,
    )
    return _collect(stream, model, _chat_text, on_delta, cancel)


def stream_completion(
    client: Any,
    model: str,
    prompt: str,
    *,
    timeout: Any,
    stop: str | list[str] | None = None,
    max_tokens: int | None = None,
    temperature: float | None = None,
    on_delta: OnDelta | None = None,
    cancel: CancelToken | None = None,
) -> ChatReply:
    """A legacy completion (prompt in, continuation out) for prompt/completion models."""
    options: dict[str, Any] = {}
    if stop is not None:
        options["stop"] = stop
    if max_tokens is not None:
        options["max_tokens"] = max_tokens
    if temperature is not None:
        options["temperature"] = temperature
    stream = client.completions.create(
        model=model, prompt=prompt, stream=True, timeout=timeout, **options
    )
    return _collect(stream, model, _completion_text, on_delta, cancel)
