from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
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
        # prompt key -> (row id, answer key) while the prompt is unique (the common case, kept
        # small), then {row id: answer key} with a count of each answer once it is shared.
        self._members: dict[int, tuple[int, int] | dict[int, int]] = {}
        self._answers: dict[int, Counter[int]] = {}

    def add(self, row_id: int, facts: RowFacts) -> Iterable[int]:
        key, answer = facts.prompt_key, facts.answer_key
        if key is None or answer is None:
            return ()
        members = self._members.get(key)
        if members is None:
            self._members[key] = (row_id, answer)
            return ()
        if isinstance(members, tuple):
            members = self._members[key] = dict([members])
            self._answers[key] = Counter(members.values())
        members[row_id] = answer
        self._answers[key][answer] += 1
        return members

    def add_many(self, row_ids: Sequence[int], facts: Sequence[RowFacts]) -> None:
        # add() inlined for the common case, a prompt not seen so far: a full pass adds every
        # row of the dataset.
        members = self._members
        for row_id, row_facts in zip(row_ids, facts, strict=True):
            key, answer = row_facts.prompt_key, row_facts.answer_key
            if key is not None and answer is not None and key not in members:
                members[key] = (row_id, answer)
            else:
                self.add(row_id, row_facts)

    def remove(self, row_id: int, facts: RowFacts) -> Iterable[int]:
        key = facts.prompt_key
        members = self._members.get(key) if key is not None else None
        if members is None:
            return ()
        if isinstance(members, tuple):
            if members[0] == row_id:
                del self._members[key]
            return ()
        if row_id not in members:
            return ()
        answer = members.pop(row_id)
        answers = self._answers[key]
        answers[answer] -= 1
        if not answers[answer]:
            del answers[answer]
        if len(members) == 1:
            ((sole, sole_answer),) = members.items()
            self._members[key] = (sole, sole_answer)
            del self._answers[key]
            return (sole,)
        return members

    def grouped_rows(self) -> Iterable[int]:
        return (row_id for key in self._answers for row_id in self._members[key])

    def check(self, row_id: int, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        key = facts.prompt_key
        if key is None or len(self._answers.get(key, ())) < 2:
            return
        members = self._members[key]
        assert isinstance(members, dict)
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
