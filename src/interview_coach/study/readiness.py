"""Readiness for a job on its interview date, per required topic, from the FSRS forecast.

For each topic the job requires: the bank's questions tagged with it, how many the user has
reviewed, the forecast probability of recalling each on the interview date (py-fsrs
retrievability at that future time; 0 for a question never reviewed), and the latest grades.

A topic's readiness is the mean forecast recall over up to `CORE` of its questions, the best
known first — roughly "of ten questions an interviewer could ask on this topic from your bank,
how many would you still answer on the day". A topic with no question in the bank is a *gap*
(nothing to rehearse with; readiness 0), apart from *weak* topics (questions exist but
readiness is below `WEAK`). The overall figure is the mean over the job's topics, must-haves
counting `MUST_WEIGHT` times.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ..bank.profiles import JobRow
from ..bank.store import Store
from . import reviews, tagging
from .scheduler import CardState, retrievability
from .taxonomy import load

CORE = 10  # questions per topic that the readiness is averaged over
WEAK = 0.5  # below this a topic with questions is weak
STRONG = 0.8  # at or above this a topic is strong
MUST_WEIGHT = 2.0
RECENT = 3  # latest grades shown per topic


@dataclass(slots=True)
class TopicReadiness:
    topic: str
    name: str
    must_have: bool
    questions: int  # in the bank, tagged with the topic
    reviewed: int
    readiness: float  # 0..1
    status: str  # gap | weak | fair | strong
    recent_grades: list[float | None] = field(default_factory=list)
    recall: dict[str, float] = field(default_factory=dict)  # question id -> forecast recall, for its CORE questions

    @property
    def is_gap(self) -> bool:
        return self.questions == 0


@dataclass(slots=True)
class ReadinessMap:
    job_id: int
    title: str
    at: str  # the day readiness is forecast for (the interview date, or today)
    dated: bool  # whether `at` is the interview date the user gave
    topics: list[TopicReadiness]
    overall: float
    sentence: str

    @property
    def gaps(self) -> list[TopicReadiness]:
        return [t for t in self.topics if t.status == "gap"]

    @property
    def weak(self) -> list[TopicReadiness]:
        return [t for t in self.topics if t.status == "weak"]

    def as_json(self, *, recall: bool = False) -> dict[str, object]:
        topics = []
        for t in self.topics:
            d = asdict(t)
            d["readiness"] = round(t.readiness, 3)
            if not recall:
                d.pop("recall")
            else:
                d["recall"] = {q: round(r, 3) for q, r in t.recall.items()}
            topics.append(d)
        return {"job_id": self.job_id, "title": self.title, "at": self.at, "interview_date": self.at if self.dated else None,
                "overall": round(self.overall, 3), "sentence": self.sentence, "topics": topics,
                "gaps": [t.topic for t in self.gaps], "weak": [t.topic for t in self.weak]}


def forecast_time(job: JobRow, now: datetime) -> tuple[datetime, bool]:
    """Noon UTC of the interview date (never before `now`), or `now` when the job has no date."""
    if job.interview_date:
        day = date.fromisoformat(job.interview_date)
        at = datetime.combine(day, time(12, 0), tzinfo=UTC)
        return max(at, now), True
    return now, False


def status_of(questions: int, value: float) -> str:
    if questions == 0:
        return "gap"
    if value < WEAK:
        return "weak"
    return "strong" if value >= STRONG else "fair"


def compute(store: Store, job: JobRow, now: datetime, *, at: datetime | None = None,
            cards: dict[str, CardState] | None = None, topic_questions: dict[str, list[tuple[str, float]]] | None = None,
            retention: float | None = None) -> ReadinessMap:
    """The readiness map of `job` for the user of `store` (tags are brought up to date first)."""
    when, dated = (at, True) if at is not None else forecast_time(job, now)
    if topic_questions is None:
        tagging.ensure(store)
        topic_questions = tagging.by_topic(store)
    cards = reviews.cards(store, retention=retention) if cards is None else cards
    r_value = float(store.setting("retention")) if retention is None else retention
    recent = store.reviews.recent_scores(RECENT)
    tax = load()
    out: list[TopicReadiness] = []
    for jt in job.topics:
        qids = [q for q, _ in topic_questions.get(jt.topic, [])]
        recall = {q: retrievability(cards[q], when, r_value) for q in qids if q in cards}
        best = sorted(recall.items(), key=lambda kv: -kv[1])[:CORE]
        slots = min(CORE, len(qids))
        value = sum(r for _, r in best) / slots if slots else 0.0
        core = dict(best)
        for q in qids:  # fill the core set with unreviewed questions (recall 0) in tag order
            if len(core) >= slots:
                break
            core.setdefault(q, 0.0)
        grades = sorted(((at_, s) for q in qids for at_, s, _ in recent.get(q, [])), reverse=True)[:RECENT]
        name = tax.get(jt.topic).name if jt.topic in tax.topics else jt.topic
        out.append(TopicReadiness(jt.topic, name, jt.must_have, len(qids), sum(1 for q in qids if q in cards), value,
                                  status_of(len(qids), value), [s for _, s in grades], core))
    weights = [MUST_WEIGHT if t.must_have else 1.0 for t in out]
    overall = sum(w * t.readiness for w, t in zip(weights, out, strict=True)) / sum(weights) if out else 0.0
    return ReadinessMap(job.id, job.title, when.date().isoformat(), dated, out, overall, sentence(overall, out, when, dated))


def sentence(overall: float, topics: list[TopicReadiness], when: datetime, dated: bool) -> str:
    """What the overall figure means, in one sentence (it never starts with the figure itself)."""
    if not topics:
        return "This job has no topics yet, so there is nothing to be ready for: add topics to the job."
    day = f"On the interview date ({when.date().isoformat()})" if dated else "Today (the job has no interview date)"
    gaps = sum(1 for t in topics if t.status == "gap")
    text = (f"{day}, you would be expected to recall about {overall:.0%} of the core questions (up to {CORE} per "
            f"topic, from your bank) of the {len(topics)} topics this job asks for, must-haves counting double")
    if gaps:
        text += f"; {gaps} topic(s) have no questions in your bank and count as 0"
    return text + "."


def after_reviews(before: ReadinessMap, store: Store, job: JobRow, now: datetime) -> ReadinessMap:
    """The same map recomputed after new reviews, for the same day as `before`."""
    at = datetime.combine(date.fromisoformat(before.at), time(12, 0), tzinfo=UTC)
    return compute(store, job, now, at=max(at, now) if before.dated else now)


def from_json(data: dict[str, Any]) -> ReadinessMap:
    fields = set(TopicReadiness.__slots__)
    topics = [TopicReadiness(**{k: v for k, v in t.items() if k in fields}) for t in data["topics"]]
    return ReadinessMap(int(data["job_id"]), str(data["title"]), str(data["at"]), data.get("interview_date") is not None,
                        topics, float(data["overall"]), str(data["sentence"]))


def days_left(job: JobRow, now: datetime) -> int | None:
    if not job.interview_date:
        return None
    return (date.fromisoformat(job.interview_date) - now.date()) // timedelta(days=1)


__all__ = ["CORE", "ReadinessMap", "TopicReadiness", "after_reviews", "compute", "forecast_time", "from_json"]
