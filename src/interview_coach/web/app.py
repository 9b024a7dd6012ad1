"""The FastAPI app: server-rendered pages, a JSON API under /api/, static files from the package.

`create_app(db)` builds one app over one bank — a file or a PostgreSQL URL. Local mode (the
default) serves one user on loopback with no sign-in; team mode (`team=True`) has accounts and
roles, and may listen beyond loopback. Nothing is fetched from the network: the stylesheet and
the small script are in `static/`, the interactive API docs (which need a CDN) are off, and the
OpenAPI schema is served at `/api/openapi.json`. `asgi_app()` builds the app from the
environment, for `uvicorn --factory` with several worker processes.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__, accounts
from ..config import ENV_DB, default_db
from ..errors import ConfigError
from . import errors
from .auth import NeedsSignIn, csrf_protect
from .routes import account, drill, imports, jobs, library, mock, questions, search, settings, stats
from .security import SecurityMiddleware
from .state import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, AppState, Options

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]

API_DESCRIPTION = """The JSON API behind the Interview Coach pages (each page has a mirror here).

Requests that change anything (POST, PUT, DELETE) need either the header `X-Coach-Client`
(any value; for programs) or the session's CSRF token in `X-CSRF-Token` (for the pages' own JS);
a request from another site's page is refused. On a team server, sign in first
(`POST /api/login`, which sets the session cookie). Errors are JSON:
`{"error", "status", "detail", "problems"?}`."""


def is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def check_bind(host: str, team: bool) -> None:
    """A local server is one person's bank with no sign-in: it listens on loopback only."""
    if not team and not is_loopback(host):
        raise ConfigError(f"--host {host}: a local server has no accounts, so anyone who can reach {host} could "
                          "read and change the bank; listen on 127.0.0.1, or run a team server with --team")


def create_app(
    db: str | Path,
    *,
    team: bool = False,
    host: str = "127.0.0.1",
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    warm: bool = True,
    allowed_hosts: list[str] | None = None,
    secure_cookies: bool = False,
    job_stale_seconds: float = 30.0,
    run_jobs: bool = True,
    setup_code: str | None = None,
) -> FastAPI:
    """One app over the bank `db`. Only Host headers naming this machine are served (DNS
    rebinding) unless the server was bound to another address or `allowed_hosts` says otherwise."""
    check_bind(host, team)
    options = Options(str(db), team=team, max_upload_bytes=max_upload_bytes, allow_paths=not team and is_loopback(host),
                      warm=warm, secure_cookies=secure_cookies, job_stale_seconds=job_stale_seconds, run_jobs=run_jobs)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.coach.start()
        try:
            yield
        finally:
            app.state.coach.close()

    app = FastAPI(
        title="Interview Coach", version=__version__, description=API_DESCRIPTION, lifespan=lifespan,
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
    )
    st = AppState(options)
    if team and accounts.needs_setup(st.store):
        st.setup_code = setup_code or secrets.token_urlsafe(12)
    app.state.coach = st
    if allowed_hosts is None:
        allowed_hosts = LOOPBACK_HOSTS + ([] if is_loopback(host) or host in ("0.0.0.0", "::") else [host])
        if host in ("0.0.0.0", "::"):
            allowed_hosts = ["*"]
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityMiddleware, upload_cap=max_upload_bytes * MAX_UPLOAD_FILES + SMALL_MARGIN)
    errors.install(app)

    @app.exception_handler(NeedsSignIn)
    async def needs_sign_in(request: Request, exc: NeedsSignIn) -> Response:
        if errors.wants_json(request):
            return JSONResponse({"error": "Unauthorized", "status": 401, "detail": "sign in first (POST /api/login)"},
                                status_code=401)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(here)}", status_code=303)

    app.mount("/static", StaticFiles(packages=[("interview_coach.web", "static")]), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/api/health", include_in_schema=False)
    def health() -> dict[str, object]:
        return {"ok": True, "team": team}

    guard = [Depends(csrf_protect)]
    for module in (account, library, questions, search, drill, jobs, mock, stats, imports, settings):
        app.include_router(module.pages, dependencies=guard, include_in_schema=False)
        app.include_router(module.api, prefix="/api", dependencies=guard)
    return app


SMALL_MARGIN = 1024 * 1024  # form fields and multipart framing around the files


def asgi_app() -> FastAPI:
    """The app from the environment, for `uvicorn --factory interview_coach.web.app:asgi_app`
    (what `coach serve --workers N` runs in each worker process)."""
    env = os.environ
    return create_app(
        env.get(ENV_DB) or default_db(), team=env.get("INTERVIEW_COACH_TEAM") == "1",
        host=env.get("INTERVIEW_COACH_HOST", "127.0.0.1"),
        secure_cookies=env.get("INTERVIEW_COACH_SECURE_COOKIES") == "1",
        allowed_hosts=[h for h in env.get("INTERVIEW_COACH_ALLOWED_HOSTS", "").split(",") if h] or None,
        job_stale_seconds=float(env.get("INTERVIEW_COACH_JOB_STALE", "30")),
        setup_code=env.get("INTERVIEW_COACH_SETUP_CODE") or None,
    )
