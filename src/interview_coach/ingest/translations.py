"""Bilingual line pairs: a question line followed directly by its translation.

Either language may come first (`1. What is X?` / `什么是X？` or the reverse).
"""

from __future__ import annotations

import re

from ..text.lang import cjk_count, detect_lang
from .lines import Kind, Line, answer_label, explanation_label, question_label
from .questionlike import questionlike, strong

_WORDS = re.compile(r"[A-Za-z]+")
_MARKUP = re.compile(r"^(?:</?[a-zA-Z][^>]*>\s*)+$|^!\[")


def side(text: str) -> str | None:
    if cjk_count(text) >= 2:
        return "zh"
    if sum(c.isalpha() for c in text) >= 3:
        return "en"
    return None


def translation_after(lines: list[Line], idx: int, question: str) -> tuple[str, int] | None:
    """The line right after `idx` when it is the same question in the other language."""
    if idx + 1 >= len(lines):
        return None
    nxt = lines[idx + 1]
    if nxt.kind not in (Kind.TEXT, Kind.BULLET) or nxt.indent > lines[idx].indent + 3:
        return None
    if nxt.kind is Kind.BULLET and nxt.indent > lines[idx].indent:  # an entry under it: its answer
        return None
    if answer_label(nxt) is not None or explanation_label(nxt) is not None or question_label(nxt) is not None:
        return None
    if _MARKUP.match(nxt.text):  # "<details>", "![figure](…)": markup, not a translation
        return None
    if strong(question) and not questionlike(nxt.body):  # "Pre-LN vs Post-LN？" then a one-line answer
        return None
    a, b = side(question), side(nxt.body)
    if a is None or b is None or a == b:
        return None
    # an English line after Chinese must not itself be Chinese-with-glosses, and vice versa
    if b == "en" and cjk_count(nxt.body) > 0:
        return None
    if b == "zh" and detect_lang(nxt.body) == "en":
        return None
    zh, en = (question, nxt.body) if a == "zh" else (nxt.body, question)
    ratio = len(_WORDS.findall(en)) / max(1, cjk_count(zh))
    if not 0.12 <= ratio <= 2.5:  # "01. 概述" / "Transformer (a network based on attention)": no translation
        return None
    return nxt.body, idx + 1


def attach(lines: list[Line], idx: int, question: str) -> tuple[dict[str, str], int]:
    """Translations for the question at `idx` and the index where its body begins."""
    found = translation_after(lines, idx, question)
    if not found:
        return {}, idx + 1
    text, at = found
    first = detect_lang(question)
    second = detect_lang(text, default_zh="zh-Hans")
    return {first: question, second: text} if first != second else {}, at + 1
