"""One user's review log and card cache, as rows (the scheduler's types live in `study/`).

Every query here is scoped by `user_id`: a `ReviewLog` is bound to one user and can neither
read nor change another's reviews or cards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, case, delete, exists, func, insert, literal, select

from .database import Transactions, upsert
from .schema import cards, items, questions, reviews, sources

CARD_FIELDS = ("question_id", "state", "step", "stability", "difficulty", "due", "last_review")


@dataclass(frozen=True, slots=True)
class ReviewRow:
    id: int
    question_id: str
    rating: int
    reviewed_at: str
    score: float | None
    answer: str | None
    duration_ms: int | None


def _drillable(col: Any) -> Any:
    return exists().where(items.c.question_id == col)


class ReviewLog:
    def __init__(self, tx: Transactions, user_id: int) -> None:
        self.tx = tx
        self.user_id = user_id

    def _mine(self, table: Any) -> Any:
        return table.c.user_id == self.user_id

    # -- the log ----------------------------------------------------------------------------
    def entries(self, question_id: str | None = None) -> list[ReviewRow]:
        """Reviews oldest first (of one question, or all)."""
        stmt = select(reviews).where(self._mine(reviews))
        if question_id is not None:
            stmt = stmt.where(reviews.c.question_id == question_id)
        with self.tx.read() as c:
            rows = c.execute(stmt.order_by(reviews.c.reviewed_at, reviews.c.id)).mappings()
            return [ReviewRow(r["id"], r["question_id"], r["rating"], r["reviewed_at"], r["score"], r["answer"],
                              r["duration_ms"]) for r in rows]

    def add(self, question_id: str, rating: int, reviewed_at: str, score: float | None, answer: str | None,
            duration_ms: int | None, client_key: str | None = None) -> int:
        with self.tx.write() as c:
            return int(c.execute(insert(reviews).values(
                user_id=self.user_id, question_id=question_id, rating=rating, reviewed_at=reviewed_at, score=score,
                answer=answer, duration_ms=duration_ms, client_key=client_key).returning(reviews.c.id)).scalar_one())

    def by_client_key(self, client_key: str) -> ReviewRow | None:
        """The review a client already sent under this key (a retried request), if any."""
        with self.tx.read() as c:
            r = c.execute(select(reviews).where(self._mine(reviews), reviews.c.client_key == client_key)).mappings().first()
        return None if r is None else ReviewRow(r["id"], r["question_id"], r["rating"], r["reviewed_at"], r["score"],
                                                r["answer"], r["duration_ms"])

    def stamp(self, question_id: str) -> tuple[int, int | None]:
        """(number of reviews, id of the last one) of a question."""
        with self.tx.read() as c:
            n, last = c.execute(select(func.count(), func.max(reviews.c.id))
                                .where(self._mine(reviews), reviews.c.question_id == question_id)).one()
            return int(n), last

    def count(self) -> int:
        with self.tx.read() as c:
            return int(c.execute(select(func.count()).where(self._mine(reviews))).scalar_one())

    def reviewed(self) -> list[str]:
        with self.tx.read() as c:
            return list(c.execute(select(reviews.c.question_id).where(self._mine(reviews)).distinct()
                                  .order_by(reviews.c.question_id)).scalars())

    def latest(self) -> dict[str, tuple[int, float | None]]:
        """Per reviewed question: rating and score of its latest review."""
        ranked = select(reviews.c.question_id, reviews.c.rating, reviews.c.score, func.row_number().over(
            partition_by=reviews.c.question_id, order_by=(reviews.c.reviewed_at.desc(), reviews.c.id.desc()),
        ).label("k")).where(self._mine(reviews)).subquery()
        with self.tx.read() as c:
            return {q: (r, s) for q, r, s in c.execute(
                select(ranked.c.question_id, ranked.c.rating, ranked.c.score).where(ranked.c.k == 1))}

    # -- the card cache ---------------------------------------------------------------------
    def cached_card(self, question_id: str, retention: float) -> tuple[int, bool, dict[str, Any] | None]:
        """(reviews of the question, whether the cached card matches the log, the cached card)."""
        n, last = self.stamp(question_id)
        with self.tx.read() as c:
            row = c.execute(select(cards).where(self._mine(cards), cards.c.question_id == question_id)).mappings().first()
        if row is None:
            return n, False, None
        fresh = row["reviews"] == n and row["last_review_id"] == last and row["retention"] == retention
        return n, fresh, {k: row[k] for k in CARD_FIELDS}

    def save_card(self, card: dict[str, Any], reviews_n: int, last_id: int, retention: float) -> None:
        with self.tx.write() as c:
            upsert(c, cards, {**card, "user_id": self.user_id, "reviews": reviews_n, "last_review_id": last_id,
                              "retention": retention}, ["user_id", "question_id"])

    def drop_card(self, question_id: str) -> None:
        with self.tx.write() as c:
            c.execute(delete(cards).where(self._mine(cards), cards.c.question_id == question_id))

    def drop_cards(self) -> None:
        with self.tx.write() as c:
            c.execute(delete(cards).where(self._mine(cards)))

    def stale(self, retention: float) -> tuple[list[str], bool]:
        """Questions whose cached card no longer matches the log, and whether any cached card
        has no review left (its question's reviews moved away)."""
        log = (select(reviews.c.question_id, func.count().label("n"), func.max(reviews.c.id).label("last"))
               .where(self._mine(reviews)).group_by(reviews.c.question_id).subquery())
        stmt = (select(log.c.question_id).select_from(log.outerjoin(cards, and_(
                    cards.c.question_id == log.c.question_id, self._mine(cards))))
                .where((cards.c.question_id.is_(None)) | (cards.c.reviews != log.c.n)
                       | (cards.c.last_review_id != log.c.last) | (cards.c.retention != retention)))
        orphan = exists().where(self._mine(cards), ~exists().where(
            reviews.c.question_id == cards.c.question_id, self._mine(reviews)))
        with self.tx.read() as c:
            return list(c.execute(stmt).scalars()), bool(c.execute(select(orphan)).scalar())

    def drop_orphan_cards(self) -> None:
        with self.tx.write() as c:
            c.execute(delete(cards).where(self._mine(cards), ~exists().where(
                reviews.c.question_id == cards.c.question_id, self._mine(reviews))))

    def cached_cards(self) -> list[dict[str, Any]]:
        """Every cached card of this user (call after the cache was brought in line with the log)."""
        with self.tx.read() as c:
            return [{k: r[k] for k in CARD_FIELDS} for r in c.execute(select(cards).where(self._mine(cards))).mappings()]

    def recent_scores(self, per_question: int = 3) -> dict[str, list[tuple[str, float | None, int]]]:
        """Per reviewed question: its latest reviews as (reviewed_at, score, rating), newest first."""
        ranked = select(reviews.c.question_id, reviews.c.reviewed_at, reviews.c.score, reviews.c.rating,
                        func.row_number().over(partition_by=reviews.c.question_id,
                                               order_by=(reviews.c.reviewed_at.desc(), reviews.c.id.desc())).label("k")) \
            .where(self._mine(reviews)).subquery()
        out: dict[str, list[tuple[str, float | None, int]]] = {}
        with self.tx.read() as c:
            for q, at, score, rating in c.execute(select(ranked.c.question_id, ranked.c.reviewed_at, ranked.c.score,
                                                         ranked.c.rating).where(ranked.c.k <= per_question)
                                                  .order_by(ranked.c.question_id, ranked.c.k)):
                out.setdefault(q, []).append((at, score, rating))
        return out

    def durations(self, limit: int = 200) -> list[int]:
        """Time spent on this user's latest answered reviews (ms), newest first."""
        with self.tx.read() as c:
            return [int(d) for d in c.execute(select(reviews.c.duration_ms).where(
                self._mine(reviews), reviews.c.duration_ms.is_not(None), reviews.c.answer.is_not(None))
                .order_by(reviews.c.id.desc()).limit(limit)).scalars()]

    # -- what to drill ----------------------------------------------------------------------
    def due(self, now: str) -> list[str]:
        """Cards due at `now` whose question the bank has text for, most overdue first."""
        with self.tx.read() as c:
            return list(c.execute(select(cards.c.question_id).where(
                self._mine(cards), cards.c.due <= now, _drillable(cards.c.question_id))
                .order_by(cards.c.due, cards.c.question_id)).scalars())

    def never_reviewed(self) -> list[str]:
        """Questions never reviewed, in bank order (one per item, first occurrence first)."""
        with self.tx.read() as c:
            return list(c.execute(
                select(items.c.question_id).join(sources, sources.c.id == items.c.source_id)
                .where(~exists().where(reviews.c.question_id == items.c.question_id, self._mine(reviews)))
                .order_by(sources.c.path, items.c.position)).scalars())

    def fresh(self, question_id: str) -> bool:
        """The question has text in the bank and no review yet."""
        with self.tx.read() as c:
            return bool(c.execute(select(and_(
                _drillable(literal(question_id)),
                ~exists().where(reviews.c.question_id == question_id, self._mine(reviews))))).scalar())

    # -- statistics -------------------------------------------------------------------------
    def stats_rows(self, now: str, week_end: str, first_day: str, again: int) -> dict[str, Any]:
        drillable = _drillable(cards.c.question_id)
        mine_cards = self._mine(cards)
        day = func.substr(cards.c.due, 1, 10)
        rday = func.substr(reviews.c.reviewed_at, 1, 10)
        ranked = select(reviews.c.rating, func.row_number().over(
            partition_by=reviews.c.question_id, order_by=(reviews.c.reviewed_at, reviews.c.id)).label("k")) \
            .where(self._mine(reviews), reviews.c.reviewed_at <= now).subquery()
        with self.tx.read() as c:
            later, recalled = c.execute(select(func.count(), func.coalesce(func.sum(
                case((ranked.c.rating > again, 1), else_=0)), 0)).where(ranked.c.k > 1)).one()
            return {
                "due_now": c.execute(select(func.count()).where(mine_cards, cards.c.due <= now, drillable)).scalar_one(),
                "upcoming": dict(c.execute(select(day, func.count()).where(
                    mine_cards, cards.c.due > now, cards.c.due < week_end, drillable).group_by(day)).all()),
                "per_day": dict(c.execute(select(rday, func.count()).where(
                    self._mine(reviews), reviews.c.reviewed_at >= first_day, reviews.c.reviewed_at <= now)
                    .group_by(rday)).all()),
                "later": int(later), "recalled": int(recalled),
                "by_state": dict(c.execute(select(cards.c.state, func.count()).where(mine_cards, drillable)
                                           .group_by(cards.c.state)).all()),
                "new": c.execute(select(func.count(func.distinct(items.c.question_id))).where(
                    ~exists().where(reviews.c.question_id == items.c.question_id, self._mine(reviews)))).scalar_one(),
                "reviews": c.execute(select(func.count()).where(self._mine(reviews))).scalar_one(),
                "detached": c.execute(select(func.count()).where(mine_cards, ~drillable)).scalar_one(),
            }

    def question_known(self, question_id: str) -> bool:
        with self.tx.read() as c:
            return c.execute(select(questions.c.id).where(questions.c.id == question_id)).first() is not None


__all__ = ["ReviewLog", "ReviewRow", "Connection"]
