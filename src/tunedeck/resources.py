"""Where the files shipped beside the code live."""

from pathlib import Path

# In a source checkout (the only layout so far) resources/ sits at the repository root.
# Packaging (issue 9) will copy it into the package and this is the one place to change.
RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    """Path of a shipped resource file."""
    return RESOURCES.joinpath(*parts)
