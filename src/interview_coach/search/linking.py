"""Link items that ask the same question into one canonical question.

Evidence: for two items, the best mean cosine (e5 and USE, Chinese folded to simplified)
over their variant texts. An item is linked to an item of another source when each is the
other's best match in the other's source (mutual best) and the similarity reaches the
threshold for the pair of sources. Without the mutual-best rule the best F1 on the gold
groups was 0.91 (USE) and 0.42 (e5) at any threshold: near-duplicates on one topic are
common, the same question twice in one file is not.

Two sources that translate each other (most of the smaller one's items have a mutual
best match at ALIGNED_SAME or more) use the thresholds calibrated on the 57 gold
translation groups of the sample bank (000/001/002): pairwise F1 by threshold 0.74 →
0.94, 0.76 → 0.98, 0.78–0.80 → 1.00, 0.82 → 0.99, 0.86 → 0.99, 0.90 → 0.97, so
ALIGNED_SAME = 0.79; items with no language in common (an English-only bank against its
Chinese translation: true pairs median 0.84, 7 % below 0.79; best non-pair median 0.69)
link from ALIGNED_CROSS = 0.74 (mutual-best recall 0.93 at 0.79, 0.98 at 0.74, precision
1.00, also with half of the Chinese side removed at random).

Any other two sources — different people's banks — share topics far more than questions,
and their mutual best matches are often only neighbours ("What is unsupervised learning?"
/ "supervised vs unsupervised", 0.88). On 57 real files (35 public banks, the seeds, the
sample bank and the English original of 002; 1,543 items) a helper judged every linked
cluster by hand: with 0.79 / 0.74 for every pair of sources, pairwise precision was 0.62
(59 of 152 clusters held a different question); with SAME = 0.84 and CROSS = 0.79 for
unaligned sources it is 0.89, gold F1 stays 1.00 and the English-only test keeps 56/57.
(0.86 / 0.82 gave 0.94 but dropped more true rewordings; a complete-linkage guard against
chains gained little and split gold groups, so there is none.)

Constraints: a canonical question never gets two items from one source by automatic
linking (exact duplicates aside); manual decisions (`coach link` / `coach unlink`) win
and persist across re-ingest and re-linking. Canonical ids are stable: a cluster keeps
the id most of its items already had, and anything attached to an absorbed id (reviews)
moves to the survivor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..bank.store import Store
from ..bank.sync import keys_of
from ..bank.types import Item
from ..errors import StoreError
from ..text.lang import cjk_count
from ..text.normalize import similarity
from .engine import SearchEngine
from .index import open_index

SAME, CROSS = 0.84, 0.79  # two banks of different people: shared / no shared language (see above)
ALIGNED_SAME, ALIGNED_CROSS = 0.79, 0.74  # two sources that translate each other
ALIGNED_MIN, ALIGNED_SHARE = 5, 0.5  # mutual best pairs at ALIGNED_SAME that make two sources aligned
SURE = 0.86  # above this, meaning alone decides
WORDING_MIN = 0.3  # bigram overlap two same-language texts need below SURE
RELATED = 0.70  # same topic, not the same question (USE non-pairs rarely exceed 0.70)
NEIGHBOURS = 24


@dataclass(frozen=True, slots=True)
class LinkReport:
    items: int
    questions_before: int
    questions_after: int
    auto_links: int
    merged: int
    split: int


class _Clusters:
    def __init__(self, items: list[str], source_of: dict[str, str]) -> None:
        self.parent = {i: i for i in items}
        self.members = {i: {i} for i in items}
        self.sources = {i: {source_of[i]} for i in items}
        self.cannot: dict[str, set[str]] = defaultdict(set)

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, *, check_sources: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if any(m in self.cannot for m in self.members[ra]) and any(
                self.cannot[m] & self.members[rb] for m in self.members[ra]):
            return False
        if check_sources and self.sources[ra] & self.sources[rb]:
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        self.sources[ra] |= self.sources.pop(rb)
        return True


def item_pairs(engine: SearchEngine) -> dict[tuple[str, str], float]:
    """Best variant similarity for item pairs that are near neighbours, from different sources."""
    c = engine.corpus
    vecs = engine.link_vectors()
    if not len(vecs):
        return {}
    index = open_index(vecs, None, c.fingerprint)
    rows, sims = index.search_many(vecs, NEIGHBOURS + 1)
    best: dict[tuple[str, str], float] = {}
    for a in range(len(vecs)):
        ia = c.item_ids[a]
        for b, s in zip(rows[a], sims[a], strict=True):
            if not np.isfinite(s) or not 0 <= b < len(vecs):
                continue  # HNSW pads short result lists
            ib = c.item_ids[int(b)]
            if ib == ia or c.sources[int(b)] == c.sources[a]:
                continue
            pair = (ia, ib) if ia < ib else (ib, ia)
            if s > best.get(pair, -1.0):
                best[pair] = float(s)
    return best


def _mutual(pairs: dict[tuple[str, str], float], source_of: dict[str, str]) -> list[tuple[float, str, str]]:
    """Pairs that are each other's best match in the other's source, at any similarity."""
    top: dict[tuple[str, str], tuple[float, str]] = {}  # (item, other source) -> (sim, other item)
    for (a, b), s in pairs.items():
        for x, y in ((a, b), (b, a)):
            k = (x, source_of[y])
            if s > top.get(k, (-1.0, ""))[0]:
                top[k] = (s, y)
    return [(s, a, b) for (a, b), s in pairs.items()
            if top[(a, source_of[b])][1] == b and top[(b, source_of[a])][1] == a]


def mutual_best(pairs: dict[tuple[str, str], float], source_of: dict[str, str],
                languages: dict[str, frozenset[str]] | None = None) -> list[tuple[float, str, str]]:
    """Pairs that are each other's best match in the other's source, at or above the
    threshold for their kind: SAME, or CROSS when `languages` says the two items share no
    language; lower (ALIGNED_SAME / ALIGNED_CROSS) between two sources that translate each
    other (at least half of the smaller one's items have a mutual best match at ALIGNED_SAME)."""
    languages = languages or {}
    mutual = _mutual(pairs, source_of)
    size: dict[str, int] = defaultdict(int)
    for src in source_of.values():
        size[src] += 1
    matched: dict[frozenset[str], int] = defaultdict(int)
    for s, a, b in mutual:
        if s >= ALIGNED_SAME:
            matched[frozenset((source_of[a], source_of[b]))] += 1
    out = []
    for s, a, b in mutual:
        pair = frozenset((source_of[a], source_of[b]))
        aligned = matched[pair] >= max(ALIGNED_MIN, ALIGNED_SHARE * min(size[x] for x in pair))
        la, lb = languages.get(a), languages.get(b)
        cross = bool(la and lb and not la & lb)
        threshold = (ALIGNED_CROSS if cross else ALIGNED_SAME) if aligned else (CROSS if cross else SAME)
        if s >= threshold:
            out.append((s, a, b))
    return sorted(out, reverse=True)


def _by_language(question: str, translations: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for text in {question, *translations.values()}:
        out.setdefault("zh" if cjk_count(text) >= 2 else "en", []).append(text)
    return out


def plausible(sim: float, qa: str, ta: dict[str, str], qb: str, tb: dict[str, str]) -> bool:
    """Below SURE, two texts in the same language must also share some wording.

    Among links between 0.79 and 0.86 on the sample banks, different questions on one
    topic ("parallel training" vs "curriculum learning", "evaluate multimodal models" vs
    "evaluate LLMs") shared at most 0.29 of their character bigrams, true rewordings at
    least 0.30; every gold pair below that overlap had a similarity above SURE.
    """
    if sim >= SURE:
        return True
    a, b = _by_language(qa, ta), _by_language(qb, tb)
    shared = [similarity(x, y) for lang in a.keys() & b.keys() for x in a[lang] for y in b[lang]]
    return not shared or max(shared) >= WORDING_MIN


ATTEMPTS = 4  # linking again when the bank changed while the links were computed


def relink(store: Store, build: Callable[[], SearchEngine]) -> LinkReport:
    """Recompute the canonical questions of the whole bank.

    The expensive part (embedding, neighbour search) runs outside any write lock; the result
    is written only if the bank's content did not change meanwhile (another ingest, a manual
    decision, another linker), else everything is computed again from the new content. Writes
    take the linkers' lock, so two linkers never interleave. While linking has not completed,
    the bank says so (`Store.link_pending`)."""
    for _ in range(ATTEMPTS):
        version = store.content_version()
        engine = build()
        with store.reading():
            items, decisions = store.items(), store.link_decisions()
        if set(engine.corpus.item_ids) != {it.item_id for it in items}:
            continue  # the engine was built from other items than the bank now holds
        clusters, auto = _cluster(items, decisions, engine)
        groups: dict[str, list[str]] = defaultdict(list)
        for it in items:
            groups[clusters.find(it.item_id)].append(it.item_id)
        old_q = {it.item_id: it.question_id for it in items}
        with store.writing(lock="link"):
            if store.content_version() != version:
                continue
            before, after, merged = store.assign_links(list(groups.values()), old_q)
        split = after - (before - merged)
        return LinkReport(len(old_q), before, after, auto, merged, max(split, 0))
    raise StoreError("the bank kept changing while linking (other imports are running); "
                     "it will be linked by the next command that needs it (or run `coach relink`)")


def _cluster(items: list[Item], decisions: list[tuple[str, str, str]],
             engine: SearchEngine) -> tuple[_Clusters, int]:
    source_of = {it.item_id: it.source for it in items}
    clusters = _Clusters([it.item_id for it in items], source_of)
    for a, b, d in decisions:
        if d == "different" and a in source_of and b in source_of:
            clusters.cannot[a].add(b)
            clusters.cannot[b].add(a)
    for a, b, d in decisions:
        if d == "same" and a in source_of and b in source_of:
            clusters.union(a, b, check_sources=False)
    by_key: dict[str, str] = {}
    for it in items:  # identical text (after folding) is the same question
        for k in keys_of(it):
            if k in by_key:
                clusters.union(by_key[k], it.item_id, check_sources=False)
            else:
                by_key[k] = it.item_id
    by_id = {it.item_id: it for it in items}
    languages = {it.item_id: frozenset(_by_language(it.question, it.translations)) for it in items}
    links = [(s, a, b) for s, a, b in mutual_best(item_pairs(engine), source_of, languages)
             if plausible(s, by_id[a].question, by_id[a].translations, by_id[b].question, by_id[b].translations)]
    auto = sum(clusters.union(a, b, check_sources=True) for _, a, b in links)
    return clusters, auto


def decide(store: Store, a: str, b: str | None, decision: str) -> list[tuple[str, str]]:
    """Record a manual decision. `unlink` (b None) separates `a` from every item now with it."""
    it = store.item(a)
    others = [b] if b is not None else [x.item_id for x in store.question(it.question_id).items if x.item_id != a]
    if b is not None:
        store.item(b)
    rows = [((a, o) if a < o else (o, a)) for o in others]
    store.decide_links(rows, decision)
    return rows


def suggestions(store: Store, engine: SearchEngine, limit: int = 20) -> list[tuple[float, str, str]]:
    """Pairs of items that may ask the same question but were not linked: mutual best
    matches from ALIGNED_CROSS up, in different canonical questions, not declared
    different. Best first; `coach link A B` accepts one."""
    items = {it.item_id: it for it in store.items()}
    source_of = {i: it.source for i, it in items.items()}
    refused = {frozenset((a, b)) for a, b, d in store.link_decisions() if d == "different"}
    out = [(s, a, b) for s, a, b in _mutual(item_pairs(engine), source_of)
           if s >= ALIGNED_CROSS and items[a].question_id != items[b].question_id and frozenset((a, b)) not in refused]
    return sorted(out, reverse=True)[:limit]


def related(engine: SearchEngine, question_id: str, k: int = 10) -> list[tuple[str, float, str]]:
    """Other canonical questions on the same narrow topic: (question id, similarity, text)."""
    c = engine.corpus
    vecs = engine.link_vectors()
    mine = [i for i, q in enumerate(c.question_ids) if q == question_id]
    if not mine or not len(vecs):
        return []
    sims = vecs @ vecs[mine].T
    best = sims.max(axis=1)
    out: dict[str, tuple[float, str]] = {}
    for r in np.argsort(-best):
        q = c.question_ids[int(r)]
        s = float(best[r])
        if s < RELATED:
            break
        if q != question_id and q not in out:
            out[q] = (s, c.texts[int(r)])
            if len(out) >= k:
                break
    return [(q, s, t) for q, (s, t) in out.items()]
