"""Property tests: random small banks of numbered questions with answers, rendered to
Markdown, parse to exactly the generated questions and answer spans, and survive a round
trip through a real bank and the JSONL export."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_coach.bank.store import Store
from interview_coach.export.jsonl import lines as jsonl_lines
from interview_coach.ingest.parse import parse_lines
from interview_coach.ingest.pipeline import ingest_paths
from interview_coach.ingest.reader import split_lines

# a safe alphabet: no digits, no punctuation that could read as a label, list marker or heading
CJK = "模型数据训练向量注意力机制损失函数梯度参数网络层编码器码本语料检索排序生成对齐评估"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPRSTUVWXYZ"  # no 'Q': "Q:" would be a label

word = st.one_of(
    st.text(alphabet=LATIN, min_size=2, max_size=8),
    st.text(alphabet=CJK, min_size=2, max_size=6),
)
phrase = st.lists(word, min_size=2, max_size=7).map(" ".join)
latin_phrase = st.lists(st.text(alphabet=LATIN, min_size=2, max_size=8), min_size=3, max_size=7).map(" ".join)
cjk_phrase = st.lists(st.text(alphabet=CJK, min_size=2, max_size=6), min_size=1, max_size=4).map("".join)
answer_line = st.tuples(st.sampled_from(["", "- ", "  "]), phrase, st.sampled_from([".", "。", ""])).map("".join)

LABELS = ["Answer:", "答案：", "**Answer:**", "**答案：**", "- Answer:"]


@dataclass
class Gen:
    question: str
    section: str | None
    answer_lines: list[str]
    label: str
    translation: str | None = None  # the same question in the other language, on the next line


@st.composite
def banks(draw: st.DrawFn) -> list[Gen]:
    n = draw(st.integers(min_value=1, max_value=7))
    sections = draw(st.booleans())
    out = []
    for k in range(n):
        translation = None
        kind = draw(st.sampled_from(["plain", "en_zh", "zh_en"]))
        if kind == "plain":
            question = draw(phrase) + draw(st.sampled_from(["?", "？"]))
        else:
            en, zh = draw(latin_phrase) + "?", draw(cjk_phrase) + "？"
            question, translation = (en, zh) if kind == "en_zh" else (zh, en)
        section = None
        if sections:
            section = draw(st.sampled_from(["Basics", "进阶 Advanced", "综合"])) if k == 0 or draw(
                st.booleans()) else out[-1].section
        paragraphs = draw(st.lists(st.lists(answer_line, min_size=1, max_size=3), min_size=1, max_size=2))
        answer_lines: list[str] = []
        for p_index, paragraph in enumerate(paragraphs):
            if p_index:
                answer_lines.append("")  # a blank line between paragraphs stays inside the answer
            answer_lines += paragraph
        out.append(Gen(question, section, answer_lines, draw(st.sampled_from(LABELS)), translation))
    return out


@dataclass
class Expect:
    question: str
    number: int
    section: str | None
    line: int
    span: tuple[int, int]
    answer: str
    translations: dict[str, str]


def render(bank: list[Gen], final_newline: bool) -> tuple[str, list[Expect]]:
    lines: list[str] = ["# Generated bank", ""]
    expect = []
    section: str | None = None
    number = 0
    for g in bank:
        if g.section != section:
            section = g.section
            lines += [f"## {section}", ""]
            number = 0
        number += 1
        lines.append(f"{number}. {g.question}")
        q_line = len(lines)
        translations = {}
        if g.translation is not None:
            lines.append(g.translation)
            for text in (g.question, g.translation):
                translations["en" if text.endswith("?") else "zh-Hans"] = text
        lines.append(g.label)
        first = len(lines) + 1
        lines += g.answer_lines
        indent = min(len(t) - len(t.lstrip()) for t in g.answer_lines if t.strip())
        answer = "\n".join(t[indent:] for t in g.answer_lines)
        expect.append(Expect(g.question, number, section, q_line, (first, len(lines)), answer, translations))
        lines.append("")
    text = "\n".join(lines).rstrip("\n")
    return text + ("\n" if final_newline else ""), expect


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(bank=banks(), final_newline=st.booleans())
def test_parse_finds_exactly_the_generated_questions(bank: list[Gen], final_newline: bool) -> None:
    text, expect = render(bank, final_newline)
    result = parse_lines(split_lines(text))
    got = [(it.question, it.number, it.section, it.question_line, (it.answer_line_start, it.answer_line_end), it.answer,
            it.translations) for it in result.items]
    assert got == [(e.question, e.number, e.section, e.line, e.span, e.answer, e.translations) for e in expect], text


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(bank=banks())
def test_ingest_export_round_trip(bank: list[Gen]) -> None:
    text, expect = render(bank, final_newline=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.md"
        path.write_text(text, encoding="utf-8")
        with Store.open(Path(tmp) / "bank.sqlite3") as store:
            report = ingest_paths(store, [path])
            assert report.ok, report.files[0].error
            records = [json.loads(line) for line in jsonl_lines(store.items())]
    assert [(r["question"], r["answer"], r["answer_line_start"], r["answer_line_end"], r["section"], r["number"],
             r["translations"]) for r in records] == [
        (e.question, e.answer, *e.span, e.section, e.number, e.translations) for e in expect]
    assert all(r["source"] == str(path.resolve()) for r in records)
