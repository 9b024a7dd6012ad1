"""Imports as jobs in the bank's queue: any worker process takes them (ingest, embed what is new,
relink), reports progress with a heartbeat, and a job whose worker died is taken again by
another one. Uploaded files are read from the bank, so the worker need not be the one that
received them. Progress is polled through `/api/import/jobs/{id}`."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..bank.jobqueue import JobRow
from ..bank.store import Store
from ..errors import NotFound
from ..ingest.pipeline import FileReport, ingest_bytes, ingest_paths
from ..search import linking
from ..search.engine import SearchEngine

log = logging.getLogger("interview_coach.web")

IMPORT = "import"
POLL = 0.5  # seconds between looks at the queue when idle
BEAT = 2.0  # seconds between heartbeats while working


def _iso(t: datetime | None = None) -> str:
    return (t or datetime.now(UTC)).isoformat(timespec="milliseconds")


def file_json(f: FileReport, shown: str | None = None) -> dict[str, Any]:
    return {
        "path": f.path, "name": shown or Path(f.path.removeprefix("upload:")).name, "status": f.status,
        "items": f.items, "answered": f.answered, "unanswered": max(f.items - f.answered, 0),
        "shapes": list(f.shapes), "encoding": f.encoding, "error": f.error,
        "notices": [{"line": line, "message": msg} for line, msg in f.notices],
        "added": f.sync.added if f.sync else 0, "updated": f.sync.updated if f.sync else 0,
        "removed": f.sync.removed if f.sync else 0, "hints": dict(f.hints),
        "groups": [{"kind": g.kind, "first_line": g.first, "last_line": g.last, "items": g.items,
                    "first_lines": list(g.sample), "refused": g.why is not None, "why": g.why} for g in f.groups],
    }


def job_json(job: JobRow) -> dict[str, Any]:
    """What the import page and the API show of a job."""
    progress = job.progress or {}
    result = job.result or {}
    rejected = job.payload.get("rejected", [])
    files = result.get("files") or progress.get("files") or []
    phase = progress.get("phase") if job.status == "running" else None
    state = {"queued": "queued", "running": phase or "ingesting", "done": "done", "error": "error"}[job.status]
    stamp = lambda iso: datetime.fromisoformat(iso).timestamp() if iso else None  # noqa: E731
    return {
        "id": str(job.id), "state": state, "running": job.status in ("queued", "running"),
        "started": stamp(job.started_at or job.created_at), "finished": stamp(job.finished_at),
        "files_done": progress.get("files_done", len(files)), "files_total": progress.get("files_total", len(files)),
        "progress": progress.get("bar"), "files": rejected + files, "links": result.get("links"),
        "questions": result.get("questions"), "error": job.error, "attempts": job.attempts,
        "ok": job.status == "done" and not rejected and all(f["status"] != "error" for f in files),
    }


class JobRunner:
    """One per app process: a thread that takes jobs from the bank's queue and runs them."""

    def __init__(self, store: Store, engine: Any, stale_after: float = 30.0) -> None:
        self.store = store
        self.engine = engine  # the process's EngineService, told to rebuild after an import
        self.stale_after = stale_after
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="coach-jobs", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def submit(self, payload: dict[str, Any], user_id: int | None) -> int:
        job_id = self.store.jobs.enqueue(IMPORT, payload, user_id, _iso())
        self._wake.set()
        return job_id

    def recent(self, user_id: int | None, n: int = 10) -> list[JobRow]:
        return self.store.jobs.recent(n, user_id)

    def get(self, job_id: str, user_id: int | None) -> JobRow:
        """A job of this user (or any job, for `user_id=None`); NotFound for anyone else's."""
        try:
            job = self.store.jobs.get(int(job_id))
        except ValueError:
            raise NotFound(f"no import job {job_id!r}") from None
        if user_id is not None and job.user_id != user_id:
            raise NotFound(f"no import job {job_id!r}")
        return job

    # -- the worker ------------------------------------------------------------------------------
    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                stale = _iso(datetime.now(UTC) - timedelta(seconds=self.stale_after))
                job = self.store.jobs.claim(self.worker, _iso(), stale)
            except Exception:  # the bank is busy or away: try again soon
                log.exception("looking at the job queue failed")
                job = None
            if job is None:
                self._wake.wait(POLL)
                self._wake.clear()
                continue
            self._run(job)

    def _run(self, job: JobRow) -> None:
        progress: dict[str, Any] = {"phase": "ingesting", "files": [], "files_done": 0, "files_total": 0}
        last = [0.0]

        def beat(force: bool = False) -> None:
            if force or time.monotonic() - last[0] >= BEAT:
                last[0] = time.monotonic()
                if not self.store.jobs.beat(job.id, self.worker, _iso(), progress):
                    raise _Lost()

        try:
            result = self._import(job, progress, beat)
            self.store.jobs.finish(job.id, self.worker, _iso(), result=result)
        except _Lost:
            log.warning("job %s was taken over by another worker", job.id)
        except Exception as e:  # reported on the job; the worker goes on
            log.exception("job %s failed", job.id)
            self.store.jobs.finish(job.id, self.worker, _iso(), error=f"{type(e).__name__}: {e}")
        finally:
            self.engine.request()

    def _import(self, job: JobRow, progress: dict[str, Any], beat: Any) -> dict[str, Any]:
        p = job.payload
        names: dict[str, str] = p.get("names", {})
        uploads: list[list[Any]] = p.get("uploads", [])  # [upload id, source name]
        paths: list[str] = p.get("paths", [])
        hints: dict[str, dict[str, str]] = p.get("hints", {})  # by source name or resolved path
        progress["files_total"] = len(uploads) + len(paths)
        beat(force=True)

        def done(f: FileReport) -> None:
            progress["files"].append(file_json(f, names.get(f.path)))
            progress["files_done"] = len(progress["files"])
            progress["bar"] = {"label": "reading files", "done": progress["files_done"],
                               "total": progress["files_total"]}
            beat(force=True)

        for upload_id, source in uploads:
            _, data = self.store.jobs.upload(int(upload_id))
            done(ingest_bytes(self.store, source, data, hints=hints.get(source)))
        if paths:
            ingest_paths(self.store, paths, on_file=lambda f, k, n: done(f), hints=hints)
        links = None
        if self.store.link_pending():
            def build() -> SearchEngine:
                progress["phase"] = "indexing"

                def step(label: str, d: int, t: int) -> None:
                    progress["bar"] = {"label": label, "done": d, "total": t}
                    beat()

                engine = SearchEngine.build(self.store, progress=step)
                progress["phase"], progress["bar"] = "linking", {"label": "linking questions across files and "
                                                                          "languages", "done": 0, "total": 0}
                beat(force=True)
                return engine

            r = linking.relink(self.store, build)
            links = {"items": r.items, "questions_before": r.questions_before, "questions_after": r.questions_after,
                     "auto_links": r.auto_links, "merged": r.merged}
        return {"files": progress["files"], "links": links, "questions": self.store.stats()["questions"]}


class _Lost(Exception):
    """Another worker took this job over (this one was thought dead): stop working on it."""
