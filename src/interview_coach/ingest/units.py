"""Candidate question positions read off the block tree, each with the sibling group it
belongs to.

A unit is a heading, a list entry, a table row, a `<details>` block, a callout, an
admonition, a container, or a line of a paragraph that is bold as a whole, starts with a
question label (`Q:`, `面试题：`) or asks with a question mark. Units of one form in the same
kind of place (the same heading level; entries of the same list type at the same depth;
rows of one table) form a group: the groups are what the template inference weighs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Block
from .lines import Kind, Line, question_label
from .questionlike import questionlike

_QNUM = re.compile(r"^(?:\*\*)?[Qq](\d{1,3})(?:\*\*)?\s*[.:：)]")
_BOLD_LINE = re.compile(r"^(\*\*|__)(?P<q>[^*_].*?)\1(?P<tail>[^\w*_]*)$")
_STRONG_LINE = re.compile(r"^<(strong|b)>(?P<q>.+?)</\1>(?P<tail>[^\w<]*)$", re.I)
_QUOTE = re.compile(r"^(?:>[ \t]?)+")
# "[What is X?](#what-is-x)", "[[#X|X]]": an entry that only links to a heading (a table of contents)
LINK_ONLY = re.compile(r"^(?:(?:\[[^\]]*\]\([^)]*\)|\[\[[^\]]+\]\])[\s,，、|]*)+$")
_WIKI = re.compile(r"\[\[#?(?:[^\]|]*\|)?([^\]|]+)\]\]")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


_TARGET = re.compile(r"\]\(([^)]*)\)|\[\[([^\]|]*)")


def _in_document(text: str) -> bool:
    """Every link of a link-only entry points into this document (`#anchor`, `[[#X]]`, `()`)."""
    return all(not (m.group(1) or m.group(2) or "#").strip() or (m.group(1) or m.group(2) or "#").startswith("#")
               for m in _TARGET.finditer(text))


def link_text(text: str) -> str:
    """The words of a link-only entry: `[[#A|B]]` → B, `[B](#b)` → B."""
    return _MD_LINK.sub(r"\1", _WIKI.sub(r"\1", text)).strip()


@dataclass(eq=False, slots=True)
class Unit:
    form: str  # heading, entry, toc, row, details, callout, admonition, container, label, bold, line
    block: Block
    idx: int  # 0-based index of the unit's first line
    text: str  # what it would ask (before finishing)
    path: tuple[str, ...]  # kinds of the blocks around it (sections and the document left out)
    indent: int = 0
    number: int | None = None
    level: int = 0  # heading level
    ordered: bool = False

    @property
    def key(self) -> tuple[object, ...]:
        """Units with one key are siblings of one template."""
        if self.form == "heading":
            return ("heading", self.level, self.path)
        if self.form == "entry":
            return ("entry", self.ordered, self.path, min(self.indent, 8) // 2 if self.block.loose else 0)
        if self.form == "row":
            return ("row", id(self.block.parent))
        return (self.form, self.path)

    def __repr__(self) -> str:
        return f"{self.form}@{self.idx + 1}:{self.text[:30]!r}"


def label_text(ln: Line) -> str | None:
    """Inline text after a question label (`Q1.`, `Q:`, `面试题：`), '' for a label alone, else None."""
    if ln.kind is Kind.NUMBERED and _QNUM.match(ln.text):
        return ln.body
    if len(ln.text) > 30 and ":" not in ln.text and "：" not in ln.text and not ln.text.startswith(":::"):
        return None  # a label either ends in a colon or stands alone on its line: a quick no
    return question_label(ln)


def bold_line(ln: Line) -> str | None:
    """`**What is X? 👶**`, `<strong>…</strong>`: the text of a line that is bold as a whole
    (with its trailing marks); quote marks before it do not count."""
    if ln.kind is not Kind.TEXT:
        return None
    text = _QUOTE.sub("", ln.text).strip()
    m = _BOLD_LINE.match(text)
    if m and "**" not in m.group("q"):
        return (m.group("q") + m.group("tail")).strip()
    m = _STRONG_LINE.match(text)
    if m and "<" not in m.group("q"):
        return (m.group("q") + m.group("tail")).strip()
    return None


_OWN_TEXT = ("code", "html", "hr", "front", "table")


def collect(doc: Block, lines: list[Line]) -> list[Unit]:
    units: list[Unit] = []
    _walk(doc, lines, (), units, -1)
    units.sort(key=lambda u: (u.idx, u.form != "heading"))
    return units


def _walk(node: Block, lines: list[Line], path: tuple[str, ...], out: list[Unit], skip_line: int) -> None:
    for b in node.children:
        ln = lines[b.start]
        if b.kind == "section":
            out.append(Unit("heading", b, b.start, ln.body, path, ln.indent, ln.number, b.level))
            _walk(b, lines, path, out, -1)
        elif b.kind == "entry":
            text = ln.body or ln.text
            linked = bool(LINK_ONLY.match(text))
            form = "toc" if linked and _in_document(text) else "entry"  # "[Q](#q)": contents; "[Q](q.md)": a question
            out.append(Unit(form, b, b.start, link_text(text) if linked else text, path, ln.indent,
                            b.number if b.number is not None else ln.number, ordered=b.ordered))
            _walk(b, lines, (*path, "entry"), out, b.start)
        elif b.kind == "table":
            for row in b.children:
                out.append(Unit("row", row, row.start, lines[row.start].text, path))
        elif b.kind in ("details", "callout", "admonition", "container"):
            out.append(Unit(b.kind, b, b.start, b.title, path, ln.indent))
            _walk(b, lines, (*path, b.kind), out, -1)
        elif b.kind == "quote":
            _walk(b, lines, (*path, "quote"), out, -1)
        elif b.kind == "para":
            _para(b, lines, path, out, skip_line)


def _para(b: Block, lines: list[Line], path: tuple[str, ...], out: list[Unit], skip_line: int) -> None:
    """Line units of a paragraph: labelled, bold and asking lines."""
    for k in range(b.start, b.end):
        if k == skip_line:
            continue
        ln = lines[k]
        if ln.blank or ln.kind is Kind.CODE or len(ln.text) > 300:  # a question is not a whole paragraph
            continue
        label = label_text(ln)
        if label is not None:
            out.append(Unit("label", b, k, label, path, ln.indent, ln.number))
            continue
        bold = bold_line(ln) if ln.text[:1] in "*_<>" else None
        if bold is not None:
            out.append(Unit("bold", b, k, bold, path, ln.indent))
            continue
        text = _QUOTE.sub("", ln.body or ln.text).strip()
        if questionlike(text):
            out.append(Unit("line", b, k, text, path, ln.indent, ln.number))
