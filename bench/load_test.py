"""Load test of a team server: N simulated members against W worker processes on one PostgreSQL.

Each member signs in, then until the time is up: searches, takes the drill queue, grades an
answer, rates it (a review with a key of its own), and reads the stats, with a short think time.
Afterwards the review log is counted: every review a member was told was stored must be there
exactly once. Loopback only; a fresh database is made and dropped.

    .venv/bin/python bench/load_test.py --users 50 --workers 2 --seconds 120

Writes bench/results/load_test.json: requests/s, p50/p99 per route, errors, the count check.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

from interview_coach import accounts
from interview_coach.bank.store import Store
from interview_coach.config import sample_bank_dir
from interview_coach.ingest.pipeline import ingest_paths
from interview_coach.search import linking
from interview_coach.search.engine import SearchEngine
from interview_coach.study.bank_grading import BankGrader

ROOT = Path(__file__).resolve().parent
PASSWORD = "load test password"
QUERIES = ["LoRA", "mode collapse", "如何评估大模型", "注意力機制", "RLHF reward model", "beam search", "量化",
           "diffusion model", "BLEU ROUGE", "位置编码"]
ANSWERS = ["It reduces the number of trainable parameters by learning low-rank updates to frozen weights.",
           "模型只生成少数几种样本，多样性下降；可以用小批量判别、谱归一化等方法缓解。",
           "I am not sure, something about gradients being scaled.",
           "它衡量模型对测试文本的困惑程度，越低越好。"]


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def admin_sql(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


def prepare(url: str, users: int, seeds: Path | None) -> list[str]:
    with Store.open(url) as store:
        paths = [sample_bank_dir()] + ([seeds] if seeds and seeds.is_dir() else [])
        ingest_paths(store, paths)
        linking.relink(store, lambda: SearchEngine.build(store))
        BankGrader(store)  # the grader's reference embeddings, cached in the bank
        names = [f"member{k:03d}" for k in range(users)]
        for n in names:
            accounts.add_user(store, n, "learner", PASSWORD)
    return names


class Member:
    def __init__(self, base: str, name: str, rng: random.Random, stats: dict[str, list[float]],
                 errors: dict[str, int]) -> None:
        self.base, self.name, self.rng, self.stats, self.errors = base, name, rng, stats, errors
        self.acknowledged: list[str] = []

    async def call(self, c: httpx.AsyncClient, route: str, method: str, url: str, **kw: Any) -> httpx.Response | None:
        t = time.perf_counter()
        try:
            r = await c.request(method, url, **kw)
        except httpx.HTTPError:
            self.errors[route] += 1
            return None
        self.stats[route].append((time.perf_counter() - t) * 1000)
        if r.status_code >= 400:
            self.errors[route] += 1
            return None
        return r

    async def run(self, until: float) -> None:
        async with httpx.AsyncClient(base_url=self.base, headers={"x-coach-client": "load"}, timeout=60) as c:
            r = await self.call(c, "login", "POST", "/api/login", json={"username": self.name, "password": PASSWORD})
            if r is None:
                return
            while time.monotonic() < until:
                await self.call(c, "search", "GET", "/api/search", params={"q": self.rng.choice(QUERIES)})
                q = await self.call(c, "drill_queue", "GET", "/api/drill/queue", params={"new": 5})
                rows = q.json()["queue"] if q is not None else []
                if rows:
                    qid = rows[0]["question_id"]
                    answer = self.rng.choice(ANSWERS)
                    g = await self.call(c, "grade", "POST", "/api/drill/grade", json={"question_id": qid, "answer": answer})
                    score = g.json()["grade"]["score"] if g is not None and g.json().get("grade") else None
                    key = uuid.uuid4().hex
                    ok = await self.call(c, "rate", "POST", "/api/drill/rate", json={
                        "question_id": qid, "rating": self.rng.choice(["Hard", "Good", "Easy"]), "score": score,
                        "answer": answer, "client_key": key})
                    if ok is not None:
                        self.acknowledged.append(key)
                await self.call(c, "stats", "GET", "/api/stats")
                await asyncio.sleep(self.rng.uniform(0.2, 1.0))


async def drive(base: str, names: list[str], seconds: float, seed: int,
                ramp: float = 10.0) -> tuple[dict[str, Any], list[Member]]:
    """Members arrive over `ramp` seconds (not all at the same instant), then work until the end."""
    stats: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    members = [Member(base, n, random.Random(seed + k), stats, errors) for k, n in enumerate(names)]
    start = time.monotonic()

    async def arrive(k: int, m: Member) -> None:
        await asyncio.sleep(ramp * k / max(len(members), 1))
        await m.run(start + seconds)

    await asyncio.gather(*(arrive(k, m) for k, m in enumerate(members)))
    took = time.monotonic() - start
    routes = {route: {"requests": len(xs), "errors": errors[route], "p50_ms": round(pct(xs, 50), 1),
                      "p99_ms": round(pct(xs, 99), 1), "mean_ms": round(statistics.fmean(xs), 1) if xs else None}
              for route, xs in sorted(stats.items())}
    total = sum(len(xs) for xs in stats.values())
    return {"seconds": round(took, 1), "requests": total, "requests_per_s": round(total / took, 1),
            "errors": sum(errors.values()), "routes": routes}, members


def wait_until_ready(base: str, workers: int, timeout: float = 600) -> None:
    """Every worker has built its search index and grader (asked until several answers in a row say so)."""
    deadline = time.monotonic() + timeout
    ready = 0
    with httpx.Client(base_url=base, headers={"x-coach-client": "load"}) as c:
        c.post("/api/login", json={"username": "member000", "password": PASSWORD})
        while ready < 4 * workers:
            r = c.get("/api/status").json()
            ready = ready + 1 if r["index"]["ready"] and r["grader_ready"] else 0
            if time.monotonic() > deadline:
                raise SystemExit("the workers did not get ready")
            time.sleep(0.5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", default=os.environ.get("COACH_TEST_PG", "postgresql://postgres@127.0.0.1:5432"))
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--seeds", type=Path, default=ROOT.parent.parent / "shared" / "seeds")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "load_test.json")
    args = ap.parse_args()
    name = f"coach_load_{os.getpid()}"
    admin_sql(args.server, f"CREATE DATABASE {name}")
    url = f"{args.server}/{name}"
    home = Path(f"/tmp/{name}")
    proc = None
    try:
        t = time.perf_counter()
        names = prepare(url, args.users, args.seeds)
        print(f"bank ready in {time.perf_counter() - t:.0f} s; starting {args.workers} workers", file=sys.stderr)
        port = free_port()
        env = {**os.environ, "INTERVIEW_COACH_HOME": str(home)}
        coach = str(Path(sys.executable).with_name("coach"))
        proc = subprocess.Popen([coach, "--db", url, "serve", "--team", "--workers", str(args.workers),
                                 "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.5)
        wait_until_ready(base, args.workers)
        # baseline in the same run: one member alone, so the figures under load can be read as a ratio
        alone, first = asyncio.run(drive(base, names[:1], min(30.0, args.seconds), args.seed + 999, ramp=0))
        result, members = asyncio.run(drive(base, names[1:], args.seconds, args.seed))
        members += first  # the count check covers the reviews of both phases
        with Store.open(url) as store:
            from sqlalchemy import text  # the check reads the table directly (this is a benchmark)

            with store.tx.read() as conn:
                keys = [r[0] for r in conn.execute(text("SELECT client_key FROM reviews WHERE client_key IS NOT NULL"))]
        acknowledged = [k for m in members for k in m.acknowledged]
        counts = defaultdict(int)
        for k in keys:
            counts[k] += 1
        check = {"acknowledged": len(acknowledged), "stored": len(keys),
                 "lost": sum(1 for k in acknowledged if counts[k] == 0),
                 "duplicated": sum(1 for k, n in counts.items() if n > 1)}
        out = {"users": args.users - 1, "workers": args.workers, "cores": os.cpu_count(), **result,
               "count_check": check, "baseline_one_member": alone}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=2))
        print(json.dumps(out, indent=2))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        admin_sql(args.server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
