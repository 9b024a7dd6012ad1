"""The spaced-repetition scheduler: one card per canonical question, scheduled with FSRS-6.

A pure wrapper around the `fsrs` package (py-fsrs): `review(card, rating, now)` returns the
next card state and the log entry to append; `rebuild(question_id, entries)` replays a log
and arrives at exactly the state the incremental reviews produced. No I/O, no clock, no
global state, no randomness: every time is passed in and must be an aware UTC datetime.

Fuzz: py-fsrs can add random "fuzz" to Review intervals, drawn from the process-wide
`random` module. That would make a review depend on hidden global state and break
"rebuild == incremental", so it is DISABLED (`enable_fuzzing=False`): the interval is
exactly the one FSRS computes for the desired retention.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import lru_cache

import fsrs

DEFAULT_RETENTION = 0.9
# The card id py-fsrs carries around is irrelevant here (our id is the question id); a fixed
# value also keeps `fsrs.Card` from reading the clock to invent one.
_FSRS_CARD_ID = 0


class Rating(IntEnum):
    """How well the answer was recalled (the four FSRS grades)."""

    Again = 1
    Hard = 2
    Good = 3
    Easy = 4


class State(IntEnum):
    """Where a card is in its life. `New` (never reviewed) is ours; the others are FSRS's."""

    New = 0
    Learning = 1
    Review = 2
    Relearning = 3


def check_utc(when: datetime, what: str = "time") -> datetime:
    """`when` itself if it is an aware UTC datetime; ValueError otherwise."""
    if not isinstance(when, datetime):
        raise ValueError(f"{what} must be a datetime, not {type(when).__name__}")
    if when.tzinfo is None:
        raise ValueError(f"{what} must be timezone-aware UTC, got a naive datetime: {when.isoformat()}")
    if when.tzinfo != UTC:
        raise ValueError(f"{what} must be in UTC (tzinfo=datetime.UTC), got {when.isoformat()} ({when.tzinfo!r})")
    return when


def check_retention(retention: float) -> float:
    if not 0.0 < retention < 1.0:
        raise ValueError(f"desired retention must be strictly between 0 and 1, got {retention!r}")
    return float(retention)


@dataclass(frozen=True, slots=True)
class CardState:
    """The scheduling state of one canonical question.

    `stability` (days until recall probability falls to 90%) and `difficulty` (1–10) are
    None only while the card is New; `step` is the (re)learning step, None in Review.
    """

    question_id: str
    state: State
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None

    def __post_init__(self) -> None:
        check_utc(self.due, "due")
        if self.last_review is not None:
            check_utc(self.last_review, "last_review")
        if (self.state is State.New) != (self.stability is None):
            raise ValueError(f"card {self.question_id}: stability must be None exactly when the card is New")
        if self.stability is not None and not self.stability > 0:
            raise ValueError(f"card {self.question_id}: stability must be positive, got {self.stability}")

    @classmethod
    def new(cls, question_id: str, now: datetime) -> CardState:
        """A never-reviewed card, due at once."""
        return cls(question_id, State.New, 0, None, None, check_utc(now, "now"), None)

    def is_due(self, now: datetime) -> bool:
        return self.due <= check_utc(now, "now")


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One line of the append-only review log; together they rebuild a card's state."""

    question_id: str
    rating: Rating
    reviewed_at: datetime
    score: float | None = field(default=None, kw_only=True)  # 0–100, from grading
    answer: str | None = field(default=None, kw_only=True)  # what the candidate answered
    duration_ms: int | None = field(default=None, kw_only=True)  # time spent answering

    def __post_init__(self) -> None:
        object.__setattr__(self, "rating", Rating(self.rating))
        check_utc(self.reviewed_at, "reviewed_at")
        if self.score is not None and not 0 <= self.score <= 100:
            raise ValueError(f"score must be between 0 and 100, got {self.score}")
        if self.duration_ms is not None and self.duration_ms < 0:
            raise ValueError(f"duration_ms must not be negative, got {self.duration_ms}")


@lru_cache(maxsize=8)
def _scheduler(retention: float) -> fsrs.Scheduler:
    # Default FSRS-6 parameters and (re)learning steps (1 min, 10 min / 10 min); fuzz off (see above).
    return fsrs.Scheduler(desired_retention=check_retention(retention), enable_fuzzing=False)


def _to_fsrs(card: CardState) -> fsrs.Card:
    if card.state is State.New:
        return fsrs.Card(card_id=_FSRS_CARD_ID, state=fsrs.State.Learning, step=0, due=card.due)
    return fsrs.Card(
        card_id=_FSRS_CARD_ID,
        state=fsrs.State(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def _from_fsrs(question_id: str, card: fsrs.Card) -> CardState:
    return CardState(
        question_id=question_id,
        state=State(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def review(
    card: CardState,
    rating: Rating,
    now: datetime,
    retention: float = DEFAULT_RETENTION,
    *,
    score: float | None = None,
    answer: str | None = None,
    duration_ms: int | None = None,
) -> tuple[CardState, ReviewEntry]:
    """Review `card` with `rating` at `now` (aware UTC): the next state and the entry to log.

    Pure: the same arguments always give the same result. Raises ValueError for a naive or
    non-UTC `now`, a review earlier than the card's last review, or a retention outside (0, 1).
    """
    check_utc(now, "now")
    rating = Rating(rating)
    if card.last_review is not None and now < card.last_review:
        raise ValueError(
            f"card {card.question_id}: review at {now.isoformat()} precedes its last review "
            f"at {card.last_review.isoformat()}"
        )
    entry = ReviewEntry(card.question_id, rating, now, score=score, answer=answer, duration_ms=duration_ms)
    updated, _ = _scheduler(retention).review_card(
        _to_fsrs(card), fsrs.Rating(int(rating)), review_datetime=now, review_duration=duration_ms
    )
    return _from_fsrs(card.question_id, updated), entry


def rebuild(question_id: str, entries: Iterable[ReviewEntry], retention: float = DEFAULT_RETENTION) -> CardState:
    """Replay a card's log (sorted by time, ties kept in the given order) into its current state.

    Equal to the state the same reviews produced one by one through `review`. An empty log
    has no state to rebuild: use `CardState.new`.
    """
    ordered = sorted(entries, key=lambda e: e.reviewed_at)
    if not ordered:
        raise ValueError(f"card {question_id}: no reviews to rebuild from (use CardState.new)")
    strangers = {e.question_id for e in ordered} - {question_id}
    if strangers:
        raise ValueError(f"card {question_id}: log has entries of other questions: {', '.join(sorted(strangers))}")
    scheduler = _scheduler(retention)
    card = _to_fsrs(CardState.new(question_id, ordered[0].reviewed_at))
    for e in ordered:
        card, _ = scheduler.review_card(card, fsrs.Rating(int(e.rating)), review_datetime=e.reviewed_at)
    return _from_fsrs(question_id, card)


def retrievability(card: CardState, at: datetime, retention: float = DEFAULT_RETENTION) -> float:
    """FSRS's forecast of the probability of recalling the card at `at` (0 for a New card).

    `at` may lie in the future (the interview date); py-fsrs counts whole days since the last review.
    """
    check_utc(at, "at")
    if card.state is State.New:
        return 0.0
    return float(_scheduler(retention).get_card_retrievability(_to_fsrs(card), current_datetime=at))


def interval(card: CardState) -> timedelta | None:
    """Time from the last review to the due date (None for a New card)."""
    return None if card.last_review is None else card.due - card.last_review


__all__ = [
    "DEFAULT_RETENTION", "CardState", "Rating", "ReviewEntry", "State",
    "check_retention", "check_utc", "interval", "rebuild", "retrievability", "review",
]
