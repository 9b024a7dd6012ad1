"""Any encoding a Chinese/English question bank is likely to come in reads to the same
items as its UTF-8 version; line endings never change line numbers."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from interview_coach.bank.store import Store
from interview_coach.export.jsonl import item_record
from interview_coach.ingest.model import ParseResult
from interview_coach.ingest.parse import parse_lines
from interview_coach.ingest.pipeline import ingest_paths
from interview_coach.ingest.reader import Document, read_document, split_lines

# simplified and traditional questions in one bank (GBK/GB18030 can hold both scripts)
BOTH_SCRIPTS = """# 机器学习面试题

## 基础

1. 什么是过拟合？
答案：
模型在训练集上表现很好，但在新数据上表现变差。
可以用正则化、早停和更多数据来缓解。

2. 学习率过大会怎样？
答案：
损失会震荡甚至发散。

## 進階

3. 請解釋注意力機制的作用？
答案：
讓模型在每個位置動態地聚焦輸入中相關的部分。

4. 什麼是詞嵌入？
答案：
把詞映射到稠密向量，語義相近的詞距離較近。
"""

# traditional only, so that Big5 can hold it too
TRADITIONAL = """# 深度學習面試題

## 模型訓練

1. 什麼是過擬合？
答案：
模型在訓練集上表現很好，但在新資料上表現變差。
可以用正則化、提前停止與更多資料來緩解。

2. 請說明批次正規化的作用？
答案：
讓每層輸入的分佈更穩定，訓練更快。

3. 為什麼需要驗證集？
答案：
用來調整超參數並估計泛化能力。
"""

# bilingual pairs: mostly English with Chinese translation lines
BILINGUAL = """# Interview notes

1. What is overfitting?
什么是过拟合？

Answer:
The model fits noise in the training data and generalizes poorly.

2. Why use dropout?
为什么使用丢弃法？

Answer:
It randomly disables units so the network cannot rely on any single one.
"""

# an English bank whose only Chinese is a short gloss
ENGLISH_WITH_GLOSS = """# Transformer basics

1. What does the attention layer compute (注意力)?
Answer:
A weighted sum of value vectors, with weights from query-key similarity.

2. Why is positional encoding needed?
Answer:
Self-attention is order-agnostic, so position must be injected explicitly.
"""

# (label, how to write the text to bytes, encodings the reader may sensibly report)
ENCODINGS: dict[str, tuple[str, str, set[str]]] = {
    "utf-8": ("utf-8", "", {"utf-8"}),
    "utf-8-bom": ("utf-8", "\ufeff", {"utf-8-sig", "utf-8"}),
    "utf-16-le-bom": ("utf-16-le", "\ufeff", {"utf-16-le", "utf-16"}),
    "utf-16-be-bom": ("utf-16-be", "\ufeff", {"utf-16-be", "utf-16"}),
    "gb18030": ("gb18030", "", {"gb18030"}),
    "gbk": ("gbk", "", {"gbk", "gb18030"}),
    "big5": ("big5", "", {"big5", "big5hkscs", "cp950"}),
}

CASES = [
    ("both_scripts", enc) for enc in ENCODINGS if enc != "big5"
] + [
    ("traditional", enc) for enc in ENCODINGS
] + [
    ("bilingual", enc) for enc in ENCODINGS if enc != "big5"
]
TEXTS = {"both_scripts": BOTH_SCRIPTS, "traditional": TRADITIONAL, "bilingual": BILINGUAL,
         "english_with_gloss": ENGLISH_WITH_GLOSS}


def _canonical(name: str) -> str:
    return codecs.lookup(name).name


def _write(path: Path, text: str, label: str) -> Path:
    codec, bom, _ = ENCODINGS[label]
    path.write_bytes((bom + text).encode(codec))
    return path


def _signature(result: ParseResult) -> list[tuple[object, ...]]:
    return [
        (it.question, it.question_line, it.line_start, it.line_end, it.lang, it.section, it.number,
         tuple(sorted(it.translations.items())), it.answer, it.answer_line_start, it.answer_line_end)
        for it in result.items
    ]


def _parsed(doc: Document) -> ParseResult:
    return parse_lines(doc.lines)


@pytest.mark.parametrize(("text_name", "label"), CASES, ids=[f"{t}-{e}" for t, e in CASES])
def test_same_items_as_utf8(tmp_path: Path, text_name: str, label: str) -> None:
    text = TEXTS[text_name]
    reference = _parsed(read_document(_write(tmp_path / "ref.md", text, "utf-8")))
    assert len(reference.items) >= 2 and all(it.answer for it in reference.items)

    doc = read_document(_write(tmp_path / f"bank-{label}.md", text, label))
    assert doc.text.lstrip("\ufeff") == text
    assert _signature(_parsed(doc)) == _signature(reference)
    assert _canonical(doc.encoding) in {_canonical(e) for e in ENCODINGS[label][2]}, doc.encoding


@pytest.mark.parametrize("label", ["gbk", "gb18030", "big5"])
def test_english_bank_with_a_short_chinese_gloss(tmp_path: Path, label: str) -> None:
    """Mostly ASCII with a few Chinese characters: the Chinese must not turn into mojibake."""
    text = ENGLISH_WITH_GLOSS
    doc = read_document(_write(tmp_path / f"gloss-{label}.md", text, label))
    assert "注意力" in doc.text, f"decoded as {doc.encoding}: {doc.text.splitlines()[2]!r}"
    assert doc.text == text


def test_utf8_bom_is_not_part_of_the_first_line(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path / "bom.md", BOTH_SCRIPTS, "utf-8-bom"))
    assert doc.lines[0] == "# 机器学习面试题"
    assert doc.encoding in ("utf-8-sig", "utf-8")


def test_encoding_is_stored_with_the_source(tmp_path: Path) -> None:
    files = [_write(tmp_path / "a.md", TRADITIONAL, "big5"), _write(tmp_path / "b.md", BOTH_SCRIPTS, "utf-16-le-bom"),
             _write(tmp_path / "c.md", BOTH_SCRIPTS, "gbk")]
    with Store.open(tmp_path / "bank.sqlite3") as store:
        report = ingest_paths(store, files)
        assert report.ok, [f.error for f in report.files]
        encodings = {Path(s.path).name: _canonical(s.encoding) for s in store.sources()}
        questions = {it.question for it in store.items()}
    assert encodings["a.md"] in {"big5", "big5hkscs", "cp950"}
    assert encodings["b.md"] in {"utf-16-le", "utf-16"}
    assert encodings["c.md"] in {"gbk", "gb18030"}
    assert {"什麼是過擬合？", "什么是过拟合？", "請解釋注意力機制的作用？"} <= questions


# --- line endings -------------------------------------------------------------------

@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize("text_name", ["both_scripts", "bilingual"])
def test_line_endings_give_the_same_line_numbers(tmp_path: Path, newline: str, text_name: str) -> None:
    text = TEXTS[text_name]
    reference = _parsed(read_document(_write(tmp_path / "lf.md", text, "utf-8")))
    other = tmp_path / "other.md"
    other.write_bytes(text.replace("\n", newline).encode("utf-8"))
    doc = read_document(other)
    assert len(doc.lines) == len(text.splitlines())
    result = _parsed(doc)
    assert _signature(result) == _signature(reference)
    for it in result.items:
        assert "\r" not in (it.answer or "") and "\r" not in it.question


def test_crlf_through_the_bank_keeps_line_numbers(tmp_path: Path) -> None:
    lf, crlf = tmp_path / "lf" / "bank.md", tmp_path / "crlf" / "bank.md"
    lf.parent.mkdir()
    crlf.parent.mkdir()
    lf.write_text(BOTH_SCRIPTS, encoding="utf-8", newline="\n")
    crlf.write_text(BOTH_SCRIPTS, encoding="utf-8", newline="\r\n")
    spans = {}
    for path in (lf, crlf):
        with Store.open(tmp_path / f"{path.parent.name}.sqlite3") as store:
            assert ingest_paths(store, [path]).ok
            spans[path.parent.name] = [
                {k: v for k, v in item_record(it).items() if k not in ("item_id", "question_id", "source")}
                for it in store.items()
            ]
    assert spans["lf"] == spans["crlf"]
    assert [s["answer_line_start"] for s in spans["crlf"]] == [7, 12, 18, 22]


def test_mixed_line_endings_and_no_final_newline(tmp_path: Path) -> None:
    lines = BOTH_SCRIPTS.splitlines()
    parts = []
    for k, line in enumerate(lines):
        end = ["\n", "\r\n", "\r"][k % 3]
        if end == "\r" and k + 1 < len(lines) and lines[k + 1] == "":
            end = "\r\n"  # a CR then an empty LF line would read as one CRLF
        parts.append(line + end)
    mixed = "".join(parts).rstrip("\r\n")
    assert "\r" in mixed.replace("\r\n", "") and "\n" in mixed.replace("\r\n", "")
    path = tmp_path / "mixed.md"
    path.write_bytes(mixed.encode("utf-8"))
    reference = _parsed(read_document(_write(tmp_path / "lf.md", BOTH_SCRIPTS, "utf-8")))
    assert _signature(_parsed(read_document(path))) == _signature(reference)


def test_only_cr_and_lf_end_lines() -> None:
    """Form feeds, NEL and Unicode line separators inside a line do not shift line numbers."""
    text = "1. What is a\x0ctensor?\nAnswer:\nAn array\u2028with axes\x85and a dtype.\r\nEnd\rlast"
    assert split_lines(text) == ["1. What is a\x0ctensor?", "Answer:", "An array\u2028with axes\x85and a dtype.",
                                 "End", "last"]
    assert split_lines("a\n\nb\n") == ["a", "", "b"]
    assert split_lines("a\r\n\r\n") == ["a", ""]


# --- damaged and guessed encodings: decoded, and said so ----------------------------

def test_utf8_with_a_stray_byte_stays_utf8_with_a_notice(tmp_path: Path) -> None:
    data = BOTH_SCRIPTS.encode("utf-8").replace("震荡".encode(), b"\xff" + "震荡".encode())
    path = tmp_path / "damaged.md"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.encoding == "utf-8" and "\ufffd震荡" in doc.text
    line = doc.lines.index(next(x for x in doc.lines if "震荡" in x)) + 1
    assert doc.notices == ((line, f"1 byte that is not valid UTF-8 replaced by \ufffd (first on line {line})"),)
    with Store.open(tmp_path / "bank.sqlite3") as store:
        report = ingest_paths(store, [path])
        assert report.ok and report.files[0].items == 4
        assert (line, doc.notices[0][1]) in report.files[0].notices


def test_ascii_with_windows_quotes_reads_as_cp1252_with_a_notice(tmp_path: Path) -> None:
    text = ENGLISH_WITH_GLOSS.replace(" (注意力)", "").replace("Why is positional", "Why is \u201cpositional\u201d")
    text = text.replace("explicitly", "explicitly, na\u00efvely put")
    path = tmp_path / "windows.md"
    path.write_bytes(text.encode("cp1252"))
    doc = read_document(path)
    assert doc.text == text and doc.encoding == "cp1252"
    assert [n for n in doc.notices if "decoded as cp1252" in n[1]]


def test_ascii_with_one_stray_high_byte_is_not_silently_guessed(tmp_path: Path) -> None:
    path = tmp_path / "stray.md"
    path.write_bytes(ENGLISH_WITH_GLOSS.replace(" (注意力)", "").encode("ascii").replace(b"weighted", b"weighted\xff"))
    doc = read_document(path)
    assert doc.notices and "not UTF-8" in doc.notices[0][1]
    assert _parsed(doc).items[1].question == "Why is positional encoding needed?"


def test_many_invalid_bytes_are_not_taken_for_damaged_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk-with-utf8.md"
    # one UTF-8 character in an otherwise GBK file: the GBK bytes are not "a few stray bytes"
    path.write_bytes("é\n".encode() + TRADITIONAL.encode("gbk"))
    doc = read_document(path)
    assert doc.encoding == "gb18030" and "什麼是過擬合？" in doc.text
