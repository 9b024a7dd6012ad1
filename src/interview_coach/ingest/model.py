"""What parsing produces: items with exact provenance, and the problems it noticed."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..bank.types import ItemData
from ..errors import InputError


@dataclass(slots=True)
class Anchor:
    """Where a shape found a question; the body (answer) is resolved afterwards."""

    shape: str
    question: str
    question_line: int  # 1-based line of the question text
    start: int  # 0-based index of the first line the question owns (title, label, ...)
    body_start: int  # 0-based index of the first line after the question
    number: int | None = None
    level: int = 0  # heading level when the question is a heading
    title: str | None = None
    translations: dict[str, str] = field(default_factory=dict)
    body_end: int | None = None  # 0-based exclusive end, when the shape knows it
    inline_answer: tuple[str, int] | None = None  # (text, line) for one-line answers (tables)
    listed_line: int | None = None  # where a question list mentioned it first
    section: str | None = None  # resolved from the headings around it
    group: object = None  # the sibling group it was read from (one list, one heading level in one place)
    own_end: int | None = None  # 0-based end of its own block (a list entry with what is indented under it)


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the parser was unsure about, with the line it concerns."""

    line: int
    message: str
    end: int | None = None  # the last line of a range it concerns (a refused group)


@dataclass(frozen=True, slots=True)
class Group:
    """A sibling group the template weighed: read as questions, or refused and why."""

    kind: str  # shape of its items, or what the refused group was ("bullets", "headings")
    first: int  # 1-based lines
    last: int
    items: int  # questions read from it (0 when refused)
    sample: tuple[str, ...] = ()  # its first lines
    why: str | None = None  # set when refused


@dataclass(slots=True)
class ParseResult:
    items: list[ItemData]
    shapes: list[str]
    notices: list[Notice]
    groups: list[Group] = field(default_factory=list)


class HintError(InputError):
    """A layout hint that cannot be applied (an unknown key, a bad pattern or value)."""

    def __init__(self, message: str) -> None:
        super().__init__("hint", message)
