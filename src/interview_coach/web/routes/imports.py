"""Import: upload files or name a folder; a preview shows per file what would be read (the groups
read and refused, questions per group, notices) and takes layout hints before anything is
written; then a job in the bank's queue ingests, embeds and relinks, and reports per file what it
found.

Uploads are kept in the bank (any worker can read them) and stored as the source
`upload:<name>`. A file whose name is already in the bank is never replaced silently: the user
chooses to replace it (its items keep their ids where their text is kept) or to keep both (the
new one gets a name of its own)."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ...errors import InputError, InvalidInput, NotFound
from ...ingest import hints as layout
from ...ingest.pipeline import FileReport, preview_bytes, preview_paths
from ..auth import require
from ..jobs import file_json, job_json
from ..security import looks_binary, safe_upload_name
from ..state import MAX_UPLOAD_FILES, UserState, app_state
from ..templating import render

pages = APIRouter()
api = APIRouter(tags=["import"])

CHUNK = 64 * 1024
UPLOAD = "upload:"
Conflict = Literal["ask", "replace", "keep"]
editor = Depends(require("editor"))


def _rejected(name: str, reason: str) -> dict[str, Any]:
    return {"path": name, "name": name, "status": "rejected", "items": 0, "answered": 0, "unanswered": 0,
            "shapes": [], "encoding": None, "error": reason, "notices": [], "added": 0, "updated": 0, "removed": 0}


def _free_name(name: str, taken: set[str]) -> str:
    """`notes.md` → `notes (2).md`, … : a source name not in the bank yet."""
    stem, dot, suffix = name.rpartition(".")
    for n in range(2, 10_000):
        candidate = f"{stem} ({n}){dot}{suffix}"
        if UPLOAD + candidate not in taken:
            return candidate
    raise InvalidInput([f"{name}: too many files of this name"])  # pragma: no cover


async def read_uploads(st: UserState, files: list[UploadFile]) -> tuple[list[tuple[str, bytes]], list[dict[str, Any]]]:
    """(name, bytes) of each acceptable upload; why the others were refused. Reading stops at the
    size limit: a larger file is never read in full."""
    chosen = [f for f in files if f.filename]
    if not chosen:
        raise InvalidInput(["choose at least one .md, .markdown or .txt file"])
    if len(chosen) > MAX_UPLOAD_FILES:
        raise InvalidInput([f"at most {MAX_UPLOAD_FILES} files at once"])
    limit = st.options.max_upload_bytes
    good: list[tuple[str, bytes]] = []
    rejected: list[dict[str, Any]] = []
    for f in chosen:
        raw = f.filename or ""
        try:
            name = safe_upload_name(raw)
        except InvalidInput as e:
            rejected.append(_rejected(raw, "; ".join(e.problems)))
            continue
        data = bytearray()
        while len(data) <= limit:
            chunk = await f.read(CHUNK)
            if not chunk:
                break
            data += chunk
        if len(data) > limit:
            rejected.append(_rejected(raw, f"larger than the upload limit of {limit / 1048576:.1f} MB"))
        elif looks_binary(bytes(data[:8192])):
            rejected.append(_rejected(raw, "not a text file (binary content)"))
        else:
            good.append((name, bytes(data)))
    return good, rejected


def conflicts(st: UserState, names: list[str]) -> list[str]:
    """Uploaded names already in the bank."""
    with st.bank() as store:
        taken = {s.path for s in store.sources()}
    return [n for n in names if UPLOAD + n in taken]


def submit_uploads(st: UserState, files: list[tuple[str, bytes]], rejected: list[dict[str, Any]],
                   on_conflict: Conflict) -> int:
    """Store the uploads in the bank and queue their import; the job's id."""
    with st.bank() as store:
        taken = {s.path for s in store.sources()}
        uploads, names = [], {}
        for name, data in files:
            shown = name if on_conflict == "replace" or UPLOAD + name not in taken else _free_name(name, taken)
            source = UPLOAD + shown
            taken.add(source)
            upload_id = store.jobs.put_upload(shown, hashlib.sha256(data).hexdigest(), data, st.user.id,
                                              _now())
            uploads.append([upload_id, source])
            names[source] = shown
    return st.jobs.submit({"uploads": uploads, "names": names, "rejected": rejected}, st.user.id)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def folder_paths(st: UserState, raw: str) -> list[str]:
    if not st.options.allow_paths:
        raise HTTPException(403, "importing from a server folder is only allowed on a local server listening on "
                                 "this machine's loopback address; upload the files instead")
    problems, paths = [], []
    for line in [x.strip() for x in raw.splitlines() if x.strip()]:
        p = Path(line).expanduser()
        if not p.is_absolute():
            problems.append(f"{line}: give an absolute path (it is read on the server)")
        elif not p.exists():
            problems.append(f"{line}: no such file or folder")
        else:
            paths.append(str(p))
    if not paths and not problems:
        problems.append("give a folder or file path")
    if problems:
        raise InvalidInput(problems)
    return paths


def sources_json(st: UserState) -> list[dict[str, Any]]:
    with st.bank() as store:
        rows = store.sources()
    return [{"path": s.path, "name": Path(s.path.removeprefix(UPLOAD)).name, "items": s.items, "encoding": s.encoding,
             "shapes": s.shapes, "size": s.size, "ingested_at": s.ingested_at, "sha256": s.sha256,
             "uploaded": s.path.startswith(UPLOAD),
             "notices": [{"line": line, "message": msg} for line, msg in s.notices]} for s in rows]


def remove_source(st: UserState, path: str) -> dict[str, Any]:
    with st.bank() as store:
        n = store.remove_source(path)
    st.changed()
    return {"removed": path, "items": n}


# -- the preview ---------------------------------------------------------------------------------
def _hints_of(form: Any, refs: list[str]) -> dict[str, dict[str, str]]:
    """`hint-<k>-<key>` fields of the preview form (k: the file's position) → hints by ref; checked."""
    out: dict[str, dict[str, str]] = {}
    for k, ref in enumerate(refs):
        given = {key: str(form.get(f"hint-{k}-{key}", "")).strip() for key in layout.KEYS}
        given = {key: value for key, value in given.items() if value}
        if given:
            try:
                out[ref] = layout.check(given)
            except InputError as e:
                raise InvalidInput([f"file {k + 1}: {e.reason}"]) from e
    return out


def _previews(st: UserState, refs: list[str], hints: dict[str, dict[str, str]]) -> list[tuple[str, FileReport]]:
    """(ref, what would be read) for each ref: `upload:<id>` (this user's upload) or `path:<file>`."""
    out = []
    with st.bank() as store:
        for ref in refs:
            kind, _, value = ref.partition(":")
            if kind == "upload" and value.isdigit():
                name, data = store.jobs.upload(int(value), st.user.id)
                out.append((ref, preview_bytes(UPLOAD + name, data, st.options.max_upload_bytes, hints.get(ref), store)))
            elif kind == "path" and st.options.allow_paths and Path(value).is_absolute():
                out += [(f"path:{f.path}", f) for f in
                        preview_paths([value], max_bytes=st.options.max_upload_bytes,
                                      hints={value: hints[ref]} if ref in hints else None, store=store)]
            else:
                raise NotFound(f"{ref}: not a file this server may import")
    return out


def _preview_page(request: Request, st: UserState, refs: list[str], rejected: list[dict[str, Any]],
                  hints: dict[str, dict[str, str]] | None = None) -> Response:
    previews = _previews(st, refs, hints or {})
    files = [{**file_json(f), "ref": ref} for ref, f in previews]
    clash = conflicts(st, [f["name"] for f in files if f["ref"].startswith("upload:")])
    return render(request, "import_preview.html", {"files": files, "rejected": rejected, "hint_keys": layout.KEYS,
                                                    "conflicts": clash})


def _confirm(st: UserState, refs: list[str], hints: dict[str, dict[str, str]], on_conflict: Conflict) -> int:
    """Queue the import of what the preview showed, with its hints."""
    files, paths, by_source = [], [], {}
    with st.bank() as store:
        for ref in refs:
            kind, _, value = ref.partition(":")
            if kind == "upload" and value.isdigit():
                files.append((int(value), *store.jobs.upload(int(value), st.user.id)))
            elif kind == "path" and st.options.allow_paths and Path(value).is_absolute() and Path(value).exists():
                paths.append(value)
                if ref in hints:
                    by_source[str(Path(value).resolve())] = hints[ref]
            else:
                raise NotFound(f"{ref}: not a file this server may import")
    clash = conflicts(st, [name for _, name, _ in files])
    if clash and on_conflict == "ask":
        raise NameConflict(clash)
    uploads, names = [], {}
    with st.bank() as store:
        taken = {s.path for s in store.sources()}
    for upload_id, name, _ in files:
        shown = name if on_conflict == "replace" or UPLOAD + name not in taken else _free_name(name, taken)
        taken.add(UPLOAD + shown)
        uploads.append([upload_id, UPLOAD + shown])
        names[UPLOAD + shown] = shown
        if f"upload:{upload_id}" in hints:
            by_source[UPLOAD + shown] = hints[f"upload:{upload_id}"]
    return st.jobs.submit({"uploads": uploads, "paths": paths, "names": names, "hints": by_source}, st.user.id)


def _page(request: Request, st: UserState, extra: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    return render(request, "import.html", {
        "sources": sources_json(st), "jobs": [job_json(j) for j in st.jobs.recent(st.job_owner)],
        "allow_paths": st.options.allow_paths, "max_mb": st.options.max_upload_bytes / 1048576,
        "index": st.engine.status(), **(extra or {}),
    }, status_code=status_code)


# -- pages -------------------------------------------------------------------------------------
@pages.get("/import", response_class=HTMLResponse, dependencies=[editor])
def import_page(request: Request, st: UserState = Depends(app_state)) -> Response:
    return _page(request, st)


@pages.post("/import/upload", dependencies=[editor])
async def upload_page(request: Request, files: Annotated[list[UploadFile], File()],
                      on_conflict: Annotated[Conflict, Form()] = "ask",
                      st: UserState = Depends(app_state)) -> Response:
    good, rejected = await read_uploads(st, files)
    clash = conflicts(st, [n for n, _ in good])
    if clash and on_conflict == "ask":  # say so, and let the user choose; nothing is stored yet
        return _page(request, st, {"conflicts": clash}, status_code=409)
    job_id = submit_uploads(st, good, rejected, on_conflict)
    return RedirectResponse(f"/import/jobs/{job_id}", status_code=303)


@pages.post("/import/preview", response_class=HTMLResponse, dependencies=[editor])
async def preview_upload_page(request: Request, files: Annotated[list[UploadFile], File()],
                              st: UserState = Depends(app_state)) -> Response:
    """Uploads are kept in the bank (not imported) and previewed; the preview's form imports them."""
    good, rejected = await read_uploads(st, files)
    with st.bank() as store:
        refs = [f"upload:{store.jobs.put_upload(name, hashlib.sha256(data).hexdigest(), data, st.user.id, _now())}"
                for name, data in good]
    return await run_in_threadpool(_preview_page, request, st, refs, rejected)


@pages.post("/import/preview-path", response_class=HTMLResponse, dependencies=[editor])
def preview_path_page(request: Request, path: Annotated[str, Form(max_length=4000)],
                      st: UserState = Depends(app_state)) -> Response:
    return _preview_page(request, st, [f"path:{p}" for p in folder_paths(st, path)], [])


@pages.post("/import/confirm", dependencies=[editor])
async def confirm_page(request: Request, st: UserState = Depends(app_state)) -> Response:
    """Import what the preview showed, with the layout hints given there; "preview again" shows
    the preview with those hints instead."""
    form = await request.form()
    refs = [str(r) for r in form.getlist("refs")]
    if not refs:
        raise InvalidInput(["nothing to import"])
    hints = _hints_of(form, refs)
    if form.get("again"):
        return await run_in_threadpool(_preview_page, request, st, refs, [], hints)
    choice = str(form.get("on_conflict") or "ask")
    on_conflict: Conflict = choice if choice in ("ask", "replace", "keep") else "ask"  # type: ignore[assignment]
    try:
        job_id = await run_in_threadpool(_confirm, st, refs, hints, on_conflict)
    except NameConflict:
        return await run_in_threadpool(_preview_page, request, st, refs, [], hints)
    return RedirectResponse(f"/import/jobs/{job_id}", status_code=303)


@pages.post("/import/path", dependencies=[editor])
def path_page(path: Annotated[str, Form(max_length=4000)], st: UserState = Depends(app_state)) -> RedirectResponse:
    job_id = st.jobs.submit({"paths": folder_paths(st, path)}, st.user.id)
    return RedirectResponse(f"/import/jobs/{job_id}", status_code=303)


@pages.get("/import/jobs/{job_id}", response_class=HTMLResponse, dependencies=[editor])
def job_page(job_id: str, request: Request, st: UserState = Depends(app_state)) -> HTMLResponse:
    return render(request, "import_job.html", {"job": job_json(st.jobs.get(job_id, st.job_owner))})


@pages.post("/sources/remove", dependencies=[editor])
def remove_page(path: Annotated[str, Form(max_length=4000)], st: UserState = Depends(app_state)) -> RedirectResponse:
    remove_source(st, path)
    return RedirectResponse("/import", status_code=303)


# -- API ---------------------------------------------------------------------------------------
async def _maybe_wait(st: UserState, job_id: int, wait: bool) -> dict[str, Any]:
    job = st.jobs.get(str(job_id), st.job_owner)
    for _ in range(6000 if wait else 0):
        if job.status in ("done", "error"):
            break
        await asyncio.sleep(0.1)
        job = st.jobs.get(str(job_id), st.job_owner)
    return job_json(job)


class NameConflict(HTTPException):
    """409: uploaded names already in the bank, and how to say what to do with them."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(409, f"already in the bank: {', '.join(names)}; send on_conflict=replace to replace "
                              "them or on_conflict=keep to keep both")


class PathsIn(BaseModel):
    paths: list[str] = Field(min_length=1, max_length=100, description="absolute file or folder paths on the server")
    hints: dict[str, dict[str, str]] = Field(default_factory=dict,
                                             description="layout hints by file path, stored with each source: "
                                                         + "; ".join(f"{k}: {v}" for k, v in layout.KEYS.items()))


def _api_hints(body: PathsIn) -> dict[str, dict[str, str]]:
    try:
        return {str(Path(p).resolve()): layout.check(dict(h)) for p, h in body.hints.items()}
    except InputError as e:
        raise InvalidInput([e.reason]) from e


@api.post("/import", status_code=202, dependencies=[editor],
          summary="Upload .md/.markdown/.txt files and import them (a background job)")
async def upload_api(
    files: Annotated[list[UploadFile], File()],
    wait: bool = Query(False, description="answer only when the job is finished"),
    on_conflict: Conflict = Query("ask", description="a name already in the bank: ask (409), replace it, or keep both"),
    st: UserState = Depends(app_state),
) -> dict[str, Any]:
    good, rejected = await read_uploads(st, files)
    clash = conflicts(st, [n for n, _ in good])
    if clash and on_conflict == "ask":
        raise NameConflict(clash)
    return await _maybe_wait(st, submit_uploads(st, good, rejected, on_conflict), wait)


@api.post("/import/paths", status_code=202, dependencies=[editor],
          summary="Import files or folders on the server (local loopback servers only)")
async def paths_api(body: PathsIn, wait: bool = Query(False), st: UserState = Depends(app_state)) -> dict[str, Any]:
    job_id = st.jobs.submit({"paths": folder_paths(st, "\n".join(body.paths)), "hints": _api_hints(body)}, st.user.id)
    return await _maybe_wait(st, job_id, wait)


@api.post("/import/preview", dependencies=[editor],
          summary="What importing files or folders on the server would read; nothing is written")
def preview_api(body: PathsIn, st: UserState = Depends(app_state)) -> dict[str, Any]:
    hints = _api_hints(body)
    with st.bank() as store:
        reports = preview_paths(folder_paths(st, "\n".join(body.paths)), max_bytes=st.options.max_upload_bytes,
                                hints=hints, store=store)
    return {"files": [file_json(f) for f in reports]}


@api.get("/import/jobs/{job_id}", dependencies=[editor], summary="Progress and per-file report of an import job")
def job_api(job_id: str, st: UserState = Depends(app_state)) -> dict[str, Any]:
    return job_json(st.jobs.get(job_id, st.job_owner))


@api.get("/sources", summary="Ingested files with item counts, shapes, encodings and notices")
def sources_api(st: UserState = Depends(app_state)) -> list[dict[str, Any]]:
    return sources_json(st)


@api.delete("/sources", dependencies=[editor], summary="Remove one source and its items (the file is not touched)")
def remove_api(path: str = Query(...), st: UserState = Depends(app_state)) -> dict[str, Any]:
    return remove_source(st, path)
