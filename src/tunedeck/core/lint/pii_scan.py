"""Finding personal data and secrets in text.

Each detector checks a cheap literal first ("@" for e-mail, a digit run for numbers), so that
the common case, text with none of these, costs one fast substring test per detector.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import methodcaller

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Nine or more digits, with the separators people write numbers with between them: the least
# a phone or card number has. A "+" or "(" just before the run is picked up afterwards. The
# definition: the search runs _NUMBER_SHAPE, which finds the same matches faster (tested).
_NUMBER = re.compile(r"[0-9](?:[ ().-]{0,3}[0-9]){8,}")  # [0-9]: 1.5x faster than \d
_SECRETS = [
    ("OpenAI API key", "sk-", re.compile(r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}")),
    ("AWS access key", "AKIA", re.compile(r"AKIA[0-9A-Z]{16}")),
    *(
        ("GitHub token", prefix, re.compile(prefix + r"[A-Za-z0-9]{36,}"))
        for prefix in ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")  # "gh" alone is in "right"
    ),
    ("GitHub token", "github_pat_", re.compile(r"github_pat_[A-Za-z0-9_]{40,}")),
    ("Slack token", "xox", re.compile(r"xox[abprs]-[A-Za-z0-9-]{10,}")),
    ("Google API key", "AIza", re.compile(r"AIza[0-9A-Za-z_-]{35}")),
    ("private key", "PRIVATE KEY", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("bearer token", "earer", re.compile(r"[Bb]earer\s+[A-Za-z0-9._~+/-]{20,}=*")),
    (
        "JSON web token",
        "eyJ",
        re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+"),
    ),
]


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # "e-mail address", "phone number", "payment card number", or a secret's name
    start: int
    end: int
    text: str

    @property
    def masked(self) -> str:
        """Enough to recognise the value, never enough to use it."""
        keep = 4 if len(self.text) > 8 else 1
        return self.text[:keep] + "…"

    @property
    def placeholder(self) -> str:
        return "[" + self.kind.upper().replace(" ", "_").replace("-", "") + "]"


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _classify_number(text: str) -> str | None:
    digits = "".join(char for char in text if char.isdigit())
    if 13 <= len(digits) <= 19 and luhn_valid(digits):
        return "payment card number"
    separated = any(char in text for char in " ()-.")
    # Bare digit strings are as often ids and amounts as phone numbers: need a "+" or a
    # phone-like grouping before calling one a phone number.
    if 9 <= len(digits) <= 15 and (text.startswith("+") or separated) and _phone_shape(text):
        return "phone number"
    return None


def _phone_shape(text: str) -> bool:
    groups = re.split(r"[ ().-]+", text.strip("+()"))
    groups = [group for group in groups if group]
    # Dates (2023-04-01) and decimals have short groups or a four-digit year up front.
    return (
        2 <= len(groups) <= 5
        and all(len(group) >= 2 for group in groups)
        and not (len(groups) == 3 and len(groups[0]) == 4 and len(groups[1]) <= 2)
    )


def _number(text: str, start: int, end: int) -> Finding | None:
    """The finding for the digits of text[start:end] (a _NUMBER match), if they are one."""
    first = start
    while first > 0 and text[first - 1] in "+(" and start - first < 2:
        first -= 1
    number = text[first:end]
    kind = _classify_number(number)
    return Finding(kind, first, end, number) if kind else None


def scan(text: str) -> Iterator[Finding]:
    if "@" in text:
        for match in _EMAIL.finditer(text):
            yield Finding("e-mail address", match.start(), match.end(), match.group())
    # _NUMBER's matches, found in the text's shapes as the pre-scan finds them: testing
    # _NUMBER's character class at every position costs three times as much.
    for match in _NUMBER_SHAPE.finditer(text.encode("latin-1", "replace").translate(_SHAPES)):
        found = _number(text, match.start(), match.end())
        if found:
            yield found
    underscore = "_" in text  # one search instead of one for each GitHub prefix
    for kind, needle, pattern in _SECRETS:
        if (underscore or "_" not in needle) and needle in text:
            for match in pattern.finditer(text):
                yield Finding(kind, match.start(), match.end(), match.group())


# Every e-mail address has an "@" and every secret one of these; "_" stands for the GitHub
# token prefixes (ghp_, github_pat_, ...) at the cost of a few false suspects.
# (needle, where a letter rare in most text sits in it, or -1). A needle is found by its rare
# letter (memchr, nearly free) and checked in place: bytes.find of a short needle steps
# through the text several times slower. Upper-case text makes the letter common: after one
# hit per 1/_BUDGET bytes of the batch, the rest is searched for the needle itself.
_NEEDLES = (
    (b"@", -1),
    (b"_", -1),
    (b"earer", -1),  # no letter of it is rare
    (b"PRIVATE KEY", 10),
    (b"AKIA", 1),
    (b"eyJ", 2),
)
# Needles around a byte that ordinary text holds too often for a Python-level check of each
# hit (dashes in dates and words, the pronoun "I"), and too rarely to search for the whole
# needle: the regex engine jumps from one such byte to the next and looks around it in C.
# Half the time of bytes.find for "sk-" and "xox" apiece; the same for AIza as the rare-letter
# loop, with no budget to run out in upper-case text. Each is what scan()'s pattern starts with.
_ANCHORED = (
    re.compile(rb"-(?:(?<=sk-)|(?<=xox[abprs]-))"),  # OpenAI and Slack keys
    re.compile(rb"I(?<=AI)(?=za)"),  # Google API keys
)
_BUDGET = 1 / 512
# For the pre-scan, text is reduced to one byte per character: digits become "0", the
# separators _NUMBER allows become "-", everything else "x". A nine-digit run is then a plain
# pattern whose literal first byte the regex engine finds with memchr, instead of testing a
# character class at every position (3x faster).
_SHAPES = bytes(
    ord("0")
    if chr(byte).isdigit() and byte < 128
    else ord("-")
    if chr(byte) in " ().-"
    else ord("x")
    for byte in range(256)
)
# Possessive: a separator is never a digit, so giving some back could never help a match,
# and not trying saves a third of this search. A match never starts right after a digit
# (one starting there would have matched from that digit on), and saying so ends each try
# inside a run of digits at its first step.
_NUMBER_SHAPE = re.compile(rb"0(?<!00)(?:-{0,3}+0){8,}+")


def suspects(texts: Sequence[str]) -> list[int]:
    """Indexes of the texts in which scan() may find something; the others hold nothing.

    One pass over the joined batch instead of a call per text: for short texts the calls cost
    more than the search. Nothing matches across the NUL that joins them.
    """
    # Each text as latin-1 bytes, "replace" keeping one byte per character so that offsets
    # stay character offsets. The needles are ASCII, so they are searched for in these bytes:
    # joined as a str, one text of emoji would make the whole batch four bytes per character,
    # and every search would read all of them.
    data = _latin1(texts)
    positions: list[int] = []
    for needle, rare in _NEEDLES:
        _find_all(data, needle, rare, positions)
    for pattern in _ANCHORED:
        positions.extend(map(_START, pattern.finditer(data)))
    starts = list(accumulate(map((1).__add__, map(len, texts)), initial=0))  # + the NUL
    for match in _NUMBER_SHAPE.finditer(data.translate(_SHAPES)):
        # A shape match is a _NUMBER match of the text (the NUL between texts is no digit nor
        # separator), judged here as scan() judges it: a text whose only long digit runs are
        # dates and amounts side by side is not passed on to be scanned again, row by row.
        start, end = match.span()
        index = bisect_right(starts, start) - 1
        if _number(texts[index], start - starts[index], end - starts[index]):
            positions.append(start)
    return sorted({bisect_right(starts, position) - 1 for position in positions})


def _find_all(data: bytes, needle: bytes, rare: int, positions: list[int]) -> None:
    """Add where `needle` starts in `data` to `positions`, searching for its byte at `rare`
    first when there is one (see _NEEDLES)."""
    start = 0
    if rare >= 0:
        letter, budget = needle[rare : rare + 1], len(data) * _BUDGET
        position = data.find(letter, rare)
        while position >= 0 and budget > 0:
            if data.startswith(needle, position - rare):
                positions.append(position - rare)
            budget -= 1
            position = data.find(letter, position + 1)
        if position < 0:
            return
        start = position - rare  # no needle starts before this one unchecked
    position = data.find(needle, start)
    while position >= 0:
        positions.append(position)
        position = data.find(needle, position + 1)


def _latin1(texts: Sequence[str]) -> bytes:
    """The texts joined by NUL as latin-1 bytes, "?" for each character outside latin-1.

    Joined as a str and encoded once: an encode() call per text costs more than its copy. A
    text outside latin-1 would widen the whole joined str, so only those are narrowed first.
    """
    narrow = [
        text if text.isascii() else text.encode("latin-1", "replace").decode("latin-1")
        for text in texts
    ]
    return "\0".join(narrow).encode("latin-1")


_START = methodcaller("start")
