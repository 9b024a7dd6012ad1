"""The review log and the card states derived from it, for the store's user.

`reviews` is the log: one row per review, never updated or deleted here. `cards` is a cache
of each reviewed question's current `CardState`, stamped with what it was derived from (number
of reviews, last review id, desired retention). Whenever the stamp no longer matches the log
(a crash, an older version, questions merged by linking, a new retention setting) the card is
rebuilt from the log, so the log alone is the truth.

Times are aware UTC datetimes, stored as ISO 8601 text with microseconds
(`2025-01-06T09:00:00.000000+00:00`), which sorts in time order. Days in `stats` are UTC days.

Every function takes a `Store` (bound to one user). `retention=None` means the user's
`retention` setting (`coach config retention 0.85`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from ..bank.reviews import ReviewRow
from ..bank.store import Store
from ..errors import NotFound
from .scheduler import CardState, Rating, ReviewEntry, State, check_retention, check_utc, rebuild, review

FORECAST_DAYS = 7
ACTIVITY_DAYS = 30


# -- plumbing -------------------------------------------------------------------------------
def _retention(store: Store, retention: float | None) -> float:
    return check_retention(float(store.setting("retention")) if retention is None else retention)


def _iso(when: datetime) -> str:
    return check_utc(when).isoformat(timespec="microseconds")


def _time(text: str) -> datetime:
    return check_utc(datetime.fromisoformat(text), "stored time")


def _require_question(store: Store, question_id: str) -> None:
    if not store.question_exists(question_id):
        raise NotFound(f"no question {question_id!r} in the bank (see `coach list`)")


def _entry(r: ReviewRow) -> ReviewEntry:
    return ReviewEntry(r.question_id, Rating(r.rating), _time(r.reviewed_at), score=r.score, answer=r.answer,
                       duration_ms=r.duration_ms)


def _card(row: dict[str, Any]) -> CardState:
    return CardState(row["question_id"], State(row["state"]), row["step"], row["stability"], row["difficulty"],
                     _time(row["due"]), _time(row["last_review"]))


def _save(store: Store, card: CardState, n: int, last_id: int, retention: float) -> None:
    assert card.last_review is not None  # only reviewed cards are cached
    store.reviews.save_card({"question_id": card.question_id, "state": int(card.state), "step": card.step,
                             "stability": card.stability, "difficulty": card.difficulty, "due": _iso(card.due),
                             "last_review": _iso(card.last_review)}, n, last_id, retention)


def _rebuild_one(store: Store, question_id: str, retention: float) -> CardState | None:
    """Derive one card from the log and cache it (or drop its cache when it has no reviews)."""
    n, last_id = store.reviews.stamp(question_id)
    if n == 0 or last_id is None:
        store.reviews.drop_card(question_id)
        return None
    card = rebuild(question_id, [_entry(r) for r in store.reviews.entries(question_id)], retention)
    _save(store, card, n, last_id, retention)
    return card


def _current(store: Store, question_id: str, retention: float) -> CardState | None:
    """The card's state per the log (None if never reviewed), from the cache when it is consistent."""
    n, fresh, cached = store.reviews.cached_card(question_id, retention)
    if n == 0 and cached is None:
        return None
    if fresh and cached is not None:
        return _card(cached)
    with store.writing():
        return _rebuild_one(store, question_id, retention)


def _refresh_all(store: Store, retention: float) -> None:
    """Rebuild every cached card that no longer matches the log; drop cards without reviews."""
    stale, orphaned = store.reviews.stale(retention)
    if not stale and not orphaned:
        return
    with store.writing():
        store.reviews.drop_orphan_cards()
        for question_id in stale:
            _rebuild_one(store, question_id, retention)


# -- the API --------------------------------------------------------------------------------
def record(
    store: Store,
    question_id: str,
    rating: Rating,
    now: datetime,
    *,
    score: float | None = None,
    answer: str | None = None,
    duration_ms: int | None = None,
    retention: float | None = None,
    client_key: str | None = None,
) -> CardState:
    """Log a review of `question_id` at `now` and return the card's new state. One transaction.

    `client_key` makes it idempotent: a review already logged under that key (a client retrying
    a request whose answer it never got) is not logged again; its question's current card is returned.
    Raises NotFound for an unknown question and ValueError for a naive/non-UTC `now` or a
    review earlier than the question's last one (nothing is written then).
    """
    check_utc(now, "now")
    r = _retention(store, retention)
    _require_question(store, question_id)
    with store.writing():
        done = store.reviews.by_client_key(client_key) if client_key else None
        if done is not None:
            return _current(store, done.question_id, r) or CardState.new(done.question_id, now)
        before = _current(store, question_id, r) or CardState.new(question_id, now)
        after, entry = review(before, Rating(rating), now, r, score=score, answer=answer, duration_ms=duration_ms)
        last_id = store.reviews.add(entry.question_id, int(entry.rating), _iso(entry.reviewed_at), entry.score,
                                    entry.answer, entry.duration_ms, client_key)
        n, _ = store.reviews.stamp(question_id)
        _save(store, after, n, last_id, r)
    return after


def card(store: Store, question_id: str, now: datetime, *, retention: float | None = None) -> CardState:
    """The current state of a question's card; a New card due `now` if it was never reviewed."""
    check_utc(now, "now")
    r = _retention(store, retention)
    _require_question(store, question_id)
    return _current(store, question_id, r) or CardState.new(question_id, now)


def due(
    store: Store,
    now: datetime,
    limit: int | None = None,
    *,
    new: int = 0,
    question_ids: Iterable[str] | None = None,
    retention: float | None = None,
) -> list[str]:
    """Question ids to drill now: due cards first, then up to `new` never-reviewed questions.

    Due cards (due <= now) come most overdue first (ties by id). New questions follow in the
    order of `question_ids`, or in bank order (source path, position) when it is None.
    `question_ids` also restricts the due cards. Only questions the bank has text for (at
    least one item) are returned: a reviewed question whose items were removed waits, with its
    history, until they come back. `limit` caps the whole list (None: no cap).
    """
    check_utc(now, "now")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must not be negative, got {limit}")
    if new < 0:
        raise ValueError(f"new must not be negative, got {new}")
    _refresh_all(store, _retention(store, retention))
    wanted = None if question_ids is None else list(dict.fromkeys(question_ids))
    allowed = None if wanted is None else set(wanted)
    room = sys.maxsize if limit is None else limit
    out: list[str] = []
    for qid in store.reviews.due(_iso(now)):
        if len(out) >= room:
            return out
        if allowed is None or qid in allowed:
            out.append(qid)
    quota = min(new, room - len(out))
    if quota <= 0:
        return out
    candidates: Iterable[str] = (store.reviews.never_reviewed() if wanted is None
                                 else (q for q in wanted if store.reviews.fresh(q)))
    fresh: list[str] = []
    for qid in candidates:
        if qid not in fresh:
            fresh.append(qid)
            if len(fresh) >= quota:
                break
    return out + fresh


def cards(store: Store, *, retention: float | None = None) -> dict[str, CardState]:
    """The current card of every question the user has reviewed (one query once the cache is fresh)."""
    _refresh_all(store, _retention(store, retention))
    return {row["question_id"]: _card(row) for row in store.reviews.cached_cards()}


def rebuild_all(store: Store, retention: float | None = None) -> int:
    """Recompute every card from the log (e.g. after changing the desired retention). One transaction.

    Returns the number of cards rebuilt.
    """
    r = _retention(store, retention)
    with store.writing():
        store.reviews.drop_cards()
        qids = store.reviews.reviewed()
        for qid in qids:
            _rebuild_one(store, qid, r)
    return len(qids)


def history(store: Store, question_id: str) -> list[ReviewEntry]:
    """Every review of a question, oldest first."""
    _require_question(store, question_id)
    return [_entry(r) for r in store.reviews.entries(question_id)]


def stats(store: Store, now: datetime, *, retention: float | None = None) -> dict[str, Any]:
    """Study statistics at `now` (UTC days), counting only questions the bank has text for.

    - `due_now`: cards due at `now`; `new`: questions never reviewed;
    - `forecast`: for today and the next 6 days, cards falling due that day after `now`
      (so `due_now + sum(forecast)` is everything due within the week);
    - `reviews_per_day`: reviews logged on each of the last 30 days, today last;
    - `true_retention`: among all reviews except each question's first, the share rated
      better than Again (None when there is no such review), out of `retention_reviews`;
    - `by_state`: cards per state (`new`, `learning`, `review`, `relearning`);
    - `detached`: reviewed questions whose items are gone from the bank (history kept).
    """
    check_utc(now, "now")
    r = _retention(store, retention)
    _refresh_all(store, r)
    today = now.date()
    week_end = (today + timedelta(days=FORECAST_DAYS)).isoformat()
    first_day = (today - timedelta(days=ACTIVITY_DAYS - 1)).isoformat()
    rows = store.reviews.stats_rows(_iso(now), week_end, first_day, int(Rating.Again))
    forecast = [{"date": d, "due": rows["upcoming"].get(d, 0)}
                for d in ((today + timedelta(days=i)).isoformat() for i in range(FORECAST_DAYS))]
    per_day = [{"date": d, "reviews": rows["per_day"].get(d, 0)}
               for d in ((today - timedelta(days=i)).isoformat() for i in range(ACTIVITY_DAYS - 1, -1, -1))]
    by_state = {s.name.lower(): 0 for s in State}
    for state, n in rows["by_state"].items():
        by_state[State(state).name.lower()] = n
    by_state["new"] = rows["new"]
    later = rows["later"]
    return {
        "now": now.isoformat(),
        "desired_retention": r,
        "due_now": rows["due_now"],
        "new": by_state["new"],
        "forecast": forecast,
        "reviews_per_day": per_day,
        "reviews": rows["reviews"],
        "true_retention": None if later == 0 else rows["recalled"] / later,
        "retention_reviews": later,
        "by_state": by_state,
        "detached": rows["detached"],
    }


__all__ = ["card", "cards", "due", "history", "rebuild_all", "record", "stats"]
