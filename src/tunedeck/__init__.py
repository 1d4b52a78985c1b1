"""TuneDeck: curate fine-tuning datasets and run the fine-tunes they feed."""

__version__ = "0.1.0"
