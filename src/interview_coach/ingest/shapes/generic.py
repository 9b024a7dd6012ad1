"""Fallback: any short line ending with a question mark starts a question.

A list entry at the same indentation as such questions that asks in the imperative
("- Explain the confusion matrix.", "- 简述 BN 的作用"), or that is bold with an indented
answer under it ("- **1*1 卷积的作用**"), is one of them too: a list of questions mixes
these forms, while answers sit deeper.
"""

from __future__ import annotations

from ..lines import Kind, Line
from ..model import Anchor
from ..questionlike import definition_like, strong, weak
from . import bilingual

_KINDS = (Kind.TEXT, Kind.BULLET, Kind.NUMBERED, Kind.HEADING)
_LIST = (Kind.BULLET, Kind.NUMBERED)


def _text(ln: Line) -> str:
    return ln.body or ln.text


def _bold_with_children(lines: list[Line], i: int) -> bool:
    """`- **1*1 卷积的作用**` with indented lines under it: a bold entry that is answered."""
    entry = lines[i].text[1:].strip()
    if not (entry.startswith("**") and entry.endswith("**")):
        return False
    nxt = next((x for x in lines[i + 1:] if not x.blank), None)
    return nxt is not None and nxt.indent > lines[i].indent


def find(lines: list[Line], allowed: list[bool]) -> list[Anchor]:
    def candidate(ln: Line, i: int) -> bool:
        return allowed[i] and ln.kind in _KINDS and ln.indent <= 1 and len(_text(ln)) <= 300

    asking_lists = {(ln.kind, ln.indent) for i, ln in enumerate(lines)
                    if ln.kind in _LIST and candidate(ln, i) and strong(_text(ln))}
    anchors: list[Anchor] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        text = _text(ln)
        sibling = (ln.kind, ln.indent) in asking_lists and not definition_like(text) and (
            weak(text) or _bold_with_children(lines, i))
        if candidate(ln, i) and (strong(text) or sibling):
            translations, body_start = bilingual.attach(lines, i, text)
            anchors.append(Anchor(
                shape="bilingual_pairs" if translations else "generic",
                question=text,
                question_line=ln.no,
                start=i,
                body_start=body_start,
                number=ln.number,
                level=ln.level if ln.kind is Kind.HEADING else 0,
                translations=translations,
            ))
            i = body_start
            continue
        i += 1
    return anchors
