"""User settings stored in the bank, with defaults and validation in one place."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    default: str
    help: str
    check: Callable[[str], bool]
    expected: str


def _retention(v: str) -> bool:
    try:
        return 0.7 <= float(v) <= 0.99
    except ValueError:
        return False


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("script", "zh-Hans", "preferred script for questions and references",
                lambda v: v in ("en", "zh-Hans", "zh-Hant"), "en, zh-Hans or zh-Hant"),
        Setting("retention", "0.9", "desired retention for spaced repetition", _retention, "a number in 0.70–0.99"),
        Setting("embedding_model", "e5", "embedding model for search and linking (see `coach models`)",
                lambda v: bool(v.strip()), "a model name"),
    )
}


def get(conn: sqlite3.Connection, key: str) -> str:
    if key not in SETTINGS:
        raise InvalidInput([f"unknown setting {key!r}; known: {', '.join(SETTINGS)}"])
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return row[0] if row else SETTINGS[key].default


def set_(conn: sqlite3.Connection, key: str, value: str) -> None:
    if key not in SETTINGS:
        raise InvalidInput([f"unknown setting {key!r}; known: {', '.join(SETTINGS)}"])
    if not SETTINGS[key].check(value):
        raise InvalidInput([f"setting {key}: {value!r} is not {SETTINGS[key].expected}"])
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (key, value))


def all_(conn: sqlite3.Connection) -> dict[str, str]:
    return {k: get(conn, k) for k in SETTINGS}
