"""Re-ingesting keeps ids stable: unchanged files change nothing, edited files keep the ids
of every item that is still there (reworded ones included), moved files keep theirs, and
`coach remove` removes a source with its items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_coach.bank.store import Store
from interview_coach.bank.types import Item
from interview_coach.errors import NotFound
from interview_coach.ingest.pipeline import ingest_paths
from tests.dbutil import sql

ORIGINAL = """# Optimisation notes

## Training

1. What is gradient descent?
Answer:
Repeatedly step the parameters against the gradient of the loss.

2. Why does the learning rate matter so much in practice?
Answer:
Too large diverges, too small crawls.

3. 什么是动量？
答案：
把过去梯度的指数滑动平均加到更新里，减少震荡。

4. What is weight decay?
Answer:
A penalty that shrinks weights toward zero every step.

5. How does Adam adapt the step size?
Answer:
It divides by a running estimate of the squared gradient.

6. 为什么要做梯度裁剪？
答案：
防止梯度爆炸导致一次更新就破坏模型。
"""

# q2 reworded slightly, q4 deleted, q5 and q6 swapped (and renumbered), q7 added
EDITED = """# Optimisation notes

## Training

1. What is gradient descent?
Answer:
Repeatedly step the parameters against the gradient of the loss.

2. Why does the learning rate matter so much in training?
Answer:
Too large diverges, too small crawls.

3. 什么是动量？
答案：
把过去梯度的指数滑动平均加到更新里，减少震荡。

4. 为什么要做梯度裁剪？
答案：
防止梯度爆炸导致一次更新就破坏模型。

5. How does Adam adapt the step size?
Answer:
It divides by a running estimate of the squared gradient.

6. What is a learning-rate warm-up?
Answer:
Start with a small learning rate and raise it over the first steps.
"""

TABLES = ("sources", "items", "questions", "question_keys", "meta", "alembic_version")


def _ingest(db: Path, *paths: Path) -> list:
    with Store.open(db) as store:
        report = ingest_paths(store, list(paths))
    assert report.ok, [f.error for f in report.files if not f.ok]
    return report.files


def _items(db: Path) -> dict[str, Item]:
    with Store.open(db) as store:
        return {it.question: it for it in store.items()}


def _dump(db: str) -> dict[str, list[tuple]]:
    with Store.open(db) as store:
        return {t: sorted(sql(store, f"SELECT * FROM {t}")) for t in TABLES}


@pytest.fixture
def bank_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes" / "optimisation.md"
    path.parent.mkdir()
    path.write_text(ORIGINAL, encoding="utf-8")
    return path


def test_unchanged_file_changes_nothing(bank_file: Path, db_path: Path) -> None:
    (first,) = _ingest(db_path, bank_file)
    assert first.status == "new" and first.items == 6
    before = _dump(db_path)
    (again,) = _ingest(db_path, bank_file)
    assert again.status == "unchanged"
    assert again.sync is not None and (again.sync.added, again.sync.updated, again.sync.removed) == (0, 0, 0)
    assert _dump(db_path) == before  # every row of every table, timestamps included


def test_unchanged_file_through_the_cli(bank_file: Path, cli) -> None:
    assert cli("ingest", bank_file).exit_code == 0
    before = cli("export").stdout
    assert before.count("\n") == 6
    result = cli("ingest", "--json", bank_file)
    assert result.exit_code == 0
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["status"] == "unchanged" and entry["added"] == entry["updated"] == entry["removed"] == 0
    assert cli("export").stdout == before


def test_edited_file_keeps_ids(bank_file: Path, db_path: Path) -> None:
    _ingest(db_path, bank_file)
    old = _items(db_path)
    assert len(old) == 6
    with Store.open(db_path) as store:
        old_questions = {row[0] for row in sql(store, "SELECT id FROM questions")}

    bank_file.write_text(EDITED, encoding="utf-8")
    (report,) = _ingest(db_path, bank_file)
    assert report.status == "updated"
    assert report.sync is not None
    assert (report.sync.added, report.sync.removed) == (1, 1)
    new = _items(db_path)
    assert len(new) == 6

    untouched = ["What is gradient descent?", "什么是动量？", "How does Adam adapt the step size?",
                 "为什么要做梯度裁剪？"]
    for q in untouched:
        assert new[q].item_id == old[q].item_id, q
        assert new[q].question_id == old[q].question_id, q
    reworded_old, reworded_new = ("Why does the learning rate matter so much in practice?",
                                  "Why does the learning rate matter so much in training?")
    assert new[reworded_new].item_id == old[reworded_old].item_id
    assert new[reworded_new].question_id == old[reworded_old].question_id

    assert "What is weight decay?" not in new
    deleted = old["What is weight decay?"]
    with Store.open(db_path) as store:
        with pytest.raises(NotFound):
            store.item(deleted.item_id)
        questions = {row[0] for row in sql(store, "SELECT id FROM questions")}
    assert deleted.question_id not in questions  # no orphan canonical question left behind

    added = new["What is a learning-rate warm-up?"]
    assert added.item_id not in {it.item_id for it in old.values()}
    assert added.question_id not in old_questions

    # provenance follows the new file: lines and numbers are those of the edited text
    clipping, adam = new["为什么要做梯度裁剪？"], new["How does Adam adapt the step size?"]
    assert (clipping.question_line, clipping.number) == (17, 4)
    assert (adam.question_line, adam.number) == (21, 5)
    assert (added.answer_line_start, added.answer_line_end) == (27, 27)
    assert [it.question for it in sorted(new.values(), key=lambda i: i.position)] == [
        "What is gradient descent?", reworded_new, "什么是动量？", "为什么要做梯度裁剪？",
        "How does Adam adapt the step size?", "What is a learning-rate warm-up?"]


def test_edit_then_revert_restores_the_same_ids(bank_file: Path, db_path: Path) -> None:
    _ingest(db_path, bank_file)
    original = {q: (it.item_id, it.question_id) for q, it in _items(db_path).items()}
    bank_file.write_text(EDITED, encoding="utf-8")
    _ingest(db_path, bank_file)
    bank_file.write_text(ORIGINAL, encoding="utf-8")
    _ingest(db_path, bank_file)
    back = {q: (it.item_id, it.question_id) for q, it in _items(db_path).items()}
    survivors = [q for q in original if q != "What is weight decay?"]
    assert {q: back[q] for q in survivors} == {q: original[q] for q in survivors}


def test_answer_edit_keeps_ids_and_updates_text(bank_file: Path, db_path: Path) -> None:
    _ingest(db_path, bank_file)
    old = _items(db_path)
    bank_file.write_text(ORIGINAL.replace("Too large diverges, too small crawls.",
                                          "Too large diverges.\nToo small crawls."), encoding="utf-8")
    (report,) = _ingest(db_path, bank_file)
    assert report.sync is not None and (report.sync.added, report.sync.removed) == (0, 0)
    new = _items(db_path)
    q = "Why does the learning rate matter so much in practice?"
    assert {k: v.item_id for k, v in new.items()} == {k: v.item_id for k, v in old.items()}
    assert new[q].answer == "Too large diverges.\nToo small crawls."
    assert (new[q].answer_line_start, new[q].answer_line_end) == (11, 12)
    assert new["What is weight decay?"].question_line == old["What is weight decay?"].question_line + 1


def test_moved_file_keeps_its_ids(bank_file: Path, db_path: Path, tmp_path: Path) -> None:
    _ingest(db_path, bank_file)
    old = {q: (it.item_id, it.question_id) for q, it in _items(db_path).items()}
    moved = tmp_path / "elsewhere" / "renamed.md"
    moved.parent.mkdir()
    bank_file.rename(moved)
    (report,) = _ingest(db_path, moved)
    assert report.status == "unchanged"
    with Store.open(db_path) as store:
        assert [s.path for s in store.sources()] == [str(moved.resolve())]
        new = {it.question: (it.item_id, it.question_id) for it in store.items()}
        assert {it.source for it in store.items()} == {str(moved.resolve())}
    assert new == old


def test_copied_file_is_a_second_source_sharing_questions(bank_file: Path, db_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.md"
    copy.write_text(ORIGINAL, encoding="utf-8")
    _ingest(db_path, bank_file, copy)
    with Store.open(db_path) as store:
        items = store.items()
        assert len(store.sources()) == 2
    assert len(items) == 12
    by_source: dict[str, dict[str, Item]] = {}
    for it in items:
        by_source.setdefault(it.source, {})[it.question] = it
    a, b = by_source.values()
    assert {q: it.question_id for q, it in a.items()} == {q: it.question_id for q, it in b.items()}
    assert not {it.item_id for it in a.values()} & {it.item_id for it in b.values()}


def test_same_question_in_other_script_and_language_links(tmp_path: Path, db_path: Path) -> None:
    simplified = tmp_path / "s.md"
    simplified.write_text("1. 什么是过拟合？\n答案：\n训练集好，测试集差。\n", encoding="utf-8")
    traditional = tmp_path / "t.md"
    traditional.write_text("1. 什麼是過擬合？\n答案：\n訓練集好，測試集差。\n", encoding="utf-8")
    bilingual = tmp_path / "b.md"
    bilingual.write_text("1. What is overfitting?\n什么是过拟合？\n\nAnswer:\nFitting noise.\n", encoding="utf-8")
    _ingest(db_path, simplified, traditional, bilingual)
    with Store.open(db_path) as store:
        items = store.items()
        assert len(items) == 3
        assert len({it.question_id for it in items}) == 1
        view = store.question(items[0].question_id)
    assert sorted(view.langs) == ["en", "zh-Hans", "zh-Hant"]


def test_remove_source_through_the_cli(bank_file: Path, tmp_path: Path, cli) -> None:
    other = tmp_path / "other.md"
    other.write_text("1. What is a residual connection?\nAnswer:\nA skip path added to a block's output.\n",
                     encoding="utf-8")
    assert cli("ingest", bank_file, other).exit_code == 0
    assert cli.json("stats")["items"] == 7

    result = cli("remove", "--json", bank_file)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["items"] == 6
    assert [Path(s["path"]).name for s in cli.json("sources")] == ["other.md"]
    stats = cli.json("stats")
    assert (stats["sources"], stats["items"], stats["questions"]) == (1, 1, 1)
    with Store.open(cli.db) as store:
        assert sql(store, "SELECT COUNT(*) FROM questions") == [(1,)]
        assert sql(store, "SELECT COUNT(*) FROM question_keys WHERE question_id NOT IN "
                          "(SELECT id FROM questions)") == [(0,)]
    # the file itself is untouched, and can be ingested again
    assert bank_file.read_text(encoding="utf-8") == ORIGINAL
    again = cli("ingest", "--json", bank_file)
    assert json.loads(again.stdout)["files"][0]["status"] == "new"


def test_remove_with_a_relative_path(bank_file: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("ingest", bank_file).exit_code == 0
    monkeypatch.chdir(bank_file.parent.parent)
    result = cli("remove", Path("notes") / "optimisation.md")
    assert result.exit_code == 0, result.output
    assert "6" in result.stdout
    assert cli.json("sources") == []


def test_remove_unknown_source_fails_clearly(bank_file: Path, cli) -> None:
    assert cli("ingest", bank_file).exit_code == 0
    result = cli("remove", "/no/such/file.md")
    assert result.exit_code != 0
    assert "/no/such/file.md" in result.stderr
    assert cli.json("stats")["items"] == 6
