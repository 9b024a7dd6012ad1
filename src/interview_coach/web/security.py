"""Request hygiene: security headers, request body caps, upload names, image paths, redirects.

Every response gets the security headers and the cookies the request's handlers asked for
(`request.state.set_cookies`). Request bodies are capped before anything reads them: a request
announcing more than the cap is refused at once, and a body that grows past it while streaming
is cut off — nothing is spooled to disk first. (CSRF and sign-in are in `auth.py`.)
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import InvalidInput, NotFound

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
MEDIA_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
SMALL_BODY = 1024 * 1024  # every request but an upload


class BodyTooLarge(HTTPException):
    """The body grew past its cap while streaming (an HTTPException, so body parsers pass it on)."""

    def __init__(self, cap: int) -> None:
        super().__init__(413, f"the request is larger than {cap // 1048576 or 1} MB")


class SecurityMiddleware:
    """Pure ASGI: body caps, cookies, security headers and a Server-Timing header."""

    def __init__(self, app: ASGIApp, upload_cap: int) -> None:
        self.app = app
        self.upload_cap = upload_cap

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = scope.setdefault("state", {})
        path = scope.get("path", "")
        cap = self.upload_cap if path in ("/import/upload", "/api/import") else SMALL_BODY
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await _refuse(send, 413, f"the request is larger than {cap // 1048576 or 1} MB")
            return
        if scope.get("method") not in SAFE_METHODS and cross_site(headers):
            await _refuse(send, 403, "this request came from another site and was refused (CSRF protection)")
            return  # refused from its headers alone: nothing of the body is read
        seen = [0]

        async def capped_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen[0] += len(message.get("body", b""))
                if seen[0] > cap:
                    raise BodyTooLarge(cap)
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for cookie in state.get("set_cookies", []):
                    headers.append((b"set-cookie", cookie.encode("latin-1")))
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

        try:
            await self.app(scope, capped_receive, send_with_headers)
        except BodyTooLarge as e:
            await _refuse(send, 413, str(e.detail))


SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def cross_site(headers: dict[bytes, bytes]) -> bool:
    """A browser said the request comes from another origin (another site, or another port of
    this host): `Origin` names another host, or `Sec-Fetch-Site` says cross-site/same-site."""
    origin = headers.get(b"origin")
    if origin is not None:
        host = headers.get(b"host", b"").decode("latin-1").lower()
        return origin == b"null" or urlsplit(origin.decode("latin-1")).netloc.lower() != host
    site = headers.get(b"sec-fetch-site")
    return site is not None and site not in (b"same-origin", b"none")


async def _refuse(send: Send, status: int, detail: str) -> None:
    title = {403: "Forbidden", 413: "Too large"}.get(status, "Error")
    body = json.dumps({"error": title, "status": status, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


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
