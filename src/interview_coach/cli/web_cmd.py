"""`coach serve`: the web UI and JSON API on this machine."""

from __future__ import annotations

import typer

from .common import db_path, err, handle_errors, out


@handle_errors
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this machine only)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    uploads: str = typer.Option(None, "--uploads", help="Folder for uploaded files (default: DATA_DIR/uploads)."),
) -> None:
    """Serve the web UI (library, search, drill, stats, import, settings) and the JSON API.

    Binds to 127.0.0.1 by default; nothing is fetched from the network. Ctrl+C stops it.
    """
    import uvicorn

    from ..web.app import create_app, is_loopback

    app = create_app(db_path(ctx), uploads_dir=uploads, host=host)
    shown = f"[{host}]" if ":" in host else host
    out.print(f"Interview Coach at http://{shown}:{port}/  (Ctrl+C stops; JSON API under /api/)", highlight=False)
    if not is_loopback(host):
        err.print(f"[yellow]warning:[/yellow] listening on {host}: anyone who can reach this address can read "
                  "and change your bank", markup=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
