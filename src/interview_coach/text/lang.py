"""Language of a piece of text: en, zh-Hans, zh-Hant or mixed.

The script is decided from the characters themselves (OpenCC), never from file names.
"""

from __future__ import annotations

import re
from typing import Literal

from .script import script_evidence

Lang = Literal["en", "zh-Hans", "zh-Hant", "mixed"]
LANGS: tuple[Lang, ...] = ("en", "zh-Hans", "zh-Hant", "mixed")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PARENS = re.compile(r"（[^）]*）|\([^)]*\)")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'+\-]*")


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def _is_name(word: str) -> bool:
    """Acronyms and product names (GPT, LLMs, GloVe, Word2Vec) are not prose."""
    body = word.rstrip("s")
    return body.isupper() or "-" in word or any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:])


def prose_words(text: str) -> list[str]:
    """English prose words outside parenthetical glosses, acronyms and names."""
    stripped = _PARENS.sub(" ", text)
    return [w for w in _WORD.findall(stripped) if len(w) > 1 and not _is_name(w)]


def chinese_variant(text: str, default: Lang = "zh-Hans") -> Lang:
    trad, simp = script_evidence(text)
    if trad > simp:
        return "zh-Hant"
    if simp > trad:
        return "zh-Hans"
    return default


def detect_lang(text: str, default_zh: Lang = "zh-Hans") -> Lang:
    """Classify text. `default_zh` decides Chinese text whose characters are common to both scripts."""
    cjk = cjk_count(text)
    words = prose_words(text)
    if cjk < 2:
        return "en"
    if len(words) >= 2:
        return "mixed"
    return chinese_variant(text, default_zh)


def is_chinese(lang: str) -> bool:
    return lang.startswith("zh")
