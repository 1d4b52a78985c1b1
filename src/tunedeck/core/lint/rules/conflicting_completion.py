from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from heapq import nsmallest

from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.rule import GroupRule

_NAMED = 5  # other rows named in a message; the rest are counted


class ConflictingCompletion(GroupRule):
    """The same prompt with different answers.

    ## What it flags
    Every example of a group that shares a prompt (for chat, the whole conversation up to the
    final assistant message) but not the answer.

    ## Why it matters
    The model is taught two answers to one question, so it learns neither reliably. Often one
    of them is a labelling mistake; sometimes the prompt lacks the context that decided the
    answer.

    ## Example
    Line 3: `"Great phone!\\n\\n###\\n\\n"` → ` positive`; line 9: the same prompt →
    ` negative`.

    ## Fix
    None automatic: decide which answer is right, then correct or delete the others.

    ## Options
    None.
    """

    code = "TD502"
    name = "conflicting-completion"
    severity = Severity.WARNING
    summary = "Same prompt, different completions"

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._members: dict[int, dict[int, int]] = {}  # prompt key -> {row id: answer key}
        self._answers: dict[int, Counter[int]] = {}  # prompt key -> answer key counts

    def add(self, row_id: int, facts: RowFacts) -> Iterable[int]:
        key = facts.prompt_key
        if key is None or facts.answer_key is None:
            return ()
        members = self._members.setdefault(key, {})
        answers = self._answers.setdefault(key, Counter())
        members[row_id] = facts.answer_key
        answers[facts.answer_key] += 1
        return members if len(members) > 1 else ()

    def remove(self, row_id: int, facts: RowFacts) -> Iterable[int]:
        key = facts.prompt_key
        members = self._members.get(key) if key is not None else None
        if not members or row_id not in members:
            return ()
        answer = members.pop(row_id)
        answers = self._answers[key]
        answers[answer] -= 1
        if not answers[answer]:
            del answers[answer]
        if not members:
            del self._members[key]
            del self._answers[key]
            return ()
        return members

    def check(self, row_id: int, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        key = facts.prompt_key
        if key is None or len(self._answers.get(key, ())) < 2:
            return
        members = self._members[key]
        # Smallest ids first, so the message reads the same however the group was built.
        others = [other for other in nsmallest(_NAMED + 1, members) if other != row_id][:_NAMED]
        named = ", ".join(ctx.where(other) for other in others)
        rest = len(members) - 1 - len(others)
        if rest > 0:
            named += f" and {rest} more"
        yield self.make(
            row_id,
            None,
            f"same prompt as {named} but {len(self._answers[key])} different completions",
            data={"group_size": len(members), "answers": len(self._answers[key])},
        )
