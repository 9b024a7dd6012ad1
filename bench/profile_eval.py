"""Topic extraction from job descriptions, scored against the judges' labels.

    .venv/bin/python bench/profile_eval.py --split dev [--jobs /work/data/jobs] [--labels DIR]
                                           [--out bench/results/profile_dev.json]

Runs the shipped extractor (`study/profile.py` with `profile_weights.json`) on every labelled job
of the split and reports, micro over (job, topic) pairs: precision, recall and F1 against each
judge, their mean, and against the two consensus sets (topics both judges chose; topics either
chose); must-have agreement on found topics and a strict F1 over (job, topic, must_have). The two
judges' agreement with each other is reported the same way (judge A scored against judge B).
Nothing here tunes anything: fitting is `bench/fit_profile.py`, on dev only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import joblabels  # noqa: E402

DEFAULT_JOBS = Path("/work/data/jobs")


def extract_all(jobs_dir: Path, keys: list[str]) -> tuple[joblabels.Labels, dict[str, Any]]:
    from interview_coach.study import jobs, profile

    embed = jobs.embedder()
    pred: joblabels.Labels = {}
    unmatched: dict[str, int] = {}
    t = time.perf_counter()
    for key in keys:
        p = profile.extract((jobs_dir / key).read_text(encoding="utf-8"), embed=embed)
        pred[key] = {x.topic: x.must_have for x in p.topics}
        unmatched[key] = len(p.unmatched)
    return pred, {"seconds": round(time.perf_counter() - t, 2), "unmatched_lines": unmatched}


def evaluate(split: str, jobs_dir: Path, labels_dir: Path) -> dict[str, Any]:
    judges = joblabels.load(labels_dir, split)
    if not judges:
        raise SystemExit(f"no labels for split {split!r} in {labels_dir}")
    keys = sorted(set().union(*(set(j) for j in judges.values())))
    pred, info = extract_all(jobs_dir, keys)
    names = sorted(judges)
    result: dict[str, Any] = {"split": split, "jobs": len(keys), "judges": names, **info,
                              "by_judge": {n: joblabels.score(pred, judges[n]) for n in names}}
    if len(names) >= 2:
        a, b = names[:2]
        common = sorted(set(judges[a]) & set(judges[b]))
        result["judge_agreement"] = joblabels.score({k: judges[a][k] for k in common}, {k: judges[b][k] for k in common})
        for how in ("intersection", "union"):
            result[f"vs_{how}"] = joblabels.score(pred, joblabels.consensus(judges, how))
    scores = list(result["by_judge"].values())
    result["mean_over_judges"] = {k: round(sum(s[k] for s in scores) / len(scores), 4)
                                  for k in ("precision", "recall", "f1", "strict_f1")}
    result["labels_per_job"] = {n: round(sum(len(v) for v in judges[n].values()) / max(len(judges[n]), 1), 2)
                                for n in names}
    result["predicted_per_job"] = round(sum(len(v) for v in pred.values()) / max(len(pred), 1), 2)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--split", choices=("dev", "test"), required=True)
    p.add_argument("--jobs", type=Path, default=DEFAULT_JOBS)
    p.add_argument("--labels", type=Path, default=None, help="default: JOBS/labels")
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args(argv)
    result = evaluate(args.split, args.jobs, args.labels or args.jobs / "labels")
    out = args.out or BENCH / "results" / f"profile_{args.split}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    m = result["mean_over_judges"]
    agree = result.get("judge_agreement", {}).get("f1")
    print(f"profile {args.split}: {result['jobs']} jobs; F1 {m['f1']} (P {m['precision']}, R {m['recall']}), strict "
          f"F1 {m['strict_f1']}, mean over judges {', '.join(result['judges'])}; judges agree F1 {agree} -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
