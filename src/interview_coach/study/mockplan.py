"""The plan of a mock interview: which questions, in which order, to fill the time budget.

Order of preference: the weakest must-have topics first (questions you would not recall on the
interview date, never-reviewed ones included), round-robin over those topics so one topic does
not take the whole session; then cards due now in the job's topics; then weak nice-to-have
topics; finally a few questions from strong topics, as a check. Only questions with a reference
answer are planned (an answer can only be graded against one), and a question whose text is a
near-duplicate of one already planned is skipped (USE cosine ≥ the grader's duplicate threshold,
the vectors the search index cached; e5 with its own threshold when those are missing).
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np

from ..bank.profiles import JobRow
from ..bank.store import Store
from ..providers import registry
from ..search import vectors
from . import readiness as readiness_mod
from . import reviews, tagging
from .readiness import ReadinessMap
from .scheduler import CardState, retrievability
from .veto import DUPLICATE_QUESTION

DEFAULT_ANSWER_MINUTES = 3.0  # time to answer one question, until the user's own pace is known
FEEDBACK_MINUTES = 1.0  # grading, feedback or a follow-up, per question
PACE_MIN, PACE_MAX = 1.5, 8.0
PACE_REVIEWS = 5  # answered reviews needed before the user's median pace is used
NEAR_DUPLICATE_E5 = 0.965  # e5's squeezed scale: pairs above this read as the same question (seed banks)
NEAR_DUPLICATE_E5_SHARED = 0.9  # ... for two questions sharing a topic, when only e5 vectors are at hand
NEAR_DUPLICATE_MEAN_SHARED = 0.73  # mean e5/USE cosine of two questions sharing a topic
MAX_CHECKS = 2  # questions from strong topics, as a check
PER_TOPIC_CAP = 3  # at most this many main questions from one topic while others wait


@dataclass(slots=True)
class PlanItem:
    question_id: str
    topic: str
    must_have: bool
    reason: str  # weak must-have | gap-free due | weak nice-to-have | strong check
    minutes: float
    text: str
    recall: float  # forecast recall on the interview date before the session


@dataclass(slots=True)
class Plan:
    job_id: int
    minutes: int
    per_question: float
    items: list[PlanItem]
    notes: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)

    @property
    def planned_minutes(self) -> float:
        return round(sum(i.minutes for i in self.items), 1)

    def as_json(self) -> dict[str, object]:
        return {"job_id": self.job_id, "minutes": self.minutes, "per_question": self.per_question,
                "planned_minutes": self.planned_minutes, "questions": [asdict(i) for i in self.items],
                "notes": self.notes, "gaps": self.gaps}


def pace(store: Store) -> float:
    """Minutes per planned question: the user's median answer time (clamped) plus feedback."""
    durations = store.reviews.durations()
    answer = DEFAULT_ANSWER_MINUTES
    if len(durations) >= PACE_REVIEWS:
        answer = min(max(statistics.median(durations) / 60000.0, PACE_MIN), PACE_MAX)
    return round(answer + FEEDBACK_MINUTES, 1)


class _Texts(dict[str, str]):
    """A question's text, read from the bank when first asked for (a plan looks at few questions)."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def __missing__(self, qid: str) -> str:
        text = self.store.question(qid).primary.question
        self[qid] = text
        return text


class _Dedup:
    """Near-duplicate test on cached question vectors: e5 (tagging embeds every question with it) and,
    when the search index cached them, USE. Two questions are near-duplicates when USE says so on its
    own (the grader's threshold), or when they share a topic and the mean cosine is high — the same
    question in two languages that linking left apart lands there (0.73–0.75 on the sample bank)."""

    def __init__(self, store: Store, texts: _Texts, topics: dict[str, set[str]]) -> None:
        self.store = store
        self.texts = texts
        self.topics = topics
        self.e5_model = registry.load(tagging.MODEL)
        self.use_id = registry.load("use").model_id
        self.e5: dict[str, np.ndarray] = {}
        self.use: dict[str, np.ndarray | None] = {}
        self.chosen: list[str] = []

    def _load(self, qid: str) -> None:
        """Vectors of one question, read when it is first considered (a plan looks at few questions)."""
        if qid in self.e5:
            return
        text = self.texts[qid]
        self.e5[qid] = vectors.ensure(self.store, self.e5_model, [text], "passage")[0]
        h = vectors.text_hash(text)
        self.use[qid] = self.store.cached_vectors(self.use_id, [h]).get(h)

    def same(self, a: str, b: str) -> bool:
        shared = bool(self.topics.get(a, set()) & self.topics.get(b, set()))
        e = float(self.e5[a] @ self.e5[b])
        ua, ub = self.use[a], self.use[b]
        if ua is None or ub is None:
            return e >= NEAR_DUPLICATE_E5 or (shared and e >= NEAR_DUPLICATE_E5_SHARED)
        u = float(ua @ ub)
        return u >= DUPLICATE_QUESTION or (shared and (e + u) / 2 >= NEAR_DUPLICATE_MEAN_SHARED)

    def clashes(self, qid: str) -> bool:
        self._load(qid)
        return any(self.same(qid, c) for c in self.chosen)

    def take(self, qid: str) -> None:
        self._load(qid)
        self.chosen.append(qid)


def _round_robin(queues: list[list[str]]) -> list[str]:
    out: list[str] = []
    queues = [list(q) for q in queues]
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


def make(store: Store, job: JobRow, minutes: int, now: datetime, *, rm: ReadinessMap | None = None,
         topic_questions: dict[str, list[tuple[str, float]]] | None = None,
         cards: dict[str, CardState] | None = None) -> Plan:
    """Plan a mock interview of `minutes` for `job` (nothing is stored)."""
    if minutes < 1:
        raise ValueError("a mock interview needs at least one minute")
    if topic_questions is None:
        tagging.ensure(store)
        topic_questions = tagging.by_topic(store)
    cards = reviews.cards(store) if cards is None else cards
    rm = rm or readiness_mod.compute(store, job, now, cards=cards, topic_questions=topic_questions)
    per_q = pace(store)
    slots = max(1, int(minutes // per_q))
    plan = Plan(job.id, minutes, per_q, [], gaps=[t.topic for t in rm.gaps])
    by_topic = {t.topic: t for t in rm.topics}
    wanted = {q for t in rm.topics for q, _ in topic_questions.get(t.topic, [])}
    answerable = wanted & store.answered_questions()
    if not rm.topics:
        plan.notes.append("the job has no topics: add some with `coach job edit`")
        return plan
    if not answerable:
        gaps = ", ".join(t.topic for t in rm.topics)
        plan.notes.append(f"your bank has no questions with reference answers for this job's topics ({gaps}); "
                          "ingest a bank that covers them, or tag questions with `coach tag`")
        return plan
    recall_at = {q: r for t in rm.topics for q, r in t.recall.items()}

    def forecast(q: str) -> float:
        if q in recall_at:
            return recall_at[q]
        card = cards.get(q)
        return 0.0 if card is None else retrievability(card, now)

    def weakest_first(topic: str) -> list[str]:
        qs = [q for q, _ in topic_questions.get(topic, []) if q in answerable]
        order = {q: i for i, q in enumerate(qs)}
        return sorted(qs, key=lambda q: (forecast(q), order[q]))

    order = sorted(rm.topics, key=lambda t: (t.readiness, not t.must_have))
    weak_must = [t.topic for t in order if t.must_have and t.status in ("weak", "fair") and t.questions]
    weak_nice = [t.topic for t in order if not t.must_have and t.status in ("weak", "fair") and t.questions]
    strong = [t.topic for t in sorted(rm.topics, key=lambda t: -t.readiness) if t.status == "strong"]
    due = [q for q in sorted((q for q in answerable if q in cards and cards[q].due <= now), key=lambda q: cards[q].due)]
    topic_of: dict[str, str] = {}
    for t in rm.topics:  # a question's topic in the plan: the job topic it is most strongly tagged with
        for q, _ in topic_questions.get(t.topic, []):
            topic_of.setdefault(q, t.topic)
    stages = [
        ("weak must-have", _round_robin([weakest_first(t) for t in weak_must])),
        ("due", due),
        ("weak nice-to-have", _round_robin([weakest_first(t) for t in weak_nice])),
    ]
    checks = min(MAX_CHECKS, slots // 4) if strong else 0
    texts = _Texts(store)
    tags_of: dict[str, set[str]] = {}
    for topic, rows in topic_questions.items():
        for q, _ in rows:
            if q in answerable:
                tags_of.setdefault(q, set()).add(topic)
    dedup = _Dedup(store, texts, tags_of)
    taken: set[str] = set()
    per_topic: dict[str, int] = {}

    def take(q: str, reason: str, cap: bool) -> bool:
        topic = topic_of.get(q, "")
        if q in taken or dedup.clashes(q) or (cap and per_topic.get(topic, 0) >= PER_TOPIC_CAP):
            return False
        taken.add(q)
        dedup.take(q)
        per_topic[topic] = per_topic.get(topic, 0) + 1
        plan.items.append(PlanItem(q, topic, by_topic[topic].must_have if topic in by_topic else False, reason,
                                   per_q, texts[q], round(forecast(q), 3)))
        return True

    for cap in (True, False):  # first spread over topics, then fill what is left
        for reason, queue in stages:
            for q in queue:
                if len(plan.items) >= slots - checks:
                    break
                take(q, reason, cap)
    for q in _round_robin([sorted(weakest_first(t), key=lambda q: -forecast(q)) for t in strong]):
        if len(plan.items) >= slots or checks <= 0:
            break
        if take(q, "strong check", False):
            checks -= 1
    if plan.gaps:
        plan.notes.append("no questions in your bank for: " + ", ".join(plan.gaps))
    if len(plan.items) < slots:
        plan.notes.append(f"the bank had only {len(plan.items)} suitable question(s) for {minutes} minutes")
    return plan


__all__ = ["Plan", "PlanItem", "make", "pace"]
