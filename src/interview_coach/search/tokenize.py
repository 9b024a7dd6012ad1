"""Tokens for lexical search: one scheme for English, simplified and traditional Chinese.

Text is folded first (NFKC, traditional → simplified with OpenCC, lower case), so
"變分自動編碼器" and "变分自动编码器" give the same tokens. Chinese runs are segmented
with jieba in search mode (a long word also yields its dictionary sub-words, so
"数据库" matches a query for "数据"); Latin words are kept whole ("gpt-4", "top-k",
"l2", "c++"), and a hyphenated or dotted word also yields its parts ("self-attention"
→ "self-attention", "self", "attention"). English plurals are folded with a tiny
suffix rule ("embeddings" → "embedding"); there is no stemming beyond that.

jieba is loaded once, lazily and under a lock, into a private `jieba.Tokenizer`
(so words added here never change anyone else's segmentation), with its log quiet.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from interview_coach.text.lang import cjk_count
from interview_coach.text.script import to_simplified

if TYPE_CHECKING:  # pragma: no cover
    import jieba

# Bump when the token stream for the same text changes: persisted indexes record it.
TOKENIZER_VERSION = 1

ScriptClass = Literal["zh", "en"]

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_L = r"a-z0-9\u00df-\u024f\u0370-\u03ff"  # Latin (with accents), digits, Greek (α, β, λ)
LATIN_WORD = re.compile(rf"[{_L}]+(?:[-+._][{_L}]+)*(?:\+\+|#)?")
_RUN = re.compile(rf"(?P<zh>{CJK_RUN.pattern})|(?P<en>{LATIN_WORD.pattern})")
_PARTS = re.compile(r"[-+._]")

EN_STOPWORDS: frozenset[str] = frozenset(
    """
    a an the and or but nor if then else so than too very of in on at to for from by with without
    about above below into onto over under between among through during before after again further
    is are was were be been being am do does did doing done have has had having can could shall
    should will would may might must need ought it its it's itself this that these those there here
    i me my mine we us our ours you your yours he him his she her hers they them their theirs
    what which who whom whose when where why how whether also just only not no yes any all both
    each every few more most other some such own same as up down out off e.g i.e etc eg ie vs
    like while using via within various please explain describe tell give briefly s t
    """.split()
)

ZH_STOPWORDS: frozenset[str] = frozenset(
    """
    的 地 得 了 着 过 是 在 和 与 及 或 或者 以及 而 而且 并 并且 也 都 就 还 又 很 更 最 把 将 被 让 给 对
    对于 从 由 为 为了 以 之 其 其中 这 那 这个 那个 这些 那些 这种 那种 一个 一种 一些 某 某些 有 有些
    没有 吗 呢 吧 啊 呀 么 嘛 什么 如何 怎么 怎样 怎么样 为什么 为何 哪 哪些 哪个 哪种 是否 能否 请 你 您 我
    我们 你们 他 她 它 他们 它们 自己 中 上 下 里 等 等等 即 则 但 但是 因为 所以 如果 虽然 可以 能 会 要 应该
    如 例如 比如 像 简述 简要 解释 描述 说明 介绍 谈谈 说说 阐述 一下
    """.split()
)

STOPWORDS: frozenset[str] = EN_STOPWORDS | ZH_STOPWORDS

# Terms of the trade that jieba's general dictionary splits too finely or wrongly; added to
# the private tokenizer only. Search mode still yields their parts ("注意力" from "自注意力").
DOMAIN_WORDS: tuple[str, ...] = (
    "自注意力", "多头注意力", "交叉注意力", "大语言模型", "语言模型", "预训练", "微调",
    "过拟合", "欠拟合", "反向传播", "梯度下降", "梯度消失", "梯度爆炸", "梯度裁剪", "批归一化", "层归一化",
    "正则化", "词嵌入", "词向量", "向量数据库", "检索增强生成", "知识蒸馏", "提示词", "提示工程", "思维链",
    "生成对抗网络", "变分自编码器", "自编码器", "编码器", "解码器", "扩散模型", "强化学习", "损失函数",
    "交叉熵", "激活函数", "卷积神经网络", "循环神经网络", "神经网络", "上下文窗口", "分词器", "混合专家",
    "低秩", "变分", "判别器", "生成器", "潜在空间", "位置编码", "残差连接", "束搜索", "模式崩溃",
)

_lock = threading.Lock()
_jieba: jieba.Tokenizer | None = None


def _tokenizer() -> jieba.Tokenizer:
    """The private jieba tokenizer, loaded on first use (thread-safe, quiet)."""
    global _jieba
    if _jieba is not None:
        return _jieba
    with _lock:
        if _jieba is None:
            with warnings.catch_warnings():
                # jieba 0.42 imports pkg_resources (deprecated in newer setuptools) and, when no
                # bytecode is cached yet, compiles regexes with invalid escapes.
                warnings.filterwarnings("ignore", message=r".*pkg_resources", category=Warning)
                warnings.filterwarnings("ignore", message=r"invalid escape sequence", category=Warning)
                import jieba as _jieba_module
            # "Building prefix dict ..." is logged at DEBUG on jieba's own logger and handler.
            logging.getLogger("jieba").setLevel(logging.WARNING)
            tok = _jieba_module.Tokenizer()
            tok.initialize()
            for word in DOMAIN_WORDS:
                tok.add_word(word)
            _jieba = tok
    return _jieba


def fold(text: str) -> str:
    """NFKC (full-width → half-width), traditional → simplified, lower case."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def segment(text: str) -> list[str]:
    """jieba's precise segmentation of already-folded Chinese text, every word kept.

    For callers that need word boundaries (the glossary), not search tokens.
    """
    return _tokenizer().lcut(text, HMM=True) if text else []


def fold_plural(word: str) -> str:
    """Fold a regular English plural: embeddings → embedding, queries → query, llms → llm."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ias")):
        return word[:-1]
    return word


def _latin(word: str) -> Iterator[str]:
    yield fold_plural(word)
    if _PARTS.search(word):
        for part in _PARTS.split(word):
            if len(part) > 1 and part not in EN_STOPWORDS and not part.isdigit():
                yield fold_plural(part)


def tokens(text: str) -> list[str]:
    """Search tokens of `text` (any script): folded, segmented, without punctuation or stopwords."""
    if not text:
        return []
    out: list[str] = []
    for m in _RUN.finditer(fold(text)):
        run = m.group("zh")
        if run is not None:
            out.extend(w for w in _tokenizer().cut_for_search(run, HMM=True) if w not in ZH_STOPWORDS)
        else:
            word = m.group("en")
            if word not in EN_STOPWORDS:
                out.extend(_latin(word))
    return out


def script_class(text: str) -> ScriptClass:
    """`zh` when the text has at least two CJK characters, else `en`."""
    return "zh" if cjk_count(text) >= 2 else "en"


_pos: Any = None


def tagged(text: str) -> list[tuple[str, str]]:
    """jieba's words of already-folded Chinese text with their part-of-speech flags
    ("v" verb, "n" noun, "uj" 的, …), from the same private dictionary; loaded on first use."""
    global _pos
    if not text:
        return []
    if _pos is None:
        base = _tokenizer()  # takes the lock itself
        with _lock:
            if _pos is None:
                import jieba.posseg as posseg

                _pos = posseg.POSTokenizer(base)
    return [(p.word, p.flag) for p in _pos.cut(text)]
