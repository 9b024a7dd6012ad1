"""Keys and similarities for comparing question texts across scripts and formatting."""

from __future__ import annotations

import re

from .script import to_simplified

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def key(text: str) -> str:
    """Script-folded, case-folded text without spaces, punctuation or Markdown marks."""
    return _NOISE.sub("", to_simplified(text).casefold())


def bigrams(text: str) -> set[str]:
    t = key(text)
    return {t[i:i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def similarity(a: str, b: str) -> float:
    """Character-bigram Dice coefficient of two texts after `key` folding."""
    return dice(bigrams(a), bigrams(b))
