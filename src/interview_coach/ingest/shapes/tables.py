"""Markdown tables with a question column, and an answer column if there is one.

A topic column ("主題", "Topic") is kept with the question it frames
("ZeRO：Stage 1-3 有何不同？"), since such questions lean on it.
"""

from __future__ import annotations

import re

from ...text.lang import cjk_count
from ..lines import Kind, Line, strip_bold
from ..model import Anchor

_Q = re.compile(r"^(?:(?:common|typical|interview|sample)\s+)?(question|questions|q)$"
                r"|^.{0,4}(问题|問題|题目|題目|面试题|面試題|提问|提問)$", re.I)
_TOPIC = re.compile(r"^(topic|topics|subject|area|category|主题|主題|领域|領域|方向|类别|類別)$", re.I)
_A = re.compile(r"^(answer|answers|a|答案|回答|参考答案|參考答案|解答|要点|要點|key points)$", re.I)
_N = re.compile(r"^(#|no\.?|num|number|id|序号|序號|编号|編號)$", re.I)
_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_BR = re.compile(r"<br\s*/?>", re.I)


def cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    parts = re.split(r"(?<!\\)\|", row)
    return [p.strip().replace("\\|", "|") for p in parts]


def find(lines: list[Line]) -> list[tuple[Anchor, int]]:
    """Anchors for table rows, each with the index just past its table."""
    found: list[tuple[Anchor, int]] = []
    i = 0
    while i + 1 < len(lines):
        if lines[i].kind is not Kind.TABLE or not _RULE.match(lines[i + 1].text):
            i += 1
            continue
        header = [strip_bold(c).strip().lower() for c in cells(lines[i].text)]
        qcol = next((k for k, h in enumerate(header) if _Q.match(h)), None)
        acol = next((k for k, h in enumerate(header) if _A.match(h)), None)
        ncol = next((k for k, h in enumerate(header) if _N.match(h)), None)
        tcol = next((k for k, h in enumerate(header) if _TOPIC.match(h)), None)
        end = i + 2
        while end < len(lines) and lines[end].kind is Kind.TABLE:
            end += 1
        if qcol is None:
            i = end
            continue
        rows: list[Anchor] = []
        for k in range(i + 2, end):
            row = cells(lines[k].text)
            question = strip_bold(row[qcol]) if qcol < len(row) else ""
            if not question:
                continue
            topic = strip_bold(row[tcol]) if tcol is not None and tcol < len(row) else ""
            if topic and topic.lower() not in question.lower():
                question = f"{topic}{'：' if cjk_count(question) else ': '}{question}"
            answer = row[acol] if acol is not None and acol < len(row) else ""
            answer = "\n".join(part.strip() for part in _BR.split(answer)).strip()
            number = None
            if ncol is not None and ncol < len(row) and row[ncol].strip().rstrip(".").isdigit():
                number = int(row[ncol].strip().rstrip("."))
            rows.append(Anchor(
                shape="tables",
                question=question,
                question_line=lines[k].no,
                start=k,
                body_start=k + 1,
                body_end=k + 1,
                number=number,
                inline_answer=(answer, lines[k].no) if answer else None,
            ))
        found.extend((a, end) for a in rows)
        i = end
    return found
