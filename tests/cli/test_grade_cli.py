"""`coach grade`: the JSON contract of DESIGN.md (score 0–100; per key point its text, status
and the evidence span from the answer), --answer-file, --batch JSONL, and input errors.

Runs the real CLI in-process on a tmp bank holding a small hand-written bank
(tests/data/grading_cases.json → own_bank), real models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from interview_coach.study.spans import clean

DATA = Path(__file__).resolve().parents[1] / "data" / "grading_cases.json"
OWN_BANK: dict[str, list[str]] = json.loads(DATA.read_text(encoding="utf-8"))["own_bank"]
STATUSES = {"covered", "partial", "missing"}

DROPOUT = ("Dropout switches off a random fraction of the activations at every training step, so units "
           "cannot rely on each other. It is like an ensemble of thinned networks sharing weights; at "
           "inference it is turned off and activations are rescaled.")
CLIPPING_ZH = "梯度裁剪在梯度范数超过阈值时把梯度按比例缩小，用来防止梯度爆炸，更新的方向保持不变。"


@pytest.fixture
def bank(cli: Any, tmp_path: Path) -> dict[str, str]:
    """The small bank ingested; question text → canonical id."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, lines in OWN_BANK.items():
        (docs / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (docs / "open.md").write_text("# Open\n\n1. What is speculative decoding?\n", encoding="utf-8")
    result = cli("ingest", docs)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in cli("export", "--format", "jsonl").stdout.splitlines() if line.strip()]
    return {r["question"]: r["question_id"] for r in rows} | {"item:" + r["question"]: r["item_id"] for r in rows}


def _id(bank: dict[str, str], head: str, item: bool = False) -> str:
    found = [v for k, v in bank.items() if k.startswith(("item:" if item else "") + head)]
    assert len(found) == 1, head
    return found[0]


def _check_result(result: dict[str, Any], answer: str) -> None:
    assert isinstance(result["score"], int | float) and not isinstance(result["score"], bool)
    assert 0 <= result["score"] <= 100
    assert result["key_points"], "a question with a reference answer has key points"
    for p in result["key_points"]:
        assert isinstance(p["text"], str) and p["text"].strip()
        assert p["status"] in STATUSES
        if p["status"] == "missing":
            assert p["evidence"] is None
            continue
        assert isinstance(p["evidence"], str) and p["evidence"]
        start, end = p["evidence_start"], p["evidence_end"]
        assert 0 <= start < end <= len(answer)
        assert clean(answer[start:end]) == p["evidence"], (p, answer[start:end])


def test_grade_json_contract(cli: Any, bank: dict[str, str]) -> None:
    qid = _id(bank, "What is dropout")
    result = cli.json("grade", "--question", qid, "--answer", DROPOUT)
    assert result["question_id"] == qid
    _check_result(result, DROPOUT)
    assert result["score"] >= 60
    assert any(p["status"] == "covered" for p in result["key_points"])
    assert isinstance(result["flags"], list)


def test_grade_accepts_an_item_id(cli: Any, bank: dict[str, str]) -> None:
    item = _id(bank, "什么是梯度裁剪", item=True)
    result = cli.json("grade", "-q", item, "-a", CLIPPING_ZH)
    assert result["question_id"] == _id(bank, "什么是梯度裁剪")
    _check_result(result, CLIPPING_ZH)


def test_answer_file_gives_the_same_grade_as_answer(cli: Any, bank: dict[str, str], tmp_path: Path) -> None:
    qid = _id(bank, "什么是梯度裁剪")
    path = tmp_path / "answer.md"
    text = "- " + CLIPPING_ZH + "\n- 常见于循环神经网络的训练。\n"
    path.write_text(text, encoding="utf-8")
    from_file = cli.json("grade", "--question", qid, "--answer-file", path)
    inline = cli.json("grade", "--question", qid, "--answer", text)
    assert from_file == inline
    _check_result(from_file, text)


def test_junk_and_empty_answers(cli: Any, bank: dict[str, str]) -> None:
    qid = _id(bank, "What does weight decay")
    assert cli.json("grade", "--question", qid, "--answer", "")["score"] == 0
    echoed = cli.json("grade", "--question", qid, "--answer", "What does weight decay do?")
    assert echoed["score"] == 0 and "echo" in echoed["flags"]


def test_grade_for_people_shows_the_score_points_and_reference(cli: Any, bank: dict[str, str]) -> None:
    qid = _id(bank, "What is dropout")
    result = cli("grade", "--question", qid, "--answer", DROPOUT)
    assert result.exit_code == 0, result.output
    assert "Score " in result.stdout and "/100" in result.stdout
    assert "covered" in result.stdout
    assert "Reference" in result.stdout and "ml_notes_en.md" in result.stdout


def _write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_batch_writes_one_result_per_line_in_order(cli: Any, bank: dict[str, str], tmp_path: Path) -> None:
    dropout, clipping = _id(bank, "What is dropout"), _id(bank, "什么是梯度裁剪")
    rows = [
        {"id": "a", "question": clipping, "answer": CLIPPING_ZH},
        {"id": "b", "question": dropout, "answer": ""},
        {"question": dropout, "answer": DROPOUT},
        {"id": "d", "question": dropout, "answer": "The KV cache stores keys and values of earlier tokens."},
    ]
    path = _write_jsonl(tmp_path / "answers.jsonl", [rows[0], "", rows[1], rows[2], "   ", rows[3]])
    result = cli("grade", "--batch", path, "--json")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 4, result.stdout
    out = [json.loads(line) for line in lines]
    assert [o.get("id") for o in out] == ["a", "b", None, "d"]
    assert [o["question_id"] for o in out] == [clipping, dropout, dropout, dropout]
    for o, r in zip(out, rows, strict=True):
        if r["answer"]:
            _check_result(o, r["answer"])
    assert out[1]["score"] == 0
    assert out[2]["score"] > out[3]["score"]
    # the same grade as one at a time
    single = cli.json("grade", "--question", dropout, "--answer", DROPOUT)
    assert out[2]["score"] == single["score"]
    assert [p["status"] for p in out[2]["key_points"]] == [p["status"] for p in single["key_points"]]


def test_batch_unknown_question_is_reported_on_its_line(cli: Any, bank: dict[str, str], tmp_path: Path) -> None:
    dropout = _id(bank, "What is dropout")
    path = _write_jsonl(tmp_path / "answers.jsonl", [
        {"question": "q_does_not_exist", "answer": "x"}, {"question": dropout, "answer": DROPOUT}])
    result = cli("grade", "--batch", path, "--json")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines() if line.strip())
    assert "error" in first and first["line"] == 1 and "q_does_not_exist" in first["error"]
    assert second["question_id"] == dropout and "score" in second


@pytest.mark.parametrize(("bad", "message"), [
    ("{not json", "not JSON"),
    (json.dumps({"question": "q1"}), "needs string fields"),
    (json.dumps({"question": "q1", "answer": 3}), "needs string fields"),
    (json.dumps(["q1", "an answer"]), "needs string fields"),
])
def test_batch_bad_line_is_a_clear_error_naming_file_and_line(
        cli: Any, bank: dict[str, str], tmp_path: Path, bad: str, message: str) -> None:
    dropout = _id(bank, "What is dropout")
    good = {"question": dropout, "answer": DROPOUT}
    path = _write_jsonl(tmp_path / "answers.jsonl", [good, "", bad, good])
    result = cli("grade", "--batch", path, "--json")
    assert result.exit_code == 2, result.output
    assert f"{path}:3:" in result.stderr and message in result.stderr, result.stderr
    assert result.stdout.strip() == "", "nothing is graded when the batch file is bad"
    assert "Traceback" not in result.output


def test_batch_file_that_cannot_be_read(cli: Any, bank: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    result = cli("grade", "--batch", missing, "--json")
    assert result.exit_code != 0
    assert str(missing) in result.stderr
    binary = tmp_path / "latin1.jsonl"
    binary.write_bytes(b'{"question": "q", "answer": "caf\xe9"}\n')
    result = cli("grade", "--batch", binary, "--json")
    assert result.exit_code == 2 and str(binary) in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--answer", "something"], "--question is required"),
    (["--question", "QID"], "exactly one of --answer and --answer-file"),
    (["--question", "QID", "--answer", "x", "--answer-file", "FILE"], "exactly one of --answer and --answer-file"),
    ([], "--question is required"),
])
def test_missing_or_conflicting_arguments(
        cli: Any, bank: dict[str, str], tmp_path: Path, args: list[str], message: str) -> None:
    qid = _id(bank, "What is dropout")
    f = tmp_path / "a.txt"
    f.write_text("text", encoding="utf-8")
    argv = [qid if a == "QID" else str(f) if a == "FILE" else a for a in args]
    result = cli("grade", *argv, "--json")
    assert result.exit_code == 2, result.output
    assert message in result.stderr, result.stderr
    assert result.stdout.strip() == ""


def test_unknown_question_and_unreadable_answer_file(cli: Any, bank: dict[str, str], tmp_path: Path) -> None:
    result = cli("grade", "--question", "q_nope", "--answer", "x", "--json")
    assert result.exit_code == 3 and "q_nope" in result.stderr
    missing = tmp_path / "missing.txt"
    result = cli("grade", "--question", _id(bank, "What is dropout"), "--answer-file", missing, "--json")
    assert result.exit_code == 2 and str(missing) in result.stderr


def test_a_question_without_reference_answer_cannot_be_graded(cli: Any, bank: dict[str, str]) -> None:
    result = cli("grade", "--question", _id(bank, "What is speculative decoding"), "--answer", "draft model", "--json")
    assert result.exit_code == 2
    assert "no reference answer" in result.stderr
