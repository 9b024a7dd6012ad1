"""Imports as background jobs: ingest (one transaction per file), embed what is new, relink,
swap in the new search engine. A job's progress is polled through `/api/import/jobs/{id}`."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bank.store import Store
from ..errors import NotFound
from ..ingest.pipeline import FileReport, ingest_paths
from ..search import linking
from ..search.engine import SearchEngine
from .services import EngineService, content_stamp

log = logging.getLogger("interview_coach.web")

KEEP_JOBS = 50


def file_json(f: FileReport, shown: str | None = None) -> dict[str, Any]:
    return {
        "path": f.path, "name": shown or Path(f.path).name, "status": f.status, "items": f.items,
        "answered": f.answered, "unanswered": max(f.items - f.answered, 0), "shapes": list(f.shapes),
        "encoding": f.encoding, "error": f.error,
        "notices": [{"line": line, "message": msg} for line, msg in f.notices],
        "added": f.sync.added if f.sync else 0, "updated": f.sync.updated if f.sync else 0,
        "removed": f.sync.removed if f.sync else 0, "hints": dict(f.hints),
        "groups": [{"kind": g.kind, "first_line": g.first, "last_line": g.last, "items": g.items,
                    "first_lines": list(g.sample), "refused": g.why is not None, "why": g.why} for g in f.groups],
    }


@dataclass
class Job:
    id: str
    paths: list[str]
    names: dict[str, str] = field(default_factory=dict)  # resolved path -> name to show
    hints: dict[str, dict[str, str]] = field(default_factory=dict)  # resolved path -> layout hints given
    state: str = "queued"  # queued, ingesting, indexing, linking, done, error
    started: float = field(default_factory=time.time)
    finished: float | None = None
    files_done: int = 0
    files_total: int = 0
    progress: dict[str, Any] | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)  # refused before ingest (uploads)
    links: dict[str, Any] | None = None
    questions: int | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def finished_ok(self) -> bool:
        return self.state == "done"

    @property
    def running(self) -> bool:
        return self.state not in ("done", "error")

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "state": self.state, "running": self.running, "started": self.started,
            "finished": self.finished, "files_done": self.files_done, "files_total": self.files_total,
            "progress": self.progress, "files": self.rejected + self.files, "links": self.links,
            "questions": self.questions, "error": self.error,
            "ok": self.state == "done" and not self.rejected and all(f["status"] != "error" for f in self.files),
        }


class ImportJobs:
    def __init__(self, db_path: str, engine: EngineService, max_bytes: int) -> None:
        self.db_path = db_path
        self.engine = engine
        self.max_bytes = max_bytes
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def start(self, paths: list[Path], *, names: dict[str, str] | None = None,
              rejected: list[dict[str, Any]] | None = None, hints: dict[str, dict[str, str]] | None = None) -> Job:
        job = Job(id=f"j{next(self._ids)}", paths=[str(p) for p in paths], names=names or {},
                  rejected=rejected or [], hints=hints or {})
        with self._lock:
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-KEEP_JOBS]:
                del self._jobs[old]
        threading.Thread(target=self._run, args=(job,), name=f"coach-import-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no import job {job_id!r} (jobs are kept while the server runs)")
        return job

    def recent(self, n: int = 10) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())[-n:][::-1]

    def _run(self, job: Job) -> None:
        try:
            if not job.paths:
                job.state = "done"
                return
            job.progress = {"label": "waiting for the search index to finish", "done": 0, "total": 0}
            with self.engine.work:
                store = Store.open(self.db_path)
                try:
                    self._import(store, job)
                finally:
                    store.close()
            job.state = "done"
        except Exception as e:  # shown on the job page; the server keeps running
            log.exception("import job %s failed", job.id)
            job.state, job.error = "error", f"{type(e).__name__}: {e}"
        finally:
            job.finished = time.time()
            job.progress = None
            job.done.set()

    def _import(self, store: Store, job: Job) -> None:
        job.state = "ingesting"

        def on_file(f: FileReport, k: int, n: int) -> None:
            job.files_done, job.files_total = k, n
            job.files.append(file_json(f, job.names.get(f.path) or job.names.get(str(Path(f.path).resolve()))))
            job.progress = {"label": "reading files", "done": k, "total": n}

        report = ingest_paths(store, job.paths, max_bytes=self.max_bytes, on_file=on_file, hints=job.hints or None)
        if any(f.status in ("new", "updated") for f in report.files):
            job.state = "indexing"

            def step(label: str, done: int, total: int) -> None:
                job.progress = {"label": label, "done": done, "total": total}

            engine = SearchEngine.build(store, progress=step)
            job.state = "linking"
            job.progress = {"label": "linking questions across files and languages", "done": 0, "total": 0}
            r = linking.relink(store, engine)
            job.links = {"items": r.items, "questions_before": r.questions_before,
                         "questions_after": r.questions_after, "auto_links": r.auto_links, "merged": r.merged}
            # linking changed canonical ids: the engine must see them (vectors are cached now)
            self.engine.install(SearchEngine.build(store), content_stamp(store.conn))
        job.questions = store.stats()["questions"]
