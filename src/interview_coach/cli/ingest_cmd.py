"""`coach ingest`, `coach sources`, `coach remove`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ..bank.store import Store
from ..ingest import hints as layout
from ..ingest.pipeline import FileReport, discover, ingest_paths, preview_paths
from ..ingest.reader import MAX_BYTES
from .common import JsonOpt, db_path, emit_json, err, handle_errors, open_store, out, shown_path


def _group_json(f: FileReport) -> list[dict[str, object]]:
    return [{"kind": g.kind, "first_line": g.first, "last_line": g.last, "items": g.items, "first_lines": list(g.sample),
             "refused": g.why is not None, "why": g.why} for g in f.groups]


def _file_json(f: FileReport) -> dict[str, object]:
    return {
        "path": f.path, "status": f.status, "items": f.items, "answered": f.answered, "shapes": f.shapes,
        "encoding": f.encoding, "error": f.error,
        "notices": [{"line": line, "message": msg} for line, msg in f.notices],
        "added": f.sync.added if f.sync else 0, "updated": f.sync.updated if f.sync else 0,
        "removed": f.sync.removed if f.sync else 0, "hints": f.hints, "groups": _group_json(f),
    }


def _print_preview(f: FileReport) -> None:
    if not f.ok:
        err.print(f"[red]✗[/red] {escape(f.error or '')}", markup=True)
        return
    hinted = f" (hints: {', '.join(f'{k}={v}' for k, v in f.hints.items())})" if f.hints else ""
    out.print(f"[bold]{escape(shown_path(f.path))}[/bold]: would read {f.items} questions, {f.answered} answered, "
              f"{f.encoding}{escape(hinted)}", markup=True)
    for g in f.groups:
        where = f"lines {g.first}-{g.last}" if g.last != g.first else f"line {g.first}"
        if g.why is None:
            out.print(f"  [green]read[/green]    {where}: {g.kind}, {g.items} question{'s' if g.items != 1 else ''}",
                      markup=True)
        else:
            out.print(f"  [yellow]refused[/yellow] {where}: {g.kind} — {escape(g.why)}", markup=True)
        for text in g.sample:
            out.print(f"            {escape(text)}", markup=True)
    for line, msg in f.notices:
        err.print(f"  [yellow]![/yellow] {line}: {escape(msg)}", markup=True)


def _print_file(f: FileReport) -> None:
    if not f.ok:
        err.print(f"[red]✗[/red] {escape(f.error or '')}", markup=True)
        return
    change = ""
    if f.sync and f.status == "updated":
        change = f" (+{f.sync.added} ~{f.sync.updated} -{f.sync.removed})"
    out.print(f"[green]✓[/green] {escape(shown_path(f.path))}: {f.items} questions, {f.answered} answered, "
              f"{', '.join(f.shapes)}, {f.encoding} — {f.status}{change}", markup=True)
    for line, msg in f.notices:
        err.print(f"  [yellow]![/yellow] {escape(shown_path(f.path))}:{line}: {escape(msg)}", markup=True)


@handle_errors
def ingest(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Files or folders (.md, .markdown, .txt; folders recursively)."),
    max_mb: float = typer.Option(MAX_BYTES / 1048576, "--max-mb", help="Skip files larger than this (MB)."),
    link: bool = typer.Option(True, "--link/--no-link",
                              help="Link the same question across files and languages (embeds new text)."),
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="Show what would be read (groups, questions per group, refused groups, notices); "
                                      "write nothing."),
    hint: list[str] = typer.Option([], "--hint", metavar="KEY=VALUE",
                                   help="Layout hint stored with the source and applied on every re-ingest: "
                                        + "; ".join(f"{k}: {v}" for k, v in layout.KEYS.items())
                                        + ". An empty value removes a hint."),
    as_json: bool = JsonOpt,
) -> None:
    """Read question banks into the bank: every question, answer and explanation with its lines.

    Re-ingesting an unchanged file changes nothing; an edited file updates its items and
    keeps their ids. Each file is one transaction. Exit status 1 if any file failed.
    """
    given = layout.parse(hint) if hint else {}
    per_file = {str(p.resolve()): given for p in discover(paths) if isinstance(p, Path)} if given else None
    if dry_run:
        bank = db_path(ctx)
        if Path(bank).exists():  # the hints stored with known sources apply; nothing is written
            with Store.open(bank) as store:
                previews = preview_paths(paths, max_bytes=int(max_mb * 1048576), hints=per_file, store=store)
        else:
            previews = preview_paths(paths, max_bytes=int(max_mb * 1048576), hints=per_file)
        if as_json:
            emit_json({"ok": all(f.ok for f in previews), "dry_run": True, "files": [_file_json(f) for f in previews]})
        else:
            for f in previews:
                _print_preview(f)
        if not all(f.ok for f in previews):
            raise typer.Exit(1)
        return
    with open_store(ctx) as store:
        if as_json or not err.is_terminal:
            report = ingest_paths(store, paths, max_bytes=int(max_mb * 1048576), hints=per_file,
                                  on_file=None if as_json else lambda f, k, n: _print_file(f))
        else:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          console=err, transient=True) as bar:
                task = bar.add_task("ingesting", total=None)

                def step(f: FileReport, k: int, n: int) -> None:
                    bar.update(task, completed=k, total=n)
                    _print_file(f)

                report = ingest_paths(store, paths, max_bytes=int(max_mb * 1048576), on_file=step, hints=per_file)
        linked = None
        if link and store.link_pending():  # also what an earlier, interrupted run left unlinked
            from .search_cmd import relink_bank

            linked = relink_bank(store, quiet=as_json)
        elif not link and store.link_pending():
            store.set_flag("link_pending", "skipped")
        if as_json:
            emit_json({"ok": report.ok, "files": [_file_json(f) for f in report.files],
                       "questions": store.stats()["questions"],
                       "links": dataclasses.asdict(linked) if linked else None})
        else:
            good = [f for f in report.files if f.ok]
            out.print(f"{len(good)} of {len(report.files)} files ingested, "
                      f"{sum(f.items for f in good)} questions; bank: {store.stats()['questions']} canonical questions")
    if not report.ok:
        raise typer.Exit(1)


@handle_errors
def sources(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """List the ingested sources with their item counts and detected shapes."""
    with open_store(ctx) as store:
        rows = store.sources()
        hinted = {s.path: store.source_hints(s.path) for s in rows}
    if as_json:
        emit_json([{"path": s.path, "items": s.items, "encoding": s.encoding, "shapes": s.shapes,
                    "sha256": s.sha256, "ingested_at": s.ingested_at, "notices": len(s.notices),
                    "hints": hinted[s.path]} for s in rows])
        return
    if not rows:
        out.print("no sources yet — run `coach ingest PATH`")
    for s in rows:
        hints = "  hints: " + ", ".join(f"{k}={v}" for k, v in hinted[s.path].items()) if hinted[s.path] else ""
        out.print(f"{shown_path(s.path)}  {s.items} items  {', '.join(s.shapes)}  {s.encoding}  {s.ingested_at}{hints}",
                  markup=False)


@handle_errors
def remove(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="Source path as listed by `coach sources`."),
    as_json: bool = JsonOpt,
) -> None:
    """Remove a source and its items from the bank (the file itself is not touched)."""
    path = source if source.startswith("/") else str(Path(source).resolve())
    with open_store(ctx) as store:
        known = {s.path for s in store.sources()}
        n = store.remove_source(path if path in known else source)
    if as_json:
        emit_json({"removed": source, "items": n})
    else:
        out.print(f"removed {source} ({n} items)")
