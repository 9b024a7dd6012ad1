"""Library objects → plain dicts, shared by the HTML pages and the JSON API (so they mirror)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bank.store import QuestionView, Store
from ..export.jsonl import item_record
from ..search.engine import Hit
from ..study import display, feedback
from ..study.grading import Grade
from ..study.scheduler import CardState, ReviewEntry
from .render import query_spans

LANG_NAMES = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文", "mixed": "mixed"}
SCRIPTS = ("en", "zh-Hans", "zh-Hant")
NO_SECTION = "(no section)"


def source_name(path: str) -> str:
    return Path(path).name


def summary(q: QuestionView, script: str) -> dict[str, Any]:
    shown = display.question_text(q, script)
    p = q.primary
    answers = sum(1 for it in q.items if it.answer)
    return {
        "question_id": q.question_id, "text": shown.text, "text_lang": shown.lang, "converted": shown.converted,
        "question": p.question, "lang": p.lang, "section": p.section,
        "sections": sorted({it.section or NO_SECTION for it in q.items}),
        "sources": sorted({it.source for it in q.items}), "langs": q.langs,
        "variants": len(q.items), "answers": answers, "answered": answers > 0,
        "source": p.source, "line_start": p.line_start,
    }


@dataclass(slots=True)
class LibraryIndex:
    """Every canonical question summarised once, with the facets to browse them by."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    sections: list[tuple[str, int]] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)
    langs: list[tuple[str, int]] = field(default_factory=list)
    unanswered: int = 0


def library_index(store: Store, script: str) -> LibraryIndex:
    grouped: dict[str, list[Any]] = {}
    for it in store.items():  # one query; same order as Store.question()'s items
        grouped.setdefault(it.question_id, []).append(it)
    rows = [summary(QuestionView(qid, items), script) for qid, items in grouped.items()]
    sections: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    for r in rows:
        sections.update(r["sections"])
        sources.update(r["sources"])
        langs.update(r["langs"])
    order = {k: i for i, k in enumerate(LANG_NAMES)}
    return LibraryIndex(
        rows, sorted(sections.items()), sorted(sources.items()),
        sorted(langs.items(), key=lambda kv: order.get(kv[0], 99)), sum(1 for r in rows if not r["answered"]))


def filter_rows(index: LibraryIndex, *, section: str | None = None, source: str | None = None,
                lang: str | None = None, answered: bool | None = None) -> list[dict[str, Any]]:
    """Exact facet values: a question matches when any of its variants does."""
    out = []
    for r in index.rows:
        if section and section not in r["sections"]:
            continue
        if source and source not in r["sources"]:
            continue
        if lang and lang not in r["langs"]:
            continue
        if answered is not None and r["answered"] != answered:
            continue
        out.append(r)
    return out


def question_detail(q: QuestionView, script: str) -> dict[str, Any]:
    shown = display.question_text(q, script)
    variants: list[dict[str, Any]] = []
    seen: set[str] = set()
    for it in q.items:
        for lang, text in [(it.lang, it.question), *it.translations.items()]:
            if text in seen:
                continue
            seen.add(text)
            variants.append({"lang": lang, "text": text, "item_id": it.item_id, "source": it.source,
                             "shown": text == shown.text})
    items = []
    for it in q.items:
        rec = item_record(it)
        rec["source_name"] = source_name(it.source)
        if it.answer:
            a = display.answer_text(it.answer, script)
            rec["answer_shown"], rec["answer_converted"] = a.text, a.converted
        if it.explanation:
            e = display.answer_text(it.explanation, script)
            rec["explanation_shown"], rec["explanation_converted"] = e.text, e.converted
        items.append(rec)
    return {
        "question_id": q.question_id, "text": shown.text, "text_lang": shown.lang, "converted": shown.converted,
        "script": script, "section": q.primary.section, "langs": q.langs, "variants": variants, "items": items,
        "answered": any(it.answer for it in q.items),
    }


def card_json(card: CardState) -> dict[str, Any]:
    return {"state": card.state.name.lower(), "due": card.due.isoformat(),
            "last_review": card.last_review.isoformat() if card.last_review else None,
            "stability": card.stability, "difficulty": card.difficulty}


def history_json(entries: list[ReviewEntry]) -> list[dict[str, Any]]:
    return [{"rating": e.rating.name, "reviewed_at": e.reviewed_at.isoformat(), "score": e.score,
             "answer": e.answer, "duration_ms": e.duration_ms} for e in entries]


def grade_json(question_id: str, g: Grade, script: str = "en") -> dict[str, Any]:
    return feedback.grade_json(question_id, g, script)


def hit_json(h: Hit, title: str | None = None, query: str | None = None) -> dict[str, Any]:
    """A search hit; `marks` are the [start, end) spans of the query's words in the matched text."""
    return {"question_id": h.question_id, "item_id": h.item_id, "score": round(h.score, 4),
            "similarity": round(h.similarity, 4), "text": h.text, "lang": h.lang, "source": h.source,
            "source_name": source_name(h.source), "title": title if title is not None else h.text,
            "marks": [list(s) for s in query_spans(query, h.text)] if query else []}
