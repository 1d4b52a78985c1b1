"""Exact token counts, offline, in the encoding the target model uses.

tiktoken downloads its vocabularies on first use; TuneDeck never lets it. The rank files ship in
``resources/tokenizers`` and are checked against the sha256 tiktoken itself pins before use, so a
corrupted or substituted file is refused instead of silently miscounting.
"""

from __future__ import annotations

import binascii
import contextlib
import hashlib
import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from tunedeck.core.errors import UserError
from tunedeck.core.models import ModelInfo
from tunedeck.resources import resource

if TYPE_CHECKING:
    import tiktoken

ENDOFTEXT = "<|endoftext|>"
ENDOFPROMPT = "<|endofprompt|>"


@dataclass(frozen=True)
class EncodingSpec:
    name: str
    sha256: str
    pat_str: str
    special_tokens: dict[str, int]


# The split patterns and special tokens are tiktoken's own definitions (tiktoken_ext.openai_public);
# tests/core/test_tokens.py proves ours build the very same encodings.
_O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)

ENCODINGS: dict[str, EncodingSpec] = {
    "o200k_base": EncodingSpec(
        "o200k_base",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        _O200K_PATTERN,
        {ENDOFTEXT: 199999, ENDOFPROMPT: 200018},
    ),
    "cl100k_base": EncodingSpec(
        "cl100k_base",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        _CL100K_PATTERN,
        {
            ENDOFTEXT: 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            ENDOFPROMPT: 100276,
        },
    ),
}

_load_lock = threading.Lock()


def vocabulary_path(name: str):
    return resource("tokenizers", f"{name}.tiktoken")


def load_ranks(name: str) -> dict[bytes, int]:
    """Read and verify a shipped rank file (``<base64 token> <rank>`` per line)."""
    spec = ENCODINGS[name]
    path = vocabulary_path(name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(
            f"The {name} vocabulary is missing ({path}: {error.strerror}). "
            "Reinstall TuneDeck; it never downloads vocabularies."
        ) from error
    digest = hashlib.sha256(data).hexdigest()
    if digest != spec.sha256:
        raise UserError(
            f"The {name} vocabulary at {path} is damaged (sha256 {digest}, expected "
            f"{spec.sha256}). Reinstall TuneDeck."
        )
    # Whitespace splits the file into token, rank, token, rank, ...; decoding all of them in
    # two C-level maps takes a third of the time of a loop per line (it is on the way to
    # the first rows on screen). The file's hash was checked above, so its shape is known.
    fields = data.split()
    return dict(zip(map(binascii.a2b_base64, fields[0::2]), map(int, fields[1::2]), strict=True))


@cache
def _cached_encoding(name: str) -> tiktoken.Encoding:
    import tiktoken

    spec = ENCODINGS[name]
    return tiktoken.Encoding(
        name,
        pat_str=spec.pat_str,
        mergeable_ranks=load_ranks(name),
        special_tokens=spec.special_tokens,
    )


def prefetch(model: str | None) -> None:
    """Start building `model`'s encoding in the background, if the model is known.

    A project's rows load in SQLite's C code, which lets other threads run: building the
    vocabulary meanwhile takes it off the way to the first rows on screen. get_encoding's
    lock makes whoever asks next wait for this build instead of starting another.
    """
    from tunedeck.core.models import model_info

    try:
        name = model_info(model).encoding if model else None
    except UserError:
        return  # an unknown model is reported where the settings are resolved
    if name is None or name not in ENCODINGS:
        return
    threading.Thread(
        target=_build_quietly, args=(name,), name="tunedeck-vocabulary", daemon=True
    ).start()


def _build_quietly(name: str) -> None:
    # A damaged file is reported, in words, when the encoding is asked for.
    with contextlib.suppress(UserError):
        get_encoding(name)


def get_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken encoding `name`, built from the shipped, verified vocabulary."""
    if name not in ENCODINGS:
        known = ", ".join(sorted(ENCODINGS))
        raise UserError(f"Unknown encoding {name!r}; TuneDeck ships {known}.")
    with _load_lock:  # two threads must not both spend a second building the same table
        return _cached_encoding(name)


# OpenAI's published accounting for chat training examples: every message costs a few tokens
# of framing (role, separators) and every reply is primed with three more.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
TOKENS_PER_REPLY = 3


class TokenCounter:
    """Counts tokens for one model; the one place the rest of the app asks."""

    def __init__(self, model: ModelInfo) -> None:
        self.model = model
        self.encoding = get_encoding(model.encoding)

    def count(self, text: str) -> int:
        # Special-token strings in user data are just text to the trainer, hence "ordinary".
        return len(self.encoding.encode_ordinary(text))

    def count_many(self, texts: Sequence[str]) -> list[int]:
        """Counts for many texts at once, tokenizing each distinct text once.

        A plain loop on purpose. tiktoken's encode_batch makes a future per text and measured
        slower; threads of our own gain nothing once the rules run beside them, because every
        call needs the GIL back. Only lengths are kept, never every token list at once.
        """
        lengths = self.lengths(texts)
        return [lengths[text] for text in texts]

    def lengths(self, texts: Iterable[str]) -> dict[str, int]:
        """The count of each distinct text of `texts`, each tokenized once (see count_many).

        For a caller that looks counts up by text: it spares building the list count_many
        returns, and the caller splitting it up again.
        """
        encode = self.encoding.encode_ordinary
        return {text: len(encode(text)) for text in dict.fromkeys(texts)}

    def tokens(self, text: str) -> list[str]:
        """The pieces `text` splits into, for showing a user why a label is several tokens."""
        return [
            self.encoding.decode_single_token_bytes(token).decode("utf-8", "replace")
            for token in self.encoding.encode_ordinary(text)
        ]

    def is_single_token(self, text: str) -> bool:
        return len(self.encoding.encode_ordinary(text)) == 1


def message_texts(message: Any) -> Iterable[str]:
    """The texts of one chat message that the model reads, in order."""
    if not isinstance(message, dict):
        return
    content = message.get("content")
    if isinstance(content, str):
        yield content
    elif isinstance(content, list):  # content parts: only text parts carry tokens we can count
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                yield part["text"]
    for key in ("role", "name"):
        if isinstance(message.get(key), str):
            yield message[key]
    if message.get("tool_calls") is not None:
        yield json.dumps(message["tool_calls"], ensure_ascii=False, separators=(",", ":"))
    if message.get("function_call") is not None:
        yield json.dumps(message["function_call"], ensure_ascii=False, separators=(",", ":"))


def chat_overhead(messages: Sequence[Any]) -> int:
    """Framing tokens around the message texts (see TOKENS_PER_MESSAGE)."""
    named = sum(1 for message in messages if isinstance(message, dict) and "name" in message)
    return len(messages) * TOKENS_PER_MESSAGE + named * TOKENS_PER_NAME + TOKENS_PER_REPLY


def tools_text(tools: Any) -> str:
    """Tool definitions as counted: their compact JSON, an estimate, since OpenAI does not
    publish the exact rendering it trains on."""
    return json.dumps(tools, ensure_ascii=False, separators=(",", ":"))
