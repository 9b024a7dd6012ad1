"""Domain records of the bank."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..text.lang import Lang


@dataclass(slots=True)
class ItemData:
    """A question as it appears in one source, with exact provenance (1-based lines)."""

    question: str
    question_line: int
    line_start: int
    line_end: int
    lang: Lang
    shape: str
    number: int | None = None
    section: str | None = None
    title: str | None = None
    translations: dict[str, str] = field(default_factory=dict)
    answer: str | None = None
    answer_line_start: int | None = None
    answer_line_end: int | None = None
    explanation: str | None = None
    explanation_line_start: int | None = None
    explanation_line_end: int | None = None
    images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    listed_line: int | None = None


@dataclass(slots=True)
class Item(ItemData):
    """A stored item: its own id, its canonical question and its source."""

    item_id: str = ""
    question_id: str = ""
    source: str = ""
    position: int = 0


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    path: str
    sha256: str
    encoding: str
    size: int
    shapes: list[str]
    notices: list[tuple[int, str]]
    ingested_at: str
    items: int = 0
    hints: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What storing one parsed document changed."""

    path: str
    status: str  # "new", "updated", "unchanged"
    added: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0


@dataclass(slots=True)
class Filters:
    source: str | None = None
    section: str | None = None
    lang: str | None = None
    answered: bool | None = None
    limit: int | None = None
