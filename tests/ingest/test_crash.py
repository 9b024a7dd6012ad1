"""Killing `coach ingest` (SIGKILL, no chance to clean up) never leaves a half-ingested
file: every stored source holds exactly the items its file parses to, the database passes
SQLite's integrity check, and running the ingest again completes the rest."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from interview_coach.bank.store import Store
from interview_coach.ingest.parse import parse_lines
from interview_coach.ingest.reader import read_document
from tests.dbutil import sql

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

TOPICS = ("gradient", "attention", "embedding", "tokenizer", "optimizer", "dropout", "batch norm", "residual",
          "decoder", "encoder", "reward model", "retriever", "quantization", "distillation", "beam search")
ZH_TOPICS = ("梯度", "注意力", "嵌入", "分词器", "优化器", "丢弃法", "批归一化", "残差", "解码器", "编码器")


def _bank_text(rng: random.Random, k: int) -> str:
    """A small numbered bank; some questions recur across files (shared canonical questions)."""
    lines = [f"# Bank {k}", "", f"## Part {k % 7}", ""]
    for n in range(1, rng.randint(3, 8) + 1):
        if rng.random() < 0.2:
            q = f"什么是{rng.choice(ZH_TOPICS)}？"  # recurs in other files
        elif rng.random() < 0.5:
            q = f"Why does the {rng.choice(TOPICS)} matter in system {k}-{n}?"
        else:
            q = f"为什么{rng.choice(ZH_TOPICS)}在第{k}号系统的第{n}步很重要？"
        lines += [f"{n}. {q}", "Answer:" if rng.random() < 0.5 else "答案："]
        lines += [" ".join(rng.choice(TOPICS) for _ in range(rng.randint(4, 12))) + "."
                  for _ in range(rng.randint(1, 4))]
        lines.append("")
    return "\n".join(lines)


def _make_banks(folder: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    paths = []
    for k in range(count):
        path = folder / f"bank_{k:03d}.md"
        path.write_text(_bank_text(rng, k), encoding="utf-8")
        paths.append(path)
    return paths


def _coach() -> str:
    exe = Path(sys.executable).with_name("coach")
    assert exe.exists(), f"the coach script is not installed next to {sys.executable}"
    return str(exe)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(INTERVIEW_COACH_HOME=str(home), PYTHONUNBUFFERED="1")
    env.pop("INTERVIEW_COACH_DB", None)
    return env


def assert_sound(db: str) -> None:
    """The database itself is intact (SQLite: integrity and foreign keys)."""
    if db.startswith("postgresql"):
        return  # PostgreSQL's own guarantees; nothing to check from outside
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def assert_consistent(db: str) -> dict[str, int]:
    """The bank is sound and holds every stored file completely. Returns path -> item count."""
    assert_sound(db)
    counts = {}
    with Store.open(db) as store:
        assert sql(store, "SELECT COUNT(*) FROM questions WHERE id NOT IN (SELECT question_id FROM items)") == [(0,)]
        by_source: dict[str, list] = {}
        for it in store.items():
            by_source.setdefault(it.source, []).append(it)
        for src in store.sources():
            path = Path(src.path)
            data = path.read_bytes()
            assert src.sha256 == hashlib.sha256(data).hexdigest(), src.path
            parsed = parse_lines(read_document(path).lines).items
            stored = by_source.get(src.path, [])
            assert src.items == len(parsed), f"{src.path}: {src.items} items stored, {len(parsed)} in the file"
            assert [(it.question, it.question_line, it.answer_line_start, it.answer_line_end) for it in stored] == [
                (it.question, it.question_line, it.answer_line_start, it.answer_line_end) for it in parsed]
            assert [it.position for it in stored] == list(range(len(parsed)))
            counts[src.path] = src.items
    return counts


def test_sigkill_during_a_folder_ingest(tmp_path: Path, ingest_flags: list[str]) -> None:
    banks = _make_banks(tmp_path / "banks", 200, seed=11)
    db = str(tmp_path / "bank.sqlite3")
    env = _env(tmp_path / "home")
    with (tmp_path / "stderr.txt").open("w") as errfile:
        proc = subprocess.Popen([_coach(), "--db", str(db), "ingest", *ingest_flags, str(tmp_path / "banks")],
                                stdout=subprocess.PIPE, stderr=errfile, env=env, text=True, encoding="utf-8")
        watchdog = threading.Timer(60, proc.kill)
        watchdog.start()
        try:
            assert proc.stdout is not None
            done = 0
            while done < 25:
                line = proc.stdout.readline()
                if not line:
                    break
                if "✓" in line:
                    done += 1
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            proc.stdout.close()
        finally:
            watchdog.cancel()
    assert done == 25, (tmp_path / "stderr.txt").read_text()
    assert proc.returncode == -signal.SIGKILL

    stored = assert_consistent(db)
    assert 25 <= len(stored) < len(banks), f"{len(stored)} files stored: the kill did not land mid-run"

    # ingesting again completes the rest and leaves what was stored alone
    again = subprocess.run([_coach(), "--db", str(db), "ingest", *ingest_flags, "--json", str(tmp_path / "banks")],
                           capture_output=True, env=env, text=True, encoding="utf-8", timeout=120)
    assert again.returncode == 0, again.stderr
    statuses = {f["path"]: f["status"] for f in json.loads(again.stdout)["files"]}
    assert len(statuses) == len(banks)
    assert {p for p, s in statuses.items() if s == "unchanged"} == set(stored)
    assert {s for p, s in statuses.items() if p not in stored} == {"new"}
    final = assert_consistent(db)
    assert len(final) == len(banks)


# --- a kill inside the transaction that stores one file ---------------------------------

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from interview_coach.bank.store import Store
    from interview_coach.ingest.pipeline import ingest_paths

    db, target, kill_after, *paths = sys.argv[1:]
    state = {"armed": False, "writes": 0}

    from sqlalchemy import event

    def trace(conn, cursor, statement, parameters, context, executemany):
        # every statement the bank runs, with its parameters
        head = " ".join(statement.split()).upper()
        if target in str(parameters):  # sync_source looks the file's source up: its transaction has begun
            state["armed"] = True
        elif state["armed"] and head.startswith(("INSERT INTO ITEMS", "UPDATE ITEMS", "DELETE FROM ITEMS")):
            state["writes"] += 1
            if state["writes"] > int(kill_after):
                sys.stdout.write("killing\\n")
                sys.stdout.flush()
                os.kill(os.getpid(), signal.SIGKILL)

    with Store.open(db) as store:
        event.listen(store.tx.engine, "before_cursor_execute", trace)
        ingest_paths(store, [Path(p) for p in paths])
    print("finished")
    """
)


def _run_killer(tmp_path: Path, db: str, target: Path, kill_after: int,
                paths: list[Path]) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script), str(db), str(target.resolve()), str(kill_after), *map(str, paths)],
        capture_output=True, text=True, encoding="utf-8", env=_env(tmp_path / "home"), timeout=120)


def test_sigkill_inside_the_transaction_of_a_new_file(tmp_path: Path, cli) -> None:
    banks = _make_banks(tmp_path / "banks", 5, seed=5)
    db = cli.db
    proc = _run_killer(tmp_path, db, banks[2], kill_after=0, paths=banks)
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr
    assert "killing" in proc.stdout and "finished" not in proc.stdout

    stored = assert_consistent(db)
    assert sorted(Path(p).name for p in stored) == ["bank_000.md", "bank_001.md"]

    result = cli("ingest", tmp_path / "banks")
    assert result.exit_code == 0, result.output
    assert len(assert_consistent(db)) == 5


def test_sigkill_while_updating_a_stored_file(tmp_path: Path, cli) -> None:
    banks = _make_banks(tmp_path / "banks", 3, seed=8)
    db = cli.db
    assert cli("ingest", tmp_path / "banks").exit_code == 0
    with Store.open(db) as store:
        before = [(it.item_id, it.question_id, it.source, it.question, it.answer) for it in store.items()]
        sha_before = {s.path: s.sha256 for s in store.sources()}

    # a new version of bank_001: every question reworded, so every item row is rewritten
    target = banks[1]
    text = target.read_text(encoding="utf-8")
    edited = text.replace("?", " exactly?").replace("？", "呢？") + "\n9. What was added last?\nAnswer:\nThis.\n"
    target.write_text(edited, encoding="utf-8")
    proc = _run_killer(tmp_path, db, target, kill_after=1, paths=[banks[0], target, banks[2]])
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr

    assert_sound(db)
    with Store.open(db) as store:
        after = [(it.item_id, it.question_id, it.source, it.question, it.answer) for it in store.items()]
        assert {s.path: s.sha256 for s in store.sources()} == sha_before
    assert after == before  # the old version is intact, item ids and all

    result = cli("ingest", tmp_path / "banks")
    assert result.exit_code == 0, result.output
    counts = assert_consistent(db)
    assert counts[str(target.resolve())] == len(parse_lines(read_document(target).lines).items)
