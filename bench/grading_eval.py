"""Grading evaluation: agreement of the grader with human grades, next to plain baselines
computed in the same run, on every human-graded set (data outside the repo, see
bench/grading_data.md). Writes bench/results/grading_eval.json and prints a summary.

    .venv/bin/python bench/grading_eval.py              # fitting sets (cross-validated) + interview dev
    .venv/bin/python bench/grading_eval.py --held-out   # also the held-out sets and interview test (once, at the end)

* Fitting sets: the shipped model's feature set and ramp, refitted 5 times with each fold of
  questions left out (GroupKFold by question); every answer is scored by the model that did
  not see its question. Pearson and Spearman with the human grade (share of the full mark).
* Held-out sets: the shipped parameters as they are.
* Baselines, same answers: cosine of the whole answer with the closest reference (USE, e5) and
  token F1 with it.
* Interview answers (our own en/简/繁 set): agreement with the judges' mean grade and between the
  judges, Spearman with the judges' mean completeness (0–1), and checks by intended category —
  Spearman with a completeness by category (full, bulleted 1; terse 0.75; partial 0.5; vague
  0.25; misconception, wrong question and junk 0), AUC of full answers
  vs answers to another question, junk (empty, gibberish, echo, "I don't know") ≤ 10, keyword
  strings below the same question's full answer and below 50, correct answers (full, bulleted,
  terse) below 30, how often the off-topic veto fires and on what. Graded with the real
  `Grader`, the other interview questions as the bank (the veto's comparison set).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from grading_data import FIT_SETS, GENERIC_RUBRIC, HELD_OUT_SETS, INTERVIEW, Record, interview_questions, load_interview, load_set
from grading_features import Read, embedder, read_all
from grading_model import auc, out_of_fold, pearson, scores_for, spearman, table

from interview_coach.study.calibration import Params, shipped
from interview_coach.study.grading import Grade, Grader, Reference

OUT = Path(__file__).resolve().parent / "results" / "grading_eval.json"
COMPLETENESS = {"full": 1.0, "bulleted": 1.0, "terse": 0.75, "partial": 0.5, "vague": 0.25, "misconception": 0.0,
                "wrong_question": 0.0, "echo": 0.0, "keywords": 0.0, "idk": 0.0, "gibberish": 0.0}
CORRECT = ("full", "bulleted", "terse")
JUNK = ("echo", "idk", "gibberish")
TARGETS = {"pearson_unfitted": 0.55, "spearman_completeness": 0.85, "auc_full_vs_wrong": 0.97, "junk_max": 10,
           "keywords_ok_share": 0.9, "correct_below_30_share": 0.05}


def _r(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 4)


def agreement(scores: np.ndarray, reads: list[Read], records: list[Record]) -> dict[str, Any]:
    y = np.array([r.grade for r in records])
    ok = ~np.isnan(y)
    out: dict[str, Any] = {"n": int(ok.sum()), "ours": {"pearson": _r(pearson(scores[ok], y[ok])),
                                                        "spearman": _r(spearman(scores[ok], y[ok]))}}
    out["baselines"] = {}
    for name in ("use", "e5", "token_f1"):
        b = np.array([rd.baselines[name] for rd in reads])
        out["baselines"][name] = {"pearson": _r(pearson(b[ok], y[ok])), "spearman": _r(spearman(b[ok], y[ok]))}
    best = max(v["pearson"] or -1 for v in out["baselines"].values())
    out["beats_every_baseline"] = bool((out["ours"]["pearson"] or -1) > best)
    return out


def fit_sets(params: Params) -> dict[str, Any]:
    records: list[Record] = []
    reads: list[Read] = []
    for name in FIT_SETS:
        recs = load_set(name)
        records += recs
        reads += read_all(name, recs, verbose=False)
    dev = [r for r in load_interview("dev") if not math.isnan(r.grade)]
    if dev:
        records += dev
        reads += read_all(f"{INTERVIEW}-dev", dev, verbose=False)
    t = table(records, reads, params.features, params)
    mask = np.array([records[i].question_id not in GENERIC_RUBRIC for i in t.rows], dtype=bool)
    scores = scores_for(records, t, out_of_fold(t, mask, finish=params.stretch))
    out = {}
    for s in dict.fromkeys(r.dataset for r in records):
        idx = [i for i, r in enumerate(records) if r.dataset == s]
        out[s] = agreement(scores[idx], [reads[i] for i in idx], [records[i] for i in idx])
    return out


def held_out_sets(params: Params) -> dict[str, Any]:
    out = {}
    for name in HELD_OUT_SETS:
        recs = load_set(name)
        reads = read_all(name, recs, verbose=False)
        t = table(recs, reads, params.features, params)
        pred = np.array([params.stretch(100.0 / (1.0 + math.exp(-(params.bias + float(row @ np.array(params.weights))))))
                         for row in t.x])
        pred = np.where(t.capped, np.minimum(pred, 8.0), pred)
        out[name] = agreement(scores_for(recs, t, pred), reads, recs)
    return out


def _judges(records: list[Record]) -> dict[str, Any]:
    pairs = [r.raters[:2] for r in records if len(r.raters) >= 2]
    if len(pairs) < 3:
        return {"n": len(pairs)}
    a, b = zip(*pairs, strict=True)
    return {"n": len(pairs), "pearson": _r(pearson(a, b)), "spearman": _r(spearman(a, b)),
            "mean_abs_diff_of_5": _r(float(np.mean(np.abs(np.array(a) - np.array(b)))) * 5)}


def interview(split: str, params: Params) -> dict[str, Any]:
    records = load_interview(split, intent=True)
    questions = interview_questions()
    refs = {qid: Reference([q["question"]] + ([q["question_en"]] if q.get("question_en") else []), [q["reference"]], qid)
            for qid, q in questions.items()}
    grader = Grader(embedder(), list(refs.values()), params)
    t0 = time.perf_counter()
    grades: list[Grade] = []
    for r in records:
        qid = r.question_id.split(":", 1)[1]
        grades.append(grader.grade(refs[qid], r.answer, exclude=grader.rivals.index(qid)))
    seconds = time.perf_counter() - t0
    scores = np.array([g.score for g in grades])
    reads = [Read(None, g.flags, False, _plain(grader, r)) for g, r in zip(grades, records, strict=True)]
    out: dict[str, Any] = {"answers": len(records), "seconds_per_answer": round(seconds / max(1, len(records)), 3)}
    out["judges"] = agreement(scores, reads, records) | {"judge_agreement": _judges(records)}
    cat = [r.category or "?" for r in records]
    comp = [COMPLETENESS.get(c, float("nan")) for c in cat]
    ok = [i for i, c in enumerate(comp) if not math.isnan(c)]
    out["spearman_completeness_by_category"] = _r(spearman(scores[ok], [comp[i] for i in ok]))
    judged = [i for i, r in enumerate(records) if not math.isnan(r.completeness)]
    out["spearman_completeness"] = _r(spearman(scores[judged], [records[i].completeness for i in judged]))
    by = defaultdict(list)
    for i, c in enumerate(cat):
        by[c].append(i)
    out["by_category"] = {c: {"n": len(ix), "median": _r(float(np.median(scores[ix]))),
                              "min": _r(float(scores[ix].min())), "max": _r(float(scores[ix].max())),
                              "labels": dict(Counter(str(grades[i].label) for i in ix))} for c, ix in sorted(by.items())}
    out["auc_full_vs_wrong_question"] = _r(auc(scores[by["full"]], scores[by["wrong_question"]]))
    junk = by["echo"] + by["idk"] + by["gibberish"]
    out["junk_max"] = _r(float(scores[junk].max())) if junk else None
    full_of = {records[i].question_id: scores[i] for i in by["full"]}
    kw = by["keywords"]
    ok_kw = [i for i in kw if scores[i] < 50 and scores[i] < full_of.get(records[i].question_id, 101)]
    out["keywords_ok_share"] = _r(len(ok_kw) / len(kw)) if kw else None
    correct = [i for c in CORRECT for i in by[c]]
    out["correct_below_30_share"] = _r(float(np.mean(scores[correct] < 30))) if correct else None
    vetoed = [i for i, g in enumerate(grades) if g.veto is not None]
    right = [i for i in vetoed if records[i].category == "wrong_question"
             and grades[i].veto is not None and grades[i].veto.question_id == records[i].other_qid]
    out["veto"] = {"fired": len(vetoed), "on_wrong_question": sum(records[i].category == "wrong_question" for i in vetoed),
                   "named_the_right_question": len(right), "wrong_question_answers": len(by["wrong_question"]),
                   "fired_on": dict(Counter(cat[i] for i in vetoed))}
    out["lowest_correct"] = [{"aid": records[i].answer_id, "category": cat[i], "score": float(scores[i]),
                              "flags": grades[i].flags, "reason": grades[i].reason}
                             for i in sorted(correct, key=lambda i: scores[i])[:8]] if split == "dev" else []
    return out


def _plain(grader: Grader, r: Record) -> dict[str, float]:
    from grading_features import baselines

    return baselines(grader.embed, r.answer, r.references)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--held-out", action="store_true", help="also the held-out sets and interview test answers")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    params = shipped()
    result: dict[str, Any] = {"params": {"features": list(params.features), "meta": params.meta},
                              "targets": TARGETS, "fit_sets_cross_validated": fit_sets(params)}
    result["interview_dev"] = interview("dev", params)
    if args.held_out:
        result["held_out"] = held_out_sets(params)
        result["interview_test"] = interview("test", params)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    for group in ("fit_sets_cross_validated", "held_out"):
        for name, f in result.get(group, {}).items():
            b = f["baselines"]
            print(f"{group:<25} {name:<13} n={f['n']:>6} ours r={f['ours']['pearson']} rho={f['ours']['spearman']} | "
                  f"use {b['use']['pearson']} e5 {b['e5']['pearson']} f1 {b['token_f1']['pearson']}")
    for split in ("interview_dev", "interview_test"):
        if split in result:
            f = result[split]
            print(f"{split}: judges r={f['judges']['ours']['pearson']} completeness rho={f['spearman_completeness']} "
                  f"auc={f['auc_full_vs_wrong_question']} junk_max={f['junk_max']} keywords_ok={f['keywords_ok_share']} "
                  f"correct<30={f['correct_below_30_share']} veto={f['veto']}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
