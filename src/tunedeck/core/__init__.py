"""Everything that is not drawing pixels. Never imports Qt (see ARCHITECTURE.md)."""
