"""What the template left over, never silently: lines that ask outside every item (made
items of their own when there are several, else reported), groups that looked like
questions and were refused (reported with their lines and why), and questions without
answers (reported one by one when the document answers any, else once)."""

from __future__ import annotations

from ..bank.types import ItemData
from . import body as bodies
from .evidence import asks
from .lines import Kind, Line
from .model import Anchor, Notice
from .questionlike import strong
from .units import Unit


def stray_question(ln: Line) -> bool:
    return (ln.kind not in (Kind.CODE, Kind.BLANK, Kind.HEADING, Kind.TABLE) and ln.indent <= 1
            and strong(ln.body or ln.text) and len(ln.text) <= 300)


def orphans(lines: list[Line], anchors: list[Anchor], bodies_of: dict[int, bodies.Body],
            excluded: set[int] | None = None) -> list[Anchor]:
    """Lines that ask (end with a question mark) outside every item's question, answer and
    explanation: questions of their own (a plain list of questions), answered only by what
    is indented under them."""
    covered: set[int] = set()
    for a in anchors:
        covered.update(ln.no for ln in lines[a.start:max(a.body_start, a.start + 1)])
        covered.update(ln.no for ln in bodies_of[id(a)].lead)
        for span in (bodies_of[id(a)].answer_span, bodies_of[id(a)].explanation_span):
            if span:
                covered.update(range(span[0], span[1] + 1))
    return [Anchor(shape="generic", question=ln.body or ln.text, question_line=ln.no, start=k, body_start=k + 1,
                   body_end=_nested_end(lines, k), number=ln.number)
            for k, ln in enumerate(lines) if ln.no not in covered and stray_question(ln) and k not in (excluded or ())]


def _nested_end(lines: list[Line], k: int) -> int:
    """End of the block indented under line k (`1. **Q？**` / `   - **答案：** …`): a stray
    question's answer is only what is written inside it."""
    end = k + 1
    for j in range(k + 1, len(lines)):
        if lines[j].blank:
            continue
        if lines[j].indent <= lines[k].indent:
            break
        end = j + 1
    return end


_ASKING_FORMS = ("entry", "line", "bold", "heading", "label", "row", "details", "callout", "container")


def notices(lines: list[Line], items: list[ItemData], units: list[Unit], refused: list[tuple[int, int, str]],
            anchors: list[Anchor]) -> list[Notice]:
    """`refused`: (first line, last line, why) of the groups that looked like questions."""
    covered: set[int] = {k + 1 for a in anchors for k in range(a.start, max(a.body_start, a.start + 1))}
    for it in items:
        covered.update(range(it.line_start, it.line_end + 1))
        if it.listed_line:
            covered.add(it.listed_line)
    notes: list[Notice] = []
    in_refused: set[int] = set()
    for first, last, why in refused:
        span = set(range(first, last + 1)) - covered
        if not span:
            continue
        in_refused |= span
        notes.append(Notice(first, f"lines {first}-{last} look like a list of questions but were not read as one "
                                   f"({why}); `coach ingest --dry-run` shows them", end=last))
    seen: set[int] = set()
    for u in units:
        no = u.idx + 1
        if u.form not in _ASKING_FORMS or no in covered or no in seen or no in in_refused:
            continue
        if u.block.head_end > u.idx + 1 and any(k + 1 in covered for k in range(u.idx, u.block.head_end)):
            continue  # "<details>" / "<summary>Q</summary>": the item holds its summary line
        if lines[u.idx].kind is Kind.CODE or len(u.text) > 300 or not asks(u.text) or u.text[:1].islower():
            continue  # "where `A` and `B` are …": the rest of a sentence
        seen.add(no)
        notes.append(Notice(no, f"looks like a question but is not part of any item: {u.text[:80]}"))
    answered = sum(it.answer is not None for it in items)
    if items and not answered:
        notes.append(Notice(items[0].question_line, f"no answers in this file: {len(items)} questions read without answers"))
    elif answered:
        notes += [Notice(it.question_line, f"no answer found for: {it.question[:80]}") for it in items if it.answer is None]
    return sorted(notes, key=lambda n: n.line)
