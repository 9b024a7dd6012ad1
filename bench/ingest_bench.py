"""Ingest benchmark: speed, memory, re-ingest cost and recall on a synthetic bank.

    .venv/bin/python bench/ingest_bench.py [--questions 10000] [--out bench/results/ingest.json]
                                           [--workdir DIR] [--seed N] [--repeat N] [--keep]

1. `bankgen` writes a bank of `--questions` questions (mixed shapes, languages and
   encodings) with a fixed seed, and a manifest of what each file must yield.
2. A fresh Python process ingests the whole folder into a new SQLite bank, timing
   `Store.open` + `ingest_paths` (imports timed apart) and reading its peak RSS
   (`ru_maxrss`); it then ingests the unchanged folder again into the same bank, and
   re-times reading+decoding and parsing alone to split the time into phases.
   With `--repeat N` this runs N times (each a new process and bank); the fastest counts.
3. Another fresh process repeats the first ingest under `tracemalloc` for the peak of
   Python allocations (tracing slows it, so its time is not the headline number).
4. The stored items are compared with the manifest per file: recall and precision of
   question texts, question lines, languages, answers found, detected encodings.

Targets (the issue): >= 2,000 items/s and < 300 MB peak RSS, without embeddings.
Results go to `--out` as JSON; one summary line is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from memory import maxrss_mb, status_mb

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH_DIR / "results" / "ingest.json"
SEED = 20240917
TARGET_ITEMS_PER_S = 2000
TARGET_PEAK_RSS_MB = 300
MAX_EXAMPLES = 12  # missed / extra questions listed in the results

# what the reader may call an encoding bankgen wrote
_ENCODING_FAMILY = {
    "utf-8": {"utf-8", "ascii"},
    "utf-8-sig": {"utf-8-sig"},
    "utf-16": {"utf-16-le", "utf-16-be", "utf-16"},
    "gb18030": {"gb18030"},
    "big5": {"big5", "big5hkscs", "cp950"},
}


# --- the measured process ------------------------------------------------------------
def _child(mode: str, bank: Path, db: Path) -> dict[str, Any]:
    """Runs in a fresh interpreter: ingest `bank` into the new bank `db`, measuring."""
    t = time.perf_counter()
    from interview_coach.bank.store import Store
    from interview_coach.ingest.pipeline import ingest_paths

    out: dict[str, Any] = {"import_s": time.perf_counter() - t, "rss_after_import_mb": maxrss_mb()}
    if mode == "traced":
        import tracemalloc

        tracemalloc.start()
    t, cpu = time.perf_counter(), time.process_time()
    store = Store.open(db)
    report = ingest_paths(store, [bank])
    store.close()
    out["wall_s"] = time.perf_counter() - t
    out["cpu_s"] = time.process_time() - cpu
    out["peak_rss_mb"] = maxrss_mb()
    out["vm_hwm_mb"] = status_mb("VmHWM")
    if mode == "traced":
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    out["files"] = len(report.files)
    out["items"] = sum(f.items for f in report.files)
    out["statuses"] = dict(Counter(f.status for f in report.files))
    out["errors"] = [{"path": f.path, "error": f.error} for f in report.files if not f.ok]
    out["encodings"] = {f.path: f.encoding for f in report.files}
    if mode == "timed":  # the same folder again, unchanged: must be cheap
        t, cpu = time.perf_counter(), time.process_time()
        store = Store.open(db)
        again = ingest_paths(store, [bank])
        store.close()
        out["reingest_wall_s"] = time.perf_counter() - t
        out["reingest_cpu_s"] = time.process_time() - cpu
        out["reingest_statuses"] = dict(Counter(f.status for f in again.files))
        out["reingest_peak_rss_mb"] = maxrss_mb()
        out["phases"] = _phases(bank)
    return out


def _phases(bank: Path) -> dict[str, float]:
    """Where a first ingest spends its time: read+decode and parse, timed file by file (warm)."""
    from interview_coach.ingest.parse import parse_lines
    from interview_coach.ingest.pipeline import discover
    from interview_coach.ingest.reader import read_document

    read_s = parse_s = 0.0
    for path in discover([bank]):
        if not isinstance(path, Path):
            continue
        t = time.perf_counter()
        doc = read_document(path)
        lines = doc.lines
        t2 = time.perf_counter()
        parse_lines(lines)
        read_s += t2 - t
        parse_s += time.perf_counter() - t2
    return {"read_decode_s": read_s, "parse_s": parse_s}


def _run_child(mode: str, bank: Path, db: Path, workdir: Path) -> dict[str, Any]:
    for suffix in ("", "-wal", "-shm"):  # always a fresh SQLite bank
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    result = workdir / f"child-{mode}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--bank", str(bank), "--db", str(db),
           "--child-out", str(result)]
    subprocess.run(cmd, check=True)
    data: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    result.unlink()
    return data


# --- recall ------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(text.split())


def _raw_line(path: Path, encoding: str, line: int) -> str:
    text = path.read_bytes().decode("utf-16" if encoding == "utf-16" else encoding)
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _line_kind(raw: str) -> str:
    from interview_coach.ingest.lines import classify

    return classify([raw])[0].kind.value


def _evaluate(files: list[Any], db: Path, encodings: dict[str, str]) -> dict[str, Any]:
    """Compare the stored items with bankgen's manifest, file by file."""
    conn = sqlite3.connect(db)
    notices = {path: {line: msg for line, msg in json.loads(raw)}
               for path, raw in conn.execute("SELECT path, notices FROM sources")}
    rows = conn.execute(
        "SELECT sources.path, items.question, items.question_line, items.lang, items.answer IS NOT NULL, "
        "items.answer_line_start, items.answer_line_end, items.line_start, items.line_end "
        "FROM items JOIN sources ON sources.id = items.source_id ORDER BY sources.path, items.position"
    ).fetchall()
    conn.close()
    by_path: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_path[row[0]].append(row)

    total = Counter[str]()
    groups: dict[str, dict[str, Counter[str]]] = {"shape": defaultdict(Counter), "encoding": defaultdict(Counter),
                                                   "lang": defaultdict(Counter)}
    missed_by: Counter[tuple[str, str, str]] = Counter()
    missed_examples: list[dict[str, Any]] = []
    extra_examples: list[dict[str, Any]] = []
    encoding_mismatches: list[dict[str, Any]] = []
    for f in files:
        path = str(f.path)
        items = by_path.get(path, [])
        detected = encodings.get(path)
        if detected is not None and detected not in _ENCODING_FAMILY.get(f.encoding, {f.encoding}):
            encoding_mismatches.append({"path": path, "written": f.encoding, "detected": detected})
        free: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for it in items:
            free[_norm(it[1])].append(it)
        c = Counter[str]()
        for e in f.questions:
            c["expected"] += 1
            pool = free.get(_norm(e.question))
            if not pool:
                missed_by[(f.shape, f.lang, f.encoding)] += 1
                if len(missed_examples) < MAX_EXAMPLES:
                    raw = _raw_line(f.path, f.encoding, e.line)
                    host = next((it for it in items if it[7] <= e.line <= it[8]), None)
                    missed_examples.append({
                        "path": path, "shape": f.shape, "lang": f.lang, "encoding": f.encoding, "line": e.line,
                        "expected": e.question, "raw_line": raw, "line_kind": _line_kind(raw),
                        "notice": notices.get(path, {}).get(e.line),
                        "inside_item": None if host is None else {"question": host[1], "line": host[2],
                                                                   "answer_lines": [host[5], host[6]]},
                    })
                continue
            it = pool.pop(0)
            c["matched"] += 1
            c["line_ok"] += it[2] == e.line
            c["lang_ok"] += it[3] == e.lang
            c["answered"] += bool(it[4])
        c["found"] = len(items)
        for leftover in (it for pool in free.values() for it in pool):
            if len(extra_examples) < MAX_EXAMPLES:
                extra_examples.append({"path": path, "shape": f.shape, "question": leftover[1], "line": leftover[2]})
        total.update(c)
        for name, value in (("shape", f.shape), ("encoding", f.encoding), ("lang", f.lang)):
            groups[name][value].update(c)

    def ratio(c: Counter[str], num: str, den: str) -> float | None:
        return round(c[num] / c[den], 6) if c[den] else None

    def summary(c: Counter[str]) -> dict[str, Any]:
        return {"expected": c["expected"], "found": c["found"], "matched": c["matched"],
                "recall": ratio(c, "matched", "expected"), "precision": ratio(c, "matched", "found")}

    return {
        **summary(total),
        "missed": total["expected"] - total["matched"],
        "extra": total["found"] - total["matched"],
        "answered_rate": ratio(total, "answered", "matched"),  # every generated question has an answer
        "line_accuracy": ratio(total, "line_ok", "matched"),
        "lang_accuracy": ratio(total, "lang_ok", "matched"),
        "by_shape": {k: summary(v) for k, v in sorted(groups["shape"].items())},
        "by_encoding": {k: summary(v) for k, v in sorted(groups["encoding"].items())},
        "by_lang": {k: summary(v) for k, v in sorted(groups["lang"].items())},
        "missed_by_shape_lang_encoding": [
            {"shape": s, "lang": la, "encoding": enc, "missed": n} for (s, la, enc), n in missed_by.most_common()
        ],
        "missed_examples": missed_examples,
        "extra_examples": extra_examples,
        "encoding_mismatches": encoding_mismatches,
    }


# --- driver -----------------------------------------------------------------------------
def _machine() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "sqlite": sqlite3.sqlite_version,
    }


def run(questions: int, out: Path, workdir: Path, seed: int, repeat: int = 1) -> dict[str, Any]:
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    import bankgen

    bank = workdir / "bank"
    if bank.exists():
        if not (bank / bankgen.MANIFEST_NAME).exists():
            raise SystemExit(f"{bank} exists and is not a generated bank; choose another --workdir")
        shutil.rmtree(bank)
    # generated in a subprocess (`bankgen.main` injects `random.Random(seed)`): the driver
    # stays small, so the measured processes it spawns inherit no large RSS high-water mark
    t = time.perf_counter()
    subprocess.run([sys.executable, str(BENCH_DIR / "bankgen.py"), "--questions", str(questions),
                    "--out", str(bank), "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    generate_s = time.perf_counter() - t
    files = bankgen.load_manifest(bank)
    bank_bytes = sum(f.path.stat().st_size for f in files)

    loads = [round(x, 2) for x in os.getloadavg()]
    runs = [_run_child("timed", bank, workdir / "ingest.sqlite", workdir) for _ in range(max(1, repeat))]
    timed = min(runs, key=lambda r: r["wall_s"])  # the least disturbed run
    traced = _run_child("traced", bank, workdir / "ingest-traced.sqlite", workdir)
    recall = _evaluate(files, workdir / "ingest.sqlite", timed["encodings"])

    items, wall = timed["items"], timed["wall_s"]
    items_per_s = items / wall if wall else 0.0
    reingest_s = timed["reingest_wall_s"]
    result = {
        "benchmark": "ingest",
        "config": {
            "questions": questions, "seed": seed, "files": len(files), "bank_mb": round(bank_bytes / 2**20, 3),
            "files_by_shape": dict(sorted(Counter(f.shape for f in files).items())),
            "files_by_encoding": dict(sorted(Counter(f.encoding for f in files).items())),
            "files_by_lang": dict(sorted(Counter(f.lang for f in files).items())),
            "generate_s": round(generate_s, 3),
        },
        "machine": {**_machine(), "loadavg_before": loads, "loadavg_after": [round(x, 2) for x in os.getloadavg()]},
        "ingest": {
            "wall_s": round(wall, 4), "items": items, "items_per_s": round(items_per_s, 1),
            "runs_wall_s": [round(r["wall_s"], 4) for r in runs],
            # CPU time of the ingesting process: less sensitive than wall time to a busy machine
            "cpu_s": round(timed["cpu_s"], 4),
            "items_per_cpu_s": round(items / timed["cpu_s"], 1) if timed["cpu_s"] else None,
            "files": timed["files"], "mb_per_s": round(bank_bytes / 2**20 / wall, 3) if wall else None,
            "import_s": round(timed["import_s"], 4), "statuses": timed["statuses"], "errors": timed["errors"],
            "phases_s": {  # read+decode and parse re-timed alone (warm); store = the rest of the first ingest
                **{k: round(v, 4) for k, v in timed["phases"].items()},
                "store_and_other": round(wall - sum(timed["phases"].values()), 4),
            },
        },
        "memory": {
            "peak_rss_mb": round(timed["peak_rss_mb"], 1),
            "rss_after_import_mb": round(timed["rss_after_import_mb"], 1),
            "vm_hwm_mb": None if timed["vm_hwm_mb"] is None else round(timed["vm_hwm_mb"], 1),
            "tracemalloc_peak_mb": round(traced["tracemalloc_peak_mb"], 2),
            "traced_wall_s": round(traced["wall_s"], 4),
        },
        "reingest": {
            "wall_s": round(reingest_s, 4),
            "cpu_s": round(timed["reingest_cpu_s"], 4),
            "statuses": timed["reingest_statuses"],
            "all_unchanged": timed["reingest_statuses"] == {"unchanged": timed["files"]},
            "fraction_of_first": round(reingest_s / wall, 4) if wall else None,
            "peak_rss_mb": round(timed["reingest_peak_rss_mb"], 1),
        },
        "recall": recall,
        "targets": {
            "items_per_s_min": TARGET_ITEMS_PER_S, "peak_rss_mb_max": TARGET_PEAK_RSS_MB,
            "items_per_s_met": items_per_s >= TARGET_ITEMS_PER_S,
            "peak_rss_met": timed["peak_rss_mb"] < TARGET_PEAK_RSS_MB,
            "embeddings": False,
        },
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result


def _summary_line(r: dict[str, Any], out: Path) -> str:
    ing, mem, re_, rec = r["ingest"], r["memory"], r["reingest"], r["recall"]
    ok = "targets met" if r["targets"]["items_per_s_met"] and r["targets"]["peak_rss_met"] else "TARGETS MISSED"
    return (
        f"ingest {r['config']['questions']} questions / {r['config']['files']} files: {ing['wall_s']:.2f} s "
        f"({ing['items_per_s']:.0f} items/s; {ing['items_per_cpu_s']:.0f}/CPU-s), "
        f"peak RSS {mem['peak_rss_mb']:.0f} MB, "
        f"tracemalloc peak {mem['tracemalloc_peak_mb']:.1f} MB, re-ingest {re_['wall_s']:.2f} s "
        f"({'all unchanged' if re_['all_unchanged'] else re_['statuses']}), "
        f"recall {rec['recall']:.2%} ({rec['missed']} missed, {rec['extra']} extra); {ok} -> {out}"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--questions", type=int, default=10000, help="questions in the generated bank (default 10000)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results (default bench/results/ingest.json)")
    p.add_argument("--workdir", type=Path, default=None, help="where the bank and databases go (default: a temp dir)")
    p.add_argument("--seed", type=int, default=SEED, help=f"generator seed (default {SEED})")
    p.add_argument("--repeat", type=int, default=1, help="timed runs; the fastest is reported (default 1)")
    p.add_argument("--keep", action="store_true", help="keep the temporary work dir")
    p.add_argument("--child", choices=("timed", "traced"), help=argparse.SUPPRESS)
    p.add_argument("--bank", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.child:
        data = _child(args.child, args.bank, args.db)
        args.child_out.write_text(json.dumps(data), encoding="utf-8")
        return 0
    if args.questions < 1:
        p.error("--questions must be at least 1")

    temp = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="coach-ingest-bench-")) if temp else args.workdir
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        result = run(args.questions, args.out, workdir, args.seed, args.repeat)
    finally:
        if temp and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(_summary_line(result, args.out))
    if temp and args.keep:
        print(f"work dir kept: {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
