"""`coach mock --job ID`: a timed mock interview in the terminal; `coach mock plan|report|list`."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.markup import escape

from ..errors import InvalidInput
from ..study import mockplan, mockreport, readiness
from ..study.mock import MODES, MockSession, Outcome, Prompt, Timer, show_feedback
from .common import JsonOpt, emit_json, handle_errors, open_store, out
from .study_cmd import _read_answer

app = typer.Typer(help="Mock interviews for a job: a plan from your weak topics, a timer, follow-ups, a report.",
                  invoke_without_command=True)

_MARK = {"covered": "[green]✓[/green]", "partial": "[yellow]~[/yellow]", "missing": "[red]✗[/red]"}


def _now() -> datetime:
    return datetime.now(UTC)


def _mode(value: str) -> str:
    if value not in MODES:
        raise typer.BadParameter("practice or interview", param_hint="--mode")
    return value


@app.callback()
@handle_errors
def mock(
    ctx: typer.Context,
    job: int = typer.Option(None, "--job", help="The job (see `coach job list`)."),
    minutes: int = typer.Option(30, "--minutes", min=1, max=240, help="Time budget of the session."),
    mode: str = typer.Option("practice", "--mode", callback=_mode,
                             help="practice: graded at once; interview: feedback only at the end."),
    resume: int = typer.Option(None, "--resume", metavar="SESSION", help="Continue a session that was interrupted."),
) -> None:
    """Run a mock interview for a job: the plan's questions one by one, each with a timer that informs
    and never cuts you off, at most one follow-up per question, every answer stored at once (and, when
    graded, logged as a review), then the report. `:q` stops early; what you answered is kept."""
    if ctx.invoked_subcommand is not None:
        return
    if job is None and resume is None:
        raise InvalidInput(["--job ID is required (see `coach job list`), or --resume SESSION"])
    with open_store(ctx) as store:
        if resume is not None:
            session = MockSession(store, resume, _now)
            if session.row.status == "finished":
                raise InvalidInput([f"mock interview {resume} is finished (see `coach mock report {resume}`)"])
        else:
            session = MockSession.start(store, job, minutes=minutes, mode=mode, clock=_now)
        row = session.row
        feedback = show_feedback(row.mode)
        out.print(f"[bold]Mock interview {row.id}[/bold] for job {row.job_id} — {row.mode} mode, {row.minutes} minutes, "
                  f"{len(row.plan)} question(s). Readiness now {row.before['overall']:.0%}.", markup=True)
        if not feedback:
            out.print("[dim]Interview mode: no feedback until the end.[/dim]", markup=True)
        while (prompt := session.next_prompt()) is not None:
            if not _ask(session, prompt, feedback):
                out.print("\n[dim]stopped — every answer given so far is kept[/dim]", markup=True)
                break
        session.finish()
        report = mockreport.build(store, row.id)
    out.print("")
    out.print(mockreport.markdown(report))


def _ask(session: MockSession, prompt: Prompt, feedback: bool) -> bool:
    """Ask one prompt; False when the user stops the session."""
    timer = Timer(prompt.target_seconds)
    if prompt.kind == "main":
        out.print(f"\n[bold]\\[{prompt.number}/{prompt.total}][/bold] [dim]{escape(prompt.topic or '')} · "
                  f"about {prompt.target_seconds // 60} min[/dim]", markup=True)
        out.print(f"[bold]{escape(prompt.text)}[/bold]", markup=True)
        out.print("[dim]Your answer — end with an empty line; Enter alone passes; :q stops[/dim]", markup=True)
    else:
        label = "Follow-up" if prompt.kind == "followup-point" else "Follow-up (a related question)"
        out.print(f"\n[bold]{label}:[/bold] {escape(prompt.text)}", markup=True)
        out.print("[dim]Your answer — end with an empty line; Enter alone skips the follow-up; :q stops[/dim]",
                  markup=True)
    text = _read_answer()
    if text is None:
        return False
    if prompt.kind != "main" and not text.strip():
        session.skip_followup()
        return True
    out.print(f"[dim]{timer.summary()}[/dim]", markup=True)
    result = session.answer(prompt, text, duration_ms=timer.elapsed * 1000)
    _show(result, feedback)
    return True


def _show(result: Outcome, feedback: bool) -> None:
    if not feedback:
        out.print("[dim]answer saved[/dim]", markup=True)
        return
    if result.score is None:
        out.print(f"[yellow]not graded[/yellow] [dim]({escape(result.note or '')})[/dim]", markup=True)
        return
    out.print(f"[bold]Score {result.score:.0f}/100[/bold]" + (f"  [dim](review: {result.rating})[/dim]"
                                                              if result.rating else ""), markup=True)
    for p in (result.grade or {}).get("key_points", []):
        out.print(f"  {_MARK.get(p['status'], '?')} {escape(p['text'][:200])}", markup=True)


@app.command("plan")
@handle_errors
def plan(
    ctx: typer.Context,
    job: int = typer.Option(..., "--job", help="The job (see `coach job list`)."),
    minutes: int = typer.Option(30, "--minutes", min=1, max=240),
    as_json: bool = JsonOpt,
) -> None:
    """The questions a mock interview would ask, in order, without starting it."""
    now = _now()
    with open_store(ctx) as store:
        j = store.profiles.get(job)
        rm = readiness.compute(store, j, now)
        p = mockplan.make(store, j, minutes, now, rm=rm)
    if as_json:
        emit_json(p.as_json())
        return
    out.print(f"[bold]{len(p.items)} question(s)[/bold] for {minutes} minutes ({p.per_question} min each):", markup=True)
    for n, item in enumerate(p.items, start=1):
        out.print(f"  {n}. [dim]{item.reason} · {item.topic} · recall on the day {item.recall:.0%}[/dim]", markup=True)
        out.print(f"     {item.text}")
    for note in p.notes:
        out.print(f"[yellow]note:[/yellow] {escape(note)}", markup=True)


@app.command("report")
@handle_errors
def report(
    ctx: typer.Context,
    session_id: int = typer.Argument(..., metavar="SESSION"),
    markdown: Path = typer.Option(None, "--markdown", "-o", help="Write the report as Markdown to this file (- for stdout)."),
    as_json: bool = JsonOpt,
) -> None:
    """The report of a mock interview (also of one stopped midway)."""
    with open_store(ctx) as store:
        data = mockreport.build(store, session_id, now=_now())
    if as_json:
        emit_json(data)
        return
    text = mockreport.markdown(data)
    if markdown is not None and str(markdown) != "-":
        markdown.write_text(text, encoding="utf-8")
        out.print(f"wrote {markdown}")
        return
    sys.stdout.write(text)


@app.command("list")
@handle_errors
def list_(
    ctx: typer.Context,
    job: int = typer.Option(None, "--job", help="Only sessions for this job."),
    as_json: bool = JsonOpt,
) -> None:
    """Your mock interviews: when, which job, how far, readiness before → after."""
    with open_store(ctx) as store:
        if job is not None:
            store.profiles.get(job)
        rows = store.mocks.sessions(job)
    data = [{"session_id": s.id, "job_id": s.job_id, "mode": s.mode, "minutes": s.minutes, "status": s.status,
             "started_at": s.started_at, "answers": s.answers, "planned": len(s.plan),
             "overall_before": s.before["overall"], "overall_after": s.after["overall"] if s.after else None} for s in rows]
    if as_json:
        emit_json(data)
        return
    for d in data:
        after = "—" if d["overall_after"] is None else f"{d['overall_after']:.0%}"
        out.print(f"[bold]{d['session_id']}[/bold]  job {d['job_id']} · {d['started_at']} · {d['mode']} · "
                  f"{d['answers']} answer(s) of {d['planned']} · {d['status']} · readiness {d['overall_before']:.0%} → {after}",
                  markup=True)
    if not data:
        out.print("no mock interviews yet: `coach mock --job ID`")
