"""The window: Qt models that adapt core objects and the widgets that draw them (Qt only here)."""
