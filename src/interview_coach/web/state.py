"""What one running app holds: the bank connection, the services, caches, upload settings."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request

from ..bank.store import Store
from ..study import display
from .jobs import ImportJobs
from .services import EngineService, GraderService, content_stamp

T = TypeVar("T")

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # per file
MAX_UPLOAD_FILES = 50


@dataclass(frozen=True, slots=True)
class Options:
    db_path: Path
    uploads_dir: Path
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    allow_paths: bool = True  # import from a folder path typed in the browser (loopback servers only)
    warm: bool = True  # build the search engine and the grader at start-up


class AppState:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.db_path = str(options.db_path)
        self.store = Store.open(options.db_path)
        self._lock = threading.RLock()
        self.work = threading.Lock()
        self.engine = EngineService(self.db_path, self.work)
        self.grader = GraderService(self.db_path)
        self.jobs = ImportJobs(self.db_path, self.engine, options.max_upload_bytes)
        self._data_version: int | None = None
        self.stamp = content_stamp(self.store)
        self.generation = 0
        self._cache: dict[Any, Any] = {}
        self._cache_generation = 0
        self._running = 0
        self._closed = False

    def start(self) -> None:
        """Start-up (lifespan): reopen after a previous shutdown, warm the services."""
        with self._lock:
            self._running += 1
            if self._closed:
                self.store = Store.open(self.options.db_path)
                self._closed = False
                self._data_version = None
        self.grader.open()
        if self.options.warm:
            self.engine.request()
            self.grader.warm(self.stamp)

    def close(self) -> None:
        """Shutdown (lifespan): the last one out closes the connections."""
        with self._lock:
            self._running = max(self._running - 1, 0)
            if self._running or self._closed:
                return
            self.grader.close()
            self.store.close()
            self._closed = True

    @contextmanager
    def bank(self) -> Iterator[Store]:
        """The shared connection, one request at a time (reads take a millisecond or two)."""
        with self._lock:
            self._refresh()
            yield self.store

    def _refresh(self) -> None:
        """Notice commits by other connections (imports, the CLI) and drop what they made stale."""
        dv = self.store.content_version()
        if dv == self._data_version:
            return
        self._data_version = dv
        self._restamp()

    def _restamp(self) -> None:
        stamp = content_stamp(self.store)
        self.generation += 1  # any commit may change what pages show (reviews, settings)
        if stamp != self.stamp:
            self.stamp = stamp
            self.engine.check(stamp)

    def changed(self) -> None:
        """This connection wrote something (a removal, a setting): recompute what depends on it."""
        with self._lock:
            self._restamp()

    def cached(self, key: Any, build: Callable[[], T]) -> T:
        """A value derived from the bank, kept until the bank changes. Call inside `bank()`."""
        if self._cache_generation != self.generation:
            self._cache.clear()
            self._cache_generation = self.generation
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]  # type: ignore[no-any-return]

    def title(self, store: Store, question_id: str, script: str) -> str:
        """A question's text in `script` (cached). Call inside `bank()`."""
        def build() -> str:
            return display.question_text(store.question(question_id), script).text

        return self.cached(("title", question_id, script), build)

    def script(self) -> str:
        with self.bank() as store:
            return store.setting("script")


def app_state(request: Request) -> AppState:
    return request.app.state.coach  # type: ignore[no-any-return]
