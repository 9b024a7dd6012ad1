"""One user's mock interviews: sessions (the plan and the readiness at start and end) and every
answer given, stored the moment it is given so a session killed midway keeps them.

Every query is scoped by `user_id` through the session's owner: another user's session is not
found (NotFound), like an id that does not exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, insert, select, update

from ..errors import NotFound
from .database import Transactions
from .schema import job_profiles, mock_answers, mock_sessions


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    job_id: int
    mode: str
    minutes: int
    plan: list[dict[str, Any]]
    before: dict[str, Any]
    after: dict[str, Any] | None
    status: str
    started_at: str
    finished_at: str | None
    answers: int = 0


@dataclass(frozen=True, slots=True)
class AnswerRow:
    id: int
    position: int
    question_id: str
    topic: str | None
    kind: str
    prompt: str
    answer: str
    score: float | None
    grade: dict[str, Any] | None
    note: str | None
    review_id: int | None
    duration_ms: int | None
    answered_at: str


class MockLog:
    def __init__(self, tx: Transactions, user_id: int) -> None:
        self.tx = tx
        self.user_id = user_id

    def _mine(self, session_id: int) -> Any:
        return and_(mock_sessions.c.id == session_id, mock_sessions.c.user_id == self.user_id)

    def _check(self, conn: Any, session_id: int) -> None:
        if conn.execute(select(mock_sessions.c.id).where(self._mine(session_id))).first() is None:
            raise NotFound(f"no mock interview {session_id} (see `coach mock list`)")

    def start(self, *, job_id: int, mode: str, minutes: int, plan: list[dict[str, Any]], before: dict[str, Any],
              started_at: str) -> int:
        with self.tx.write() as c:
            owned = c.execute(select(job_profiles.c.id).where(job_profiles.c.id == job_id,
                                                              job_profiles.c.user_id == self.user_id)).first()
            if owned is None:
                raise NotFound(f"no job {job_id} (see `coach job list`)")
            return int(c.execute(insert(mock_sessions).values(
                user_id=self.user_id, job_id=job_id, mode=mode, minutes=minutes,
                plan=json.dumps(plan, ensure_ascii=False), before=json.dumps(before, ensure_ascii=False),
                status="running", started_at=started_at).returning(mock_sessions.c.id)).scalar_one())

    def _row(self, r: Any, n: int = 0) -> SessionRow:
        return SessionRow(r["id"], r["job_id"], r["mode"], r["minutes"], json.loads(r["plan"]), json.loads(r["before"]),
                          json.loads(r["after"]) if r["after"] else None, r["status"], r["started_at"],
                          r["finished_at"], n)

    def get(self, session_id: int) -> SessionRow:
        with self.tx.read() as c:
            r = c.execute(select(mock_sessions).where(self._mine(session_id))).mappings().first()
            if r is None:
                raise NotFound(f"no mock interview {session_id} (see `coach mock list`)")
            n = c.execute(select(func.count()).where(mock_answers.c.session_id == session_id)).scalar_one()
            return self._row(r, int(n))

    def sessions(self, job_id: int | None = None) -> list[SessionRow]:
        """This user's sessions, oldest first (of one job, or all)."""
        n = select(func.count()).where(mock_answers.c.session_id == mock_sessions.c.id).scalar_subquery()
        stmt = select(mock_sessions, n.label("n")).where(mock_sessions.c.user_id == self.user_id)
        if job_id is not None:
            stmt = stmt.where(mock_sessions.c.job_id == job_id)
        with self.tx.read() as c:
            return [self._row(r, int(r["n"])) for r in c.execute(stmt.order_by(mock_sessions.c.id)).mappings()]

    def answers(self, session_id: int) -> list[AnswerRow]:
        with self.tx.read() as c:
            self._check(c, session_id)
            rows = c.execute(select(mock_answers).where(mock_answers.c.session_id == session_id)
                             .order_by(mock_answers.c.position)).mappings()
            return [AnswerRow(r["id"], r["position"], r["question_id"], r["topic"], r["kind"], r["prompt"], r["answer"],
                              r["score"], json.loads(r["grade"]) if r["grade"] else None, r["note"], r["review_id"],
                              r["duration_ms"], r["answered_at"]) for r in rows]

    def add_answer(self, session_id: int, *, question_id: str, topic: str | None, kind: str, prompt: str, answer: str,
                   score: float | None, grade: dict[str, Any] | None, note: str | None, review_id: int | None,
                   duration_ms: int | None, answered_at: str) -> int:
        """Store one answer (the next position of the session); returns its position."""
        with self.tx.write() as c:
            self._check(c, session_id)
            pos = int(c.execute(select(func.coalesce(func.max(mock_answers.c.position), 0))
                                .where(mock_answers.c.session_id == session_id)).scalar_one()) + 1
            c.execute(insert(mock_answers).values(
                session_id=session_id, position=pos, question_id=question_id, topic=topic, kind=kind, prompt=prompt,
                answer=answer, score=score, grade=json.dumps(grade, ensure_ascii=False) if grade is not None else None,
                note=note, review_id=review_id, duration_ms=duration_ms, answered_at=answered_at))
            return pos

    def finish(self, session_id: int, *, after: dict[str, Any], finished_at: str) -> None:
        with self.tx.write() as c:
            self._check(c, session_id)
            c.execute(update(mock_sessions).where(self._mine(session_id)).values(
                after=json.dumps(after, ensure_ascii=False), status="finished", finished_at=finished_at))
