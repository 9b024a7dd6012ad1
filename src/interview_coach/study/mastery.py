"""Per-topic mastery: how much of each section the user currently knows.

A question counts as mastered when its latest review was rated Good or Easy; mastery of
a topic is the share of its canonical questions mastered (unreviewed ones count as not
yet). Also the average of the latest grades where answers were graded."""

from __future__ import annotations

from dataclasses import dataclass

from ..bank.store import Store
from .scheduler import Rating


@dataclass(frozen=True, slots=True)
class TopicMastery:
    topic: str
    questions: int
    reviewed: int
    mastered: int
    mean_score: float | None

    @property
    def share(self) -> float:
        return self.mastered / self.questions if self.questions else 0.0


def by_topic(store: Store) -> list[TopicMastery]:
    latest = store.reviews.latest()
    topics: dict[str, set[str]] = {}
    for q in store.questions():
        topics.setdefault(q.primary.section or "(no section)", set()).add(q.question_id)
    out = []
    for topic, qids in sorted(topics.items()):
        seen = [latest[q] for q in qids if q in latest]
        scores = [s for _, s in seen if s is not None]
        out.append(TopicMastery(topic, len(qids), len(seen), sum(r >= Rating.Good for r, _ in seen),
                                sum(scores) / len(scores) if scores else None))
    return out
