"""BM25 over a list of texts, for English, simplified and traditional Chinese alike.

Texts are tokenised by `search.tokenize.tokens` (script folding, jieba for Chinese), mapped
to integer ids here, and handed to bm25s as pre-tokenised ids, so bm25s's own English-only
tokenizer is never used. bm25s precomputes every (document, term) score into a sparse
matrix; a query sums a few of its columns with numpy.

Pure: texts in, (document index, score) out. Where the texts come from and what the
indexes mean is the caller's business.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from interview_coach.errors import StoreError

from .tokenize import TOKENIZER_VERSION, tokens

_FORMAT = 1
_META = "lexical.json"


class LexicalIndex:
    """An immutable BM25 index over documents 0..n-1."""

    def __init__(self, bm25: bm25s.BM25 | None, n_docs: int) -> None:
        self._bm25 = bm25
        self._n_docs = n_docs
        self._vocab: dict[str, int] = dict(bm25.vocab_dict) if bm25 is not None else {}

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, texts: Sequence[str], *, k1: float = 1.5, b: float = 0.75) -> LexicalIndex:
        """Index `texts`; document i of the index is texts[i]."""
        return cls.from_tokens([tokens(t) for t in texts], k1=k1, b=b)

    @classmethod
    def from_tokens(cls, docs: Sequence[Sequence[str]], *, k1: float = 1.5, b: float = 0.75) -> LexicalIndex:
        """Index documents already tokenised by `tokens` (lets callers tokenise in parallel)."""
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(tok, len(vocab)) for tok in doc] for doc in docs]
        if not vocab:  # no documents, or none with a single token
            return cls(None, len(docs))
        bm25 = bm25s.BM25(k1=k1, b=b, method="lucene", backend="numpy", csc_backend="numpy")
        bm25.index((ids, vocab), create_empty_token=False, show_progress=False)
        return cls(bm25, len(docs))

    # -- querying -------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._n_docs

    @property
    def vocabulary_size(self) -> int:
        return len(self._vocab)

    def knows(self, token: str) -> bool:
        return token in self._vocab

    def search(self, query: str, k: int = 10) -> list[tuple[int, float]]:
        """The best `k` documents for `query` as (index, score), best first.

        Only documents sharing at least one token with the query are returned; a query
        with no token known to the index gives an empty list. Ties keep document order.
        """
        return self.search_tokens(tokens(query), k)

    def search_tokens(self, query_tokens: Sequence[str], k: int = 10) -> list[tuple[int, float]]:
        if self._bm25 is None or k <= 0:
            return []
        # A repeated query word counts once: questions rarely repeat words on purpose.
        ids = sorted({self._vocab[t] for t in query_tokens if t in self._vocab})
        if not ids:
            return []
        scores = self._bm25.get_scores_from_ids(ids)
        hits = np.flatnonzero(scores > 0)
        hit_scores = scores[hits]
        if len(hits) > k:
            top = np.argpartition(-hit_scores, k - 1)[:k]
            # argpartition cuts ties at the k-th score arbitrarily; keep every tied document
            # so the stable sort below decides by index, then cut to k.
            kth = hit_scores[top].min()
            keep = hit_scores >= kth
            hits, hit_scores = hits[keep], hit_scores[keep]
        order = np.lexsort((hits, -hit_scores))[:k]
        return [(int(hits[i]), float(hit_scores[i])) for i in order]

    # -- persistence ----------------------------------------------------------------------

    def save(self, directory: str | Path, fingerprint: str = "") -> None:
        """Write the index into `directory` (created if needed); `load` reads it back.
        `fingerprint` names the texts it was built from, for `load` to check."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(path, show_progress=False)
        meta = {"format": _FORMAT, "tokenizer": TOKENIZER_VERSION, "n_docs": self._n_docs,
                "empty": self._bm25 is None, "fingerprint": fingerprint}
        (path / _META).write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path, *, fingerprint: str | None = None, mmap: bool = False) -> LexicalIndex:
        """Read an index written by `save`. Raises StoreError when it is missing, was built
        by another format or tokenizer version, or (given `fingerprint`) from other texts:
        rebuild it from the texts then."""
        path = Path(directory)
        try:
            meta = json.loads((path / _META).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path}: no readable lexical index ({exc})") from exc
        if meta.get("format") != _FORMAT or meta.get("tokenizer") != TOKENIZER_VERSION:
            raise StoreError(
                f"{path}: lexical index has format {meta.get('format')} / tokenizer {meta.get('tokenizer')}, "
                f"this version needs {_FORMAT} / {TOKENIZER_VERSION}: rebuild it"
            )
        if fingerprint is not None and meta.get("fingerprint") != fingerprint:
            raise StoreError(f"{path}: lexical index was built from other texts")
        if meta.get("empty"):
            return cls(None, int(meta["n_docs"]))
        try:
            bm25 = bm25s.BM25.load(path, mmap=mmap, show_progress=False)
        except (OSError, ValueError, KeyError) as exc:
            raise StoreError(f"{path}: lexical index is unreadable ({exc})") from exc
        return cls(bm25, int(meta["n_docs"]))
