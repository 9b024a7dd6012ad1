"""A job queue in the bank itself: long work (imports: ingest, embed, relink) that any worker
process, on any host, can take.

A worker claims the oldest queued job in one transaction (PostgreSQL: `FOR UPDATE SKIP LOCKED`,
so two workers never take the same job; SQLite: the writer lock). While it works it beats a
heart; a job whose worker stopped beating (killed, crashed host) is claimed again by another
worker, up to `MAX_ATTEMPTS` times. Uploaded files are kept in the bank too, so the worker that
takes an import need not be the one that received the upload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update

from ..errors import NotFound
from .database import Transactions
from .schema import jobs, uploads

MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class JobRow:
    id: int
    kind: str
    payload: dict[str, Any]
    status: str
    user_id: int | None
    attempts: int
    worker: str | None
    progress: dict[str, Any] | None
    result: dict[str, Any] | None
    error: str | None
    created_at: str
    started_at: str | None
    finished_at: str | None


def _job(r: Any) -> JobRow:
    load = lambda v: json.loads(v) if v else None  # noqa: E731
    return JobRow(r["id"], r["kind"], json.loads(r["payload"]), r["status"], r["user_id"], r["attempts"], r["worker"],
                  load(r["progress"]), load(r["result"]), r["error"], r["created_at"], r["started_at"],
                  r["finished_at"])


class JobQueue:
    def __init__(self, tx: Transactions) -> None:
        self.tx = tx

    def enqueue(self, kind: str, payload: dict[str, Any], user_id: int | None, now: str) -> int:
        with self.tx.write() as c:
            return int(c.execute(insert(jobs).values(kind=kind, payload=json.dumps(payload, ensure_ascii=False),
                                                     user_id=user_id, created_at=now).returning(jobs.c.id)).scalar_one())

    def claim(self, worker: str, now: str, stale_before: str) -> JobRow | None:
        """Take the oldest job that is queued, or running on a worker that stopped beating."""
        claimable = or_(jobs.c.status == "queued",
                        and_(jobs.c.status == "running", jobs.c.heartbeat_at < stale_before))
        with self.tx.write() as c:
            row = c.execute(select(jobs).where(claimable).order_by(jobs.c.id).limit(1)
                            .with_for_update(skip_locked=True)).mappings().first()
            if row is None:
                return None
            if row["attempts"] >= MAX_ATTEMPTS:
                c.execute(update(jobs).where(jobs.c.id == row["id"]).values(
                    status="error", finished_at=now,
                    error=f"gave up after {row['attempts']} attempts (its workers stopped before finishing)"))
                return self.claim(worker, now, stale_before)
            c.execute(update(jobs).where(jobs.c.id == row["id"]).values(
                status="running", worker=worker, heartbeat_at=now, attempts=row["attempts"] + 1,
                started_at=row["started_at"] or now))
        return self.get(int(row["id"]))

    def beat(self, job_id: int, worker: str, now: str, progress: dict[str, Any] | None = None) -> bool:
        """Keep the claim alive (and record progress); False if another worker has taken the job."""
        values: dict[str, Any] = {"heartbeat_at": now}
        if progress is not None:
            values["progress"] = json.dumps(progress, ensure_ascii=False)
        with self.tx.write() as c:
            n = c.execute(update(jobs).where(jobs.c.id == job_id, jobs.c.worker == worker,
                                             jobs.c.status == "running").values(**values)).rowcount
        return bool(n)

    def finish(self, job_id: int, worker: str, now: str, result: dict[str, Any] | None = None,
               error: str | None = None) -> bool:
        with self.tx.write() as c:
            n = c.execute(update(jobs).where(jobs.c.id == job_id, jobs.c.worker == worker,
                                             jobs.c.status == "running").values(
                status="error" if error else "done", finished_at=now, error=error, progress=None,
                result=json.dumps(result, ensure_ascii=False) if result is not None else None)).rowcount
        return bool(n)

    def get(self, job_id: int) -> JobRow:
        with self.tx.read() as c:
            r = c.execute(select(jobs).where(jobs.c.id == job_id)).mappings().first()
        if r is None:
            raise NotFound(f"no job {job_id}")
        return _job(r)

    def recent(self, n: int = 10, user_id: int | None = None) -> list[JobRow]:
        stmt = select(jobs).order_by(jobs.c.id.desc()).limit(n)
        if user_id is not None:
            stmt = stmt.where(jobs.c.user_id == user_id)
        with self.tx.read() as c:
            return [_job(r) for r in c.execute(stmt).mappings()]

    def pending(self) -> int:
        with self.tx.read() as c:
            return int(c.execute(select(func.count()).where(jobs.c.status.in_(("queued", "running")))).scalar_one())

    # -- uploaded files ----------------------------------------------------------------------------
    def put_upload(self, name: str, sha256: str, content: bytes, user_id: int | None, now: str) -> int:
        with self.tx.write() as c:
            return int(c.execute(insert(uploads).values(name=name, sha256=sha256, content=content, user_id=user_id,
                                                        created_at=now).returning(uploads.c.id)).scalar_one())

    def upload(self, upload_id: int, user_id: int | None = None) -> tuple[str, bytes]:
        """An uploaded file's name and bytes (`user_id`: only if that user uploaded it)."""
        stmt = select(uploads.c.name, uploads.c.content).where(uploads.c.id == upload_id)
        if user_id is not None:
            stmt = stmt.where(uploads.c.user_id == user_id)
        with self.tx.read() as c:
            r = c.execute(stmt).first()
        if r is None:
            raise NotFound(f"no upload {upload_id}")
        return str(r[0]), bytes(r[1])
