"""One module per rule; the registry in tunedeck.core.lint.registry lists them."""
