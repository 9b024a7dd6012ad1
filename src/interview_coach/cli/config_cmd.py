"""`coach config` and `coach models`."""

from __future__ import annotations

import typer
from rich.markup import escape

from ..bank import settings
from ..providers import registry
from .common import JsonOpt, emit_json, handle_errors, open_store, out


@handle_errors
def config(
    ctx: typer.Context,
    key: str = typer.Argument(None, help=f"One of: {', '.join(settings.SETTINGS)}."),
    value: str = typer.Argument(None, help="New value; omit to print the current one."),
    as_json: bool = JsonOpt,
) -> None:
    """Show or change settings: preferred script, desired retention, embedding model."""
    with open_store(ctx) as store:
        if key is not None and value is not None:
            if key == "embedding_model":
                registry.load(value)  # fail now, not at the next search
            store.set_setting(key, value)
        values = store.settings() if key is None else {key: store.setting(key)}
    if as_json:
        emit_json(values)
        return
    for k, v in values.items():
        out.print(f"{k} = {escape(v)}    [dim]{settings.SETTINGS[k].help}[/dim]", markup=True)


@handle_errors
def models(as_json: bool = JsonOpt) -> None:
    """Embedding models available: built-ins, plugins and endpoints from providers.toml."""
    found = registry.available()
    if as_json:
        emit_json(found)
        return
    for name, desc in found.items():
        out.print(f"[bold]{escape(name)}[/bold]  {escape(desc)}", markup=True)
