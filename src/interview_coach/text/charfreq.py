"""How typical a text's Chinese characters are, from jieba's word-frequency dictionary.

Used to choose between legacy decodings (GB18030 vs Big5): the right one yields common
characters, a wrong one yields rare ones. Traditional text is folded to simplified first,
since the dictionary is simplified. Built lazily from jieba's dictionary the first time a
legacy-encoded file is read, then kept in the user data directory.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from functools import lru_cache
from pathlib import Path

from ..config import data_dir
from .script import to_simplified

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _dictionary() -> Path:
    spec = importlib.util.find_spec("jieba")  # locate, without importing, jieba's word list
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


@lru_cache(maxsize=1)
def _log_freq() -> dict[str, float]:
    source = _dictionary()
    cache = data_dir() / "cache" / "charfreq.json"
    stamp = f"{source.stat().st_size}:{int(source.stat().st_mtime)}"
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        if saved.get("stamp") == stamp:
            return dict(saved["table"])
    except (OSError, ValueError, KeyError):
        pass
    counts: dict[str, int] = {}
    with source.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ", 2)
            if len(parts) < 2:
                continue
            freq = int(parts[1])
            for ch in parts[0]:
                counts[ch] = counts.get(ch, 0) + freq
    total = sum(counts.values())
    table = {ch: math.log(c / total) for ch, c in counts.items()}
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(cache.name + ".part")
        tmp.write_text(json.dumps({"stamp": stamp, "table": table}, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cache)
    except OSError:
        pass  # a read-only data directory only costs the next process a second
    return table


def typicality(text: str) -> float | None:
    """Mean log-frequency of the CJK characters (higher is more typical); None without any."""
    chars = _CJK.findall(to_simplified(text[:20000]))
    if not chars:
        return None
    table = _log_freq()
    floor = -25.0  # characters the dictionary never uses
    return sum(table.get(c, floor) for c in chars) / len(chars)
