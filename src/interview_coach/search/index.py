"""Nearest neighbours over unit vectors: exact for small banks, HNSW (usearch) above
`APPROX_FROM` vectors, persisted next to the bank and rebuilt when stale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from usearch.index import Index

APPROX_FROM = 20_000  # below this, a matrix product is both exact and fast enough
CONNECTIVITY = 16
EXPANSION_ADD = 128
# Beam width of a query. Measured on 100k USE vectors of a generated bank (bench/search_bench.py):
# recall@10 / recall@60 against exact search 0.986 / 0.979 at 96, 0.990 / 0.990 at 256, for
# about 1 ms more per query (the engine asks for 60 candidates per model).
EXPANSION_SEARCH = 256


class VectorIndex:
    def __init__(self, vectors: np.ndarray, approx: Index | None = None) -> None:
        self.vectors = vectors
        self.approx = approx  # a usearch Index, or None for exact search

    @property
    def exact(self) -> bool:
        return self.approx is None

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Row indices and cosine similarities of the `k` nearest vectors, best first."""
        n = len(self.vectors)
        k = min(k, n)
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if self.approx is None:
            sims = self.vectors @ query
            top = np.argpartition(-sims, k - 1)[:k] if k < n else np.arange(n)
            top = top[np.argsort(-sims[top])]
            return top, sims[top]
        m = self.approx.search(query.astype(np.float32), k)
        keys = np.asarray(m.keys, dtype=np.int64)
        return keys, (1.0 - np.asarray(m.distances, dtype=np.float32))

    def search_many(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Batch search: (n_queries, k) indices and similarities."""
        k = min(k, len(self.vectors))
        if self.approx is None:
            idx = np.empty((len(queries), k), dtype=np.int64)
            sims = np.empty((len(queries), k), dtype=np.float32)
            for start in range(0, len(queries), 1024):
                block = queries[start:start + 1024] @ self.vectors.T
                top = np.argpartition(-block, k - 1, axis=1)[:, :k] if k < block.shape[1] else \
                    np.tile(np.arange(block.shape[1]), (len(block), 1))
                vals = np.take_along_axis(block, top, axis=1)
                order = np.argsort(-vals, axis=1)
                idx[start:start + len(block)] = np.take_along_axis(top, order, axis=1)
                sims[start:start + len(block)] = np.take_along_axis(vals, order, axis=1)
            return idx, sims
        m = self.approx.search(queries.astype(np.float32), k)
        return np.asarray(m.keys, dtype=np.int64), 1.0 - np.asarray(m.distances, dtype=np.float32)


def _build_hnsw(vectors: np.ndarray) -> Index:
    from usearch.index import Index

    index = Index(ndim=vectors.shape[1], metric="cos", dtype="f32", connectivity=CONNECTIVITY,
                  expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
    index.add(np.arange(len(vectors), dtype=np.uint64), vectors.astype(np.float32))
    return index


def open_index(vectors: np.ndarray, cache: Path | None, fingerprint: str, approx_from: int = APPROX_FROM) -> VectorIndex:
    """Exact below `approx_from`; otherwise an HNSW index loaded from `cache` if it matches
    `fingerprint`, or built (and saved there)."""
    if len(vectors) < approx_from:
        return VectorIndex(vectors)
    from usearch.index import Index

    if cache is not None:
        manifest = cache.with_suffix(".json")
        if cache.exists() and manifest.exists():
            try:
                meta = json.loads(manifest.read_text())
                if meta.get("fingerprint") == fingerprint and meta.get("count") == len(vectors):
                    index = Index.restore(str(cache), view=False)
                    if index is not None and index.size == len(vectors):
                        index.expansion_search = EXPANSION_SEARCH  # type: ignore[misc]  # has a setter
                        return VectorIndex(vectors, index)
            except (OSError, ValueError, RuntimeError):
                pass  # stale or damaged: rebuild below
    index = _build_hnsw(vectors)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(cache.name + ".part")
        index.save(str(tmp))
        tmp.replace(cache)
        cache.with_suffix(".json").write_text(json.dumps({"fingerprint": fingerprint, "count": len(vectors)}))
    return VectorIndex(vectors, index)
