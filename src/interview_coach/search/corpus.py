"""What search and linking look at: every variant text of every item (its question and
each translation), with the item, canonical question, language and source it belongs to."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..bank.store import Store
from ..bank.types import Item


@dataclass(slots=True)
class Corpus:
    texts: list[str] = field(default_factory=list)
    item_ids: list[str] = field(default_factory=list)
    question_ids: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def fingerprint(self) -> str:
        h = hashlib.sha1()
        for iid, text in zip(self.item_ids, self.texts, strict=True):
            h.update(iid.encode())
            h.update(b"\0")
            h.update(text.encode())
            h.update(b"\1")
        return h.hexdigest()


def variants(question: str, translations: dict[str, str]) -> list[str]:
    return list(dict.fromkeys([question, *translations.values()]))


def load(store: Store, items: list[Item] | None = None) -> Corpus:
    """The corpus of `items` (default: every item of the bank)."""
    c = Corpus()
    for it in store.items() if items is None else items:
        for text in variants(it.question, it.translations):
            c.texts.append(text)
            c.item_ids.append(it.item_id)
            c.question_ids.append(it.question_id)
            c.langs.append(it.lang)
            c.sources.append(it.source)
    return c
