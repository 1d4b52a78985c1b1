"""Finding every problem in a dataset, as data (see ARCHITECTURE.md, "Lint rules")."""

from tunedeck.core.lint.diagnostic import Diagnostic, Fix, Severity
from tunedeck.core.lint.linter import Linter, Update, lint
from tunedeck.core.lint.settings import LintSettings, ResolvedSettings, Source

__all__ = [
    "Diagnostic",
    "Fix",
    "LintSettings",
    "Linter",
    "ResolvedSettings",
    "Severity",
    "Source",
    "Update",
    "lint",
]
