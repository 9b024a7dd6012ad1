"""`coach ingest --dry-run` shows what would be read without writing; `--hint KEY=VALUE`
layout hints are stored with the source and applied on every re-ingest; an unchanged
re-ingest shows the source's shapes and notices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_coach.bank.store import Store
from interview_coach.errors import InputError
from interview_coach.ingest import hints
from interview_coach.ingest.pipeline import ingest_file, preview_file

from ..conftest import Cli

DOC = "\n".join([
    "# Notes",
    "| No. | Task | Level |",                                      # 2: "Task" is no question header
    "|-----|---------|-------|",
    "| 1 | Merge two sorted lists | easy |",                         # 4
    "| 2 | Detect a cycle in a graph | medium |",                     # 5
    "## Questions",
    "### Explain dropout [asked at Acme]",                           # 7
    "It zeroes units at random.",
    "### What is a residual connection? [asked at Acme]",            # 9
    "A shortcut that adds the input to the output.",
    "## Tips",
    "- What is a good night's sleep worth?",                         # 12
    "- Focus",
    "- Rest",
    "- Practice",
    "- Breathe",
    "",
])


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "notes.md"
    path.write_text(DOC, encoding="utf-8")
    return path


def test_dry_run_writes_nothing_and_shows_groups_refused_groups_and_notices(cli: Cli, db_path: Path, doc: Path) -> None:
    out = cli.json("ingest", "--dry-run", doc)
    assert not Path(db_path).exists()  # no bank was even created (a file path in the SQLite run)
    (f,) = out["files"]
    assert out["dry_run"] and f["status"] == "preview" and f["items"] == 3
    read = [g for g in f["groups"] if not g["refused"]]
    assert [(g["kind"], g["items"], g["first_line"]) for g in read] == [("heading_per_question", 2, 7), ("generic", 1, 12)]
    assert read[0]["first_lines"] == ["Explain dropout [asked at Acme]", "What is a residual connection? [asked at Acme]"]
    text = cli("ingest", "--dry-run", doc)
    assert text.exit_code == 0 and "would read 3 questions" in text.stdout and "heading_per_question" in text.stdout


def test_hints_apply_now_are_stored_and_apply_on_every_re_ingest(cli: Cli, db_path: Path, doc: Path) -> None:
    preview = cli.json("ingest", "--dry-run", "--hint", "question_column=Task", "--hint", r"strip=\s*\[asked at \w+\]$",
                       doc)
    assert preview["files"][0]["items"] == 5 and not Path(db_path).exists()
    first = cli.json("ingest", "--hint", "question_column=Task", "--hint", r"strip=\s*\[asked at \w+\]$", doc)
    (f,) = first["files"]
    assert f["status"] == "new" and f["items"] == 5 and f["hints"]["question_column"] == "Task"
    with Store.open(db_path) as store:
        questions = sorted(it.question for it in store.items())
        assert store.source_hints(str(doc.resolve())) == {"question_column": "Task", "strip": r"\s*\[asked at \w+\]$"}
    assert "Explain dropout" in questions and "Merge two sorted lists" in questions
    assert cli.json("sources")[0]["hints"]["question_column"] == "Task"
    # unchanged: nothing parsed, the shapes and notices of the source are shown again
    again = cli.json("ingest", doc)["files"][0]
    assert again["status"] == "unchanged" and again["shapes"] == f["shapes"] and again["notices"] == f["notices"]
    assert again["notices"], "the first ingest had notices (unanswered questions)"
    # edited: the stored hints apply without being given again
    doc.write_text(DOC + "- What is sleep debt?\n", encoding="utf-8")
    edited = cli.json("ingest", doc)["files"][0]
    assert edited["status"] == "updated" and edited["items"] == 6
    # an empty value removes a hint: the table is no question table any more
    removed = cli.json("ingest", "--hint", "question_column=", doc)["files"][0]
    assert removed["items"] == 4 and "question_column" not in removed["hints"]


def test_bad_hints_are_refused_with_the_known_keys(cli: Cli, doc: Path) -> None:
    for bad in ("colour=red", "heading_level=9", "strip=(", "no_equals_sign"):
        result = cli("ingest", "--dry-run", "--hint", bad, doc)
        assert result.exit_code != 0 and "hint" in result.output, bad
    with pytest.raises(InputError):
        hints.parse(["heading_level=x"])


def test_heading_level_hint_picks_the_item_level(tmp_path: Path) -> None:
    path = tmp_path / "levels.md"
    path.write_text("## Attention\n### Scaled dot product\nDivide by the root of d.\n### Multi-head\nSeveral subspaces.\n",
                    encoding="utf-8")
    plain = preview_file(path)
    hinted = preview_file(path, hints={"heading_level": "3"})
    assert hinted.items == 2 and plain.items != 2


def test_library_preview_and_ingest_agree(tmp_path: Path, doc: Path) -> None:
    with Store.open(tmp_path / "bank.sqlite3") as store:
        before = preview_file(doc, store=store)
        report = ingest_file(store, doc)
        assert (before.items, before.shapes) == (report.items, report.shapes)
        assert [g.first for g in before.groups] == [g.first for g in report.groups]
    assert json.dumps([g.kind for g in before.groups])
