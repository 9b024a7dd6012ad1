"""`coach job add|list|show|edit|remove|readiness`: job profiles and the readiness map."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.markup import escape

from ..bank.profiles import JobRow
from ..errors import InvalidInput
from ..study import jobs, readiness
from ..study.readiness import ReadinessMap
from ..study.taxonomy import load
from .common import JsonOpt, emit_json, handle_errors, open_store, out

app = typer.Typer(help="Job profiles: the topics a job description asks for, and how ready you are.",
                  no_args_is_help=True)

MAX_BYTES = 1_000_000


def read_description(source: str) -> str:
    """The description from a file, or from standard input for `-`."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        where = "standard input"
    else:
        path = Path(source)
        if not path.is_file():
            raise InvalidInput([f"{source}: no such file (give a file, or - to read the description from standard input)"])
        data = path.read_bytes()[:MAX_BYTES + 1]
        where = source
    if len(data) > MAX_BYTES:
        raise InvalidInput([f"{where}: the description is larger than {MAX_BYTES // 1000} kB"])
    for enc in ("utf-8-sig", "gb18030", "big5"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InvalidInput([f"{where}: not readable text (UTF-8, GB18030 or Big5)"])


def print_job(job: JobRow) -> None:
    tax = load()
    date = f" · interview {job.interview_date}" if job.interview_date else " · no interview date (--date)"
    out.print(f"[bold]job {job.id}: {escape(job.title)}[/bold][dim]{date}"
              + (f" · {escape(job.url)}" if job.url else "") + "[/dim]", markup=True)
    for note in job.notes:
        out.print(f"[yellow]note:[/yellow] {escape(note)}", markup=True)
    for label, must in (("must-have", True), ("nice-to-have", False)):
        topics = [t for t in job.topics if t.must_have == must]
        out.print(f"\n[bold]{label}[/bold] ({len(topics)})", markup=True)
        for t in topics:
            name = tax.get(t.topic).name if t.topic in tax.topics else t.topic
            origin = " [dim](added by you)[/dim]" if t.origin == "manual" else ""
            out.print(f"  [cyan]{t.topic}[/cyan] — {escape(name)}{origin}", markup=True)
            for ev in t.evidence[:2]:
                out.print(f"      [dim]“{escape(ev[:140])}”[/dim]", markup=True)
    if job.unmatched:
        out.print(f"\n[bold]requirements matching no topic[/bold] ({len(job.unmatched)})", markup=True)
        for line in job.unmatched:
            out.print(f"  - {line[:160]}")


@app.command("add")
@handle_errors
def add(
    ctx: typer.Context,
    source: str = typer.Argument(..., metavar="FILE|-", help="The job description: a text file, or - for standard input."),
    title: str = typer.Option(None, "--title", help="Title of the job (default: the description's first line)."),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Interview date: readiness is forecast for it."),
    url: str = typer.Option(None, "--url", help="Where the posting came from (kept as provenance, never fetched)."),
    as_json: bool = JsonOpt,
) -> None:
    """Add a job from its description (English, 简体 or 繁體): the topics it requires, must-have or
    nice-to-have, with the lines that say so, and the requirements that match no topic."""
    text = read_description(source)
    jobs.check_date(date)
    with open_store(ctx) as store:
        job, _ = jobs.add(store, text, title=title, interview_date=date, url=url)
    if as_json:
        emit_json(jobs.as_json(job))
        return
    print_job(job)
    out.print(f"\nnext: `coach job readiness {job.id}`, `coach mock plan --job {job.id}`, `coach mock --job {job.id}`")


@app.command("list")
@handle_errors
def list_(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """Your job profiles."""
    with open_store(ctx) as store:
        rows = store.profiles.all()
    if as_json:
        emit_json([jobs.as_json(j) for j in rows])
        return
    for j in rows:
        must = sum(1 for t in j.topics if t.must_have)
        out.print(f"[bold]{j.id}[/bold]  {escape(j.title)}  [dim]{must} must-have, {len(j.topics) - must} nice-to-have"
                  + (f" · interview {j.interview_date}" if j.interview_date else "") + "[/dim]", markup=True)
    if not rows:
        out.print("no jobs yet: `coach job add FILE` (or - to paste a description)")


@app.command("show")
@handle_errors
def show(ctx: typer.Context, job_id: int = typer.Argument(..., metavar="ID"), as_json: bool = JsonOpt) -> None:
    """A job profile: topics with evidence, and what matched no topic."""
    with open_store(ctx) as store:
        job = store.profiles.get(job_id)
    if as_json:
        emit_json(jobs.as_json(job))
        return
    print_job(job)


@app.command("edit")
@handle_errors
def edit(
    ctx: typer.Context,
    job_id: int = typer.Argument(..., metavar="ID"),
    add: list[str] = typer.Option(None, "--add", help="Add a topic (id, name or alias; repeatable)."),
    remove: list[str] = typer.Option(None, "--remove", help="Remove a topic (repeatable)."),
    must: list[str] = typer.Option(None, "--must", help="Mark a topic must-have (adds it if absent)."),
    nice: list[str] = typer.Option(None, "--nice", help="Mark a topic nice-to-have (adds it if absent)."),
    title: str = typer.Option(None, "--title"),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD"),
    as_json: bool = JsonOpt,
) -> None:
    """Change a job's topics, title or interview date (`coach topics` lists the topic ids)."""
    with open_store(ctx) as store:
        job = jobs.edit(store, job_id, add=add or [], remove=remove or [], must=must or [], nice=nice or [],
                        title=title, interview_date=date)
    if as_json:
        emit_json(jobs.as_json(job))
        return
    print_job(job)


@app.command("remove")
@handle_errors
def remove(ctx: typer.Context, job_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Remove a job profile and its mock interviews (your reviews stay)."""
    with open_store(ctx) as store:
        job = store.profiles.get(job_id)
        store.profiles.remove(job_id)
    out.print(f"removed job {job_id} ({job.title})")


def print_readiness(rm: ReadinessMap) -> None:
    out.print(f"[bold]Readiness for {escape(rm.title)}[/bold] [dim](forecast for {rm.at})[/dim]", markup=True)
    width = 22
    for t in rm.topics:
        if t.status == "gap":
            continue
        bar = "█" * round(t.readiness * width) + "·" * (width - round(t.readiness * width))
        grades = ", ".join("—" if g is None else f"{g:.0f}" for g in t.recent_grades) or "no grades yet"
        colour = {"weak": "red", "fair": "yellow", "strong": "green"}.get(t.status, "white")
        out.print(f"  [{colour}]{bar}[/{colour}] {t.readiness:4.0%}  {escape(t.name)}"
                  f"{' [bold](must)[/bold]' if t.must_have else ''}  [dim]{t.questions} questions, {t.reviewed} reviewed; "
                  f"recent grades: {grades} · {t.status}[/dim]", markup=True)
    if rm.gaps:
        out.print("[bold]gaps — no questions in your bank:[/bold]", markup=True)
        for t in rm.gaps:
            out.print(f"  [red]✗[/red] {escape(t.name)}{' (must)' if t.must_have else ''} [dim]({t.topic})[/dim]",
                      markup=True)
    out.print(f"\n[bold]{rm.overall:.0%}[/bold] overall readiness. {escape(rm.sentence)}", markup=True)


@app.command("readiness")
@handle_errors
def readiness_cmd(
    ctx: typer.Context,
    job_id: int = typer.Argument(..., metavar="ID"),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Forecast for this day instead of the job's."),
    as_json: bool = JsonOpt,
) -> None:
    """Per required topic: questions in your bank, reviewed, the FSRS forecast of recall on the interview
    date, recent grades; gaps (no questions) apart from weak topics; one overall figure."""
    now = datetime.now(UTC)
    when = jobs.check_date(date)
    with open_store(ctx) as store:
        job = store.profiles.get(job_id)
        at = None
        if when is not None:
            at = max(datetime.fromisoformat(when + "T12:00:00+00:00"), now)
        rm = readiness.compute(store, job, now, at=at)
    if as_json:
        emit_json(rm.as_json())
        return
    print_readiness(rm)
