"""The block tree's node: a block of a document with its exact line span."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .lines import Line


@dataclass(eq=False, slots=True)
class Block:
    # doc, section, heading, para, entry, table, row, code, html, hr, quote, callout, details, admonition, container, front
    kind: str
    start: int  # 0-based index of the first line
    end: int  # 0-based index just past the last non-blank line
    children: list[Block] = field(default_factory=list)
    level: int = 0  # heading level (sections too)
    ordered: bool = False  # entries of a numbered list
    number: int | None = None  # the printed number of an ordered entry
    loose: bool = False  # an entry Markdown reads as paragraph text ("1、…", "(2) …")
    list_id: int = 0  # entries of one Markdown list share it
    title: str = ""  # summary, callout / admonition / container title
    ctype: str = ""  # callout or admonition type
    head_end: int = 0  # details / callout / admonition / container: first line after the title part
    parent: Block | None = None

    def walk(self) -> Iterator[Block]:
        yield self
        for c in self.children:
            yield from c.walk()

    def __repr__(self) -> str:  # short, for debugging and test messages
        return f"{self.kind}[{self.start + 1}-{self.end}]"


def trim_end(lines: list[Line], start: int, end: int) -> int:
    end = min(end, len(lines))
    while end > start + 1 and lines[end - 1].blank:
        end -= 1
    return max(end, start + 1)
