"""Topic extraction from job descriptions in English, 简体 and 繁體, with the real bundled USE model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interview_coach.errors import InvalidInput
from interview_coach.study import jobs, profile

DATA = Path(__file__).resolve().parents[1] / "data" / "jobs"


@pytest.fixture(scope="module")
def embed() -> profile.Embed:
    return jobs.embedder()


def _topics(p: profile.Profile) -> dict[str, bool]:
    return {t.topic: t.must_have for t in p.topics}


def test_english_description(embed: profile.Embed) -> None:
    p = profile.extract((DATA / "llm_engineer_en.md").read_text(encoding="utf-8"), embed=embed)
    got = _topics(p)
    assert p.title == "LLM Engineer" and p.lang == "en" and not p.notes
    for topic in ("rlhf", "rag", "peft-lora", "kv-cache"):
        assert got.get(topic) is True, (topic, got)
    for topic in ("diffusion-models", "containers-kubernetes"):  # from the Nice to have section
        assert got.get(topic) is False, (topic, got)
    assert "Excellent written communication." in p.unmatched  # a requirement no topic covers: listed, not dropped
    for t in p.topics:
        assert t.evidence, t.topic


def test_simplified_chinese_flattened_description(embed: profile.Embed) -> None:
    got = _topics(profile.extract((DATA / "multimodal_zh_hans.md").read_text(encoding="utf-8"), embed=embed))
    assert got.get("vision-language-models") is True
    assert got.get("quantization") is True and got.get("data-labelling") is True
    assert got.get("rlhf") is False and got.get("diffusion-models") is False  # 优先: nice-to-have


def test_traditional_chinese_description(embed: profile.Embed) -> None:
    p = profile.extract((DATA / "nlp_zh_hant.md").read_text(encoding="utf-8"), embed=embed)
    got = _topics(p)
    assert got.get("data-labelling") is True and got.get("rag") is True
    assert got.get("text-classification") is True and got.get("information-extraction") is True
    assert got.get("rlhf") is False  # 者佳


def test_the_job_posting_seed_yields_its_topics(seeds_dir: Path, embed: profile.Embed) -> None:
    """The seed bank written for one job: its section titles, pasted as a description."""
    seed = next(p for p in seeds_dir.iterdir() if p.name.startswith("004_"))
    titles = [m.group(1) for m in re.finditer(r"^### (?!\d)(.+)$", seed.read_text(encoding="utf-8"), re.M)]
    assert len(titles) >= 5
    got = _topics(profile.extract("\n".join(titles), embed=embed))
    assert "data-labelling" in got and "rlhf" in got
    assert {"multimodal-learning", "vision-language-models"} & set(got)
    assert {"inference-optimization", "model-compression"} & set(got)  # AI模型優化 (Optimize AI Model Performance)
    assert "text-classification" in got


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_an_empty_description_is_refused(text: str, embed: profile.Embed) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        profile.extract(text, embed=embed)


def test_a_language_the_taxonomy_does_not_cover_is_named(embed: profile.Embed) -> None:
    p = profile.extract("Wir suchen eine Entwicklerin für das Team. Sie haben Erfahrung mit der Entwicklung von "
                        "Software und Kenntnisse in der Datenbank.", embed=embed)
    assert any("German" in n and "English, 简体 and 繁體" in n for n in p.notes)


def test_a_description_with_no_topic_says_so(embed: profile.Embed) -> None:
    p = profile.extract("Barista wanted\n\nRequirements:\n- Make excellent coffee\n- Be friendly with customers\n",
                        embed=embed)
    assert p.topics == []
    assert any("no topic" in n for n in p.notes)
    assert "Make excellent coffee" in p.unmatched
