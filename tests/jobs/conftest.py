"""A linked, tagged copy of the bundled sample bank per test (the embedding work happens once)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from interview_coach.bank.store import Store
from interview_coach.config import sample_bank_dir
from interview_coach.ingest.pipeline import ingest_paths
from interview_coach.search import linking
from interview_coach.search.engine import SearchEngine
from interview_coach.study import tagging
from interview_coach.study.bank_grading import BankGrader
from tests.conftest import drop_bank, new_bank_target
from tests.dbutil import copy_tables

DATA = Path(__file__).resolve().parents[1] / "data" / "jobs"


@pytest.fixture(scope="session")
def tagged_sample(tmp_path_factory: pytest.TempPathFactory, pg_template: str | None) -> Iterator[str]:
    home = tmp_path_factory.mktemp("jobs-sample")
    db = new_bank_target(home, "bank.sqlite3", pg_template, per_test=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INTERVIEW_COACH_HOME", str(home))
        with Store.open(db) as store:
            report = ingest_paths(store, [sample_bank_dir()])
            assert report.ok
            linking.relink(store, lambda: SearchEngine.build(store))
            BankGrader(store)
            tagging.ensure(store)
    yield db
    drop_bank(db)


@pytest.fixture
def bank(tagged_sample: str, new_bank: Callable[..., str]) -> str:
    dst = new_bank("bank.sqlite3")
    with Store.open(tagged_sample) as a, Store.open(dst) as b:
        copy_tables(a, b)
    return dst


@pytest.fixture
def store(bank: str) -> Iterator[Store]:
    with Store.open(bank) as s:
        yield s


LLM_JOB = (DATA / "llm_engineer_en.md").read_text(encoding="utf-8")
