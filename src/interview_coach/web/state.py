"""What one running app (one worker process) holds: the store, the services built from the
team's bank, caches, and the job runner — and, per request, a view of it for the signed-in user.

Nothing here is the truth: every worker rebuilds what it holds from the store, and notices
another worker's (or the CLI's) writes through the bank's content version (one cheap query per
request), so several workers on one PostgreSQL serve the same bank.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Depends, Request

from ..bank.store import Store
from ..bank.users import User
from ..study import display
from .auth import current_user
from .jobs import JobRunner
from .services import EngineService, GraderService

T = TypeVar("T")

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # per file
MAX_UPLOAD_FILES = 50


@dataclass(frozen=True, slots=True)
class Options:
    db: str  # a bank file or a postgresql:// URL
    team: bool = False  # accounts and roles; otherwise one local user, no sign-in
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    allow_paths: bool = True  # import from a folder path typed in the browser (local, loopback servers only)
    warm: bool = True  # build the search engine and the grader at start-up
    secure_cookies: bool = False  # mark cookies Secure even on plain http (behind a TLS proxy)
    job_stale_seconds: float = 30.0  # a job whose worker has not beaten for this long is taken again
    run_jobs: bool = True  # this process takes jobs from the queue


class AppState:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.db_path = options.db
        self.store = Store.open(options.db)
        self._lock = threading.RLock()
        self.work = threading.Lock()
        self.engine = EngineService(self.db_path, self.work)
        self.grader = GraderService(self.db_path)
        self.jobs = JobRunner(self.store, self.engine, options.job_stale_seconds)
        self._version: int | None = None
        self.stamp = self.store.content_stamp()
        self._cache: dict[Any, Any] = {}
        self._running = 0
        self.setup_code: str | None = None  # team mode, no admin yet: the code `coach serve` prints
        self.idle()

    def idle(self) -> None:
        """Close pooled connections (they are opened again when needed): an app that is built
        but never started, or stopped, holds none."""
        self.store.tx.engine.dispose()

    def start(self) -> None:
        """Start-up (lifespan): warm the services, take jobs."""
        with self._lock:
            self._running += 1
        self.grader.open()
        if self.options.run_jobs:
            self.jobs.start()
        if self.options.warm:
            self.engine.request()
            self.grader.warm(self.stamp)

    def close(self) -> None:
        """Shutdown (lifespan): the last one out stops the jobs and closes the connections."""
        with self._lock:
            self._running = max(self._running - 1, 0)
            if self._running:
                return
        self.jobs.stop()
        self.engine.close()
        self.grader.close()
        self.idle()

    @contextmanager
    def bank(self, user_id: int | None = None) -> Iterator[Store]:
        """The store (seen by `user_id`, default the local user), after noticing others' writes."""
        self._refresh()
        yield self.store if user_id is None else self.store.for_user(user_id)

    def _refresh(self) -> None:
        """Notice commits by other workers, imports and the CLI; drop what they made stale."""
        version = self.store.content_version()
        with self._lock:
            if version == self._version:
                return
            self._version = version
            self._cache.clear()
        stamp = self.store.content_stamp()
        if stamp != self.stamp:
            self.stamp = stamp
            self.engine.check(stamp)

    def changed(self) -> None:
        """This process wrote something: recompute what depends on it."""
        self._refresh()

    def cached(self, key: Any, build: Callable[[], T]) -> T:
        """A value derived from the team's bank, kept until its content changes."""
        with self._lock:
            if key in self._cache:
                return self._cache[key]  # type: ignore[no-any-return]
        value = build()
        with self._lock:
            self._cache[key] = value
        return value

    def title(self, store: Store, question_id: str, script: str) -> str:
        """A question's text in `script` (cached)."""
        return self.cached(("title", question_id, script),
                           lambda: display.question_text(store.question(question_id), script).text)


class UserState:
    """The app seen by one signed-in user: the same services, the store scoped to the user."""

    def __init__(self, st: AppState, user: User) -> None:
        self.st = st
        self.user = user
        self.options = st.options
        self.engine = st.engine
        self.grader = st.grader

    @property
    def stamp(self) -> str:
        return self.st.stamp

    def bank(self) -> Any:
        return self.st.bank(self.user.id)

    def cached(self, key: Any, build: Callable[[], T]) -> T:
        return self.st.cached(key, build)

    def title(self, store: Store, question_id: str, script: str) -> str:
        return self.st.title(store, question_id, script)

    def changed(self) -> None:
        self.st.changed()

    def script(self) -> str:
        with self.bank() as store:
            return store.setting("script")

    @property
    def jobs(self) -> JobRunner:
        return self.st.jobs

    @property
    def job_owner(self) -> int | None:
        """Whose jobs this user may see: their own (admins see every job)."""
        return None if self.user.role == "admin" else self.user.id


def app_state(request: Request, user: User = Depends(current_user)) -> UserState:
    view = UserState(request.app.state.coach, user)
    request.state.script_of = view.script
    return view


__all__ = ["AppState", "Options", "UserState", "app_state", "MAX_UPLOAD_BYTES", "MAX_UPLOAD_FILES"]
