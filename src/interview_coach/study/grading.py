"""Grade a free-text answer against the reference answers of a canonical question.

Two separate verdicts:

* **The grade** — how good an answer it is, 0–100: a logistic model (`calibration`) over a
  few features of the answer against this question's references only, with weights fitted on
  human-graded answers:
    - key-point coverage: each key point (`keypoints`) is aligned with at most one answer span
      and one span credits at most one point; a pair earns credit for meaning (USE cosine of
      the span with any wording of the point, in any language) or for words (share of the
      point's content words the span contains); words and meaning the question itself already
      gives earn nothing (*question demoting*);
    - whole-answer similarity with the closest reference (USE and e5 cosine);
    - token F1 with the closest reference, question words left out;
    - length relative to the reference.
* **The off-topic veto** (`veto`) — only on clear evidence that the answer belongs to a
  specific other question of the bank, which it names.

What is not an answer scores at most NOT_AN_ANSWER whatever the features say: empty text, "I
don't know", the question echoed or paraphrased back, keyword strings (`junk`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from ..bank.store import Store
from ..providers.base import EmbeddingModel, Kind
from ..search import vectors
from ..search.tokenize import script_class
from ..text.normalize import key
from . import alignment, junk, lexical
from . import keypoints as kp
from .alignment import Coverage
from .calibration import Label, Params, shipped
from .spans import Span, split, weight
from .veto import Rivals, Veto

ECHO = 0.86  # USE cosine above which an answer sentence just restates the question
COVERED, PARTIAL = 0.65, 0.3  # point credit from which a point is shown covered / partial
NOT_AN_ANSWER = 8.0  # the most a non-answer (echo, "I don't know", keyword string) scores
OFF_TOPIC = 10.0  # the most an answer vetoed as another question's scores
CHARS = 3000  # of an answer or reference compared whole (USE)
E5_CHARS = 600  # of an answer compared with the references by e5 (its cost grows with length)
LENGTH_RANGE = (-4.0, 2.0)  # log2 of answer weight / reference weight, clipped


class Status(StrEnum):
    covered = "covered"
    partial = "partial"
    missing = "missing"


@dataclass(slots=True)
class PointResult:
    text: str
    status: Status
    credit: float
    similarity: float
    evidence: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None
    variants: list[str] = field(default_factory=list)  # every reference wording of the point


@dataclass(slots=True)
class Grade:
    score: float  # 0–100, one decimal
    points: list[PointResult]
    relevance: float  # USE cosine of the answer with the closest reference answer
    coverage: float  # share of the key points made, beyond what the question says
    flags: list[str] = field(default_factory=list)
    label: Label = Label.incorrect
    reason: str = ""
    veto: Veto | None = None
    features: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class Reference:
    """What an answer is graded against: the question's texts and reference answers."""

    questions: list[str]
    answers: list[str]
    id: str | None = None  # the canonical question id, when it comes from a bank


class Embedder:
    """Unit vectors for texts under one or more models: a per-process cache in front of the
    bank's content-hash cache (`store`), so no text is embedded twice."""

    def __init__(self, models: list[EmbeddingModel], store: Store | None = None) -> None:
        self.models = models
        self.store = store
        self._cache: dict[tuple[str, str, str], np.ndarray] = {}

    def __call__(self, texts: list[str], model: int = 0, persist: bool = False, kind: Kind = "passage") -> np.ndarray:
        """Vectors for `texts`; `persist` also stores new ones in the bank (reference texts)."""
        m = self.models[model]
        todo = list(dict.fromkeys(t for t in texts if (m.model_id, kind, t) not in self._cache))
        if todo:
            if self.store is not None and persist:
                vecs = vectors.ensure(self.store, m, todo, kind)
            else:
                vecs = m.embed(todo, kind)
            for t, v in zip(todo, vecs, strict=True):
                self._cache[(m.model_id, kind, t)] = v
        if not texts:
            return np.zeros((0, m.dim), dtype=np.float32)
        return np.stack([self._cache[(m.model_id, kind, t)] for t in texts])

    def clear(self) -> None:
        """Forget the per-process cache (long batch jobs; the bank's cache stays)."""
        self._cache.clear()


@dataclass(slots=True)
class _Points:
    points: list[kp.KeyPoint]
    vecs: np.ndarray  # one row per variant
    owner: np.ndarray  # variant row -> point index
    chinese: np.ndarray  # per variant: written in Chinese
    words: list[list[frozenset[str]]]  # per point, per variant: content words beyond the question
    qsims: np.ndarray  # point × question span: cosine (what the question itself says)
    qwords: np.ndarray  # point × question span: share of the point's words (0: they are demoted)


@dataclass(slots=True)
class Measures:
    """Everything the grade is computed from, before any fitted parameter: point × span
    alignment matrices and whole-answer similarities (this question's references only)."""

    sims: np.ndarray
    words: np.ndarray
    qsims: np.ndarray
    qwords: np.ndarray
    whole: dict[str, float]


def features(m: Measures, params: Params) -> tuple[dict[str, float], Coverage]:
    """The model's features of an answer: coverage (three ways) and the whole-answer ones."""
    cov = alignment.coverage(m.sims, m.words, m.qsims, m.qwords, params.sem_lo, params.sem_hi)
    return {**m.whole, "coverage": cov.total, "coverage_meaning": cov.meaning, "coverage_words": cov.words}, cov


@dataclass(slots=True)
class Analysis:
    """An answer read against this question's references (no other question involved)."""

    measures: Measures | None  # None: nothing to grade (empty, echo only, "I don't know")
    spans: list[Span]
    flags: list[str]
    content: str  # the answer without the question echoed in it
    vector: np.ndarray | None  # USE vector of `content`
    junk: bool  # not an answer (keyword string, questions only): the score is capped


def _chinese(text: str) -> bool:
    return script_class(text[:400]) == "zh"


def _question_words(ref: Reference) -> frozenset[str]:
    return frozenset().union(*(lexical.word_set(q) for q in ref.questions)) if ref.questions else frozenset()


class Grader:
    def __init__(self, embedder: Embedder, others: list[Reference] | None = None, params: Params | None = None) -> None:
        """`others`: the other canonical questions of the bank, each with its reference answers
        (the comparison set of the off-topic veto)."""
        self.embed = embedder
        self.params = params or shipped()
        self.rivals = Rivals(embedder, others or [])
        self._points: dict[tuple[str, ...], _Points] = {}

    def clear(self) -> None:
        """Forget the key points worked out so far (long batch jobs over many questions)."""
        self._points.clear()

    # -- key points ------------------------------------------------------------------------------
    def points(self, ref: Reference) -> _Points:
        cache_key = (*ref.questions, "\x00", *ref.answers)
        found = self._points.get(cache_key)
        if found is not None:
            return found
        cands = kp.candidates(ref.answers)
        qwords = _question_words(ref)
        qspans = [sp for t in ref.questions for sp in split(t, min_weight=2, clauses=True)]
        if not cands:
            made = _Points([], np.zeros((0, self.embed.models[0].dim)), np.zeros(0, dtype=np.int64),
                           np.zeros(0, dtype=bool), [], np.zeros((0, len(qspans))), np.zeros((0, len(qspans))))
        else:
            vecs = self.embed([c.text for c in cands], 0, persist=True)
            q = self.embed(ref.questions[:1], 0, persist=True)[0] if ref.questions else None
            chosen = kp.select(cands, vecs, q)
            rows = [m for _, members in chosen for m in members]
            owner = np.array([i for i, (_, members) in enumerate(chosen) for _ in members], dtype=np.int64)
            words = [[lexical.demoted(lexical.words(cands[m].text), qwords) for m in members] for _, members in chosen]
            chinese = np.array([_chinese(cands[m].text) for m in rows], dtype=bool)
            made = _Points([p for p, _ in chosen], vecs[rows], owner, chinese, words, np.zeros((len(chosen), 0)),
                           np.zeros((len(chosen), 0)))
            if qspans:
                qvecs = self.embed([s.text for s in qspans], 0, persist=True)
                made.qsims = self._similarity(made, qvecs, [s.text for s in qspans])
                made.qwords = self._words(made, qspans)
        self._points[cache_key] = made
        return made

    def _similarity(self, pts: _Points, svecs: np.ndarray, texts: list[str]) -> np.ndarray:
        """Point × span: the best USE cosine of any wording of the point with the span (a
        wording in the other language on the same-language scale)."""
        by_variant = pts.vecs @ svecs.T
        other = pts.chinese[:, None] != np.array([_chinese(t) for t in texts], dtype=bool)[None, :]
        by_variant = np.where(other, alignment.across_languages(by_variant), by_variant)
        sims = np.full((len(pts.points), svecs.shape[0]), -1.0)
        for row, i in enumerate(pts.owner):
            sims[i] = np.maximum(sims[i], by_variant[row])
        return sims

    def _words(self, pts: _Points, spans: list[Span]) -> np.ndarray:
        """Point × span: the largest share of a wording's content words the span contains."""
        span_words = [lexical.word_set(s.text) for s in spans]
        out = np.zeros((len(pts.points), len(spans)))
        for i, variants in enumerate(pts.words):
            for j, sw in enumerate(span_words):
                out[i, j] = max((lexical.recall(v, sw) for v in variants if v), default=0.0)
        return out

    # -- reading an answer --------------------------------------------------------------------------
    def analyse(self, ref: Reference, answer: str) -> Analysis:
        pts = self.points(ref)
        flags: list[str] = []
        cut = junk.cut_verbatim(answer, ref.questions)
        if cut != answer:
            flags.append("echo")
        spans = split(cut, min_weight=2, clauses=True)
        echoed: list[Span] = []
        if spans and ref.questions:
            svecs = self.embed([s.text for s in spans], 0)
            qvecs = self.embed(ref.questions, 0, persist=True)
            qkeys = [key(q) for q in ref.questions]
            echo = (svecs @ qvecs.T).max(axis=1) >= ECHO
            echo |= np.array([junk.restates(key(sp.text), qkeys) for sp in spans])
            if echo.any() and "echo" not in flags:
                flags.append("echo")
            echoed = [s for s, e in zip(spans, echo, strict=True) if e]
            spans = [s for s, e in zip(spans, echo, strict=True) if not e]
        if spans and float((self.embed([s.text for s in spans], 0) @ self.embed(junk.NON_ANSWERS, 0).T)
                           .max(axis=1).min()) >= junk.NON_ANSWER:
            flags.append("non-answer")
            spans = []
        if not spans:
            flags.append("empty" if not answer.strip() else "no content")
            return Analysis(None, [], flags, "", None, True)
        content = junk.without(cut, echoed)
        vector = self.embed([content[:CHARS]], 0)[0]
        svecs = self.embed([s.text for s in spans], 0)
        measures = Measures(self._similarity(pts, svecs, [s.text for s in spans]), self._words(pts, spans),
                            pts.qsims, pts.qwords,
                            self._whole(ref, content, vector))
        not_answer = False
        ref_words = frozenset().union(*(lexical.word_set(r) for r in ref.answers))
        if junk.restates_question(lexical.words(content), _question_words(ref), ref_words):
            flags.append("restates the question")
            not_answer = True
        elif junk.keyword_string(answer) or junk.keyword_string(content):  # as typed, or once the echoed terms are out
            flags.append("keyword string")
            not_answer = True
        elif junk.only_questions(content):
            flags.append("questions, not an answer")
            not_answer = True
        return Analysis(measures, spans, flags, content, vector, not_answer)

    def _whole(self, ref: Reference, content: str, vector: np.ndarray) -> dict[str, float]:
        """Whole-answer measures against the closest reference."""
        refs = [r[:CHARS] for r in ref.answers]
        use, cross = 0.0, 0.0
        if refs:
            cos = self.embed(refs, 0, persist=True) @ vector
            other = np.array([_chinese(r) != _chinese(content) for r in refs], dtype=bool)
            use = float(np.max(np.where(other, alignment.across_languages(cos), cos)))
            cross = float(other.all())
        e5 = 0.0
        if len(self.embed.models) > 1 and refs:
            a = self.embed([content[:E5_CHARS]], 1)[0]
            e5 = float(np.max(self.embed(refs, 1, persist=True) @ a))
        qwords = _question_words(ref)
        words = lexical.words(content)
        aw = lexical.demoted(words, qwords)
        rws = [lexical.demoted(lexical.words(r), qwords) for r in ref.answers]
        f1 = max((lexical.f1(aw, rw) for rw in rws), default=0.0)
        recall = max((lexical.recall(rw, aw) for rw in rws), default=0.0)
        precision = max((lexical.recall(aw, rw) for rw in rws), default=0.0)
        plain = max((lexical.f1(frozenset(words), lexical.word_set(r)) for r in ref.answers), default=0.0)
        q = float(np.max(self.embed(ref.questions, 0, persist=True) @ vector)) if ref.questions else 0.0
        ref_weight = min((weight(r) for r in ref.answers), default=1)
        length = float(np.clip(math.log2((weight(content) + 1) / (ref_weight + 1)), *LENGTH_RANGE))
        return {"cos_use": use, "cos_e5": e5, "f1": f1, "f1_plain": plain, "recall": recall, "precision": precision,
                "cos_question": q, "length": length, "cross": cross, "zh": float(_chinese(content))}

    def _results(self, ref: Reference, cov: Coverage, m: Measures, spans: list[Span]) -> list[PointResult]:
        out = []
        for i, p in enumerate(self.points(ref).points):
            j = cov.chosen[i]
            net = float(cov.net[i])
            status = Status.covered if net >= COVERED else Status.partial if net >= PARTIAL else Status.missing
            shown = spans[j] if j is not None and status is not Status.missing else None
            out.append(PointResult(p.text, status, net, float(m.sims[i, j]) if j is not None else 0.0,
                                   shown.text if shown else None, shown.start if shown else None,
                                   shown.end if shown else None, list(p.variants)))
        return out

    # -- the grade --------------------------------------------------------------------------------
    def grade(self, ref: Reference, answer: str, exclude: int | None = None) -> Grade:
        a = self.analyse(ref, answer)
        if a.measures is None or a.vector is None:
            missing = [PointResult(p.text, Status.missing, 0.0, 0.0, variants=list(p.variants))
                       for p in self.points(ref).points]
            return Grade(0.0, missing, 0.0, 0.0, a.flags, Label.incorrect, _junk_reason(a.flags))
        values, cov = features(a.measures, self.params)
        results = self._results(ref, cov, a.measures, a.spans)
        score = self.params.score(values)
        makes_points = any(r.status is not Status.missing for r in results)
        veto = self.rivals.veto(ref, a.vector, a.content, values["cos_use"], makes_points, exclude)
        if a.junk:
            score = min(score, NOT_AN_ANSWER)
        if veto is not None:
            score = min(score, OFF_TOPIC)
            a.flags.append("off topic")
        label = Label.off_topic if veto is not None else Label.incorrect if a.junk else self.params.label(score)
        return Grade(round(score, 1), results, values["cos_use"], cov.total, a.flags, label,
                     _reason(label, results, a.flags, values, veto), veto, values)


def _junk_reason(flags: list[str]) -> str:
    if "empty" in flags:
        return "no answer given"
    if "non-answer" in flags:
        return "says it does not know"
    if "echo" in flags:
        return "only repeats the question"
    return "no content to grade"


def _reason(label: Label, results: list[PointResult], flags: list[str], values: dict[str, float],
            veto: Veto | None) -> str:
    made = sum(r.status is Status.covered for r in results)
    part = sum(r.status is Status.partial for r in results)
    points = f"{made} of {len(results)} key points made" + (f", {part} in part" if part else "")
    if veto is not None:
        return f"answers another question instead: “{veto.question}”"
    if "keyword string" in flags:
        return "a string of terms with nothing said about them"
    if "questions, not an answer" in flags:
        return "asks instead of answering"
    if "restates the question" in flags:
        return "says little beyond the question's own words"
    if label is Label.correct:
        return points
    if label is Label.partial:
        return points + "; see what is missing"
    return points + ("; on the topic, but the key points are missing or wrong" if values.get("cos_use", 0) >= 0.5
                     else "; little of it matches the reference")
