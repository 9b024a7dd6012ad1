"""`coach search`, `coach related`, `coach link`, `coach unlink`, `coach link-suggestions`,
`coach relink`, `coach glossary`."""

from __future__ import annotations

import dataclasses

import typer
from rich.markup import escape

from ..bank.store import Store
from ..search import linking
from ..search.engine import SearchEngine, bank_glossary
from .common import JsonOpt, ProgressBar, check_lang, emit_json, handle_errors, open_store, out, shown_path


def build_engine(store: Store, quiet: bool = False) -> SearchEngine:
    with ProgressBar(enabled=not quiet) as bar:
        return SearchEngine.build(store, progress=bar)


def relink_bank(store: Store, quiet: bool = False) -> linking.LinkReport:
    return linking.relink(store, lambda: build_engine(store, quiet))


@handle_errors
def search(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="Words or a question, in English, 简体 or 繁體."),
    k: int = typer.Option(10, "-k", min=1, max=200, help="How many questions to return."),
    lang: str = typer.Option(None, "--lang", help="Only match variants in this language.", callback=check_lang),
    source: str = typer.Option(None, "--source", help="Only match items from sources whose path contains this."),
    as_json: bool = JsonOpt,
) -> None:
    """Find canonical questions by meaning (dense, both models) and words (BM25, same script)."""
    with open_store(ctx, linked=True) as store:
        hits = build_engine(store, quiet=as_json).search(query, k, lang, source)
    if as_json:
        emit_json([{"question_id": h.question_id, "score": round(h.score, 4), "similarity": round(h.similarity, 4),
                    "text": h.text, "item_id": h.item_id, "lang": h.lang, "source": h.source} for h in hits])
        return
    if not hits:
        out.print("no matches")
    for n, h in enumerate(hits, start=1):
        out.print(f"{n:>2}. [bold]{h.question_id}[/bold]  {escape(h.text)}  [dim]{h.lang} · sim {h.similarity:.2f} · "
                  f"{escape(shown_path(h.source))}[/dim]", markup=True)


@handle_errors
def related(
    ctx: typer.Context,
    ident: str = typer.Argument(..., metavar="ID", help="A question id (q…) or item id (i…)."),
    k: int = typer.Option(10, "-k", min=1, help="How many related questions."),
    as_json: bool = JsonOpt,
) -> None:
    """Questions on the same narrow topic that are not the same question."""
    with open_store(ctx, linked=True) as store:
        qid = store.question(ident).question_id
        rows = linking.related(build_engine(store, quiet=as_json), qid, k)
    if as_json:
        emit_json([{"question_id": q, "similarity": round(s, 4), "text": t} for q, s, t in rows])
        return
    if not rows:
        out.print("no related questions")
    for q, s, t in rows:
        out.print(f"[bold]{q}[/bold]  {escape(t)}  [dim]sim {s:.2f}[/dim]", markup=True)


@handle_errors
def link(
    ctx: typer.Context,
    item_a: str = typer.Argument(..., help="Item id (i…)."),
    item_b: str = typer.Argument(..., help="Item id (i…) that asks the same question."),
    as_json: bool = JsonOpt,
) -> None:
    """Declare two items the same question. The decision survives re-ingest and re-linking."""
    with open_store(ctx) as store:
        linking.decide(store, item_a, item_b, "same")
        report = relink_bank(store, quiet=as_json)
        qid = store.item(item_a).question_id
    if as_json:
        emit_json({"linked": [item_a, item_b], "question_id": qid, "questions": report.questions_after})
    else:
        out.print(f"linked {item_a} and {item_b} → {qid}")


@handle_errors
def unlink(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="Item id (i…) to separate from its canonical question."),
    as_json: bool = JsonOpt,
) -> None:
    """Separate an item from the question it was linked to. The decision persists."""
    with open_store(ctx) as store:
        linking.decide(store, item, None, "different")
        relink_bank(store, quiet=as_json)
        qid = store.item(item).question_id
    if as_json:
        emit_json({"unlinked": item, "question_id": qid})
    else:
        out.print(f"{item} is now its own question {qid}")


@handle_errors
def link_suggestions(
    ctx: typer.Context,
    n: int = typer.Option(20, "-n", min=1, max=1000, help="How many pairs to show."),
    as_json: bool = JsonOpt,
) -> None:
    """Pairs of items that may ask the same question but were not linked automatically
    (close, but below the threshold for their two files). Accept one with `coach link A B`."""
    with open_store(ctx, linked=True) as store:
        pairs = linking.suggestions(store, build_engine(store, quiet=as_json), n)
        rows = [(s, store.item(a), store.item(b)) for s, a, b in pairs]
    if as_json:
        emit_json([{"similarity": round(s, 4), "items": [
            {"item_id": it.item_id, "question_id": it.question_id, "question": it.question, "source": it.source}
            for it in (x, y)]} for s, x, y in rows])
        return
    if not rows:
        out.print("no link suggestions")
    for s, x, y in rows:
        out.print(f"[dim]sim {s:.2f}[/dim]  coach link {x.item_id} {y.item_id}", markup=True)
        for it in (x, y):
            out.print(f"    {escape(it.question)}  [dim]{escape(shown_path(it.source))}:{it.question_line}[/dim]", markup=True)


@handle_errors
def relink(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """Recompute which items ask the same question (embeds what is new first)."""
    with open_store(ctx) as store:
        r = relink_bank(store, quiet=as_json)
    if as_json:
        emit_json(dataclasses.asdict(r))
        return
    out.print(f"{r.items} items → {r.questions_after} canonical questions (was {r.questions_before}); "
              f"{r.auto_links} links by meaning")


@handle_errors
def glossary(
    ctx: typer.Context,
    term: str = typer.Argument(None, help="Only pairs whose English or Chinese side contains this."),
    as_json: bool = JsonOpt,
) -> None:
    """Bilingual term pairs mined from the bank itself (e.g. 梯度裁剪 ↔ gradient clipping)."""
    with open_store(ctx) as store:
        pairs = bank_glossary(store)
    if term:
        t = term.casefold()
        pairs = [p for p in pairs if t in p.en.casefold() or t in p.zh or t in p.zh_original]
    if as_json:
        emit_json([{"en": p.en, "zh": p.zh, "count": p.count, "source": p.source} for p in pairs])
        return
    if not pairs:
        out.print("no glossary terms" + (f" matching {term!r}" if term else ""))
    for p in pairs:
        out.print(f"{escape(p.zh_original)}  ↔  {escape(p.en)}  [dim]({p.count}, {p.source})[/dim]", markup=True)
