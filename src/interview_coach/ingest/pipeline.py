"""Ingest files and folders into a bank: one transaction per file, every problem reported."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..bank.store import Store
from ..bank.types import SyncReport
from ..errors import FileMissing, InputError, NoQuestions
from . import hints as layout
from .model import Group, ParseResult
from .parse import parse_lines
from .reader import (
    MAX_BYTES,
    READ_ATTEMPTS,
    TEXT_SUFFIXES,
    Document,
    document_from_bytes,
    read_document,
    unchanged_since,
)


@dataclass(slots=True)
class FileReport:
    path: str
    status: str  # new, updated, unchanged, error
    items: int = 0
    answered: int = 0
    shapes: list[str] = field(default_factory=list)
    encoding: str | None = None
    notices: list[tuple[int, str]] = field(default_factory=list)
    error: str | None = None
    sync: SyncReport | None = None
    hints: dict[str, str] = field(default_factory=dict)  # the layout hints applied
    groups: list[Group] = field(default_factory=list)  # what was read and refused (a preview, a fresh parse)

    @property
    def ok(self) -> bool:
        return self.status != "error"


@dataclass(slots=True)
class IngestReport:
    files: list[FileReport]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)


def discover(paths: Iterable[str | Path]) -> list[Path | InputError]:
    """Files to ingest (folders walked recursively for .md/.markdown/.mdx/.txt, never following
    links to folders), in order; what cannot be read or is not a question file is reported in
    place, and the walk goes on."""
    out: list[Path | InputError] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = _walk(path)
            if not found:
                found.append(FileMissing(str(p), f"no {', '.join(TEXT_SUFFIXES)} files in this folder"))
            out.extend(sorted(found, key=lambda x: str(x if isinstance(x, Path) else x.path)))
        elif path.is_symlink() and not path.exists():
            out.append(FileMissing(str(p), "is a broken link, or a link that leads back to itself"))
        elif path.exists():
            if path.is_file() and not path.name.lower().endswith(TEXT_SUFFIXES):
                out.append(FileMissing(str(p), f"is not a question file (expected {', '.join(TEXT_SUFFIXES)})"))
            else:
                out.append(path)
        else:
            out.append(FileMissing(str(p), "does not exist"))
    return out


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a link that leads back to itself: reported when it is read
        return str(path.absolute())


def _walk(folder: Path) -> list[Path | InputError]:
    found: list[Path | InputError] = []

    def unreadable(e: OSError) -> None:
        found.append(FileMissing(str(e.filename or folder), f"cannot be read: {e.strerror or e}; skipped"))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / f for f in files if f.lower().endswith(TEXT_SUFFIXES) and not f.startswith(".")]
    return found


def _notices(doc_notices: Iterable[tuple[int, str]], result: ParseResult) -> list[tuple[int, str]]:
    return [*doc_notices, *((n.line, n.message) for n in result.notices)]


def ingest_file(store: Store, path: Path, max_bytes: int = MAX_BYTES, hints: dict[str, str] | None = None) -> FileReport:
    """Read one file into the bank. `hints` update the layout hints stored with the source
    (an empty value removes one); the stored hints apply on every re-ingest."""
    try:
        name = str(path.resolve())
    except (OSError, RuntimeError):  # a link that leads back to itself
        return FileReport(str(path.absolute()), "error",
                          error=f"{path}: is a broken link, or a link that leads back to itself")
    for _ in range(READ_ATTEMPTS):
        try:
            doc = read_document(path, max_bytes)
        except InputError as e:
            return FileReport(name, "error", error=str(e))
        report = ingest_document(store, name, doc, hints, follow_moves=True,
                                 still=functools.partial(unchanged_since, path, doc))
        if report.status != "changed":
            return report
    return FileReport(name, "error", error=f"{name}: kept changing while it was read (is it still being "
                                                 "written?); nothing of it was stored; try again")


def ingest_bytes(store: Store, name: str, data: bytes, max_bytes: int = MAX_BYTES,
                 hints: dict[str, str] | None = None) -> FileReport:
    """Ingest an uploaded document stored under the source name `name` (not a file path)."""
    try:
        doc = document_from_bytes(name, data, max_bytes)
    except InputError as e:
        return FileReport(name, "error", error=str(e))
    return ingest_document(store, name, doc, hints)


def ingest_document(store: Store, name: str, doc: Document, hints: dict[str, str] | None = None, *,
                    follow_moves: bool = False, still: Callable[[], bool] | None = None) -> FileReport:
    """Parse a decoded document and store it as the source `name` (one transaction). `still`
    says whether the file is still what was read: if not when it is about to be stored, nothing
    is stored and the report's status is "changed" (the caller reads it again)."""
    try:
        known = store.source(name)
        stored = dict(known.hints) if known is not None else {}
        applied = layout.check(layout.merged(stored, hints))
        if known is not None and known.sha256 == doc.sha256 and applied == stored:  # unchanged: nothing to do
            items, answered = store.source_counts(name)
            return FileReport(name, "unchanged", items=items, answered=answered, shapes=list(known.shapes),
                              encoding=known.encoding, notices=[(int(n), str(m)) for n, m in known.notices],
                              sync=SyncReport(name, "unchanged", kept=items), hints=applied)
        result = parse_lines(doc.lines, hints=applied)
        if not result.items:
            raise NoQuestions(doc.path, "no questions found (is it a question bank?)")
        notices = _notices(doc.notices, result)
        if still is not None and not still():
            return FileReport(name, "changed")
        if follow_moves:
            _follow_move(store, name, doc.sha256)
        report = store.sync_source(path=name, sha256=doc.sha256, encoding=doc.encoding, size=doc.size,
                                   shapes=result.shapes, notices=notices, items=result.items, hints=applied)
    except InputError as e:
        return FileReport(name, "error", error=str(e))
    return FileReport(
        name, report.status, items=len(result.items), answered=sum(i.answer is not None for i in result.items),
        shapes=result.shapes, encoding=doc.encoding, notices=notices, sync=report, hints=applied, groups=result.groups,
    )


def preview_document(name: str, doc: Document, hints: dict[str, str] | None = None,
                     store: Store | None = None) -> FileReport:
    """What ingesting `doc` as the source `name` would read, without writing anything: the
    groups read and refused, the items per group, the notices. With a `store`, the source's
    stored hints apply too (updated by `hints`)."""
    try:
        known = store.source(name) if store is not None else None
        applied = layout.check(layout.merged(dict(known.hints) if known else {}, hints))
        result = parse_lines(doc.lines, hints=applied)
    except InputError as e:
        return FileReport(name, "error", error=str(e))
    status = "preview" if result.items else "error"
    return FileReport(name, status, items=len(result.items), answered=sum(i.answer is not None for i in result.items),
                      shapes=result.shapes, encoding=doc.encoding, notices=_notices(doc.notices, result),
                      error=None if result.items else f"{doc.path}: no questions found (is it a question bank?)",
                      hints=applied, groups=result.groups)


def preview_file(path: Path, max_bytes: int = MAX_BYTES, hints: dict[str, str] | None = None,
                 store: Store | None = None) -> FileReport:
    name = _resolved(path)
    try:
        doc = read_document(path, max_bytes)
    except InputError as e:
        return FileReport(name, "error", error=str(e))
    return preview_document(name, doc, hints, store)


def preview_bytes(name: str, data: bytes, max_bytes: int = MAX_BYTES, hints: dict[str, str] | None = None,
                  store: Store | None = None) -> FileReport:
    try:
        doc = document_from_bytes(name, data, max_bytes)
    except InputError as e:
        return FileReport(name, "error", error=str(e))
    return preview_document(name, doc, hints, store)


def preview_paths(paths: Iterable[str | Path], *, max_bytes: int = MAX_BYTES,
                  hints: dict[str, dict[str, str]] | None = None, store: Store | None = None) -> list[FileReport]:
    """`preview_file` for each file found under `paths`; `hints` by resolved path."""
    out = []
    for target in discover(paths):
        if isinstance(target, InputError):
            out.append(FileReport(target.path, "error", error=str(target)))
        else:
            out.append(preview_file(target, max_bytes, (hints or {}).get(_resolved(target)), store))
    return out


def _follow_move(store: Store, path: str, sha256: str) -> None:
    """A file moved or renamed unchanged keeps its source (and so its item ids)."""
    if store.source_hash(path) is not None:
        return
    for src in store.sources():
        if src.sha256 == sha256 and not Path(src.path).exists():
            store.move_source(src.path, path)
            return


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    max_bytes: int = MAX_BYTES,
    on_file: Callable[[FileReport, int, int], None] | None = None,
    hints: dict[str, dict[str, str]] | None = None,
) -> IngestReport:
    """`hints`: layout hints by resolved file path (see `ingest.hints`)."""
    targets = discover(paths)
    reports: list[FileReport] = []
    for k, target in enumerate(targets, start=1):
        if isinstance(target, InputError):
            rep = FileReport(target.path, "error", error=str(target))
        else:
            rep = ingest_file(store, target, max_bytes, (hints or {}).get(_resolved(target)))
        reports.append(rep)
        if on_file:
            on_file(rep, k, len(targets))
    return IngestReport(reports)
