"""TuneDeck: curate fine-tuning datasets and run the fine-tunes they feed."""

from importlib.metadata import PackageNotFoundError, version

try:
    # One version, pyproject.toml's: `tunedeck --version`, the self-test and the bundle agree.
    __version__ = version("tunedeck")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
