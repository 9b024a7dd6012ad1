"""`coach list`, `coach show`, `coach stats`."""

from __future__ import annotations

from typing import Any

import typer

from ..bank.store import QuestionView
from ..bank.types import Filters, Item
from ..export.jsonl import item_record
from ..text.lang import LANGS
from .common import JsonOpt, emit_json, handle_errors, open_store, out, shown_path


def _where(it: Item, start: int | None = None, end: int | None = None) -> str:
    a = it.line_start if start is None else start
    b = it.line_end if end is None else end
    return f"{shown_path(it.source)}:{a}" + (f"-{b}" if b != a else "")


def _check_lang(lang: str | None) -> str | None:
    if lang is not None and lang not in LANGS:
        raise typer.BadParameter(f"must be one of {', '.join(LANGS)}", param_hint="--lang")
    return lang


@handle_errors
def list_(
    ctx: typer.Context,
    source: str = typer.Option(None, "--source", help="Only items from sources whose path contains this."),
    section: str = typer.Option(None, "--section", help="Only items whose section contains this."),
    lang: str = typer.Option(None, "--lang", help="en, zh-Hans, zh-Hant or mixed.", callback=_check_lang),
    answered: bool = typer.Option(None, "--answered/--unanswered", help="Only questions with / without an answer."),
    limit: int = typer.Option(None, "--limit", "-n", min=1, help="At most this many questions."),
    as_json: bool = JsonOpt,
) -> None:
    """List canonical questions (each once, with how many variants and answers it has)."""
    with open_store(ctx) as store:
        views = store.questions(Filters(source, section, lang, answered, limit))
    if as_json:
        emit_json([_summary(q) for q in views])
        return
    for q in views:
        p = q.primary
        answers = sum(1 for it in q.items if it.answer)
        flag = "" if answers else "  [yellow](unanswered)[/yellow]"
        out.print(f"[bold]{q.question_id}[/bold]  {p.question}  [dim]{p.lang} · {len(q.items)} variant(s) · "
                  f"{answers} answer(s) · {_where(p)}[/dim]{flag}", markup=True)
    if not views:
        out.print("no questions match")


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
    with open_store(ctx) as store:
        q = store.question(ident)
    if as_json:
        emit_json({"question_id": q.question_id, "langs": q.langs, "items": [item_record(it) for it in q.items]})
        return
    out.print(f"[bold]{q.primary.question}[/bold]  [dim]({q.question_id})[/dim]", markup=True)
    for it in q.items:
        out.print(f"\n[cyan]{it.item_id}[/cyan] {it.lang} · {_where(it)} · section: {it.section or '—'}"
                  f"{' · no. ' + str(it.number) if it.number is not None else ''}", markup=True)
        out.print(f"  Q: {it.question}")
        for lang, text in it.translations.items():
            if text != it.question:
                out.print(f"  {lang}: {text}")
        if it.answer:
            out.print(f"  [green]Answer[/green] ({_where(it, it.answer_line_start, it.answer_line_end)}):", markup=True)
            out.print("    " + it.answer.replace("\n", "\n    "))
        else:
            out.print("  [yellow]no answer in this source[/yellow]", markup=True)
        if it.explanation:
            out.print(f"  [green]Explanation[/green] "
                      f"({_where(it, it.explanation_line_start, it.explanation_line_end)}):", markup=True)
            out.print("    " + it.explanation.replace("\n", "\n    "))


@handle_errors
def stats(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """Counts: sources, questions, items, answers, languages and shapes."""
    with open_store(ctx) as store:
        data = store.stats()
    if as_json:
        emit_json(data)
        return
    out.print(f"{data['questions']} canonical questions from {data['items']} items in {data['sources']} sources")
    out.print(f"{data['answered_items']} items answered, {data['unanswered_questions']} questions without any answer, "
              f"{data['with_explanation']} with an explanation")
    out.print("languages: " + ", ".join(f"{k} {v}" for k, v in data["by_lang"].items()))
    out.print("shapes: " + ", ".join(f"{k} {v}" for k, v in data["by_shape"].items()))
