"""Reading the team's bank: sources, items, canonical questions, counts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, case, distinct, func, or_, select

from ..errors import NotFound
from .codec import item_from_row
from .schema import items, questions, sources
from .types import Filters, Item, Source


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


def _item_select() -> Select[Any]:
    return select(items, sources.c.path).join(sources, sources.c.id == items.c.source_id)


def list_sources(conn: Connection, path: str | None = None) -> list[Source]:
    n = select(func.count()).where(items.c.source_id == sources.c.id).scalar_subquery()
    stmt = select(sources, n.label("n")).order_by(sources.c.path)
    if path is not None:
        stmt = stmt.where(sources.c.path == path)
    rows = conn.execute(stmt).mappings()
    return [Source(r["id"], r["path"], r["sha256"], r["encoding"], r["size"], json.loads(r["shapes"]),
                   [tuple(x) for x in json.loads(r["notices"])], r["ingested_at"], r["n"], json.loads(r["hints"]))
            for r in rows]


def source_hash(conn: Connection, path: str) -> str | None:
    return conn.execute(select(sources.c.sha256).where(sources.c.path == path)).scalar()


def source_counts(conn: Connection, path: str) -> tuple[int, int]:
    """(items, answered items) stored for a source."""
    row = conn.execute(select(func.count(), func.count(items.c.answer))
                       .join(sources, sources.c.id == items.c.source_id).where(sources.c.path == path)).one()
    return int(row[0]), int(row[1])


def list_items(conn: Connection, f: Filters | None = None) -> list[Item]:
    f = f or Filters()
    stmt = _item_select()
    if f.source:
        stmt = stmt.where(or_(sources.c.path == f.source, sources.c.path.contains(f.source, autoescape=True)))
    if f.section:
        stmt = stmt.where(items.c.section.icontains(f.section, autoescape=True))
    if f.lang:
        stmt = stmt.where(items.c.lang == f.lang)
    if f.answered is not None:
        stmt = stmt.where(items.c.answer.is_not(None) if f.answered else items.c.answer.is_(None))
    stmt = stmt.order_by(sources.c.path, items.c.position)
    if f.limit is not None:
        stmt = stmt.limit(int(f.limit))
    return [item_from_row(r) for r in conn.execute(stmt).mappings()]


def get_item(conn: Connection, item_id: str) -> Item:
    row = conn.execute(_item_select().where(items.c.id == item_id)).mappings().first()
    if row is None:
        raise NotFound(f"no item {item_id!r} in the bank")
    return item_from_row(row)


def question_exists(conn: Connection, question_id: str) -> bool:
    return conn.execute(select(questions.c.id).where(questions.c.id == question_id)).first() is not None


def get_question(conn: Connection, ident: str) -> QuestionView:
    """A canonical question by its id, or by the id of any of its items."""
    qid = ident
    if not question_exists(conn, ident):
        found = conn.execute(select(items.c.question_id).where(items.c.id == ident)).scalar()
        if found is None:
            raise NotFound(f"no question or item {ident!r} in the bank (see `coach list`)")
        qid = str(found)
    rows = conn.execute(_item_select().where(items.c.question_id == qid)
                        .order_by(sources.c.path, items.c.position)).mappings()
    return QuestionView(qid, [item_from_row(r) for r in rows])


def answered_questions(conn: Connection) -> set[str]:
    """Ids of the canonical questions at least one item of which has an answer."""
    found: list[Any] = list(conn.execute(select(items.c.question_id).where(items.c.answer.is_not(None)).distinct())
                            .scalars())
    return {str(q) for q in found}


def questions_by_ids(conn: Connection, ids: list[str]) -> list[QuestionView]:
    """The canonical questions with these ids (unknown ids are skipped), in bank order."""
    grouped: dict[str, list[Item]] = {}
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), 900):
        rows = conn.execute(_item_select().where(items.c.question_id.in_(wanted[i:i + 900]))
                            .order_by(sources.c.path, items.c.position)).mappings()
        for r in rows:
            it = item_from_row(r)
            grouped.setdefault(it.question_id, []).append(it)
    views = [QuestionView(q, its) for q, its in grouped.items()]
    views.sort(key=lambda v: (v.items[0].source, v.items[0].position))
    return views


def list_questions(conn: Connection, f: Filters | None = None) -> list[QuestionView]:
    """Canonical questions having at least one item that passes `f`, in bank order, each with
    all its items (also those the filters do not select)."""
    f = f or Filters()
    selected = list_items(conn, Filters(f.source, f.section, f.lang, f.answered))
    order = list(dict.fromkeys(it.question_id for it in selected))
    if f.limit is not None:
        order = order[: f.limit]
    filtered = any((f.source, f.section, f.lang, f.answered is not None))
    everything = list_items(conn) if filtered else selected
    grouped: dict[str, list[Item]] = {q: [] for q in order}
    for it in everything:
        if it.question_id in grouped:
            grouped[it.question_id].append(it)
    return [QuestionView(q, grouped[q]) for q in order]


def stats(conn: Connection) -> dict[str, Any]:
    def one(stmt: Any) -> int:
        return int(conn.execute(stmt).scalar() or 0)

    answered = func.sum(case((items.c.answer.is_not(None), 1), else_=0))
    unanswered = select(items.c.question_id).group_by(items.c.question_id).having(answered == 0).subquery()
    return {
        "sources": one(select(func.count()).select_from(sources)),
        "items": one(select(func.count()).select_from(items)),
        "questions": one(select(func.count(distinct(items.c.question_id)))),
        "answered_items": one(select(func.count()).where(items.c.answer.is_not(None))),
        "unanswered_questions": one(select(func.count()).select_from(unanswered)),
        "with_explanation": one(select(func.count()).where(items.c.explanation.is_not(None))),
        "by_lang": dict(conn.execute(select(items.c.lang, func.count()).group_by(items.c.lang)
                                     .order_by(items.c.lang)).all()),
        "by_shape": dict(conn.execute(select(items.c.shape, func.count()).group_by(items.c.shape)
                                      .order_by(items.c.shape)).all()),
    }


def content_stamp(conn: Connection, embedding_model: str) -> str:
    """What search indexes and graders are derived from; equal stamps mean nothing to rebuild."""
    import hashlib

    h = hashlib.sha1()
    for path, sha in conn.execute(select(sources.c.path, sources.c.sha256).order_by(sources.c.path)):
        h.update(f"{path}\0{sha}\1".encode())
    for iid, qid in conn.execute(select(items.c.id, items.c.question_id).order_by(items.c.id)):
        h.update(f"{iid}\0{qid}\1".encode())
    h.update(embedding_model.encode())
    return h.hexdigest()
