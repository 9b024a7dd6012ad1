"""The report of a mock interview: per topic what was asked, the grades, the key points missed and
readiness before → after; what to study next; the trend across sessions for the same job; and a
Markdown rendering (the web page prints the same data).

A session stopped midway reports what was answered. An answer that could not be graded says
"not graded" and why; no number is invented for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..bank.store import Store
from . import readiness
from .taxonomy import load

STUDY_NEXT = 6


def _mean(xs: list[float]) -> float | None:
    return round(sum(xs) / len(xs), 1) if xs else None


def build(store: Store, session_id: int, now: datetime | None = None) -> dict[str, Any]:
    """The report as data (JSON-ready)."""
    row = store.mocks.get(session_id)
    job = store.profiles.get(row.job_id)
    answers = store.mocks.answers(session_id)
    tax = load()
    before = row.before
    after = row.after
    if after is None and now is not None:  # still running (or stopped without finishing): the map as it is now
        after = readiness.after_reviews(readiness.from_json(before), store, job, now).as_json(recall=True)
    b_topics = {t["topic"]: t for t in before["topics"]}
    a_topics = {t["topic"]: t for t in (after or before)["topics"]}
    per_topic: dict[str, dict[str, Any]] = {}
    for a in answers:
        key = a.topic or "(no topic)"
        t = per_topic.setdefault(key, {"topic": key, "name": tax.get(key).name if key in tax.topics else key,
                                       "must_have": b_topics.get(key, {}).get("must_have", False), "asked": 0,
                                       "grades": [], "missed_points": []})
        if a.kind != "followup-point":
            t["asked"] += 1
        t["grades"].append(a.score)  # None = not graded
        if a.grade and a.kind != "followup-point":
            t["missed_points"] += [p["text"] for p in a.grade["key_points"] if p["status"] == "missing"]
    topics = []
    for key, t in per_topic.items():
        graded = [g for g in t["grades"] if g is not None]
        t["mean_grade"] = _mean(graded)
        t["readiness_before"] = b_topics.get(key, {}).get("readiness")
        t["readiness_after"] = a_topics.get(key, {}).get("readiness")
        t["missed_points"] = list(dict.fromkeys(t["missed_points"]))[:8]
        topics.append(t)
    planned = len(row.plan)
    main = sum(1 for a in answers if a.kind == "main")
    graded_scores = [a.score for a in answers if a.score is not None and a.kind != "followup-point"]
    return {
        "session_id": row.id, "job_id": job.id, "job_title": job.title, "mode": row.mode, "minutes": row.minutes,
        "status": row.status, "started_at": row.started_at, "finished_at": row.finished_at,
        "planned": planned, "answered": main,
        "stopped_early": main < planned,
        "mean_grade": _mean(graded_scores),
        "overall_before": before["overall"], "overall_after": (after or before)["overall"],
        "sentence_after": (after or before)["sentence"],
        "topics": topics,
        "answers": [{"position": a.position, "kind": a.kind, "question_id": a.question_id, "topic": a.topic,
                     "prompt": a.prompt, "answer": a.answer, "score": a.score, "graded": a.score is not None,
                     "note": a.note, "key_points": (a.grade or {}).get("key_points", []),
                     "duration_ms": a.duration_ms, "reviewed": a.review_id is not None} for a in answers],
        "study_next": study_next(after or before, store),
        "trend": trend(store, job.id),
    }


def study_next(rm: dict[str, Any], store: Store, limit: int = STUDY_NEXT) -> list[dict[str, Any]]:
    """Gaps first (a topic with no questions counts 0 until the bank covers it), then the questions
    whose recall, raised to certain, would raise the overall readiness most."""
    weights = {t["topic"]: (readiness.MUST_WEIGHT if t["must_have"] else 1.0) for t in rm["topics"]}
    total = sum(weights.values()) or 1.0
    out: list[dict[str, Any]] = []
    for t in rm["topics"]:
        if t["status"] == "gap":
            out.append({"kind": "gap", "topic": t["topic"], "name": t["name"], "must_have": t["must_have"],
                        "gain": round(weights[t["topic"]] / total, 3),
                        "why": f"no questions on {t['name']} in your bank: add some (ingest a bank, or `coach tag`)"})
    gains = []
    for t in rm["topics"]:
        recall = t.get("recall") or {}
        slots = min(readiness.CORE, t["questions"]) or 1
        for qid, r in recall.items():
            gain = weights[t["topic"]] * (1.0 - float(r)) / slots / total
            if gain > 0.0005:
                gains.append((gain, qid, t, float(r)))
    gains.sort(key=lambda g: (-g[0], g[1]))
    seen: set[str] = set()
    for gain, qid, t, r in gains:
        if len(out) >= limit + len([o for o in out if o["kind"] == "gap"]):
            break
        if qid in seen:
            continue
        seen.add(qid)
        try:
            text = store.question(qid).primary.question
        except Exception:  # a question gone from the bank since
            continue
        out.append({"kind": "question", "question_id": qid, "topic": t["topic"], "name": t["name"], "text": text,
                    "must_have": t["must_have"], "recall": round(r, 3), "gain": round(gain, 3),
                    "why": f"recall on the day {r:.0%}; drilling it adds up to {gain:.1%} to the overall readiness"})
    return out


def trend(store: Store, job_id: int) -> list[dict[str, Any]]:
    """Every session for the job, oldest first: when, mode, answered, mean grade, readiness before → after."""
    out = []
    for s in store.mocks.sessions(job_id):
        answers = store.mocks.answers(s.id)
        scores = [a.score for a in answers if a.score is not None and a.kind != "followup-point"]
        out.append({"session_id": s.id, "started_at": s.started_at, "mode": s.mode, "status": s.status,
                    "answered": sum(1 for a in answers if a.kind == "main"), "planned": len(s.plan),
                    "mean_grade": _mean(scores), "overall_before": s.before["overall"],
                    "overall_after": s.after["overall"] if s.after else None})
    return out


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _grade(g: float | None) -> str:
    return "not graded" if g is None else f"{g:.0f}"


def markdown(report: dict[str, Any]) -> str:
    r = report
    lines = [f"# Mock interview {r['session_id']}: {r['job_title']}", "",
             f"- Mode: {r['mode']}, {r['minutes']} minutes planned; started {r['started_at']}"
             + (f", finished {r['finished_at']}" if r["finished_at"] else " (not finished)"),
             f"- Answered {r['answered']} of {r['planned']} planned questions"
             + (" — stopped early" if r["stopped_early"] else ""),
             f"- Mean grade: {_grade(r['mean_grade'])}",
             f"- Readiness: {_pct(r['overall_before'])} → {_pct(r['overall_after'])}", "",
             f"> {r['sentence_after']}", "", "## By topic", "",
             "| topic | must | asked | grades | readiness before → after |", "|---|---|---|---|---|"]
    for t in r["topics"]:
        grades = ", ".join(_grade(g) for g in t["grades"])
        lines.append(f"| {t['name']} | {'yes' if t['must_have'] else 'no'} | {t['asked']} | {grades} | "
                     f"{_pct(t['readiness_before'])} → {_pct(t['readiness_after'])} |")
    missed = [(t["name"], p) for t in r["topics"] for p in t["missed_points"]]
    if missed:
        lines += ["", "## Key points missed", ""]
        lines += [f"- **{name}**: {p}" for name, p in missed]
    lines += ["", "## Answers", ""]
    for a in r["answers"]:
        label = {"main": "Q", "followup-point": "Follow-up", "followup-related": "Follow-up (related)"}[a["kind"]]
        lines.append(f"### {a['position']}. {label}: {a['prompt']}")
        lines.append("")
        lines.append(f"Grade: {_grade(a['score'])}" + (f" ({a['note']})" if a["note"] else ""))
        lines.append("")
        lines.append("> " + (a["answer"].replace("\n", "\n> ") if a["answer"] else "(no answer)"))
        lines.append("")
        for p in a["key_points"]:
            mark = {"covered": "✓", "partial": "~", "missing": "✗"}.get(p["status"], "?")
            lines.append(f"- {mark} {p['text']}")
        if a["key_points"]:
            lines.append("")
    lines += ["## What to study next", ""]
    for s in r["study_next"]:
        if s["kind"] == "gap":
            lines.append(f"- Gap — **{s['name']}**{' (must-have)' if s['must_have'] else ''}: {s['why']}")
        else:
            lines.append(f"- `{s['question_id']}` {s['text']} — {s['name']}: {s['why']}")
    if not r["study_next"]:
        lines.append("- nothing stands out: keep drilling what is due")
    lines += ["", "## Trend for this job", "", "| session | started | mode | answered | mean grade | readiness |",
              "|---|---|---|---|---|---|"]
    for t in r["trend"]:
        lines.append(f"| {t['session_id']} | {t['started_at']} | {t['mode']} | {t['answered']}/{t['planned']} | "
                     f"{_grade(t['mean_grade'])} | {_pct(t['overall_before'])} → {_pct(t['overall_after'])} |")
    return "\n".join(lines) + "\n"


__all__ = ["build", "markdown", "study_next", "trend"]
