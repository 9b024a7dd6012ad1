"""Shared fixtures: an isolated user data directory for every test, paths to the shared
seed documents and their gold parse, and a small driver for the real `coach` CLI."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.main import get_command
from typer.testing import CliRunner

from interview_coach.cli.main import app

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
# ../shared beside the repository: read at run time, never copied into the project
SHARED_DIR = (REPO_ROOT / ".." / "shared").resolve()


def _ingest_flags() -> list[str]:
    """`--no-link` where `coach ingest` offers it. These tests are about reading and storing
    files; linking (which loads an embedding model and takes seconds) is tested with search."""
    command = get_command(app).commands["ingest"]  # type: ignore[attr-defined]
    for param in command.params:
        if "--no-link" in getattr(param, "secondary_opts", []) or "--no-link" in param.opts:
            return ["--no-link"]
    return []


INGEST_FLAGS = _ingest_flags()


@pytest.fixture(scope="session")
def ingest_flags() -> list[str]:
    return list(INGEST_FLAGS)


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own INTERVIEW_COACH_HOME; no test touches the real user dir."""
    home = tmp_path / "coach-home"
    monkeypatch.setenv("INTERVIEW_COACH_HOME", str(home))
    monkeypatch.delenv("INTERVIEW_COACH_DB", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    return home


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return TESTS_DIR / "data"


@pytest.fixture(scope="session")
def shapes_dir(data_dir: Path) -> Path:
    return data_dir / "shapes"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    seeds = SHARED_DIR / "seeds"
    assert seeds.is_dir(), f"the shared seed documents are missing: {seeds}"
    files = sorted(p for p in seeds.iterdir() if p.is_file())
    assert files, f"no seed documents in {seeds}"
    return seeds


@pytest.fixture(scope="session")
def gold_rows() -> list[dict[str, Any]]:
    path = SHARED_DIR / "eval" / "seeds-gold" / "questions.jsonl"
    assert path.is_file(), f"the gold parse is missing: {path}"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows
    return rows


@dataclass
class Cli:
    """The real typer app, run in-process against one SQLite bank file."""

    db: Path
    runner: CliRunner

    def __call__(self, *args: object) -> Result:
        argv = [str(a) for a in args]
        if argv[:1] == ["ingest"]:
            argv[1:1] = INGEST_FLAGS
        result = self.runner.invoke(app, ["--db", str(self.db), *argv])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a crash is never an acceptable CLI outcome
        return result

    def json(self, *args: object) -> Any:
        result = self(*args, "--json")
        assert result.exit_code == 0, f"coach {' '.join(map(str, args))} --json failed:\n{result.output}"
        return json.loads(result.stdout)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bank.sqlite3"


@pytest.fixture
def cli(db_path: Path, runner: CliRunner) -> Cli:
    return Cli(db_path, runner)


@pytest.fixture
def raw_db(db_path: Path) -> Iterator[Any]:
    """A function opening a plain sqlite3 connection on the test bank (closed afterwards)."""
    conns: list[sqlite3.Connection] = []

    def open_() -> sqlite3.Connection:
        conn = sqlite3.connect(str(db_path))
        conn.row_factory = sqlite3.Row
        conns.append(conn)
        return conn

    yield open_
    for conn in conns:
        conn.close()
