"""Asking tuned models, and checking them on held-out examples (no Qt).

    fmt = TrainingFormat.from_record(launch.request)   # how the model was trained
    fmt.completion_prompt("What is iMocha?")            # + the separator, for legacy models
    fmt.messages(history, "What is iMocha?")            # the locked system message first

    items = check_items(session, rows, fmt)             # what to ask, what was expected
    run = SpotCheck(items, ["base", "ft:..."], ask)     # ask(model, item) -> answer text
    run.run(progress, cancel); run.retry_failed()       # failures kept, the rest complete
    evaluate(run.pairs("ft:..."))                       # accuracy, precision/recall, confusion

`ask` is where core.remote comes in (Provider.chat / Provider.complete); nothing here knows
about providers, so the same code runs against any of them.
"""

from tunedeck.core.chat.evaluation import ClassScore, Evaluation, evaluate
from tunedeck.core.chat.items import CheckItem, check_items, choose_rows, new_example
from tunedeck.core.chat.spot_check import Outcome, SpotCheck
from tunedeck.core.chat.training_format import TrainingFormat

__all__ = [
    "CheckItem",
    "ClassScore",
    "Evaluation",
    "Outcome",
    "SpotCheck",
    "TrainingFormat",
    "check_items",
    "choose_rows",
    "evaluate",
    "new_example",
]
