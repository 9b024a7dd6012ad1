"""Cut Markdown answers into units of meaning: bullets, sentences, clauses.

Used on both sides of grading: reference answers become key points, a candidate's
answer becomes the spans that can serve as evidence. Offsets into the original text
are kept so that evidence can be highlighted where the user wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'\-+]*|\d+(?:\.\d+)?")
_LIST = re.compile(r"\s*(?:[-*+•·]\s+|\d{1,3}[.)．]\s+|\d{1,3}、\s*|[(（]\d{1,3}[)）]\s*)")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>", re.I)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"<[^>]+>")
_BOLD_LEAD = re.compile(r"^\*\*([^*]{1,60}?)\*\*\s*[:：]?\s*|^([^:：]{1,30})(?:：|:\s)")
_SENTENCE = re.compile(r"(?<=[。！？!?；;])\s*|(?<=[.])\s+(?=[A-Z\u4e00-\u9fff])")
_SENTENCE_NO_SEMICOLON = re.compile(r"(?<=[。！？!?])\s*|(?<=[.])\s+(?=[A-Z\u4e00-\u9fff])")
_CLAUSE = re.compile(r"(?<=[，,：:])\s*")
_MARKS = re.compile(r"\*\*|__|`")
_SOURCE_LINE = re.compile(r"^(?:圖片來源|图片来源|image source|source|來源|来源|閱讀|阅读|read (?:this|more))", re.I)

LONG = 90  # characters: longer sentences are also offered as clauses


@dataclass(frozen=True, slots=True)
class Span:
    text: str  # cleaned text (no Markdown marks)
    start: int  # offsets into the original string
    end: int
    lead: str | None = None  # a bold lead term ("**Generator:** …")
    heading: bool = False  # the line is a Markdown heading (a title, not a claim)


def weight(text: str) -> int:
    """Content size: CJK characters count one, Latin words count two."""
    return len(_CJK.findall(text)) + 2 * len(_WORD.findall(text))


def clean_map(line: str) -> tuple[str, list[int]]:
    """Line without Markdown/HTML marks, and for each kept character its index in `line`."""
    keep = [True] * len(line)

    def drop(a: int, b: int) -> None:
        for i in range(a, b):
            keep[i] = False

    for m in _IMAGE.finditer(line):
        drop(m.start(), m.end())
    for m in _LINK.finditer(line):
        if keep[m.start()]:
            drop(m.start(), m.start(1))  # "["
            drop(m.end(1), m.end())  # "](url)"
    for pattern in (_URL, _TAG, _MARKS):
        for m in pattern.finditer(line):
            drop(m.start(), m.end())
    lead = _HEADING.match(line) or _LIST.match(line)
    if lead:
        drop(0, lead.end())
        rest = _LIST.match(line, lead.end())
        if rest:
            drop(lead.end(), rest.end())
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(line):
        if not keep[i] or ch in "\r\n":
            continue
        if ch.isspace():
            if not chars or chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch)
        where.append(i)
    while chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    return "".join(chars), where


def clean(line: str) -> str:
    return clean_map(line)[0]


def _is_label(text: str) -> bool:
    """A short line ending in a colon introduces a list; it says nothing by itself."""
    return text.endswith((":", "：")) and weight(text) <= 24


def _pieces(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def split(text: str, min_weight: int = 4, clauses: bool = False, semicolons: bool = True) -> list[Span]:
    """Units of an answer, in order. `clauses` also offers the clauses of long sentences;
    `semicolons=False` keeps the parts of a sentence joined by semicolons together."""
    sentence = _SENTENCE if semicolons else _SENTENCE_NO_SEMICOLON
    spans: list[Span] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        line_start = offset
        offset += len(raw)
        body, where = clean_map(raw)
        if not body or _SOURCE_LINE.match(body) or _is_label(body):
            continue
        lead = None
        heading = bool(_HEADING.match(raw))
        stripped = raw.strip()
        listed = _LIST.match(stripped)
        m = _BOLD_LEAD.match(stripped[listed.end():] if listed else stripped)
        if m:
            lead = (m.group(1) or m.group(2) or "").strip(" :：") or None

        def span(a: int, b: int, base: int = line_start, where: list[int] = where) -> tuple[int, int]:
            return base + where[a], base + where[b - 1] + 1

        for a, b in _pieces(body, sentence):
            a, b = _strip(body, a, b)
            sent = body[a:b]
            if weight(sent) < min_weight:
                continue
            spans.append(Span(sent, *span(a, b), lead, heading))
            if clauses and len(sent) > LONG:
                for c, d in _pieces(sent, _CLAUSE):
                    c, d = _strip(sent, c, d)
                    part = sent[c:d]
                    if weight(part) >= min_weight and part != sent:
                        spans.append(Span(part, *span(a + c, a + d), lead, heading))
    return spans


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
