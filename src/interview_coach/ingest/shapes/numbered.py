"""Numbered questions: `1. …`, `**7.** …`, `1、…`, `(3) …`, with or without an answer label.

Numbered sub-lists inside answers are told apart from questions by the numbering
sequence, indentation and by whether the line reads like a question at all.
"""

from __future__ import annotations

from ..lines import Kind, Line, answer_label
from ..model import Anchor
from ..questionlike import definition_like, strong, weak
from . import bilingual


def _followed_by_answer(lines: list[Line], idx: int) -> bool:
    for ln in lines[idx + 1: idx + 4]:
        if ln.blank:
            continue
        if answer_label(ln) is not None:
            return True
        if ln.kind is not Kind.TEXT:
            return False
    return False


def find(lines: list[Line], allowed: list[bool]) -> list[Anchor]:
    """Numbered questions among lines where `allowed[i]` is true."""
    anchors: list[Anchor] = []
    expected: int | None = None
    in_body = False  # content seen since the last accepted question
    last_body_end = -1
    i = 0
    while i < len(lines):
        ln = lines[i]
        if not allowed[i]:
            i += 1
            continue
        if ln.kind is Kind.HEADING:
            expected, in_body = None, False
        elif ln.kind is Kind.NUMBERED and ln.indent <= 1 and ln.body:
            translations, body_start = bilingual.attach(lines, i, ln.body)
            firm = strong(ln.body) or bool(translations) or _followed_by_answer(lines, i)
            asks = firm or weak(ln.body)
            in_sequence = expected is None or ln.number == expected
            definition = definition_like(ln.body) and not firm
            if in_body:
                ok = asks and not definition and (in_sequence or firm)
            else:
                ok = (asks or in_sequence) and not definition
            if ok:
                anchors.append(Anchor(
                    shape="bilingual_pairs" if translations else "numbered",
                    question=ln.body,
                    question_line=ln.no,
                    start=i,
                    body_start=body_start,
                    number=ln.number,
                    translations=translations,
                ))
                expected = (ln.number or 0) + 1
                in_body = False
                last_body_end = body_start
                i = body_start
                continue
        if i >= last_body_end and not ln.blank and ln.kind is not Kind.HEADING and anchors:
            in_body = True
        i += 1
    return anchors
