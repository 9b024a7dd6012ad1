"""`coach serve`: the web UI and JSON API — for yourself on this machine, or for a team."""

from __future__ import annotations

import errno
import os
import secrets
import socket

import typer

from ..errors import ConfigError
from .common import db_path, err, handle_errors, out


def _check_port(host: str, port: int) -> None:
    """Fail before announcing anything when the address cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            why = "is already in use (another server? pick another --port)" if e.errno == errno.EADDRINUSE \
                else f"cannot be used: {e.strerror}"
            raise ConfigError(f"{host}:{port} {why}") from None


@handle_errors
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to listen on. 127.0.0.1 (default): this machine only. "
                                  "Any other address needs --team."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    team: bool = typer.Option(False, "--team", help="Accounts and roles: a shared bank with private study, "
                                                    "for a team (the first account made is the admin)."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="Worker processes (team servers on PostgreSQL; each serves any request)."),
    secure_cookies: bool = typer.Option(False, "--secure-cookies",
                                        help="Mark cookies Secure (when a TLS proxy is in front)."),
    allowed_host: list[str] = typer.Option([], "--allowed-host",
                                           help="A host name clients use to reach the server (repeatable; "
                                                "default: the --host address and localhost)."),
) -> None:
    """Serve the web UI (library, search, drill, stats, import, settings) and the JSON API.

    Local (default): one person, no sign-in, 127.0.0.1 only. Team (--team): accounts and roles,
    any address, several workers on one PostgreSQL. Nothing is fetched from the network.
    Ctrl+C stops it.
    """
    import uvicorn

    from ..web.app import asgi_app, check_bind

    check_bind(host, team)
    db = db_path(ctx)
    if workers > 1 and not db.startswith("postgresql"):
        raise ConfigError("--workers above 1 needs a PostgreSQL bank (--db postgresql://…): SQLite serves one process")
    _check_port(host, port)
    env = {"INTERVIEW_COACH_DB": db, "INTERVIEW_COACH_TEAM": "1" if team else "0", "INTERVIEW_COACH_HOST": host,
           "INTERVIEW_COACH_SECURE_COOKIES": "1" if secure_cookies else "0",
           "INTERVIEW_COACH_ALLOWED_HOSTS": ",".join(allowed_host)}
    code = secrets.token_urlsafe(12)
    env["INTERVIEW_COACH_SETUP_CODE"] = code
    os.environ.update(env)
    app = asgi_app() if workers == 1 else None  # built now: a broken bank fails before the banner
    if app is not None and app.state.coach.setup_code is None:
        code = ""
    shown = f"[{host}]" if ":" in host else host
    mode = "team server" if team else "local, this machine only"
    out.print(f"Interview Coach ({mode}) at http://{shown}:{port}/  (Ctrl+C stops; JSON API under /api/)",
              highlight=False)
    if team and code:
        err.print(f"set-up: open http://{shown}:{port}/setup and enter the code {code} to make the admin account "
                  "(or run `coach user add NAME --role admin`)")
    if app is not None:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=team)
    else:
        uvicorn.run("interview_coach.web.app:asgi_app", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", server_header=False, proxy_headers=True)
