"""The `coach` command line: help and README for every command, JSON for programs, the
JSONL export contract of DESIGN.md, the Markdown handbook, `show`, and errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from interview_coach.cli.main import app
from interview_coach.config import sample_bank_dir

CONTRACT_KEYS = {
    "item_id", "question_id", "source", "line_start", "line_end", "section", "number", "lang", "question",
    "translations", "answer", "answer_line_start", "answer_line_end", "explanation", "images", "links",
}
LANGS = {"en", "zh-Hans", "zh-Hant", "mixed"}


def _command_names() -> list[str]:
    group = get_command(app)
    names = sorted(group.commands)  # type: ignore[attr-defined]
    assert names, "no commands registered"
    return names


COMMANDS = _command_names()


@pytest.fixture
def loaded(cli, shapes_dir: Path) -> Any:
    """A bank holding every shape fixture."""
    result = cli("ingest", shapes_dir)
    assert result.exit_code == 0, result.output
    return cli


def _export(cli) -> list[dict[str, Any]]:
    result = cli("export", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


# --- help and docs ---------------------------------------------------------------------

def test_expected_commands_are_registered() -> None:
    assert {"ingest", "sources", "remove", "list", "show", "stats", "export"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name: str, cli) -> None:
    command = get_command(app).commands[name]  # type: ignore[attr-defined]
    summary = (command.help or "").strip()
    assert summary, f"`coach {name}` has no help text"
    result = cli(name, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout
    words = re.findall(r"\w+", summary.split("\n")[0])[:6]
    assert " ".join(words) in " ".join(re.findall(r"\w+", result.stdout)), (words, result.stdout)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str, repo_root: Path) -> None:
    readme = repo_root / "README.md"
    assert readme.is_file(), "README.md is missing"
    text = readme.read_text(encoding="utf-8")
    assert re.search(rf"\bcoach {re.escape(name)}\b", text), f"`coach {name}` is not mentioned in README.md"


def test_top_level_help_lists_every_command(cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert re.search(rf"^\W*{re.escape(name)}\b", result.stdout, re.M), name


# --- the real executable ---------------------------------------------------------------------

def _coach() -> str:
    exe = Path(sys.executable).with_name("coach")
    assert exe.exists(), f"the coach script is not installed next to {sys.executable}"
    return str(exe)


def test_real_coach_executable(tmp_path: Path, shapes_dir: Path, coach_home: Path, ingest_flags: list[str]) -> None:
    env = dict(os.environ, INTERVIEW_COACH_HOME=str(coach_home))
    env.pop("INTERVIEW_COACH_DB", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([_coach(), *args], capture_output=True, text=True, encoding="utf-8", env=env,
                              cwd=tmp_path, timeout=60)

    ingest = run("ingest", *ingest_flags, str(shapes_dir))
    assert ingest.returncode == 0, ingest.stderr
    assert (coach_home / "bank.sqlite3").is_file()  # the default bank lives in INTERVIEW_COACH_HOME
    out = tmp_path / "bank.jsonl"
    export = run("export", "--format", "jsonl", "--output", str(out))
    assert export.returncode == 0, export.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 36
    assert not list(tmp_path.glob("*.part"))


def test_version(cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and re.match(r"coach \d+\.\d+", result.stdout)


def test_default_bank_is_under_the_home_directory(runner, shapes_dir: Path, coach_home: Path,
                                                  ingest_flags: list[str]) -> None:
    result = runner.invoke(app, ["ingest", *ingest_flags, str(shapes_dir / "qa_pairs.md")])
    assert result.exit_code == 0, result.output
    assert (coach_home / "bank.sqlite3").is_file()


# --- JSON for programs -------------------------------------------------------------------------

def test_json_outputs_parse(loaded) -> None:
    stats = loaded.json("stats")
    sources = loaded.json("sources")
    listing = loaded.json("list")
    assert stats["items"] == 36 == sum(s["items"] for s in sources)
    assert stats["sources"] == len(sources) == 10
    assert len(listing) == stats["questions"]
    first = listing[0]
    shown = loaded.json("show", first["question_id"])
    assert shown["question_id"] == first["question_id"]
    assert shown["items"] and all(CONTRACT_KEYS <= set(it) for it in shown["items"])


def test_ingest_json_reports_every_file(cli, shapes_dir: Path) -> None:
    data = cli.json("ingest", shapes_dir)
    assert data["ok"] is True
    assert sorted(Path(f["path"]).name for f in data["files"]) == sorted(p.name for p in shapes_dir.iterdir())
    assert all(f["status"] == "new" and f["items"] > 0 and f["error"] is None for f in data["files"])


def test_list_filters(loaded) -> None:
    hant = loaded.json("list", "--lang", "zh-Hant")
    assert hant and all("zh-Hant" in q["langs"] for q in hant)
    unanswered = loaded.json("list", "--unanswered")
    assert [q["question"] for q in unanswered] == ["什麼是混合精度訓練？"]
    assert len(loaded.json("list", "--limit", "3")) == 3
    bad = loaded("list", "--lang", "klingon")
    assert bad.exit_code == 2 and "--lang" in bad.output


# --- export contract ---------------------------------------------------------------------------

def test_export_jsonl_contract(loaded, shapes_dir: Path) -> None:
    records = _export(loaded)
    assert len(records) == 36
    for r in records:
        assert CONTRACT_KEYS <= set(r), CONTRACT_KEYS - set(r)
        assert r["lang"] in LANGS
        assert isinstance(r["line_start"], int) and isinstance(r["line_end"], int)
        assert 1 <= r["line_start"] <= r["line_end"]
        assert isinstance(r["translations"], dict) and isinstance(r["images"], list) and isinstance(r["links"], list)
        assert r["number"] is None or isinstance(r["number"], int)
        if r["answer"] is None:
            assert r["answer_line_start"] is None and r["answer_line_end"] is None
        else:
            assert r["line_start"] <= r["answer_line_start"] <= r["answer_line_end"] <= r["line_end"]
        # provenance points into the file as ingested
        path = Path(r["source"])
        assert path.is_absolute() and path.parent == shapes_dir.resolve()
        source_lines = path.read_text(encoding="utf-8").splitlines()
        assert r["question"] in source_lines[r["line_start"] - 1].replace("**", ""), r
    assert len({r["item_id"] for r in records}) == len(records)


def test_export_jsonl_source_filter_and_output_file(loaded, tmp_path: Path) -> None:
    out = tmp_path / "out" / "qa.jsonl"
    out.parent.mkdir()
    result = loaded("export", "--format", "jsonl", "--source", "qa_pairs", "--output", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["line_start"] for r in records] == [3, 6, 9, 14]
    assert {Path(r["source"]).name for r in records} == {"qa_pairs.md"}


def test_export_markdown_contains_every_question_and_answer(loaded) -> None:
    result = loaded("export", "--format", "md")
    assert result.exit_code == 0, result.output
    md = result.stdout
    for r in _export(loaded):
        assert r["question"] in md, r["question"]
        for text in r["translations"].values():
            assert text in md
        if r["answer"]:
            assert r["answer"].strip().splitlines()[0] in md


def test_show_prints_answers_with_source_and_lines(loaded) -> None:
    record = next(r for r in _export(loaded) if r["question"] == "什么是批量归一化？")
    result = loaded("show", record["question_id"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "什么是批量归一化？" in out and "What is batch normalization?" in out
    assert "对每个小批量的激活做标准化" in out
    assert re.search(r"bilingual_zh_first\.md:9-10\b", out), out
    by_item = loaded("show", record["item_id"])
    assert by_item.exit_code == 0 and by_item.stdout == out


def test_show_explanation_with_lines(loaded) -> None:
    record = next(r for r in _export(loaded) if r["explanation"])
    result = loaded("show", record["question_id"])
    assert result.exit_code == 0
    assert record["explanation"].splitlines()[0] in result.stdout
    assert f"interview_blocks.md:{record['explanation_line_start']}" in result.stdout


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_show_unknown_id(loaded, json_flag: list[str]) -> None:
    result = loaded("show", "q00000000", *json_flag)
    assert result.exit_code != 0
    assert "q00000000" in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_empty_bank_commands(cli) -> None:
    assert cli.json("list") == []
    assert cli.json("sources") == []
    assert cli.json("stats")["items"] == 0
    result = cli("export")
    assert result.exit_code == 0 and result.stdout == ""


def test_sample_bank_ingests_cleanly(cli) -> None:
    data = cli.json("ingest", sample_bank_dir())
    assert data["ok"] is True
    assert data["files"] and all(f["items"] > 0 for f in data["files"])
