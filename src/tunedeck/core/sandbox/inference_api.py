"""/v1/chat/completions and /v1/completions, whole or streamed as server-sent events.

A base model gives one fixed reply that says it is the sandbox; a fine-tuned model answers
from its training data (answers.py). `stop` and `max_tokens` are honoured on the answer text,
with token counts approximated as usage.py explains; /v1/completions defaults to 16 tokens,
as OpenAI's legacy endpoint does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tunedeck.core.sandbox import azure, models_api
from tunedeck.core.sandbox.catalog import CHAT, COMPLETION
from tunedeck.core.sandbox.errors import invalid, missing, openai_error, wrong_type
from tunedeck.core.sandbox.ids import new_id
from tunedeck.core.sandbox.protocol import FINGERPRINT, Request, Response
from tunedeck.core.sandbox.usage import approx_tokens, chat_tokens, message_text, usage

if TYPE_CHECKING:
    from tunedeck.core.sandbox.service import SandboxService

BASE_REPLY = (
    "[SIMULATION] This is the TuneDeck sandbox standing in for the base model {model}. No "
    "language model runs here: every base model gives this same reply, and a model fine-tuned "
    "in the sandbox answers with the closest example from its training data."
)
_LEGACY_DEFAULT_MAX_TOKENS = 16
_PIECE = re.compile(r"\s*\S+(?:\s+\S+){0,2}")  # about three words per streamed chunk


def chat(service: SandboxService, request: Request) -> Response:
    body = request.json()
    target = _target(service, request, body)
    if target.format != CHAT:
        raise openai_error(
            404,
            "This is not a chat model and thus not supported in the v1/chat/completions "
            "endpoint. Did you mean to use v1/completions?",
            param="model",
        )
    messages = _messages(body)
    users = [m for m in messages if m.get("role") == "user"] or messages
    query = message_text(users[-1].get("content"))
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    text, finish = _limited(_reply(service, target, query), body.get("stop"), limit)
    count = _n(body)
    head = {"id": new_id("chatcmpl-", 29), "created": int(request.now), "model": target.name,
            "system_fingerprint": FINGERPRINT, "service_tier": "default"}  # fmt: skip
    used = usage(chat_tokens(messages), approx_tokens(text) * count)
    if body.get("stream"):
        with_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        return _stream(_chat_chunks(head, text, finish, count, used if with_usage else None))
    message = {"role": "assistant", "content": text, "refusal": None, "annotations": []}
    choices = [
        {"index": i, "message": message, "logprobs": None, "finish_reason": finish}
        for i in range(count)
    ]
    return Response(body={**head, "object": "chat.completion", "choices": choices, "usage": used})


def completions(service: SandboxService, request: Request) -> Response:
    body = request.json()
    target = _target(service, request, body)
    if target.format != COMPLETION:
        raise openai_error(
            404,
            "This is a chat model and not supported in the v1/completions endpoint. Did you "
            "mean to use v1/chat/completions?",
            param="model",
        )
    prompts = _prompts(body)
    count = _n(body)
    limit = body.get("max_tokens", _LEGACY_DEFAULT_MAX_TOKENS)
    choices, completion_tokens = [], 0
    for prompt in prompts:
        text, finish = _limited(_reply(service, target, prompt), body.get("stop"), limit)
        completion_tokens += approx_tokens(text) * count
        if body.get("echo"):
            text = prompt + text
        choices += [{"text": text, "logprobs": None, "finish_reason": finish}] * count
    choices = [{**choice, "index": i} for i, choice in enumerate(choices)]
    head = {"id": new_id("cmpl-", 29), "object": "text_completion", "created": int(request.now),
            "model": target.name, "system_fingerprint": FINGERPRINT}  # fmt: skip
    used = usage(sum(approx_tokens(p) for p in prompts), completion_tokens)
    if body.get("stream"):
        return _stream(_completion_chunks(head, choices))
    return Response(body={**head, "choices": choices, "usage": used})


def _target(service: SandboxService, request: Request, body: dict) -> models_api.Target:
    if request.deployment is not None:
        return models_api.resolve(service, azure.deployed_model(service, request), request.now)
    name = body.get("model")
    if name is None:
        raise missing("model")
    if not isinstance(name, str):
        raise wrong_type("model", "a string", name)
    return models_api.resolve(service, name, request.now)


def _reply(service: SandboxService, target: models_api.Target, query: str) -> str:
    if target.job is None:
        return BASE_REPLY.format(model=target.name)
    return service.answers.answer(target.job["training_file"], query)


def _messages(body: dict) -> list[dict]:
    messages = body.get("messages")
    if messages is None:
        raise missing("messages")
    if not isinstance(messages, list) or not messages:
        raise invalid(
            "Invalid 'messages': empty array. Expected an array with minimum length 1.",
            "messages",
            "empty_array",
        )
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or "role" not in message:
            raise missing(f"messages[{index}].role")
    return messages


def _prompts(body: dict) -> list[str]:
    prompt = body.get("prompt")
    if prompt is None:
        raise missing("prompt")
    prompts = [prompt] if isinstance(prompt, str) else prompt
    if not isinstance(prompts, list) or not all(isinstance(p, str) for p in prompts):
        raise wrong_type("prompt", "a string or an array of strings", prompt)
    return prompts


def _n(body: dict) -> int:
    count = body.get("n", 1) or 1
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 128:
        raise invalid("Invalid 'n': expected an integer between 1 and 128.", "n")
    return count


def _limited(text: str, stop: object, max_tokens: object) -> tuple[str, str]:
    """The answer cut at the first stop sequence and at `max_tokens`, and why it ended."""
    stops = [stop] if isinstance(stop, str) else stop or []
    if not isinstance(stops, list) or len(stops) > 4 or not all(isinstance(s, str) for s in stops):
        raise invalid("Invalid 'stop': expected a string or an array of at most 4 strings.", "stop")
    cuts = [text.find(s) for s in stops if s and s in text]
    if cuts:
        text = text[: min(cuts)]
    if max_tokens is None:
        return text, "stop"
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
        raise invalid("Invalid 'max_tokens': expected an integer of at least 1.", "max_tokens")
    if approx_tokens(text) > max_tokens:
        return text[: max_tokens * 4], "length"
    return text, "stop"


def _pieces(text: str) -> list[str]:
    pieces = _PIECE.findall(text)
    rest = text[len("".join(pieces)) :]  # trailing whitespace, which no piece takes
    return [*pieces, rest] if rest or not pieces else pieces


def _chat_chunks(head: dict, text: str, finish: str, count: int, used: dict | None):
    chunk = {**head, "object": "chat.completion.chunk"}
    for i in range(count):
        delta = {"role": "assistant", "content": "", "refusal": None}
        yield {**chunk, "choices": [{"index": i, "delta": delta, "finish_reason": None}]}
    for piece in _pieces(text):
        for i in range(count):
            choice = {"index": i, "delta": {"content": piece}, "finish_reason": None}
            yield {**chunk, "choices": [choice]}
    for i in range(count):
        yield {**chunk, "choices": [{"index": i, "delta": {}, "finish_reason": finish}]}
    if used is not None:
        yield {**chunk, "choices": [], "usage": used}


def _completion_chunks(head: dict, choices: list[dict]):
    for choice in choices:
        pieces = _pieces(choice["text"])
        for number, piece in enumerate(pieces, start=1):
            finish = choice["finish_reason"] if number == len(pieces) else None
            part = {
                "text": piece,
                "index": choice["index"],
                "logprobs": None,
                "finish_reason": finish,
            }
            yield {**head, "choices": [part]}


def _stream(chunks: Iterator[dict]) -> Response:
    def events() -> Iterator[bytes]:
        for chunk in chunks:
            yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()
        yield b"data: [DONE]\n\n"

    # Materialized now, while the caller holds the state lock; written out after.
    return Response(stream=iter(list(events())), content_type="text/event-stream")
