"""Widgets that render the ui models: views, delegates, panels."""
