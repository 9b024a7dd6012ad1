"""Reading the judges' topic labels of job descriptions, and scoring an extraction against them.

Labels live outside the repository (default /work/data/jobs/labels). Any `*.jsonl` file there is
read; each row names a job file and its topics:

    {"file": "dev/001.txt", "judge": "A", "topics": [{"topic": "rag", "must_have": true}, ...]}

Accepted variations: the job as `file`, `job` or `id` (with or without the split folder); topics as
dicts (`topic`/`id`, `must_have`/`must`) or plain ids (then `must` / `nice` lists may say which);
the judge from the row (`judge`, `annotator`) or else from the file name (`…_A.jsonl`, `judge2…`).

Scoring is micro-averaged over (job, topic) pairs: precision, recall, F1. Must-have is scored two
ways: the share of correctly found topics whose must/nice flag agrees, and a strict F1 over
(job, topic, must_have) triples.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

Labels = dict[str, dict[str, bool]]  # job file (split/NNN.txt) -> topic -> must_have


def _job_key(raw: str, split: str | None) -> str:
    name = Path(str(raw)).name
    if not name.endswith(".txt"):
        name = f"{int(re.sub(r'[^0-9]', '', name)):03d}.txt" if re.search(r"\d", name) else name
    folder = Path(str(raw)).parent.name or (split or "")
    return f"{folder}/{name}" if folder else name


def _topics(row: dict[str, Any]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    must_list = set(row.get("must", []) or [])
    for t in row.get("topics", []) or []:
        if isinstance(t, dict):
            tid = t.get("topic") or t.get("id")
            must = t.get("must_have", t.get("must", True))
            if tid:
                out[str(tid)] = bool(must) if not isinstance(must, str) else must.lower() in ("true", "must", "yes", "1")
        else:
            out[str(t)] = (str(t) in must_list) if must_list or row.get("nice") else True
    for t in must_list:
        out.setdefault(str(t), True)
    for t in row.get("nice", []) or []:
        out.setdefault(str(t), False)
    return out


def load(folder: Path, split: str | None = None) -> dict[str, Labels]:
    """judge -> job -> topic -> must_have (only jobs of `split` when given)."""
    judges: dict[str, Labels] = defaultdict(dict)
    for path in sorted(folder.glob("*.jsonl")):
        m = re.search(r"(?:judge|annotator|labels?)?[_-]?([A-Za-z0-9]+)$", path.stem)
        default = m.group(1) if m else path.stem
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            raw = row.get("file") or row.get("job") or row.get("id")
            if raw is None:
                continue
            key = _job_key(str(raw), row.get("split"))
            if split and not key.startswith(split + "/"):
                continue
            judge = str(row.get("judge") or row.get("annotator") or default)
            judges[judge][key] = _topics(row)
    return dict(judges)


def score(pred: Labels, gold: Labels) -> dict[str, Any]:
    jobs = sorted(gold)
    tp = fp = fn = 0
    agree = 0
    strict_tp = strict_fp = strict_fn = 0
    for j in jobs:
        p, g = pred.get(j, {}), gold[j]
        hit = set(p) & set(g)
        tp += len(hit)
        fp += len(set(p) - set(g))
        fn += len(set(g) - set(p))
        agree += sum(p[t] == g[t] for t in hit)
        ps = {(t, m) for t, m in p.items()}
        gs = {(t, m) for t, m in g.items()}
        strict_tp += len(ps & gs)
        strict_fp += len(ps - gs)
        strict_fn += len(gs - ps)

    def f1(a: int, b: int, c: int) -> tuple[float, float, float]:
        prec = a / (a + b) if a + b else 0.0
        rec = a / (a + c) if a + c else 0.0
        return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)

    p_, r_, f_ = f1(tp, fp, fn)
    sp, sr, sf = f1(strict_tp, strict_fp, strict_fn)
    return {"jobs": len(jobs), "tp": tp, "fp": fp, "fn": fn, "precision": round(p_, 4), "recall": round(r_, 4),
            "f1": round(f_, 4), "must_have_agreement": round(agree / tp, 4) if tp else None,
            "strict_f1": round(sf, 4), "strict_precision": round(sp, 4), "strict_recall": round(sr, 4)}


def consensus(judges: dict[str, Labels], how: str = "intersection") -> Labels:
    """Topics both judges chose (or either, `union`); must-have when either judge said so (union) or
    both did (intersection)."""
    names = sorted(judges)
    jobs = sorted(set.intersection(*(set(judges[n]) for n in names))) if names else []
    out: Labels = {}
    for j in jobs:
        sets = [judges[n][j] for n in names]
        topics = set.intersection(*(set(s) for s in sets)) if how == "intersection" else set.union(*(set(s) for s in sets))
        out[j] = {t: (all if how == "intersection" else any)(s.get(t, False) for s in sets if t in s) for t in topics}
    return out
