"""The parser against the hand-checked gold parse of the five shared seed documents.

Items are matched to gold rows by question line. The measured figures are printed
(run with `-s`) and recorded as junit properties.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from interview_coach.bank.store import Store
from interview_coach.bank.types import ItemData
from interview_coach.export.jsonl import lines
from interview_coach.ingest.parse import parse_lines
from interview_coach.ingest.pipeline import ingest_paths
from interview_coach.ingest.reader import read_document


@dataclass
class Measure:
    ok: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, good: bool, what: str) -> None:
        self.total += 1
        self.ok += good
        if not good:
            self.misses.append(what)

    @property
    def rate(self) -> float:
        return self.ok / self.total if self.total else 0.0


@dataclass
class GoldRun:
    docs: dict[str, list[ItemData]]
    gold: dict[str, list[dict[str, Any]]]
    pairs: list[tuple[dict[str, Any], ItemData]]  # matched by question line
    extra: list[tuple[str, ItemData]]  # parsed, not in gold
    missed: list[dict[str, Any]]  # in gold, not parsed


@pytest.fixture(scope="module")
def run(seeds_dir: Path, gold_rows: list[dict[str, Any]]) -> GoldRun:
    gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in gold_rows:
        gold[row["doc"]].append(row)
    docs: dict[str, list[ItemData]] = {}
    pairs, extra, missed = [], [], []
    for path in sorted(p for p in seeds_dir.iterdir() if p.is_file()):
        doc = path.name.split("_", 1)[0]
        items = parse_lines(read_document(path).lines).items
        docs[doc] = items
        by_line = {it.question_line: it for it in items}
        rows = {row["question_line"]: row for row in gold.get(doc, [])}
        pairs += [(rows[n], by_line[n]) for n in sorted(rows.keys() & by_line.keys())]
        extra += [(doc, by_line[n]) for n in sorted(by_line.keys() - rows.keys())]
        missed += [rows[n] for n in sorted(rows.keys() - by_line.keys())]
    return GoldRun(docs, dict(gold), pairs, extra, missed)


def _report(record_property: Callable[[str, object], None], name: str, m: Measure, floor: float) -> None:
    record_property(name, round(m.rate, 4))
    print(f"\n[gold] {name}: {m.ok}/{m.total} = {m.rate:.2%} (floor {floor:.0%})")
    for miss in m.misses[:15]:
        print(f"    miss {miss}")
    assert m.total > 0, f"{name}: nothing to measure"
    assert m.rate >= floor, f"{name} {m.rate:.2%} < {floor:.0%}; first misses: {m.misses[:10]}"


def _where(row: dict[str, Any]) -> str:
    return f"{row['id']} (line {row['question_line']})"


def test_every_seed_document_has_gold(run: GoldRun) -> None:
    assert sorted(run.docs) == sorted(run.gold)


def test_question_precision_and_recall(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    tp = len(run.pairs)
    precision = tp / (tp + len(run.extra)) if tp + len(run.extra) else 0.0
    recall = tp / (tp + len(run.missed)) if tp + len(run.missed) else 0.0
    record_property("question_precision", round(precision, 4))
    record_property("question_recall", round(recall, 4))
    print(f"\n[gold] questions: {tp} matched, {len(run.extra)} extra, {len(run.missed)} missed; "
          f"precision {precision:.2%}, recall {recall:.2%}")
    for doc, it in run.extra[:10]:
        print(f"    extra {doc}:{it.question_line} {it.question[:60]}")
    for row in run.missed[:10]:
        print(f"    missed {_where(row)} {row['question'][:60]}")
    assert precision >= 0.99
    assert recall >= 0.99


def test_question_counts_per_document(run: GoldRun) -> None:
    counts = {doc: len(items) for doc, items in run.docs.items()}
    expected = {doc: len(rows) for doc, rows in run.gold.items()}
    print(f"\n[gold] items per document: {counts} (gold {expected})")
    for doc in expected:
        assert abs(counts[doc] - expected[doc]) <= max(1, expected[doc] // 100), doc


def test_answer_spans(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    m = Measure()
    for row, it in run.pairs:
        if row["has_answer"]:
            got = (it.answer_line_start, it.answer_line_end)
            want = (row["answer_first_line"], row["answer_last_line"])
            m.add(got == want, f"{_where(row)}: {got} != {want}")
    _report(record_property, "answer_span_exact", m, 0.97)


def test_no_answer_invented(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    m = Measure()
    for row, it in run.pairs:
        if not row["has_answer"]:
            m.add(it.answer is None, f"{_where(row)}: answer at {it.answer_line_start}-{it.answer_line_end}")
    _report(record_property, "unanswered_stay_unanswered", m, 0.95)


def test_lang(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    m = Measure()
    for row, it in run.pairs:
        m.add(it.lang == row["lang"], f"{_where(row)}: {it.lang} != {row['lang']}")
    _report(record_property, "lang", m, 0.98)


def test_section(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    m = Measure()
    for row, it in run.pairs:
        m.add(it.section == row["section"], f"{_where(row)}: {it.section!r} != {row['section']!r}")
    _report(record_property, "section", m, 0.95)


def test_number(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    m = Measure()
    for row, it in run.pairs:
        m.add(it.number == row["number"], f"{_where(row)}: {it.number!r} != {row['number']!r}")
    _report(record_property, "number", m, 0.95)


def test_question_text(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    m = Measure()
    for row, it in run.pairs:
        m.add(it.question == row["question"], f"{_where(row)}: {it.question[:40]!r} != {row['question'][:40]!r}")
    _report(record_property, "question_text", m, 0.95)


def test_explanation_spans(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    m = Measure()
    for row, it in run.pairs:
        got = (it.explanation_line_start, it.explanation_line_end)
        want = (row.get("explanation_first_line"), row.get("explanation_last_line"))
        m.add(got == want, f"{_where(row)}: {got} != {want}")
    explained = sum(1 for row, _ in run.pairs if row.get("has_explanation"))
    assert explained > 0, "the gold has explanations; none were matched"
    _report(record_property, "explanation_span", m, 0.95)


def test_images(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    m = Measure()
    for row, it in run.pairs:
        want = row.get("images") or []
        m.add(sorted(it.images) == sorted(want), f"{_where(row)}: {it.images} != {want}")
    assert any(row.get("images") for row, _ in run.pairs), "the gold references images; none were matched"
    _report(record_property, "images", m, 0.95)


def test_listed_line(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    m = Measure()
    for row, it in run.pairs:
        want = row.get("also_listed_at_line")
        m.add(it.listed_line == want, f"{_where(row)}: {it.listed_line} != {want}")
    assert any(row.get("also_listed_at_line") for row, _ in run.pairs)
    _report(record_property, "listed_line", m, 0.95)


def test_bilingual_translations(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    """Bilingual documents: both language lines of the gold question are the item's translations."""
    m = Measure()
    for row, it in run.pairs:
        if row.get("question_en") and row.get("question_zh"):
            values = set(it.translations.values())
            m.add(row["question_en"] in values and row["question_zh"] in values,
                  f"{_where(row)}: {it.translations}")
    _report(record_property, "translations", m, 0.95)


def test_titles(run: GoldRun, record_property: Callable[[str, object], None]) -> None:
    m = Measure()
    for row, it in run.pairs:
        if row.get("title"):
            m.add(it.title == row["title"], f"{_where(row)}: {it.title!r} != {row['title']!r}")
    _report(record_property, "title", m, 0.95)


def test_item_extent_covers_answer_and_explanation(run: GoldRun) -> None:
    """line_start..line_end runs from the question line to the last answer/explanation line."""
    bad = []
    for row, it in run.pairs:
        ends = [e for e in (it.answer_line_end, it.explanation_line_end) if e is not None]
        want_end = max(ends) if ends else None
        if it.line_start != row["question_line"] or (want_end is not None and it.line_end != want_end):
            bad.append(f"{_where(row)}: {it.line_start}-{it.line_end}")
    assert bad == []


def test_gold_survives_the_bank(seeds_dir: Path, gold_rows: list[dict[str, Any]], tmp_path: Path,
                                record_property: Callable[[str, object], None]) -> None:
    """Ingest the seeds into a real bank and export JSONL: spans and texts still match the gold."""
    with Store.open(tmp_path / "gold.sqlite3") as store:
        report = ingest_paths(store, [seeds_dir])
        assert report.ok, [f.error for f in report.files if not f.ok]
        records = [json.loads(line) for line in lines(store.items())]
    by_key = {(Path(r["source"]).name.split("_", 1)[0], r["line_start"]): r for r in records}
    assert len(records) == len(gold_rows)
    m = Measure()
    for row in gold_rows:
        r = by_key.get((row["doc"], row["question_line"]))
        if r is None:
            m.add(False, f"{_where(row)}: not exported")
            continue
        want = (row["answer_first_line"], row["answer_last_line"]) if row["has_answer"] else (None, None)
        good = ((r["answer_line_start"], r["answer_line_end"]) == want and r["question"] == row["question"]
                and r["lang"] == row["lang"] and r["section"] == row["section"] and r["number"] == row["number"])
        m.add(good, f"{_where(row)}: {r['answer_line_start']}-{r['answer_line_end']} {r['question'][:30]!r}")
    _report(record_property, "bank_round_trip", m, 0.97)
