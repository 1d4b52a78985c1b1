"""A conversation drawn as text: who said what, with the answer still arriving at the end.

A QTextBrowser redrawn from the turns on every change: a conversation is tens of turns, so
a full redraw costs less than keeping a document's blocks in step with the turns.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtWidgets import QTextBrowser, QWidget

STREAMING, STOPPED, FAILED, REPLACED = "streaming", "stopped", "failed", "replaced"


@dataclass
class Turn:
    role: str  # "user" or "assistant"
    text: str
    model: str | None = None
    state: str = ""  # STREAMING, STOPPED, FAILED (text is the reason), REPLACED, or ""


class TranscriptView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.turns: list[Turn] = []
        self.setPlaceholderText(
            "Ask the model something; its answer appears here as it is written."
        )

    def set_turns(self, turns: list[Turn]) -> None:
        self.turns = turns
        self.redraw()

    def redraw(self) -> None:
        self.setHtml("".join(_turn_html(turn) for turn in self.turns))
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def plain_text(self) -> str:
        """What the transcript says, for tests and the clipboard."""
        return self.toPlainText()


def _turn_html(turn: Turn) -> str:
    text = html.escape(turn.text)
    if turn.role == "user":
        head, colour = "You", "#1a4f8b"
    else:
        head, colour = html.escape(turn.model or "Model"), "#2e6b34"
    note = ""
    body_style = "white-space:pre-wrap;"
    if turn.state == STREAMING:
        text += "▍"
    elif turn.state == STOPPED:
        note = " <i>(stopped)</i>"
    elif turn.state == FAILED:
        body_style += "color:#a4262c;"
        note = " <i>(no answer)</i>"
    elif turn.state == REPLACED:
        body_style += "color:#8a8a8a;"
        note = " <i>(replaced by a regenerated answer)</i>"
    return (
        f"<p style='margin-top:10px; margin-bottom:2px;'><b style='color:{colour};'>{head}</b>"
        f"{note}</p><p style='{body_style} margin-top:0px;'>{text or '&nbsp;'}</p>"
    )
