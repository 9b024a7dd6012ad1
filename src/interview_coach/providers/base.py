"""The one interface every embedding model implements.

A provider subclasses :class:`EmbeddingModel`, sets ``model_id`` and ``dim`` and implements
``embed_batch``. Callers use :meth:`EmbeddingModel.embed`, which folds Chinese to simplified
script (measured: free accuracy for every model), batches, reports progress and returns
L2-normalised float32 vectors, whatever the provider returned.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Literal, get_args

import numpy as np

from interview_coach.errors import CoachError
from interview_coach.text.script import to_simplified

Kind = Literal["query", "passage"]
KINDS: tuple[Kind, ...] = get_args(Kind)

Progress = Callable[[int, int], None]


class ProviderError(CoachError):
    """An embedding provider failed while running: an endpoint unreachable or answering
    with an error, or a model returning vectors of the wrong shape. Problems in the
    settings file itself are ``ConfigError``."""


class EmbeddingModel(ABC):
    """A text embedding model.

    ``model_id`` is stored next to every vector, so it must change whenever the vectors
    would (another model, another quantisation, another endpoint model).
    """

    model_id: str
    dim: int
    batch_size: int = 32
    description: str = ""

    @abstractmethod
    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        """Embed one batch of already-folded texts; return raw vectors of shape (len(texts), dim)."""

    def embed(self, texts: Sequence[str], kind: Kind = "passage", progress: Progress | None = None) -> np.ndarray:
        """Embed ``texts`` as queries or passages; float32, L2-normalised, shape (n, dim).

        Chinese is folded to simplified script first (the caller's texts are left as they are).
        ``progress(done, total)`` is called after every batch.
        """
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single string")
        folded = [to_simplified(t) for t in texts]
        total = len(folded)
        if total == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        step = max(1, int(self.batch_size))
        parts = []
        for start in range(0, total, step):
            batch = folded[start:start + step]
            parts.append(self._checked(self.embed_batch(batch, kind), len(batch)))
            if progress is not None:
                progress(start + len(batch), total)
        return _normalise(np.concatenate(parts) if len(parts) > 1 else parts[0])

    def _checked(self, vectors: np.ndarray, n: int) -> np.ndarray:
        arr = np.asarray(vectors, dtype=np.float32)
        if arr.shape != (n, self.dim):
            raise ProviderError(
                f"embedding model {self.model_id!r} returned an array of shape {arr.shape} "
                f"for {n} texts; expected ({n}, {self.dim})"
            )
        if not np.isfinite(arr).all():
            raise ProviderError(f"embedding model {self.model_id!r} returned NaN or infinite values")
        return arr

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.model_id} dim={self.dim}>"


def _normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (an all-zero row stays zero); always a fresh float32 array."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return out.astype(np.float32, copy=False)
