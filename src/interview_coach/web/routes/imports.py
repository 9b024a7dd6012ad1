"""Import: upload files or name a folder; a background job ingests, embeds and relinks, and
reports per file what it found. Uploads are kept in the user data directory's `uploads/`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from ...errors import InvalidInput
from ..jobs import Job
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
    return await _maybe_wait(st.jobs.start(paths), wait)


@api.get("/import/jobs/{job_id}", summary="Progress and per-file report of an import job")
def job_api(job_id: str, st: AppState = Depends(app_state)) -> dict[str, Any]:
    return st.jobs.get(job_id).as_json()


@api.get("/sources", summary="Ingested files with item counts, shapes, encodings and notices")
def sources_api(st: AppState = Depends(app_state)) -> list[dict[str, Any]]:
    return sources_json(st)


@api.delete("/sources", summary="Remove one source and its items (the file is not touched)")
def remove_api(path: str = Query(...), st: AppState = Depends(app_state)) -> dict[str, Any]:
    return remove_source(st, path)
