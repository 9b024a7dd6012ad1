"""One hand-written fixture per document shape (tests/data/shapes), parsed with exact
expectations: question text and line, answer and explanation spans, section, printed
number, language, translations, and for some items the answer text itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from interview_coach.bank.types import ItemData
from interview_coach.ingest.model import ParseResult
from interview_coach.ingest.parse import parse_lines
from interview_coach.ingest.reader import read_document

_UNSET = object()


@dataclass
class Q:
    line: int
    question: str
    answer: tuple[int, int] | None
    section: str | None
    number: int | None
    lang: str
    explanation: tuple[int, int] | None = None
    translations: dict[str, str] = field(default_factory=dict)
    title: object = _UNSET
    listed: int | None = None
    answer_text: str | None = None
    explanation_text: str | None = None
    images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


EXPECTED: dict[str, tuple[str, list[Q]]] = {
    "bilingual_zh_first.md": ("bilingual_pairs", [
        Q(5, "什么是批量归一化？", (9, 10), "优化", 1, "zh-Hans",
          translations={"zh-Hans": "什么是批量归一化？", "en": "What is batch normalization?"},
          answer_text="对每个小批量的激活做标准化，再用可学习的缩放和平移参数恢复表达能力。\n它让训练更稳定，也允许更大的学习率。"),
        Q(12, "为什么残差连接有助于训练很深的网络？", (16, 16), "优化", 2, "zh-Hans",
          translations={"zh-Hans": "为什么残差连接有助于训练很深的网络？",
                        "en": "Why do residual connections help train very deep networks?"}),
        Q(20, "丢弃法在推理时如何处理？", (24, 24), "正则化", 3, "zh-Hans",
          translations={"zh-Hans": "丢弃法在推理时如何处理？", "en": "How is dropout handled at inference time?"},
          # no final newline and trailing spaces in the file
          answer_text="推理时关闭丢弃，并按保留概率缩放激活（或在训练时做反向缩放）。"),
    ]),
    "bilingual_en_first.md": ("bilingual_pairs", [
        Q(3, "What problem does multi-head attention solve?", (7, 8), None, 1, "en",
          translations={"en": "What problem does multi-head attention solve?", "zh-Hant": "多頭注意力解決了什麼問題？"},
          answer_text="Each head can attend to a different representation subspace,\n"
                      "so the model captures several kinds of relations at once."),
        Q(10, "Why is the dot product scaled by the square root of the key dimension?", (14, 14), None, 2, "en",
          translations={"en": "Why is the dot product scaled by the square root of the key dimension?",
                        "zh-Hant": "為什麼點積要除以鍵維度的平方根？"}),
    ]),
    "numbered_labels.md": ("numbered", [
        Q(3, "What is the bias-variance trade-off?", (5, 6), "Basics", 1, "en"),
        Q(8, "什么是交叉验证？", (10, 10), "Basics", 2, "zh-Hans"),
        Q(12, "如何選擇學習率？", (14, 14), "Basics", 3, "zh-Hant",
          answer_text="先用學習率範圍測試找到損失下降最快的區間，再配合預熱與衰減。"),
        Q(16, "What does L2 regularization do?", (17, 17), "Basics", 4, "en",
          answer_text="It adds the squared weights to the loss, which shrinks weights toward zero."),
        Q(21, "早停的原理是什么？", (22, 24), "Practice", 5, "zh-Hans",
          answer_text="在验证损失不再下降时停止训练。\n- 需要保留验证集\n- 要设置耐心轮数"),
        Q(26, "如何在 fine tuning 时避免灾难性遗忘？", (28, 28), "Practice", 6, "zh-Hans"),  # English terms only: Chinese
        Q(30, "What are the main families of LLM architectures?", (32, 40), "Practice", 7, "en",
          answer_text="### **Encoder-only**\nBidirectional models used for understanding tasks.\n\n---\n\n"
                      "### **Decoder-only**\nAutoregressive models used for generation.\n"
                      "1. They predict the next token.\n2. They are trained on large text corpora."),
    ]),
    "headings.md": ("heading_per_question", [
        Q(3, "What is retrieval-augmented generation?", (5, 17), "Retrieval", None, "en",
          # the numbered list, the deeper heading and the indented rule are answer text
          answer_text="The model answers from documents fetched at query time.\nSteps:\n"
                      "1. Split documents into chunks\n2. Embed and index the chunks\n"
                      "3. Retrieve the top matches and put them in the prompt\n\n### Trade-offs\n\n"
                      "Fresher knowledge, but quality depends on retrieval.\n\n  ---\n\n"
                      "Keep chunks small enough to fit several in the context."),
        Q(19, "How do you evaluate a retrieval pipeline?", (21, 21), "Retrieval", None, "en"),
        Q(25, "Why does batching raise GPU throughput?", (27, 27), "Serving", 1, "en",
          answer_text="Larger matrix multiplications keep the compute units busy."),
        Q(31, "什麼是 KV 快取？", (33, 34), "Serving", 2, "zh-Hant", images=["img/kv-cache.png"]),
    ]),
    "interview_blocks.md": ("interview_blocks", [
        Q(6, "请说明词元化在大模型中的作用，以及常见的子词算法。", (9, 10), "基础概念", 1, "zh-Hans",
          explanation=(13, 13), title="什么是词元化？"),
        Q(18, "解释采样时温度参数如何影响输出。", (21, 21), "基础概念", 2, "zh-Hans",
          explanation=(24, 26), title="温度参数是什么？",
          answer_text="温度越低分布越尖锐，输出越确定；温度越高输出越多样。",
          explanation_text="温度会在 softmax 之前缩放对数几率。\n"
                           "1. 温度趋近零时接近贪心解码\n2. 温度很高时接近均匀采样"),
        Q(33, "列举几种降低大模型幻觉的方法。", (36, 36), "应用", 3, "zh-Hans", title="如何减少幻觉？"),
    ]),
    "listed_later.md": ("list_answered_later", [
        Q(7, "什麼是混合精度訓練？", None, "模型訓練", 3, "zh-Hant"),  # listed, never answered
        Q(16, "為什麼需要對輸入資料做標準化？", (18, 18), "模型訓練", 1, "zh-Hant", listed=5,
          answer_text="讓各特徵的尺度一致，優化器收斂更快、更穩定。"),
        Q(20, "學習率預熱有什麼用途？", (22, 22), "模型訓練", 2, "zh-Hant", listed=6),
        Q(24, "怎樣降低模型的推論延遲？", (26, 26), "模型部署", 1, "zh-Hant", listed=11),
        Q(28, "量化會帶來哪些風險？", (30, 30), "模型部署", 2, "zh-Hant", listed=12),
    ]),
    "details.md": ("details_blocks", [
        Q(4, "What is gradient clipping?", (6, 6), None, 1, "en"),
        Q(10, "什么是权重衰减？", (12, 13), None, 2, "zh-Hans", links=["https://example.org/weight-decay"],
          answer_text="在损失中加入权重的平方和，或在更新时直接按比例缩小权重。\n参见 [说明](https://example.org/weight-decay)。"),
    ]),
    "qa_pairs.md": ("qa_pairs", [
        Q(3, "What does perplexity measure?", (4, 4), "Evaluation", None, "en",
          answer_text="How surprised the model is by held-out text; lower is better."),
        Q(6, "什么是 BLEU 分数？", (7, 7), "Evaluation", None, "zh-Hans",
          answer_text="机器翻译与参考译文之间 n 元组重合度的指标。"),
        Q(9, "Why is accuracy misleading on imbalanced data?", (11, 12), "Evaluation", None, "en",
          answer_text="A model that always predicts the majority class can score high.\n"
                      "Prefer precision, recall or F1."),
        Q(14, "如何评估检索的召回率？", (15, 15), "Evaluation", None, "zh-Hans"),
    ]),
    "table.md": ("tables", [
        Q(5, "What is precision?", (5, 5), None, 1, "en", answer_text="TP / (TP + FP)"),
        Q(6, "什么是召回率？", (6, 6), None, 2, "zh-Hans", answer_text="TP / (TP + FN)\n衡量找回了多少正例"),
        Q(7, "Why use F1?", (7, 7), None, 3, "en", answer_text="Harmonic mean of precision and recall"),
    ]),
    "generic.txt": ("generic", [
        Q(3, "Which optimizer did you use and why?", (4, 5), None, None, "en",
          answer_text="We used AdamW with a cosine schedule.\nIt was stable for our batch size."),
        Q(7, "How did you pick the batch size?", (8, 8), None, None, "en"),
        Q(10, "你们如何做模型监控？", (11, 11), None, None, "zh-Hans"),
    ]),
}


def _parse(path: Path) -> ParseResult:
    return parse_lines(read_document(path).lines)


def test_every_fixture_has_expectations(shapes_dir: Path) -> None:
    assert sorted(p.name for p in shapes_dir.iterdir()) == sorted(EXPECTED)


@pytest.fixture(params=sorted(EXPECTED))
def case(request: pytest.FixtureRequest, shapes_dir: Path) -> tuple[str, ParseResult, str, list[Q]]:
    name = request.param
    shape, expected = EXPECTED[name]
    return name, _parse(shapes_dir / name), shape, expected


def _by_line(result: ParseResult) -> dict[int, ItemData]:
    return {it.question_line: it for it in result.items}


def test_question_count_and_lines(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    name, result, _, expected = case
    assert sorted(it.question_line for it in result.items) == [q.line for q in expected], name
    assert len(result.items) == len(expected)


def test_shape_recognised(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    name, result, shape, _ = case
    assert shape in result.shapes, (name, result.shapes)


def test_question_text(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    name, result, _, expected = case
    got = _by_line(result)
    assert {q.line: got[q.line].question for q in expected if q.line in got} == {q.line: q.question for q in expected}


def test_answer_spans(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    _, result, _, expected = case
    got = _by_line(result)
    actual = {q.line: (got[q.line].answer_line_start, got[q.line].answer_line_end) for q in expected if q.line in got}
    want = {q.line: (q.answer if q.answer else (None, None)) for q in expected}
    assert actual == want
    for q in expected:
        it = got[q.line]
        assert (it.answer is None) == (q.answer is None), q.line


def test_explanation_spans(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    _, result, _, expected = case
    got = _by_line(result)
    actual = {q.line: (got[q.line].explanation_line_start, got[q.line].explanation_line_end)
              for q in expected if q.line in got}
    assert actual == {q.line: (q.explanation or (None, None)) for q in expected}
    for q in expected:
        assert (got[q.line].explanation is None) == (q.explanation is None), q.line


def test_item_extent(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    """line_start is the question line; line_end the last line of its answer or explanation."""
    _, result, _, expected = case
    got = _by_line(result)
    for q in expected:
        it = got[q.line]
        ends = [span[1] for span in (q.answer, q.explanation) if span]
        assert it.line_start == q.line
        if ends:
            assert it.line_end == max(ends), q.line
        else:
            assert q.line <= it.line_end < q.line + 2, q.line


def test_sections_numbers_langs(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    _, result, _, expected = case
    got = _by_line(result)
    assert {q.line: got[q.line].section for q in expected} == {q.line: q.section for q in expected}
    assert {q.line: got[q.line].number for q in expected} == {q.line: q.number for q in expected}
    assert {q.line: got[q.line].lang for q in expected} == {q.line: q.lang for q in expected}


def test_translations(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    _, result, _, expected = case
    got = _by_line(result)
    assert {q.line: got[q.line].translations for q in expected} == {q.line: q.translations for q in expected}


def test_titles_and_listed_lines(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    _, result, _, expected = case
    got = _by_line(result)
    assert {q.line: got[q.line].listed_line for q in expected} == {q.line: q.listed for q in expected}
    titled = {q.line: q.title for q in expected if q.title is not _UNSET}
    assert {line: got[line].title for line in titled} == titled


def test_answer_text(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    name, result, _, expected = case
    got = _by_line(result)
    checked = {q.line: q.answer_text for q in expected if q.answer_text is not None}
    assert checked, f"{name}: give at least one expected answer text"
    assert {line: got[line].answer for line in checked} == checked, name
    explained = {q.line: q.explanation_text for q in expected if q.explanation_text is not None}
    assert {line: got[line].explanation for line in explained} == explained, name


def test_answer_text_comes_from_its_span(case: tuple[str, ParseResult, str, list[Q]], shapes_dir: Path) -> None:
    """Every non-blank line of an answer is (a part of) a source line inside the answer span."""
    name, result, _, _ = case
    source = read_document(shapes_dir / name).lines
    for it in result.items:
        if it.answer is None:
            continue
        assert it.answer_line_start is not None and it.answer_line_end is not None
        span = "\n".join(source[it.answer_line_start - 1: it.answer_line_end])
        for line in it.answer.splitlines():
            assert line.strip() in span, (name, it.question_line, line)


def test_images_and_links(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    _, result, _, expected = case
    got = _by_line(result)
    assert {q.line: got[q.line].images for q in expected} == {q.line: q.images for q in expected}
    assert {q.line: got[q.line].links for q in expected} == {q.line: q.links for q in expected}


def test_no_question_left_unclaimed(case: tuple[str, ParseResult, str, list[Q]]) -> None:
    """Clean fixtures: the parser has no line it thinks is a question but left out."""
    name, result, _, _ = case
    stray = [n for n in result.notices if "not part of any item" in n.message]
    assert stray == [], name


def test_unanswered_listed_question_is_reported(shapes_dir: Path) -> None:
    result = _parse(shapes_dir / "listed_later.md")
    assert [n.line for n in result.notices if "no answer" in n.message] == [7]
