"""The shipped topic taxonomy and its alias matcher, and job-description segmentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_coach.errors import InvalidInput
from interview_coach.study import jobtext
from interview_coach.study.taxonomy import load

DATA = Path(__file__).resolve().parents[1] / "data" / "jobs"


def test_the_taxonomy_is_complete_and_consistent() -> None:
    tax = load()
    assert 100 <= len(tax) <= 150
    ids = [t.id for t in tax]
    assert len(ids) == len(set(ids))
    for t in tax:
        assert t.name and t.description and t.area, t.id
        assert t.en and t.zh_hans and t.zh_hant, f"{t.id} lacks aliases in one of the three scripts"
        assert t.parent is None or t.parent in tax.topics
        assert tax.resolve(t.id) == t.id


@pytest.mark.parametrize(("text", "topic"), [
    ("Experience with RLHF", "rlhf"), ("熟悉人类反馈强化学习", "rlhf"), ("熟悉人類回饋強化學習", "rlhf"),
    ("fine-tuning with LoRA adapters", "peft-lora"), ("paged KV cache", "kv-cache"), ("KV快取", "kv-cache"),
    ("post-training quantization to INT4", "quantization"), ("模型量化与部署", "quantization"),
    ("building RAG systems", "rag"), ("检索增强生成", "rag"), ("檢索增強生成", "rag"),
    ("data labelling guidelines", "data-labelling"), ("数据标注", "data-labelling"), ("資料標註", "data-labelling"),
    ("Fine tuning LLMs", "fine-tuning"), ("生成式 AI 應用", "generative-models"),
])
def test_aliases_in_every_script(text: str, topic: str) -> None:
    assert topic in load().topic_ids(text)


@pytest.mark.parametrize(("text", "topic"), [
    ("我们做量化交易", "quantization"),  # trading, not model quantisation
    ("leverage our platform", "rag"),  # RAG is matched case-sensitively, on word boundaries
    ("send us your CV", "computer-vision"),
])
def test_what_is_not_a_topic(text: str, topic: str) -> None:
    assert topic not in load().topic_ids(text)


def test_a_nested_alias_is_weaker_evidence() -> None:
    tax = load()
    hits = tax.find("熟悉人类反馈强化学习")
    nested = tax.nested(hits)
    assert [h.topic for i, h in enumerate(hits) if i not in nested] == ["rlhf"]
    assert any(hits[i].topic == "reinforcement-learning" for i in nested)


def test_resolve_accepts_names_and_aliases_and_says_what_is_unknown() -> None:
    tax = load()
    assert tax.resolve("Quantisation") == "quantization"
    assert tax.resolve("資料標註") == "data-labelling"
    with pytest.raises(InvalidInput, match="unknown topic"):
        tax.resolve("astrology")


def test_flattened_chinese_is_split_into_sections_and_items() -> None:
    lines = jobtext.segment((DATA / "multimodal_zh_hans.md").read_text(encoding="utf-8"))
    kinds = {line.text: line.kind for line in lines if not line.heading}
    assert kinds["负责模型量化与端侧部署。"] == "duty"
    assert kinds["熟悉CLIP等视觉语言模型;"] == "require"
    prefer = [line for line in lines if line.kind == "prefer" and not line.heading]
    assert len(prefer) == 2 and all(line.nice for line in prefer)


def test_markdown_sections_and_cues() -> None:
    lines = jobtext.segment((DATA / "llm_engineer_en.md").read_text(encoding="utf-8"))
    by_text = {line.text: line for line in lines}
    assert by_text["We build assistants for lawyers. Great benefits and a friendly team."].kind == "other"
    assert by_text["Strong Python and PyTorch."].kind == "require" and by_text["Strong Python and PyTorch."].must
    assert by_text["Kubernetes in production is a plus."].nice
    assert lines[0].kind == "title"


@pytest.mark.parametrize(("text", "name", "covered"), [
    ("We are looking for an engineer with experience in machine learning and the team.", "English", True),
    ("负责大模型训练", "Chinese", True),
    ("負責大型語言模型訓練", "Chinese", True),
    ("Wir suchen eine Ingenieurin mit Erfahrung und Kenntnisse in der Entwicklung für das Team", "German", False),
    ("機械学習エンジニアを募集しています。モデルの学習と評価を担当します。", "Japanese", False),
    ("머신러닝 엔지니어를 모집합니다", "Korean", False),
])
def test_language_coverage(text: str, name: str, covered: bool) -> None:
    assert jobtext.language(text) == (name, covered)
