"""BM25 lexical index over English, simplified and traditional Chinese texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_coach.errors import StoreError
from interview_coach.search.lexical import LexicalIndex
from interview_coach.search.tokenize import tokens

DOCS = [
    "How does beam search differ from greedy decoding?",                 # 0
    "What is gradient clipping and when should you use it?",             # 1
    "什么是知识蒸馏？学生模型如何向教师模型学习？",                          # 2 simplified
    "請解釋向量資料庫如何建立近似最近鄰索引。",                              # 3 traditional
    "Explain the KV cache in autoregressive decoding.",                  # 4
    "如何通过温度和 top-k 采样控制生成的多样性？",                           # 5 simplified + English
    "位置編碼為什麼對 Transformer 很重要？",                                 # 6 traditional
    "Why does layer normalization stabilise training of deep networks?", # 7
]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build(DOCS)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("beam search versus greedy", 0),
        ("gradient clipping", 1),
        ("知识蒸馏", 2),
        ("知識蒸餾的學生模型", 2),          # traditional query, simplified document
        ("向量数据库的索引", 3),            # simplified query, traditional document
        ("KV cache", 4),
        ("top-k 采样", 5),
        ("位置编码", 6),
        ("layer normalization", 7),
    ],
)
def test_the_right_document_ranks_first(index: LexicalIndex, query: str, expected: int) -> None:
    hits = index.search(query, k=3)
    assert hits and hits[0][0] == expected, hits


def test_traditional_and_simplified_queries_find_the_same_hits(index: LexicalIndex) -> None:
    assert index.search("什么是位置编码", 5) == index.search("什麼是位置編碼", 5)


def test_hits_are_sorted_typed_and_limited(index: LexicalIndex) -> None:
    hits = index.search("decoding search cache", k=2)
    assert len(hits) == 2
    assert all(isinstance(i, int) and isinstance(s, float) for i, s in hits)
    assert hits[0][1] >= hits[1][1] > 0
    assert {i for i, _ in index.search("decoding search cache", k=10)} == {0, 4}


def test_unknown_or_empty_queries_return_nothing(index: LexicalIndex) -> None:
    assert index.search("", 5) == []
    assert index.search("the of what is", 5) == []      # stopwords only
    assert index.search("zyzzyva quokka", 5) == []      # unknown words
    assert index.search("gradient clipping", 0) == []


def test_only_documents_sharing_a_token_are_returned(index: LexicalIndex) -> None:
    hits = index.search("知识蒸馏", 10)
    assert [i for i, _ in hits] == [2]


def test_ties_keep_document_order() -> None:
    idx = LexicalIndex.build(["dropout rate", "unrelated text", "dropout rate", "dropout rate"])
    assert [i for i, _ in idx.search("dropout", 2)] == [0, 2]
    assert [i for i, _ in idx.search("dropout", 10)] == [0, 2, 3]


def test_empty_corpora() -> None:
    assert LexicalIndex.build([]).search("anything", 5) == []
    idx = LexicalIndex.build(["", "？？", "the of"])
    assert len(idx) == 3
    assert idx.search("anything", 5) == []


def test_save_and_load_round_trip(index: LexicalIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "lex")
    loaded = LexicalIndex.load(tmp_path / "lex")
    assert len(loaded) == len(index)
    for query in ["gradient clipping", "知識蒸餾", "向量数据库", "top-k", "nothing known"]:
        assert loaded.search(query, 5) == index.search(query, 5)
    assert LexicalIndex.load(tmp_path / "lex", mmap=True).search("KV cache", 1) == index.search("KV cache", 1)


def test_save_and_load_an_empty_index(tmp_path: Path) -> None:
    LexicalIndex.build([""]).save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    assert len(loaded) == 1 and loaded.search("x", 3) == []


def test_load_refuses_missing_or_stale_indexes(index: LexicalIndex, tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        LexicalIndex.load(tmp_path / "nowhere")
    index.save(tmp_path)
    meta_path = tmp_path / "lexical.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["tokenizer"] = -1
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(StoreError, match="rebuild"):
        LexicalIndex.load(tmp_path)


def test_cached_index_is_reused_for_the_same_texts_and_rebuilt_for_others(tmp_path: Path) -> None:
    from interview_coach.search.corpus import Corpus
    from interview_coach.search.engine import cached_lexical

    def corpus(texts: list[str]) -> Corpus:
        n = len(texts)
        return Corpus(texts=texts, item_ids=[f"i{k}" for k in range(n)], question_ids=[f"q{k}" for k in range(n)],
                      langs=["en"] * n, sources=["s"] * n)

    folder = tmp_path / "bank.index" / "lexical"
    first = cached_lexical(corpus(DOCS), folder)
    meta = json.loads((folder / "lexical.json").read_text(encoding="utf-8"))
    again = cached_lexical(corpus(DOCS), folder)
    assert again.search("gradient clipping", 3) == first.search("gradient clipping", 3)
    assert json.loads((folder / "lexical.json").read_text(encoding="utf-8")) == meta
    changed = cached_lexical(corpus(DOCS + ["What is speculative decoding?"]), folder)
    assert changed.search("speculative", 1) == [(len(DOCS), changed.search("speculative", 1)[0][1])]
    assert json.loads((folder / "lexical.json").read_text(encoding="utf-8"))["fingerprint"] != meta["fingerprint"]
    assert [p.name for p in folder.parent.iterdir()] == ["lexical"]  # no temporary folder left behind
    # a folder that cannot be created (its parent is a file) only costs the cache
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert cached_lexical(corpus(DOCS), blocker / "lexical").search("gradient clipping", 1)[0][0] == 1


WORDS = ["attention", "dropout", "梯度", "裁剪", "embedding", "量化", "蒸馏", "token", "beam", "解码"]


@settings(max_examples=40, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=6).map(" ".join), min_size=1, max_size=12),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
)
def test_hits_share_a_token_with_the_query_and_every_matching_document_is_found(docs: list[str], query: str) -> None:
    idx = LexicalIndex.build(docs)
    hits = idx.search(query, k=len(docs))
    q = set(tokens(query))
    assert {i for i, _ in hits} == {i for i, d in enumerate(docs) if q & set(tokens(d))}
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
