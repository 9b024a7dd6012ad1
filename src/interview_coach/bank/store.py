"""The bank's read side and its entry point: `Store.open(path)`."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import NotFound
from . import sync
from .codec import item_from_row
from .db import connect
from .types import Filters, Item, Source

_ITEM_SELECT = "SELECT items.*, sources.path AS path FROM items JOIN sources ON sources.id = items.source_id"


@dataclass(slots=True)
class QuestionView:
    """A canonical question with every item (variant) that asks it."""

    question_id: str
    items: list[Item]

    @property
    def primary(self) -> Item:
        answered = [i for i in self.items if i.answer]
        return (answered or self.items)[0]

    @property
    def langs(self) -> list[str]:
        seen: dict[str, None] = {}
        for it in self.items:
            seen[it.lang] = None
            for lang in it.translations:
                seen[lang] = None
        return list(seen)


class Store:
    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path | str) -> Store:
        return cls(connect(path), str(path))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sources ---------------------------------------------------------------
    def sources(self) -> list[Source]:
        rows = self.conn.execute(
            "SELECT sources.*, (SELECT COUNT(*) FROM items WHERE items.source_id = sources.id) AS n "
            "FROM sources ORDER BY path").fetchall()
        return [
            Source(r["id"], r["path"], r["sha256"], r["encoding"], r["size"], json.loads(r["shapes"]),
                   [tuple(x) for x in json.loads(r["notices"])], r["ingested_at"], r["n"])
            for r in rows
        ]

    def source_hash(self, path: str) -> str | None:
        row = self.conn.execute("SELECT sha256 FROM sources WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def source_counts(self, path: str) -> tuple[int, int]:
        """(items, answered items) stored for a source."""
        row = self.conn.execute(
            "SELECT COUNT(*), COUNT(answer) FROM items JOIN sources ON sources.id = items.source_id "
            "WHERE sources.path = ?", (path,)).fetchone()
        return int(row[0]), int(row[1])

    def source_hints(self, path: str) -> dict[str, str]:
        """The layout hints stored with a source ({} for none, or for an unknown source)."""
        row = self.conn.execute("SELECT hints FROM sources WHERE path = ?", (path,)).fetchone()
        return dict(json.loads(row[0])) if row else {}

    def set_source_hints(self, path: str, hints: dict[str, str]) -> None:
        """Store the layout hints of an ingested source (they are applied on every re-ingest)."""
        cur = self.conn.execute("UPDATE sources SET hints = ? WHERE path = ?",
                                (json.dumps(hints, ensure_ascii=False, sort_keys=True), path))
        if cur.rowcount == 0:
            raise NotFound(f"no source {path!r} in the bank (see `coach sources`)")

    def remove_source(self, path: str) -> int:
        n = sync.remove_source(self.conn, path)
        if n is None:
            raise NotFound(f"no source {path!r} in the bank (see `coach sources`)")
        return n

    # -- items and questions ---------------------------------------------------
    def items(self, filters: Filters | None = None) -> list[Item]:
        f = filters or Filters()
        where, args = [], []  # type: ignore[var-annotated]
        if f.source:
            where.append("(sources.path = ? OR sources.path LIKE ?)")
            args += [f.source, f"%{f.source}%"]
        if f.section:
            where.append("items.section LIKE ?")
            args.append(f"%{f.section}%")
        if f.lang:
            where.append("items.lang = ?")
            args.append(f.lang)
        if f.answered is not None:
            where.append("items.answer IS NOT NULL" if f.answered else "items.answer IS NULL")
        sql = _ITEM_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY sources.path, items.position"
        if f.limit is not None:
            sql += f" LIMIT {int(f.limit)}"
        return [item_from_row(r) for r in self.conn.execute(sql, args)]

    def item(self, item_id: str) -> Item:
        row = self.conn.execute(_ITEM_SELECT + " WHERE items.id = ?", (item_id,)).fetchone()
        if row is None:
            raise NotFound(f"no item {item_id!r} in the bank")
        return item_from_row(row)

    def question(self, ident: str) -> QuestionView:
        """A canonical question by its id, or by the id of any of its items."""
        qid = ident
        if self.conn.execute("SELECT 1 FROM questions WHERE id = ?", (ident,)).fetchone() is None:
            row = self.conn.execute("SELECT question_id FROM items WHERE id = ?", (ident,)).fetchone()
            if row is None:
                raise NotFound(f"no question or item {ident!r} in the bank (see `coach list`)")
            qid = row[0]
        rows = self.conn.execute(_ITEM_SELECT + " WHERE items.question_id = ? ORDER BY sources.path, items.position",
                                 (qid,)).fetchall()
        return QuestionView(qid, [item_from_row(r) for r in rows])

    def questions(self, filters: Filters | None = None) -> list[QuestionView]:
        """Canonical questions having at least one item that passes `filters`, in bank order,
        each with all its items (also those the filters do not select)."""
        f = filters or Filters()
        selected = self.items(Filters(f.source, f.section, f.lang, f.answered))
        order = list(dict.fromkeys(it.question_id for it in selected))
        if f.limit is not None:
            order = order[: f.limit]
        everything = self.items() if any((f.source, f.section, f.lang, f.answered is not None)) else selected
        grouped: dict[str, list[Item]] = {q: [] for q in order}
        for it in everything:
            if it.question_id in grouped:
                grouped[it.question_id].append(it)
        return [QuestionView(q, grouped[q]) for q in order]

    def stats(self) -> dict[str, Any]:
        c = self.conn
        one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        by_lang = dict(c.execute("SELECT lang, COUNT(*) FROM items GROUP BY lang ORDER BY lang").fetchall())
        by_shape = dict(c.execute("SELECT shape, COUNT(*) FROM items GROUP BY shape ORDER BY shape").fetchall())
        return {
            "sources": one("SELECT COUNT(*) FROM sources"),
            "items": one("SELECT COUNT(*) FROM items"),
            "questions": one("SELECT COUNT(DISTINCT question_id) FROM items"),
            "answered_items": one("SELECT COUNT(*) FROM items WHERE answer IS NOT NULL"),
            "unanswered_questions": one(
                "SELECT COUNT(*) FROM (SELECT question_id FROM items GROUP BY question_id "
                "HAVING SUM(answer IS NOT NULL) = 0)"),
            "with_explanation": one("SELECT COUNT(*) FROM items WHERE explanation IS NOT NULL"),
            "by_lang": by_lang,
            "by_shape": by_shape,
        }
