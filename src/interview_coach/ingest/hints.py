"""Per-source layout hints: what a person tells the parser about one file's layout.

They are stored with the source and applied on every re-ingest of it:

- `question_column`: the table column that holds the questions (its header or 1-based number);
- `answer_column`: the table column that holds the answers;
- `heading_level`: the heading level of the questions (1-6), when headings are the items;
- `strip`: a regular expression removed from every question ("\\s*\\(asked at \\w+\\)$").
"""

from __future__ import annotations

import re

from .model import HintError

KEYS = {
    "question_column": "table column holding the questions (header text or 1-based number)",
    "answer_column": "table column holding the answers (header text or 1-based number)",
    "heading_level": "heading level of the questions, 1-6",
    "strip": "regular expression removed from every question",
}


def parse(pairs: list[str]) -> dict[str, str]:
    """`["heading_level=3", "strip=\\s+- .*$"]` → a checked dict; an empty value removes a hint."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise HintError(f"{pair!r}: write a hint as KEY=VALUE ({', '.join(KEYS)})")
        out[key.strip()] = value.strip()
    return check(out)


def check(hints: dict[str, str]) -> dict[str, str]:
    for key, value in hints.items():
        if key not in KEYS:
            raise HintError(f"unknown hint {key!r}; known: {', '.join(f'{k} ({v})' for k, v in KEYS.items())}")
        if not value:
            continue
        if key == "heading_level" and not (value.isdigit() and 1 <= int(value) <= 6):
            raise HintError(f"heading_level={value!r}: give a level from 1 to 6")
        if key == "strip":
            try:
                re.compile(value)
            except re.error as e:
                raise HintError(f"strip={value!r} is not a valid pattern: {e}") from e
    return hints


def merged(stored: dict[str, str], given: dict[str, str] | None) -> dict[str, str]:
    """Stored hints updated by those given now; an empty value removes one."""
    out = dict(stored)
    for key, value in (given or {}).items():
        if value:
            out[key] = value
        else:
            out.pop(key, None)
    return out
