"""The FastAPI app: server-rendered pages, a JSON API under /api/, static files from the package.

`create_app(db_path)` builds one app over one bank. Nothing is fetched from the network: the
stylesheet and the small script are in `static/`, the interactive API docs (which need a CDN)
are off, and the OpenAPI schema is served at `/api/openapi.json`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ..config import data_dir
from . import errors
from .routes import drill, imports, library, questions, search, settings, stats
from .security import SecurityMiddleware, csrf_protect
from .state import MAX_UPLOAD_BYTES, AppState, Options

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]

API_DESCRIPTION = """The JSON API behind the Interview Coach pages (each page has a mirror here).

Requests that change anything (POST, PUT, DELETE) need either the header `X-Coach-Client`
(any value; for programs) or the page's CSRF token in `X-CSRF-Token` (for the pages' own JS).
Errors are JSON: `{"error", "status", "detail", "problems"?}`."""


def is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def create_app(
    db_path: str | Path,
    *,
    uploads_dir: str | Path | None = None,
    host: str = "127.0.0.1",
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    warm: bool = True,
    allowed_hosts: list[str] | None = None,
) -> FastAPI:
    """One app over the bank at `db_path`. Uploads go to `uploads_dir` (default: the user data
    directory's `uploads/`). Only Host headers naming this machine are served (DNS rebinding)
    unless the server was bound to another address."""
    options = Options(Path(db_path), Path(uploads_dir) if uploads_dir else data_dir() / "uploads",
                      max_upload_bytes=max_upload_bytes, allow_paths=is_loopback(host), warm=warm)

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
    app.state.coach = AppState(options)
    if allowed_hosts is None:
        allowed_hosts = LOOPBACK_HOSTS + ([] if is_loopback(host) or host in ("0.0.0.0", "::") else [host])
        if host in ("0.0.0.0", "::"):
            allowed_hosts = ["*"]
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityMiddleware)
    errors.install(app)
    app.mount("/static", StaticFiles(packages=[("interview_coach.web", "static")]), name="static")
    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    guard = [Depends(csrf_protect)]
    for module in (library, questions, search, drill, stats, imports, settings):
        app.include_router(module.pages, dependencies=guard, include_in_schema=False)
        app.include_router(module.api, prefix="/api", dependencies=guard)
    return app
