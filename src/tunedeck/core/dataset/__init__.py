"""Examples and the ordered dataset that holds them."""

from tunedeck.core.dataset.dataset import Dataset, FileLayout
from tunedeck.core.dataset.example import Example, ExampleFormat

__all__ = ["Dataset", "Example", "ExampleFormat", "FileLayout"]
