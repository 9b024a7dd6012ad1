"""`coach grade` and `coach drill`."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from ..errors import CoachError, InvalidInput
from ..study import display, feedback
from ..study.bank_grading import BankGrader
from ..study.calibration import Label
from ..study.drill import DrillOptions, Session, propose
from ..study.grading import Grade, Status
from ..study.scheduler import Rating
from .common import JsonOpt, check_lang, emit_json, handle_errors, open_store, out, shown_path

_MARK = {Status.covered: "[green]✓ covered[/green]", Status.partial: "[yellow]~ partial[/yellow]",
         Status.missing: "[red]✗ missing[/red]"}


_LABEL = {Label.correct: "green", Label.partial: "yellow", Label.incorrect: "red", Label.off_topic: "red"}


def print_grade(g: Grade, script: str) -> None:
    flags = f"  [dim]({', '.join(g.flags)})[/dim]" if g.flags else ""
    colour = _LABEL[g.label]
    out.print(f"[bold]Score {g.score}/100[/bold]  [{colour}]{g.label}[/{colour}]: {escape(g.reason)}{flags}", markup=True)
    if g.veto is not None:
        other = display.answer_text(g.veto.question, script).text
        out.print(f"  [dim]This reads as an answer to[/dim] {escape(other)} [dim]({g.veto.question_id})[/dim]", markup=True)
    for p in g.points:
        ev = f"  [dim]← “{escape(p.evidence)}”[/dim]" if p.evidence else ""
        out.print(f"  {_MARK[p.status]}  {escape(feedback.point_text(p, script))}{ev}", markup=True)
    gaps = feedback.missed(g, script)
    if gaps and g.veto is None and g.label is not Label.correct:
        out.print("[bold]To study[/bold]: " + escape(" · ".join(gaps)), markup=True)


def print_reference(store: Any, question_id: str, script: str) -> None:
    q = store.question(question_id)
    for it in q.items:
        if not it.answer:
            continue
        shown = display.answer_text(it.answer, script)
        note = " [dim](converted by OpenCC)[/dim]" if shown.converted else ""
        out.print(f"[cyan]Reference[/cyan] {escape(shown_path(it.source))}:{it.answer_line_start}-{it.answer_line_end}{note}",
                  markup=True)
        out.print("  " + shown.text.replace("\n", "\n  "))


@handle_errors
def grade(
    ctx: typer.Context,
    question: str = typer.Option(None, "--question", "-q", help="Question id (q…) or item id (i…)."),
    answer: str = typer.Option(None, "--answer", "-a", help="The answer text."),
    answer_file: Path = typer.Option(None, "--answer-file", help="Read the answer from this file."),
    batch: Path = typer.Option(None, "--batch", help="JSONL: one {\"question\", \"answer\"} per line."),
    as_json: bool = JsonOpt,
) -> None:
    """Grade a free-text answer against the question's reference key points (0–100).

    Each key point is covered, partial or missing, with the evidence from the answer.
    --batch grades many answers in one run and writes one result per line, in order.
    """
    with open_store(ctx, linked=True) as store:
        grader = BankGrader(store)
        if batch is not None:
            _grade_batch(grader, batch, as_json)
            return
        problems = []
        if not question:
            problems.append("--question is required (or use --batch)")
        if (answer is None) == (answer_file is None):
            problems.append("give exactly one of --answer and --answer-file")
        if problems:
            raise InvalidInput(problems)
        if answer_file is not None:
            try:
                text = answer_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                raise InvalidInput([f"{answer_file}: cannot read the answer ({e})"]) from None
        else:
            text = answer
        qid = store.question(question).question_id
        g = grader.grade(qid, text)
        if as_json:
            emit_json(feedback.grade_json(qid, g, store.setting("script"), grader.refs[qid].answers))
            return
        script = store.setting("script")
        print_grade(g, script)
        print_reference(store, qid, script)


def _grade_batch(grader: BankGrader, path: Path, as_json: bool) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInput([f"{path}: cannot read ({e})"]) from None
    rows, problems = [], []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{path}:{n}: not JSON ({e.msg})")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("question"), str) or not isinstance(obj.get("answer"), str):
            problems.append(f"{path}:{n}: needs string fields \"question\" and \"answer\"")
            continue
        rows.append((n, obj))
    if problems:
        raise InvalidInput(problems)
    for n, obj in rows:
        try:
            qid = grader.store.question(obj["question"]).question_id
            result = feedback.grade_json(qid, grader.grade(qid, obj["answer"]))
        except CoachError as e:
            result = {"question_id": obj["question"], "error": str(e), "line": n}
        if "id" in obj:
            result["id"] = obj["id"]
        if as_json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            out.print(f"line {n}: {result.get('score', 'error')}  {result.get('error', '')}")


_RATINGS = {"1": Rating.Again, "2": Rating.Hard, "3": Rating.Good, "4": Rating.Easy,
            "a": Rating.Again, "h": Rating.Hard, "g": Rating.Good, "e": Rating.Easy}


def _read_answer() -> str | None:
    """Lines until an empty one; None to quit. Enter on the first line reveals."""
    lines: list[str] = []
    while True:
        try:
            line = input("> " if not lines else "  ")
        except EOFError:
            return None if not lines else "\n".join(lines)
        if not lines and line.strip() in (":q", ":quit"):
            return None
        if not line.strip():
            return "\n".join(lines)
        lines.append(line)


@handle_errors
def drill(
    ctx: typer.Context,
    topic: str = typer.Option(None, "--topic", help="Only questions whose section contains this."),
    source: str = typer.Option(None, "--source", help="Only questions from sources whose path contains this."),
    lang: str = typer.Option(None, "--lang", help="Only questions with a variant in this language.",
                             callback=check_lang),
    new: int = typer.Option(10, "--new", min=0, help="New (never reviewed) questions to add after the due ones."),
) -> None:
    """Drill due questions: type an answer (or Enter to reveal), see it graded, rate it.

    The proposed rating comes from the grade; Enter accepts it, 1–4 (or a/h/g/e) override.
    Each review is saved as soon as it is rated; `:q` or Ctrl-D ends the session.
    """
    with open_store(ctx, linked=True) as store:
        script = store.setting("script")
        session = Session(store, DrillOptions(topic, source, lang, new), clock=lambda: datetime.now(UTC))
        queue = session.start()
        if not queue:
            out.print("nothing due — come back later, or add new questions with --new")
            return
        done = 0
        for n, qid in enumerate(queue, start=1):
            q = store.question(qid)
            shown = display.question_text(q, script)
            note = " [dim](converted by OpenCC)[/dim]" if shown.converted else ""
            out.print(f"\n[bold]\\[{n}/{len(queue)}][/bold] [dim]{qid} · {escape(q.primary.section or '')}[/dim]",
                      markup=True)
            out.print(f"[bold]{escape(shown.text)}[/bold]{note}", markup=True)
            out.print("[dim]Your answer — end with an empty line; Enter alone reveals; :q quits[/dim]", markup=True)
            started = time.monotonic()
            text = _read_answer()
            if text is None:
                break
            score = None
            if text.strip():
                g = session.grade(qid, text)
                score = g.score
                print_grade(g, script)
            print_reference(store, qid, script)
            proposed = propose(score)
            choice = _ask_rating(proposed)
            if choice is None:
                break
            session.rate(qid, choice, score=score, answer=text or None,
                         duration_ms=int((time.monotonic() - started) * 1000))
            done += 1
            out.print(f"[dim]saved: {choice.name}[/dim]", markup=True)
        out.print(f"\n{done} review(s) saved.")


def _ask_rating(proposed: Rating) -> Rating | None:
    while True:
        try:
            raw = input(f"Rating [{proposed.name}] (Enter accepts; 1 Again, 2 Hard, 3 Good, 4 Easy; q quits): ")
        except EOFError:
            return None
        raw = raw.strip().lower()
        if raw in ("q", ":q"):
            return None
        if not raw:
            return proposed
        if raw in _RATINGS:
            return _RATINGS[raw]
        out.print("type 1, 2, 3, 4 (or a, h, g, e), Enter, or q")
