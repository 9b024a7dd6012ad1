"""Mock-interview benchmark: job profile + readiness map + session plan for a ~2,000-word job
description on a generated 10,000-question bank.

    .venv/bin/python bench/mock_bench.py [--questions 10000] [--words 2000] [--workdir DIR] [--repeat 5]
                                         [--out bench/results/mock.json]

1. `bench/bankgen.py` writes the bank; the real `coach ingest --no-link` stores it (kept in
   `--workdir` between runs: the setup takes minutes, the measurement seconds).
2. Setup, timed but not part of the target: topic tags for every question (e5 on every question
   text, once per bank) and a review history for a fifth of the questions (so readiness and the
   plan work on real FSRS cards).
3. The description is generated from the taxonomy's own names and descriptions (sections of duties,
   requirements and nice-to-haves, plus company boilerplate) to the requested length.
4. Warm: one process with the embedding models loaded (what the web server is) runs
   `jobs.add` (segmentation, aliases, USE similarity, storing), `readiness.compute` and
   `mockplan.make` `--repeat` times; the median and the worst are reported per step.
   Cold: a fresh process does the same once, model loading included (what one CLI call pays).

Target (issue 15): profile + readiness + plan < 2 s. JSON to `--out`; one summary line printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from memory import maxrss_mb  # noqa: E402

DEFAULT_OUT = BENCH / "results" / "mock.json"
SEED = 15


def description(words: int, rng: random.Random) -> str:
    """A job description of about `words` words, written from the taxonomy (no third-party text)."""
    from interview_coach.study.taxonomy import load

    topics = list(load())
    rng.shuffle(topics)
    boiler = ("We are a growing company with offices in several cities and a friendly, diverse team that values "
              "ownership, curiosity and clear writing. We offer competitive pay, health cover and flexible hours.")
    parts = ["# Senior Machine Learning Engineer — Example Corp", "", "## About us", boiler, "", "## What you'll do"]
    n = 0
    sections = [("## What you'll do", "- Own {name}: {desc}"), ("## Requirements", "- Solid experience with {name}; {desc}"),
                ("## Nice to have", "- Exposure to {name} is a plus.")]
    i = 0
    while sum(len(p.split()) for p in parts) < words:
        head, template = sections[(n // 12) % 3]
        if n % 12 == 0 and n:
            parts += ["", head]
        t = topics[i % len(topics)]
        parts.append(template.format(name=t.name.lower(), desc=t.description[0].lower() + t.description[1:]))
        if n % 5 == 4:
            parts.append("- Communicate clearly with product managers and mentor junior engineers.")
        n += 1
        i += 1
    parts += ["", "## Benefits", boiler]
    return "\n".join(parts) + "\n"


def prepare(workdir: Path, questions: int) -> dict[str, Any]:
    """Bank files, the ingested bank, its tags and a review history (reused when present)."""
    from bankgen import generate_bank

    from interview_coach.bank.store import Store
    from interview_coach.study import reviews, tagging
    from interview_coach.study.scheduler import Rating

    bank_dir, db = workdir / "bank", workdir / "bank.sqlite3"
    info: dict[str, Any] = {}
    if not db.exists():
        t = time.perf_counter()
        generate_bank(questions, bank_dir, random.Random(SEED))
        env = dict(os.environ, INTERVIEW_COACH_HOME=str(workdir / "home"))
        done = subprocess.run([str(Path(sys.executable).with_name("coach")), "--db", str(db), "ingest", "--no-link",
                               str(bank_dir)], env=env, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr)
        info["ingest_s"] = round(time.perf_counter() - t, 1)
    with Store.open(db) as store:
        t = time.perf_counter()
        info["tagged_now"] = tagging.ensure(store)
        info["tagging_s"] = round(time.perf_counter() - t, 1)
        info["questions"] = store.stats()["questions"]
        if store.reviews.count() == 0:
            t = time.perf_counter()
            rng = random.Random(SEED)
            views = store.questions()
            start = datetime.now(UTC) - timedelta(days=40)
            with store.writing():
                for q in rng.sample(views, len(views) // 5):
                    when = start + timedelta(days=rng.randint(0, 30))
                    for _ in range(rng.randint(1, 3)):
                        reviews.record(store, q.question_id, rng.choice(list(Rating)), when, score=rng.uniform(0, 100))
                        when += timedelta(days=rng.randint(1, 5))
            info["reviews_s"] = round(time.perf_counter() - t, 1)
        info["reviews"] = store.reviews.count()
    return info


def measure(db: Path, text: str, repeat: int) -> dict[str, Any]:
    from interview_coach.bank.store import Store
    from interview_coach.providers import registry
    from interview_coach.study import jobs, mockplan, readiness

    t0 = time.perf_counter()
    embed = jobs.embedder()
    embed(["warm up"])
    registry.load("e5").embed(["warm up"])
    load_s = time.perf_counter() - t0
    steps: dict[str, list[float]] = {"profile": [], "readiness": [], "plan": [], "total": []}
    plan_size = topics = 0
    with Store.open(db) as store:
        for _ in range(repeat):
            now = datetime.now(UTC)
            a = time.perf_counter()
            job, _ = jobs.add(store, text, interview_date=(now + timedelta(days=14)).date().isoformat(), embed=embed)
            b = time.perf_counter()
            rm = readiness.compute(store, job, now)
            c = time.perf_counter()
            plan = mockplan.make(store, job, 30, now, rm=rm)
            d = time.perf_counter()
            for k, v in (("profile", b - a), ("readiness", c - b), ("plan", d - c), ("total", d - a)):
                steps[k].append(v)
            plan_size, topics = len(plan.items), len(job.topics)
            store.profiles.remove(job.id)
    return {"model_load_s": round(load_s, 3), "topics": topics, "planned": plan_size,
            **{f"{k}_median_s": round(statistics.median(v), 3) for k, v in steps.items()},
            **{f"{k}_max_s": round(max(v), 3) for k, v in steps.items()}, "peak_rss_mb": round(maxrss_mb(), 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--questions", type=int, default=10000)
    p.add_argument("--words", type=int, default=2000)
    p.add_argument("--workdir", type=Path, default=Path("/tmp/coach-mock-bench"))
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    workdir = args.workdir.resolve()
    text = description(args.words, random.Random(SEED))
    if args.child is not None:  # the cold process
        args.child.write_text(json.dumps(measure(workdir / "bank.sqlite3", text, 1)), encoding="utf-8")
        return 0
    workdir.mkdir(parents=True, exist_ok=True)
    setup = prepare(workdir, args.questions)
    cold_out = workdir / "cold.json"
    t = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--workdir", str(workdir), "--words", str(args.words),
                    "--child", str(cold_out)], check=True)
    cold = {**json.loads(cold_out.read_text()), "process_s": round(time.perf_counter() - t, 3)}
    warm = measure(workdir / "bank.sqlite3", text, args.repeat)
    result = {"benchmark": "mock", "when": datetime.now(UTC).isoformat(timespec="seconds"),
              "load_average": os.getloadavg(), "cpus": os.cpu_count(), "words": len(text.split()),
              "setup": setup, "warm": warm, "cold": cold, "target_s": 2.0,
              "meets_target_warm": warm["total_max_s"] < 2.0, "meets_target_cold": cold["total_max_s"] < 2.0}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"mock bench: {setup['questions']} questions, {result['words']} words, {warm['topics']} topics, "
          f"{warm['planned']} planned; warm total median {warm['total_median_s']} s (max {warm['total_max_s']} s: "
          f"profile {warm['profile_median_s']}, readiness {warm['readiness_median_s']}, plan {warm['plan_median_s']}); "
          f"cold {cold['total_max_s']} s + model load {cold['model_load_s']} s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
