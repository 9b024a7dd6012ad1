"""`<details><summary>Question</summary> answer </details>` blocks.

A block whose summary only says "Answer" / "Show answer" / "点击查看答案" is not a question:
it wraps the answer of the question before it, and is left to that question's body.
A block holding other blocks is a folded section: its contents are read as usual. A list
folded under "查看问题" / "Questions" (or under a summary that asks nothing, when most
entries ask) is a list of questions.
"""

from __future__ import annotations

import re

from ..lines import Kind, Line, reveal_label
from ..model import Anchor
from ..questionlike import questionlike

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
        summary = _clean(m.group(1))
        if any(_OPEN.search(lines[k].raw) for k in range(j + 1, min(end, len(lines)))):
            i = j + 1  # a folded section holding other blocks: look inside
            continue
        listed = _question_list(lines[j + 1:min(end, len(lines))], summary)
        if listed:  # a folded list of questions ("<summary>查看问题</summary>"), unanswered here
            anchors.extend(Anchor(shape="details_blocks", question=ln.body, question_line=ln.no, start=ln.no - 1,
                                  body_start=ln.no, body_end=ln.no, number=ln.number) for ln in listed)
            i = end + 1
            continue
        question = _clean(m.group(1))
        if reveal_label(question) or _LIST_SUMMARY.match(question):
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


_LIST_SUMMARY = re.compile(
    r"^(?:点击|點擊)?(?:查看|展开|展開|显示|顯示)?(?:全部|所有)?(?:问题|問題|题目|題目|面试题|面試題)(?:列表|清单|清單)?$"
    r"|^(?:show|view|see|expand)?\s*(?:the\s+|all\s+)?(?:interview\s+)?questions?(?:\s+list)?$", re.I)


def _question_list(inside: list[Line], summary: str) -> list[Line]:
    """The entries of a list folded under a summary that names it a list of questions, or
    that asks nothing over entries most of which ask; else []."""
    entries = [ln for ln in inside if ln.kind in (Kind.BULLET, Kind.NUMBERED) and ln.indent <= 1 and ln.body]
    content = [ln for ln in inside if not ln.blank]
    others = len(content) - len(entries)  # a "see the full text →" link may follow the list
    if len(entries) < 2 or others > max(1, len(entries) // 5):
        return []
    if _LIST_SUMMARY.match(summary.strip()):
        return entries
    if not questionlike(summary) and sum(questionlike(e.body) for e in entries) * 2 >= len(entries):
        return entries
    return []


def owned_until(anchor: Anchor, lines: list[Line]) -> int:
    """Index just past the closing `</details>` line."""
    end = anchor.body_end if anchor.body_end is not None else anchor.body_start
    return min(end + 1, len(lines))
