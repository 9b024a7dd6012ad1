"""`coach topics` (the taxonomy, with how many questions of the bank carry each topic) and
`coach tag` (edit the topics of a question)."""

from __future__ import annotations

import typer
from rich.markup import escape

from ..study import tagging
from ..study.taxonomy import load
from .common import JsonOpt, emit_json, handle_errors, open_store, out


@handle_errors
def topics(
    ctx: typer.Context,
    area: str = typer.Option(None, "--area", help="Only topics of this area (foundations, llm, vision, …)."),
    as_json: bool = JsonOpt,
) -> None:
    """The topic taxonomy (English, 简体, 繁體 aliases) with the number of bank questions tagged with each."""
    tax = load()
    with open_store(ctx) as store:
        tagging.ensure(store)
        counts = {t: len(qs) for t, qs in tagging.by_topic(store).items()}
    rows = [t for t in tax if area is None or t.area == area]
    if as_json:
        emit_json([{"id": t.id, "name": t.name, "area": t.area, "parent": t.parent, "description": t.description,
                    "en": list(t.en), "zh_hans": list(t.zh_hans), "zh_hant": list(t.zh_hant),
                    "questions": counts.get(t.id, 0)} for t in rows])
        return
    current = None
    for t in rows:
        if t.area != current:
            current = t.area
            out.print(f"\n[bold]{t.area}[/bold]", markup=True)
        zh = " / ".join(x for x in (t.zh_hans[:1] + t.zh_hant[:1]) if x)
        out.print(f"  [cyan]{t.id}[/cyan] {escape(t.name)} [dim]{escape(zh)} · {counts.get(t.id, 0)} question(s)[/dim]",
                  markup=True)


@handle_errors
def tag(
    ctx: typer.Context,
    ident: str = typer.Argument(..., metavar="ID", help="A question id (q…) or item id (i…)."),
    add: list[str] = typer.Option(None, "--add", help="Add a topic (id, name or alias; repeatable)."),
    remove: list[str] = typer.Option(None, "--remove", help="Remove a topic (repeatable)."),
    as_json: bool = JsonOpt,
) -> None:
    """Show or edit a question's topics. Your edits win over the automatic tags and survive re-ingest and relinking."""
    with open_store(ctx) as store:
        tagging.ensure(store)
        qid = store.question(ident).question_id
        tags = tagging.edit(store, qid, add=add or [], remove=remove or []) if (add or remove) \
            else tagging.topics_of(store, qid)
    if as_json:
        emit_json({"question_id": qid, "topics": [{"topic": t.topic, "origin": t.origin, "score": t.score} for t in tags]})
        return
    tax = load()
    out.print(f"[bold]{qid}[/bold] topics:", markup=True)
    for t in tags:
        note = " [dim](yours)[/dim]" if t.origin == "manual" else ""
        out.print(f"  [cyan]{t.topic}[/cyan] {escape(tax.get(t.topic).name)}{note}", markup=True)
    if not tags:
        out.print("  (none)")
