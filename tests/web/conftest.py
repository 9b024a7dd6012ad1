"""Fixtures for the web UI: a real SQLite bank holding the bundled sample bank (ingested and
linked once per session, copied for each test), the app in-process, and a real uvicorn server
on a free loopback port for the browser tests."""

from __future__ import annotations

import re
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from interview_coach.bank.store import Store
from interview_coach.config import sample_bank_dir
from interview_coach.ingest.pipeline import ingest_paths
from interview_coach.search import linking
from interview_coach.search.engine import SearchEngine
from interview_coach.study.bank_grading import BankGrader
from interview_coach.web.app import create_app
from tests.conftest import drop_bank, new_bank_target
from tests.dbutil import copy_tables

with warnings.catch_warnings():
    # Starlette 1.x asks for httpx2 when its TestClient runs on httpx; httpx works fine here.
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient` is deprecated",
                            category=StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

BASE = "http://127.0.0.1"
SCREENS = Path("/tmp/coach-screens")


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory, pg_template: str | None) -> Iterator[str]:
    """The sample bank, ingested and linked (the expensive embedding happens once)."""
    home = tmp_path_factory.mktemp("sample-home")
    db = new_bank_target(home, "bank.sqlite3", pg_template, per_test=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INTERVIEW_COACH_HOME", str(home))
        with Store.open(db) as store:
            report = ingest_paths(store, [sample_bank_dir()])
            assert report.ok, [f.error for f in report.files if not f.ok]
            linking.relink(store, lambda: SearchEngine.build(store))
            BankGrader(store)  # caches the grader's embeddings in the bank, for every copy
    yield db
    drop_bank(db)


def copy_bank(src: str, dst: str) -> str:
    with Store.open(src) as a, Store.open(dst) as b:
        copy_tables(a, b)
    return dst


@pytest.fixture
def bank_db(sample_db: str, new_bank: Callable[..., str]) -> str:
    """A private copy of the sample bank for one test."""
    return copy_bank(sample_db, new_bank("bank.sqlite3"))


@pytest.fixture
def app(bank_db: str) -> FastAPI:
    return create_app(bank_db)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE) as c:
        assert app.state.coach.engine.get(timeout=120) is not None, app.state.coach.engine.status()
        yield c


def all_routes(app: FastAPI) -> list[tuple[str, frozenset[str]]]:
    """(path, methods) of every route the app serves, routers included (FastAPI keeps included
    routers as lazy wrappers: their routes are listed through them)."""
    out = []
    for r in app.routes:
        if type(r).__name__ == "_IncludedRouter":
            out += [(c.path, frozenset(c.methods)) for c in r.effective_candidates()]  # type: ignore[attr-defined]
        elif isinstance(getattr(r, "methods", None), set):
            out.append((r.path, frozenset(r.methods)))  # type: ignore[attr-defined]
    return sorted(out, key=lambda x: (x[0], sorted(x[1])))


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "page has no CSRF field"
    return m.group(1)


@pytest.fixture
def csrf(client: TestClient) -> str:
    """The session's CSRF token (the cookie is then set on the client)."""
    return csrf_of(client.get("/import").text)


def question_ids(db: str) -> list[str]:
    with Store.open(db) as store:
        return [q.question_id for q in store.questions()]


# -- a real server for the browser --------------------------------------------------------------
class LiveServer:
    def __init__(self, app: FastAPI, db: str) -> None:
        self.app, self.db = app, db
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            assert self.thread.is_alive(), "uvicorn stopped at start-up"
            time.sleep(0.02)
        assert self.app.state.coach.engine.get(timeout=120) is not None
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@pytest.fixture(scope="module")
def live_server(sample_db: str, tmp_path_factory: pytest.TempPathFactory,
                pg_template: str | None) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("live")
    db = copy_bank(sample_db, new_bank_target(root, "bank.sqlite3", pg_template, per_test=False))
    app = create_app(db)
    with LiveServer(app, db) as server:
        yield server
    drop_bank(db)
