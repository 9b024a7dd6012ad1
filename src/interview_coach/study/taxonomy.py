"""The shipped GenAI / ML topic taxonomy (`taxonomy.toml`) and its alias matcher.

A topic has a stable id, an English name, an area, an optional parent, a description and
aliases in English, 简体 and 繁體. `Taxonomy.find(text)` returns every alias occurrence in a
text of any of the three scripts: Chinese is folded to simplified (OpenCC t2s) on both sides,
Latin is matched case-insensitively on word boundaries (an alias written without lower-case
letters, like RAG or SFT, case-sensitively), hyphens count as spaces and a plural `s` is allowed.
Phrases listed under a topic's `not` (量化交易 is not quantisation) mask its aliases.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import InvalidInput
from ..text.script import to_simplified

_LATIN = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    name: str
    area: str
    parent: str | None
    description: str
    en: tuple[str, ...]
    zh_hans: tuple[str, ...]
    zh_hant: tuple[str, ...]
    not_: tuple[str, ...] = ()

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.en + self.zh_hans + self.zh_hant

    @property
    def zh_name(self) -> str:
        return self.zh_hans[0] if self.zh_hans else self.name

    def embed_text(self) -> str:
        """What the embedding matcher compares a requirement or a question with."""
        zh = "、".join(self.zh_hans[:3])
        return f"{self.name}" + (f" ({zh})" if zh else "") + f": {self.description}"


@dataclass(frozen=True, slots=True)
class Hit:
    topic: str
    alias: str
    start: int  # offsets into the folded text (same length as the original for almost all text)
    end: int


def fold(text: str) -> str:
    """Simplified script, hyphens and underscores as spaces (offsets kept)."""
    return to_simplified(text).replace("-", " ").replace("_", " ").replace("‐", " ").replace("–", " ")


def _alias_pattern(alias: str) -> tuple[str, bool]:
    """(regex, case-sensitive) for one alias, applied to folded (and, if insensitive, lower-cased) text."""
    folded = fold(alias).strip()
    sensitive = not any(c.islower() for c in folded) and sum(c.isalpha() for c in folded) >= 2 \
        and all(ord(c) < 128 for c in folded)
    text = folded if sensitive else folded.lower()
    parts: list[str] = []
    for i, c in enumerate(text):
        if c == " ":
            parts.append(r"\s?")
            continue
        if i and text[i - 1] != " " and (ord(c) < 128) != (ord(text[i - 1]) < 128):
            parts.append(r"\s?")  # 生成式AI also matches 生成式 AI
        parts.append(re.escape(c))
    body = "".join(parts)
    if _LATIN.match(folded[:1]):
        body = r"(?<![A-Za-z0-9])" + body
    if _LATIN.match(folded[-1:]):
        body += r"(?:s|es)?(?![A-Za-z0-9])"
    return body, sensitive


_RUNS = re.compile(r"[\x21-\x7e]+|[^\x00-\x7f\s]+")


def _anchor(alias: str) -> str:
    """The longest run of one script in an alias: it must occur in any text the alias matches."""
    return max(_RUNS.findall(fold(alias).lower()), key=len, default="")


class Taxonomy:
    def __init__(self, topics: list[Topic]) -> None:
        self.topics = {t.id: t for t in topics}
        self.order = [t.id for t in topics]
        self._patterns: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None]] = {}
        self._anchors: dict[str, tuple[str, ...]] = {}
        self._names: dict[str, str] = {}
        for t in topics:
            insensitive: list[str] = []
            sensitive: list[str] = []
            for alias in sorted(set(t.aliases), key=len, reverse=True):
                body, cs = _alias_pattern(alias)
                (sensitive if cs else insensitive).append(body)
            # a cheap test first: a topic none of whose anchors occurs in the text cannot match
            self._anchors[t.id] = tuple({_anchor(a) for a in t.aliases} - {""})
            nots = [re.escape(fold(n).lower()) for n in t.not_]
            self._patterns[t.id] = (
                re.compile("|".join(insensitive)) if insensitive else None,
                re.compile("|".join(sensitive)) if sensitive else None,
                re.compile("|".join(nots)) if nots else None,
            )
            for name in (t.id, t.name, *t.aliases):
                self._names.setdefault(fold(name).lower().strip(), t.id)

    def __len__(self) -> int:
        return len(self.topics)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return (self.topics[i] for i in self.order)

    def get(self, topic_id: str) -> Topic:
        return self.topics[topic_id]

    def resolve(self, name: str) -> str:
        """A topic id from an id, an English name or any alias (any script, any case)."""
        found = self._names.get(fold(name).lower().strip())
        if found is None:
            close = [t.id for t in self if name.lower() in t.id or name.lower() in t.name.lower()][:5]
            hint = f" (did you mean {', '.join(close)}?)" if close else " (see `coach topics`)"
            raise InvalidInput([f"unknown topic {name!r}{hint}"])
        return found

    def find(self, text: str) -> list[Hit]:
        """Every alias occurrence, as (topic, alias text as written, span), in text order."""
        folded = fold(text)
        lower = folded.lower()
        hits: list[Hit] = []
        for tid in self.order:
            if not any(a in lower for a in self._anchors[tid]):
                continue
            insensitive, sensitive, nots = self._patterns[tid]
            masked = [(m.start(), m.end()) for m in nots.finditer(lower)] if nots else []
            for pattern, target in ((insensitive, lower), (sensitive, folded)):
                if pattern is None:
                    continue
                for m in pattern.finditer(target):
                    if any(s <= m.start() < e for s, e in masked):
                        continue
                    hits.append(Hit(tid, text[m.start():m.end()] if len(text) == len(folded) else m.group(0),
                                    m.start(), m.end()))
        hits.sort(key=lambda h: (h.start, -h.end, h.topic))
        kept: list[Hit] = []
        for h in hits:  # one hit per span and topic: the longest alias (LLM inside LLMs)
            if not any(k.topic == h.topic and k.start <= h.start and h.end <= k.end for k in kept[-8:]):
                kept.append(h)
        return kept

    @staticmethod
    def nested(hits: list[Hit]) -> set[int]:
        """Indexes of hits lying strictly inside a longer hit of another topic (强化学习 inside
        人类反馈强化学习): weaker evidence for their own topic."""
        out = set()
        for i, h in enumerate(hits):
            for k in hits:
                if k.topic != h.topic and k.start <= h.start and h.end <= k.end and (k.end - k.start) > (h.end - h.start):
                    out.add(i)
                    break
        return out

    def topic_ids(self, text: str) -> list[str]:
        return list(dict.fromkeys(h.topic for h in self.find(text)))


def _load_file(data: bytes) -> list[Topic]:
    raw = tomllib.loads(data.decode("utf-8"))
    topics = []
    for t in raw["topic"]:
        topics.append(Topic(t["id"], t["name"], t["area"], t.get("parent"), t["description"], tuple(t.get("en", [])),
                            tuple(t.get("zh_hans", [])), tuple(t.get("zh_hant", [])), tuple(t.get("not", []))))
    ids = {t.id for t in topics}
    bad = [f"{t.id}: parent {t.parent!r}" for t in topics if t.parent is not None and t.parent not in ids]
    if len(ids) != len(topics) or bad:
        raise ValueError(f"taxonomy.toml is inconsistent: {'; '.join(bad) or 'duplicate ids'}")
    return topics


@lru_cache(maxsize=1)
def load() -> Taxonomy:
    """The shipped taxonomy (parsed and compiled once per process)."""
    return Taxonomy(_load_file(resources.files("interview_coach.study").joinpath("taxonomy.toml").read_bytes()))


__all__ = ["Hit", "Taxonomy", "Topic", "fold", "load"]
