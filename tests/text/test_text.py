"""Text helpers every layer relies on: language of a text, script conversion and folding,
comparison keys and similarity."""

from __future__ import annotations

import pytest

from interview_coach.text.lang import chinese_variant, cjk_count, detect_lang, is_chinese, prose_words
from interview_coach.text.normalize import bigrams, dice, key, similarity
from interview_coach.text.script import script_evidence, to_simplified, to_traditional


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("What is gradient descent?", "en"),
        ("Explain RLHF and PPO.", "en"),
        ("什么是梯度下降？", "zh-Hans"),
        ("什麼是梯度下降？", "zh-Hant"),
        ("请解释注意力机制。", "zh-Hans"),
        ("請解釋注意力機制。", "zh-Hant"),
        ("什么是 BERT 和 GPT？", "zh-Hans"),  # acronyms are names, not English prose
        ("如何在 fine tuning 时避免遗忘？", "mixed"),
        ("How do you say 注意力 in English?", "mixed"),
        ("GPT-4 vs. Llama 3", "en"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_common_characters_follow_the_default() -> None:
    text = "大模型的上下文长度"  # 长 is simplified-only
    assert detect_lang(text) == "zh-Hans"
    common = "模型大小"  # characters shared by both scripts
    assert detect_lang(common, default_zh="zh-Hant") == "zh-Hant"
    assert detect_lang(common, default_zh="zh-Hans") == "zh-Hans"
    assert chinese_variant(common, "zh-Hant") == "zh-Hant"


def test_helpers() -> None:
    assert cjk_count("abc 注意力 def") == 3
    assert cjk_count("no chinese here") == 0
    assert prose_words("Use BERT (a model) for tagging") == ["Use", "for", "tagging"]
    assert is_chinese("zh-Hant") and is_chinese("zh-Hans") and not is_chinese("en") and not is_chinese("mixed")


def test_script_conversion_round_trip() -> None:
    assert to_simplified("什麼是過擬合？") == "什么是过拟合？"
    assert to_traditional("什么是过拟合？") == "什麼是過擬合？"
    assert to_simplified("") == "" and to_traditional("") == ""
    assert to_simplified("Plain English.") == "Plain English."


def test_script_evidence() -> None:
    trad, simp = script_evidence("這個模型們")
    assert trad > 0 and simp == 0
    trad, simp = script_evidence("这个模型们")
    assert simp > 0 and trad == 0
    assert script_evidence("") == (0, 0)
    assert script_evidence("model") == (0, 0)


def test_key_folds_script_case_space_and_markup() -> None:
    assert key("什麼是「過擬合」？") == key("什么是过拟合?") == "什么是过拟合"
    assert key("**What is  Attention?**") == key("what is attention") == "whatisattention"
    assert key("") == ""
    assert key("？！…") == ""


def test_similarity() -> None:
    assert similarity("什么是过拟合？", "什麼是過擬合?") == 1.0
    assert similarity("What is attention?", "What is self-attention?") > 0.7
    assert similarity("What is attention?", "量化会带来哪些风险？") == 0.0
    assert dice(set(), {"ab"}) == 0.0
    assert bigrams("ab") == {"ab"} and bigrams("a") == {"a"} and bigrams("") == set()
    a, b = "Why does the learning rate matter?", "Why does the learning rate matter so much?"
    assert similarity(a, b) == similarity(b, a)
