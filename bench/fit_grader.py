"""Fit the grade model on human-graded answers and write the shipped parameters.

    .venv/bin/python bench/fit_grader.py [--write] [--out bench/results/fit_grader.json]

Data (outside the repo, see bench/grading_data.md): the FIT sets of grading_data.FIT_SETS and
the development questions of our own interview set, once the judges' grades are there. Held-out
sets are never read here.

1. The grader reads every answer once (bench/grading_features.py, cached).
2. For each alignment ramp (sem_lo, sem_hi) and each candidate feature set, a fractional
   logistic regression is cross-validated by question (5 folds per data set, GroupKFold): the
   mean over data sets of the Pearson correlation of the out-of-fold score with the human grade
   picks the ramp and the features.
3. The chosen model is refitted on all fitting answers; the label cuts (correct / partially
   correct) are the scores that best separate the human bands on the out-of-fold predictions.
4. `--write` stores weights, cuts and the cross-validated figures in
   src/interview_coach/study/grader_params.json (the only thing shipped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from grading_data import FIT_SETS, GENERIC_RUBRIC, INTERVIEW, Record, load_interview, load_set
from grading_features import Read, read_all
from grading_model import L2, Table, fit, fit_impute, out_of_fold, pearson, scores_for, set_weights, spearman, table

from interview_coach.study.calibration import Params

REPO = Path(__file__).resolve().parent.parent
PARAMS = REPO / "src" / "interview_coach" / "study" / "grader_params.json"
OUT = REPO / "bench" / "results" / "fit_grader.json"

RAMPS = [(0.35, 0.75), (0.45, 0.85), (0.55, 0.85)]
_BASE = ("coverage", "cos_use", "cos_e5", "f1", "recall", "length")
_ZH = ("zh", "f1@zh", "recall@zh", "coverage@zh", "cos_use@zh")
FEATURE_SETS: list[tuple[str, ...]] = [
    _BASE,
    _BASE + _ZH,
    ("coverage", "cos_use", "f1", "length") + _ZH,
    ("coverage", "coverage_words", "cos_use", "cos_e5", "f1", "recall", "precision", "cos_question", "length") + _ZH,
    ("coverage_meaning", "coverage_words", "cos_use", "cos_e5", "f1", "recall", "length") + _ZH,
]
# Labels on the calibrated scale (score ≈ the judges' 0–5 grade × 20): correct from 3.5 of 5,
# partially correct from 2 of 5.
CORRECT_CUT, PARTIAL_CUT = 70.0, 40.0


def load_fit_data() -> tuple[list[Record], list[Read]]:
    records: list[Record] = []
    reads: list[Read] = []
    for name in FIT_SETS:
        recs = load_set(name)
        records += recs
        reads += read_all(name, recs)
    try:
        dev = [r for r in load_interview("dev") if not math.isnan(r.grade)]
    except FileNotFoundError:
        dev = []
    if dev:
        records += dev
        reads += read_all(f"{INTERVIEW}-dev", dev)
    return records, reads


def params_with(base: Params, lo: float, hi: float) -> Params:
    return replace(base, sem_lo=lo, sem_hi=hi)


def per_set(records: list[Record], scores: np.ndarray) -> dict[str, dict[str, float]]:
    out = {}
    for s in dict.fromkeys(r.dataset for r in records):
        idx = [i for i, r in enumerate(records) if r.dataset == s]
        y = [records[i].grade for i in idx]
        out[s] = {"n": len(idx), "pearson": round(pearson(scores[idx], y), 4), "spearman": round(spearman(scores[idx], y), 4)}
    return out


def cross_validate(records: list[Record], reads: list[Read], names: tuple[str, ...], base: Params,
                   lo: float, hi: float) -> tuple[np.ndarray, Table]:
    params = params_with(base, lo, hi)
    params = replace(params, impute=fit_impute(records, reads, params))
    t = table(records, reads, names, params)
    pred = out_of_fold(t, fit_mask(records, t), finish=params.stretch)
    return scores_for(records, t, pred), t


def fit_mask(records: list[Record], t: Table) -> np.ndarray:
    """Rows fitted on: all but the prompts whose reference is a generic rubric."""
    return np.array([records[i].question_id not in GENERIC_RUBRIC for i in t.rows], dtype=bool)


def fit_scale(records: list[Record], scores: np.ndarray) -> tuple[float, float]:
    """The score scale, set on our own interview answers (the product's kind of answer, graded
    0–5 by the judges): the shift and slope of the logit of the model's output that best fit the
    judges' grades × 20 (least squares, grid search); the identity without them."""
    idx = [i for i, r in enumerate(records) if r.dataset == INTERVIEW and scores[i] > 0]
    if len(idx) < 20:
        return 0.0, 1.0
    p = np.clip(scores[idx] / 100.0, 1e-6, 1 - 1e-6)
    z = np.log(p / (1 - p))
    y = np.array([records[i].grade for i in idx]) * 100
    best, pick = float("inf"), (0.0, 1.0)
    for slope in np.arange(0.5, 5.01, 0.05):
        for shift in np.arange(-4.0, 4.01, 0.05):
            err = float(np.mean((100 / (1 + np.exp(-(shift + slope * z))) - y) ** 2))
            if err < best:
                best, pick = err, (round(float(shift), 3), round(float(slope), 3))
    return pick


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="write the shipped parameters")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    base = Params(FEATURE_SETS[0], tuple(0.0 for _ in FEATURE_SETS[0]), 0.0, 0.45, 0.8, 65.0, 35.0, {})
    records, reads = load_fit_data()
    sets = list(dict.fromkeys(r.dataset for r in records))
    print(f"fitting data: {len(records)} answers in {sets}")
    trials = []
    for names in FEATURE_SETS:
        for lo, hi in RAMPS:
            scores, _ = cross_validate(records, reads, names, base, lo, hi)
            figures = per_set(records, scores)
            mean = float(np.mean([f["pearson"] for f in figures.values()]))
            trials.append({"features": names, "sem_lo": lo, "sem_hi": hi, "mean_pearson": round(mean, 4), "per_set": figures})
            print(f"  {mean:.4f}  lo={lo} hi={hi} {names}  " + " ".join(f"{s}={f['pearson']:.3f}" for s, f in figures.items()))
    best = max(trials, key=lambda tr: tr["mean_pearson"])
    names, lo, hi = tuple(best["features"]), float(best["sem_lo"]), float(best["sem_hi"])
    scores, t = cross_validate(records, reads, names, base, lo, hi)
    impute = fit_impute(records, reads, params_with(base, lo, hi))
    scale = fit_scale(records, scores)
    params = replace(params_with(base, lo, hi), scale=scale)
    scores, t = cross_validate(records, reads, names, params, lo, hi)
    correct_cut, partial_cut = CORRECT_CUT, PARTIAL_CUT
    fitted = ~t.capped & fit_mask(records, t)
    model = fit(t.x[fitted], t.y[fitted], set_weights(t.sets[fitted]), names, L2)
    result: dict[str, Any] = {
        "features": list(names), "weights": [round(float(w), 6) for w in model.weights], "bias": round(model.bias, 6),
        "sem_lo": lo, "sem_hi": hi, "correct": correct_cut, "partial": partial_cut, "impute": impute,
        "scale": [round(scale[0], 4), round(scale[1], 4)],
        "meta": {
            "fitted": dt.date.today().isoformat(), "script": "bench/fit_grader.py", "model": "fractional logistic, L2 "
            f"{L2} on standardised features, each data set weighted equally",
            "fitted_on": {s: sum(r.dataset == s and r.question_id not in GENERIC_RUBRIC for r in records) for s in sets},
            "not_fitted_on": "ASAP-SAS prompts 3, 4, 7, 8, 9 (generic rubric as reference); scored out of fold",
            "cross_validation": {"folds": 5, "grouped_by": "question", "per_set": per_set(records, scores),
                                 "mean_pearson": best["mean_pearson"]},
            "label_cuts": "score = judges' grade x 20: correct from 3.5 of 5, partially correct from 2 of 5",
        },
    }
    print(json.dumps(result, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"chosen": result, "trials": trials}, indent=1), encoding="utf-8")
    if args.write:
        PARAMS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {PARAMS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
