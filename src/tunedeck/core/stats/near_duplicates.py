"""When two examples ask the same thing: the key the split and the leakage check group by.

Two examples are near-duplicates when what the model is shown before its answer is the same
once case, whitespace, punctuation and symbols are ignored: only letters and digits count,
casefolded ("Reset my password!" and "reset my  password" match; "reset my password?" and
"reset your password" do not). Legacy: the prompt. Chat: every message before the final
assistant message (all of them if there is none), each with its role.

Cheap on purpose, and sound: equal keys mean the texts differ in nothing a reader would call
content, so a flagged pair is always worth a look; and identical examples, or examples
sharing a prompt, always get equal keys. Paraphrases are out of its reach.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tunedeck.core.dataset import Example, ExampleFormat
from tunedeck.core.lint.facts import final_assistant_index
from tunedeck.core.stats.message_text import body_texts, plain_messages

_LEGACY, _CHAT = ExampleFormat.LEGACY, ExampleFormat.CHAT

_ASCII_NOT_ALNUM = bytes(code for code in range(128) if not chr(code).isalnum())
_ASCII_ALNUM = bytes(code for code in range(128) if chr(code).isalnum())
_ASCII_LOWER = bytes.maketrans(bytes(range(65, 91)), bytes(range(97, 123)))
# Non-ASCII character -> its UTF-8 replacement in a folded text (b"" drops it), or None when
# it stays as it is; filled as characters are met.
_REPLACEMENTS: dict[str, bytes | None] = {}
_UNSEEN = object()
# Lone surrogates ("\ud800" in a JSON file) are text to json.loads but not to UTF-8.
_SURROGATES = "surrogatepass"


def fold(text: str) -> bytes:
    """The letters and digits of `text`, casefolded, as UTF-8.

    Equal to "".join(c for c in text.casefold() if c.isalnum()).encode(), at bytes.translate
    speed. Casefolding works character by character, and UTF-8 leaves ASCII bytes alone, so
    the ASCII characters are folded by one translate of the encoded text, and the few
    distinct other characters one by one.
    """
    folded = text.encode("utf-8", _SURROGATES).translate(_ASCII_LOWER, _ASCII_NOT_ALNUM)
    if text.isascii():
        return folded
    others = folded.translate(None, _ASCII_ALNUM).decode("utf-8", _SURROGATES)
    for char in set(others):
        replacement = _REPLACEMENTS.get(char, _UNSEEN)
        if replacement is _UNSEEN:
            kept = "".join(c for c in char.casefold() if c.isalnum())
            replacement = _REPLACEMENTS[char] = None if kept == char else kept.encode()
        if replacement is not None:
            folded = folded.replace(char.encode("utf-8", _SURROGATES), replacement)
    return folded


class PromptKeys:
    """Near-duplicate keys of examples. System prompts, shared by whole datasets, are
    folded once."""

    def __init__(self) -> None:
        self._system: dict[str, bytes] = {}

    def __call__(self, example: Example) -> int | None:
        """The example's key, or None when there is nothing to compare (an empty prompt, a
        quarantined line)."""
        kind = example.format
        if kind is _LEGACY:
            folded = fold(example.prompt)
            return hash(folded) if folded else None
        if kind is not _CHAT:
            return None
        plain = plain_messages(example)
        if plain is None:
            return self._key(_asked(example.messages))
        roles, contents = plain
        final = _last_index(roles, "assistant")
        if final is not None:
            roles, contents = roles[:final], contents[:final]
        return self._key(zip(roles, contents, strict=True))

    def _key(self, messages: Iterable[tuple[str, str]]) -> int | None:
        parts = []
        said = False  # anything but a system prompt
        for role, text in messages:
            if role == "system":
                folded = self._system.get(text)
                if folded is None:
                    folded = self._system[text] = fold(text)
            else:
                folded = fold(text)
                said = said or bool(folded)
            parts.append((role, folded))
        return hash(tuple(parts)) if said else None


def _asked(messages: list) -> Iterator[tuple[str, str]]:
    """(role, text) of each message before the final assistant message, in any shape."""
    final = final_assistant_index(messages)
    for message in messages if final is None else messages[:final]:
        if isinstance(message, dict):
            role = message.get("role")
            yield role if isinstance(role, str) else "", "".join(body_texts(message))


def _last_index(items: list[str], wanted: str) -> int | None:
    for index in range(len(items) - 1, -1, -1):
        if items[index] == wanted:
            return index
    return None


def prompt_keys(examples: Iterable[Example]) -> dict[int, int]:
    """Row id -> near-duplicate key, for the examples that have one."""
    key_of = PromptKeys()
    keys = {}
    for example in examples:
        key = key_of(example)
        if key is not None:
            keys[example.id] = key
    return keys
