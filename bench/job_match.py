"""P@10 of job → bank questions on the five seed banks.

    .venv/bin/python bench/job_match.py [--seeds ../shared/seeds] [--tags LABELS.jsonl] [--out ...]

The seeds are ingested (with linking) into a fresh bank. Seed 004 is a job posting followed by
questions written for that job: its section titles, pasted as a job description, make the job;
`study/jobmatch.rank` ranks the bank's questions for it. Reported: P@10 with "relevant" = the
question comes from 004 (written for the job; strict, since the other seeds also hold questions on
the same topics), and, with `--tags` (hand topic labels of bank questions, as for
`bench/tagging_eval.py`), P@10 with "relevant" = a labelled topic of the question is a topic of the job.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def run(seeds: Path, tags: Path | None, questions: Path | None = None) -> dict[str, Any]:
    from interview_coach.bank.store import Store
    from interview_coach.study import jobmatch, jobs, tagging
    from interview_coach.text.normalize import key

    seed = next(p for p in seeds.iterdir() if p.name.startswith("004_"))
    titles = [m.group(1) for m in re.finditer(r"^### (?!\d)(.+)$", seed.read_text(encoding="utf-8"), re.M)]
    with tempfile.TemporaryDirectory(prefix="coach-jobmatch-") as tmp:
        db = Path(tmp) / "bank.sqlite3"
        env = dict(os.environ, INTERVIEW_COACH_HOME=str(Path(tmp) / "home"))
        subprocess.run([str(Path(sys.executable).with_name("coach")), "--db", str(db), "ingest", str(seeds)],
                       env=env, capture_output=True, text=True)
        with Store.open(db) as store:
            job, _ = jobs.add(store, "\n".join(titles), title="004 job (section titles)")
            tagging.ensure(store)
            ranked = jobmatch.rank(store, job, 10)
            from_004 = []
            texts = {}
            for qid, _ in ranked:
                q = store.question(qid)
                from_004.append(any(Path(it.source).name.startswith("004_") for it in q.items))
                texts[qid] = [t for it in q.items for t in [it.question, *it.translations.values()]]
            result: dict[str, Any] = {"job_topics": [(t.topic, t.must_have) for t in job.topics],
                                      "p_at_10_from_004": sum(from_004) / 10,
                                      "top10": [{"question_id": q, "score": round(s, 3), "text": texts[q][0],
                                                 "from_004": f} for (q, s), f in zip(ranked, from_004, strict=True)]}
            if tags is not None:
                gold: dict[str, set[str]] = {}
                listed: dict[str, dict[str, Any]] = {}
                if questions is not None and questions.is_file():
                    for line in questions.read_text(encoding="utf-8").splitlines():
                        if line.strip():
                            q = json.loads(line)
                            listed[str(q.get("qid"))] = q
                for line in tags.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        r = {**listed.get(str(json.loads(line).get("qid")), {}), **json.loads(line)}
                        gold[key(r.get("question") or r.get("text") or "")] = {
                            t["topic"] if isinstance(t, dict) else t for t in r.get("topics", [])}
                wanted = {t.topic for t in job.topics}
                labelled = [next((gold[key(t)] for t in texts[q] if key(t) in gold), None) for q, _ in ranked]
                judged = [g for g in labelled if g is not None]
                result["p_at_10_topics"] = sum(bool(g & wanted) for g in judged) / len(judged) if judged else None
                result["judged_in_top10"] = len(judged)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", type=Path, default=(REPO / ".." / "shared" / "seeds").resolve())
    p.add_argument("--tags", type=Path, default=None)
    p.add_argument("--questions", type=Path, default=Path("/work/data/jobs/bank_questions_100.jsonl"),
                   help="the labelled questions' list, for labels that give only a qid")
    p.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "job_match.json")
    args = p.parse_args(argv)
    result = run(args.seeds, args.tags, args.questions)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"job match on the seeds: P@10 (from 004) {result['p_at_10_from_004']}, P@10 (labelled topics) "
          f"{result.get('p_at_10_topics')} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
