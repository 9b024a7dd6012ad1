"""Grade a free-text answer against the reference key points of a canonical question.

Two kinds of evidence, both multilingual (Chinese folded to simplified first):

* Relevance — is this an answer to *this* question? The whole answer is compared with
  this question's reference answers and every other question's references (USE), and
  with this question's text and every other question's text (e5, query/passage). An
  answer to a neighbouring question matches that question better than ours, even when
  it shares our vocabulary, so the *margin* (ours minus the best other) is the signal.
  Measured on the sample bank (short simplified answers vs long traditional references,
  the nearest other question's answer as the negative): raw cosine separates them with
  AUC 0.90 (USE) / 0.96 (e5); the combined margin reaches 0.99, the final score 0.978.
* Coverage — which key points does it make? Each key point is matched to the answer's
  sentences and clauses; its best cosine is judged against how well the point matches
  unrelated answers (a background of other questions' sentences), so the squeezed
  cosine scale of a model does not turn noise into credit.

Junk never scores: empty answers, text with no content, the question echoed back
(sentences that restate the question are ignored, and coverage counts only what goes
beyond the question's own words), an answer that only asks (the question paraphrased
back), and bare keyword lists (capped).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from ..bank.store import Store
from ..ingest.questionlike import imperative, strong
from ..providers.base import EmbeddingModel, Kind
from ..search import vectors
from ..text.lang import cjk_count
from ..text.normalize import key
from ..text.script import to_simplified
from . import keypoints as kp
from .spans import Span, split, weight

DUPLICATE_QUESTION = 0.8  # USE cosine of two question texts that ask the same thing
ECHO = 0.86  # USE cosine above which an answer sentence just restates the question
ECHO_EXTRA = 16  # characters around a verbatim question that still make the sentence an echo
BACKGROUND_SPANS = 400
COVERED, PARTIAL = 0.65, 0.3  # point credit thresholds for the statuses
# Relevance margin = USE(answer, our references) − best USE(answer, other references)
#                  + QUESTION_WEIGHT × [e5(answer, our question) − best e5(answer, other questions)].
# On the sample bank (short answers vs long references in the other script, neighbouring
# questions as negatives) the USE margin alone gave AUC 0.978, the e5 question margin 0.982,
# their sum with weight 2 0.993.
QUESTION_WEIGHT = 2.0
# Relevance is a smooth step (no ties at zero, so rankings keep the margin's order):
MARGIN_MID, MARGIN_SCALE = -0.07, 0.025  # 0.5 at this margin; 0.94 at 0.0, 0.04 at -0.15
Z_MID, Z_SCALE = 1.75, 0.25  # ... times a step on the z-score of "ours" among all references
ORDER_FLOOR = 0.05  # at most this much relevance below the step, rising with the margin
OWN_MID, OWN_SCALE = 0.3, 0.04  # ... times a step on the USE cosine with our best reference
QUESTION_MATCH_CHARS = 600  # the start of an answer says which question it answers; e5 cost grows with length
NON_ANSWER = 0.7  # USE cosine to a stock "I don't know" that marks a non-answer
_NON_ANSWERS = ["I don't know.", "No idea, sorry.", "I am not sure.", "Skip this question.", "Pass.",
                "我不知道。", "不清楚。", "我不会。", "跳过。", "我不確定。", "不曉得。"]
CREDIT_SLACK = 0.1  # credit starts this far below the background's 95th percentile
CREDIT_SPAN = 0.35  # cosine above the background's 95th percentile that earns full credit
FULL_COVERAGE = 0.8  # weighted coverage that earns the full score
SUPPORT_DELTA = 0.1  # a sentence supports points within this cosine of its best point
SUPPORT_PENALTY = 0.3  # ... other points see that sentence this much less similar
TERM_BONUS = 0.15  # an exact technical term of the point (RLHF, KL, lead term) in the sentence
BASE = 0.65  # share of the score a relevant answer earns before coverage ...
BASE_GATE = 0.15  # ... in full once it covers this much beyond the question ...
GATE_FLOOR = 0.5  # ... and this share of it with no coverage at all
# The gate and the question baseline were set on held-out answers written apart from the
# bank (40 questions × full / short / partial / wrong-question / keywords / echo / junk /
# other-language): Spearman with completeness 0.74 → 0.86, echo max 96 → 25, keyword
# lists max 55 → 8, full vs wrong-question AUC 0.957 → 0.964; the sample-bank evaluation
# (tests/study/test_grading_eval.py) kept AUC 0.99 and Spearman 0.91.
# score = 100 × relevance × (BASE × gate + (1 − BASE) × min(1, coverage / FULL_COVERAGE)),
# gate = GATE_FLOOR + (1 − GATE_FLOOR) × min(1, coverage / BASE_GATE); coverage counts only what
# goes beyond the question's own words. Before the gate, tuned on the
# sample bank: Spearman with completeness 0.93 (a reference truncated to 25–100 % of its
# sentences, in the other script), junk ≤ 8, correct answers median 70.
# Relevance is at least this ramp of coverage: answers to another question covered at most
# 0.23 (held-out) and 0.48 (sample-bank neighbours) of a question's points; a correct answer to a
# question whose closest rival is an unlinked duplicate (a real bank: "What is mode collapse?")
# scored 0 "off topic" with its only point covered, 32 with the ramp. Sample-bank neighbour AUC
# 0.992 → 0.987, Spearman 0.911 → 0.884; held-out Spearman 0.876 → 0.878.
COVERAGE_IS_RELEVANT = (0.45, 0.70)
KEYWORD_LIST_CAP = 8


def _sigmoid(x: float, mid: float, scale: float) -> float:
    return float(1.0 / (1.0 + np.exp(-(x - mid) / scale)))


def _ramp(x: float, lo: float, hi: float) -> float:
    return float(np.clip((x - lo) / (hi - lo), 0.0, 1.0))


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


@dataclass(slots=True)
class Grade:
    score: float  # 0–100, one decimal
    points: list[PointResult]
    relevance: float
    coverage: float
    flags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Reference:
    """What an answer is graded against: the question's texts and reference answers."""

    questions: list[str]
    answers: list[str]


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


def _cut_verbatim(answer: str, questions: list[str]) -> str:
    """Blank out every verbatim copy of a question text (in either script) inside the answer;
    offsets of the rest stay where they were."""
    folded = to_simplified(answer)
    if len(folded) != len(answer):
        return answer
    for q in questions:
        needle = to_simplified(q).strip().rstrip("?？。.!！ ")
        if len(needle) < 6:
            continue
        start = folded.find(needle)
        while start >= 0:
            end = start + len(needle)
            answer = answer[:start] + " " * len(needle) + answer[end:]
            folded = folded[:start] + " " * len(needle) + folded[end:]
            start = folded.find(needle, end)
    return answer


def _restates(span_key: str, question_keys: list[str]) -> bool:
    """The sentence is (part of) the question, or the question with a few words around it."""
    return any(span_key in qk or (qk and qk in span_key and len(span_key) - len(qk) <= ECHO_EXTRA)
               for qk in question_keys)


def _without(text: str, spans: list[Span]) -> str:
    """`text` with the given spans cut out (the question echoed inside an answer)."""
    for sp in sorted(spans, key=lambda x: -x.start):
        text = text[:sp.start] + text[sp.end:]
    return text


_LIST_SEP = re.compile(r"[,，、;；/|\n]+")


def keyword_list(answer: str) -> bool:
    """Mostly short comma/line separated fragments with no sentence in them."""
    parts = [p.strip(" -*•·.。") for p in _LIST_SEP.split(answer) if p.strip(" -*•·.。")]
    if len(parts) < 4:
        return False
    short = [p for p in parts if weight(p) <= 4 or (len(p) <= 8 and weight(p) == cjk_count(p))]
    if any(weight(p) >= 12 for p in parts):
        return False
    return len(short) >= 0.75 * len(parts) and not re.search(r"[。！？!?]|\.\s|\b(is|are|because|so|which)\b", answer)


def only_questions(answer: str) -> bool:
    """Every sentence asks ("What is …?", "Describe …"): the question paraphrased back, or
    questions in return, with no answer given."""
    sentences = [sp.text.strip() for sp in split(answer, min_weight=2)]
    return bool(sentences) and all(strong(t) or imperative(t) for t in sentences)


class Grader:
    def __init__(self, embedder: Embedder, others: list[Reference] | None = None, seed: int = 7) -> None:
        """`others`: the other canonical questions of the bank, each with its reference answers."""
        self.embed = embedder
        self._given: dict[tuple[str, ...], np.ndarray] = {}  # per question: the credit its own words earn
        self.question_model = len(embedder.models) > 1  # models[1], if given, matches answers to questions
        self.others = [o for o in (others or []) if o.answers]
        rng = random.Random(seed)
        pool = [s.text for o in self.others for a in o.answers for s in split(a, min_weight=6)]
        rng.shuffle(pool)
        self.background = pool[:BACKGROUND_SPANS]
        flat = [a[:3000] for o in self.others for a in o.answers]
        self._other_owner = np.array([i for i, o in enumerate(self.others) for _ in o.answers], dtype=np.int64)
        self._other_vecs = self.embed(flat, 0, persist=True)
        self._other_q = self.embed([o.questions[0] if o.questions else "" for o in self.others], 0, persist=True)
        # every question text of every other question, as e5 queries (question ↔ answer matching)
        qtexts = [t for o in self.others for t in o.questions]
        self._qtext_owner = np.array([i for i, o in enumerate(self.others) for _ in o.questions], dtype=np.int64)
        self._qtext_vecs = self.embed(qtexts, 1, persist=True, kind="query") if self.question_model else None
        self._bg = self.embed(self.background, 0, persist=True) if self.background else None

    # -- relevance -----------------------------------------------------------
    def relevance(self, ref: Reference, answer: str, exclude: int | None = None) -> float:
        """0..1: how clearly `answer` answers this question rather than another one in the bank."""
        a = self.embed([answer[:3000]], 0)[0]
        own = float(np.max(self.embed([r[:3000] for r in ref.answers], 0, persist=True) @ a))
        keep = self._keep_others(ref, exclude)
        other = (self._other_vecs @ a)[keep[self._other_owner]] if len(self._other_vecs) else np.zeros(0)
        if len(other) == 0:
            return 1.0
        margin = own - float(other.max())
        floor = _sigmoid(own, OWN_MID, OWN_SCALE)  # gibberish is far from every reference
        z = (own - float(other.mean())) / float(other.std() + 1e-6) if len(other) > 1 else Z_MID + 10 * Z_SCALE
        if self.question_model and self._qtext_vecs is not None and ref.questions:
            ae = self.embed([answer[:QUESTION_MATCH_CHARS]], 1)[0]
            own_q = float(np.max(self.embed(ref.questions, 1, persist=True, kind="query") @ ae))
            other_q = (self._qtext_vecs @ ae)[keep[self._qtext_owner]]
            if len(other_q):
                margin += QUESTION_WEIGHT * (own_q - float(other_q.max()))
        step = _sigmoid(margin, MARGIN_MID, MARGIN_SCALE) * _sigmoid(z, Z_MID, Z_SCALE)
        # a little credit that keeps the margin's order below the step (no ties at zero)
        trace = ORDER_FLOOR * _ramp(margin, MARGIN_MID - 0.3, MARGIN_MID)
        return floor * (step + (1.0 - step) * trace)

    def _keep_others(self, ref: Reference, exclude: int | None) -> np.ndarray:
        """Per other question: compare with it unless it is this question or an unlinked duplicate."""
        keep = np.ones(len(self.others), dtype=bool)
        if exclude is not None and 0 <= exclude < len(keep):
            keep[exclude] = False
        if ref.questions and len(self._other_q):
            q = self.embed(ref.questions, 0)
            keep &= (self._other_q @ q.T).max(axis=1) < DUPLICATE_QUESTION

        return keep

    # -- coverage ------------------------------------------------------------
    def points(self, ref: Reference) -> tuple[list[kp.KeyPoint], np.ndarray]:
        cands = kp.candidates(ref.answers)
        if not cands:
            return [], np.zeros((0, 1))
        vecs = self.embed([c.text for c in cands], 0, persist=True)
        q = self.embed(ref.questions[:1], 0, persist=True)[0] if ref.questions else None
        keep = kp.deduplicate(cands, vecs, q)
        return [cands[i] for i in keep], vecs[keep]

    def grade(self, ref: Reference, answer: str, exclude: int | None = None) -> Grade:
        points, pvecs = self.points(ref)
        flags: list[str] = []
        original = answer
        answer = _cut_verbatim(answer, ref.questions)
        if answer != original:
            flags.append("echo")
        spans = split(answer, min_weight=2, clauses=True)
        echoed: list[Span] = []
        if spans and ref.questions:
            svecs = self.embed([s.text for s in spans], 0)
            qvecs = self.embed(ref.questions, 0)
            qkeys = [key(q) for q in ref.questions]
            echo = (svecs @ qvecs.T).max(axis=1) >= ECHO
            echo |= np.array([_restates(key(sp.text), qkeys) for sp in spans])
            if echo.any() and "echo" not in flags:
                flags.append("echo")
            echoed = [s for s, e in zip(spans, echo, strict=True) if e]
            spans = [s for s, e in zip(spans, echo, strict=True) if not e]
        if spans and float((self.embed([s.text for s in spans], 0) @ self.embed(_NON_ANSWERS, 0).T).max(axis=1).min()) \
                >= NON_ANSWER:
            flags.append("non-answer")
            spans = []
        if weight(answer) < 4 or not spans:
            flags.append("empty" if not answer.strip() else "no content")
            return Grade(0.0, [PointResult(p.text, Status.missing, 0.0, 0.0) for p in points], 0.0, 0.0, flags)
        content = _without(answer, echoed)
        relevance = self.relevance(ref, content, exclude)
        results = self._match(points, pvecs, spans, answer)
        coverage = self._coverage(points, pvecs, results, ref)
        # making most of this question's own points is evidence of answering it, even when
        # another question in the bank (an unlinked duplicate, a longer reference) matches closer
        relevance = max(relevance, _ramp(coverage, *COVERAGE_IS_RELEVANT))
        gate = GATE_FLOOR + (1.0 - GATE_FLOOR) * min(1.0, coverage / BASE_GATE)
        score = 100.0 * relevance * (BASE * gate + (1.0 - BASE) * min(1.0, coverage / FULL_COVERAGE))
        if keyword_list(answer):
            flags.append("keyword list")
            score = min(score, float(KEYWORD_LIST_CAP))
        elif only_questions(content):
            flags.append("questions, not an answer")
            score = min(score, float(KEYWORD_LIST_CAP))
        if relevance < 0.05:
            flags.append("off topic")
        return Grade(round(score, 1), results, relevance, coverage, flags)

    def _coverage(self, points: list[kp.KeyPoint], pvecs: np.ndarray, results: list[PointResult],
                  ref: Reference) -> float:
        """Weighted credit of the points beyond what the question itself already says: a
        point that restates the question earns nothing for being restated (an echoed or
        paraphrased question covers no more than the question does)."""
        if not points:
            return 0.0
        w = np.array([p.weight for p in points])
        got = np.array([r.credit for r in results])
        cache_key = tuple(ref.questions) + tuple(p.text for p in points)
        given = self._given.get(cache_key)
        if given is None:
            qspans = [sp for q in ref.questions for sp in split(q, min_weight=2, clauses=True)]
            given = (np.array([r.credit for r in self._match(points, pvecs, qspans, "")]) if qspans
                     else np.zeros(len(points)))
            self._given[cache_key] = given
        room = w * (1.0 - given)
        return float(np.dot(w, np.maximum(0.0, got - given)) / room.sum()) if room.sum() > 1e-9 else 0.0

    def _match(self, points: list[kp.KeyPoint], pvecs: np.ndarray, spans: list[Span], answer: str) -> list[PointResult]:
        if not points:
            return []
        svecs = self.embed([s.text for s in spans], 0)
        sims = pvecs @ svecs.T
        lowered = [key(s.text) for s in spans]
        for i, p in enumerate(points):  # an exact technical term is evidence too
            terms = [key(t) for t in p.terms if key(t)]
            for j, text in enumerate(lowered):
                if any(t in text for t in terms):
                    sims[i, j] += TERM_BONUS
        # a sentence is evidence for the point(s) it matches best, not for every point on its topic
        support = sims >= sims.max(axis=0, keepdims=True) - SUPPORT_DELTA
        sims = np.where(support, sims, sims - SUPPORT_PENALTY)
        bg = np.percentile(pvecs @ self._bg.T, 95, axis=1) if self._bg is not None and len(self._bg) else \
            np.full(len(points), 0.3)
        out = []
        for i, p in enumerate(points):
            j = int(np.argmax(sims[i]))
            best = float(sims[i, j])
            credit = _ramp(best, float(bg[i]) - CREDIT_SLACK, float(bg[i]) + CREDIT_SPAN)
            status = Status.covered if credit >= COVERED else Status.partial if credit >= PARTIAL else Status.missing
            s = spans[j]
            out.append(PointResult(p.text, status, credit, best,
                                   s.text if status is not Status.missing else None,
                                   s.start if status is not Status.missing else None,
                                   s.end if status is not Status.missing else None))
        return out
