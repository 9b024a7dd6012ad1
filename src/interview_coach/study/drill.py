"""A drill session: the next due question, grading, a proposed rating, the review recorded.

The terminal and web front ends both drive this; it holds no I/O of its own beyond the
bank, and takes the clock from its caller (UTC)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ..bank.store import Store
from ..bank.types import Filters
from . import reviews
from .bank_grading import BankGrader
from .grading import Grade
from .scheduler import CardState, Rating

# Grade → proposed FSRS rating. A grade is evidence of recall; the user may override.
RATING_FLOORS = ((85, Rating.Easy), (60, Rating.Good), (35, Rating.Hard))


def propose(score: float | None) -> Rating:
    if score is None:
        return Rating.Again
    for floor, rating in RATING_FLOORS:
        if score >= floor:
            return rating
    return Rating.Again


@dataclass(slots=True)
class DrillOptions:
    topic: str | None = None  # section contains
    source: str | None = None
    lang: str | None = None  # only questions with a variant in this language
    new: int = 10  # never-reviewed questions to add after the due ones
    limit: int | None = None


@dataclass(slots=True)
class Session:
    store: Store
    options: DrillOptions
    clock: Callable[[], datetime]
    queue: list[str] = field(default_factory=list)
    grader: BankGrader | None = None

    def start(self) -> list[str]:
        o = self.options
        views = self.store.questions(Filters(source=o.source, section=o.topic, lang=o.lang))
        allowed = [q.question_id for q in views if any(it.answer for it in q.items)]
        self.queue = reviews.due(self.store, self.clock(), o.limit, new=o.new, question_ids=allowed)
        return self.queue

    def grade(self, question_id: str, answer: str) -> Grade:
        if self.grader is None:
            self.grader = BankGrader(self.store)
        return self.grader.grade(question_id, answer)

    def rate(self, question_id: str, rating: Rating, *, score: float | None, answer: str | None,
             duration_ms: int | None, client_key: str | None = None) -> CardState:
        return reviews.record(self.store, question_id, rating, self.clock(), score=score,
                              answer=answer, duration_ms=duration_ms, client_key=client_key)
