"""Ingest quality on real banks judged by hand: precision, recall, fully right, named misses.

    .venv/bin/python bench/ingest_quality.py --banks DIR --gold DIR [--json OUT] [--hints FILE] [--show N]

Each file in `--banks` is parsed with the real parser (no bank is written). Its gold is
`--gold/<file name>.jsonl` (or the name without its suffix): one JSON object per real
question, `{"line", "question", "also_lines", "answer_start", "answer_end", "kind"}` with
1-based lines (`answer_*` null when the file gives no answer).

An item matches a gold question when its question line is the gold line or one of its
`also_lines` (±1), or else when their normalised texts are equal; each side matches once.
- precision: matched items / items; recall: matched gold questions / gold questions;
- fully right: the question text is right (normalised texts equal, or a similarity of 0.9
  or more) and the answer is right: both absent, or the F1 of the item's non-blank answer
  lines (answer and explanation spans) against the gold's non-blank answer lines is 0.9 or
  more, pure label and markup lines ("答案：", "<details>", "---") left out on both sides;
- an item at an also_line of a question already matched (a recap list, a contents entry)
  is a duplicate mention: it counts as a matched item for precision, and is listed apart;
- macro figures average the files, each counting once;
- named: the share of missed gold questions that a notice names (its line, or the range of
  lines it reports, holds the gold line or an also_line, ±1).
Per-file figures and the totals go to `--json` (default bench/results/ingest_quality.json).
`--hints FILE` is a JSON object {file name: {key: value}} of per-source layout hints.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from interview_coach.bank.types import ItemData
from interview_coach.errors import InputError
from interview_coach.ingest.lines import Kind, answer_label, classify, explanation_label, strip_bold
from interview_coach.ingest.parse import parse_lines
from interview_coach.ingest.reader import read_document

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH_DIR / "results" / "ingest_quality.json"
TEXT_SIMILAR = 0.9
ANSWER_F1 = 0.9


@dataclass
class FileScore:
    file: str
    gold: int = 0
    items: int = 0
    matched: int = 0
    fully_right: int = 0
    question_right: int = 0
    answer_right: int = 0
    missed_named: int = 0
    duplicates: int = 0  # items at an also_line of a question matched elsewhere: real, counted as matched items
    error: str | None = None
    missed: list[dict[str, Any]] = field(default_factory=list)
    extra: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return (self.matched + self.duplicates) / self.items if self.items else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0


_MARKUP = re.compile(r"^(?:</?[a-zA-Z][^>]*>\s*)+$|^[^\w\u3400-\u9fff]*$")  # tags only, or no word at all
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", strip_bold(text or "")).lower()
    return _PUNCT.sub("", text)


def same_text(a: str, b: str) -> bool:
    na, nb = normalise(a), normalise(b)
    if na == nb:
        return True
    return bool(na and nb) and SequenceMatcher(None, na, nb, autojunk=False).ratio() >= TEXT_SIMILAR


def _content_lines(lines: list[Any], spans: list[tuple[int | None, int | None]]) -> set[int]:
    """1-based lines inside the spans that carry text: not blank, not a pure label, not markup."""
    out: set[int] = set()
    for start, end in spans:
        if start is None or end is None:
            continue
        for no in range(start, end + 1):
            if not 1 <= no <= len(lines):
                continue
            ln = lines[no - 1]
            if ln.blank or ln.kind is Kind.SEPARATOR or _MARKUP.match(ln.text):
                continue
            if answer_label(ln) == "" or explanation_label(ln) == "":
                continue
            out.add(no)
    return out


def answer_right(lines: list[Any], item: ItemData, gold: dict[str, Any]) -> bool:
    spans = [(item.answer_line_start, item.answer_line_end), (item.explanation_line_start, item.explanation_line_end)]
    got = _content_lines(lines, spans) if item.answer or item.explanation else set()
    want = _content_lines(lines, [(gold.get("answer_start"), gold.get("answer_end"))])
    if not got and not want:
        return True
    if not got or not want:
        return False
    tp = len(got & want)
    f1 = 2 * tp / (len(got) + len(want))
    return f1 >= ANSWER_F1


def _gold_path(gold_dir: Path, bank: Path) -> Path | None:
    for name in (bank.name + ".jsonl", bank.stem + ".jsonl"):
        if (gold_dir / name).is_file():
            return gold_dir / name
    return None


def _lines_of(row: dict[str, Any]) -> set[int]:
    return {int(row["line"]), *(int(x) for x in row.get("also_lines") or [])}


def match(items: list[ItemData], gold: list[dict[str, Any]]) -> list[tuple[ItemData, dict[str, Any]]]:
    """One-to-one: the gold question's own line first, then its also_lines, then either ±1,
    then normalised text."""
    pairs: list[tuple[ItemData, dict[str, Any]]] = []
    free_items = list(items)
    free_gold = list(gold)

    def item_lines(it: ItemData) -> list[int]:
        return [it.question_line] + ([it.listed_line] if it.listed_line is not None else [])

    for slack, own_only in ((0, True), (0, False), (1, True), (1, False)):
        for row in list(free_gold):
            near = {int(row["line"])} if own_only else _lines_of(row)
            hit = next((it for it in free_items if any(abs(x - n) <= slack for x in item_lines(it) for n in near)), None)
            if hit is not None:
                pairs.append((hit, row))
                free_items.remove(hit)
                free_gold.remove(row)
    for row in list(free_gold):
        key = normalise(row.get("question", ""))
        hit = next((it for it in free_items if key and normalise(it.question) == key), None)
        if hit is not None:
            pairs.append((hit, row))
            free_items.remove(hit)
            free_gold.remove(row)
    return pairs


def score_file(path: Path, gold: list[dict[str, Any]], hints: dict[str, str] | None) -> FileScore:
    fs = FileScore(path.name, gold=len(gold))
    try:
        doc = read_document(path)
    except InputError as e:
        fs.error = str(e)
        return fs
    try:
        result = parse_lines(doc.lines, hints=hints) if hints else parse_lines(doc.lines)
    except Exception as e:  # a parser crash is a finding: the file counts as all missed
        fs.error = f"parser crashed: {type(e).__name__}: {e}"
        fs.missed = [{"line": row["line"], "kind": row.get("kind"), "named": False,
                      "question": row.get("question", "")[:120]} for row in gold]
        return fs
    lines = classify(doc.lines)
    items = result.items
    fs.items = len(items)
    pairs = match(items, gold)
    fs.matched = len(pairs)
    for it, row in pairs:
        q_ok = same_text(it.question, row.get("question", "")) or any(
            same_text(t, row.get("question", "")) for t in it.translations.values())
        a_ok = answer_right(lines, it, row)
        fs.question_right += q_ok
        fs.answer_right += a_ok
        fs.fully_right += q_ok and a_ok
        if not (q_ok and a_ok):
            fs.wrong.append({"line": row["line"], "question_ok": q_ok, "answer_ok": a_ok, "question": it.question[:120],
                             "gold_question": row.get("question", "")[:120],
                             "answer": [it.answer_line_start, it.answer_line_end],
                             "explanation": [it.explanation_line_start, it.explanation_line_end],
                             "gold_answer": [row.get("answer_start"), row.get("answer_end")]})
    matched_items = {id(it) for it, _ in pairs}
    gold_lines = {n for row in gold for n in _lines_of(row)}
    for it in items:  # a second mention of a judged question (a recap list, a contents entry)
        if id(it) not in matched_items and any(abs(it.question_line - n) <= 1 for n in gold_lines):
            matched_items.add(id(it))
            fs.duplicates += 1
    matched_rows = {id(row) for _, row in pairs}
    spans = [(n.line, getattr(n, "end", None) or n.line) for n in result.notices]  # older parsers: no ranges
    for row in gold:
        if id(row) in matched_rows:
            continue
        named = any(first - 1 <= g <= last + 1 for first, last in spans for g in _lines_of(row))
        fs.missed_named += named
        fs.missed.append({"line": row["line"], "kind": row.get("kind"), "named": named,
                          "question": row.get("question", "")[:120]})
    fs.extra = [{"line": it.question_line, "question": it.question[:120], "shape": it.shape}
                for it in items if id(it) not in matched_items]
    return fs


def totals(scores: list[FileScore]) -> dict[str, Any]:
    gold = sum(s.gold for s in scores)
    items = sum(s.items for s in scores)
    matched = sum(s.matched for s in scores)
    duplicates = sum(s.duplicates for s in scores)
    missed = gold - matched
    scored = [s for s in scores if s.gold]
    named = sum(s.missed_named for s in scores)
    return {
        "files": len(scores), "gold": gold, "items": items, "matched": matched,
        "duplicates": duplicates,
        "precision": round((matched + duplicates) / items, 4) if items else None,
        "recall": round(matched / gold, 4) if gold else None,
        "fully_right": round(sum(s.fully_right for s in scores) / gold, 4) if gold else None,
        "question_right": round(sum(s.question_right for s in scores) / gold, 4) if gold else None,
        "answer_right": round(sum(s.answer_right for s in scores) / gold, 4) if gold else None,
        "missed": missed, "missed_named": named,
        "named_share": round(named / missed, 4) if missed else 1.0,
        "macro": {  # each file counts once, whatever its size
            "precision": round(sum(s.precision for s in scored) / len(scored), 4) if scored else None,
            "recall": round(sum(s.recall for s in scored) / len(scored), 4) if scored else None,
            "fully_right": round(sum(s.fully_right / s.gold for s in scored) / len(scored), 4) if scored else None,
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--banks", type=Path, required=True)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--json", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--hints", type=Path, help="JSON {file name: {key: value}} of layout hints")
    ap.add_argument("--show", type=int, default=0, help="print up to N misses, extras and wrong items per file")
    args = ap.parse_args(argv)
    hints = json.loads(args.hints.read_text(encoding="utf-8")) if args.hints else {}
    scores = []
    for path in sorted(p for p in args.banks.iterdir() if p.is_file()):
        gpath = _gold_path(args.gold, path)
        if gpath is None:
            print(f"  (no gold for {path.name}: skipped)", file=sys.stderr)
            continue
        gold = [json.loads(x) for x in gpath.read_text(encoding="utf-8").splitlines() if x.strip()]
        scores.append(score_file(path, gold, hints.get(path.name)))
    print(f"{'file':44} {'gold':>5} {'items':>5} {'prec':>6} {'recall':>6} {'full':>6} {'named':>7}")
    for s in scores:
        miss = s.gold - s.matched
        print(f"{s.file[:44]:44} {s.gold:5} {s.items:5} {s.precision:6.3f} {s.recall:6.3f} "
              f"{s.fully_right / s.gold if s.gold else 1:6.3f} {s.missed_named:3}/{miss:<3}" + (f" {s.error}" if s.error else ""))
        for what in ("missed", "extra", "wrong"):
            for row in getattr(s, what)[:args.show]:
                print(f"      {what:6} {json.dumps(row, ensure_ascii=False)[:220]}")
    tot = totals(scores)
    print("total:", json.dumps(tot, ensure_ascii=False))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"totals": tot, "files": [
        {**asdict(s), "precision": round(s.precision, 4), "recall": round(s.recall, 4)} for s in scores]},
        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
