"""`coach job`, `coach mock plan|report|list`, `coach topics`, `coach tag`, `coach list --topic`,
through the real typer app, with JSON for programs and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from interview_coach.cli.main import app
from interview_coach.config import sample_bank_dir

DATA = Path(__file__).resolve().parents[1] / "data" / "jobs"


@pytest.fixture
def bank(cli: Any) -> Any:
    result = cli("ingest", sample_bank_dir())
    assert result.exit_code == 0, result.output
    return cli


def _add(cli: Any, name: str = "llm_engineer_en.md", *extra: str) -> dict[str, Any]:
    return cli.json("job", "add", DATA / name, *extra)  # type: ignore[no-any-return]


def test_job_add_prints_the_profile_contract(bank: Any) -> None:
    job = _add(bank, "llm_engineer_en.md", "--date", "2027-01-15", "--url", "https://example.com/jobs/1")
    assert set(job) >= {"id", "title", "topics", "unmatched"}
    assert job["title"] == "LLM Engineer" and job["interview_date"] == "2027-01-15"
    assert job["url"] == "https://example.com/jobs/1"
    for t in job["topics"]:
        assert set(t) >= {"topic", "must_have", "evidence"} and t["evidence"]
    assert {"rlhf", "rag"} <= {t["topic"] for t in job["topics"]}
    assert "Excellent written communication." in job["unmatched"]
    assert [j["id"] for j in bank.json("job", "list")] == [job["id"]]
    assert bank.json("job", "show", job["id"])["topics"] == job["topics"]


def test_job_add_reads_standard_input(bank: Any) -> None:
    text = (DATA / "nlp_zh_hant.md").read_text(encoding="utf-8")
    result = bank.runner.invoke(app, ["--db", bank.db, "job", "add", "-", "--title", "NLP", "--json"], input=text)
    assert result.exit_code == 0, result.output
    job = json.loads(result.stdout)
    assert job["title"] == "NLP" and "data-labelling" in {t["topic"] for t in job["topics"]}


def test_job_edit_and_remove(bank: Any) -> None:
    job = _add(bank)
    edited = bank.json("job", "edit", job["id"], "--add", "量化", "--remove", "rag", "--nice", "rlhf")
    topics = {t["topic"]: t for t in edited["topics"]}
    assert "rag" not in topics and topics["quantization"]["origin"] == "manual" and topics["rlhf"]["must_have"] is False
    result = bank("job", "edit", job["id"], "--add", "astrology")
    assert result.exit_code == 2 and "unknown topic" in result.stderr
    assert bank("job", "remove", job["id"]).exit_code == 0
    assert bank("job", "show", job["id"]).exit_code == 3


def test_readiness_and_plan_json(bank: Any) -> None:
    job = _add(bank, "llm_engineer_en.md", "--date", "2027-01-15")
    rm = bank.json("job", "readiness", job["id"])
    assert rm["interview_date"] == "2027-01-15" and 0 <= rm["overall"] <= 1 and rm["sentence"]
    assert "containers-kubernetes" in rm["gaps"]
    assert {t["status"] for t in rm["topics"]} <= {"gap", "weak", "fair", "strong"}
    plan = bank.json("mock", "plan", "--job", job["id"], "--minutes", "12")
    assert len(plan["questions"]) == 3 and plan["planned_minutes"] <= 12
    text = bank("job", "readiness", job["id"]).stdout
    assert "gaps — no questions in your bank" in text and "overall" in text


@pytest.mark.parametrize(("args", "code", "message"), [
    (["job", "add", "missing.txt"], 2, "no such file"),
    (["job", "show", "99"], 3, "no job 99"),
    (["job", "add", str(DATA / "llm_engineer_en.md"), "--date", "15/01/2027"], 2, "YYYY-MM-DD"),
    (["mock", "plan", "--job", "7"], 3, "no job 7"),
    (["mock", "report", "5"], 3, "no mock interview 5"),
    (["mock"], 2, "--job"),
])
def test_bad_input_is_one_line(bank: Any, args: list[str], code: int, message: str) -> None:
    result = bank(*args)
    assert result.exit_code == code, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_an_empty_description_is_refused(bank: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = bank("job", "add", empty)
    assert result.exit_code == 2 and "empty" in result.stderr


def test_mock_with_no_questions_for_the_job_says_so(bank: Any, tmp_path: Path) -> None:
    jd = tmp_path / "devops.txt"
    jd.write_text("DevOps engineer\nRequirements:\n- Kubernetes and Docker\n- AWS\n", encoding="utf-8")
    job = bank.json("job", "add", jd)
    plan = bank.json("mock", "plan", "--job", job["id"])
    assert plan["questions"] == [] and any("no questions" in n for n in plan["notes"])
    result = bank("mock", "--job", job["id"])
    assert result.exit_code == 2 and "no questions" in result.stderr


def test_topics_tags_and_list_by_topic(bank: Any) -> None:
    topics = bank.json("topics")
    assert 100 <= len(topics) <= 150
    rlhf = next(t for t in topics if t["id"] == "rlhf")
    assert rlhf["questions"] >= 1 and "人類回饋強化學習" in rlhf["zh_hant"]
    listed = bank.json("list", "--topic", "人类反馈强化学习")
    assert listed and all("rlhf" in q["topics"] for q in listed)
    qid = listed[0]["question_id"]
    tagged = bank.json("tag", qid, "--add", "alignment", "--remove", "rlhf")
    assert {t["topic"]: t["origin"] for t in tagged["topics"]}.get("alignment") == "manual"
    assert "rlhf" not in {t["topic"] for t in tagged["topics"]}
    assert qid not in {q["question_id"] for q in bank.json("list", "--topic", "rlhf")}
    shown = bank.json("show", qid)
    assert {"topic": "alignment", "origin": "manual"} in shown["topics"]
