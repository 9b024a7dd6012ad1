"""Numbered questions: `1. …`, `**7.** …`, `1、…`, `(3) …`, with or without an answer label.

Numbered sub-lists inside answers are told apart from questions by the numbering
sequence, indentation and by whether the line reads like a question at all. A topic
line whose indented sub-list asks the questions (`5. k-means clustering.` then
`   1. How would you choose k?` …) is one question: the topic and its sub-questions.
"""

from __future__ import annotations

import re

from ..lines import Kind, Line, answer_label, numbered_rest, strip_bold
from ..model import Anchor
from ..questionlike import definition_like, imperative, strong, weak
from . import bilingual

_WORD = re.compile(r"[^\W_]")  # "3. ..." placeholders ask nothing
_LINK_ONLY = re.compile(r"^(?:(?:\[[^\]]*\]\([^)]*\)|\[\[[^\]]+\]\])[\s,，、|]*)+$")  # "1. [基础](#基础)": a table of contents


def _followed_by_answer(lines: list[Line], idx: int) -> bool:
    for ln in lines[idx + 1: idx + 4]:
        if ln.blank:
            continue
        if answer_label(ln) is not None:
            return True
        if ln.kind is not Kind.TEXT:
            return False
    return False


def sub_questions(lines: list[Line], idx: int) -> tuple[list[str], int]:
    """The indented list right under line `idx` when it asks questions (at least half of
    its entries end with a question mark, and it holds nothing but list entries): its
    entries and the index after it; else ([], idx + 1)."""
    top = lines[idx].indent
    entries: list[str] = []
    j = idx + 1
    while j < len(lines):
        ln = lines[j]
        if ln.blank:
            j += 1
            continue
        if ln.indent <= top or ln.kind not in (Kind.NUMBERED, Kind.BULLET) or answer_label(ln) is not None:
            break
        entries.append(ln.body)
        j += 1
    asking = sum(strong(e) for e in entries)
    if not entries or asking * 2 < len(entries):
        return [], idx + 1
    while j > idx + 1 and lines[j - 1].blank:
        j -= 1
    return entries, j


_RUN_ON = re.compile(r"(?<=[?？。!！.])\s*(\d{1,2})[.．、]\s*(?=\S)")


def run_on(body: str, first: int | None) -> list[tuple[int, str]]:
    """`1.A?2.B?3.C?` on one line: the numbered questions run together, when the numbers
    after sentence ends continue the line's own (at least three in all); else []."""
    if first is None:
        return []
    cuts, expected = [], first + 1
    for m in _RUN_ON.finditer(body):
        if int(m.group(1)) == expected:
            cuts.append(m)
            expected += 1
    if len(cuts) < 2:
        return []
    parts, start, number = [], 0, first
    for m in cuts:
        parts.append((number, body[start:m.start()].strip()))
        start, number = m.end(), int(m.group(1))
    parts.append((number, body[start:].strip()))
    return [(n, q) for n, q in parts if q]


_BOLD_Q = re.compile(r"^\*\*(?P<q>[^*]+?)\*\*\s*[:：—–-]?\s*(?P<a>\S.*)$")


def bold_question_with_answer(line: Line) -> tuple[str, str] | None:
    """`1. **What is a stride?** How far the kernel moves.`: (question, answer on the line)."""
    rest = numbered_rest(line.text)
    m = _BOLD_Q.match(rest) if rest else None
    if not m:
        return None
    question, answer = strip_bold(m.group("q")), m.group("a").strip()
    if not (strong(question) or imperative(question)) or len(answer.split()) < 3 and len(answer) < 8:
        return None
    return question, answer


def _lazy(lines: list[Line]) -> bool:
    """Every entry numbered `1.` (Markdown renumbers them): the sequence says nothing."""
    tops = [ln.number for ln in lines if ln.kind is Kind.NUMBERED and ln.indent <= 1]
    return len(tops) >= 3 and tops.count(1) >= 0.8 * len(tops)


def _answers_nested(lines: list[Line]) -> bool:
    """Answers written inside their list entries (indented under each `1.` line): then
    every top-level entry is a question, whether or not it reads like one."""
    tops = [k for k, ln in enumerate(lines) if ln.kind is Kind.NUMBERED and ln.indent <= 1]
    if len(tops) < 3:
        return False
    inside = nested = 0
    for a, b in zip(tops, tops[1:], strict=False):
        for ln in lines[a + 1:b]:
            if ln.blank or ln.kind is Kind.HEADING:
                continue
            inside += 1
            nested += ln.indent >= 2
    return inside >= len(tops) and nested >= 0.95 * inside


def find(lines: list[Line], allowed: list[bool]) -> list[Anchor]:
    """Numbered questions among lines where `allowed[i]` is true."""
    anchors: list[Anchor] = []
    lazy = _lazy(lines)
    nested = _answers_nested(lines)
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
        elif ln.kind is Kind.NUMBERED and ln.indent <= 1 and _WORD.search(ln.body) and not _LINK_ONLY.match(ln.body):
            translations, body_start = bilingual.attach(lines, i, ln.body)
            subs, after_subs = ([], body_start) if translations else sub_questions(lines, i)
            firm = strong(ln.body) or bool(translations) or bool(subs) or _followed_by_answer(lines, i)
            asks = firm or weak(ln.body)
            in_sequence = expected is None or ln.number == expected or (lazy and ln.number == 1)
            definition = definition_like(ln.body) and not firm
            if nested:
                ok = True
            elif in_body:
                ok = asks and not definition and (in_sequence or firm)
            else:
                ok = (asks or in_sequence) and not definition
            if ok:
                if subs:
                    body_start = after_subs
                run = run_on(ln.body, ln.number)
                number_: int | None = ln.number
                question_ = " ".join([ln.body, *subs])
                inline = None if subs or translations else bold_question_with_answer(ln)
                if inline:
                    question_ = inline[0]
                if run:  # "1.…是什么?2.…区别?3.…?" written as one paragraph: one item each
                    anchors.extend(Anchor(shape="numbered", question=q, question_line=ln.no, start=i, body_start=i + 1,
                                          number=n) for n, q in run[:-1])
                    number_, question_ = run[-1]
                anchors.append(Anchor(
                    shape="bilingual_pairs" if translations else "numbered",
                    question=question_,
                    question_line=ln.no,
                    start=i,
                    body_start=body_start,
                    number=number_,
                    inline_answer=(inline[1], ln.no) if inline else None,
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
