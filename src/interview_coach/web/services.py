"""The expensive things a server keeps: the search engine and the grader.

Each is built once per app, in a background thread, on its own SQLite connection (WAL lets
requests read meanwhile), and rebuilt only when the bank's content changes: which items
exist, which canonical question each belongs to, the sources' hashes and the embedding
model (`content_stamp`). Until a rebuild is done the previous engine keeps answering.

One lock (`work`) serialises every job that embeds or relinks (index builds and imports),
so two of them never fight over the cores or the bank's write lock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Any

from ..bank.store import Store
from ..search.engine import Hit, SearchEngine
from ..study.bank_grading import BankGrader
from ..study.grading import Grade

log = logging.getLogger("interview_coach.web")

QUERY_CACHE = 512  # recent searches remembered per engine (a query embedding costs 30-60 ms)


def content_stamp(store: Store) -> str:
    """What the engine and the grader are derived from; equal stamps mean nothing to rebuild."""
    return store.content_stamp()


class EngineService:
    """The app's one SearchEngine: built lazily in a background thread, swapped in when ready."""

    def __init__(self, db_path: str, work: threading.Lock) -> None:
        self.db_path = db_path
        self.work = work
        self._cond = threading.Condition()
        self._engine: SearchEngine | None = None
        self._stamp: str | None = None
        self._state = "idle"  # idle, building, ready, error
        self._progress: dict[str, Any] | None = None
        self._error: str | None = None
        self._wanted = False
        self._thread: threading.Thread | None = None
        self.builds = 0
        self.built_at: float | None = None
        self._hits: OrderedDict[tuple[Any, ...], list[Hit]] = OrderedDict()

    # -- asking for it -----------------------------------------------------------------------
    def close(self, timeout: float = 120.0) -> None:
        """Wait for a build under way (none is started after this until `request` is called again)."""
        with self._cond:
            self._wanted = False
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def request(self) -> None:
        """Build (or rebuild) soon, in the background; several requests make one build."""
        with self._cond:
            self._wanted = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="coach-search-index", daemon=True)
                self._thread.start()

    def check(self, stamp: str) -> None:
        """The bank now has content `stamp`: rebuild if the engine was built from something else."""
        with self._cond:
            stale = self._stamp is not None and stamp != self._stamp
        if stale:
            self.request()

    def get(self, timeout: float = 0.0) -> SearchEngine | None:
        """The current engine, waiting up to `timeout` s for the first one; None if not ready."""
        with self._cond:
            if self._engine is None and self._thread is None and self._state != "error":
                self._wanted = True
                self._thread = threading.Thread(target=self._run, name="coach-search-index", daemon=True)
                self._thread.start()
            deadline = time.monotonic() + timeout
            while self._engine is None and self._state != "error":
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return self._engine

    def search(self, engine: SearchEngine, query: str, k: int, lang: str | None,
               source: str | None) -> list[Hit]:
        """`engine.search`, remembered per engine: typing and paging repeat the same queries."""
        key = (id(engine), query, k, lang, source)
        with self._cond:
            hits = self._hits.get(key)
            if hits is not None:
                self._hits.move_to_end(key)
                return hits
        hits = engine.search(query, k, lang, source)
        with self._cond:
            if engine is self._engine:
                self._hits[key] = hits
                while len(self._hits) > QUERY_CACHE:
                    self._hits.popitem(last=False)
        return hits

    def install(self, engine: SearchEngine, stamp: str) -> None:
        with self._cond:
            self._hits.clear()
            self._engine, self._stamp = engine, stamp
            self._state, self._progress, self._error = "ready", None, None
            self.builds += 1
            self.built_at = time.time()
            self._cond.notify_all()

    def progress(self, label: str, done: int, total: int) -> None:
        with self._cond:
            self._progress = {"label": label, "done": done, "total": total}

    def status(self) -> dict[str, Any]:
        with self._cond:
            state = "building" if self._thread is not None and self._state != "error" else self._state
            return {"state": state, "ready": self._engine is not None, "progress": self._progress,
                    "error": self._error, "builds": self.builds}

    # -- building ----------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._wanted:
                    self._thread = None
                    if self._engine is not None and self._state != "error":
                        self._state = "ready"
                    self._cond.notify_all()
                    return
                self._wanted = False
                self._state = "building"
            try:
                with self.work:
                    store = Store.open(self.db_path)
                    try:
                        stamp = content_stamp(store)
                        with self._cond:
                            fresh = self._engine is not None and stamp == self._stamp
                        if not fresh:
                            engine = SearchEngine.build(store, progress=self.progress)
                            if self._engine is None:  # first queries load tokenizers and dictionaries
                                engine.search("warm up 预热", 1)
                            self.install(engine, stamp)
                    finally:
                        store.close()
            except Exception as e:  # a failed build is reported on /api/status, never a crash
                log.exception("building the search index failed")
                with self._cond:
                    self._state, self._error = "error", f"{type(e).__name__}: {e}"
                    self._cond.notify_all()


class GraderService:
    """One BankGrader (its comparison set takes ~1 s to embed), rebuilt after content changes."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._grader: BankGrader | None = None
        self._stamp: str | None = None
        self._closed = False

    def _ready(self, stamp: str | None) -> BankGrader:
        if self._store is None:
            self._store = Store.open(self.db_path)
        if self._grader is None or (stamp is not None and stamp != self._stamp):
            self._grader = BankGrader(self._store)
            self._stamp = stamp if stamp is not None else content_stamp(self._store)
        return self._grader

    def grade(self, question_id: str, answer: str, stamp: str | None = None) -> Grade:
        with self._lock:
            try:
                return self._ready(stamp).grade(question_id, answer)
            finally:
                if self._closed:
                    self._release()

    def warm(self, stamp: str | None = None) -> None:
        def run() -> None:
            with self._lock:
                try:
                    self._ready(stamp)
                except Exception:  # the next grade() reports it
                    log.exception("preparing the grader failed")
                finally:
                    if self._closed:
                        self._release()

        threading.Thread(target=run, name="coach-grader", daemon=True).start()

    def ready(self) -> bool:
        return self._grader is not None

    def open(self) -> None:
        self._closed = False

    def _release(self) -> None:
        if self._store is not None:
            self._store.close()
        self._store = self._grader = None

    def close(self) -> None:
        """Close now if idle, else as soon as the grading or warm-up under way is done."""
        self._closed = True
        if self._lock.acquire(blocking=False):
            try:
                self._release()
            finally:
                self._lock.release()
