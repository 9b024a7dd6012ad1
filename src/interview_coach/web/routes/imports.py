"""Import: upload files or name a folder; a preview shows per file what would be read (the
groups read and refused, questions per group, notices) and takes layout hints before
anything is written; then a background job ingests, embeds and relinks, and reports per
file what it found. Uploads are kept in the user data directory's `uploads/`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from ...errors import InputError, InvalidInput
from ...ingest import hints as layout
from ...ingest.pipeline import preview_paths
from ..jobs import Job, file_json
from ..security import inside, looks_binary, safe_upload_name
from ..state import MAX_UPLOAD_FILES, AppState, app_state
from ..templating import render

pages = APIRouter()
api = APIRouter(tags=["import"])

CHUNK = 64 * 1024


def _rejected(name: str, reason: str) -> dict[str, Any]:
    return {"path": name, "name": name, "status": "rejected", "items": 0, "answered": 0, "unanswered": 0,
            "shapes": [], "encoding": None, "error": reason, "notices": [], "added": 0, "updated": 0, "removed": 0}


async def save_uploads(st: AppState, files: list[UploadFile]) -> tuple[list[Path], dict[str, str],
                                                                         list[dict[str, Any]]]:
    """Store each acceptable upload under a sanitised name; say why the others were refused."""
    chosen = [f for f in files if f.filename]
    if not chosen:
        raise InvalidInput(["choose at least one .md, .markdown or .txt file"])
    if len(chosen) > MAX_UPLOAD_FILES:
        raise InvalidInput([f"at most {MAX_UPLOAD_FILES} files at once"])
    folder = st.options.uploads_dir
    folder.mkdir(parents=True, exist_ok=True)
    limit = st.options.max_upload_bytes
    saved: list[Path] = []
    names: dict[str, str] = {}
    rejected: list[dict[str, Any]] = []
    for f in chosen:
        raw = f.filename or ""
        try:
            name = safe_upload_name(raw)
            target = inside(folder, name)
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
            continue
        if looks_binary(bytes(data[:8192])):
            rejected.append(_rejected(raw, "not a text file (binary content)"))
            continue
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
        saved.append(target)
        names[str(target)] = name
    return saved, names, rejected


def folder_paths(st: AppState, raw: str) -> list[Path]:
    if not st.options.allow_paths:
        raise HTTPException(403, "importing from a server folder is only allowed when the server listens on "
                                 "this machine's loopback address; upload the files instead")
    problems, paths = [], []
    for line in [x.strip() for x in raw.splitlines() if x.strip()]:
        p = Path(line).expanduser()
        if not p.is_absolute():
            problems.append(f"{line}: give an absolute path (it is read on the server)")
        elif not p.exists():
            problems.append(f"{line}: no such file or folder")
        else:
            paths.append(p)
    if not paths and not problems:
        problems.append("give a folder or file path")
    if problems:
        raise InvalidInput(problems)
    return paths


def sources_json(st: AppState) -> list[dict[str, Any]]:
    with st.bank() as store:
        rows = store.sources()
    return [{"path": s.path, "name": Path(s.path).name, "items": s.items, "encoding": s.encoding, "shapes": s.shapes,
             "size": s.size, "ingested_at": s.ingested_at, "sha256": s.sha256,
             "notices": [{"line": line, "message": msg} for line, msg in s.notices]} for s in rows]


def remove_source(st: AppState, path: str) -> dict[str, Any]:
    with st.bank() as store:
        n = store.remove_source(path)
    st.changed()
    return {"removed": path, "items": n}


def preview_json(st: AppState, paths: list[Path], names: dict[str, str] | None = None,
                 hints: dict[str, dict[str, str]] | None = None) -> list[dict[str, Any]]:
    """What importing `paths` would read, file by file; the bank is only read (stored hints)."""
    with st.bank() as store:
        reports = preview_paths(paths, max_bytes=st.options.max_upload_bytes, hints=hints, store=store)
    names = names or {}
    return [file_json(f, names.get(f.path)) for f in reports]


def _form_hints(form: dict[str, Any], paths: list[str]) -> dict[str, dict[str, str]]:
    """`hint-<k>-<key>` form fields (k: the file's position) → hints by path; checked."""
    out: dict[str, dict[str, str]] = {}
    for k, path in enumerate(paths):
        given = {key: str(form.get(f"hint-{k}-{key}", "")).strip() for key in layout.KEYS}
        given = {key: value for key, value in given.items() if value}
        if given:
            try:
                out[path] = layout.check(given)
            except InputError as e:
                raise InvalidInput([f"{Path(path).name}: {e.reason}"]) from e
    return out


def _confirmable(st: AppState, raw: list[str]) -> list[Path]:
    """Paths sent back by the preview form: uploads, or (loopback servers) files on the server."""
    out = []
    for p in raw:
        path = Path(p)
        if path.resolve().is_relative_to(st.options.uploads_dir.resolve()):
            out.append(path)
        elif st.options.allow_paths and path.is_absolute() and path.exists():
            out.append(path)
        else:
            raise InvalidInput([f"{p}: not a file this server may import"])
    if not out:
        raise InvalidInput(["nothing to import"])
    return out


def _preview_page(request: Request, st: AppState, paths: list[Path], names: dict[str, str],
                  rejected: list[dict[str, Any]], hints: dict[str, dict[str, str]] | None = None) -> HTMLResponse:
    files = preview_json(st, paths, names, hints)
    return render(request, "import_preview.html", {
        "files": files, "rejected": rejected, "hint_keys": layout.KEYS, "paths": [f["path"] for f in files],
    })


# -- pages -------------------------------------------------------------------------------------
@pages.get("/import", response_class=HTMLResponse)
def import_page(request: Request, st: AppState = Depends(app_state)) -> HTMLResponse:
    return render(request, "import.html", {
        "sources": sources_json(st), "jobs": st.jobs.recent(), "allow_paths": st.options.allow_paths,
        "max_mb": st.options.max_upload_bytes / 1048576, "uploads_dir": str(st.options.uploads_dir),
        "index": st.engine.status(),
    })


@pages.post("/import/upload")
async def upload_page(files: Annotated[list[UploadFile], File()], st: AppState = Depends(app_state)) -> RedirectResponse:
    saved, names, rejected = await save_uploads(st, files)
    job = st.jobs.start(saved, names=names, rejected=rejected)
    return RedirectResponse(f"/import/jobs/{job.id}", status_code=303)


@pages.post("/import/preview", response_class=HTMLResponse)
async def preview_upload_page(request: Request, files: Annotated[list[UploadFile], File()],
                              st: AppState = Depends(app_state)) -> HTMLResponse:
    """Uploads are saved (not imported) and previewed; the preview's form imports them."""
    saved, names, rejected = await save_uploads(st, files)
    return await run_in_threadpool(_preview_page, request, st, saved, names, rejected)


@pages.post("/import/preview-path", response_class=HTMLResponse)
def preview_path_page(request: Request, path: Annotated[str, Form(max_length=4000)],
                      st: AppState = Depends(app_state)) -> HTMLResponse:
    return _preview_page(request, st, folder_paths(st, path), {}, [])


@pages.post("/import/confirm")
async def confirm_page(request: Request, st: AppState = Depends(app_state)) -> Any:
    """Import what the preview showed, with the layout hints given there; "preview again"
    shows the preview with those hints instead."""
    form = await request.form()
    raw = [str(p) for p in form.getlist("paths")]
    paths = _confirmable(st, raw)
    hints = _form_hints(dict(form), raw)
    if form.get("again"):
        return await run_in_threadpool(_preview_page, request, st, paths, {}, [], hints)
    names = {str(p.resolve()): p.name for p in paths}
    job = st.jobs.start(paths, names=names, hints={str(Path(p).resolve()): h for p, h in hints.items()})
    return RedirectResponse(f"/import/jobs/{job.id}", status_code=303)


@pages.post("/import/path")
def path_page(path: Annotated[str, Form(max_length=4000)], st: AppState = Depends(app_state)) -> RedirectResponse:
    job = st.jobs.start(folder_paths(st, path))
    return RedirectResponse(f"/import/jobs/{job.id}", status_code=303)


@pages.get("/import/jobs/{job_id}", response_class=HTMLResponse)
def job_page(job_id: str, request: Request, st: AppState = Depends(app_state)) -> HTMLResponse:
    job = st.jobs.get(job_id)
    return render(request, "import_job.html", {"job": job.as_json()})


@pages.post("/sources/remove")
def remove_page(path: Annotated[str, Form(max_length=4000)], st: AppState = Depends(app_state)) -> RedirectResponse:
    remove_source(st, path)
    return RedirectResponse("/import", status_code=303)


# -- API ---------------------------------------------------------------------------------------
async def _maybe_wait(job: Job, wait: bool) -> dict[str, Any]:
    if wait:
        await run_in_threadpool(job.done.wait, 600.0)
    return job.as_json()


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


@api.post("/import", status_code=202, summary="Upload .md/.markdown/.txt files and import them (a background job)")
async def upload_api(
    files: Annotated[list[UploadFile], File()],
    wait: bool = Query(False, description="answer only when the job is finished"),
    st: AppState = Depends(app_state),
) -> dict[str, Any]:
    saved, names, rejected = await save_uploads(st, files)
    return await _maybe_wait(st.jobs.start(saved, names=names, rejected=rejected), wait)


@api.post("/import/paths", status_code=202, summary="Import files or folders on the server (loopback servers only)")
async def paths_api(body: PathsIn, wait: bool = Query(False), st: AppState = Depends(app_state)) -> dict[str, Any]:
    paths = folder_paths(st, "\n".join(body.paths))
    return await _maybe_wait(st.jobs.start(paths, hints=_api_hints(body)), wait)


@api.post("/import/preview", summary="What importing files or folders on the server would read; nothing is written")
def preview_api(body: PathsIn, st: AppState = Depends(app_state)) -> dict[str, Any]:
    paths = folder_paths(st, "\n".join(body.paths))
    return {"files": preview_json(st, paths, hints=_api_hints(body))}


@api.get("/import/jobs/{job_id}", summary="Progress and per-file report of an import job")
def job_api(job_id: str, st: AppState = Depends(app_state)) -> dict[str, Any]:
    return st.jobs.get(job_id).as_json()


@api.get("/sources", summary="Ingested files with item counts, shapes, encodings and notices")
def sources_api(st: AppState = Depends(app_state)) -> list[dict[str, Any]]:
    return sources_json(st)


@api.delete("/sources", summary="Remove one source and its items (the file is not touched)")
def remove_api(path: str = Query(...), st: AppState = Depends(app_state)) -> dict[str, Any]:
    return remove_source(st, path)
