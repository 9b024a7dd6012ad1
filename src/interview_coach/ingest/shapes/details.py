"""`<details><summary>Question</summary> answer </details>` blocks.

A block whose summary only says "Answer" / "Show answer" / "点击查看答案" is not a question:
it wraps the answer of the question before it, and is left to that question's body.
A block holding other blocks is a folded section, not a question.
"""

from __future__ import annotations

import re

from ..lines import Line, reveal_label
from ..model import Anchor

_OPEN = re.compile(r"<details\b", re.I)
_CLOSE = re.compile(r"</details\s*>", re.I)
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
_NUM = re.compile(r"^\s*(?:Q\s*)?(\d{1,3})\s*[.．、):：]\s*")


def _clean(html: str) -> str:
    text = _TAGS.sub("", html).replace("**", "").replace("__", "")
    return " ".join(text.split())


def find(lines: list[Line]) -> list[Anchor]:
    anchors: list[Anchor] = []
    i = 0
    while i < len(lines):
        if not _OPEN.search(lines[i].raw):
            i += 1
            continue
        # gather lines until the summary closes (summaries may span lines)
        j, joined = i, ""
        while j < len(lines) and j < i + 12:
            joined += lines[j].raw + "\n"
            if re.search(r"</summary\s*>", lines[j].raw, re.I):
                break
            j += 1
        m = _SUMMARY.search(joined)
        if not m or j >= len(lines):
            i += 1
            continue
        end = j + 1
        while end < len(lines) and not _CLOSE.search(lines[end].raw):
            end += 1
        if any(_OPEN.search(lines[k].raw) for k in range(j + 1, min(end, len(lines)))):
            i = j + 1  # a container of other blocks ("<summary>Chapter 2</summary>"): look inside
            continue
        question = _clean(m.group(1))
        if reveal_label(question):
            i = j + 1  # an answer wrapper: the question before it owns the block
            continue
        number = None
        nm = _NUM.match(question)
        if nm:
            number, question = int(nm.group(1)), question[nm.end():]
        q_line = next((k for k in range(i, j + 1) if "<summary" in lines[k].raw.lower()), i)
        # text after </summary> on the same line belongs to the body; keep it simple: next line
        anchors.append(Anchor(
            shape="details_blocks",
            question=question,
            question_line=lines[q_line].no,
            start=i,
            body_start=j + 1,
            body_end=min(end, len(lines)),
            number=number,
        ))
        i = end + 1
    return anchors


def owned_until(anchor: Anchor, lines: list[Line]) -> int:
    """Index just past the closing `</details>` line."""
    end = anchor.body_end if anchor.body_end is not None else anchor.body_start
    return min(end + 1, len(lines))
