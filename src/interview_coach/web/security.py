"""Request hygiene: CSRF tokens, security headers, upload names, image paths, redirects.

CSRF (double submit): every browser gets a random token in an HttpOnly, SameSite=Strict
cookie; pages put it in a hidden `csrf_token` field of each form (and in a `<meta>` for the
JS). Every POST/PUT/PATCH/DELETE must carry it (form field or `X-CSRF-Token` header) equal to
the cookie. Programs calling the JSON API may instead send the custom header
`X-Coach-Client: <anything>`: a cross-site page can neither set a custom header on a form
post nor send one with fetch without a CORS preflight, which this server never grants.
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
import unicodedata
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import InvalidInput, NotFound

CSRF_COOKIE = "coach_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CLIENT_HEADER = "x-coach-client"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
MEDIA_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k == name:
                    return v
    return None


class SecurityMiddleware:
    """Pure ASGI: CSRF cookie, security headers and a Server-Timing header on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        cookie = _cookie(scope, CSRF_COOKIE)
        valid = cookie if cookie and _TOKEN.fullmatch(cookie) else None
        token = valid or secrets.token_urlsafe(32)
        state = scope.setdefault("state", {})
        state["csrf_token"] = token
        state["csrf_cookie"] = valid

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if valid is None:
                    headers.append((b"set-cookie",
                                    f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict".encode()))
                extra = {
                    b"content-security-policy": CSP.encode(),
                    b"x-content-type-options": b"nosniff",
                    b"x-frame-options": b"DENY",
                    b"referrer-policy": b"same-origin",
                    b"cross-origin-opener-policy": b"same-origin",
                }
                for k, v in extra.items():
                    if k not in names:
                        headers.append((k, v))
                ms = (time.perf_counter() - started) * 1000
                headers.append((b"server-timing", f"app;dur={ms:.1f}".encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def csrf_protect(request: Request) -> None:
    """Dependency for every router: unsafe methods need the session's token (or, for /api/,
    the custom client header)."""
    if request.method in SAFE_METHODS:
        return
    if request.url.path.startswith("/api/") and request.headers.get(CLIENT_HEADER):
        return
    expected = request.state.csrf_cookie
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again "
                                 "(programs calling /api/ send the header X-Coach-Client)")


# -- uploads ------------------------------------------------------------------------------------
UPLOAD_SUFFIXES = (".md", ".markdown", ".txt")
_UNSAFE_NAME = re.compile(r"[^\w.\-+()（）\[\] ]", re.UNICODE)


def safe_upload_name(raw: str | None) -> str:
    """A plain file name for an uploaded file: its last path component, no control or path
    characters, no leading dots, a text suffix. InvalidInput when nothing usable is left."""
    name = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").split("/")[-1])
    name = _UNSAFE_NAME.sub("_", "".join(c for c in name if unicodedata.category(c)[0] != "C"))
    name = re.sub(r"_+", "_", name).strip(" ._")
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = stem[: 120 - len(suffix) - 1] + dot + suffix
    if not name.lower().endswith(UPLOAD_SUFFIXES) or name.lower() in UPLOAD_SUFFIXES:
        raise InvalidInput([f"{raw!r}: only .md, .markdown and .txt files can be imported"])
    return name


def inside(base: Path, name: str) -> Path:
    """`base / name`, refusing anything that resolves outside `base`."""
    root = base.resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise InvalidInput([f"{name!r}: not a plain file name"])
    return target


def looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32 with a BOM is text
        return False
    return b"\x00" in head


# -- images of a source -------------------------------------------------------------------------
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".avif": "image/avif", ".bmp": "image/bmp", ".svg": "image/svg+xml"}


def source_image(source: str, ref: str) -> tuple[Path, str]:
    """The file an item's image reference points to, inside its source file's folder only."""
    if not ref or "\0" in ref or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", ref) or ref.startswith(("/", "\\")):
        raise NotFound(f"image {ref!r} is not a file next to its source")
    folder = Path(source).resolve().parent
    clean = ref.split("#")[0].split("?")[0]
    try:
        target = (folder / clean).resolve()
    except (OSError, RuntimeError, ValueError):
        raise NotFound(f"image {ref!r} cannot be resolved") from None
    if not target.is_relative_to(folder):
        raise NotFound(f"image {ref!r} is outside the folder of its source")
    kind = IMAGE_TYPES.get(target.suffix.lower())
    if kind is None:
        raise NotFound(f"{ref!r} is not an image")
    if not target.is_file():
        raise NotFound(f"image {ref!r} does not exist next to {Path(source).name}")
    return target, kind


def safe_next(url: Any, default: str = "/") -> str:
    """A local path to return to after a form post (never another site)."""
    if not isinstance(url, str) or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url if not any(c in url for c in "\r\n") else default
