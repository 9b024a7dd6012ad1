"""`coach export`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from ..bank.types import Filters
from ..export import jsonl, markdown
from .common import err, handle_errors, open_store


class Format(StrEnum):
    jsonl = "jsonl"
    md = "md"


@handle_errors
def export(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.jsonl, "--format", "-f", help="jsonl: one item per line; md: a handbook."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    source: str = typer.Option(None, "--source", help="Only items from sources whose path contains this."),
) -> None:
    """Export the bank: JSONL items (the data contract) or a bilingual Markdown handbook."""
    with open_store(ctx, linked=True) as store:
        filters = Filters(source=source)
        chunks = jsonl.lines(store.items(filters)) if fmt is Format.jsonl else markdown.handbook(store.questions(filters))
        if output is None:
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        tmp = output.with_name(output.name + ".part")
        with tmp.open("w", encoding="utf-8") as fh:
            for chunk in chunks:
                fh.write(chunk)
        tmp.replace(output)
        err.print(f"wrote {output}")
