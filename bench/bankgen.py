"""Synthetic GenAI / ML question banks for the benchmarks (ingest, search, grading).

Everything here is generated from the small vocabulary below (own wording, no
third-party text) with an injected `random.Random`, so a seed gives the same bank
on every machine. Two levels of API:

- `synth_questions(n, rng)` / `question_texts(n, lang, rng)`: question concepts, each
  asked in English, simplified and traditional Chinese, with 2-8 answer lines per
  language (a search benchmark can use one concept's three texts as cross-lingual
  ground truth, a grading benchmark the answer lines as key points);
- `build_bank(n, out_dir, rng)` / `generate_bank(n, out_dir, rng)`: Markdown/text files
  of 50-200 questions each, in the shapes the ingest parser supports (bilingual line
  pairs, numbered with answer labels, a heading per question, `面试题` blocks, Q/A
  pairs, tables, `<details>` blocks) and in UTF-8, UTF-8 with BOM, UTF-16 with BOM,
  GB18030 and Big5. Every file's expected questions (text, language, 1-based line)
  are written to `manifest.json` beside the files; `load_manifest(out_dir)` reads it.

Traditional Chinese vocabulary and answers are the simplified text converted with
OpenCC (s2t); the question templates are written in both scripts by hand.

Command line: `python bench/bankgen.py --questions 2000 --out /tmp/bank --seed 7`.
"""

from __future__ import annotations

import argparse
import codecs
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

LANGS: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant")
MANIFEST_NAME = "manifest.json"
FILE_MIN, FILE_MAX = 50, 200  # questions per file

# --- vocabulary ----------------------------------------------------------------
# (English, simplified Chinese). Chinese names avoid English prose words (acronyms
# and product names are fine) so that a Chinese question stays a Chinese question.
TERMS: tuple[tuple[str, str], ...] = (
    ("the attention mechanism", "注意力机制"),
    ("self-attention", "自注意力"),
    ("multi-head attention", "多头注意力"),
    ("positional encoding", "位置编码"),
    ("rotary position embedding", "旋转位置编码（RoPE）"),
    ("layer normalization", "层归一化"),
    ("batch normalization", "批归一化"),
    ("a residual connection", "残差连接"),
    ("dropout", "随机失活"),
    ("weight decay", "权重衰减"),
    ("learning-rate warmup", "学习率预热"),
    ("gradient clipping", "梯度裁剪"),
    ("mixed-precision training", "混合精度训练"),
    ("gradient checkpointing", "梯度检查点"),
    ("data parallelism", "数据并行"),
    ("tensor parallelism", "张量并行"),
    ("pipeline parallelism", "流水线并行"),
    ("ZeRO optimizer sharding", "ZeRO 优化器分片"),
    ("the AdamW optimizer", "AdamW 优化器"),
    ("stochastic gradient descent", "随机梯度下降"),
    ("cross-entropy loss", "交叉熵损失"),
    ("label smoothing", "标签平滑"),
    ("knowledge distillation", "知识蒸馏"),
    ("post-training quantization", "训练后量化"),
    ("weight pruning", "权重剪枝"),
    ("LoRA", "LoRA 低秩适配"),
    ("QLoRA", "QLoRA 量化微调"),
    ("prefix tuning", "前缀微调"),
    ("instruction tuning", "指令微调"),
    ("RLHF", "基于人类反馈的强化学习（RLHF）"),
    ("direct preference optimization", "直接偏好优化（DPO）"),
    ("a reward model", "奖励模型"),
    ("proximal policy optimization", "近端策略优化（PPO）"),
    ("chain-of-thought prompting", "思维链提示"),
    ("few-shot prompting", "少样本提示"),
    ("in-context learning", "上下文学习"),
    ("prompt injection", "提示注入"),
    ("hallucination", "幻觉"),
    ("retrieval-augmented generation", "检索增强生成（RAG）"),
    ("a vector database", "向量数据库"),
    ("text embeddings", "文本嵌入"),
    ("cosine similarity", "余弦相似度"),
    ("approximate nearest neighbor search", "近似最近邻检索"),
    ("an HNSW index", "HNSW 索引"),
    ("product quantization", "乘积量化"),
    ("BM25 ranking", "BM25 排序"),
    ("hybrid search", "混合检索"),
    ("cross-encoder reranking", "交叉编码器重排序"),
    ("contrastive learning", "对比学习"),
    ("the InfoNCE loss", "InfoNCE 损失"),
    ("CLIP", "CLIP 图文对齐"),
    ("subword tokenization", "子词分词"),
    ("byte pair encoding", "字节对编码（BPE）"),
    ("SentencePiece", "SentencePiece 分词器"),
    ("the vocabulary size", "词表大小"),
    ("the KV cache", "KV 缓存"),
    ("speculative decoding", "推测解码"),
    ("beam search", "束搜索"),
    ("nucleus sampling", "核采样"),
    ("temperature sampling", "温度采样"),
    ("a repetition penalty", "重复惩罚"),
    ("the context window", "上下文窗口"),
    ("FlashAttention", "FlashAttention 算子"),
    ("PagedAttention", "PagedAttention 显存管理"),
    ("a mixture of experts", "混合专家模型（MoE）"),
    ("sparse attention", "稀疏注意力"),
    ("grouped-query attention", "分组查询注意力"),
    ("perplexity", "困惑度"),
    ("the BLEU score", "BLEU 分数"),
    ("the ROUGE score", "ROUGE 分数"),
    ("LLM-as-a-judge evaluation", "大模型评审（LLM-as-a-judge）"),
    ("human preference evaluation", "人类偏好评估"),
    ("overfitting", "过拟合"),
    ("underfitting", "欠拟合"),
    ("the bias-variance trade-off", "偏差与方差的权衡"),
    ("cross-validation", "交叉验证"),
    ("early stopping", "早停"),
    ("data augmentation", "数据增强"),
    ("class imbalance", "类别不平衡"),
    ("precision and recall", "精确率与召回率"),
    ("the ROC curve", "ROC 曲线"),
    ("the F1 score", "F1 分数"),
    ("a variational autoencoder", "变分自编码器（VAE）"),
    ("the ELBO", "证据下界（ELBO）"),
    ("a generative adversarial network", "生成对抗网络（GAN）"),
    ("mode collapse", "模式崩溃"),
    ("a diffusion model", "扩散模型"),
    ("classifier-free guidance", "无分类器引导"),
    ("denoising score matching", "去噪分数匹配"),
    ("latent diffusion", "潜在扩散"),
    ("a vision transformer", "视觉变换器（ViT）"),
    ("a convolutional neural network", "卷积神经网络"),
    ("a recurrent neural network", "循环神经网络"),
    ("an LSTM", "长短期记忆网络（LSTM）"),
    ("the vanishing gradient problem", "梯度消失问题"),
    ("word2vec", "词向量模型 word2vec"),
    ("BERT pre-training", "BERT 预训练"),
    ("masked language modeling", "掩码语言建模"),
    ("next-token prediction", "下一个词预测"),
    ("scaling laws", "缩放定律"),
    ("emergent abilities", "涌现能力"),
    ("catastrophic forgetting", "灾难性遗忘"),
    ("continual learning", "持续学习"),
    ("federated learning", "联邦学习"),
    ("differential privacy", "差分隐私"),
    ("model calibration", "模型校准"),
    ("active learning", "主动学习"),
    ("self-supervised learning", "自监督学习"),
    ("transfer learning", "迁移学习"),
    ("domain adaptation", "领域自适应"),
    ("multimodal learning", "多模态学习"),
    ("function calling", "函数调用"),
    ("agent tool use", "智能体工具调用"),
    ("the ReAct pattern", "ReAct 推理行动模式"),
    ("safety guardrails", "安全护栏"),
    ("red teaming", "红队测试"),
    ("continuous batching", "连续批处理"),
)

CONTEXTS: tuple[tuple[str, str], ...] = (
    ("production systems", "生产环境"),
    ("retrieval-augmented generation", "检索增强生成"),
    ("on-device inference", "端侧推理"),
    ("multilingual models", "多语言模型"),
    ("low-resource settings", "低资源场景"),
    ("long-context models", "长上下文模型"),
    ("recommendation systems", "推荐系统"),
    ("code generation", "代码生成"),
    ("speech recognition", "语音识别"),
    ("image generation", "图像生成"),
    ("customer-service chatbots", "客服对话系统"),
    ("search ranking", "搜索排序"),
    ("fine-tuning", "微调阶段"),
    ("distributed training", "分布式训练"),
    ("medical text analysis", "医疗文本分析"),
    ("financial risk models", "金融风控模型"),
)

ASPECTS: tuple[tuple[str, str], ...] = (
    ("training stability", "训练稳定性"),
    ("generalization", "泛化能力"),
    ("latency", "推理延迟"),
    ("memory use", "显存占用"),
    ("sample efficiency", "样本效率"),
    ("robustness", "鲁棒性"),
)

# (kind, English, simplified, traditional); kind says which slots the template has:
# "t" a term, "tc" a term and a context, "tu" two different terms.
TEMPLATES: tuple[tuple[str, str, str, str], ...] = (
    ("t", "What is {t}?", "什么是{t}？", "什麼是{t}？"),
    ("t", "How does {t} work?", "{t}是如何工作的？", "{t}是如何運作的？"),
    ("t", "What problem does {t} solve?", "{t}解决了什么问题？", "{t}解決了什麼問題？"),
    ("t", "What are the main limitations of {t}?", "{t}有哪些主要局限？", "{t}有哪些主要侷限？"),
    ("t", "Can you explain {t} to a non-expert?", "你能向非专业人士解释{t}吗？", "你能向非專業人士解釋{t}嗎？"),
    ("t", "How would you implement {t} from scratch?", "如何从零实现{t}？", "如何從零實作{t}？"),
    ("t", "How does {t} affect training cost?", "{t}如何影响训练成本？", "{t}如何影響訓練成本？"),
    ("t", "How would you debug {t} when results get worse?",
     "使用{t}后效果变差时，你会如何排查？", "使用{t}後效果變差時，你會如何排查？"),
    ("tc", "Why is {t} important in {c}?", "为什么{t}在{c}中很重要？", "為什麼{t}在{c}中很重要？"),
    ("tc", "How would you evaluate {t} in {c}?", "在{c}中如何评估{t}？", "在{c}中如何評估{t}？"),
    ("tc", "What are common failure modes of {t} in {c}?",
     "{t}在{c}中常见的失败模式有哪些？", "{t}在{c}中常見的失敗模式有哪些？"),
    ("tc", "What are the trade-offs of using {t} in {c}?", "在{c}中使用{t}有哪些权衡？", "在{c}中使用{t}有哪些權衡？"),
    ("tu", "What is the difference between {t} and {u}?", "{t}和{u}有什么区别？", "{t}和{u}有什麼區別？"),
    ("tu", "When would you choose {t} over {u}?",
     "什么情况下你会选择{t}而不是{u}？", "什麼情況下你會選擇{t}而不是{u}？"),
    ("tu", "How does {t} relate to {u}?", "{t}与{u}有什么关系？", "{t}與{u}有什麼關係？"),
    ("tu", "Can {t} and {u} be used together?", "{t}和{u}可以一起使用吗？", "{t}和{u}可以一起使用嗎？"),
)

# Answer sentences: statements only (no question marks, no interrogative words, no
# leading label words such as "Answer:" / "答案" / "Note:"), so an answer never reads
# like a question to the parser.
ANSWER_EN: tuple[str, ...] = (
    "{T} changes how information flows through the model during training and inference.",
    "The key idea is to spend a little extra computation to gain better {a}.",
    "In {c}, it is usually combined with {u}.",
    "A common pitfall is applying {t} without first checking the data distribution.",
    "Measure its effect with an ablation: train with and without {t} and compare validation metrics.",
    "Its cost grows with sequence length and batch size, so profile memory before scaling up.",
    "Tune its hyperparameters on a held-out set, never on the test set.",
    "Compared with {u}, {t} is simpler to deploy but can be less accurate on rare cases.",
    "Interviewers often follow up with how {t} behaves when the labels are noisy.",
    "Mention the failure case: {t} can hide problems that only show up in {c}.",
    "Rule of thumb: start from the defaults of the original paper and change one thing at a time.",
    "Monitoring {a} over time tells you early whether {t} is helping.",
)
ANSWER_ZH: tuple[str, ...] = (
    "{t}改变了信息在训练和推理过程中的流动方式。",
    "核心思想是用少量额外计算换取更好的{a}。",
    "在{c}中，通常会与{u}结合使用。",
    "常见误区是在没有检查数据分布的情况下直接使用{t}。",
    "评估效果时应做消融实验：分别在使用和不使用{t}的情况下训练并比较验证集指标。",
    "它的开销随序列长度和批大小增长，扩大规模前要先分析显存占用。",
    "超参数应在验证集上调节，不能在测试集上调节。",
    "与{u}相比，{t}更容易部署，但在少见样本上可能不够准确。",
    "面试官常会追问标签有噪声时{t}的表现。",
    "需要说明失败场景：{t}可能掩盖只在{c}中才出现的问题。",
    "经验法则：先使用原论文的默认设置，再一次只调整一个因素。",
    "持续监控{a}，可以及早判断{t}是否带来收益。",
)
EXPLAIN_EN = "A typical follow-up compares {t} with {u} on {a}."
EXPLAIN_ZH = "常见追问是比较{t}与{u}在{a}上的差异。"
STEPS_EN = ("Prepare the data and keep a validation split.", "Train a baseline with the default settings.",
            "Change one setting at a time and record the metrics.")
STEPS_ZH = ("准备数据并保留验证集。", "使用默认配置训练基线模型。", "每次只调整一项设置并记录指标。")


@lru_cache(maxsize=1)
def _s2t() -> Callable[[str], str]:
    import opencc  # a project dependency; imported lazily so the module loads fast

    return opencc.OpenCC("s2t").convert


@lru_cache(maxsize=4096)
def _hant(text: str) -> str:
    return _s2t()(text)


def _vocab(pairs: Sequence[tuple[str, str]], i: int, lang: str) -> str:
    en, hans = pairs[i]
    return en if lang == "en" else hans if lang == "zh-Hans" else _hant(hans)


# --- question concepts -----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SynthQuestion:
    """One question concept asked in every language of `LANGS`."""

    uid: str  # unique within one `synth_questions` call: "q000123"
    concept: tuple[int, int, int, int]  # (template, term, second term or -1, context or -1)
    texts: dict[str, str]  # lang -> question text
    answers: dict[str, list[str]]  # lang -> answer lines (2-8)
    explanations: dict[str, str]  # lang -> one-line explanation
    topics: dict[str, str]  # lang -> the main term (a short title)


def concept_capacity() -> int:
    """How many distinct question concepts the vocabulary can express."""
    t, c = len(TERMS), len(CONTEXTS)
    per_kind = {"t": t, "tc": t * c, "tu": t * (t - 1)}
    return sum(per_kind[k] for k, *_ in TEMPLATES)


def _random_concept(rng: random.Random) -> tuple[int, int, int, int]:
    tpl = rng.randrange(len(TEMPLATES))
    kind = TEMPLATES[tpl][0]
    t = rng.randrange(len(TERMS))
    u = c = -1
    if kind == "tu":
        u = rng.randrange(len(TERMS) - 1)
        u += u >= t
    elif kind == "tc":
        c = rng.randrange(len(CONTEXTS))
    return tpl, t, u, c


def _all_concepts() -> list[tuple[int, int, int, int]]:
    out = []
    for tpl, (kind, *_rest) in enumerate(TEMPLATES):
        for t in range(len(TERMS)):
            if kind == "t":
                out.append((tpl, t, -1, -1))
            elif kind == "tc":
                out.extend((tpl, t, -1, c) for c in range(len(CONTEXTS)))
            else:
                out.extend((tpl, t, u, -1) for u in range(len(TERMS)) if u != t)
    return out


def _concepts(n: int, rng: random.Random) -> list[tuple[int, int, int, int]]:
    """`n` concepts, all distinct while `n` fits the vocabulary (then they repeat)."""
    cap = concept_capacity()
    if n <= cap // 4:  # sparse: rejection sampling is cheap
        seen: set[tuple[int, int, int, int]] = set()
        out: list[tuple[int, int, int, int]] = []
        while len(out) < n:
            c = _random_concept(rng)
            if c not in seen:
                seen.add(c)
                out.append(c)
        return out
    pool = _all_concepts()
    rng.shuffle(pool)
    return [pool[i % len(pool)] for i in range(n)]


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fill(template: str, lang: str, t: int, u: int, c: int, a: int) -> str:
    # Traditional text: fill the simplified template, then convert the whole line.
    src = "zh-Hans" if lang == "zh-Hant" else lang
    text = template.format(
        t=_vocab(TERMS, t, src), T=_capitalize(_vocab(TERMS, t, src)),
        u=_vocab(TERMS, u, src), c=_vocab(CONTEXTS, c, src), a=_vocab(ASPECTS, a, src),
    )
    return _hant(text) if lang == "zh-Hant" else text


def _make_question(k: int, concept: tuple[int, int, int, int], rng: random.Random) -> SynthQuestion:
    tpl, t, u, c = concept
    _, en, hans, hant = TEMPLATES[tpl]
    names = {lang: _vocab(TERMS, t, lang) for lang in LANGS}
    others = {lang: _vocab(TERMS, u, lang) if u >= 0 else "" for lang in LANGS}
    ctxs = {lang: _vocab(CONTEXTS, c, lang) if c >= 0 else "" for lang in LANGS}
    texts = {
        "en": en.format(t=names["en"], u=others["en"], c=ctxs["en"]),
        "zh-Hans": hans.format(t=names["zh-Hans"], u=others["zh-Hans"], c=ctxs["zh-Hans"]),
        "zh-Hant": hant.format(t=names["zh-Hant"], u=others["zh-Hant"], c=ctxs["zh-Hant"]),
    }
    # answer slots: the second term and context default to random ones
    u2 = u if u >= 0 else (t + 1 + rng.randrange(len(TERMS) - 1)) % len(TERMS)
    c2 = c if c >= 0 else rng.randrange(len(CONTEXTS))
    a2 = rng.randrange(len(ASPECTS))
    picks = rng.sample(range(len(ANSWER_EN)), rng.randint(2, 8))
    answers = {
        lang: [_fill((ANSWER_EN if lang == "en" else ANSWER_ZH)[p], lang, t, u2, c2, a2) for p in picks]
        for lang in LANGS
    }
    explanations = {lang: _fill(EXPLAIN_EN if lang == "en" else EXPLAIN_ZH, lang, t, u2, c2, a2) for lang in LANGS}
    return SynthQuestion(f"q{k:06d}", concept, texts, answers, explanations, names)


def synth_questions(n: int, rng: random.Random) -> list[SynthQuestion]:
    """`n` question concepts (distinct up to `concept_capacity()`), each in en / zh-Hans / zh-Hant."""
    return [_make_question(k, c, rng) for k, c in enumerate(_concepts(n, rng))]


def question_texts(n: int, lang: str, rng: random.Random) -> list[str]:
    """`n` synthetic question texts in `lang` ("en", "zh-Hans" or "zh-Hant")."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return [q.texts[lang] for q in synth_questions(n, rng)]


# --- files -------------------------------------------------------------------------
@dataclass(slots=True)
class Expected:
    """A question the parser should find: its text, language and 1-based line."""

    question: str
    lang: str
    line: int
    uid: str


@dataclass(slots=True)
class BankFile:
    path: Path  # absolute
    shape: str  # the parser's shape name
    lang: str  # language of the questions (bilingual files: "en", with zh-Hans translations)
    encoding: str  # as written: utf-8, utf-8-sig, utf-16, gb18030, big5
    newline: str
    questions: list[Expected] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.questions)


_Rendered = tuple[list[str], list[Expected]]
_Renderer = Callable[[list[SynthQuestion], str, random.Random], _Rendered]


class _Doc:
    """Lines being written, with the expected questions and their line numbers."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.expected: list[Expected] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def question(self, line: str, q: SynthQuestion, lang: str, text_lang: str | None = None) -> None:
        self.expected.append(Expected(q.texts[text_lang or lang], lang, len(self.lines) + 1, q.uid))
        self.lines.append(line)

    def done(self) -> _Rendered:
        return self.lines, self.expected


_TITLES = {
    "en": "Synthetic GenAI interview questions",
    "zh-Hans": "生成式 AI 面试题库",
    "zh-Hant": "生成式 AI 面試題庫",
}


_INTRO = {"en": "Each question is followed by a short model answer.", "zh": "每道题后面附有简短的参考要点。"}


def _sections(qs: list[SynthQuestion], rng: random.Random) -> list[list[SynthQuestion]]:
    out, i = [], 0
    while i < len(qs):
        k = rng.randint(8, 30)
        out.append(qs[i:i + k])
        i += k
    return out


def _section_title(k: int, lang: str, rng: random.Random) -> str:
    ctx = _vocab(CONTEXTS, rng.randrange(len(CONTEXTS)), lang)
    if lang == "en":
        return f"Part {k}: {_capitalize(ctx)}"
    return f"第{k}部分：{ctx}"


def _answer_block(lines: list[str], rng: random.Random, indent: str = "") -> list[str]:
    """Answer lines as a paragraph, as bullets, or a lead sentence plus bullets."""
    style = rng.randrange(3)
    if style == 0:
        return [indent + ln for ln in lines]
    if style == 1:
        return [f"{indent}- {ln}" for ln in lines]
    return [indent + lines[0]] + [f"{indent}- {ln}" for ln in lines[1:]]


def _open(lang: str, rng: random.Random, shape_title: str) -> _Doc:
    doc = _Doc()
    doc.add(f"# {_TITLES[lang]} ({shape_title})", "")
    if rng.random() < 0.5:
        intro = _INTRO["en" if lang == "en" else "zh"]
        doc.add(_hant(intro) if lang == "zh-Hant" else intro, "")
    return doc


def _render_bilingual(qs: list[SynthQuestion], lang: str, rng: random.Random) -> _Rendered:
    # `N. English?` / simplified translation / `Answer:` block (some files put Chinese first)
    doc = _open("en", rng, "English / 简体中文")
    zh_first = rng.random() < 0.2
    n = 0
    for k, sec in enumerate(_sections(qs, rng), start=1):
        doc.add(f"## {_section_title(k, 'en', rng)}", "")
        for q in sec:
            n += 1
            if zh_first:
                doc.question(f"{n}. {q.texts['zh-Hans']}", q, "zh-Hans")
                doc.add(q.texts["en"])
            else:
                doc.question(f"{n}. {q.texts['en']}", q, "en")
                doc.add(q.texts["zh-Hans"])
            doc.add("", "Answer:", *_answer_block(q.answers["en"], rng), "")
    return doc.done()


# how a numbered question's number is printed (all forms the line classifier documents)
_NUMBER_STYLES = {
    "en": ("{n}. ", "{n}. ", "**{n}.** ", "{n}) "),
    "zh": ("{n}. ", "{n}、", "（{n}）", "**{n}.** "),
}


def _render_numbered(qs: list[SynthQuestion], lang: str, rng: random.Random) -> _Rendered:
    doc = _open(lang, rng, "numbered" if lang == "en" else "编号" if lang == "zh-Hans" else "編號")
    inline = rng.random() < 0.5
    number = rng.choice(_NUMBER_STYLES["en" if lang == "en" else "zh"])
    n = 0
    for k, sec in enumerate(_sections(qs, rng), start=1):
        doc.add(f"## {_section_title(k, lang, rng)}", "")
        for q in sec:
            n += 1
            ans = q.answers[lang]
            doc.question(number.format(n=n) + q.texts[lang], q, lang)
            if lang == "en":  # `- Answer: first line` and indented continuation
                if inline:
                    doc.add(f"- Answer: {ans[0]}", *[f"  - {ln}" for ln in ans[1:]])
                else:
                    doc.add("- Answer:", *_answer_block(ans, rng, "  "))
            elif inline:  # `答案：first line` then bullets
                doc.add(f"答案：{ans[0]}", *[f"- {ln}" for ln in ans[1:]])
            else:
                doc.add("", "答案：", *_answer_block(ans, rng))
            doc.add("")
    return doc.done()


def _render_headings(qs: list[SynthQuestion], lang: str, rng: random.Random) -> _Rendered:
    # `### N. question` with paragraph / bullet answers, sometimes steps and an explanation
    doc = _open(lang, rng, "headings" if lang == "en" else "标题" if lang == "zh-Hans" else "標題")
    steps = STEPS_EN if lang == "en" else STEPS_ZH if lang == "zh-Hans" else tuple(_hant(s) for s in STEPS_ZH)
    expl_label = "**Explanation:**" if lang == "en" else "**解析：**"
    numbered = rng.random() < 0.75
    n = 0
    for k, sec in enumerate(_sections(qs, rng), start=1):
        doc.add(f"## {_section_title(k, lang, rng)}", "")
        for q in sec:
            n += 1
            doc.question(f"### {n}. {q.texts[lang]}" if numbered else f"### {q.texts[lang]}", q, lang)
            doc.add("", *_answer_block(q.answers[lang], rng), "")
            if rng.random() < 0.2:
                doc.add(*[f"{i}. {s}" for i, s in enumerate(steps, start=1)], "")
            if rng.random() < 0.3:
                doc.add(f"{expl_label} {q.explanations[lang]}", "")
    return doc.done()


def _render_interview_blocks(qs: list[SynthQuestion], lang: str, rng: random.Random) -> _Rendered:
    # `### N. title` / `#### 面试题：` / question / `**答案：**` / answer / `**解析：**`
    doc = _open(lang, rng, "面试题" if lang == "zh-Hans" else "面試題")
    label = "面试题" if lang == "zh-Hans" else "面試題"
    n = 0
    for k, sec in enumerate(_sections(qs, rng), start=1):
        doc.add(f"## {_section_title(k, lang, rng)}", "")
        for q in sec:
            n += 1
            doc.add(f"### {n}. {q.topics[lang]}", "", f"#### {label}：", "")
            doc.question(q.texts[lang], q, lang)
            doc.add("", "**答案：**", "", *_answer_block(q.answers[lang], rng), "")
            if rng.random() < 0.6:
                doc.add(f"**解析：** {q.explanations[lang]}", "")
    return doc.done()


def _render_qa_pairs(qs: list[SynthQuestion], lang: str, rng: random.Random) -> _Rendered:
    # `Q: question` / `A: first answer line` / bullets; `问：`/`答：` and full-width colons too
    doc = _open(lang, rng, "Q&A")
    style = rng.randrange(3)
    n = 0
    for k, sec in enumerate(_sections(qs, rng), start=1):
        doc.add(f"## {_section_title(k, lang, rng)}", "")
        for q in sec:
            n += 1
            ans = q.answers[lang]
            if lang == "en":
                qlabel, alabel = (f"Q{n}: ", "A: ") if style == 0 else ("Q: ", "A: ")
            elif style == 0:
                qlabel, alabel = "Q：", "A："
            else:
                qlabel, alabel = ("问：" if lang == "zh-Hans" else "問："), "答："
            doc.question(f"{qlabel}{q.texts[lang]}", q, lang)
            doc.add(f"{alabel}{ans[0]}", *[f"- {ln}" for ln in ans[1:]], "")
    return doc.done()


_TABLE_HEAD = {
    "en": "| # | Question | Answer |",
    "zh-Hans": "| 序号 | 问题 | 答案 |",
    "zh-Hant": "| 序號 | 問題 | 答案 |",
}


def _render_tables(qs: list[SynthQuestion], lang: str, rng: random.Random) -> _Rendered:
    # one table per section; multi-line answers joined with <br>
    doc = _open(lang, rng, "table" if lang == "en" else "表格")
    n = 0
    for k, sec in enumerate(_sections(qs, rng), start=1):
        doc.add(f"## {_section_title(k, lang, rng)}", "", _TABLE_HEAD[lang], "|---|---|---|")
        for q in sec:
            n += 1
            doc.question(f"| {n} | {q.texts[lang]} | {'<br>'.join(q.answers[lang])} |", q, lang)
        doc.add("")
    return doc.done()


def _render_details(qs: list[SynthQuestion], lang: str, rng: random.Random) -> _Rendered:
    # `<details><summary>N. question</summary> answer </details>`, a few summaries in <b>
    doc = _open(lang, rng, "details")
    n = 0
    for k, sec in enumerate(_sections(qs, rng), start=1):
        doc.add(f"## {_section_title(k, lang, rng)}", "")
        for q in sec:
            n += 1
            summary = f"{n}. {q.texts[lang]}" if rng.random() < 0.7 else f"<b>{q.texts[lang]}</b>"
            doc.add("<details>")
            doc.question(f"<summary>{summary}</summary>", q, lang)
            doc.add("", *_answer_block(q.answers[lang], rng), "", "</details>", "")
    return doc.done()


# shape -> (renderer, languages it is written in)
SHAPES: dict[str, tuple[_Renderer, tuple[str, ...]]] = {
    "bilingual_pairs": (_render_bilingual, ("en",)),
    "numbered": (_render_numbered, LANGS),
    "heading_per_question": (_render_headings, ("zh-Hant", "zh-Hant", "zh-Hans", "en")),
    "interview_blocks": (_render_interview_blocks, ("zh-Hans", "zh-Hant")),
    "qa_pairs": (_render_qa_pairs, LANGS),
    "tables": (_render_tables, LANGS),
    "details_blocks": (_render_details, LANGS),
}

# encoding choices (with weights) by the file's scripts
_ENCODINGS = {
    "en": (("utf-8", 6), ("utf-8-sig", 2), ("utf-16", 2)),
    "zh-Hans": (("utf-8", 5), ("gb18030", 3), ("utf-16", 2)),
    "zh-Hant": (("utf-8", 5), ("big5", 3), ("utf-16", 2)),
    "bilingual": (("utf-8", 5), ("gb18030", 3), ("utf-16", 2)),
}


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":  # with a byte-order mark, little-endian
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)  # utf-8-sig writes its BOM itself


def _file_sizes(n: int, rng: random.Random) -> list[int]:
    sizes, left = [], n
    while left > 0:
        size = left if left <= FILE_MAX else rng.randint(FILE_MIN, min(FILE_MAX, left - FILE_MIN))
        sizes.append(size)
        left -= size
    return sizes


def build_bank(n_questions: int, out_dir: Path, rng: random.Random) -> list[BankFile]:
    """Write a bank of `n_questions` questions under `out_dir` and its manifest; return the files.

    Files hold 50-200 questions (fewer only when `n_questions` < 50), cycle through every
    shape in `SHAPES`, and live in one sub-folder per shape.
    """
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    questions = synth_questions(n_questions, rng)
    shapes = list(SHAPES)
    files: list[BankFile] = []
    start = 0
    for k, size in enumerate(_file_sizes(n_questions, rng)):
        if k % len(shapes) == 0:
            rng.shuffle(shapes)
        shape = shapes[k % len(shapes)]
        render, langs = SHAPES[shape]
        lang = rng.choice(langs)
        choices = _ENCODINGS["bilingual" if shape == "bilingual_pairs" else lang]
        encoding = rng.choices([e for e, _ in choices], weights=[w for _, w in choices])[0]
        newline = "\r\n" if rng.random() < 0.15 else "\n"
        lines, expected = render(questions[start:start + size], lang, rng)
        start += size
        text = newline.join(lines) + newline
        try:
            data = _encode(text, encoding)
        except UnicodeEncodeError:  # a character Big5 lacks: keep the file, in UTF-8
            encoding, data = "utf-8", _encode(text, "utf-8")
        suffix = ".txt" if shape == "qa_pairs" and rng.random() < 0.3 else ".md"
        path = out_dir / shape / f"{k:04d}_{lang}_{encoding}{suffix}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        files.append(BankFile(path, shape, lang, encoding, newline, expected))
    write_manifest(out_dir, files)
    return files


def generate_bank(n_questions: int, out_dir: Path, rng: random.Random) -> list[Path]:
    """Write a bank (see `build_bank`) and return its file paths; expectations are in the manifest."""
    return [f.path for f in build_bank(n_questions, out_dir, rng)]


def write_manifest(out_dir: Path, files: list[BankFile]) -> Path:
    rows = []
    for f in files:
        rows.append({
            "path": f.path.relative_to(out_dir).as_posix(), "shape": f.shape, "lang": f.lang,
            "encoding": f.encoding, "newline": "crlf" if f.newline == "\r\n" else "lf", "expected": f.expected,
            "questions": [asdict(q) for q in f.questions],
        })
    total = sum(f.expected for f in files)
    path = out_dir / MANIFEST_NAME
    path.write_text(json.dumps({"questions": total, "files": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_manifest(out_dir: Path) -> list[BankFile]:
    out_dir = Path(out_dir).resolve()
    data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    return [
        BankFile(out_dir / r["path"], r["shape"], r["lang"], r["encoding"],
                 "\r\n" if r["newline"] == "crlf" else "\n", [Expected(**q) for q in r["questions"]])
        for r in data["files"]
    ]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Write a synthetic GenAI/ML question bank.")
    p.add_argument("--questions", type=int, default=1000)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    files = build_bank(args.questions, args.out, random.Random(args.seed))
    print(f"{sum(f.expected for f in files)} questions in {len(files)} files under {args.out}")


if __name__ == "__main__":
    main()
