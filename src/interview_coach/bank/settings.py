"""Settings with defaults and validation in one place: the team's (the embedding model the
bank is indexed with) and each user's own (preferred script, desired retention)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, select

from ..errors import InvalidInput
from . import meta
from .database import upsert
from .schema import team_settings, user_settings


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    default: str
    help: str
    check: Callable[[str], bool]
    expected: str
    scope: Literal["user", "team"] = "user"


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
                lambda v: bool(v.strip()), "a model name", scope="team"),
    )
}


def _known(key: str) -> Setting:
    if key not in SETTINGS:
        raise InvalidInput([f"unknown setting {key!r}; known: {', '.join(SETTINGS)}"])
    return SETTINGS[key]


def get(conn: Connection, key: str, user_id: int) -> str:
    s = _known(key)
    if s.scope == "team":
        value = conn.execute(select(team_settings.c.value).where(team_settings.c.key == key)).scalar()
    else:
        value = conn.execute(select(user_settings.c.value).where(
            user_settings.c.user_id == user_id, user_settings.c.key == key)).scalar()
    return s.default if value is None else str(value)


def set_(conn: Connection, key: str, value: str, user_id: int) -> None:
    s = _known(key)
    if not s.check(value):
        raise InvalidInput([f"setting {key}: {value!r} is not {s.expected}"])
    if s.scope == "team":
        upsert(conn, team_settings, {"key": key, "value": value}, ["key"])
        meta.bump(conn)
    else:
        upsert(conn, user_settings, {"user_id": user_id, "key": key, "value": value}, ["user_id", "key"])


def all_(conn: Connection, user_id: int) -> dict[str, str]:
    return {k: get(conn, k, user_id) for k in SETTINGS}
