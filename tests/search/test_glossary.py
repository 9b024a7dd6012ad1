"""Bilingual glossary: inline glosses, aligned translation pairs, query expansion."""

from __future__ import annotations

import random

import pytest

from interview_coach.search.glossary import Glossary, TermPair, align, expand, glosses, mine
from interview_coach.search.lexical import LexicalIndex


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ("Transformer 使用了自注意力机制（Self-Attention）建模长距离依赖。", "Self-Attention", "自注意力机制"),
        ("训练不稳定时可以采用梯度裁剪 (gradient clipping)。", "gradient clipping", "梯度裁剪"),
        ("這類模型包括變分自動編碼器（VAEs）等。", "VAEs", "变分自动编码器"),
        ("新一代模型常用专家混合模型(MoE)来扩大容量。", "MoE", "专家混合模型"),
        ("这种解码策略叫做束搜索（beam search），速度较慢。", "beam search", "束搜索"),
        ("请简述低秩适配（Low-Rank Adaptation）的思路。", "Low-Rank Adaptation", "低秩适配"),
        ("它解决了传统循环神经网络（RNN）的长程依赖问题。", "RNN", "循环神经网络"),
        ("系统分为检索与生成（Retrieval and Generation）两个阶段。", "Retrieval and Generation", "检索与生成"),
        ("我们通过**知识蒸馏**（Knowledge Distillation）压缩模型。", "Knowledge Distillation", "知识蒸馏"),
        ("用F1分数（F1 Score）衡量分类效果。", "F1 Score", "F1分数"),
        ("下一句预测（NSP）是早期的预训练任务。", "NSP", "下一句预测"),
        ("模型内部依靠自注意力机制（Self-Attention）建模长距离依赖。", "Self-Attention", "自注意力机制"),
        ("训练不稳定时可以先试试梯度裁剪 (gradient clipping)。", "gradient clipping", "梯度裁剪"),
        ("这里我们选择变分自动编码器（VAE）。", "VAE", "变分自动编码器"),
        ("大模型的上下文学习（In-context Learning）能力", "In-context Learning", "上下文学习"),
    ],
)
def test_inline_gloss_boundaries(text: str, en: str, zh: str) -> None:
    assert [(e, z) for e, z, _ in glosses(text)] == [(en, zh)]


def test_a_name_with_its_acronym_gives_two_pairs() -> None:
    assert [(e, z) for e, z, _ in glosses("语言模型（Language Model, LM）")] == [
        ("Language Model", "语言模型"),
        ("LM", "语言模型"),
    ]


def test_the_original_traditional_form_is_kept_beside_the_folded_one() -> None:
    assert glosses("說明詞嵌入（Word Embedding）的用途") == [("Word Embedding", "词嵌入", "詞嵌入")]


@pytest.mark.parametrize(
    "text",
    [
        "单向注意力（从左到右）只看前文。",                      # Chinese inside the parentheses
        "模型卡片见官网（https://example.org/card）。",          # URL
        "准确率提升了（3.5%）左右，见公式（2）。",               # numbers only
        "该方法最早发表于论文（Smith et al., 2021）。",          # citation
        "打分函数（Q·K^T / sqrt(d)）决定权重。",                 # formula
        "这句话（this is a whole sentence that explains far too much）不是术语。",  # prose
        "常见做法（e.g. dropout）很多。",                        # example marker
        "模型的（GPT）",                                         # no term before the parenthesis
        "我们的目标（from left to right）",                      # prose-like phrase
        "面试题 (Common Questions For Every Interview)",         # heading clipped to a word
        "使用16位浮点数（float16）存储权重",                     # Chinese side glued to a number
    ],
)
def test_junk_parentheses_are_rejected(text: str) -> None:
    assert glosses(text) == []


def test_mine_deduplicates_case_insensitively_and_counts() -> None:
    texts = [
        "解释自注意力（Self-Attention）。",
        "自注意力（self-attention）的计算量随长度平方增长。",
        "多头之前先看自注意力 (Self Attention)",
        "編碼器（Encoder）与解码器（Decoder）",
        "编码器（Encoders）",
    ]
    pairs = mine(texts)
    by_zh = {p.zh: p for p in pairs}
    assert by_zh["自注意力"].count == 3
    assert by_zh["自注意力"].en in {"Self-Attention", "self-attention", "Self Attention"}
    assert by_zh["编码器"] == TermPair("Encoder", "编码器", 2, "gloss", "編碼器")
    assert by_zh["解码器"].source == "gloss"
    assert len(pairs) == 3


# Aligned translation pairs, generated: a few question templates filled with terms.
TERMS = [
    ("beam search", "束搜索"), ("weight decay", "权重衰减"), ("mixed precision", "混合精度"),
    ("tokenizer", "分词器"), ("reward model", "奖励模型"), ("quantization", "量化"),
    ("early stopping", "早停"), ("latent space", "潜在空间"), ("mode collapse", "模式崩溃"),
    ("data augmentation", "数据增强"), ("dropout", "随机失活"), ("knowledge distillation", "知识蒸馏"),
]
TEMPLATES = [
    ("What is {a}?", "什么是{a}？"),
    ("How does {a} differ from {b}?", "{a}和{b}有什么区别？"),
    ("Explain the role of {a} in {b}.", "解释{a}在{b}中的作用。"),
    ("What are the drawbacks of {a}?", "{a}有哪些缺点？"),
    ("How would you debug {a}?", "你会如何调试{a}？"),
    ("List the steps to implement {a}.", "列出实现{a}的步骤。"),
]


def _translations(n: int, rng: random.Random) -> list[tuple[str, str]]:
    out = []
    for _ in range(n):
        en, zh = rng.choice(TEMPLATES)
        (a_en, a_zh), (b_en, b_zh) = rng.sample(TERMS, 2)
        out.append((en.format(a=a_en, b=b_en), zh.format(a=a_zh, b=b_zh)))
    return out


def test_aligned_pairs_find_the_planted_terms() -> None:
    aligned = _translations(150, random.Random(11))
    found = {(p.en.lower(), p.zh) for p in align(aligned)}
    assert all(p in found for p in [("beam search", "束搜索"), ("weight decay", "权重衰减"), ("dropout", "随机失活")])
    term_en = {en for en, _ in TERMS}
    term_zh = {zh for _, zh in TERMS}
    # Where a planted term is involved, it is linked to its own counterpart.
    for en, zh in found:
        if en in term_en or zh in term_zh:
            assert (en, zh) in TERMS, (en, zh)
    assert all(p.source == "aligned" and p.count >= 2 for p in align(aligned))


def test_one_coincidence_is_not_a_term_and_copies_count_once() -> None:
    pair = ("How is speculative decoding verified?", "推测解码如何验证？")
    assert align([pair]) == []
    assert align([pair, pair, pair]) == []  # the same pair copied into three files
    other = ("Why is speculative decoding fast?", "推测解码为什么快？")
    found = {(p.en, p.zh) for p in align([pair, other])}
    assert ("speculative decoding", "推测解码") in found


def test_mine_merges_glosses_and_aligned_pairs() -> None:
    pairs = mine(
        ["推测解码（speculative decoding）用小模型起草。"],
        [("How is speculative decoding verified?", "推测解码如何验证？"),
         ("Why is speculative decoding fast?", "推测解码为什么快？")],
    )
    match = [p for p in pairs if p.zh == "推测解码"]
    assert len(match) == 1 and match[0].source == "gloss" and match[0].count == 3


PAIRS = [
    TermPair("beam search", "束搜索", 3, "gloss"),
    TermPair("Knowledge Distillation", "知识蒸馏", 2, "gloss", "知識蒸餾"),
    TermPair("KV cache", "键值缓存", 2, "aligned"),
    TermPair("distillation", "蒸馏", 1, "aligned"),
]


def test_expand_english_terms_get_their_chinese() -> None:
    assert expand("Why is beam search slow?", PAIRS) == "Why is beam search slow? 束搜索"
    assert expand("how does knowledge-distillation work", PAIRS) == "how does knowledge-distillation work 知识蒸馏"
    assert expand("Size of the kv caches", PAIRS) == "Size of the kv caches 键值缓存"


def test_expand_chinese_terms_get_their_english() -> None:
    assert expand("束搜索的缺点", PAIRS) == "束搜索的缺点 beam search"
    # Traditional script in the query; the longest term wins over the shorter one inside it.
    assert expand("知識蒸餾怎麼做", PAIRS) == "知識蒸餾怎麼做 Knowledge Distillation"


def test_expand_leaves_other_queries_alone() -> None:
    assert expand("What is dropout?", PAIRS) == "What is dropout?"
    assert expand("", PAIRS) == ""
    # Counterparts already present are not repeated.
    assert expand("beam search 束搜索", PAIRS) == "beam search 束搜索"


def test_expanded_english_query_finds_a_chinese_document() -> None:
    docs = ["束搜索为什么比贪心解码慢？", "如何设置学习率？", "What is a learning rate schedule?"]
    index = LexicalIndex.build(docs)
    glossary = Glossary(PAIRS)
    assert index.search("beam search", 3) == []
    assert index.search(expand("beam search", glossary), 3)[0][0] == 0
