"""One user's job profiles: the description, the topics it requires and what matched nothing.

Every query is scoped by `user_id`: another user's profile is not found (NotFound), exactly
like an id that does not exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update

from ..errors import NotFound
from .database import Transactions, upsert, utcnow
from .schema import job_profiles, job_topics


@dataclass(frozen=True, slots=True)
class JobTopicRow:
    topic: str
    must_have: bool
    evidence: list[str]
    score: float | None
    origin: str


@dataclass(frozen=True, slots=True)
class JobRow:
    id: int
    title: str
    description: str
    url: str | None
    interview_date: str | None
    lang: str
    unmatched: list[str]
    notes: list[str]
    created_at: str
    topics: list[JobTopicRow]


class JobProfiles:
    def __init__(self, tx: Transactions, user_id: int) -> None:
        self.tx = tx
        self.user_id = user_id

    def _mine(self, job_id: int) -> Any:
        return and_(job_profiles.c.id == job_id, job_profiles.c.user_id == self.user_id)

    def _check(self, conn: Any, job_id: int) -> None:
        if conn.execute(select(job_profiles.c.id).where(self._mine(job_id))).first() is None:
            raise NotFound(f"no job {job_id} (see `coach job list`)")

    def add(self, *, title: str, description: str, url: str | None, interview_date: str | None, lang: str,
            unmatched: list[str], notes: list[str], topics: list[dict[str, Any]]) -> int:
        with self.tx.write() as c:
            job_id = int(c.execute(insert(job_profiles).values(
                user_id=self.user_id, title=title, description=description, url=url, interview_date=interview_date,
                lang=lang, unmatched=json.dumps(unmatched, ensure_ascii=False), notes=json.dumps(notes, ensure_ascii=False),
                created_at=utcnow()).returning(job_profiles.c.id)).scalar_one())
            if topics:
                c.execute(insert(job_topics), [{
                    "job_id": job_id, "topic": t["topic"], "must_have": bool(t["must_have"]),
                    "evidence": json.dumps(t.get("evidence", []), ensure_ascii=False), "score": t.get("score"),
                    "origin": t.get("origin", "extracted"), "position": n} for n, t in enumerate(topics)])
            return job_id

    def _topics(self, conn: Any, job_ids: list[int]) -> dict[int, list[JobTopicRow]]:
        out: dict[int, list[JobTopicRow]] = {j: [] for j in job_ids}
        if not job_ids:
            return out
        rows = conn.execute(select(job_topics).where(job_topics.c.job_id.in_(job_ids))
                            .order_by(job_topics.c.job_id, job_topics.c.position)).mappings()
        for r in rows:
            out[r["job_id"]].append(JobTopicRow(r["topic"], bool(r["must_have"]), json.loads(r["evidence"]),
                                                r["score"], r["origin"]))
        return out

    def _row(self, r: Any, topics: list[JobTopicRow]) -> JobRow:
        return JobRow(r["id"], r["title"], r["description"], r["url"], r["interview_date"], r["lang"],
                      json.loads(r["unmatched"]), json.loads(r["notes"]), r["created_at"], topics)

    def all(self) -> list[JobRow]:
        with self.tx.read() as c:
            rows = list(c.execute(select(job_profiles).where(job_profiles.c.user_id == self.user_id)
                                  .order_by(job_profiles.c.id)).mappings())
            topics = self._topics(c, [r["id"] for r in rows])
            return [self._row(r, topics[r["id"]]) for r in rows]

    def get(self, job_id: int) -> JobRow:
        with self.tx.read() as c:
            r = c.execute(select(job_profiles).where(self._mine(job_id))).mappings().first()
            if r is None:
                raise NotFound(f"no job {job_id} (see `coach job list`)")
            return self._row(r, self._topics(c, [job_id])[job_id])

    def update(self, job_id: int, **fields: Any) -> None:
        allowed = {"title", "interview_date", "url"}
        values = {k: v for k, v in fields.items() if k in allowed}
        with self.tx.write() as c:
            self._check(c, job_id)
            if values:
                c.execute(update(job_profiles).where(self._mine(job_id)).values(**values))

    def set_topic(self, job_id: int, topic: str, must_have: bool, *, evidence: list[str] | None = None,
                  origin: str = "manual") -> None:
        """Add a topic to the profile, or change whether it is a must (its evidence is kept)."""
        with self.tx.write() as c:
            self._check(c, job_id)
            old = c.execute(select(job_topics).where(job_topics.c.job_id == job_id, job_topics.c.topic == topic)) \
                .mappings().first()
            if old is not None:
                c.execute(update(job_topics).where(job_topics.c.job_id == job_id, job_topics.c.topic == topic)
                          .values(must_have=must_have))
                return
            n = c.execute(select(func.coalesce(func.max(job_topics.c.position), -1)).where(
                job_topics.c.job_id == job_id)).scalar_one()
            upsert(c, job_topics, {"job_id": job_id, "topic": topic, "must_have": must_have,
                                   "evidence": json.dumps(evidence or [], ensure_ascii=False), "score": None,
                                   "origin": origin, "position": int(n) + 1}, ["job_id", "topic"])

    def remove_topic(self, job_id: int, topic: str) -> bool:
        with self.tx.write() as c:
            self._check(c, job_id)
            n = c.execute(delete(job_topics).where(job_topics.c.job_id == job_id, job_topics.c.topic == topic)).rowcount
            return bool(n)

    def remove(self, job_id: int) -> None:
        with self.tx.write() as c:
            self._check(c, job_id)
            c.execute(delete(job_topics).where(job_topics.c.job_id == job_id))
            c.execute(delete(job_profiles).where(self._mine(job_id)))
