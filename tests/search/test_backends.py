"""The same bank on SQLite and on PostgreSQL: ingesting and linking the seed documents gives an
identical export (same items, same canonical grouping, same ids)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interview_coach.bank.store import Store
from interview_coach.cli.main import app
from interview_coach.config import sample_bank_dir
from tests.dbutil import copy_tables

PG = os.environ.get("COACH_TEST_PG", os.environ.get("COACH_TEST_DB") or "postgresql://postgres@127.0.0.1:5432").rstrip("/")


def _admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


@pytest.fixture
def pg_url() -> Iterator[str]:
    name = f"coach_b_{uuid.uuid4().hex[:10]}"
    _admin(f"CREATE DATABASE {name}")
    yield f"{PG}/{name}"
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _export(db: str, seeds_dir: Path, seed_bank_store: Store) -> str:
    with Store.open(db) as store:  # the session bank's vectors: nothing is embedded again
        copy_tables(seed_bank_store, store, ["embeddings"])
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db, "ingest", str(seeds_dir), str(sample_bank_dir()), "--json"])
    assert result.exit_code == 0, result.output
    out = runner.invoke(app, ["--db", db, "export", "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    return out.stdout


def test_seeds_export_identically_from_sqlite_and_postgresql(tmp_path: Path, pg_url: str, seeds_dir: Path,
                                                              seed_bank: object) -> None:
    store = seed_bank.store  # type: ignore[attr-defined]
    on_sqlite = _export(str(tmp_path / "bank.sqlite3"), seeds_dir, store)
    on_postgres = _export(pg_url, seeds_dir, store)
    assert on_sqlite.count("\n") >= 300
    a, b = on_sqlite.splitlines(), on_postgres.splitlines()
    assert len(a) == len(b)
    diff = [{k: (x[k], y[k]) for k in x if x[k] != y.get(k)} | {"question": x["question"]}
            for x, y in ((json.loads(p), json.loads(q)) for p, q in zip(a, b, strict=True)) if x != y]
    assert not diff, diff[:5]
