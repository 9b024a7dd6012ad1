"""Web benchmark: requests/s and latency of the search and question pages of `coach serve`.

    .venv/bin/python bench/web_bench.py [--duration 10] [--connections 4] [--out bench/results/web.json]

1. Builds a bank from the bundled sample bank in a temporary INTERVIEW_COACH_HOME (ingest,
   link, grader embeddings cached), then starts the real `coach serve` on a free loopback
   port and waits until its search index is ready.
2. Server time: every main page is requested a few times; the median of its
   `Server-Timing: app;dur=…` header is the time spent in the app (target ≤ 50 ms).
3. Load: `wrk` (Debian's package) drives each scenario for `--duration` seconds with
   `--connections` connections: one question page, every question page in turn, the search
   page with a repeated query (the per-engine query cache), and /api/search with queries
   that never repeat (each costs two query embeddings). Without wrk, a bounded Python loop
   with the same scenarios is used instead. All traffic goes to 127.0.0.1 only.
Results go to `--out` as JSON; a summary is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH_DIR / "results" / "web.json"
QUERIES = ["梯度裁剪", "what is attention", "混合精度訓練", "RLHF and DPO", "向量检索", "温度 top-p", "mode collapse",
           "how to evaluate hallucination", "困惑度", "contrastive loss", "LoRA 原理", "KV cache", "diffusion models",
           "余弦相似度", "learning-rate warmup", "CLIP training"]


def build_bank(home: Path) -> Path:
    code = (
        "from interview_coach.bank.store import Store\n"
        "from interview_coach.config import sample_bank_dir\n"
        "from interview_coach.ingest.pipeline import ingest_paths\n"
        "from interview_coach.search import linking\n"
        "from interview_coach.search.engine import SearchEngine\n"
        "from interview_coach.study.bank_grading import BankGrader\n"
        "import sys\n"
        "with Store.open(sys.argv[1]) as s:\n"
        "    ingest_paths(s, [sample_bank_dir()])\n"
        "    linking.relink(s, SearchEngine.build(s))\n"
        "    BankGrader(s)\n"
    )
    db = home / "bank.sqlite3"
    subprocess.run([sys.executable, "-c", code, str(db)], check=True, env={**os.environ, "INTERVIEW_COACH_HOME": str(home)})
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, home: Path, port: int) -> subprocess.Popen[str]:
    coach = Path(sys.executable).with_name("coach")
    proc = subprocess.Popen([str(coach), "--db", str(db), "serve", "--port", str(port)],
                            env={**os.environ, "INTERVIEW_COACH_HOME": str(home)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"coach serve exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            status = httpx.get(f"{base}/api/status", timeout=5).json()
            if status["index"]["ready"] and status["grader_ready"]:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not become ready in 120 s")


def stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout:
        proc.stdout.close()


def server_times(base: str, paths: dict[str, str], n: int = 7) -> dict[str, dict[str, float]]:
    out = {}
    with httpx.Client(base_url=base, timeout=30) as c:
        for name, path in paths.items():
            c.get(path)  # warm
            app_ms, wall_ms = [], []
            for _ in range(n):
                t = time.perf_counter()
                r = c.get(path)
                wall_ms.append((time.perf_counter() - t) * 1000)
                r.raise_for_status()
                m = re.search(r"app;dur=([\d.]+)", r.headers.get("server-timing", ""))
                app_ms.append(float(m.group(1)) if m else float("nan"))
            out[name] = {"server_ms_median": round(statistics.median(app_ms), 1),
                         "server_ms_max": round(max(app_ms), 1),
                         "wall_ms_median": round(statistics.median(wall_ms), 1)}
    return out


# -- load with wrk ------------------------------------------------------------------------------
ROTATE_LUA = """
paths = {%s}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""

UNIQUE_LUA = """
queries = {%s}
i = 0
request = function()
  i = i + 1
  local q = queries[(i %% #queries) + 1] .. "%%20" .. tostring(i) .. "x" .. tostring(math.random(1000000))
  return wrk.format("GET", "/api/search?k=8&q=" .. q)
end
"""


def lua_list(items: list[str]) -> str:
    return ", ".join(json.dumps(x) for x in items)


def parse_wrk(text: str) -> dict[str, Any]:
    def ms(value: str) -> float:
        m = re.match(r"([\d.]+)(us|ms|s|m)", value)
        if not m:
            return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return {"us": v / 1000, "ms": v, "s": v * 1000, "m": v * 60000}[unit]

    out: dict[str, Any] = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["requests_per_s"] = float(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+\w+)", text)
    out["requests"] = int(m.group(1)) if m else None
    lat = {}
    for p in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{p}%\s+(\S+)", text, re.M)
        if m:
            lat[f"p{p}_ms"] = round(ms(m.group(1)), 2)
    out["latency"] = lat
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", text)
    out["socket_errors"] = m.group(1).strip() if m else None
    return out


def run_wrk(base: str, path: str, duration: int, connections: int, script: str | None, tmp: Path) -> dict[str, Any]:
    cmd = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s", "--latency",
           "--timeout", "10s"]
    if script:
        lua = tmp / f"s{abs(hash(script))}.lua"
        lua.write_text(script, encoding="utf-8")
        cmd += ["-s", str(lua)]
    cmd.append(base + path)
    text = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=duration + 60).stdout
    return {"tool": "wrk", "connections": connections, "duration_s": duration, **parse_wrk(text)}


# -- load without wrk: a bounded Python loop ----------------------------------------------------
def run_python(base: str, paths: list[str], duration: int, connections: int, max_requests: int = 20000) -> dict[str, Any]:
    lat: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + duration
    counter = iter(range(max_requests))

    def worker() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=10) as c:
            while time.monotonic() < stop_at:
                with lock:
                    k = next(counter, None)
                if k is None:
                    return
                t = time.perf_counter()
                try:
                    ok = c.get(paths[k % len(paths)]).status_code < 400
                except httpx.HTTPError:
                    ok = False
                dt = (time.perf_counter() - t) * 1000
                with lock:
                    lat.append(dt)
                    errors += not ok

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - started
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [float("nan")] * 99
    return {"tool": "python", "connections": connections, "duration_s": round(took, 1), "requests": len(lat),
            "requests_per_s": round(len(lat) / took, 1), "non_2xx": errors,
            "latency": {"p50_ms": round(q[49], 2), "p75_ms": round(q[74], 2), "p90_ms": round(q[89], 2),
                        "p99_ms": round(q[98], 2)}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=int, default=10, help="seconds per load scenario")
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="coach-web-bench-"))
    try:
        home = tmp / "home"
        t = time.perf_counter()
        db = build_bank(home)
        build_s = time.perf_counter() - t
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        t = time.perf_counter()
        proc = start_server(db, home, port)
        ready_s = time.perf_counter() - t
        try:
            qids = [q["question_id"] for q in httpx.get(f"{base}/api/questions?limit=1000").json()["questions"]]
            pages = {"library": "/", "question": f"/questions/{qids[0]}", "search_page": "/search?q=" + quote(QUERIES[0]),
                     "api_search": "/api/search?q=" + quote(QUERIES[1]), "drill": "/drill", "stats": "/stats",
                     "import": "/import", "settings": "/settings"}
            timing = server_times(base, pages)
            question_paths = [f"/questions/{q}" for q in qids]
            scenarios: dict[str, dict[str, Any]] = {}
            wrk = shutil.which("wrk")
            plans = [
                ("question_page", pages["question"], None, [pages["question"]]),
                ("question_pages_all", "/", ROTATE_LUA % lua_list(question_paths), question_paths),
                ("search_page_repeated_query", pages["search_page"], None, [pages["search_page"]]),
                ("api_search_unique_queries", "/", UNIQUE_LUA % lua_list([quote(q) for q in QUERIES]),
                 [f"/api/search?k=8&q={quote(QUERIES[i % len(QUERIES)])}%20{i}" for i in range(20000)]),
            ]
            for name, path, lua, py_paths in plans:
                if wrk:
                    scenarios[name] = run_wrk(base, path, args.duration, args.connections, lua, tmp)
                else:
                    scenarios[name] = run_python(base, py_paths, args.duration, args.connections)
                r = scenarios[name]
                print(f"{name:28s} {r['requests_per_s']:>8} req/s  p50 {r['latency'].get('p50_ms')} ms  "
                      f"p99 {r['latency'].get('p99_ms')} ms  errors {r['non_2xx']}", flush=True)
            status = httpx.get(f"{base}/api/status").json()
        finally:
            stop(proc)
        result = {
            "benchmark": "web", "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
            "bank": {"questions": len(qids), "source": "bundled sample bank"},
            "setup_s": {"build_bank": round(build_s, 1), "server_ready": round(ready_s, 1)},
            "server_time_ms": timing, "load": scenarios, "index_builds": status["index"]["builds"],
            "target": "pages render in <= 50 ms server time on the sample bank",
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        worst = max(v["server_ms_median"] for v in timing.values())
        print("server time (median ms): " + ", ".join(f"{k} {v['server_ms_median']}" for k, v in timing.items()))
        print(f"worst page median {worst} ms; results in {args.out}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
