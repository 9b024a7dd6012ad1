"""How typical a text's Chinese characters are, from jieba's word-frequency dictionary.

Used to choose between legacy decodings (GB18030 vs Big5): the right one yields common
characters, a wrong one yields rare ones. Traditional text is folded to simplified first,
since the dictionary is simplified. Loaded lazily, only when a decoding is ambiguous.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources

from .script import to_simplified

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _log_freq() -> dict[str, float]:
    counts: dict[str, int] = {}
    with resources.files("jieba").joinpath("dict.txt").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            for ch in word:
                counts[ch] = counts.get(ch, 0) + freq
    total = sum(counts.values())
    return {ch: math.log(c / total) for ch, c in counts.items()}


def typicality(text: str) -> float | None:
    """Mean log-frequency of the CJK characters (higher is more typical); None without any."""
    chars = _CJK.findall(to_simplified(text[:20000]))
    if not chars:
        return None
    table = _log_freq()
    floor = -25.0  # characters the dictionary never uses
    return sum(table.get(c, floor) for c in chars) / len(chars)
