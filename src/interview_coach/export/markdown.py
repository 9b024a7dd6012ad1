"""A clean bilingual handbook: each canonical question once, every answer with its source."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..bank.store import QuestionView

LANG_NAMES = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文", "mixed": "mixed"}


def _cite(path: str, start: int | None, end: int | None) -> str:
    name = Path(path).name
    if start is None:
        return name
    return f"{name}:{start}" if start == end else f"{name}:{start}–{end}"


def handbook(questions: Iterable[QuestionView], title: str = "Interview question handbook") -> Iterator[str]:
    yield f"# {title}\n"
    section: str | None = None
    for n, q in enumerate(questions, start=1):
        p = q.primary
        if (p.section or "") != (section or ""):
            section = p.section
            yield f"\n## {section or 'Other questions'}\n"
        yield f"\n### {n}. {p.question}\n\n"
        seen = {p.question}
        variants = []
        for it in q.items:
            for lang, text in [(it.lang, it.question), *it.translations.items()]:
                if text not in seen:
                    seen.add(text)
                    variants.append(f"- {LANG_NAMES.get(lang, lang)}: {text}")
        if variants:
            yield "\n".join(variants) + "\n\n"
        yield f"<sub>id {q.question_id}</sub>\n"
        for it in q.items:
            if it.answer:
                yield f"\n**Answer** ({_cite(it.source, it.answer_line_start, it.answer_line_end)})\n\n"
                yield it.answer.strip() + "\n"
            if it.explanation:
                yield f"\n**Explanation** ({_cite(it.source, it.explanation_line_start, it.explanation_line_end)})\n\n"
                yield it.explanation.strip() + "\n"
        if not any(it.answer for it in q.items):
            yield "\n_No answer in the bank yet._\n"
