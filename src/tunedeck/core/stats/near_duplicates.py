"""When two examples ask the same thing: the key the split and the leakage check group by.

Two examples are near-duplicates when what the model is shown before its answer is the same
once case, whitespace, punctuation and symbols are ignored: only letters and digits count,
casefolded ("Reset my password!" and "reset my  password" match; "reset my password?" and
"reset your password" do not). Legacy: the prompt. Chat: every message before the final
assistant message (all of them if there is none), each with its role.

Cheap on purpose, and sound: equal keys mean the texts differ in nothing a reader would call
content ("log in" and "login" do count as the same), so a flagged pair is always worth a
look; and identical examples, or examples sharing a prompt, always get equal keys.
Paraphrases are out of its reach. Keys are hashes of the folded text, as the linter's
duplicate keys are: two different texts sharing one is a 1 in 2**64 chance.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from threading import Lock
from weakref import WeakKeyDictionary

from tunedeck.core.dataset import Example, ExampleFormat
from tunedeck.core.lint import Linter
from tunedeck.core.lint.facts import RowFacts, final_assistant_index
from tunedeck.core.stats.message_text import Shape, body_texts, plain_shapes
from tunedeck.core.stats.source import StatsSource, chosen_rows

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


def prompt_keys(
    examples: list[Example], facts: Sequence[RowFacts] | None = None
) -> list[int | None]:
    """Each example's near-duplicate key, or None when it has nothing to compare (an empty
    prompt, only a system prompt, a quarantined line). `facts`, the linter's facts of the
    examples when the caller has them, spare checking the shape of rows it found plain."""
    keys: list[int | None] = [None] * len(examples)
    proven = None if facts is None else [row.role_tokens is not None for row in facts]
    shapes, others = plain_shapes(examples, proven)
    for shape in shapes:  # most chat rows: a column of messages at a time
        for index, key in zip(shape.rows, _shape_keys(shape), strict=True):
            keys[index] = key
    legacy = [index for index in others if examples[index].format is _LEGACY]
    folded = [fold(examples[index].prompt) for index in legacy]
    for index, prompt in zip(legacy, folded, strict=True):
        keys[index] = hash(prompt) if prompt else None
    for index in others:
        if examples[index].format is _CHAT:
            keys[index] = _chat_key(_asked(examples[index].messages))
    return keys


# Keys already worked out, per linter: row id -> (the row's RowFacts then, its key). The
# linter makes new facts for a row whenever the row changes, so a key stored with facts that
# are still the linter's is still right. The split dialog (again on every change of share or
# seed), the leakage check and the export all ask in turn; only edited rows are folded again.
_MEMOS: WeakKeyDictionary[Linter, dict[int, tuple[RowFacts, int | None]]] = WeakKeyDictionary()
_MEMOS_LOCK = Lock()  # the export asks from a worker thread


def current_keys(
    linter: Linter, examples: list[Example], facts: Sequence[RowFacts]
) -> list[int | None]:
    """prompt_keys() of examples the linter has `facts` for, remembered until they change."""
    with _MEMOS_LOCK:
        memo = _MEMOS.setdefault(linter, {})
    keys: list[int | None] = [None] * len(examples)
    missing: list[int] = []
    for index, (example, row) in enumerate(zip(examples, facts, strict=True)):
        known = memo.get(example.id)
        if known is not None and known[0] is row:
            keys[index] = known[1]
        else:
            missing.append(index)
    if missing:
        stale = [examples[index] for index in missing]
        fresh = prompt_keys(stale, [facts[index] for index in missing])
        for index, example, key in zip(missing, stale, fresh, strict=True):
            keys[index] = key
            memo[example.id] = (facts[index], key)
    return keys


def remember_keys(source: StatsSource) -> None:
    """Work out the key of every example the split and the leakage check may ask about,
    ahead of them (from a worker: see current_keys())."""
    found = chosen_rows(source, rejected=True)
    current_keys(source.linter, found.examples, found.facts)


def _shape_keys(shape: Shape) -> list[int | None]:
    roles = shape.roles
    final = _last_index(roles, "assistant")
    asked = roles if final is None else roles[:final]
    columns = []
    for position, role in enumerate(asked):
        texts = shape.column(position)
        if role == "system":  # a few prompts shared by every row: fold each once
            folded = {text: fold(text) for text in set(texts)}
            columns.append([folded[text] for text in texts])
        else:
            columns.append([fold(text) for text in texts])
    spoken = [column for role, column in zip(asked, columns, strict=True) if role != "system"]
    if not spoken:
        return [None] * len(shape.rows)
    said = [any(row) for row in zip(*spoken, strict=True)]
    return [
        hash((asked, row)) if row_said else None
        for row, row_said in zip(zip(*columns, strict=True), said, strict=True)
    ]


def _chat_key(messages: Iterable[tuple[str, str]]) -> int | None:
    """_shape_keys() of one chat row of any shape: the same key for the same messages."""
    roles, folded = [], []
    for role, text in messages:
        roles.append(role)
        folded.append(fold(text))
    said = any(text for role, text in zip(roles, folded, strict=True) if role != "system")
    return hash((tuple(roles), tuple(folded))) if said else None


def _asked(messages: list) -> Iterator[tuple[str, str]]:
    """(role, text) of each message before the final assistant message, in any shape."""
    final = final_assistant_index(messages)
    for message in messages if final is None else messages[:final]:
        if isinstance(message, dict):
            role = message.get("role")
            yield role if isinstance(role, str) else "", "".join(body_texts(message))


def _last_index(items: tuple[str, ...], wanted: str) -> int | None:
    for index in range(len(items) - 1, -1, -1):
        if items[index] == wanted:
            return index
    return None
