"""A local OpenAI- and Azure OpenAI-compatible server: a SIMULATION for offline use and tests.

It speaks the wire protocol the official openai SDK speaks (files, fine-tuning jobs with
events, checkpoints and results, models, chat and legacy completions, Azure's api-version
paths and deployments), keeps its state on disk across restarts, and fails on demand
(`Sandbox.inject`). No model is trained and none runs: jobs follow a timeline, and a
"fine-tuned" model answers with the nearest example of its training data.
"""

from __future__ import annotations

from tunedeck.core.sandbox.server import Sandbox

__all__ = ["Sandbox"]
