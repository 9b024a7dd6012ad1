"""Taxonomy topics on canonical questions: computed once per question text, editable, persistent.

Evidence per (question, topic): the taxonomy's aliases in the question's own variants (any
script), in its section heading, and in its reference answers (weak: answers mention many
terms); and the e5 cosine of the question with the topic's description, z-scored over the
topics (e5's cosines are squeezed into a narrow band, so only the ranking within a question
means something). The best topic always becomes a tag, so every question has one; others
join when their score passes a threshold. Weights and threshold are fitted on hand-labelled
bank questions (bench/fit_tagging.py).

Question vectors are the search engine's (cached in the bank by content hash), so tagging a
bank that has been searched costs little; topic vectors are cached the same way. Tags are
recomputed only for questions whose text changed (`topic_tagged.text_hash`), and people's
edits (`coach tag`, the question page) always win and survive re-ingest and relinking.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..bank.store import QuestionView, Store
from ..providers import registry
from ..providers.base import EmbeddingModel
from ..search import vectors
from ..search.corpus import variants
from .taxonomy import Taxonomy, load

MODEL = "e5"
VERSION = "tagger-1"  # bump when the method or the weights change: every question is re-tagged
FLAG = "topics_for"  # meta flag: the content stamp and version the tags were last completed for

# Fitted by bench/fit_tagging.py on hand-labelled questions (defaults until then).
W_QUESTION, W_NESTED, W_SECTION, W_ANSWER, W_SIM = 2.0, 0.7, 0.8, 0.25, 1.0
MIN_SCORE = 2.2  # a second (third …) tag needs at least this score
MAX_TAGS = 3
MANUAL_SCORE = 99.0  # a tag a person added ranks first
CHILD_FACTOR = 0.8  # a narrower topic's question counts for its broader topic at this share of its score


@dataclass(frozen=True, slots=True)
class TagView:
    topic: str
    origin: str  # auto | manual
    score: float | None


def question_texts(q: QuestionView) -> list[str]:
    seen: list[str] = []
    for it in q.items:
        for t in variants(it.question, it.translations):
            if t not in seen:
                seen.append(t)
    return seen


@lru_cache(maxsize=1)
def method_stamp() -> str:
    """The tagger version and the taxonomy's content: editing either re-tags every question."""
    tax = load()
    data = "\0".join(f"{t.id}\1{t.embed_text()}\1{'|'.join(t.aliases)}\1{'|'.join(t.not_)}" for t in tax)
    return VERSION + ":" + hashlib.sha1(data.encode()).hexdigest()[:12]


def text_hash(q: QuestionView) -> str:
    h = hashlib.sha1(method_stamp().encode())
    for t in question_texts(q):
        h.update(b"\0q" + t.encode())
    for it in q.items:
        h.update(b"\0s" + (it.section or "").encode())
        h.update(b"\0a" + (it.answer or "")[:2000].encode())
    return h.hexdigest()


_TOPIC_VECTORS: dict[tuple[str, str], np.ndarray] = {}


def topic_matrix(model: EmbeddingModel, tax: Taxonomy) -> np.ndarray:
    """The topics' description vectors under `model` (embedded once per process: 131 texts cost e5 ~3 s)."""
    texts = [t.embed_text() for t in tax]
    key = (model.model_id, hashlib.sha1("\0".join(texts).encode()).hexdigest())
    if key not in _TOPIC_VECTORS:
        _TOPIC_VECTORS[key] = model.embed(texts, "passage")
    return _TOPIC_VECTORS[key]


class Tagger:
    def __init__(self, store: Store, tax: Taxonomy | None = None) -> None:
        self.store = store
        self.tax = tax or load()
        self.model = registry.load(MODEL)
        self.ids = list(self.tax.order)
        self.topic_vectors = topic_matrix(self.model, self.tax)

    def scores(self, q: QuestionView, qvecs: np.ndarray | None = None) -> dict[str, float]:
        texts = question_texts(q)
        score: dict[str, float] = {}

        def add(topic: str, value: float) -> None:
            score[topic] = score.get(topic, 0.0) + value

        seen_q: dict[str, float] = {}
        for t in texts:
            hits = self.tax.find(t)
            nested = self.tax.nested(hits)
            for i, h in enumerate(hits):
                seen_q[h.topic] = max(seen_q.get(h.topic, 0.0), W_NESTED if i in nested else W_QUESTION)
        for topic, v in seen_q.items():
            add(topic, v)
        sections = {it.section for it in q.items if it.section}
        for topic in {h for s in sections for h in self.tax.topic_ids(s)}:
            add(topic, W_SECTION)
        answers = [it.answer for it in q.items if it.answer]
        answer_topics: dict[str, int] = {}
        for a in answers:
            for topic in self.tax.topic_ids(a[:2000]):
                answer_topics[topic] = answer_topics.get(topic, 0) + 1
        for topic, n in answer_topics.items():
            add(topic, W_ANSWER * math.log1p(n))
        if qvecs is None:
            qvecs = vectors.ensure(self.store, self.model, texts, "passage")
        if len(qvecs):
            sims = (qvecs @ self.topic_vectors.T).max(axis=0)
            sd = float(sims.std()) or 1.0
            z = (sims - float(sims.mean())) / sd
            for j in np.argsort(-z)[:8]:
                if z[j] > 1.0:
                    add(self.ids[int(j)], W_SIM * (float(z[j]) - 1.0))
        return score

    def tags(self, q: QuestionView, qvecs: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The question's automatic tags, best first: the best topic always, others above MIN_SCORE."""
        ranked = sorted(self.scores(q, qvecs).items(), key=lambda kv: (-kv[1], self.ids.index(kv[0])))
        if not ranked:
            return []
        out = [ranked[0]] + [(t, s) for t, s in ranked[1:] if s >= MIN_SCORE]
        return [(t, round(s, 3)) for t, s in out[:MAX_TAGS]]


def _stamp(store: Store) -> str:
    return f"{method_stamp()}:{store.content_stamp()}"


def ensure(store: Store, progress: Callable[[int, int], None] | None = None, only: list[str] | None = None) -> int:
    """Tag every question (or those in `only`) whose text changed since it was last tagged; returns
    how many were tagged."""
    stamp = _stamp(store)
    if store.flag(FLAG) == stamp:
        return 0
    views = store.questions() if only is None else [store.question(q) for q in only]
    known = store.topic_stamps()
    todo = [(q, h) for q in views if known.get(q.question_id) != (h := text_hash(q))]
    if todo:
        tagger = Tagger(store)
        texts = [t for q, _ in todo for t in question_texts(q)]
        mat = vectors.ensure(store, tagger.model, texts, "passage") if texts else None
        rows = []
        pos = 0
        for n, (q, h) in enumerate(todo, start=1):
            k = len(question_texts(q))
            rows.append((q.question_id, h, tagger.tags(q, None if mat is None else mat[pos:pos + k])))
            pos += k
            if len(rows) >= 500:
                store.put_topic_tags(rows)
                rows = []
            if progress:
                progress(n, len(todo))
        store.put_topic_tags(rows)
    if only is None:
        store.set_flag(FLAG, _stamp(store))
    return len(todo)


def effective(store: Store) -> dict[str, list[TagView]]:
    """Question id -> its tags: the automatic ones, minus what people removed, plus what they added."""
    auto = store.topic_tags()
    out: dict[str, dict[str, TagView]] = {q: {t: TagView(t, "auto", s) for t, s in tags} for q, tags in auto.items()}
    for qid, topic, decision in store.topic_decisions():
        tags = out.setdefault(qid, {})
        if decision == "remove":
            tags.pop(topic, None)
        else:
            tags[topic] = TagView(topic, "manual", None)
    return {q: list(tags.values()) for q, tags in out.items()}


def topics_of(store: Store, question_id: str) -> list[TagView]:
    return effective(store).get(store.question(question_id).question_id, [])


def by_topic(store: Store, descendants: bool = True) -> dict[str, list[tuple[str, float]]]:
    """Topic -> [(question id, tag score)], strongest first (manual tags count as strongest). With
    `descendants`, a topic also holds the questions of its narrower topics (vision-language models
    are multimodal questions), each at `CHILD_FACTOR` of its score."""
    out: dict[str, dict[str, float]] = {}
    for qid, tags in effective(store).items():
        for tag in tags:
            score = MANUAL_SCORE if tag.score is None else tag.score
            out.setdefault(tag.topic, {})[qid] = max(out.get(tag.topic, {}).get(qid, 0.0), score)
    if descendants:
        tax = load()
        own = {t: dict(qs) for t, qs in out.items()}
        for topic in list(own):
            parent = tax.topics[topic].parent if topic in tax.topics else None
            factor = CHILD_FACTOR
            while parent is not None:
                into = out.setdefault(parent, {})
                for qid, score in own[topic].items():
                    into[qid] = max(into.get(qid, 0.0), score * factor)
                parent = tax.topics[parent].parent
                factor *= CHILD_FACTOR
    return {t: sorted(qs.items(), key=lambda r: (-r[1], r[0])) for t, qs in out.items()}


def edit(store: Store, question_id: str, add: list[str] = (), remove: list[str] = ()) -> list[TagView]:  # type: ignore[assignment]
    """Add and remove topics of a question (names, ids or aliases); returns its tags after."""
    tax = load()
    qid = store.question(question_id).question_id
    with store.writing():
        for name in remove:
            store.decide_topic(qid, tax.resolve(name), "remove")
        for name in add:
            store.decide_topic(qid, tax.resolve(name), "add")
    return topics_of(store, qid)


__all__ = ["TagView", "Tagger", "by_topic", "edit", "effective", "ensure", "topics_of"]
