"""Feedback a candidate can act on, in the script they read: the label and its reason, each key
point with its status and the evidence span from their answer, what they missed, the
reference answers, and — for an answer to another question — which question that is.

`grade_json` is the one JSON shape of a grade (CLI `coach grade --json`, the web API): the
contract of DESIGN.md (score 0–100; per key point its text, status and evidence span) plus the
label, reason, missed points, reference answers and the off-topic question.
"""

from __future__ import annotations

from typing import Any

from ..text.lang import detect_lang
from .display import in_script
from .grading import Grade, PointResult, Status


def point_text(p: PointResult, script: str) -> str:
    """The point in the reader's script: a wording already in their language if the references
    have one, else the shown wording converted (Chinese scripts) or as it is."""
    wordings = [p.text, *[v for v in p.variants if v != p.text]]
    langs = [detect_lang(w) for w in wordings]
    want_zh = script.startswith("zh")
    for w, lang in zip(wordings, langs, strict=True):
        if lang == script:
            return w
    for w, lang in zip(wordings, langs, strict=True):
        if want_zh and lang.startswith("zh") or not want_zh and lang == "en":
            return in_script(w, lang, script).text
    return in_script(p.text, langs[0], script).text


def missed(g: Grade, script: str) -> list[str]:
    """The key points the answer did not make (missing first, then those made only in part)."""
    order = [p for p in g.points if p.status is Status.missing] + [p for p in g.points if p.status is Status.partial]
    return [point_text(p, script) for p in order]


def grade_json(question_id: str, g: Grade, script: str = "en", references: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "question_id": question_id, "score": g.score, "label": str(g.label), "reason": g.reason,
        "relevance": round(g.relevance, 3), "coverage": round(g.coverage, 3), "flags": list(g.flags),
        "key_points": [{"text": point_text(p, script), "status": p.status.value, "credit": round(p.credit, 3),
                        "similarity": round(p.similarity, 3), "evidence": p.evidence,
                        "evidence_start": p.evidence_start, "evidence_end": p.evidence_end} for p in g.points],
        "missed": missed(g, script),
        "off_topic": ({"question_id": g.veto.question_id, "question": in_script(g.veto.question,
                                                                                  detect_lang(g.veto.question), script).text}
                      if g.veto is not None else None),
    }
    if references is not None:
        out["references"] = [in_script(r, detect_lang(r[:400]), script).text for r in references]
    return out
