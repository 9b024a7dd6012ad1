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
    (
        "0002_embeddings_links_settings",
        """
        CREATE TABLE embeddings (
            model_id TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model_id, content_hash)
        );
        CREATE TABLE link_decisions (
            item_a TEXT NOT NULL,
            item_b TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('same', 'different')),
            created_at TEXT NOT NULL,
            PRIMARY KEY (item_a, item_b)
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
    (
        "0003_reviews",
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            question_id TEXT NOT NULL REFERENCES questions(id),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            reviewed_at TEXT NOT NULL,
            score REAL CHECK (score IS NULL OR score BETWEEN 0 AND 100),
            answer TEXT,
            duration_ms INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0)
        );
        CREATE INDEX reviews_question ON reviews(question_id, reviewed_at);
        CREATE INDEX reviews_time ON reviews(reviewed_at);
        CREATE TABLE cards (
            question_id TEXT PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
            state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 3),
            step INTEGER,
            stability REAL NOT NULL,
            difficulty REAL NOT NULL,
            due TEXT NOT NULL,
            last_review TEXT NOT NULL,
            reviews INTEGER NOT NULL,
            last_review_id INTEGER NOT NULL,
            retention REAL NOT NULL
        );
        CREATE INDEX cards_due ON cards(due);
        """,
    ),
    (
        "0004_source_hints",
        """
        ALTER TABLE sources ADD COLUMN hints TEXT NOT NULL DEFAULT '{}';
        """,
    ),
]
