"""Fixtures for search and linking: one real bank of the five shared seed documents and the
package's sample bank, ingested (and linked) once per session with the real embedding models,
plus cheap fresh banks that reuse its cached embeddings.

The shared documents are read from ../shared at run time; nothing of them is copied into
the project. Tests that change a bank work on their own bank, never on the session one.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interview_coach.bank.store import Store
from interview_coach.bank.types import Item
from interview_coach.cli.main import app
from interview_coach.config import sample_bank_dir
from interview_coach.providers.base import EmbeddingModel, Kind
from interview_coach.search.engine import SearchEngine
from tests.conftest import SHARED_DIR, Cli, drop_bank, new_bank_target
from tests.dbutil import copy_tables

GOLD_DIR = SHARED_DIR / "eval" / "seeds-gold"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    assert path.is_file(), f"missing: {path}"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def doc_prefix(source: str) -> str:
    """`002` for `.../002_7cb3215eaab3d4d9.txt`: how the gold names a seed document."""
    return os.path.basename(source)[:3]


@dataclass
class SeedBank:
    """The session bank: its file, an open store, a search engine over it, and gold lookups."""

    db: str
    store: Store
    engine: SearchEngine
    gold: dict[str, dict[str, Any]]  # gold id -> gold question record
    groups: list[list[str]]  # translation groups (gold ids)
    items: dict[str, Item]  # gold id -> stored item (for every gold record found in the bank)
    ingest_output: dict[str, Any]

    def item_of(self, gold_id: str) -> Item:
        assert gold_id in self.items, f"gold question {gold_id} is not an item of the bank"
        return self.items[gold_id]


def map_gold(items: list[Item], gold: dict[str, dict[str, Any]]) -> dict[str, Item]:
    """Gold id -> item, by (file prefix, question line) — and for the bilingual files by
    the other language's line, in case the item starts on that one."""
    by_line: dict[tuple[str, int], str] = {}
    for gid, g in gold.items():
        for line in (g.get("question_line"), g.get("question_en_line"), g.get("question_zh_line")):
            if line is not None:
                by_line.setdefault((g["doc"], int(line)), gid)
    out: dict[str, Item] = {}
    for it in items:
        gid = by_line.get((doc_prefix(it.source), it.question_line))
        if gid is not None and gid not in out:
            out[gid] = it
    return out


def _ingest(db: str, *paths: Path, link: bool = True) -> dict[str, Any]:
    args = ["--db", str(db), "ingest", *(str(p) for p in paths), "--json"]
    if not link:
        args.insert(3, "--no-link")
    result = CliRunner().invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="session")
def seed_bank(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path,
              pg_template: str | None) -> Iterator[SeedBank]:
    """The five seeds + the sample bank, ingested with `coach ingest` (which links by default)."""
    root = tmp_path_factory.mktemp("seed-bank")
    db = new_bank_target(root, "bank.sqlite3", pg_template, per_test=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INTERVIEW_COACH_HOME", str(root / "home"))
        mp.delenv("INTERVIEW_COACH_DB", raising=False)
        mp.delenv("XDG_DATA_HOME", raising=False)
        output = _ingest(db, seeds_dir, sample_bank_dir())
        store = Store.open(db)
        engine = SearchEngine.build(store)
    # Many tests embed the same query text: remember the real model's answer per text (the
    # vectors are the same either way; this only saves e5 time on a 2-core machine).
    engine.embed_query = functools.lru_cache(maxsize=2048)(engine.embed_query)  # type: ignore[method-assign]
    gold = {g["id"]: g for g in read_jsonl(GOLD_DIR / "questions.jsonl")}
    groups = [row["ids"] for row in read_jsonl(GOLD_DIR / "translations.jsonl")]
    bank = SeedBank(db, store, engine, gold, groups, map_gold(store.items(), gold), output)
    try:
        yield bank
    finally:
        store.close()
        drop_bank(db)


@pytest.fixture
def seeded_cli(cli: Cli, db_path: str, seed_bank: SeedBank) -> Cli:
    """A fresh, empty bank (the test's own) whose embedding cache already holds every vector
    of the session bank: ingesting seed text into it embeds nothing again."""
    with Store.open(db_path) as store:
        copy_tables(seed_bank.store, store, ["embeddings"])
    return cli


@pytest.fixture
def seed_copy(new_bank: Callable[..., str], seed_bank: SeedBank) -> str:
    """A copy of the session bank (same source paths), for tests that write to it."""
    dest = new_bank("seed-copy.sqlite3")
    with Store.open(dest) as store:
        copy_tables(seed_bank.store, store)
    return dest


@pytest.fixture
def copy_docs(tmp_path: Path) -> Callable[..., Path]:
    """Copy documents into the test's own folder (so the test may edit them); returns the folder."""

    def copy(*files: Path, folder: str = "docs") -> Path:
        dest = tmp_path / folder
        dest.mkdir(exist_ok=True)
        for f in files:
            shutil.copyfile(f, dest / f.name)
        return dest

    return copy


class CountingModel(EmbeddingModel):
    """A real embedding model, wrapped to count what it is asked to embed (instrumentation only)."""

    def __init__(self, inner: EmbeddingModel) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.batch_size = inner.batch_size
        self.texts: list[str] = []
        self.calls = 0

    def embed_batch(self, texts: list[str], kind: Kind) -> Any:
        self.calls += 1
        self.texts.extend(texts)
        return self.inner.embed_batch(texts, kind)
