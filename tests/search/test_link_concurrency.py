"""Linking under real concurrency and interruption: three `coach ingest` processes of different
folders into one bank at once, and an ingest killed after its files were stored but before
linking ended. Either way the bank ends with the same canonical grouping as one sequential
ingest of everything, and no process crashes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from interview_coach.bank.store import Store
from interview_coach.config import sample_bank_dir
from tests.dbutil import copy_tables

from .conftest import SeedBank


def _groups(store: Store) -> set[frozenset[tuple[str, int]]]:
    """Canonical questions as sets of (file name, position): comparable across banks."""
    by_q: dict[str, set[tuple[str, int]]] = {}
    for it in store.items():
        by_q.setdefault(it.question_id, set()).add((Path(it.source).name, it.position))
    return {frozenset(v) for v in by_q.values()}


def _folders(tmp_path: Path, seeds_dir: Path) -> list[Path]:
    """The seeds and the sample bank in three folders (copies: the same file names as the session bank)."""
    files = sorted(seeds_dir.iterdir()) + sorted(sample_bank_dir().glob("*.md"))
    folders = [tmp_path / f"part{k}" for k in range(3)]
    for k, f in enumerate(files):
        folders[k % 3].mkdir(exist_ok=True)
        shutil.copyfile(f, folders[k % 3] / f.name)
    return folders


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "INTERVIEW_COACH_HOME": str(tmp_path / "home")}
    env.pop("INTERVIEW_COACH_DB", None)
    return env


def _coach() -> str:
    return str(Path(sys.executable).with_name("coach"))


def _bank_with_vectors(db: str, seed_bank: SeedBank) -> None:
    with Store.open(db) as store:  # every vector is cached: the processes race, they do not embed
        copy_tables(seed_bank.store, store, ["embeddings"])


@pytest.mark.parametrize("round_", range(2))
def test_three_concurrent_ingests_link_like_one(tmp_path: Path, db_path: str, seeds_dir: Path, seed_bank: SeedBank,
                                                round_: int) -> None:
    _bank_with_vectors(db_path, seed_bank)
    folders = _folders(tmp_path, seeds_dir)
    procs = [subprocess.Popen([_coach(), "--db", db_path, "ingest", str(f), "--json"], env=_env(tmp_path),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in folders]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err[-3000:]
        assert "Traceback" not in err and "IntegrityError" not in err
    with Store.open(db_path) as store:
        assert not store.link_pending()
        assert _groups(store) == _groups(seed_bank.store)  # the grouping of one ingest of everything


def test_an_interrupted_link_is_finished_by_the_next_command(tmp_path: Path, db_path: str, seeds_dir: Path,
                                                             seed_bank: SeedBank) -> None:
    _bank_with_vectors(db_path, seed_bank)
    folder = tmp_path / "all"
    for f in _folders(tmp_path, seeds_dir):
        shutil.copytree(f, folder, dirs_exist_ok=True)
    killer = tmp_path / "killer.py"
    killer.write_text(textwrap.dedent("""
        import os, signal, sys
        from interview_coach.bank.store import Store
        from interview_coach.ingest.pipeline import ingest_paths
        from interview_coach.search import linking
        from interview_coach.search.engine import SearchEngine

        store = Store.open(sys.argv[1])
        assert ingest_paths(store, [sys.argv[2]]).ok

        def build():
            SearchEngine.build(store)
            os.kill(os.getpid(), signal.SIGKILL)  # killed while linking: the files are stored, the links are not

        linking.relink(store, build)
    """), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(killer), db_path, str(folder)], env=_env(tmp_path), timeout=600)
    assert proc.returncode == -signal.SIGKILL
    with Store.open(db_path) as store:
        assert store.link_pending()
        assert _groups(store) != _groups(seed_bank.store)  # nothing is linked across files yet
    again = subprocess.run([_coach(), "--db", db_path, "ingest", str(folder), "--json"], env=_env(tmp_path),
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]  # every file unchanged … and linking is finished all the same
    with Store.open(db_path) as store:
        assert not store.link_pending()
        assert _groups(store) == _groups(seed_bank.store)


def test_list_finishes_linking_an_earlier_run_left_pending(tmp_path: Path, db_path: str, seeds_dir: Path,
                                                           seed_bank: SeedBank) -> None:
    _bank_with_vectors(db_path, seed_bank)
    folder = tmp_path / "all"
    for f in _folders(tmp_path, seeds_dir):
        shutil.copytree(f, folder, dirs_exist_ok=True)
    with Store.open(db_path) as store:
        from interview_coach.ingest.pipeline import ingest_paths

        assert ingest_paths(store, [folder]).ok  # stored, never linked (as if killed right after)
        assert store.link_state() == "1"
    listed = subprocess.run([_coach(), "--db", db_path, "list", "--json"], env=_env(tmp_path), capture_output=True,
                            text=True, timeout=600)
    assert listed.returncode == 0, listed.stderr
    assert "did not finish" in listed.stderr
    with Store.open(db_path) as store:
        assert store.link_state() == "" and _groups(store) == _groups(seed_bank.store)
