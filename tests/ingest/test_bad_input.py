"""What `coach ingest` does with files it cannot use: one clear line per file naming it and
the reason, the good files of the same run still ingested, a non-zero exit status, and a
previously stored version of a file left intact."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from interview_coach.bank.store import Store

GOOD = """# Study notes

1. What is a tensor?
Answer:
A multi-dimensional array with a shape and a dtype.

2. 什么是广播机制？
答案：
形状不同的数组在运算时按规则自动扩展到相同形状。
"""

REPLACEMENT = """# Study notes

1. What is a tensor?
Answer:
An n-dimensional array.
"""

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"


def _random_bytes(n: int) -> bytes:
    rng = random.Random(20240611)
    return bytes(rng.randrange(256) for _ in range(n)) + b"\x00\x00"


# name -> (how to make the file (None: leave it missing), the reason must contain one of these)
BAD: dict[str, tuple[Callable[[Path], None] | None, tuple[str, ...]]] = {
    "picture.png": (lambda p: p.write_bytes(PNG + _random_bytes(200)), ("binary", "not a question file")),
    "noise.md": (lambda p: p.write_bytes(_random_bytes(400)), ("binary",)),
    "empty.md": (lambda p: p.write_bytes(b""), ("empty",)),
    "blank.md": (lambda p: p.write_bytes(b"  \n\t\n   \r\n  "), ("empty", "whitespace")),
    "broken-bom.md": (lambda p: p.write_bytes(b"\xef\xbb\xbf1. What is it?\n\xff\xfe\xfd\n"),
                      ("utf-8", "byte-order", "bom")),
    "undecodable.txt": (lambda p: p.write_bytes(bytes(range(0x80, 0x100)) * 8), ("encod", "decod")),
    "prose.txt": (lambda p: p.write_text("Just some prose about models.\nNothing here is asked.\n"), ("no question",)),
    "missing.md": (None, ("does not exist", "not found", "no such")),
}


def _names_reason(message: str, name: str) -> bool:
    return any(word in message.lower() for word in BAD[name][1])


def _make(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    make = BAD[name][0]
    if make is not None:
        make(path)
    return path


def _good(tmp_path: Path, name: str = "good.md", text: str = GOOD) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _lines_naming(text: str, name: str) -> list[str]:
    return [line for line in text.splitlines() if name in line]


@pytest.mark.parametrize("name", sorted(BAD))
def test_one_clear_line_and_the_good_file_still_ingested(tmp_path: Path, cli, name: str) -> None:
    bad = _make(tmp_path, name)
    good = _good(tmp_path)
    result = cli("ingest", bad, good)
    assert result.exit_code != 0
    lines = _lines_naming(result.stderr, name)
    assert len(lines) == 1, result.stderr
    assert _names_reason(lines[0], name), lines[0]
    assert "Traceback" not in result.output
    # the good file of the same run is in the bank
    with Store.open(cli.db) as store:
        assert [Path(s.path).name for s in store.sources()] == ["good.md"]
        assert len(store.items()) == 2


@pytest.mark.parametrize("name", sorted(BAD))
def test_json_report_names_file_and_reason(tmp_path: Path, cli, name: str) -> None:
    bad = _make(tmp_path, name)
    good = _good(tmp_path)
    result = cli("ingest", "--json", good, bad)
    assert result.exit_code != 0
    data = json.loads(result.stdout)
    assert data["ok"] is False
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert set(by_name) == {name, "good.md"}
    assert by_name["good.md"]["status"] == "new" and by_name["good.md"]["items"] == 2
    failed = by_name[name]
    assert failed["status"] == "error"
    assert name in failed["error"] and "\n" not in failed["error"]
    assert _names_reason(failed["error"], name), failed["error"]


def test_exit_status_zero_when_everything_succeeds(tmp_path: Path, cli) -> None:
    result = cli("ingest", _good(tmp_path), _good(tmp_path, "other.md", REPLACEMENT.replace("tensor", "scalar")))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == ""
    assert "2 of 2 files ingested" in result.stdout


def test_many_bad_files_in_one_run(tmp_path: Path, cli) -> None:
    bad = [_make(tmp_path, name) for name in sorted(BAD)]
    good = _good(tmp_path)
    result = cli("ingest", *bad[:3], good, *bad[3:])
    assert result.exit_code == 1
    for path in bad:
        assert len(_lines_naming(result.stderr, path.name)) == 1, (path.name, result.stderr)
    assert f"1 of {len(bad) + 1} files ingested" in result.stdout


def test_bad_file_inside_a_folder(tmp_path: Path, cli) -> None:
    folder = tmp_path / "in"
    _good(tmp_path)
    _make(tmp_path, "empty.md")
    _make(tmp_path, "prose.txt")
    (folder / "photo.jpg").write_bytes(PNG)  # not a text suffix: not picked up from a folder
    result = cli("ingest", "--json", folder)
    assert result.exit_code == 1
    files = {Path(f["path"]).name: f["status"] for f in json.loads(result.stdout)["files"]}
    assert files == {"good.md": "new", "empty.md": "error", "prose.txt": "error"}


def test_file_over_the_size_limit(tmp_path: Path, cli) -> None:
    big = _good(tmp_path, "big.md", GOOD * 6)
    assert big.stat().st_size > 0.001 * 1048576
    small = _good(tmp_path, "small.md", REPLACEMENT)
    assert small.stat().st_size < 0.001 * 1048576
    result = cli("ingest", "--max-mb", "0.001", big, small)
    assert result.exit_code == 1
    lines = _lines_naming(result.stderr, "big.md")
    assert len(lines) == 1 and "limit" in lines[0]
    with Store.open(cli.db) as store:
        assert [Path(s.path).name for s in store.sources()] == ["small.md"]
    # without the limit the same file is fine
    assert cli("ingest", big).exit_code == 0


def test_size_limit_message_states_a_real_size_and_limit(tmp_path: Path, cli) -> None:
    """The reason must be readable: neither the size nor the limit printed as zero."""
    big = _good(tmp_path, "big.md", GOOD * 6)
    result = cli("ingest", "--max-mb", "0.001", big)
    line = _lines_naming(result.stderr, "big.md")[0]
    amounts = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)\s*(?:bytes|B|KB|kB|KiB|MB|MiB)\b", line)]
    assert len(amounts) >= 2, line
    assert all(a > 0 for a in amounts), line


def test_missing_path_with_json(tmp_path: Path, cli) -> None:
    result = cli("ingest", "--json", tmp_path / "nowhere" / "bank.md")
    assert result.exit_code == 1
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["status"] == "error" and "does not exist" in entry["error"] and "bank.md" in entry["error"]


# --- a bad new version never destroys the stored one -----------------------------------

def _snapshot(db: Path) -> list[tuple[str, str, str | None]]:
    with Store.open(db) as store:
        return [(it.item_id, it.question, it.answer) for it in store.items()]


@pytest.mark.parametrize("damage", ["binary", "empty", "whitespace", "no_questions", "undecodable", "too_large"])
def test_bad_new_version_keeps_the_old_one(tmp_path: Path, cli, damage: str) -> None:
    path = _good(tmp_path, "notes.md")
    assert cli("ingest", path).exit_code == 0
    before = _snapshot(cli.db)
    assert len(before) == 2

    extra: list[str] = []
    if damage == "binary":
        path.write_bytes(PNG + _random_bytes(300))
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "whitespace":
        path.write_text("\n\n   \n")
    elif damage == "no_questions":
        path.write_text("The notes were moved elsewhere.\n")
    elif damage == "undecodable":
        path.write_bytes(b"\xff\xfe" + "1. What?\n".encode("utf-16-le") + b"\x00")  # odd length UTF-16
    elif damage == "too_large":
        path.write_text(GOOD * 6 + "\n3. What is a new question?\nAnswer:\nA new answer.\n")
        extra = ["--max-mb", "0.001"]
    result = cli("ingest", *extra, path)
    assert result.exit_code != 0
    assert len(_lines_naming(result.stderr, "notes.md")) == 1
    assert _snapshot(cli.db) == before
    with Store.open(cli.db) as store:
        (src,) = store.sources()
        assert src.items == 2


def test_good_new_version_after_a_bad_one(tmp_path: Path, cli) -> None:
    path = _good(tmp_path, "notes.md")
    assert cli("ingest", path).exit_code == 0
    first = {q: i for i, q, _ in _snapshot(cli.db)}
    path.write_bytes(b"")
    assert cli("ingest", path).exit_code != 0
    path.write_text(REPLACEMENT)
    assert cli("ingest", path).exit_code == 0
    after = _snapshot(cli.db)
    assert [(q, a) for _, q, a in after] == [("What is a tensor?", "An n-dimensional array.")]
    assert after[0][0] == first["What is a tensor?"]  # the surviving question kept its item id
