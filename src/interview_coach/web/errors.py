"""Errors at the edge: library errors become HTTP statuses, shown as a page or as JSON (/api/),
never as a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..accounts import LoginRefused, Throttled
from ..errors import (
    CoachError,
    ConfigError,
    InputError,
    InvalidInput,
    NotFound,
    StoreError,
)

log = logging.getLogger("interview_coach.web")

STATUS: list[tuple[type[CoachError], int]] = [
    (LoginRefused, 401), (Throttled, 429), (NotFound, 404), (InvalidInput, 400), (InputError, 400),
    (ConfigError, 500), (StoreError, 503),
]
TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 429: "Too many attempts",
          413: "Too large", 422: "Invalid input", 500: "Server error", 503: "Unavailable"}


def status_of(e: CoachError) -> int:
    for cls, code in STATUS:
        if isinstance(e, cls):
            return code
    return 500


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_response(request: Request, status: int, message: str, problems: list[str] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    if wants_json(request):
        body: dict[str, Any] = {"error": TITLES.get(status, "Error"), "status": status, "detail": message}
        if problems:
            body["problems"] = problems
        return JSONResponse(body, status_code=status, headers=headers)
    from .templating import render

    return render(request, "error.html", {"status": status, "title": TITLES.get(status, "Error"),
                                          "message": message, "problems": problems or []},
                  status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(CoachError)
    async def coach_error(request: Request, exc: CoachError) -> Response:
        problems = exc.problems if isinstance(exc, InvalidInput) else None
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
        return error_response(request, status_of(exc), str(exc), problems, headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code in (204, 304):
            return Response(status_code=exc.status_code)
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
        return error_response(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path", "form"))
            problems.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        return error_response(request, 422, "the request is not valid", problems)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "something went wrong on the server; the details are in its log")
