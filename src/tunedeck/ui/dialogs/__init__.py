"""Dialogs that edit what the session holds, applied by the window when accepted."""
