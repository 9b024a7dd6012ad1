"""Fallback: any short line ending with a question mark starts a question."""

from __future__ import annotations

from ..lines import Kind, Line
from ..model import Anchor
from ..questionlike import strong
from . import bilingual


def find(lines: list[Line], allowed: list[bool]) -> list[Anchor]:
    anchors: list[Anchor] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        text = ln.body or ln.text
        if (
            allowed[i]
            and ln.kind in (Kind.TEXT, Kind.BULLET, Kind.NUMBERED, Kind.HEADING)
            and ln.indent <= 1
            and strong(text)
            and len(text) <= 300
        ):
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
