"""Finishing a question's text: whole-question quotes removed, and the lines between a
question and a later answer label (options, a translation, metadata) put in their place."""

from __future__ import annotations

import re

from ..bank.types import ItemData
from ..text.lang import Lang, chinese_variant, detect_lang, prose_words
from .lines import Line
from .questionlike import strong

_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}


def unquoted(question: str) -> str:
    """`"What would you do?"` → `What would you do?` (a question quoted as a whole)."""
    q = question.strip()
    close = _QUOTES.get(q[:1])
    if close and len(q) > 2 and q.endswith(close) and q[0] not in q[1:-1] and close not in q[1:-1]:
        return q[1:-1].strip()
    return question


# " - Google, Amazon Interview Question": where it was asked, not what
_ASKED_AT = re.compile(r"\s+[-–—|]\s+[^-–—|?？]{0,80}\binterview questions?\s*$", re.I)
# "…差别？(今日头条)", "…? (Google)": a short tag after the question, where it was asked
_NOTE = re.compile(r"([?？。!！])[ \t]*[(（](?![A-Za-z0-9][)）])[^()（）,，、\s]{2,12}[)）][ \t]*$")
_QUOTED = re.compile(r"^(?:>[ \t]?)+")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")


def finish(question: str, strip: re.Pattern[str] | None = None) -> str:
    """Question text without quotes around it, where-it-was-asked suffixes, notes in
    brackets after a sentence end, and what a layout hint says to strip."""
    q = unquoted(_QUOTED.sub("", question).strip())
    if q.startswith("<") and q.endswith(">"):  # "<h3>What is X?</h3>", "<b>…</b>"
        q = _TAGS.sub("", q).strip() or q
    if strip is not None:
        q = strip.sub("", q).strip() or q
    q = _ASKED_AT.sub("", q)
    if "\n" not in q:  # options on lines of their own keep their brackets
        q = _NOTE.sub(r"\1", q).strip()
    return q


_OPTION = re.compile(r"^(?:[-*+]\s+)?[(（]?[A-Ha-h][)）.．、:：]\s*\S")
# "1. …" / "（2）…" / "③ …": numbered statements the question asks about ("下列说法正确的是：")
_STATEMENT = re.compile(r"^(?:[-*+]\s+)?(?:[(（]?\d{1,2}[)）.．、]|[①-⑩]|[ivx]{1,4}[.)])\s*\S", re.I)


def take_lead(item: ItemData, lead: list[Line], default_zh: Lang) -> None:
    """Lines between a question and its later answer label: multiple-choice options (or the
    numbered statements it asks about) join the question; a lone line asking the same in the
    other language is its translation; anything else (difficulty, tags) stays in the item's
    lines but in neither text."""
    options = [ln for ln in lead if _OPTION.match(ln.text)]
    if len(options) < 2:
        options = [ln for ln in lead if _STATEMENT.match(ln.text)]
    chosen = {id(ln) for ln in options}
    others = [ln.body or ln.text for ln in lead if id(ln) not in chosen]
    if len(others) == 1 and not item.translations and strong(others[0]):
        lang = detect_lang(others[0], default_zh)
        if (lang == "en") != (item.lang == "en"):
            item.translations = {item.lang: item.question, lang: others[0]}
    if len(options) >= 2:
        item.question = "\n".join([item.question, *(ln.text for ln in options)])
    item.line_end = max(item.line_end, lead[-1].no)


def item_lang(text: str, default_zh: Lang) -> Lang:
    """`mixed` is for text written in both languages (three English prose words or more, as
    the seed gold has it); a Chinese question with a couple of English terms ("如何在 fine
    tuning 时避免灾难性遗忘？", "什麼是 focal loss？") is Chinese, so that filtering by script
    finds it."""
    lang = detect_lang(text, default_zh)
    if lang == "mixed" and len(prose_words(text)) <= 2:
        return chinese_variant(text, default_zh)
    return lang
