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
from pathlib import Path
from typing import Any

import numpy as np
from grading_data import FIT_SETS, INTERVIEW, Record, load_interview, load_set
from grading_features import Read, read_all
from grading_model import L2, Table, fit, out_of_fold, pearson, scores_for, set_weights, spearman, table

from interview_coach.study.calibration import Params

REPO = Path(__file__).resolve().parent.parent
PARAMS = REPO / "src" / "interview_coach" / "study" / "grader_params.json"
OUT = REPO / "bench" / "results" / "fit_grader.json"

RAMPS = [(lo, hi) for lo in (0.35, 0.45, 0.55) for hi in (0.75, 0.85)]
FEATURE_SETS: list[tuple[str, ...]] = [
    ("coverage", "cos_use", "cos_e5", "f1", "length"),
    ("coverage", "coverage_words", "cos_use", "cos_e5", "f1", "recall", "length"),
    ("coverage", "coverage_meaning", "coverage_words", "cos_use", "cos_e5", "f1", "recall", "precision",
     "cos_question", "length"),
    ("coverage", "cos_use", "f1", "length"),
    ("coverage", "cos_use", "cos_e5", "recall", "cos_question", "length"),
]
CORRECT_BAND, PARTIAL_BAND = 0.75, 0.4  # human grade (share of the full mark) of a correct / partial answer


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


def params_with(base: Params, lo: float, hi: float, names: tuple[str, ...] = (), weights: tuple[float, ...] = (),
                bias: float = 0.0) -> Params:
    return Params(names or base.features, weights or base.weights, bias if names else base.bias, lo, hi,
                  base.correct, base.partial, base.meta)


def per_set(records: list[Record], scores: np.ndarray) -> dict[str, dict[str, float]]:
    out = {}
    for s in dict.fromkeys(r.dataset for r in records):
        idx = [i for i, r in enumerate(records) if r.dataset == s]
        y = [records[i].grade for i in idx]
        out[s] = {"n": len(idx), "pearson": round(pearson(scores[idx], y), 4), "spearman": round(spearman(scores[idx], y), 4)}
    return out


def cross_validate(records: list[Record], reads: list[Read], names: tuple[str, ...], base: Params,
                   lo: float, hi: float) -> tuple[np.ndarray, Table]:
    t = table(records, reads, names, params_with(base, lo, hi))
    pred = out_of_fold(t, np.ones(len(t.y), dtype=bool))
    return scores_for(records, t, pred), t


def best_cut(scores: np.ndarray, positive: np.ndarray) -> float:
    """The score threshold with the best balanced accuracy for `positive`."""
    best, cut = -1.0, 50.0
    for c in np.arange(5.0, 96.0, 1.0):
        hit = scores >= c
        tpr = (hit & positive).sum() / max(1, positive.sum())
        tnr = (~hit & ~positive).sum() / max(1, (~positive).sum())
        if (tpr + tnr) / 2 > best:
            best, cut = (tpr + tnr) / 2, float(c)
    return cut


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
    grades = np.array([r.grade for r in records])
    correct_cut = best_cut(scores, grades >= CORRECT_BAND)
    partial_cut = min(best_cut(scores, grades >= PARTIAL_BAND), correct_cut - 1)
    fitted = ~t.capped
    model = fit(t.x[fitted], t.y[fitted], set_weights(t.sets[fitted]), names, L2)
    result: dict[str, Any] = {
        "features": list(names), "weights": [round(float(w), 6) for w in model.weights], "bias": round(model.bias, 6),
        "sem_lo": lo, "sem_hi": hi, "correct": correct_cut, "partial": partial_cut,
        "meta": {
            "fitted": dt.date.today().isoformat(), "script": "bench/fit_grader.py", "model": "fractional logistic, L2 "
            f"{L2} on standardised features, each data set weighted equally",
            "fitted_on": {s: sum(r.dataset == s for r in records) for s in sets},
            "cross_validation": {"folds": 5, "grouped_by": "question", "per_set": per_set(records, scores),
                                 "mean_pearson": best["mean_pearson"]},
            "label_cuts": {"correct": f"best balanced accuracy for human grade >= {CORRECT_BAND}",
                           "partial": f"best balanced accuracy for human grade >= {PARTIAL_BAND}"},
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
