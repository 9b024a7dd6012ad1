"""Embeddings cached in the bank by (model id, content hash): unchanged text is never
embedded twice. Work is committed batch by batch, so an interrupted run resumes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np

from ..bank.store import Store
from ..providers.base import EmbeddingModel, Kind

CHUNK = 64


def text_hash(text: str, kind: Kind = "passage") -> str:
    return hashlib.sha1(f"{kind}\0{text}".encode()).hexdigest()


def missing(store: Store, model_id: str, texts: Sequence[str], kind: Kind = "passage") -> list[str]:
    hashes = [text_hash(t, kind) for t in texts]
    have = store.cached_vectors(model_id, hashes)
    seen: set[str] = set()
    todo = []
    for t, h in zip(texts, hashes, strict=True):
        if h not in have and h not in seen:
            seen.add(h)
            todo.append(t)
    return todo


def ensure(
    store: Store,
    model: EmbeddingModel,
    texts: Sequence[str],
    kind: Kind = "passage",
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Vectors for `texts` (n, dim), embedding only what the cache lacks."""
    todo = missing(store, model.model_id, texts, kind)
    for i in range(0, len(todo), CHUNK):
        part = todo[i:i + CHUNK]
        vecs = model.embed(part, kind)
        store.put_vectors(model.model_id, [(text_hash(t, kind), v) for t, v in zip(part, vecs, strict=True)])
        if progress:
            progress(min(i + CHUNK, len(todo)), len(todo))
    hashes = [text_hash(t, kind) for t in texts]
    have = store.cached_vectors(model.model_id, hashes)
    if not texts:
        return np.zeros((0, model.dim), dtype=np.float32)
    return np.stack([have[h] for h in hashes]).astype(np.float32, copy=False)
