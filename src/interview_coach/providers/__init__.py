"""Embedding models behind one small interface (:class:`EmbeddingModel`), found by name.

    from interview_coach import providers
    model = providers.load()                      # the default, multilingual-e5-small
    vectors = model.embed(texts, kind="passage")  # float32, L2-normalised, (n, model.dim)

Built-ins and plugins are entry points in the group ``interview_coach.embedding_models``;
OpenAI-compatible endpoints are configured in ``providers.toml`` in the user data directory.
Providers know nothing of the bank or any store.
"""

from .base import EmbeddingModel, Kind, ProviderError
from .registry import DEFAULT, available, load

__all__ = ["DEFAULT", "EmbeddingModel", "Kind", "ProviderError", "available", "load"]
