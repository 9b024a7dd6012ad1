"""Shared fixtures: an isolated user data directory for every test, paths to the shared
seed documents and their gold parse, and a small driver for the real `coach` CLI."""

from __future__ import annotations

import json
import os
import uuid
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


# -- which database the tests run on -----------------------------------------------------------
# COACH_TEST_DB=postgresql://user@host:port (no database name) runs every test that opens a bank
# on PostgreSQL: each test gets a fresh database of its own, made from a migrated template and
# dropped afterwards. Unset: SQLite files in the test's tmp folder.
PG_SERVER = os.environ.get("COACH_TEST_DB", "").rstrip("/")
BACKEND = "postgresql" if PG_SERVER else "sqlite"


def pytest_report_header(config: pytest.Config) -> str:
    return f"interview-coach bank backend: {BACKEND}" + (f" ({PG_SERVER})" if PG_SERVER else "")


def _pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """A migrated, empty bank that each test's database is copied from (PostgreSQL only)."""
    if not PG_SERVER:
        yield None
        return
    from interview_coach.bank.store import Store

    name = f"coach_tpl_{os.getpid()}"
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _pg_admin(f"CREATE DATABASE {name}")
    Store.open(f"{PG_SERVER}/{name}").close()
    yield name
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def new_bank_target(tmp_path: Path, name: str, template: str | None, *, per_test: bool = True) -> str:
    """A fresh bank: a SQLite file path, or a new PostgreSQL database's URL (dropped after the
    test, unless `per_test` is False: then `drop_bank` it yourself)."""
    if not PG_SERVER:
        return str(tmp_path / name)
    db = f"coach_t_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE DATABASE {db} TEMPLATE {template}")
    if per_test:
        _CREATED.append(db)
    return f"{PG_SERVER}/{db}"


def drop_bank(target: str) -> None:
    if target.startswith("postgresql"):
        _pg_admin(f"DROP DATABASE IF EXISTS {target.rsplit('/', 1)[-1]} WITH (FORCE)")


_CREATED: list[str] = []


@pytest.fixture(autouse=True)
def _drop_test_databases() -> Iterator[None]:
    yield
    while _CREATED:
        _pg_admin(f"DROP DATABASE IF EXISTS {_CREATED.pop()} WITH (FORCE)")


@pytest.fixture
def new_bank(tmp_path: Path, pg_template: str | None) -> Any:
    """A function making fresh, empty banks (on the backend under test)."""
    count = iter(range(1_000_000))

    def make(name: str | None = None) -> str:
        return new_bank_target(tmp_path, name or f"bank-{next(count)}.sqlite3", pg_template)

    return make


sqlite_only = pytest.mark.skipif(bool(PG_SERVER), reason="about SQLite files")


@dataclass
class Cli:
    """The real typer app, run in-process against one bank (a SQLite file or a PostgreSQL URL)."""

    db: str
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
def db_path(tmp_path: Path, pg_template: str | None) -> str:
    """The test's bank: a SQLite file in tmp, or a fresh PostgreSQL database."""
    return new_bank_target(tmp_path, "bank.sqlite3", pg_template)


@pytest.fixture
def cli(db_path: str, runner: CliRunner) -> Cli:
    return Cli(db_path, runner)
