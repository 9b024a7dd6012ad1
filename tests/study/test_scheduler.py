"""The pure FSRS scheduler: golden sequences at a fixed clock, properties, UTC only.

Golden values were checked by hand against the FSRS-6 formulas with the default
parameters w (py-fsrs 6.x), fuzz off:
- first rating G: S0 = w[G-1]; D0(G) = w4 - e^(w5 (G-1)) + 1, clamped to [1, 10]
  (Good: 6.4133 + 1 - e^1.6668 = 2.1181; Easy: 7.4133 - e^2.5002 < 1, so 1.0);
- same-day review: S * max(1, e^(w17 (G - 3 + w18)) * S^-w19) for G >= Hard; for
  S = 2.3065 the factor is 0.9945, so S stays 2.3065;
- at retention 0.9 the interval is round(S) days (>= 1); at 0.8 it is ~3.316 S;
- Good after 2 days: R = (1 + F t/S)^-w20 = 0.9095, S' = S (1 + e^w8 (11 - D) S^-w9
  (e^(w10 (1 - R)) - 1)) = 10.971;
- Again after 46 days: S' = min(w11 D^-w12 ((S+1)^w13 - 1) e^(w14 (1 - R)), S / e^(w17 w18))
  = 2.934; D' = w7 D0(Easy) + (1 - w7) (D + (10 - D)/9 * 2 w6) = 7.3877.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_coach.study.scheduler import (
    CardState,
    Rating,
    ReviewEntry,
    State,
    interval,
    rebuild,
    review,
)

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)

# (rating, when: a fixed delay after the previous review, or None for "when it falls due")
SEQUENCE: list[tuple[Rating, timedelta | None]] = [
    (Rating.Good, timedelta(0)),
    (Rating.Good, 10 * MIN),
    (Rating.Good, None),
    (Rating.Good, None),
    (Rating.Again, None),
    (Rating.Good, 10 * MIN),
    (Rating.Easy, None),
]

L, R, RL = State.Learning, State.Review, State.Relearning

# reviewed_at, state, step, stability, difficulty, due
GOLDEN = {
    0.9: [
        ("2025-01-06T09:00", L, 1, 2.3065, 2.118103970459016, "2025-01-06T09:10"),
        ("2025-01-06T09:10", R, None, 2.3065, 2.111214235785395, "2025-01-08T09:10"),
        ("2025-01-08T09:10", R, None, 10.971048263078135, 2.1043313908464483, "2025-01-19T09:10"),
        ("2025-01-19T09:10", R, None, 46.316858440073425, 2.0974554287524403, "2025-03-06T09:10"),
        ("2025-03-06T09:10", RL, 0, 2.9338452901880046, 7.387715706030851, "2025-03-06T09:20"),
        ("2025-03-06T09:20", R, None, 2.9338452901880046, 7.375556359621658, "2025-03-09T09:20"),
        ("2025-03-09T09:20", R, None, 12.045985009755226, 6.483817963377697, "2025-03-21T09:20"),
    ],
    0.8: [
        ("2025-01-06T09:00", L, 1, 2.3065, 2.118103970459016, "2025-01-06T09:10"),
        ("2025-01-06T09:10", R, None, 2.3065, 2.111214235785395, "2025-01-14T09:10"),
        ("2025-01-14T09:10", R, None, 22.784052475942136, 2.1043313908464483, "2025-03-31T09:10"),
        ("2025-03-31T09:10", R, None, 158.3022479501867, 2.0974554287524403, "2026-09-07T09:10"),
        ("2026-09-07T09:10", RL, 0, 5.5050397761221115, 7.387715706030851, "2026-09-07T09:20"),
        ("2026-09-07T09:20", R, None, 5.5050397761221115, 7.375556359621658, "2026-09-25T09:20"),
        ("2026-09-25T09:20", R, None, 36.84116402384169, 6.483817963377697, "2027-01-25T09:20"),
    ],
    0.95: [
        ("2025-01-06T09:00", L, 1, 2.3065, 2.118103970459016, "2025-01-06T09:10"),
        ("2025-01-06T09:10", R, None, 2.3065, 2.111214235785395, "2025-01-07T09:10"),
        ("2025-01-07T09:10", R, None, 7.319186097840142, 2.1043313908464483, "2025-01-10T09:10"),
        ("2025-01-10T09:10", R, None, 19.846984845265304, 2.0974554287524403, "2025-01-18T09:10"),
        ("2025-01-18T09:10", RL, 0, 1.8814680569981856, 7.387715706030851, "2025-01-18T09:20"),
        # S = 1.88 is small enough for the same-day factor to exceed 1 (1.0079)
        ("2025-01-18T09:20", R, None, 1.8963657827838125, 7.375556359621658, "2025-01-19T09:20"),
        ("2025-01-19T09:20", R, None, 5.717706830449465, 6.483817963377697, "2025-01-21T09:20"),
    ],
}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def run(retention: float) -> tuple[list[tuple[datetime, CardState]], list[ReviewEntry]]:
    card, at, out, log = CardState.new("q1", T0), T0, [], []
    for rating, delay in SEQUENCE:
        at = card.due if delay is None else at + delay
        card, entry = review(card, rating, at, retention)
        out.append((at, card))
        log.append(entry)
    return out, log


@pytest.mark.parametrize("retention", sorted(GOLDEN))
def test_golden_sequence(retention: float) -> None:
    steps, log = run(retention)
    assert len(steps) == len(GOLDEN[retention])
    for (at, card), (when, state, step, stability, difficulty, due) in zip(steps, GOLDEN[retention], strict=True):
        assert at == utc(when)
        assert (card.state, card.step, card.due, card.last_review) == (state, step, utc(due), utc(when))
        assert card.stability == pytest.approx(stability, rel=1e-12)
        assert card.difficulty == pytest.approx(difficulty, rel=1e-12)
        assert card.due.tzinfo == UTC
    assert rebuild("q1", log, retention) == steps[-1][1]


def test_retention_changes_intervals_only() -> None:
    a, _ = run(0.9)
    b, _ = run(0.8)
    # the first two reviews happen at the same times, so the memory state is the same ...
    assert [(c.stability, c.difficulty) for _, c in a[:2]] == [(c.stability, c.difficulty) for _, c in b[:2]]
    # ... but a lower desired retention waits longer before asking again
    assert interval(a[1][1]) == timedelta(days=2)
    assert interval(b[1][1]) == timedelta(days=8)


@pytest.mark.parametrize(
    ("rating", "state", "step", "stability", "difficulty", "wait"),
    [
        (Rating.Again, State.Learning, 0, 0.212, 6.4133, MIN),
        (Rating.Hard, State.Learning, 0, 1.2931, 5.112170705601056, timedelta(minutes=5, seconds=30)),
        (Rating.Good, State.Learning, 1, 2.3065, 2.118103970459016, 10 * MIN),
        (Rating.Easy, State.Review, None, 8.2956, 1.0, timedelta(days=8)),
    ],
)
def test_first_review(rating: Rating, state: State, step: int | None, stability: float, difficulty: float,
                      wait: timedelta) -> None:
    card, entry = review(CardState.new("q7", T0), rating, T0)
    assert (card.state, card.step, card.due - T0, card.last_review) == (state, step, wait, T0)
    assert card.stability == pytest.approx(stability, rel=1e-12)
    assert card.difficulty == pytest.approx(difficulty, rel=1e-12)
    assert entry == ReviewEntry("q7", rating, T0)


def test_new_card() -> None:
    card = CardState.new("q1", T0)
    assert (card.state, card.step, card.stability, card.difficulty, card.due, card.last_review) == (
        State.New, 0, None, None, T0, None)
    assert card.is_due(T0)
    assert interval(card) is None


def test_review_is_pure_and_carries_the_extras() -> None:
    card = CardState.new("q1", T0)
    first = review(card, Rating.Good, T0, score=72.5, answer="attention is a weighted sum", duration_ms=41_000)
    again = review(card, Rating.Good, T0, score=72.5, answer="attention is a weighted sum", duration_ms=41_000)
    assert first == again
    assert card == CardState.new("q1", T0)  # the input is untouched
    assert first[1] == ReviewEntry("q1", Rating.Good, T0, score=72.5, answer="attention is a weighted sum",
                                   duration_ms=41_000)
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.due = T0  # type: ignore[misc]


def test_ratings_map_to_fsrs() -> None:
    import fsrs

    assert [(r.name, int(r)) for r in Rating] == [(r.name, int(r)) for r in fsrs.Rating]
    assert {s.name: int(s) for s in State if s is not State.New} == {s.name: int(s) for s in fsrs.State}


@pytest.mark.parametrize(
    "when",
    [
        datetime(2025, 1, 6, 9, 0),  # naive
        datetime(2025, 1, 6, 17, 0, tzinfo=timezone(timedelta(hours=8))),  # the same instant, in Beijing
        datetime(2025, 1, 6, 4, 0, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_utc_only(when: datetime) -> None:
    with pytest.raises(ValueError, match="UTC"):
        review(CardState.new("q1", T0), Rating.Good, when)
    with pytest.raises(ValueError, match="UTC"):
        CardState.new("q1", when)
    with pytest.raises(ValueError, match="UTC"):
        ReviewEntry("q1", Rating.Good, when)


def test_rejects_time_travel_and_bad_input() -> None:
    card, _ = review(CardState.new("q1", T0), Rating.Good, T0)
    with pytest.raises(ValueError, match="precedes"):
        review(card, Rating.Good, T0 - MIN)
    with pytest.raises(ValueError):
        review(card, 5, T0)  # type: ignore[arg-type]
    for retention in (0.0, 1.0, 1.5, -0.1):
        with pytest.raises(ValueError, match="retention"):
            review(card, Rating.Good, T0, retention)
    with pytest.raises(ValueError, match="score"):
        ReviewEntry("q1", Rating.Good, T0, score=100.5)
    with pytest.raises(ValueError, match="duration"):
        ReviewEntry("q1", Rating.Good, T0, duration_ms=-1)
    with pytest.raises(ValueError, match="no reviews"):
        rebuild("q1", [])
    with pytest.raises(ValueError, match="other questions"):
        rebuild("q1", [ReviewEntry("q2", Rating.Good, T0)])


# -- properties -------------------------------------------------------------------------------
ratings = st.sampled_from(list(Rating))
# from "at once" to more than a year: exercises same-day steps, reviews on time, early and late
delays = st.one_of(
    st.integers(0, 24 * 60).map(lambda m: timedelta(minutes=m)),
    st.integers(0, 400 * 24 * 3600).map(lambda s: timedelta(seconds=s)),
    st.integers(0, 10**6).map(lambda us: timedelta(microseconds=us)),
)
histories = st.lists(st.tuples(ratings, delays), min_size=1, max_size=25)
retentions = st.sampled_from([0.7, 0.8, 0.85, 0.9, 0.95, 0.99])


@settings(max_examples=150, deadline=None)
@given(history=histories, retention=retentions)
def test_incremental_equals_rebuild(history: list[tuple[Rating, timedelta]], retention: float) -> None:
    card, at, log = CardState.new("q1", T0), T0, []
    for rating, delay in history:
        at += delay
        card, entry = review(card, rating, at, retention)
        log.append(entry)
        assert card.due > at
        assert card.last_review == at
        assert card.state is not State.New
        assert card.stability is not None and card.stability > 0
        assert card.difficulty is not None and 1 <= card.difficulty <= 10
        assert card.due.tzinfo == UTC
        assert (card.step is None) == (card.state is State.Review)
    assert rebuild("q1", log, retention) == card
    # the log is a set of facts: the order it is read in does not matter when times differ
    if len({e.reviewed_at for e in log}) == len(log):
        assert rebuild("q1", list(reversed(log)), retention) == card


@given(
    when=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    offset_minutes=st.one_of(st.none(), st.integers(-14 * 60, 14 * 60).filter(lambda m: m != 0)),
)
def test_utc_enforced(when: datetime, offset_minutes: int | None) -> None:
    if offset_minutes is not None:
        when = when.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    with pytest.raises(ValueError, match="UTC"):
        review(CardState.new("q1", T0), Rating.Good, when)
    with pytest.raises(ValueError, match="UTC"):
        CardState.new("q1", when)
