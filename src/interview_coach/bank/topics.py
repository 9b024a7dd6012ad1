"""Topic tags of canonical questions (team data): automatic tags derived from each question's
text, stamped with a hash of that text, and people's edits, which win and persist.

Edits (`topic_decisions`) are an append-only log like link decisions; they follow a question
absorbed by linking and keep a question alive like reviews do (`schema.ATTACHMENTS`).
Automatic tags belong to the question id they were computed for and go with it.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, delete, insert, select

from . import meta
from .database import upsert, utcnow
from .schema import question_topics, topic_decisions, topic_tagged


def auto_tags(conn: Connection) -> dict[str, list[tuple[str, float]]]:
    """Question id -> its automatic (topic, score) tags, best first."""
    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    rows = conn.execute(select(question_topics.c.question_id, question_topics.c.topic, question_topics.c.score)
                        .order_by(question_topics.c.question_id, question_topics.c.score.desc(), question_topics.c.topic))
    for qid, topic, score in rows:
        out[str(qid)].append((str(topic), float(score)))  # type: ignore[arg-type]
    return dict(out)


def stamps(conn: Connection) -> dict[str, str]:
    """Question id -> hash of the text its automatic tags were computed from."""
    return {str(q): str(h) for q, h in conn.execute(select(topic_tagged.c.question_id, topic_tagged.c.text_hash))}


def put_auto(conn: Connection, rows: list[tuple[str, str, list[tuple[str, float]]]]) -> None:
    """Replace the automatic tags of each (question id, text hash, [(topic, score)])."""
    if not rows:
        return
    qids = [q for q, _, _ in rows]
    for i in range(0, len(qids), 900):
        part = qids[i:i + 900]
        conn.execute(delete(question_topics).where(question_topics.c.question_id.in_(part)))
    tags = [{"question_id": q, "topic": t, "score": float(s)} for q, _, ts in rows for t, s in ts]
    if tags:
        conn.execute(insert(question_topics), tags)
    upsert(conn, topic_tagged, [{"question_id": q, "text_hash": h} for q, h, _ in rows], ["question_id"])
    meta.bump(conn)


def decide(conn: Connection, question_id: str, topic: str, decision: str, user_id: int | None) -> None:
    conn.execute(insert(topic_decisions).values(question_id=question_id, topic=topic, decision=decision,
                                                user_id=user_id, created_at=utcnow()))
    meta.bump(conn)


def decisions(conn: Connection) -> list[tuple[str, str, str]]:
    """(question id, topic, add|remove), oldest first: a later decision on the same pair wins."""
    rows = conn.execute(select(topic_decisions.c.question_id, topic_decisions.c.topic, topic_decisions.c.decision)
                        .order_by(topic_decisions.c.id))
    return [(str(q), str(t), str(d)) for q, t, d in rows]
