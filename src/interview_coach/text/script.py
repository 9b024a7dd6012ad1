"""Simplified/traditional Chinese conversion (OpenCC), cached converters."""

from __future__ import annotations

from functools import lru_cache
from operator import ne

import opencc


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Fold traditional Chinese to simplified (other text unchanged)."""
    return _converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    """Convert simplified Chinese to traditional (other text unchanged)."""
    return _converter("s2t").convert(text) if text else text


def script_evidence(text: str) -> tuple[int, int]:
    """Count characters that only traditional / only simplified writing uses.

    A character changed by t2s is traditional-only; one changed by s2t is
    simplified-only. Characters common to both scripts count for neither.
    """
    if not text:
        return 0, 0
    to_s = to_simplified(text)
    to_t = to_traditional(text)
    # OpenCC converts character by character for these configs, but phrase rules can
    # change lengths; compare position-wise only when lengths agree.
    trad = sum(map(ne, text, to_s)) if len(to_s) == len(text) else int(to_s != text)
    simp = sum(map(ne, text, to_t)) if len(to_t) == len(text) else int(to_t != text)
    return trad, simp


def to_traditional_display(text: str) -> str:
    """Simplified → traditional with Taiwan-standard character forms (為, 裡), for reading."""
    return _converter("s2tw").convert(text) if text else text
