"""Two team-server processes on one PostgreSQL, killed as a crash or a redeploy would kill them:
an import job whose worker dies is finished by the other one, and every review a client was
told is stored — or retried under its key after a dropped connection — is stored exactly once.
Real processes (`coach serve --team`), real SIGKILL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from interview_coach import accounts
from interview_coach.bank.store import Store
from tests.dbutil import copy_tables, sql

PG = os.environ.get("COACH_TEST_PG", os.environ.get("COACH_TEST_DB") or "postgresql://postgres@127.0.0.1:5432").rstrip("/")
PASSWORD = "correct horse battery"


def _admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


@pytest.fixture
def pg_bank(sample_db: str) -> Iterator[str]:
    """A PostgreSQL bank holding the sample bank (whatever backend the rest of the suite uses)."""
    name = f"coach_w_{uuid.uuid4().hex[:10]}"
    try:
        _admin(f"CREATE DATABASE {name}")
    except Exception as e:  # pragma: no cover - this machine kind always runs PostgreSQL
        pytest.fail(f"PostgreSQL at {PG} is needed for the worker tests: {e}")
    url = f"{PG}/{name}"
    with Store.open(sample_db) as src, Store.open(url) as dest:
        copy_tables(src, dest)
        accounts.add_user(dest, "admin", "admin", PASSWORD)
    yield url
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Worker:
    def __init__(self, db: str, home: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "INTERVIEW_COACH_HOME": str(home), "INTERVIEW_COACH_JOB_STALE": "3"}
        coach = str(Path(sys.executable).with_name("coach"))
        home.mkdir(parents=True, exist_ok=True)
        self.log = home / "server.log"
        with self.log.open("w") as log:
            self.proc = subprocess.Popen([coach, "--db", db, "serve", "--team", "--port", str(self.port)], env=env,
                                         stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.2)

    def client(self) -> httpx.Client:
        c = httpx.Client(base_url=self.url, headers={"x-coach-client": "tests"}, timeout=120)
        r = c.post("/api/login", json={"username": "admin", "password": PASSWORD})
        assert r.status_code == 200, r.text
        return c

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._close_pipe()

    def _close_pipe(self) -> None:
        if self.proc.stderr is not None and not self.proc.stderr.closed:
            self.proc.stderr.close()  # else it is closed whenever the collector runs: a ResourceWarning in another test

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_pipe()


@pytest.fixture
def two_workers(pg_bank: str, tmp_path: Path) -> Iterator[tuple[Worker, Worker]]:
    a, b = Worker(pg_bank, tmp_path / "a"), Worker(pg_bank, tmp_path / "b")
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


def _big_bank(n: int) -> bytes:
    lines = ["# Generated for the worker test", ""]
    for k in range(n):
        lines += [f"{k + 1}. What does worker test concept number {k} ({uuid.uuid4().hex[:6]}) change in training?",
                  "Answer:", f"It changes the step {k} of the schedule in a way worth remembering.", ""]
    return "\n".join(lines).encode()


def test_a_job_whose_worker_is_killed_finishes_on_the_other(two_workers: tuple[Worker, Worker], pg_bank: str) -> None:
    a, b = two_workers
    with closing(a.client()) as ca:
        job = ca.post("/api/import", files={"files": ("killed.md", _big_bank(150))}).json()
    job_id = int(job["id"])
    with Store.open(pg_bank) as store:
        deadline = time.monotonic() + 60
        while (row := store.jobs.get(job_id)).status != "running":
            assert time.monotonic() < deadline, row
            time.sleep(0.05)
        holder = a if str(a.proc.pid) in (row.worker or "") else b
        other = b if holder is a else a
        holder.kill()  # mid-job: it had claimed the job and started on it
        deadline = time.monotonic() + 240
        while (row := store.jobs.get(job_id)).status not in ("done", "error"):
            assert time.monotonic() < deadline, row
            time.sleep(0.5)
        assert row.status == "done", row.error
        assert row.attempts == 2 and str(other.proc.pid) in (row.worker or "")
        assert store.source("upload:killed.md") is not None
        assert store.source_counts("upload:killed.md") == (150, 150)
        assert not store.link_pending()


def test_reviews_acknowledged_before_a_kill_are_stored_once(two_workers: tuple[Worker, Worker], pg_bank: str) -> None:
    a, b = two_workers
    with closing(a.client()) as ca, closing(b.client()) as cb:
        _rate_through_a_kill(a, ca, cb, pg_bank)


def _rate_through_a_kill(a: Worker, ca: httpx.Client, cb: httpx.Client, pg_bank: str) -> None:
    qids = [q["question_id"] for q in ca.get("/api/questions", params={"limit": 40}).json()["questions"]]
    acknowledged: list[str] = []
    failed: list[str] = []

    def hammer() -> None:
        for k in range(400):
            marker = f"kill-test-{k}"
            try:
                r = ca.post("/api/drill/rate", json={"question_id": qids[k % len(qids)], "rating": "Good",
                                                     "answer": marker, "client_key": marker})
                (acknowledged if r.status_code == 200 else failed).append(marker)
            except httpx.HTTPError:
                failed.append(marker)
                return

    t = threading.Thread(target=hammer)
    t.start()
    while len(acknowledged) < 25:
        time.sleep(0.01)
    a.kill()  # mid-request: requests were in flight
    t.join(timeout=60)
    assert failed, "the kill interrupted nothing"
    for marker in failed:  # the client retries what it was not told was stored, on the other worker
        r = cb.post("/api/drill/rate", json={"question_id": qids[int(marker.rsplit('-', 1)[1]) % len(qids)],
                                             "rating": "Good", "answer": marker, "client_key": marker})
        assert r.status_code == 200
    with Store.open(pg_bank) as store:
        rows = [r[0] for r in sql(store, "SELECT answer FROM reviews WHERE answer LIKE 'kill-test-%'")]
    for marker in acknowledged + failed:  # told it was stored, or retried under its key: stored, once
        assert rows.count(marker) == 1, marker
    stats: dict[str, Any] = cb.get("/api/stats").json()
    assert stats["study"]["reviews"] == len(rows)
