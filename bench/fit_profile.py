"""Fit the job-profile extractor on the labelled DEV split (never on test).

    .venv/bin/python bench/fit_profile.py [--jobs /work/data/jobs] [--labels DIR] [--write]

For every dev description, `profile.candidates` gives each touched topic its features (alias hits
by section kind, nested hits, the best USE similarity of a line with the topic's description). A
logistic model is fitted on (candidate, judge) pairs — each judge's labels count once, so a topic
one judge of two chose is a soft 0.5 — with L2 regularisation, by gradient descent in numpy. The
decision threshold and the similarity floor (below it a line is not evidence) are chosen by
leave-one-job-out cross-validation: the model is refitted without each job and that job is
scored, so the dev figures printed are not scored on jobs the weights saw. `--write` stores the
weights fitted on all of dev in `src/interview_coach/study/profile_weights.json`.

Also printed: aliases that fired on dev where no judge labelled their topic (candidates to prune)
and labelled topics the extractor never saw as candidates (aliases to add).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import joblabels  # noqa: E402

WEIGHTS = REPO / "src" / "interview_coach" / "study" / "profile_weights.json"
L2 = 0.3
FLOORS = (0.3, 0.4, 0.5)
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.2, 0.71, 0.05))


def fit_lr(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 3000, lr: float = 0.5) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) / len(y) + l2 * np.r_[0.0, w[1:]] / len(y)
        w -= lr * grad
    return w


def main(argv: list[str] | None = None) -> int:
    from interview_coach.study import jobs, jobtext, profile
    from interview_coach.study.taxonomy import load

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=Path, default=Path("/work/data/jobs"))
    ap.add_argument("--labels", type=Path, default=None)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--out", type=Path, default=BENCH / "results" / "fit_profile.json")
    args = ap.parse_args(argv)
    judges = joblabels.load(args.labels or args.jobs / "labels", "dev")
    if not judges:
        raise SystemExit("no dev labels")
    names = sorted(judges)
    keys = sorted(set.intersection(*(set(j) for j in judges.values())))
    tax = load()
    raw_embed = jobs.embedder()
    memo: dict[str, np.ndarray] = {}

    def embed(texts: Any) -> np.ndarray:  # every line is embedded once, whatever the floor
        todo = [t for t in dict.fromkeys(texts) if t not in memo]
        if todo:
            memo.update(zip(todo, raw_embed(todo), strict=True))
        return np.stack([memo[t] for t in texts])
    texts = {k: (args.jobs / k).read_text(encoding="utf-8") for k in keys}
    lines = {k: jobtext.segment(texts[k]) for k in keys}

    best: dict[str, Any] | None = None
    report_rows = []
    for floor in FLOORS:
        profile.weights.cache_clear()
        base = profile.weights()
        base["line_sim_floor"] = floor
        profile.weights.cache_clear()
        original = profile.weights
        profile.weights = lambda base=base: base  # type: ignore[assignment]
        try:
            cands = {k: profile.candidates(lines[k], tax, embed, model_key="use-fit") for k in keys}
        finally:
            profile.weights = original  # type: ignore[assignment]
        rows = [(k, t, np.array(c.features()), np.mean([t in judges[n][k] for n in names]))
                for k in keys for t, c in cands[k].items()]
        x_all = np.stack([r[2] for r in rows])
        y_all = np.array([r[3] for r in rows])
        probs = np.zeros(len(rows))
        for k in keys:  # leave one job out
            train = np.array([r[0] != k for r in rows])
            w = fit_lr(x_all[train], y_all[train])
            test = ~train
            probs[test] = 1.0 / (1.0 + np.exp(-(x_all[test] @ w)))
        for thr in THRESHOLDS:
            pred: joblabels.Labels = {k: {} for k in keys}
            for (k, t, _, _), pr in zip(rows, probs, strict=True):
                if pr >= thr:
                    pred[k][t] = profile.must_have(cands[k][t])
            s = [joblabels.score(pred, judges[n]) for n in names]
            f1 = float(np.mean([x["f1"] for x in s]))
            row = {"floor": floor, "threshold": thr, "f1": round(f1, 4),
                   "precision": round(float(np.mean([x["precision"] for x in s])), 4),
                   "recall": round(float(np.mean([x["recall"] for x in s])), 4),
                   "strict_f1": round(float(np.mean([x["strict_f1"] for x in s])), 4),
                   "must_have_agreement": round(float(np.mean([x["must_have_agreement"] or 0 for x in s])), 4)}
            report_rows.append(row)
            if best is None or row["f1"] > best["f1"]:
                best = {**row, "x": x_all, "y": y_all, "rows": rows, "cands": cands}
    assert best is not None
    w = fit_lr(best["x"], best["y"])
    weights = {name: round(float(v), 4) for name, v in zip(profile.FEATURES, w, strict=True)}
    weights.update(threshold=best["threshold"], line_sim_floor=best["floor"])
    # diagnostics: aliases that fired without a label, labelled topics never seen
    noisy: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for k in keys:
        seen = set(best["cands"][k])
        for n in names:
            for t in judges[n][k]:
                if t not in seen:
                    missed[t] += 1
        for h in (h for line in lines[k] for h in tax.find(line.text)):
            if not any(h.topic in judges[n][k] for n in names):
                noisy[f"{h.topic}:{h.alias.lower()}"] += 1
    result = {"dev_jobs": len(keys), "judges": names, "chosen": {k: v for k, v in best.items()
                                                                 if k not in ("x", "y", "rows", "cands")},
              "weights": weights, "grid": report_rows, "noisy_aliases": noisy.most_common(40),
              "never_candidates": missed.most_common(40)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(result["chosen"]), "\nweights", weights)
    print("noisy aliases:", result["noisy_aliases"][:20])
    print("labelled but never candidates:", result["never_candidates"][:20])
    if args.write:
        WEIGHTS.write_text(json.dumps({
            "about": "fitted by bench/fit_profile.py on the dev split's labels (leave-one-job-out CV chose the "
                     "threshold and the similarity floor)", "dev_cv": result["chosen"], "weights": weights,
        }, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
