"""Hybrid search over the real seed bank: cross-lingual retrieval measured against the gold
translation groups, and the properties every result list must have."""

from __future__ import annotations

import pytest

from interview_coach.search.engine import SearchEngine, model_names
from interview_coach.text.script import to_simplified

from .conftest import SeedBank, doc_prefix

MIN_RATE = 0.95


def _twins(bank: SeedBank) -> list[tuple[dict[str, str], str, str]]:
    """(001 gold record, target 002 item id, its question id) for every group holding both."""
    out = []
    for g in bank.groups:
        src = [i for i in g if i.startswith("001-")]
        dst = [i for i in g if i.startswith("002-")]
        if src and dst:
            target = bank.item_of(dst[0])
            out.append((bank.gold[src[0]], target.item_id, target.question_id))
    return out


def _rate(bank: SeedBank, field: str, *, item_level: bool) -> tuple[float, list[str]]:
    twins = _twins(bank)
    assert len(twins) >= 50
    target_source = bank.item_of(next(i for g in bank.groups for i in g if i.startswith("002-"))).source
    hits_ok, misses = 0, []
    for record, item_id, question_id in twins:
        query = record[field]
        if item_level:  # only traditional items of 002: the best one must be the twin itself
            hits = bank.engine.search(query, k=3, lang="zh-Hant", source=target_source)
            ok = bool(hits) and hits[0].item_id == item_id
        else:  # every traditional item of the bank: the first hit must be the twin's question
            hits = bank.engine.search(query, k=3, lang="zh-Hant")
            ok = bool(hits) and hits[0].question_id == question_id
        hits_ok += ok
        if not ok:
            misses.append(f"{query[:50]!r} -> {hits[0].text[:40] if hits else None!r}")
    return hits_ok / len(twins), misses


@pytest.mark.parametrize("item_level", [False, True], ids=["question", "item"])
@pytest.mark.parametrize("field", ["question_en", "question_zh"], ids=["english", "simplified"])
def test_each_question_of_001_finds_its_traditional_twin_of_002(seed_bank: SeedBank, field: str,
                                                               item_level: bool) -> None:
    rate, misses = _rate(seed_bank, field, item_level=item_level)
    print(f"\n{field} of 001 -> zh-Hant twin of 002 at rank 1 ({'item' if item_level else 'question'} level): "
          f"{rate:.3f}; misses: {misses}")
    assert rate >= MIN_RATE, misses


def test_one_question_in_three_scripts_finds_the_same_canonical_question(seed_bank: SeedBank) -> None:
    queries = [
        "How does gradient clipping help to stabilise the training of generative models?",
        "梯度裁剪如何帮助稳定生成模型的训练？",
        "梯度裁剪如何幫助穩定生成模型的訓練？",
    ]
    gid = next(g["id"] for g in seed_bank.gold.values()
               if g["doc"] == "001" and "gradient clipping" in g["question"].lower())
    target = seed_bank.item_of(gid).question_id
    for query in queries:
        hits = seed_bank.engine.search(query, k=5)
        assert hits and hits[0].question_id == target, (query, [h.text for h in hits])


def test_results_are_ranked_unique_questions_within_k(seed_bank: SeedBank) -> None:
    for query, k in [("attention mechanism in transformers", 7), ("模型评估指标", 12), ("過擬合", 3)]:
        hits = seed_bank.engine.search(query, k=k)
        assert 0 < len(hits) <= k
        assert len({h.question_id for h in hits}) == len(hits), "one hit per canonical question"
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True)
        assert all(-1.0 <= h.similarity <= 1.0 + 1e-6 for h in hits)
        assert seed_bank.engine.search(query, k=k) == hits, "the same query gives the same hits"


def test_language_and_source_filters_hold_for_every_hit(seed_bank: SeedBank) -> None:
    for lang in ("en", "zh-Hans", "zh-Hant"):
        hits = seed_bank.engine.search("how to reduce hallucination", k=10, lang=lang)
        assert hits and all(h.lang == lang for h in hits)
    source = next(iter(seed_bank.items.values())).source
    name = source.rsplit("/", 1)[-1]
    hits = seed_bank.engine.search("transformer", k=10, source=name)
    assert hits and all(h.source == source for h in hits)
    assert seed_bank.engine.search("transformer", k=10, lang="mixed", source="no-such-file") == []


def test_empty_and_blank_queries_find_nothing(seed_bank: SeedBank) -> None:
    assert seed_bank.engine.search("") == []
    assert seed_bank.engine.search("   \n") == []


def test_a_hit_is_a_variant_of_its_question(seed_bank: SeedBank) -> None:
    """The matched text is the question or a translation of the hit's item, in its question."""
    hits = seed_bank.engine.search("变分自编码器", k=5)
    store = seed_bank.store
    for h in hits:
        item = store.item(h.item_id)
        assert item.question_id == h.question_id
        assert h.text in {item.question, *item.translations.values()}
        assert h.source == item.source


def test_traditional_and_simplified_queries_agree(seed_bank: SeedBank) -> None:
    trad = "變分自動編碼器如何把潛在變量納入架構？"
    a = [h.question_id for h in seed_bank.engine.search(trad, k=5)]
    b = [h.question_id for h in seed_bank.engine.search(to_simplified(trad), k=5)]
    assert a[0] == b[0]


def test_default_models_are_the_setting_plus_use(seed_bank: SeedBank) -> None:
    assert model_names(seed_bank.store) == ["e5", "use"]
    assert [m.model_id for m in seed_bank.engine.models] == ["e5-small-q4", "use-m3"]
    n = len(seed_bank.engine.corpus)
    assert all(m.shape[0] == n for m in seed_bank.engine.matrices)
    assert len({doc_prefix(s) for s in seed_bank.engine.corpus.sources}) >= 5


def test_engine_with_one_model_still_finds_cross_lingual_twins(seed_bank: SeedBank) -> None:
    engine = SearchEngine.build(seed_bank.store, names=["use"])
    assert [m.model_id for m in engine.models] == ["use-m3"]
    twins = _twins(seed_bank)
    ok = sum(bool(h) and h[0].question_id == q
             for r, _, q in twins for h in [engine.search(r["question_en"], k=1, lang="zh-Hant")])
    assert ok / len(twins) >= 0.9, ok
