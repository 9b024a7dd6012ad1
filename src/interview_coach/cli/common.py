"""Shared CLI plumbing: the store to use, JSON output, errors as one-line messages."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from ..bank.store import Store
from ..config import default_db
from ..errors import CoachError
from ..text.lang import LANGS

out = Console(soft_wrap=True, highlight=False, markup=False)
err = Console(stderr=True, soft_wrap=True, highlight=False, markup=False)

F = TypeVar("F", bound=Callable[..., Any])

JsonOpt = typer.Option(False, "--json", help="Write JSON for programs instead of text for people.")


def check_lang(lang: str | None) -> str | None:
    """Typer callback for --lang options."""
    if lang is not None and lang not in LANGS:
        raise typer.BadParameter(f"must be one of {', '.join(LANGS)}", param_hint="--lang")
    return lang


def db_path(ctx: typer.Context) -> str:
    """The bank named by --db / INTERVIEW_COACH_DB (a file or a postgresql:// URL), or the default file."""
    obj = ctx.find_root().obj or {}
    return str(obj.get("db") or default_db())


def open_store(ctx: typer.Context, linked: bool = False) -> Store:
    """The bank. `linked`: the command shows canonical questions, so linking that an earlier run
    started and did not finish (killed, crashed) is finished first; a bank ingested with
    --no-link is left as the user chose (`coach relink` links it)."""
    store = Store.open(db_path(ctx))
    if linked:
        state = store.link_state()
        if state == "1":
            from .search_cmd import relink_bank

            err.print("linking the questions of the last import first (it did not finish) …")
            relink_bank(store, quiet=not err.is_terminal)
    return store


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def shown_path(path: str) -> str:
    """Paths under the current directory are shown relative to it."""
    try:
        return os.path.relpath(path) if Path(path).is_absolute() and Path(path).resolve().is_relative_to(Path.cwd()) else path
    except ValueError:
        return path


def handle_errors(fn: F) -> F:
    """Turn library errors into `error: …` on stderr and the error's exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CoachError as e:
            err.print(f"[red]error:[/red] {escape(str(e))}", markup=True)
            raise typer.Exit(e.exit_code) from None

    return wrapper  # type: ignore[return-value]


class ProgressBar:
    """A rich progress bar on stderr (only on a terminal) behind a `(label, done, total)` callback."""

    def __init__(self, enabled: bool = True) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.enabled = enabled and err.is_terminal
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TimeRemainingColumn(), console=err, transient=True) if self.enabled else None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> ProgressBar:
        if self._bar:
            self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar:
            self._bar.__exit__(None, None, None)

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self._bar:
            return
        if label not in self._tasks:
            self._tasks[label] = self._bar.add_task(label, total=total)
        self._bar.update(self._tasks[label], completed=done, total=total)
