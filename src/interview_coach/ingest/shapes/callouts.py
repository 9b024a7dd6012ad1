"""Obsidian callouts: `> [!question] …` holding the question, the next callout (`> [!tip]`,
`> [!answer]`, `> [!success]` …) holding the answer.

The question is the callout's first content line (quotes removed) when it asks or the
title does not, else the title; the answer is the content of the callout that follows (its
title line is not).
"""

from __future__ import annotations

import re

from ..lines import Line
from ..model import Anchor
from ..questionlike import questionlike

_HEAD = re.compile(r"^>\s*\[!(?P<type>[\w-]+)\][+-]?\s*(?P<title>.*)$")
_QUESTION_TYPES = {"question", "faq", "help", "quiz"}
_ANSWER_TYPES = {"tip", "hint", "answer", "success", "check", "done", "example", "note", "info", "summary", "abstract"}


def _callout(lines: list[Line], i: int) -> tuple[str, str, int] | None:
    """(type, title, index past the callout) for a callout starting at line i."""
    m = _HEAD.match(lines[i].text)
    if not m:
        return None
    end = i + 1
    while end < len(lines) and lines[end].text.startswith(">") and not _HEAD.match(lines[end].text):
        end += 1
    return m.group("type").lower(), m.group("title").strip(), end


def _unquote(line: Line) -> str:
    return line.text.lstrip(">").strip().strip("\"“”'").strip()


def find(lines: list[Line]) -> list[Anchor]:
    anchors: list[Anchor] = []
    i = 0
    while i < len(lines):
        got = _callout(lines, i)
        if got is None or got[0] not in _QUESTION_TYPES:
            i += 1
            continue
        _, title, end = got
        content = [ln for ln in lines[i + 1:end] if _unquote(ln)]
        if content and (questionlike(_unquote(content[0])) or not questionlike(title)):
            question, q_line = _unquote(content[0]), content[0].no
        else:
            question, q_line = title, lines[i].no
        nxt = end
        while nxt < len(lines) and lines[nxt].blank:
            nxt += 1
        answer = _callout(lines, nxt) if nxt < len(lines) else None
        body_start = body_end = end
        if answer is not None and answer[0] in _ANSWER_TYPES:
            body_start, body_end = nxt + 1, answer[2]
        if question:
            anchors.append(Anchor(shape="callouts", question=question, question_line=q_line, start=i,
                                  body_start=body_start, body_end=body_end))
        i = max(body_end, end)
    return anchors
