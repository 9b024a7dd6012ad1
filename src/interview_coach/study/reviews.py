"""The review log: append-only rows in the bank, and the card states derived from them.

`reviews` is the log: one row per review, never updated or deleted by this module.
`cards` is a cache of each reviewed question's current `CardState`, stamped with what it
was derived from (number of reviews, last review id, desired retention). Whenever the stamp
no longer matches the log (a crash, an older version, questions merged by linking, a new
retention setting) the card is rebuilt from the log, so the log alone is the truth.

Times are aware UTC datetimes, stored as ISO 8601 text with microseconds
(`2025-01-06T09:00:00.000000+00:00`), which sorts in time order. Days in `stats` are UTC days.

Every function takes a `sqlite3.Connection` to a bank or a `Store`. `retention=None` means
the bank's `retention` setting (`coach config set retention 0.85`).
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from ..bank import settings
from ..bank.db import transaction
from ..bank.store import Store
from ..errors import NotFound
from .scheduler import CardState, Rating, ReviewEntry, State, check_retention, check_utc, rebuild, review

Bank = sqlite3.Connection | Store

FORECAST_DAYS = 7
ACTIVITY_DAYS = 30

_DRILLABLE = "EXISTS (SELECT 1 FROM items WHERE items.question_id = {col})"


# -- plumbing -------------------------------------------------------------------------------
def _conn(bank: Bank) -> sqlite3.Connection:
    return bank.conn if isinstance(bank, Store) else bank


def _retention(conn: sqlite3.Connection, retention: float | None) -> float:
    return check_retention(float(settings.get(conn, "retention")) if retention is None else retention)


def _iso(when: datetime) -> str:
    return check_utc(when).isoformat(timespec="microseconds")


def _time(text: str) -> datetime:
    return check_utc(datetime.fromisoformat(text), "stored time")


def _require_question(conn: sqlite3.Connection, question_id: str) -> None:
    if conn.execute("SELECT 1 FROM questions WHERE id = ?", (question_id,)).fetchone() is None:
        raise NotFound(f"no question {question_id!r} in the bank (see `coach list`)")


def _entries(conn: sqlite3.Connection, question_id: str) -> list[ReviewEntry]:
    rows = conn.execute(
        "SELECT question_id, rating, reviewed_at, score, answer, duration_ms FROM reviews "
        "WHERE question_id = ? ORDER BY reviewed_at, id", (question_id,)).fetchall()
    return [ReviewEntry(r[0], Rating(r[1]), _time(r[2]), score=r[3], answer=r[4], duration_ms=r[5]) for r in rows]


def _card_from_row(row: Sequence[Any]) -> CardState:
    question_id, state, step, stability, difficulty, due_at, last_review = row[:7]
    return CardState(question_id, State(state), step, stability, difficulty, _time(due_at), _time(last_review))


_CARD_COLUMNS = "question_id, state, step, stability, difficulty, due, last_review"


def _save(conn: sqlite3.Connection, card: CardState, n: int, last_id: int, retention: float) -> None:
    assert card.last_review is not None  # only reviewed cards are cached
    conn.execute(
        f"INSERT INTO cards ({_CARD_COLUMNS}, reviews, last_review_id, retention) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(question_id) DO UPDATE SET state = excluded.state, step = excluded.step, "
        "stability = excluded.stability, difficulty = excluded.difficulty, due = excluded.due, "
        "last_review = excluded.last_review, reviews = excluded.reviews, "
        "last_review_id = excluded.last_review_id, retention = excluded.retention",
        (card.question_id, int(card.state), card.step, card.stability, card.difficulty, _iso(card.due),
         _iso(card.last_review), n, last_id, retention))


def _rebuild_one(conn: sqlite3.Connection, question_id: str, retention: float) -> CardState | None:
    """Derive one card from the log and cache it (or drop its cache when it has no reviews)."""
    n, last_id = conn.execute(
        "SELECT COUNT(*), MAX(id) FROM reviews WHERE question_id = ?", (question_id,)).fetchone()
    if n == 0:
        conn.execute("DELETE FROM cards WHERE question_id = ?", (question_id,))
        return None
    card = rebuild(question_id, _entries(conn, question_id), retention)
    _save(conn, card, n, last_id, retention)
    return card


def _current(conn: sqlite3.Connection, question_id: str, retention: float) -> CardState | None:
    """The card's state per the log (None if never reviewed), from the cache when it is consistent."""
    row = conn.execute(
        f"SELECT r.n, c.reviews = r.n AND c.last_review_id = r.last AND c.retention = ?, "
        f"{', '.join('c.' + c.strip() for c in _CARD_COLUMNS.split(','))} "
        "FROM (SELECT COUNT(*) AS n, MAX(id) AS last FROM reviews WHERE question_id = ?) r "
        "LEFT JOIN cards c ON c.question_id = ?",
        (retention, question_id, question_id)).fetchone()
    n, fresh, cached = row[0], row[1], row[2]
    if n == 0 and cached is None:
        return None
    if fresh == 1:
        return _card_from_row(tuple(row)[2:])
    with transaction(conn):
        return _rebuild_one(conn, question_id, retention)


def _refresh_all(conn: sqlite3.Connection, retention: float) -> None:
    """Rebuild every cached card that no longer matches the log; drop cards without reviews."""
    stale = [r[0] for r in conn.execute(
        "SELECT r.question_id FROM (SELECT question_id, COUNT(*) AS n, MAX(id) AS last FROM reviews "
        "GROUP BY question_id) r LEFT JOIN cards c ON c.question_id = r.question_id "
        "WHERE c.question_id IS NULL OR c.reviews != r.n OR c.last_review_id != r.last OR c.retention != ?",
        (retention,))]
    orphaned = conn.execute(
        "SELECT 1 FROM cards WHERE NOT EXISTS (SELECT 1 FROM reviews WHERE reviews.question_id = cards.question_id) "
        "LIMIT 1").fetchone()
    if not stale and orphaned is None:
        return
    with transaction(conn):
        conn.execute(
            "DELETE FROM cards WHERE NOT EXISTS (SELECT 1 FROM reviews WHERE reviews.question_id = cards.question_id)")
        for question_id in stale:
            _rebuild_one(conn, question_id, retention)


# -- the API --------------------------------------------------------------------------------
def record(
    bank: Bank,
    question_id: str,
    rating: Rating,
    now: datetime,
    *,
    score: float | None = None,
    answer: str | None = None,
    duration_ms: int | None = None,
    retention: float | None = None,
) -> CardState:
    """Log a review of `question_id` at `now` and return the card's new state. One transaction.

    Raises NotFound for an unknown question and ValueError for a naive/non-UTC `now` or a
    review earlier than the question's last one (nothing is written then).
    """
    conn = _conn(bank)
    check_utc(now, "now")
    r = _retention(conn, retention)
    _require_question(conn, question_id)
    with transaction(conn):
        before = _current(conn, question_id, r) or CardState.new(question_id, now)
        after, entry = review(before, Rating(rating), now, r, score=score, answer=answer, duration_ms=duration_ms)
        cur = conn.execute(
            "INSERT INTO reviews (question_id, rating, reviewed_at, score, answer, duration_ms) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (entry.question_id, int(entry.rating), _iso(entry.reviewed_at), entry.score, entry.answer,
             entry.duration_ms))
        n = conn.execute("SELECT COUNT(*) FROM reviews WHERE question_id = ?", (question_id,)).fetchone()[0]
        _save(conn, after, n, int(cur.lastrowid or 0), r)
    return after


def card(bank: Bank, question_id: str, now: datetime, *, retention: float | None = None) -> CardState:
    """The current state of a question's card; a New card due `now` if it was never reviewed."""
    conn = _conn(bank)
    check_utc(now, "now")
    r = _retention(conn, retention)
    _require_question(conn, question_id)
    return _current(conn, question_id, r) or CardState.new(question_id, now)


def due(
    bank: Bank,
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
    conn = _conn(bank)
    check_utc(now, "now")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must not be negative, got {limit}")
    if new < 0:
        raise ValueError(f"new must not be negative, got {new}")
    _refresh_all(conn, _retention(conn, retention))
    wanted = None if question_ids is None else list(dict.fromkeys(question_ids))
    allowed = None if wanted is None else set(wanted)
    room = sys.maxsize if limit is None else limit
    out: list[str] = []
    for (qid,) in conn.execute(
            f"SELECT question_id FROM cards WHERE due <= ? AND {_DRILLABLE.format(col='cards.question_id')} "
            "ORDER BY due, question_id", (_iso(now),)):
        if len(out) >= room:
            return out
        if allowed is None or qid in allowed:
            out.append(qid)
    quota = min(new, room - len(out))
    if quota <= 0:
        return out
    if wanted is None:
        candidates: Iterable[str] = (r[0] for r in conn.execute(
            "SELECT items.question_id FROM items JOIN sources ON sources.id = items.source_id "
            "WHERE NOT EXISTS (SELECT 1 FROM reviews WHERE reviews.question_id = items.question_id) "
            "ORDER BY sources.path, items.position"))
    else:
        candidates = (q for q in wanted if conn.execute(
            f"SELECT {_DRILLABLE.format(col='?')} AND NOT EXISTS (SELECT 1 FROM reviews WHERE question_id = ?)",
            (q, q)).fetchone()[0])
    fresh: list[str] = []
    for qid in candidates:
        if qid not in fresh:
            fresh.append(qid)
            if len(fresh) >= quota:
                break
    return out + fresh


def rebuild_all(bank: Bank, retention: float | None = None) -> int:
    """Recompute every card from the log (e.g. after changing the desired retention). One transaction.

    Returns the number of cards rebuilt.
    """
    conn = _conn(bank)
    r = _retention(conn, retention)
    with transaction(conn):
        conn.execute("DELETE FROM cards")
        qids = [row[0] for row in conn.execute("SELECT DISTINCT question_id FROM reviews ORDER BY question_id")]
        for qid in qids:
            _rebuild_one(conn, qid, r)
    return len(qids)


def history(bank: Bank, question_id: str) -> list[ReviewEntry]:
    """Every review of a question, oldest first."""
    conn = _conn(bank)
    _require_question(conn, question_id)
    return _entries(conn, question_id)


def stats(bank: Bank, now: datetime, *, retention: float | None = None) -> dict[str, Any]:
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
    conn = _conn(bank)
    check_utc(now, "now")
    r = _retention(conn, retention)
    _refresh_all(conn, r)
    at = _iso(now)
    today = now.date()
    drillable = _DRILLABLE.format(col="cards.question_id")
    one = lambda sql, *args: conn.execute(sql, args).fetchone()[0]  # noqa: E731

    due_now = one(f"SELECT COUNT(*) FROM cards WHERE due <= ? AND {drillable}", at)
    week_end = (today + timedelta(days=FORECAST_DAYS)).isoformat()
    upcoming = dict(conn.execute(
        f"SELECT substr(due, 1, 10) AS day, COUNT(*) FROM cards WHERE due > ? AND due < ? AND {drillable} "
        "GROUP BY day", (at, week_end)).fetchall())
    forecast = [{"date": d, "due": upcoming.get(d, 0)}
                for d in ((today + timedelta(days=i)).isoformat() for i in range(FORECAST_DAYS))]

    first_day = (today - timedelta(days=ACTIVITY_DAYS - 1)).isoformat()
    done = dict(conn.execute(
        "SELECT substr(reviewed_at, 1, 10) AS day, COUNT(*) FROM reviews WHERE reviewed_at >= ? AND reviewed_at <= ? "
        "GROUP BY day", (first_day, at)).fetchall())
    per_day = [{"date": d, "reviews": done.get(d, 0)}
               for d in ((today - timedelta(days=i)).isoformat() for i in range(ACTIVITY_DAYS - 1, -1, -1))]

    later, recalled = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(rating > ?), 0) FROM (SELECT rating, ROW_NUMBER() OVER "
        "(PARTITION BY question_id ORDER BY reviewed_at, id) AS k FROM reviews WHERE reviewed_at <= ?) WHERE k > 1",
        (int(Rating.Again), at)).fetchone()

    by_state = {s.name.lower(): 0 for s in State}
    for state, n in conn.execute(f"SELECT state, COUNT(*) FROM cards WHERE {drillable} GROUP BY state"):
        by_state[State(state).name.lower()] = n
    by_state["new"] = one(
        "SELECT COUNT(DISTINCT question_id) FROM items "
        "WHERE NOT EXISTS (SELECT 1 FROM reviews WHERE reviews.question_id = items.question_id)")

    return {
        "now": now.isoformat(),
        "desired_retention": r,
        "due_now": due_now,
        "new": by_state["new"],
        "forecast": forecast,
        "reviews_per_day": per_day,
        "reviews": one("SELECT COUNT(*) FROM reviews"),
        "true_retention": None if later == 0 else recalled / later,
        "retention_reviews": later,
        "by_state": by_state,
        "detached": one(f"SELECT COUNT(*) FROM cards WHERE NOT {drillable}"),
    }


__all__ = ["Bank", "card", "due", "history", "rebuild_all", "record", "stats"]
