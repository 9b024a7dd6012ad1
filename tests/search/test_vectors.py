"""The embedding cache: unchanged text is never embedded twice, the configured model is the one
used, and an interrupted run keeps what it stored and resumes from there. Real models, real
SQLite; the models are only wrapped to count what they are asked to embed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from interview_coach.bank.store import Store
from interview_coach.providers import registry
from interview_coach.search import engine as engine_mod
from interview_coach.search import vectors
from interview_coach.search.engine import SearchEngine, model_names
from tests.conftest import Cli
from tests.dbutil import sql

from .conftest import CountingModel

BANK = """# 面试题 / Interview questions

1. What is the KV cache in autoregressive decoding?
自回归解码中的 KV 缓存是什么？

2. Why does layer normalization help deep transformers train?
为什么层归一化有助于深层 Transformer 的训练？

3. How does temperature change the sampling distribution of a language model?
温度如何改变语言模型的采样分布？

4. What is the difference between LoRA and full fine-tuning?
LoRA 和全量微调有什么区别？
"""


def _texts(n: int) -> list[str]:
    topics = ["attention", "dropout", "beam search", "tokenization", "quantization", "distillation", "RLHF"]
    return [f"Question {i}: how would you explain {topics[i % len(topics)]} to a colleague (case {i // 7})?"
            for i in range(n)]


@pytest.fixture
def use_counter() -> CountingModel:
    return CountingModel(registry.load("use"))


@pytest.fixture
def counting_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, CountingModel]:
    """The engine's models, each wrapped once in a CountingModel (same model id, same vectors)."""
    wrapped: dict[str, CountingModel] = {}
    real_load = registry.load

    def load(name: str = registry.DEFAULT) -> CountingModel:
        if name not in wrapped:
            wrapped[name] = CountingModel(real_load(name))
        return wrapped[name]

    monkeypatch.setattr(engine_mod.registry, "load", load)
    return wrapped


def _rows(db: Path) -> dict[str, int]:
    with Store.open(db) as store:
        return dict(sql(store, "SELECT model_id, COUNT(*) FROM embeddings GROUP BY model_id"))


def test_unchanged_text_is_embedded_once(db_path: Path, use_counter: CountingModel) -> None:
    texts = _texts(150)
    with Store.open(db_path) as store:
        first = vectors.ensure(store, use_counter, texts + texts[:20])  # duplicates embedded once
        assert len(use_counter.texts) == 150
        assert first.shape == (170, use_counter.dim)
        np.testing.assert_array_equal(first[150:], first[:20])
        again = vectors.ensure(store, use_counter, list(reversed(texts)))
        assert len(use_counter.texts) == 150, "nothing new to embed"
        np.testing.assert_array_equal(again, first[:150][::-1])
        more = vectors.ensure(store, use_counter, [*texts, "A brand-new question?"])
        assert use_counter.texts[150:] == ["A brand-new question?"]
        assert more.shape == (151, use_counter.dim)
        # queries and passages are cached apart (e5 embeds them differently)
        vectors.ensure(store, use_counter, texts[:3], kind="query")
        assert use_counter.texts[151:] == texts[:3]
        assert np.allclose(np.linalg.norm(more, axis=1), 1.0, atol=1e-5)


def test_engine_rebuilds_embed_only_new_text(cli: Cli, db_path: Path, tmp_path: Path,
                                              counting_registry: dict[str, CountingModel]) -> None:
    doc = tmp_path / "docs" / "bank.md"
    doc.parent.mkdir()
    doc.write_text(BANK, encoding="utf-8")
    assert cli("ingest", doc).exit_code == 0
    with Store.open(db_path) as store:
        store.set_setting("embedding_model", "use")  # one model keeps this test fast
        engine = SearchEngine.build(store)
        n = len(set(engine.corpus.texts))
        assert n == 8
        assert len(counting_registry["use"].texts) == n
        SearchEngine.build(store)
        assert len(counting_registry["use"].texts) == n, "a rebuild over unchanged text embedded again"
    doc.write_text(BANK + "\n5. What is speculative decoding?\n什么是投机解码？\n", encoding="utf-8")
    assert cli("ingest", doc).exit_code == 0
    with Store.open(db_path) as store:
        SearchEngine.build(store)
    assert sorted(counting_registry["use"].texts[n:]) == sorted(["What is speculative decoding?", "什么是投机解码？"])


def test_switching_the_embedding_model_embeds_with_the_new_model_id(
        cli: Cli, db_path: Path, tmp_path: Path, counting_registry: dict[str, CountingModel]) -> None:
    doc = tmp_path / "bank.md"
    doc.write_text(BANK, encoding="utf-8")
    assert cli("ingest", doc).exit_code == 0
    assert cli("config", "embedding_model", "use").exit_code == 0
    with Store.open(db_path) as store:
        assert model_names(store) == ["use"]
        engine = SearchEngine.build(store)
        assert [m.model_id for m in engine.models] == ["use-m3"]
    assert _rows(db_path) == {"use-m3": 8}
    assert cli("config", "embedding_model", "e5").exit_code == 0
    with Store.open(db_path) as store:
        assert model_names(store) == ["e5", "use"]
        engine = SearchEngine.build(store)
        assert [m.model_id for m in engine.models] == ["e5-small-q4", "use-m3"]
        assert len(counting_registry["e5"].texts) == 8
        assert len(counting_registry["use"].texts) == 8, "switching the primary model re-embedded USE vectors"
        hits = engine.search("KV 缓存", k=1)
    assert _rows(db_path) == {"use-m3": 8, "e5-small-q4": 8}
    assert hits and "KV" in hits[0].text


def test_an_interrupted_run_keeps_what_it_stored_and_resumes(db_path: Path, tmp_path: Path,
                                                             use_counter: CountingModel) -> None:
    texts = _texts(vectors.CHUNK * 3 + 5)

    class Stop(Exception):
        pass

    def stop_after_first_chunk(done: int, total: int) -> None:
        assert total == len(texts)
        raise Stop

    with Store.open(db_path) as store:
        with pytest.raises(Stop):
            vectors.ensure(store, use_counter, texts, progress=stop_after_first_chunk)
    assert _rows(db_path) == {"use-m3": vectors.CHUNK}, "the first chunk must be committed"
    assert len(use_counter.texts) == vectors.CHUNK
    seen: list[tuple[int, int]] = []
    with Store.open(db_path) as store:
        resumed = vectors.ensure(store, use_counter, texts, progress=lambda d, t: seen.append((d, t)))
    assert len(use_counter.texts) == len(texts), "the stored chunk was embedded again"
    assert sorted(use_counter.texts) == sorted(texts)
    assert seen and seen[-1] == (len(texts) - vectors.CHUNK, len(texts) - vectors.CHUNK)
    with Store.open(tmp_path / "other.sqlite3") as other:
        straight = vectors.ensure(other, CountingModel(use_counter.inner), texts)
    np.testing.assert_allclose(resumed, straight, atol=1e-6)


def test_an_interrupted_engine_build_resumes(db_path: Path, cli: Cli, tmp_path: Path,
                                             counting_registry: dict[str, CountingModel]) -> None:
    doc = tmp_path / "many.md"
    lines = ["# Questions", ""]
    for i, text in enumerate(_texts(vectors.CHUNK + 40), start=1):
        lines += [f"{i}. {text}", ""]
    doc.write_text("\n".join(lines), encoding="utf-8")
    assert cli("ingest", doc).exit_code == 0
    calls: list[tuple[str, int, int]] = []

    def interrupt(label: str, done: int, total: int) -> None:
        calls.append((label, done, total))
        raise KeyboardInterrupt

    with Store.open(db_path) as store:
        store.set_setting("embedding_model", "use")
        with pytest.raises(KeyboardInterrupt):
            SearchEngine.build(store, progress=interrupt)
    assert calls == [("embedding with use-m3", vectors.CHUNK, vectors.CHUNK + 40)]
    assert _rows(db_path) == {"use-m3": vectors.CHUNK}
    with Store.open(db_path) as store:
        engine = SearchEngine.build(store)
    assert len(counting_registry["use"].texts) == vectors.CHUNK + 40
    assert len(engine.corpus) == vectors.CHUNK + 40


def test_no_text_gives_an_empty_matrix(db_path: Path, use_counter: CountingModel,
                                       tmp_path: Path) -> None:
    with Store.open(db_path) as store:
        empty = vectors.ensure(store, use_counter, [])
    assert empty.shape == (0, use_counter.dim)
    assert use_counter.calls == 0
