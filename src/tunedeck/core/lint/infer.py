"""Working out a dataset's conventions from the data itself.

A separator or stop sequence is inferred as the ending most texts share, so that the few texts
lacking it are the ones flagged, rather than the inference failing because of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

# Characters that mark a deliberate delimiter rather than the end of a sentence. An ending made
# only of letters, digits, spaces or sentence punctuation (".", "?") is ordinary text.
_DELIMITER_CHARS = set("\n\t#-=>:|~*<[]{}")
# Sentence punctuation ends the text itself, so it is never part of a delimiter.
_SENTENCE_END = set(".?!,;\"')")
_MAX_LENGTH = 32
_QUORUM = 0.5  # more than half the texts must share the ending
# Once the ending holds a delimiter, grow it only by what nearly all its holders share, so that
# "Sentiment:" keeps its word while a full stop before most separators is left out.
_EXTEND = 0.95


def common_ending(texts: Sequence[str]) -> str | None:
    """The longest delimiter-like ending shared by more than half of `texts`, if any."""
    texts = [text for text in texts if text]
    if not texts:
        return None
    quorum = len(texts) * _QUORUM
    ending = ""
    holders = texts
    while len(ending) < _MAX_LENGTH:
        position = len(ending) + 1
        before = Counter(text[-position] for text in holders if len(text) >= position)
        if not before:
            break
        char, count = before.most_common(1)[0]
        if count <= quorum:
            break
        if _has_delimiter(ending) and (count < len(holders) * _EXTEND or char in _SENTENCE_END):
            break
        ending = char + ending
        holders = [text for text in holders if text.endswith(ending)]
    return ending if _has_delimiter(ending) else None


def _has_delimiter(text: str) -> bool:
    return any(char in _DELIMITER_CHARS for char in text)


def looks_like_classification(labels: Sequence[str]) -> bool:
    """Few short distinct answers, each seen several times, as in sentiment or topic datasets."""
    if len(labels) < 4:
        return False
    distinct = Counter(labels)
    if len(distinct) < 2 or len(distinct) > 100:
        return False
    if len(distinct) * 3 > len(labels):
        return False
    return all(len(label) <= 40 and label.count(" ") <= 3 for label in distinct)
