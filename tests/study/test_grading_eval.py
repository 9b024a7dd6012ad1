"""The grading evaluation of the issue ("done means"), on cases built from the shared seeds.

Cases (specified in tests/data/grading_cases.json; every text is built here at run time from
../shared/seeds through the real parser, gold rows matched by question line):

(a) correct   — 000's short simplified answer graded against 002's long traditional answer to
                the same question (gold translation groups), and the reverse; the candidate's
                own answer is never among the references. The seeds hold no English answer
                (001 is unanswered), so there is no English correct case.
(b) truncated — a reference answer's own sentences in the other script (OpenCC), cut to
                25/50/75/100% of its sentences: completeness ground truth.
(c) wrong     — per correct case, the answer (same file, same style) of the most similar *other*
                question by USE cosine of the question texts; and a random other answer.
(d) junk      — empty, whitespace, gibberish, the question echoed, the reference's own
                keywords as a bare list, "I don't know".

The grader is built the way `bank_grading.BankGrader` builds it — its models (read off a
BankGrader over an empty bank, so this follows the engine), `reference_of` for each canonical
question (one per gold translation group, else per gold row), every other canonical question
as the comparison set and the graded one excluded by index — without a database.

Targets: AUC(correct vs random other answers) >= 0.97, AUC(correct vs the nearest question's
answer) >= 0.9 (see grading_cases.json: since issue 14 the grade is bank-independent and the
nearest question often shares points), Spearman(score, completeness) >= 0.85, no junk above 10.
Figures are printed (`-s`) and recorded as junit properties; a miss lists the cases behind it.

Printed, not asserted: the same correct and neighbouring-question cases graded with the
candidate's source file left out of the comparison set ("unseen source"). As specified above a
neighbouring-question answer is another question's reference verbatim, so the engine can find
it in the bank; a person's own wording of a wrong answer would not be there.
"""

from __future__ import annotations

import functools
import json
import math
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from interview_coach.bank.store import QuestionView, Store
from interview_coach.bank.types import Item
from interview_coach.ingest.parse import parse_lines
from interview_coach.ingest.reader import read_document
from interview_coach.providers import registry
from interview_coach.search.tokenize import tokens
from interview_coach.study.bank_grading import BankGrader, reference_of
from interview_coach.study.grading import Embedder, Grade, Grader, Reference
from interview_coach.text.script import to_simplified, to_traditional

DATA = Path(__file__).resolve().parents[1] / "data" / "grading_cases.json"
REPO = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
TARGETS = SPEC["targets"]


# -- metrics ----------------------------------------------------------------------------------
def auc(positives: list[float], negatives: list[float]) -> float:
    """P(random positive scores above random negative), ties counting one half."""
    assert positives and negatives
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def ranks(values: list[float]) -> np.ndarray:
    """1-based ranks, ties sharing their average rank."""
    x = np.asarray(values, dtype=float)
    order = np.argsort(x, kind="mergesort")
    out = np.empty(len(x))
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and x[order[j + 1]] == x[order[i]]:
            j += 1
        out[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: list[float], b: list[float]) -> float:
    ra, rb = ranks(a), ranks(b)
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def test_metrics_are_right() -> None:
    assert auc([3, 4], [1, 2]) == 1.0
    assert auc([1], [1]) == 0.5
    assert auc([1, 3], [2]) == 0.5
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert list(ranks([5, 1, 5, 2])) == [3.5, 1.0, 3.5, 2.0]


# -- sentences for truncation (the test's own splitter, independent of the engine's) -----------
_SENT_END = re.compile(r".+?(?:[。！？；!?]|\.(?=\s|$)|$)")
_CONTENT = re.compile(r"[\u3400-\u9fff]|[A-Za-z]+")


def _content(text: str) -> int:
    return sum(1 if len(m.group(0)) == 1 and not m.group(0).isascii() else 2 for m in _CONTENT.finditer(text))


def sentence_ends(text: str, min_weight: int) -> list[int]:
    """End offsets of the sentences of `text` that carry content (labels and headings merge
    into the sentence after them, since the cut is made only after a content sentence)."""
    ends = []
    for line in re.finditer(r"[^\n]+", text):
        for s in _SENT_END.finditer(line.group(0)):
            if _content(s.group(0)) >= min_weight:
                ends.append(line.start() + s.end())
    return ends


def truncate(text: str, fraction: float, min_weight: int) -> tuple[str, float]:
    ends = sentence_ends(text, min_weight)
    k = max(1, round(fraction * len(ends)))
    return text[:ends[k - 1]].rstrip(), k / len(ends)


# -- the seeds, parsed --------------------------------------------------------------------------
@dataclass
class Seeds:
    rows: dict[str, dict[str, Any]]  # gold id -> gold row
    items: dict[str, Item]  # gold id -> parsed item (as a bank item)
    cluster: dict[str, str]  # gold id -> canonical question id (gold translation group or itself)
    members: dict[str, list[str]] = field(default_factory=dict)


def _as_item(parsed: Any, item_id: str, question_id: str, source: str, position: int) -> Item:
    names = {f.name for f in fields(Item)} - {"item_id", "question_id", "source", "position"}
    return Item(**{n: getattr(parsed, n) for n in names}, item_id=item_id, question_id=question_id,
                source=source, position=position)


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path, gold_rows: list[dict[str, Any]]) -> Seeds:
    gold_dir = (REPO / SPEC["gold_dir"]).resolve()
    cluster: dict[str, str] = {}
    for line in (gold_dir / "translations.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            group = json.loads(line)
            for gid in group["ids"]:
                cluster[gid] = f"g{group['cluster']}"
    rows = {r["id"]: r for r in gold_rows}
    by_doc: dict[str, dict[int, str]] = defaultdict(dict)
    for r in gold_rows:
        cluster.setdefault(r["id"], r["id"])
        by_doc[r["doc"]][r["question_line"]] = r["id"]
    items: dict[str, Item] = {}
    for path in sorted(p for p in seeds_dir.iterdir() if p.is_file()):
        doc = path.name.split("_", 1)[0]
        for pos, it in enumerate(parse_lines(read_document(path).lines).items):
            gid = by_doc[doc].get(it.question_line)
            if gid is not None:
                items[gid] = _as_item(it, gid, cluster[gid], str(path), pos)
    missing = [gid for gid in rows if gid not in items]
    assert not missing, f"the parser missed gold questions the evaluation needs: {missing[:10]}"
    unanswered = [gid for gid, r in rows.items() if r["has_answer"] and not items[gid].answer]
    assert not unanswered, f"the parser lost gold answers: {unanswered[:10]}"
    members: dict[str, list[str]] = defaultdict(list)
    for gid in rows:  # bank order: source path, position
        members[cluster[gid]].append(gid)
    return Seeds(rows, items, cluster, dict(members))


def test_pairs_are_the_gold_groups_with_both_files_answered(seeds: Seeds) -> None:
    spec = SPEC["correct"]
    derived = []
    for cid, ids in seeds.members.items():
        if not cid.startswith("g"):
            continue
        a = [i for i in ids if seeds.rows[i]["doc"] == spec["candidate_doc"] and seeds.items[i].answer]
        b = [i for i in ids if seeds.rows[i]["doc"] == spec["reference_doc"] and seeds.items[i].answer]
        if a and b:
            derived.append([a[0], b[0]])
    assert sorted(map(tuple, derived)) == sorted(map(tuple, spec["pairs"]))
    assert len(spec["pairs"]) == 36


# -- grading, mirrored from BankGrader ---------------------------------------------------------
@dataclass
class Case:
    kind: str  # correct, neighbour, random, truncated, junk
    question: str  # canonical id of the graded question
    reference: str  # gold id(s) of the reference answer
    candidate: str  # gold id of the candidate's source, or the junk template name
    grade: Grade
    direction: str = ""
    completeness: float | None = None
    note: str = ""

    def line(self) -> str:
        g = self.grade
        extra = f" completeness={self.completeness:.2f}" if self.completeness is not None else ""
        return (f"{self.kind:<9} q={self.question:<6} ref={self.reference:<7} cand={self.candidate:<18} "
                f"score={g.score:>3} relevance={g.relevance:.2f} coverage={g.coverage:.2f} "
                f"flags={','.join(g.flags) or '-'}{extra}{(' ' + self.note) if self.note else ''}")


class Eval:
    def __init__(self, seeds: Seeds, models: list[Any]) -> None:
        self.seeds = seeds
        self.embedder = Embedder(models)
        self.views = {cid: QuestionView(cid, [seeds.items[i] for i in ids]) for cid, ids in seeds.members.items()}
        self.refs = {cid: reference_of(v) for cid, v in self.views.items()}
        order = list(self.views)
        self.grader = Grader(self.embedder, [self.refs[c] for c in order])
        answered = [c for c in order if self.refs[c].answers]  # the grader keeps these, in this order
        self.index = {c: i for i, c in enumerate(answered)}
        self.use = registry.load("use")  # neighbours are chosen by USE cosine of the question texts
        self._unseen: dict[str, tuple[Grader, dict[str, int]]] = {}

    def reference(self, cid: str, answer_ids: list[str]) -> Reference:
        """The canonical question's texts, with only these items' answers as references."""
        return Reference(self.refs[cid].questions, [self.seeds.items[i].answer or "" for i in answer_ids])

    def grade(self, cid: str, answer_ids: list[str], text: str) -> Grade:
        return self.grader.grade(self.reference(cid, answer_ids), text, exclude=self.index[cid])

    def grade_unseen(self, cid: str, answer_ids: list[str], text: str, source_doc: str) -> Grade:
        """Graded as if the candidate's source file were not in the bank: no answer of `source_doc`
        in the comparison set (so a wrong answer never finds itself, verbatim, among the other
        questions' references — as a person's own wording would not)."""
        if source_doc not in self._unseen:
            order = list(self.views)
            refs = {c: Reference(self.refs[c].questions, [it.answer for it in self.views[c].items
                                                          if it.answer and self.seeds.rows[it.item_id]["doc"] != source_doc])
                    for c in order}
            grader = Grader(self.embedder, [refs[c] for c in order])
            self._unseen[source_doc] = (grader, {c: i for i, c in enumerate(c for c in order if refs[c].answers)})
        grader, index = self._unseen[source_doc]
        return grader.grade(self.reference(cid, answer_ids), text, exclude=index.get(cid))

    def rival(self, cid: str, reference: str, candidate: str) -> str:
        """Diagnosis: the answer's USE cosine with the reference it was graded against, and with
        the closest reference of a third question (neither the graded one nor the candidate's own)."""
        v = self.embedder([(self.seeds.items[candidate].answer or "")[:3000]], 0)[0]
        own = float(self.embedder([(self.seeds.items[reference].answer or "")[:3000]], 0)[0] @ v)
        skip = {cid, self.seeds.cluster[candidate]}
        best, who = -1.0, ""
        for other, ref in self.refs.items():
            if other in skip or not ref.answers:
                continue
            s = float(np.max(self.embedder([a[:3000] for a in ref.answers], 0) @ v))
            if s > best:
                best, who = s, self.seeds.members[other][0]
        return f"[USE graded-ref={own:.3f} best-third={best:.3f} ({who}: {self.seeds.items[who].question[:28]})]"


class Stopwatch:
    def __init__(self) -> None:
        self.t = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.t, 1)
        self.t = now


def _keywords(text: str, n: int) -> list[str]:
    """The reference's own most frequent terms (links and images removed)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)|https?://\S+|<[^>]+>", r" \1 ", text)
    counts = Counter(t for t in tokens(text) if len(t) >= 2 and not any(c.isdigit() for c in t))
    return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1] * min(len(kv[0]), 4), kv[0]))[:n]]


def _junk_text(template: Any, rng: random.Random, fill: dict[str, str], keywords: Callable[[int], list[str]]) -> str:
    if isinstance(template, str):
        return template.format(**fill)
    if "latin_words" in template:
        return " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
                        for _ in range(template["latin_words"]))
    if "cjk_chars" in template:
        return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(template["cjk_chars"]))
    words = keywords(template["keywords"])
    return template["sep"].join(template.get("prefix", "") + w for w in words)


@pytest.fixture(scope="module")
def ev(seeds: Seeds, tmp_path_factory: pytest.TempPathFactory) -> Eval:
    # the models BankGrader grades with, read off a BankGrader over an empty bank
    with Store.open(tmp_path_factory.mktemp("empty") / "bank.sqlite3") as store:
        models = list(BankGrader(store).embedder.models)
    assert models
    clock = Stopwatch()
    built = Eval(seeds, models)
    clock.lap("grader built")
    print(f"\n[grading eval] {clock.laps} with models {[m.model_id for m in models]}")
    return built


@pytest.fixture(scope="module")
def cases(ev: Eval) -> list[Case]:
    seeds, out = ev.seeds, []
    clock = Stopwatch()
    pairs = [tuple(p) for p in SPEC["correct"]["pairs"]]
    directions = [(a, b, "000->002") for a, b in pairs]
    if SPEC["correct"]["reverse"]:
        directions += [(b, a, "002->000") for a, b in pairs]

    # (a) correct
    for cand, ref, d in directions:
        cid = seeds.cluster[cand]
        out.append(Case("correct", cid, ref, cand, ev.grade(cid, [ref], seeds.items[cand].answer or ""), d))

    clock.lap("correct")

    # (c) neighbouring question (same file as the candidate) and a random other answer
    pools: dict[str, tuple[list[str], np.ndarray]] = {}
    for doc in {seeds.rows[c]["doc"] for c, _, _ in directions}:
        ids = [i for i, r in seeds.rows.items() if r["doc"] == doc and seeds.items[i].answer]
        pools[doc] = (ids, ev.use.embed([seeds.items[i].question for i in ids]))
    answered = [i for i in seeds.rows if seeds.items[i].answer]
    qvecs = ev.use.embed([seeds.items[i].question for i in answered])
    at = {gid: k for k, gid in enumerate(answered)}
    rng = random.Random(SPEC["neighbours"]["random_seed"])
    limit = SPEC["neighbours"]["random_max_question_cosine"]
    for cand, ref, d in directions:
        cid = seeds.cluster[cand]
        ids, vecs = pools[seeds.rows[cand]["doc"]]
        sims = vecs @ vecs[ids.index(cand)]
        k = next(int(j) for j in np.argsort(-sims) if seeds.cluster[ids[int(j)]] != cid)
        nb = ids[k]
        out.append(Case("neighbour", cid, ref, nb, ev.grade(cid, [ref], seeds.items[nb].answer or ""), d,
                        note=f"question cosine {float(sims[k]):.2f}"))
        mine = qvecs[[at[i] for i in seeds.members[cid] if i in at]]
        choices = [i for i in answered if seeds.cluster[i] != cid and float(np.max(mine @ qvecs[at[i]])) < limit]
        other = rng.choice(choices)
        out.append(Case("random", cid, ref, other, ev.grade(cid, [ref], seeds.items[other].answer or ""), d))

    clock.lap("neighbour+random")

    # the same correct and neighbouring-question cases with the candidate's source file unseen
    for c in [c for c in out if c.kind in ("correct", "neighbour")]:
        text = seeds.items[c.candidate].answer or ""
        g = ev.grade_unseen(c.question, [c.reference], text, seeds.rows[c.candidate]["doc"])
        out.append(Case(c.kind + "_unseen", c.question, c.reference, c.candidate, g, c.direction, note=c.note))
    clock.lap("unseen-source variant")

    # (b) truncated: the reference's own sentences in the other script
    spec_t = SPEC["truncated"]
    convert = {"to_simplified": to_simplified, "to_traditional": to_traditional}[spec_t["convert"]]
    for _, ref in pairs[::spec_t.get("pairs_every", 1)]:
        text = convert(seeds.items[ref].answer or "")
        if len(sentence_ends(text, spec_t["min_sentence_weight"])) < spec_t["min_sentences"]:
            continue
        cid = seeds.cluster[ref]
        for f in spec_t["fractions"]:
            part, completeness = truncate(text, f, spec_t["min_sentence_weight"])
            out.append(Case("truncated", cid, ref, f"{ref}@{f:.0%}", ev.grade(cid, [ref], part),
                            completeness=completeness))

    clock.lap("truncated")

    # (d) junk
    spec_j = SPEC["junk"]
    jrng = random.Random(spec_j["seed"])
    for n, (cand, ref) in enumerate(pairs):
        cid = seeds.cluster[ref]
        q_ref, q_cand = seeds.items[ref].question, seeds.items[cand].question
        fill = {"q_ref": q_ref, "q_cand": q_cand, "q_ref_converted": to_simplified(q_ref),
                "q_en": seeds.items[cand].translations.get("en", "")}
        templates = dict(spec_j["per_question"])
        if n % spec_j["generic_every"] == 0:
            templates.update(spec_j["generic"])
        ref_text = seeds.items[ref].answer or ""
        for name, template in templates.items():
            if "{q_en}" in str(template) and not fill["q_en"]:
                continue
            text = _junk_text(template, jrng, fill, functools.partial(_keywords, ref_text))
            out.append(Case("junk", cid, ref, name, ev.grade(cid, [ref], text), note=repr(text[:50])))
    clock.lap("junk")
    print(f"\n[grading eval] seconds per stage: {clock.laps}")
    return out


def _of(cases: list[Case], kind: str) -> list[Case]:
    return [c for c in cases if c.kind == kind]


def _scores(cs: list[Case]) -> list[float]:
    return [float(c.grade.score) for c in cs]


@pytest.fixture(scope="module")
def figures(cases: list[Case]) -> dict[str, Any]:
    correct, neighbour, rand = _of(cases, "correct"), _of(cases, "neighbour"), _of(cases, "random")
    trunc, junk = _of(cases, "truncated"), _of(cases, "junk")
    per_q: dict[str, list[Case]] = defaultdict(list)
    for c in trunc:
        per_q[c.reference].append(c)
    per_question = [spearman([c.completeness or 0 for c in cs], _scores(cs)) for cs in per_q.values()]
    q = np.percentile(_scores(correct), [25, 50, 75])
    fig = {
        "cases": {k: len(_of(cases, k)) for k in ("correct", "neighbour", "random", "truncated", "junk")},
        "auc_neighbour": auc(_scores(correct), _scores(neighbour)),
        "auc_random": auc(_scores(correct), _scores(rand)),
        "auc_neighbour_unseen_source": auc(_scores(_of(cases, "correct_unseen")), _scores(_of(cases, "neighbour_unseen"))),
        "auc_neighbour_by_direction": {
            d: auc(_scores([c for c in correct if c.direction == d]), _scores([c for c in neighbour if c.direction == d]))
            for d in sorted({c.direction for c in correct})},
        "spearman_completeness": spearman([c.completeness or 0 for c in trunc], _scores(trunc)),
        "spearman_per_question_mean": float(np.mean(per_question)),
        "mean_score_by_fraction": {
            f"{f:.0%}": float(np.mean([c.grade.score for c in trunc if c.candidate.endswith(f"@{f:.0%}")]))
            for f in SPEC["truncated"]["fractions"]},
        "junk_max": max(c.grade.score for c in junk),
        "junk_max_by_template": {name: max(c.grade.score for c in junk if c.candidate == name)
                                 for name in dict.fromkeys(c.candidate for c in junk)},
        "correct_quartiles": [float(x) for x in q],
        "correct_by_direction_median": {
            d: float(np.median(_scores([c for c in correct if c.direction == d])))
            for d in sorted({c.direction for c in correct})},
        "neighbour_quartiles": [float(x) for x in np.percentile(_scores(neighbour), [25, 50, 75])],
        "correct_unseen_source_quartiles": [float(x) for x in np.percentile(_scores(_of(cases, "correct_unseen")),
                                                                            [25, 50, 75])],
        "neighbour_unseen_source_quartiles": [float(x) for x in np.percentile(_scores(_of(cases, "neighbour_unseen")),
                                                                              [25, 50, 75])],
        "random_quartiles": [float(x) for x in np.percentile(_scores(rand), [25, 50, 75])],
    }
    print("\n[grading eval] " + json.dumps(fig, indent=1))
    q1 = fig["correct_unseen_source_quartiles"][0]
    print(_listing(f"[unseen source, printed only] neighbouring-question answers scoring >= {q1:.1f} "
                   "(the correct answers' first quartile):",
                   sorted((c for c in _of(cases, "neighbour_unseen") if c.grade.score >= q1), key=lambda c: -c.grade.score)))
    return fig


def _listing(title: str, cs: list[Case], ev: Eval | None = None, limit: int = 40) -> str:
    lines = [title]
    for c in cs[:limit]:
        rival = ""
        if ev is not None and c.kind in ("correct", "neighbour", "random"):
            rival = " " + ev.rival(c.question, c.reference, c.candidate)
        lines.append("  " + c.line() + rival)
    if len(cs) > limit:
        lines.append(f"  … and {len(cs) - limit} more")
    return "\n".join(lines)


def test_correct_beats_neighbouring_question_answers(
        cases: list[Case], figures: dict[str, Any], ev: Eval, record_property: Callable[[str, object], None]) -> None:
    record_property("auc_neighbour", round(figures["auc_neighbour"], 4))
    record_property("auc_random", round(figures["auc_random"], 4))
    record_property("correct_quartiles", figures["correct_quartiles"])
    correct, neighbour = _of(cases, "correct"), _of(cases, "neighbour")
    value = figures["auc_neighbour"]
    if value < TARGETS["auc_nearest_neighbour"]:
        top_wrong = float(np.percentile(_scores(neighbour), 90))
        low = sorted((c for c in correct if c.grade.score <= top_wrong), key=lambda c: c.grade.score)
        high = sorted((c for c in neighbour if c.grade.score >= figures["correct_quartiles"][0]),
                      key=lambda c: -c.grade.score)
        again = sorted((c for c in correct if c.grade.score < 35 and c not in low), key=lambda c: c.grade.score)
        detail = "\n".join([
            _listing(f"correct answers scoring at or below the 90th percentile of wrong ones ({top_wrong:.0f}):", low, ev),
            _listing("neighbouring-question answers scoring at or above the correct answers' first quartile:", high, ev),
            _listing("other correct answers scoring below 35 (a drill would propose Again):", again, ev),
        ])
        print("\n" + detail)
        pytest.fail(f"AUC(correct vs neighbouring-question answers) = {value:.3f} < {TARGETS['auc_nearest_neighbour']} "
                    f"(vs random other answers: {figures['auc_random']:.3f})\n{detail}")


def test_correct_beats_random_other_answers(cases: list[Case], figures: dict[str, Any], ev: Eval) -> None:
    value = figures["auc_random"]
    if value < TARGETS["auc_neighbour"]:
        high = sorted((c for c in _of(cases, "random") if c.grade.score >= figures["correct_quartiles"][0]),
                      key=lambda c: -c.grade.score)
        pytest.fail(f"AUC(correct vs random other answers) = {value:.3f} < {TARGETS['auc_neighbour']}\n"
                    + _listing("random other answers at or above the correct answers' first quartile:", high, ev))


def test_score_follows_completeness(
        cases: list[Case], figures: dict[str, Any], record_property: Callable[[str, object], None]) -> None:
    record_property("spearman_completeness", round(figures["spearman_completeness"], 4))
    trunc = _of(cases, "truncated")
    assert len(trunc) >= 4 * 15, "too few truncation cases to measure"
    value = figures["spearman_completeness"]
    if value < TARGETS["spearman_completeness"]:
        by_ref: dict[str, list[Case]] = defaultdict(list)
        for c in trunc:
            by_ref[c.reference].append(c)
        bad = [c for cs in by_ref.values() for c in cs
               if any(o.grade.score > c.grade.score and (o.completeness or 0) < (c.completeness or 0) for o in cs)]
        pytest.fail(f"Spearman(score, completeness) = {value:.3f} < {TARGETS['spearman_completeness']}\n"
                    + _listing("truncations outscored by a shorter cut of the same answer:", bad))


def test_junk_never_scores(cases: list[Case], figures: dict[str, Any],
                           record_property: Callable[[str, object], None]) -> None:
    record_property("junk_max", figures["junk_max"])
    junk = _of(cases, "junk")
    assert {c.candidate for c in junk} >= set(SPEC["junk"]["per_question"]) | set(SPEC["junk"]["generic"])
    over = sorted((c for c in junk if c.grade.score > TARGETS["junk_max"]), key=lambda c: -c.grade.score)
    if over:
        by_template = Counter(c.candidate for c in over)
        pytest.fail(f"{len(over)} of {len(junk)} junk answers score above {TARGETS['junk_max']} "
                    f"(max {figures['junk_max']}; by template: {dict(by_template)})\n"
                    + _listing("junk above the target:", over))


def test_empty_answers_score_zero(cases: list[Case]) -> None:
    for c in _of(cases, "junk"):
        if c.candidate in ("empty", "whitespace"):
            assert c.grade.score == 0, c.line()
            assert all(p.status.value == "missing" for p in c.grade.points), c.line()


def test_full_other_script_copy_scores_high(cases: list[Case]) -> None:
    """The reference itself in the other script is a complete answer."""
    full = [c for c in _of(cases, "truncated") if c.completeness == 1.0]
    assert full
    low = [c for c in full if c.grade.score < 80]
    assert not low, _listing("100% other-script copies of the reference scoring below 80:", low)
    assert not math.isnan(sum(c.grade.coverage for c in full))
