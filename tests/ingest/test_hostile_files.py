"""Files a careless user or an attacker hands to `coach ingest`: special files, links that loop,
folders with nothing to read, files that change while they are read, and generated junk. Each
gets one clear line, a non-zero exit, the other files are still ingested, and nothing hangs."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_coach.bank.store import Store
from interview_coach.ingest.pipeline import ingest_paths
from tests.conftest import Cli

GOOD = "# Notes\n\n1. What is a residual connection?\nAnswer:\nA skip path added to a block's output.\n"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    return folder


def _one_line_each(result_stderr: str, names: list[str]) -> None:
    for name in names:
        lines = [ln for ln in result_stderr.splitlines() if name in ln]
        assert lines, f"{name} is not named: {result_stderr}"


def test_special_files_are_refused_without_hanging(tmp_path: Path, cli: Cli) -> None:
    folder = _folder(tmp_path)
    os.mkfifo(folder / "pipe.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    (folder / "dangling.md").symlink_to(folder / "nowhere.md")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)  # a folder link back up: never followed
    started = time.monotonic()
    result = cli("ingest", folder)
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    _one_line_each(result.stderr, ["pipe.md", "zero.md", "loop.md", "dangling.md"])
    assert "Traceback" not in result.output
    assert [Path(s["path"]).name for s in cli.json("sources")] == ["good.md"]


def test_nothing_to_read_is_an_error(tmp_path: Path, cli: Cli) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.rst").write_text("nothing here", encoding="utf-8")
    result = cli("ingest", empty)
    assert result.exit_code == 1 and "no .md" in result.stderr
    script = tmp_path / "tool.py"
    script.write_text("# What does this do?\nprint('hi')\n", encoding="utf-8")
    result = cli("ingest", script)
    assert result.exit_code == 1 and "not a question file" in result.stderr and len(result.stderr.splitlines()) == 1


def test_utf16_without_a_byte_order_mark_and_stray_nul_bytes_are_read(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "le.md").write_bytes(GOOD.encode("utf-16-le"))
    padded = GOOD + "\n" + "Filler line.\n" * 900 + "2. What is dropout?\nAnswer:\nZeroing\x00 activations.\n"
    (tmp_path / "nul.md").write_text(padded, encoding="utf-8")
    out = cli.json("ingest", tmp_path / "le.md", tmp_path / "nul.md")
    by_name = {Path(f["path"]).name: f for f in out["files"]}
    assert by_name["le.md"]["status"] == "new" and by_name["le.md"]["encoding"] == "utf-16-le"
    assert any("byte-order mark" in n["message"] for n in by_name["le.md"]["notices"])
    assert any("NUL" in n["message"] for n in by_name["nul.md"]["notices"])
    answers = [r["answer"] for r in map(__import__("json").loads, cli("export").stdout.splitlines()) if r["answer"]]
    assert all("\x00" not in a for a in answers) and any("Zeroing activations" in a for a in answers)


def test_a_file_rewritten_while_it_is_read_is_never_stored_half_written(tmp_path: Path, db_path: str) -> None:
    target = tmp_path / "busy.md"
    full = "# Busy\n\n" + "".join(f"{k}. What is concept {k}?\nAnswer:\nConcept {k} explained.\n\n" for k in range(1, 400))
    target.write_text(full, encoding="utf-8")
    stop = threading.Event()

    def writer() -> None:  # rewrites the file in pieces, over and over
        while not stop.is_set():
            with target.open("w", encoding="utf-8") as f:
                for k in range(0, len(full), 2000):
                    f.write(full[k:k + 2000])
                    f.flush()
                    time.sleep(0.001)

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    try:
        with Store.open(db_path) as store:
            reports = [ingest_paths(store, [target]).files[0] for _ in range(15)]
    finally:
        stop.set()
        t.join()
    with Store.open(db_path) as store:
        stored = store.items()
    for r in reports:
        assert r.status in ("new", "updated", "unchanged", "error"), r
        if r.status == "error":
            assert any(w in (r.error or "") for w in ("changing", "no questions", "is empty")), r.error
    # what is stored is a whole version of the file: 399 questions, or nothing at all
    assert len(stored) in (0, 399)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000),
    st.lists(st.sampled_from(["# ", "## Q", "1. What?", "Answer:", "答案：", "<details>", "</details>", "| a | b |",
                              "|---|---|", "```", "> [!question]", "Q:", "A:", "- ", "**x**", "\x00", "\t", "？", ""]),
             max_size=200).map("\n".join),
))
def test_generated_hostile_inputs_never_crash_or_hang(tmp_path: Path, data: bytes | str) -> None:
    """No traceback, bounded time, and a refused file leaves the bank as it was."""
    db = tmp_path / "fuzz.sqlite3"
    doc = tmp_path / "fuzz.md"
    with Store.open(db) as store:
        assert ingest_paths(store, [_folder_once(tmp_path)]).ok
        before = [(s.path, s.sha256) for s in store.sources()], len(store.items())
        doc.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
        started = time.monotonic()
        report = ingest_paths(store, [doc]).files[0]
        assert time.monotonic() - started < 20
        if report.status == "error":
            assert report.error and "\n" not in report.error
            assert ([(s.path, s.sha256) for s in store.sources()], len(store.items())) == before


def _folder_once(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    if not folder.exists():
        return _folder(tmp_path)
    return folder / "good.md"
