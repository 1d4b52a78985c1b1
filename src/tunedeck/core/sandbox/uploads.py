"""Reading an upload: the multipart form, and the fine-tune checks OpenAI makes on a file.

The form is parsed with the standard library's `email` package (multipart/form-data is a
MIME message), so no web framework is needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP

from tunedeck.core.sandbox.catalog import CHAT, COMPLETION
from tunedeck.core.sandbox.errors import ApiError, invalid
from tunedeck.core.sandbox.usage import example_tokens

ROLES = ("system", "user", "assistant", "tool")


@dataclass
class FormPart:
    """One field of a multipart form: a value, or a file with its name."""

    value: bytes
    filename: str | None = None


@dataclass
class TrainingSummary:
    """What the checks learned about a valid fine-tune file."""

    format: str  # "chat" or "completion"
    examples: int
    tokens: int  # approximate, over all examples


def parse_form(content_type: str, body: bytes) -> dict[str, FormPart]:
    """The fields of a multipart/form-data body, by name.

    Raises:
        ApiError: The body is not a multipart form.
    """
    if not content_type.lower().startswith("multipart/form-data"):
        raise invalid("Expected a multipart/form-data upload with a 'file' and a 'purpose'.")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise invalid("Could not parse the multipart form.")
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            payload = part.get_payload(decode=True)
            fields[str(name)] = FormPart(payload or b"", part.get_filename())
    return fields


def read_examples(content: bytes) -> list[dict]:
    """The examples of a file that passed `check_training_file` (one per line)."""
    # split on "\n" only: str.splitlines would also break at U+2028 inside a JSON string.
    text = content.decode("utf-8-sig")  # Azure wants a byte-order mark; it is not a line
    return [json.loads(line) for line in text.split("\n") if line.strip()]


def check_training_file(filename: str, content: bytes) -> TrainingSummary:
    """Check a fine-tune upload as OpenAI does and summarize it.

    Every line must be a JSON object in one format for the whole file: chat (`messages`, with
    roles system/user/assistant/tool and at least one assistant message) or legacy
    (`prompt` and `completion` strings).

    Raises:
        ApiError: 400 naming the first bad line and what is wrong with it.
    """
    if not filename.lower().endswith(".jsonl"):
        raise _bad("Must be .jsonl")
    # Azure requires training files to start with a UTF-8 byte-order mark; it is no part of
    # the first line.
    lines = content.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the final newline ends the last line; it does not start an empty one
    if not lines:
        raise _bad("The file is empty")
    fmt, tokens = None, 0
    for number, raw in enumerate(lines, start=1):
        example = _parse_line(number, raw)
        line_format = _example_format(number, example)
        if fmt is None:
            fmt = line_format
        elif line_format != fmt:
            raise _bad(
                f"Line {number} is in the {_NAMES[line_format]} format but line 1 is in the "
                f"{_NAMES[fmt]} format; a file must use one format"
            )
        tokens += example_tokens(example)
    assert fmt is not None
    return TrainingSummary(fmt, len(lines), tokens)


_NAMES = {CHAT: "chat (messages)", COMPLETION: "prompt/completion"}


def _bad(reason: str) -> ApiError:
    return invalid(
        f"Invalid file format for Fine-Tuning API. {reason}.", "file", "invalid_file_format"
    )


def _parse_line(number: int, raw: bytes) -> dict:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad(f"Line {number} is not UTF-8 text") from None
    if not text.strip():
        raise _bad(f"Line {number} is empty")
    try:
        example = json.loads(text)
    except ValueError as error:
        raise _bad(f"Line {number} is not valid JSON ({error})") from None
    if not isinstance(example, dict):
        raise _bad(f"Line {number} must be a JSON object, not {type(example).__name__}")
    return example


def _example_format(number: int, example: dict) -> str:
    if "messages" in example:
        _check_messages(number, example["messages"])
        return CHAT
    if "prompt" in example or "completion" in example:
        for key in ("prompt", "completion"):
            if not isinstance(example.get(key), str):
                raise _bad(f'Line {number}: "{key}" must be a string')
        return COMPLETION
    raise _bad(
        f'Line {number} has neither "messages" (chat format) nor "prompt" and "completion" '
        "(legacy format)"
    )


def _check_messages(number: int, messages: object) -> None:
    if not isinstance(messages, list) or not messages:
        raise _bad(f'Line {number}: "messages" must be a non-empty list')
    for index, message in enumerate(messages):
        where = f"Line {number}, message {index + 1}"
        if not isinstance(message, dict):
            raise _bad(f"{where} must be an object")
        role = message.get("role")
        if role not in ROLES:
            raise _bad(f"{where} has role {role!r}; expected one of {', '.join(ROLES)}")
        content = message.get("content")
        calls = message.get("tool_calls") or message.get("function_call")
        if not (isinstance(content, str | list) or (content is None and calls)):
            raise _bad(f"{where} has no text content")
    if not any(message["role"] == "assistant" for message in messages):
        raise _bad(f"Line {number} has no assistant message to learn from")
