"""Named schema migrations, applied in order, each in its own transaction.

Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL,
            encoding TEXT NOT NULL,
            size INTEGER NOT NULL,
            shapes TEXT NOT NULL DEFAULT '[]',
            notices TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL
        );
        CREATE TABLE questions (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL
        );
        CREATE TABLE question_keys (
            key TEXT NOT NULL,
            question_id TEXT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
            PRIMARY KEY (key, question_id)
        );
        CREATE INDEX question_keys_question ON question_keys(question_id);
        CREATE TABLE items (
            id TEXT PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL REFERENCES questions(id),
            position INTEGER NOT NULL,
            question TEXT NOT NULL,
            question_line INTEGER NOT NULL,
            line_start INTEGER NOT NULL,
            line_end INTEGER NOT NULL,
            lang TEXT NOT NULL,
            shape TEXT NOT NULL,
            number INTEGER,
            section TEXT,
            title TEXT,
            translations TEXT NOT NULL DEFAULT '{}',
            answer TEXT,
            answer_line_start INTEGER,
            answer_line_end INTEGER,
            explanation TEXT,
            explanation_line_start INTEGER,
            explanation_line_end INTEGER,
            images TEXT NOT NULL DEFAULT '[]',
            links TEXT NOT NULL DEFAULT '[]',
            listed_line INTEGER,
            norm TEXT NOT NULL
        );
        CREATE INDEX items_source ON items(source_id, position);
        CREATE INDEX items_question ON items(question_id);
        CREATE INDEX items_norm ON items(norm);
        """,
    ),
]
