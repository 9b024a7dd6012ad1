"""Search tokens: script folding, jieba segmentation, technical English words, stopwords."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from interview_coach.search.tokenize import STOPWORDS, fold_plural, script_class, segment, tokens


def test_traditional_and_simplified_give_the_same_tokens() -> None:
    assert tokens("如何訓練變分自動編碼器？") == tokens("如何训练变分自动编码器？")
    assert tokens("請解釋梯度裁剪的作用") == tokens("请解释梯度裁剪的作用")


def test_chinese_is_segmented_into_words_without_stopwords_or_punctuation() -> None:
    toks = tokens("为什么梯度裁剪可以缓解梯度爆炸的问题？")
    assert {"梯度", "裁剪", "缓解", "爆炸"} <= set(toks)
    assert not {"的", "为什么", "可以", "？", "?"} & set(toks)
    assert all(len(t) < 6 for t in toks if "\u4e00" <= t[0] <= "\u9fff")  # words, not the sentence


def test_search_mode_also_yields_the_parts_of_long_words() -> None:
    # "数据库" must be found by a query for "数据".
    assert {"数据", "数据库"} <= set(tokens("向量数据库"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Compare GPT-4 with GPT-3.5", {"gpt-4", "gpt-3.5", "compare"}),
        ("When would you use top-k sampling?", {"top-k", "sampling"}),
        ("L2 regularization versus L1", {"l2", "l1", "regularization", "versus"}),
        ("What does RLHF add to a KV cache?", {"rlhf", "kv", "cache", "add"}),
        ("C++ or C# for inference servers", {"c++", "c#", "inference", "server"}),
    ],
)
def test_technical_english_tokens_are_kept_whole(text: str, expected: set[str]) -> None:
    assert expected <= set(tokens(text))


def test_english_stopwords_are_dropped_and_case_is_folded() -> None:
    toks = tokens("What is THE role of the Attention layer?")
    assert toks == ["role", "attention", "layer"]


def test_hyphenated_words_also_yield_their_parts() -> None:
    toks = tokens("self-attention")
    assert toks[0] == "self-attention"
    assert {"self", "attention"} <= set(toks)


def test_plurals_are_folded() -> None:
    assert tokens("embeddings") == tokens("embedding") == ["embedding"]
    assert fold_plural("queries") == "query"
    assert fold_plural("loss") == "loss"
    assert fold_plural("bias") == "bias"
    assert fold_plural("llms") == "llm"


def test_full_width_latin_is_folded() -> None:
    assert tokens("ＧＰＴ－４") == tokens("GPT-4")


def test_mixed_text() -> None:
    toks = tokens("Transformer 中的位置编码（positional encoding）是什么？")
    assert {"transformer", "位置", "编码", "positional", "encoding"} <= set(toks)
    assert "中" not in toks


def test_empty_and_punctuation_only() -> None:
    assert tokens("") == []
    assert tokens("？！…,.;") == []
    assert not STOPWORDS & set(tokens("the a of 的 了 是"))


def test_segment_keeps_every_word() -> None:
    assert "".join(segment("基于人类反馈的强化学习")) == "基于人类反馈的强化学习"


def test_script_class() -> None:
    assert script_class("什么是微调？") == "zh"
    assert script_class("What is fine-tuning?") == "en"
    assert script_class("What is 微 tuning?") == "en"  # a single CJK character is not Chinese text
    assert script_class("LoRA 微调") == "zh"
    assert script_class("") == "en"


def test_first_use_is_quiet_and_thread_safe() -> None:
    """In a fresh interpreter with warnings as errors: no jieba log on stderr, and threads
    racing on the lazy initialisation all get the same tokens as a serial run."""
    code = textwrap.dedent(
        """
        from concurrent.futures import ThreadPoolExecutor
        from interview_coach.search.tokenize import tokens
        texts = ["如何訓練模型", "什么是知识蒸馏", "beam search 与贪心解码", "向量数据库的索引"] * 8
        with ThreadPoolExecutor(8) as pool:
            parallel = list(pool.map(tokens, texts))
        assert parallel == [tokens(t) for t in texts], parallel
        print("ok")
        """
    )
    run = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"
    assert run.stderr == ""
