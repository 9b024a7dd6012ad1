"""`coach list`, `coach show`, `coach stats`."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape

from ..bank.store import QuestionView, Store
from ..bank.types import Filters, Item
from ..export.jsonl import item_record
from ..study import tagging
from ..study.tagging import TagView
from ..study.taxonomy import load
from .common import JsonOpt, check_lang, emit_json, handle_errors, open_store, out, shown_path


def _where(it: Item, start: int | None = None, end: int | None = None) -> str:
    a = it.line_start if start is None else start
    b = it.line_end if end is None else end
    return f"{shown_path(it.source)}:{a}" + (f"-{b}" if b != a else "")


@handle_errors
def list_(
    ctx: typer.Context,
    source: str = typer.Option(None, "--source", help="Only items from sources whose path contains this."),
    section: str = typer.Option(None, "--section", help="Only items whose section contains this."),
    lang: str = typer.Option(None, "--lang", help="en, zh-Hans, zh-Hant or mixed.", callback=check_lang),
    answered: bool = typer.Option(None, "--answered/--unanswered", help="Only questions with / without an answer."),
    limit: int = typer.Option(None, "--limit", "-n", min=1, help="At most this many questions."),
    topic: str = typer.Option(None, "--topic", help="Only questions tagged with this topic (id, name or alias; "
                                                    "see `coach topics`)."),
    as_json: bool = JsonOpt,
) -> None:
    """List canonical questions (each once, with how many variants and answers it has, and its topics)."""
    with open_store(ctx, linked=True) as store:
        tags = _tags(store, everything=topic is not None)
        if topic is not None:
            wanted = load().resolve(topic)
            views = [q for q in store.questions(Filters(source, section, lang, answered))
                     if any(t.topic == wanted for t in tags.get(q.question_id, []))][:limit]
        else:
            views = store.questions(Filters(source, section, lang, answered, limit))
    if as_json:
        emit_json([{**_summary(q), "topics": [t.topic for t in tags.get(q.question_id, [])]} for q in views])
        return
    for q in views:
        p = q.primary
        answers = sum(1 for it in q.items if it.answer)
        flag = "" if answers else "  [yellow](unanswered)[/yellow]"
        names = ", ".join(t.topic for t in tags.get(q.question_id, []))
        out.print(f"[bold]{q.question_id}[/bold]  {escape(p.question)}  [dim]{p.lang} · {len(q.items)} variant(s) · "
                  f"{answers} answer(s) · {escape(_where(p))}{' · ' + escape(names) if names else ''}[/dim]{flag}",
                  markup=True)
    if not views:
        out.print("no questions match")


def _tags(store: Store, everything: bool = False, only: list[str] | None = None) -> dict[str, list[TagView]]:
    """Topic tags; computed first for every question (`everything`) or for `only` (they are
    otherwise shown as last computed: listing must not wait for the embedding model)."""
    if everything or only:
        tagging.ensure(store, only=None if everything else only)
    return tagging.effective(store)


def _summary(q: QuestionView) -> dict[str, Any]:
    p = q.primary
    return {"question_id": q.question_id, "question": p.question, "lang": p.lang, "section": p.section,
            "variants": len(q.items), "answers": sum(1 for it in q.items if it.answer), "langs": q.langs,
            "source": p.source, "line_start": p.line_start}


@handle_errors
def show(
    ctx: typer.Context,
    ident: str = typer.Argument(..., metavar="ID", help="A question id (q…) or item id (i…)."),
    as_json: bool = JsonOpt,
) -> None:
    """Show a question: every variant and translation, every answer with its source and lines."""
    with open_store(ctx, linked=True) as store:
        q = store.question(ident)
        tags = _tags(store, only=[q.question_id]).get(q.question_id, [])
    topics = [{"topic": t.topic, "origin": t.origin} for t in tags]
    if as_json:
        emit_json({"question_id": q.question_id, "langs": q.langs, "topics": topics,
                   "items": [item_record(it) for it in q.items]})
        return
    out.print(f"[bold]{escape(q.primary.question)}[/bold]  [dim]({q.question_id})[/dim]", markup=True)
    if tags:
        out.print("topics: " + ", ".join(t.topic + (" (yours)" if t.origin == "manual" else "") for t in tags)
                  + f"  [dim](edit: coach tag {q.question_id} --add/--remove TOPIC)[/dim]", markup=True)
    for it in q.items:
        out.print(f"\n[cyan]{it.item_id}[/cyan] {it.lang} · {escape(_where(it))} · section: {escape(it.section or '—')}"
                  f"{' · no. ' + str(it.number) if it.number is not None else ''}", markup=True)
        out.print(f"  Q: {it.question}")
        for lang, text in it.translations.items():
            if text != it.question:
                out.print(f"  {lang}: {text}")
        if it.answer:
            out.print(f"  [green]Answer[/green] ({escape(_where(it, it.answer_line_start, it.answer_line_end))}):",
                      markup=True)
            out.print("    " + it.answer.replace("\n", "\n    "))
        else:
            out.print("  [yellow]no answer in this source[/yellow]", markup=True)
        if it.explanation:
            out.print(f"  [green]Explanation[/green] "
                      f"({escape(_where(it, it.explanation_line_start, it.explanation_line_end))}):", markup=True)
            out.print("    " + it.explanation.replace("\n", "\n    "))


@handle_errors
def stats(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """Bank counts (sources, questions, languages, shapes) and study progress: due cards,
    a 7-day forecast, reviews per day, true retention and per-topic mastery."""
    from datetime import UTC, datetime

    from ..study import mastery, reviews

    with open_store(ctx, linked=True) as store:
        data = store.stats()
        study = reviews.stats(store, datetime.now(UTC))
        topics = mastery.by_topic(store)
    if as_json:
        data["study"] = study
        data["topics"] = [{"topic": t.topic, "questions": t.questions, "reviewed": t.reviewed,
                           "mastered": t.mastered, "mean_score": t.mean_score} for t in topics]
        emit_json(data)
        return
    out.print(f"{data['questions']} canonical questions from {data['items']} items in {data['sources']} sources")
    out.print(f"{data['answered_items']} items answered, {data['unanswered_questions']} questions without any answer, "
              f"{data['with_explanation']} with an explanation")
    out.print("languages: " + ", ".join(f"{k} {v}" for k, v in data["by_lang"].items()))
    out.print("shapes: " + ", ".join(f"{k} {v}" for k, v in data["by_shape"].items()))
    retention = study["true_retention"]
    out.print(f"\nstudy: {study['due_now']} due now, {study['new']} never reviewed, {study['reviews']} reviews; "
              f"true retention {'—' if retention is None else f'{retention:.0%}'} "
              f"(desired {study['desired_retention']:.0%})")
    out.print("next 7 days: " + "  ".join(f"{d['date'][5:]} {d['due']}" for d in study["forecast"]))
    recent = study["reviews_per_day"][-7:]
    out.print("reviews, last 7 days: " + "  ".join(f"{d['date'][5:]} {d['reviews']}" for d in recent))
    reviewed = [t for t in topics if t.reviewed]
    if reviewed:
        out.print("mastery by topic:")
        for t in reviewed:
            score = "" if t.mean_score is None else f", mean grade {t.mean_score:.0f}"
            out.print(f"  {t.topic}: {t.mastered}/{t.questions} mastered ({t.share:.0%}), {t.reviewed} reviewed{score}")
