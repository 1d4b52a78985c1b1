"""The chat tab: ask tuned models as they were trained, compare them, spot-check them."""

from tunedeck.ui.chat.tab import ChatTab

__all__ = ["ChatTab"]
