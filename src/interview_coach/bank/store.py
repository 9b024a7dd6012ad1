"""The store: the only door to the database. `Store.open(path_or_url)` is the entry point.

A `Store` is bound to one user (`LOCAL_USER` for a local bank; `for_user(id)` in team mode):
team data (sources, items, questions, links, embeddings) is shared, user data (reviews, cards,
settings) is read and written for that user only. Every method runs in its own transaction,
or joins the one opened by `writing()` / `reading()` in the same thread, so a caller can make
several calls one all-or-nothing unit without touching SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NotFound
from . import catalog, links, meta, settings, sync, topics
from . import vectors as vector_cache
from .catalog import QuestionView
from .database import Transactions, display_name, is_url, open_engine
from .jobqueue import JobQueue
from .mocks import MockLog
from .profiles import JobProfiles
from .reviews import ReviewLog
from .schema import LOCAL_USER
from .types import Filters, Item, ItemData, Source, SyncReport
from .users import Users

__all__ = ["QuestionView", "Store", "LOCAL_USER"]


class Store:
    def __init__(self, tx: Transactions, target: str, user_id: int = LOCAL_USER) -> None:
        self.tx = tx
        self.target = target
        self.user_id = user_id
        self.reviews = ReviewLog(tx, user_id)  # this user's review log and cards
        self.users = Users(tx)  # accounts, sessions, invitations (team mode)
        self.jobs = JobQueue(tx)  # long work any worker can take, and uploaded files
        self.profiles = JobProfiles(tx, user_id)  # this user's job profiles
        self.mocks = MockLog(tx, user_id)  # this user's mock interviews and their answers

    @classmethod
    def open(cls, target: Path | str, user_id: int = LOCAL_USER) -> Store:
        """The bank at a file path (SQLite) or a `postgresql://` URL, migrated to the current schema."""
        name = str(target) if is_url(target) else str(Path(target).expanduser())
        engine = open_engine(name if is_url(name) else Path(name))
        return cls(Transactions(engine, display_name(name)), name, user_id)

    def for_user(self, user_id: int) -> Store:
        """The same bank, seen by another user (shares the connection pool)."""
        return Store(self.tx, self.target, user_id)

    def close(self) -> None:
        self.tx.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- where it is ---------------------------------------------------------------------------
    @property
    def path(self) -> str:
        """The bank as shown to people (a URL without its password)."""
        return self.tx.name

    @property
    def file(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        return None if is_url(self.target) or self.target == ":memory:" else Path(self.target)

    @property
    def dialect(self) -> str:
        return self.tx.engine.dialect.name

    # -- transactions ----------------------------------------------------------------------------
    @contextmanager
    def writing(self, lock: str | None = None) -> Iterator[None]:
        """One all-or-nothing write transaction for every store call in the block (this thread);
        `lock="link"` also serialises it with every other linker (PostgreSQL advisory lock)."""
        with self.tx.write(lock):
            yield

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One consistent snapshot for every store call in the block."""
        with self.tx.read():
            yield

    def _read(self, fn: Callable[..., Any], *args: Any) -> Any:
        with self.tx.read() as c:
            return fn(c, *args)

    def _write(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with self.tx.write() as c:
            return fn(c, *args, **kwargs)

    # -- sources -----------------------------------------------------------------------------------
    def sources(self) -> list[Source]:
        return self._read(catalog.list_sources)  # type: ignore[no-any-return]

    def source(self, path: str) -> Source | None:
        found = self._read(catalog.list_sources, path)
        return found[0] if found else None

    def source_hash(self, path: str) -> str | None:
        return self._read(catalog.source_hash, path)  # type: ignore[no-any-return]

    def source_counts(self, path: str) -> tuple[int, int]:
        return self._read(catalog.source_counts, path)  # type: ignore[no-any-return]

    def source_hints(self, path: str) -> dict[str, str]:
        return self._read(sync.source_hints, path)  # type: ignore[no-any-return]

    def sync_source(self, *, path: str, sha256: str, encoding: str, size: int, shapes: list[str],
                    notices: list[tuple[int, str]], items: list[ItemData] | Callable[[], list[ItemData]],
                    hints: dict[str, str] | None = None) -> SyncReport:
        """Make the bank hold exactly `items` for `path`, in one transaction."""
        return self._write(sync.sync_source, path=path, sha256=sha256, encoding=encoding,  # type: ignore[no-any-return]
                           size=size, shapes=shapes, notices=notices, items_=items, hints=hints)

    def move_source(self, old_path: str, new_path: str) -> None:
        self._write(sync.move_source, old_path, new_path)

    def set_source_hints(self, path: str, hints: dict[str, str]) -> None:
        """Store the layout hints of an ingested source (they are applied on every re-ingest)."""
        if not self._write(sync.set_source_hints, path, hints):
            raise NotFound(f"no source {path!r} in the bank (see `coach sources`)")

    def remove_source(self, path: str) -> int:
        n = self._write(sync.remove_source, path)
        if n is None:
            raise NotFound(f"no source {path!r} in the bank (see `coach sources`)")
        return int(n)

    # -- items and questions -------------------------------------------------------------------
    def items(self, filters: Filters | None = None) -> list[Item]:
        return self._read(catalog.list_items, filters)  # type: ignore[no-any-return]

    def item(self, item_id: str) -> Item:
        return self._read(catalog.get_item, item_id)  # type: ignore[no-any-return]

    def question(self, ident: str) -> QuestionView:
        return self._read(catalog.get_question, ident)  # type: ignore[no-any-return]

    def questions(self, filters: Filters | None = None) -> list[QuestionView]:
        return self._read(catalog.list_questions, filters)  # type: ignore[no-any-return]

    def answered_questions(self) -> set[str]:
        """Ids of the canonical questions that have at least one answer (one query)."""
        return self._read(catalog.answered_questions)  # type: ignore[no-any-return]

    def questions_by_ids(self, ids: Sequence[str]) -> list[QuestionView]:
        """The canonical questions with these ids, in bank order (unknown ids skipped)."""
        return self._read(catalog.questions_by_ids, list(ids))  # type: ignore[no-any-return]

    def question_exists(self, question_id: str) -> bool:
        return self._read(catalog.question_exists, question_id)  # type: ignore[no-any-return]

    def stats(self) -> dict[str, Any]:
        return self._read(catalog.stats)  # type: ignore[no-any-return]

    # -- what derived data depends on --------------------------------------------------------------
    def content_stamp(self) -> str:
        """A hash of what search indexes and graders are built from."""
        with self.tx.read() as c:
            return catalog.content_stamp(c, settings.get(c, "embedding_model", self.user_id))

    def content_version(self) -> int:
        """Goes up with every committed change of team content (one cheap query)."""
        return self._read(meta.content_version)  # type: ignore[no-any-return]

    def link_pending(self) -> bool:
        """Files were stored (or links decided) since the last complete linking."""
        return self.link_state() != ""

    def link_state(self) -> str:
        """"", "1" (linking did not finish: interrupted) or "skipped" (ingested with --no-link)."""
        return self._read(meta.link_state)  # type: ignore[no-any-return]

    def flag(self, key: str) -> str | None:
        return self._read(meta.get, key)  # type: ignore[no-any-return]

    def set_flag(self, key: str, value: str) -> None:
        self._write(meta.put, key, value)

    # -- settings ----------------------------------------------------------------------------------
    def setting(self, key: str) -> str:
        return self._read(settings.get, key, self.user_id)  # type: ignore[no-any-return]

    def set_setting(self, key: str, value: str) -> None:
        self._write(settings.set_, key, value, self.user_id)

    def settings(self) -> dict[str, str]:
        return self._read(settings.all_, self.user_id)  # type: ignore[no-any-return]

    # -- embeddings ----------------------------------------------------------------------------------
    def cached_vectors(self, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        return self._read(vector_cache.cached, model_id, hashes)  # type: ignore[no-any-return]

    def put_vectors(self, model_id: str, rows: Sequence[tuple[str, np.ndarray]]) -> None:
        self._write(vector_cache.put, model_id, rows)

    # -- links -----------------------------------------------------------------------------------------
    def link_decisions(self) -> list[tuple[str, str, str]]:
        return self._read(links.decisions)  # type: ignore[no-any-return]

    def decide_links(self, pairs: list[tuple[str, str]], decision: str) -> None:
        self._write(links.decide, pairs, decision)

    def assign_links(self, groups: list[list[str]], old_q: dict[str, str]) -> tuple[int, int, int]:
        """Apply a grouping of items into canonical questions (see `links.assign`)."""
        return self._write(links.assign, groups, old_q)  # type: ignore[no-any-return]

    # -- topic tags (team data) -------------------------------------------------------------------------
    def topic_tags(self) -> dict[str, list[tuple[str, float]]]:
        """Automatic tags: question id -> [(topic, score)], best first."""
        return self._read(topics.auto_tags)  # type: ignore[no-any-return]

    def topic_stamps(self) -> dict[str, str]:
        return self._read(topics.stamps)  # type: ignore[no-any-return]

    def put_topic_tags(self, rows: list[tuple[str, str, list[tuple[str, float]]]]) -> None:
        """Replace the automatic tags of each (question id, text hash, [(topic, score)])."""
        self._write(topics.put_auto, rows)

    def decide_topic(self, question_id: str, topic: str, decision: str) -> None:
        """A person adds or removes a topic of a question (wins over the automatic tags, persists)."""
        if decision not in ("add", "remove"):
            raise ValueError(f"decision must be add or remove, not {decision!r}")
        self._write(topics.decide, question_id, topic, decision, self.user_id)

    def topic_decisions(self) -> list[tuple[str, str, str]]:
        return self._read(topics.decisions)  # type: ignore[no-any-return]
