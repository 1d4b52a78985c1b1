"""How a sandbox fine-tuned model "answers": with the closest example of its training data.

No language model runs. For a chat model, every user turn of every training example is paired
with the assistant reply that follows it (a multi-turn example gives several pairs); the
answer to a request is the reply paired with the user turn nearest to the request's last
user message. For a prompt/completion model the pairs are the prompts and completions.

"Nearest" is word overlap (Jaccard similarity of the sets of lower-cased words), with ties
and no-overlap cases settled by difflib's character similarity. That takes milliseconds for a
few thousand examples and makes a question taken from the training data get its trained
answer back, which is what a spot-check of a tuned model looks for.
"""

from __future__ import annotations

import difflib
import re
import threading
from dataclasses import dataclass

from tunedeck.core.sandbox.state import SandboxState
from tunedeck.core.sandbox.uploads import read_examples
from tunedeck.core.sandbox.usage import message_text

_WORD = re.compile(r"\w+")
_MAX_TIED = 200  # difflib compares at most this many equally good candidates


@dataclass(frozen=True)
class Pair:
    """A question the model was trained on and the answer it learned for it."""

    prompt: str
    words: frozenset[str]
    answer: str


class AnswerBook:
    """Training pairs per training file, built on first use and kept (files never change)."""

    def __init__(self, state: SandboxState):
        self._state = state
        self._pairs: dict[str, list[Pair]] = {}
        self._lock = threading.Lock()

    def answer(self, training_file: str, query: str) -> str:
        """The trained answer nearest to `query`."""
        return nearest(self._pairs_of(training_file), query)

    def _pairs_of(self, training_file: str) -> list[Pair]:
        with self._lock:
            if training_file not in self._pairs:
                examples = read_examples(self._state.read_blob(training_file))
                self._pairs[training_file] = pairs(examples)
            return self._pairs[training_file]


def pairs(examples: list[dict]) -> list[Pair]:
    """The (prompt, answer) pairs of a training file's examples."""
    found = []
    for example in examples:
        if "messages" not in example:
            found.append(_pair(example["prompt"], example["completion"]))
            continue
        prompt = ""
        for message in example["messages"]:
            text = message_text(message.get("content"))
            if message["role"] == "user" or (message["role"] == "system" and not prompt):
                prompt = text
            elif message["role"] == "assistant" and text:
                found.append(_pair(prompt, text))
    return found


def nearest(candidates: list[Pair], query: str) -> str:
    """The answer of the candidate whose prompt is most like `query`."""
    if not candidates:
        return ""
    words = _words(query)
    scored = [(_jaccard(words, pair.words), pair) for pair in candidates]
    best = max(score for score, _ in scored)
    tied = [pair for score, pair in scored if score == best][:_MAX_TIED]
    if len(tied) == 1:
        return tied[0].answer
    lowered = query.lower()
    return max(tied, key=lambda pair: _similarity(lowered, pair.prompt.lower())).answer


def _pair(prompt: str, answer: str) -> Pair:
    return Pair(prompt, _words(prompt), answer)


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio()
