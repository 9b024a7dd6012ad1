"""Human-graded answers for fitting and evaluating the grader (read from outside the repo).

The data never enters the repository (several licences forbid it): it is read from
`$COACH_GRADING_DATA` (default `../data` beside the repository), laid out as

    grading/<set>.jsonl   public human-graded short-answer sets, one answer per line:
                          dataset, question_id, question, references[], answer, grade (0–1), lang, …
    answers/              our own bilingual interview answers: questions.jsonl, answers.jsonl,
                          split.json, the judges' grades, and intent.jsonl (each answer's intended
                          category: full, partial, wrong_question, keywords, …)

Sources, licences and counts: bench/grading_data.md. Which sets may be fitted on is decided
there too (FIT_SETS); the others are held out and evaluated once.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("COACH_GRADING_DATA", REPO.parent / "data")).resolve()
FIT_SETS = ("beetle", "scientsbank", "asap_sas", "zh_le")
HELD_OUT_SETS = ("powergrading", "saf_en", "zh_ads", "zh_sr")
INTERVIEW = "interview"  # our own set; its dev questions are fitted on, its test questions held out
JUDGE_MAX = 5.0  # the interview judges grade 0–5
# ASAP-SAS prompts whose "reference" is a generic score-point rubric (the key content is in a
# reading passage that is not distributed): evaluated, but not fitted on — nothing in the
# reference says what a good answer contains.
GENERIC_RUBRIC = frozenset(f"asap_sas:asap{n}" for n in (3, 4, 7, 8, 9))


@dataclass(slots=True)
class Record:
    dataset: str
    question_id: str
    questions: list[str]  # the question's wordings (none for a set without question texts)
    references: list[str]
    answer: str
    grade: float  # 0–1
    lang: str
    answer_id: str = ""
    raters: list[float] = field(default_factory=list)
    category: str | None = None  # interview answers: the intended category (dev questions only)
    other_qid: str | None = None  # interview wrong_question answers: the question they answer
    completeness: float = float("nan")  # interview answers: the judges' mean completeness (0–1)


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_set(name: str) -> list[Record]:
    rows = _jsonl(DATA / "grading" / f"{name}.jsonl")
    return [Record(r["dataset"], f"{r['dataset']}:{r['question_id']}", [r["question"]] if r.get("question") else [],
                   list(r.get("references") or []), r.get("answer") or "", float(r["grade"]), r.get("lang", "en"),
                   str(r.get("answer_id", "")), [float(x) for x in r.get("raters") or []]) for r in rows]


def interview_split() -> dict[str, list[str]]:
    split = json.loads((DATA / "answers" / "split.json").read_text(encoding="utf-8"))
    return {"dev": list(split["dev"]), "test": list(split["test"])}


def interview_questions() -> dict[str, dict[str, Any]]:
    return {r["qid"]: r for r in _jsonl(DATA / "answers" / "questions.jsonl")}


def _judge_grades(field: str = "grade") -> dict[str, list[float]]:
    """aid -> the judges' grades (0–5) or completeness (0–1), from every grades*.jsonl in answers/
    (one file per judge)."""
    out: dict[str, list[float]] = {}
    for path in sorted((DATA / "answers").glob("grades*.jsonl")):
        for r in _jsonl(path):
            if r.get(field) is not None:
                out.setdefault(r["aid"], []).append(float(r[field]))
    return out


def load_interview(split: str, intent: bool = False) -> list[Record]:
    """Interview answers to the questions of `split` ("dev" or "test"); `intent` adds each answer's
    intended category (for the synthetic checks: full vs wrong-question, keyword strings, …)."""
    qids = set(interview_split()[split])
    questions = interview_questions()
    grades = _judge_grades()
    completeness = _judge_grades("completeness")
    intents = {r["aid"]: r for r in _jsonl(DATA / "answers" / "intent.jsonl")} if intent else {}
    out = []
    for r in _jsonl(DATA / "answers" / "answers.jsonl"):
        if r["qid"] not in qids:
            continue
        q = questions[r["qid"]]
        texts = [q["question"]] + ([q["question_en"]] if q.get("question_en") else [])
        judged = grades.get(r["aid"], [])
        it = intents.get(r["aid"], {})
        out.append(Record(INTERVIEW, f"{INTERVIEW}:{r['qid']}", texts, [q["reference"]], r["answer"],
                          sum(judged) / len(judged) / JUDGE_MAX if judged else float("nan"), r["lang"], r["aid"],
                          [g / JUDGE_MAX for g in judged], it.get("category"), it.get("other_qid"),
                          float(np.mean(completeness[r["aid"]])) if completeness.get(r["aid"]) else float("nan")))
    return out
