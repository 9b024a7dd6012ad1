"""Tagging accuracy: the topics Interview Coach puts on bank questions against hand labels.

    .venv/bin/python bench/tagging_eval.py --labels FILE.jsonl --bank PATH [--out bench/results/tagging.json]

`--bank` is a folder of question files (ingested, with linking, into a fresh bank in a temp
dir) or an existing bank file. Each label row names a question by its text (`question` or
`text`, any variant or translation, matched after normalising), by `question_id`, or by the `qid`
of the list of labelled questions (`--questions`), and lists
its topics (`topics`: ids, or dicts with `topic`). Reported:

- accuracy: the question's first (strongest) tag is one of its labelled topics — the primary figure;
- any-correct: at least one of its tags is labelled; exact: its tags equal the labels;
- micro precision / recall / F1 over (question, topic) pairs;
- questions of the labels that were not found in the bank (left out of the figures).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any


def _bank(path: Path, work: Path) -> Path:
    if path.is_file():
        return path
    db = work / "bank.sqlite3"
    env = dict(os.environ, INTERVIEW_COACH_HOME=str(work / "home"))
    done = subprocess.run([str(Path(sys.executable).with_name("coach")), "--db", str(db), "ingest", str(path)],
                          env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    return db


def evaluate(labels: Path, bank: Path, questions: Path | None = None) -> dict[str, Any]:
    from interview_coach.bank.store import Store
    from interview_coach.study import tagging
    from interview_coach.text.normalize import key

    rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    known: dict[str, dict[str, Any]] = {}  # label rows may name a question by the `qid` of the question list
    if questions is not None and questions.is_file():
        for line in questions.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                known[str(q.get("qid"))] = q
    rows = [{**known.get(str(r.get("qid")), {}), **r} for r in rows]
    with tempfile.TemporaryDirectory(prefix="coach-tagging-") as tmp:
        with Store.open(_bank(bank, Path(tmp))) as store:
            tagging.ensure(store)
            tags = tagging.effective(store)
            by_text: dict[str, str] = {}
            for q in store.questions():
                for t in tagging.question_texts(q):
                    by_text.setdefault(key(t), q.question_id)
            found, missing = [], []
            for r in rows:
                qid = r.get("question_id") or by_text.get(key(r.get("question") or r.get("text") or "")) \
                    or by_text.get(key(r.get("question_en") or ""))
                gold = {t["topic"] if isinstance(t, dict) else t for t in r.get("topics", [])}
                if qid is None or not gold:
                    missing.append(r.get("question") or r.get("text") or r.get("question_id"))
                    continue
                found.append((qid, gold, [t.topic for t in tags.get(qid, [])]))
    n = len(found)
    top1 = sum(bool(p) and p[0] in g for _, g, p in found)
    anyc = sum(bool(set(p) & g) for _, g, p in found)
    exact = sum(set(p) == g for _, g, p in found)
    tp = sum(len(set(p) & g) for _, g, p in found)
    fp = sum(len(set(p) - g) for _, g, p in found)
    fn = sum(len(g - set(p)) for _, g, p in found)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"questions": n, "not_found": len(missing), "accuracy": round(top1 / n, 4) if n else None,
            "any_correct": round(anyc / n, 4) if n else None, "exact": round(exact / n, 4) if n else None,
            "precision": round(prec, 4), "recall": round(rec, 4),
            "f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0,
            "errors": [{"question_id": q, "gold": sorted(g), "predicted": p} for q, g, p in found
                       if not (p and p[0] in g)][:50], "missing": missing[:20]}


def agreement(a: Path, b: Path) -> dict[str, Any]:
    """Micro F1 of judge A's (question, topic) pairs against judge B's, and Jaccard per question."""
    def rows(path: Path) -> dict[str, set[str]]:
        out = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                out[str(r.get("qid") or r.get("question_id") or r.get("question"))] = {
                    t["topic"] if isinstance(t, dict) else t for t in r.get("topics", [])}
        return out
    ra, rb = rows(a), rows(b)
    common = sorted(set(ra) & set(rb))
    tp = sum(len(ra[q] & rb[q]) for q in common)
    n_a, n_b = sum(len(ra[q]) for q in common), sum(len(rb[q]) for q in common)
    f1 = 2 * tp / (n_a + n_b) if n_a + n_b else 0.0
    jac = sum(len(ra[q] & rb[q]) / len(ra[q] | rb[q]) for q in common if ra[q] | rb[q]) / max(len(common), 1)
    return {"questions": len(common), "f1": round(f1, 4), "mean_jaccard": round(jac, 4)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--labels", type=Path, required=True, nargs="+", help="one label file per judge")
    p.add_argument("--bank", type=Path, required=True)
    p.add_argument("--questions", type=Path, default=Path("/work/data/jobs/bank_questions_100.jsonl"),
                   help="the labelled questions' list (qid, question, question_en), for labels that give only a qid")
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "tagging.json")
    args = p.parse_args(argv)
    by_judge = {path.stem: evaluate(path, args.bank, args.questions) for path in args.labels}
    result: dict[str, Any] = {"by_judge": by_judge, "mean": {
        k: round(sum(r[k] for r in by_judge.values()) / len(by_judge), 4) for k in ("accuracy", "any_correct", "f1")}}
    if len(args.labels) >= 2:
        result["judge_agreement"] = agreement(args.labels[0], args.labels[1])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    m = result["mean"]
    counts = ", ".join(f"{k} {v['questions']} questions" for k, v in by_judge.items())
    print(f"tagging: {counts}; accuracy (first tag "
          f"labelled) {m['accuracy']}, any correct {m['any_correct']}, micro F1 {m['f1']} (mean over judges); "
          f"judges agree {result.get('judge_agreement')} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
