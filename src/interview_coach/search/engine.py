"""Hybrid search over the bank's questions, in any of the three languages.

Dense evidence comes from two embedding models (the configured one, multilingual e5 by
default, plus the Universal Sentence Encoder): each model's cosines are z-normalised
over the query's candidate set and summed, which DEPENDENCIES.md measured as the most
even combination across languages. Lexical BM25 evidence is added only where it means
something: for documents written in the query's script, or in a script the glossary
expanded the query into. Plain reciprocal-rank fusion with BM25 was measured to drop
cross-lingual recall@1 from 1.00 to 0.33, because BM25 ranks are noise across languages.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..bank.store import Store
from ..bank.types import Item
from ..config import data_dir
from ..errors import StoreError
from ..providers import registry
from ..providers.base import EmbeddingModel
from . import corpus as corpus_mod
from . import glossary as glossary_mod
from . import vectors
from .index import APPROX_FROM, VectorIndex, open_index
from .lexical import LexicalIndex
from .tokenize import script_class

CANDIDATES = 60  # per model / lexical list, before fusion
LEXICAL_WEIGHT = 0.5  # weight of the positive part of the BM25 z-score
SECONDARY = "use"


@dataclass(frozen=True, slots=True)
class Hit:
    question_id: str
    item_id: str
    score: float  # fused evidence; comparable within one query only
    similarity: float  # mean cosine of the matched text under the dense models, 0..1
    text: str  # the matched variant
    lang: str
    source: str


def model_names(store: Store) -> list[str]:
    primary = store.setting("embedding_model")
    return [primary] if primary == SECONDARY else [primary, SECONDARY]


def cache_dir(store: Store) -> Path:
    """Where index files derived from the bank are kept: beside a bank file, or under the data
    directory for a server database (each worker can rebuild them from the store)."""
    if store.file is not None:
        return Path(str(store.file) + ".index")
    return data_dir() / "index-cache" / hashlib.sha1(store.path.encode()).hexdigest()[:16]


def _z(x: np.ndarray) -> np.ndarray:
    sd = float(x.std())
    return (x - float(x.mean())) / sd if sd > 1e-6 else np.zeros_like(x)


class SearchEngine:
    def __init__(self, corpus: corpus_mod.Corpus, models: list[EmbeddingModel], matrices: list[np.ndarray],
                 indexes: list[VectorIndex], lexical: LexicalIndex,
                 glossary: list[glossary_mod.TermPair]) -> None:
        self.corpus = corpus
        self.models = models
        self.matrices = matrices
        self.indexes = indexes
        self.lexical = lexical
        self.glossary = glossary
        self.scripts = [script_class(t) for t in corpus.texts]

    @classmethod
    def build(cls, store: Store, progress: Callable[[str, int, int], None] | None = None,
              names: list[str] | None = None, approx_from: int = APPROX_FROM) -> SearchEngine:
        items = store.items()
        corpus = corpus_mod.load(store, items)
        models = [registry.load(n) for n in (names or model_names(store))]
        matrices, indexes = [], []
        cache = cache_dir(store)
        for m in models:
            step = (lambda d, t, name=m.model_id: progress(f"embedding with {name}", d, t)) if progress else None
            mat = vectors.ensure(store, m, corpus.texts, "passage", step)
            matrices.append(mat)
            path = cache / f"{m.model_id.replace(':', '_').replace('/', '_')}.usearch" if cache else None
            indexes.append(open_index(mat, path, corpus.fingerprint, approx_from))
        lexical = cached_lexical(corpus, cache / "lexical" if cache else None)
        return cls(corpus, models, matrices, indexes, lexical, bank_glossary(store, corpus, items))

    # -- dense helpers ---------------------------------------------------------
    def embed_query(self, query: str) -> list[np.ndarray]:
        return [m.embed([query], "query")[0] for m in self.models]

    def link_vectors(self) -> np.ndarray:
        """One unit vector per variant whose dot product is the mean cosine of the models."""
        return np.hstack(self.matrices) / np.sqrt(len(self.matrices)) if self.matrices else np.zeros((0, 0))

    # -- search ----------------------------------------------------------------
    def search(self, query: str, k: int = 10, lang: str | None = None, source: str | None = None) -> list[Hit]:
        query = query.strip()
        if not query or not len(self.corpus):
            return []
        qvecs = self.embed_query(query)
        filtered = bool(lang or source)
        c = max(CANDIDATES, 5 * k) * (6 if filtered else 1)
        cand: set[int] = set()
        for index, q in zip(self.indexes, qvecs, strict=True):
            rows, _ = index.search(q, c)
            cand.update(int(r) for r in rows)
        expanded = glossary_mod.expand(query, self.glossary)
        lex = self.lexical.search(expanded, c)
        cand.update(i for i, _ in lex)
        rows = np.array(sorted(r for r in cand if self._passes(r, lang, source)), dtype=np.int64)
        if not len(rows):
            return []
        sims = [mat[rows] @ q for mat, q in zip(self.matrices, qvecs, strict=True)]
        fused = np.sum([_z(s) for s in sims], axis=0)
        if lex:
            scripts = {script_class(query)} | {script_class(t) for t in _added_terms(query, expanded)}
            lex_score = dict(lex)
            raw = np.array([lex_score.get(int(r), 0.0) for r in rows], dtype=np.float32)
            zl = np.maximum(_z(raw), 0.0) * np.array([self.scripts[int(r)] in scripts for r in rows])
            fused = fused + LEXICAL_WEIGHT * zl
        mean_sim = np.mean(sims, axis=0)
        best: dict[str, Hit] = {}
        for pos in np.argsort(-fused):
            r = int(rows[pos])
            qid = self.corpus.question_ids[r]
            if qid in best:
                continue
            best[qid] = Hit(qid, self.corpus.item_ids[r], float(fused[pos]), float(mean_sim[pos]),
                            self.corpus.texts[r], self.corpus.langs[r], self.corpus.sources[r])
            if len(best) >= k:
                break
        return list(best.values())

    def _passes(self, row: int, lang: str | None, source: str | None) -> bool:
        if lang and self.corpus.langs[row] != lang:
            return False
        return not (source and source not in self.corpus.sources[row])


def cached_lexical(corpus: corpus_mod.Corpus, folder: Path | None) -> LexicalIndex:
    """The BM25 index of the corpus, read from `folder` when it was saved there for the same
    texts, else built and saved (tokenising 100k texts takes seconds; reading it back, less).
    The cache is only a speed-up: a folder that cannot be written is left alone."""
    if folder is None:
        return LexicalIndex.build(corpus.texts)
    fingerprint = corpus.fingerprint
    try:
        return LexicalIndex.load(folder, fingerprint=fingerprint)
    except StoreError:
        pass
    lexical = LexicalIndex.build(corpus.texts)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="lexical-", dir=folder.parent))
    except OSError:
        return lexical
    try:
        lexical.save(tmp, fingerprint)
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
    return lexical


def _added_terms(query: str, expanded: str) -> list[str]:
    extra = expanded[len(query):].strip() if expanded.startswith(query) else ""
    return [extra] if extra else []


def bank_glossary(store: Store, corpus: corpus_mod.Corpus | None = None,
                  items: list[Item] | None = None) -> list[glossary_mod.TermPair]:
    """Term pairs mined from the bank: inline glosses in questions and answers, and
    English / Chinese line pairs of bilingual items."""
    items = store.items() if items is None else items
    texts = (corpus or corpus_mod.load(store, items)).texts
    answers = [it.answer for it in items if it.answer]
    aligned = []
    for it in items:
        en = [t for lang, t in it.translations.items() if lang == "en"]
        zh = [t for lang, t in it.translations.items() if lang.startswith("zh")]
        if en and zh:
            aligned.append((en[0], zh[0]))
    return glossary_mod.mine(texts + answers, aligned=aligned)
