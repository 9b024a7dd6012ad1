"""Infer a document's item template from its block tree: which sibling group holds the
questions, and where each question's answer begins and ends.

The candidate's own questions in an interview write-up ("反问：") are set apart first.
Blocks that frame their own questions (table rows, `<details>`, callouts) are read next and
own their lines. Then labelled questions (`面试题：`, `Q:`) compete with the groups of question
headings, numbered entries and bold lines: labels win unless they are a few stray labels
inside other answers. What the winners hold is answer text; bullet lists elsewhere are then
weighed list by list (`entries.bullets`). A document with none of these falls back on lines
that ask. A question's answer runs to the next question, or to the next heading (of its
level or above, for a heading question). Every group weighed and refused is kept, with why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import entries, framed, headings, labelled
from .blocks import Block
from .evidence import asks
from .lines import Kind, Line, answer_label, ask_back
from .model import Anchor
from .units import Unit, label_text


@dataclass(slots=True)
class Rejected:
    """A group that looked like questions and was not read as such."""

    first: int  # 1-based line
    last: int
    why: str
    kind: str = "list"


@dataclass(slots=True)
class Template:
    anchors: list[Anchor]
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def excluded(self) -> set[int]:
        """0-based lines that hold no question (the candidate's own questions)."""
        return {k for r in self.rejected if r.kind == "ask-back" for k in range(r.first - 1, r.last)}


def infer(doc: Block, lines: list[Line], units: list[Unit], hints: dict[str, str] | None = None,
          ask_back: list[int] | None = None) -> Template:
    """`ask_back`: the lines that open the candidate's own questions (`ask_back_lines`)."""
    hints = hints or {}
    n = len(lines)
    allowed = [ln.kind is not Kind.CODE for ln in lines]
    anchors: list[Anchor] = []
    rejected: list[Rejected] = []

    def own(start: int, end: int) -> None:
        for k in range(start, min(end, n)):
            allowed[k] = False

    starts = ask_back if ask_back is not None else ask_back_lines(lines)
    for first, last in ask_back_spans(lines, starts):  # the candidate's own questions: neither questions nor answers
        own(first, last)
        rejected.append(Rejected(first + 1, last, "the candidate's own questions to the interviewer", "ask-back"))
    tables = {id(u.block.parent): u.block.parent for u in units if u.form == "row" and u.block.parent is not None}
    for tbl in tables.values():
        rows, why = framed.table(tbl, lines, hints)
        if why:
            rejected.append(Rejected(tbl.start + 1, tbl.end, why, "table"))
        if rows:
            anchors.extend(rows)
            own(tbl.start, tbl.end)
    for u in units:
        if u.form == "details" and allowed[u.idx]:
            got = framed.details(u, lines)
            if got:
                anchors.extend(got)
                own(u.block.start, u.block.end)
        elif u.form == "callout" and allowed[u.idx]:
            nxt = _next_sibling(u.block)
            a = framed.callout(u, nxt, lines)
            if a:
                anchors.append(a)
                own(u.block.start, max(a.body_end or 0, u.block.end))

    labels = [a for u in units if u.form in ("label", "heading", "container", "entry") and allowed[u.idx]
              and _is_label(u, lines) for a in [labelled.anchor(u, lines, allowed)]
              if a is not None and (asks(a.question) or _answer_follows(a, lines) or "entry" not in u.path)]

    level_hint = int(hints["heading_level"]) if hints.get("heading_level", "").isdigit() else None
    picked, refused_levels = headings.pick(headings.candidates(units, lines, allowed), lines, level_hint)
    rejected += [Rejected(first, last, w, "headings") for first, last, w in refused_levels]
    heads = headings.anchors(picked, lines)
    for a in heads:
        own(a.start, a.body_end or a.body_start)
    nums = entries.numbered(units, lines, allowed)
    found = heads + entries.combine(entries.bold(units, allowed), nums, lines)
    # labelled questions win unless they are a few stray labels inside other answers
    labels_win = len(labels) >= 2 and len(labels) * 2 >= len(found) or bool(labels and not found)
    if labels_win:
        found = labels
    _claim(found, lines, allowed)
    listed, refused = entries.bullets(units, lines, allowed)  # bullet lists weighed where no question holds them
    rejected += [Rejected(a.idx + 1, b.block.end, why, "list") for a, b, why in refused]
    found = sorted(found + listed, key=lambda a: a.start)
    if labels_win:
        return Template(anchors + found, rejected)
    if not found:
        found = entries.fallback(lines, allowed)
    return Template(anchors + found + _apart(labels, found, lines), rejected)


def _claim(found: list[Anchor], lines: list[Line], allowed: list[bool]) -> None:
    """The lines each question holds (to the next question, or the next heading for one that
    is not a heading) are answer text for every later group."""
    order = sorted(found, key=lambda a: a.start)
    for k, a in enumerate(order):
        limit = order[k + 1].start if k + 1 < len(order) else len(lines)
        end = a.body_end if a.body_end is not None else limit
        if a.level == 0 and a.body_end is None:
            end = next((i for i in range(a.body_start, limit) if lines[i].kind is Kind.HEADING), limit)
        for i in range(a.start, min(end, limit)):
            allowed[i] = False


def ask_back_lines(lines: list[Line]) -> list[int]:
    return [k for k, ln in enumerate(lines) if ask_back(ln)]


def ask_back_spans(lines: list[Line], starts: list[int]) -> list[tuple[int, int]]:
    """(first, end) of each "反问：" part: to the next heading (of its level or above, for a heading)."""
    out: list[tuple[int, int]] = []
    for k in starts:
        ln = lines[k]
        end = len(lines)
        for j in range(k + 1, len(lines)):
            if lines[j].kind is Kind.HEADING and (ln.kind is not Kind.HEADING or lines[j].level <= ln.level):
                end = j
                break
        out.append((k, end))
    return out


def _answer_follows(a: Anchor, lines: list[Line]) -> bool:
    """`问题：…` read as a label of a question only if it asks or an answer label follows it
    (in notes, "问题：" names a problem)."""
    nxt = next((ln for ln in lines[a.body_start:a.body_start + 8] if not ln.blank), None)
    return nxt is not None and answer_label(nxt) is not None


def _is_label(u: Unit, lines: list[Line]) -> bool:
    return u.form == "label" or label_text(lines[u.idx]) is not None


def _next_sibling(b: Block) -> Block | None:
    parent = b.parent
    if parent is None:
        return None
    k = parent.children.index(b)
    return parent.children[k + 1] if k + 1 < len(parent.children) else None


def _apart(labels: list[Anchor], found: list[Anchor], lines: list[Line]) -> list[Anchor]:
    """Labelled questions in a part of the document of their own (a heading closes every
    question before them), when another shape is the document's main one: a stray `Q:`
    inside an answer stays answer text, a `## 场景题` part of Q/A pairs does not."""
    out = []
    taken = {a.start for a in found}
    for lab in labels:
        if lab.start in taken:  # "### 10、title" / "问题：…": the heading question already holds it
            continue
        before = [a for a in found if a.start < lab.start]
        if not before:
            out.append(lab)
            continue
        last = max(before, key=lambda a: a.start)
        if any(ln.kind is Kind.HEADING and (last.level == 0 or ln.level <= last.level)
               for ln in lines[last.body_start:lab.start + 1]):
            out.append(lab)
    return out
