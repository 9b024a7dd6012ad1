"""Questions and references shown in the preferred script: a variant written in it when there
is one, else Chinese converted by OpenCC and marked as converted."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_coach.bank.store import QuestionView, Store
from interview_coach.bank.types import Item
from interview_coach.ingest.pipeline import ingest_paths
from interview_coach.study.display import Shown, answer_text, in_script, question_text
from interview_coach.text.script import to_simplified, to_traditional

HANS_Q = "为什么 Transformer 需要位置编码？"
HANT_Q = "為什麼 Transformer 需要位置編碼？"
EN_Q = "Why does a transformer need positional encodings?"


def is_traditional_of(shown: Shown, simplified: str) -> bool:
    """`shown` renders `simplified` in traditional characters. (Which traditional standard —
    OpenCC's 爲 or Taiwan's 為 — is display's choice; both fold back to the same text.)"""
    return (shown.lang == "zh-Hant" and shown.converted and shown.text != simplified
            and to_simplified(shown.text) == simplified)


def _item(question: str, lang: str, translations: dict[str, str] | None = None, answer: str | None = None,
          n: int = 1) -> Item:
    return Item(question=question, question_line=n, line_start=n, line_end=n + 1, lang=lang, shape="qa",  # type: ignore[arg-type]
                translations=translations or {}, answer=answer, item_id=f"i{n}", question_id="q1",
                source=f"/notes/{n}.md", position=n)


def test_opencc_pair_used_here_really_differs() -> None:
    assert to_simplified(HANT_Q) == HANS_Q
    assert to_traditional(HANS_Q) != HANS_Q and to_simplified(to_traditional(HANS_Q)) == HANS_Q


@pytest.mark.parametrize(("text", "lang", "script", "expected"), [
    (HANT_Q, "zh-Hant", "zh-Hans", Shown(HANS_Q, "zh-Hans", True)),
    (HANS_Q, "zh-Hans", "zh-Hans", Shown(HANS_Q, "zh-Hans", False)),
    (HANT_Q, "zh-Hant", "zh-Hant", Shown(HANT_Q, "zh-Hant", False)),
    (EN_Q, "en", "zh-Hans", Shown(EN_Q, "en", False)),
    (EN_Q, "en", "zh-Hant", Shown(EN_Q, "en", False)),
    (HANT_Q, "zh-Hant", "en", Shown(HANT_Q, "zh-Hant", False)),
    # mixed text keeps its language tag but is converted
    ("什麼是 RLHF (reinforcement learning from human feedback)?", "mixed", "zh-Hans",
     Shown("什么是 RLHF (reinforcement learning from human feedback)?", "mixed", True)),
])
def test_in_script(text: str, lang: str, script: str, expected: Shown) -> None:
    assert in_script(text, lang, script) == expected


def test_simplified_is_converted_to_traditional() -> None:
    assert is_traditional_of(in_script(HANS_Q, "zh-Hans", "zh-Hant"), HANS_Q)


def test_conversion_that_changes_nothing_is_not_marked_converted() -> None:
    same = "大模型"  # written the same in both scripts
    assert to_traditional(same) == same
    assert in_script(same, "zh-Hans", "zh-Hant") == Shown(same, "zh-Hant", False)


def test_a_variant_in_the_preferred_script_is_used_as_written() -> None:
    q = QuestionView("q1", [
        _item(EN_Q, "en", {"zh-Hans": HANS_Q}, n=1),  # a bilingual line pair
        _item(HANT_Q, "zh-Hant", answer="自注意力不區分順序。", n=5),
    ])
    assert question_text(q, "zh-Hant") == Shown(HANT_Q, "zh-Hant", False)
    assert question_text(q, "zh-Hans") == Shown(HANS_Q, "zh-Hans", False)
    assert question_text(q, "en") == Shown(EN_Q, "en", False)


def test_chinese_is_converted_when_no_variant_is_in_the_preferred_script() -> None:
    only_hant = QuestionView("q1", [_item(HANT_Q, "zh-Hant")])
    assert question_text(only_hant, "zh-Hans") == Shown(HANS_Q, "zh-Hans", True)
    only_hans = QuestionView("q1", [_item(EN_Q, "en", {"zh-Hans": HANS_Q})])
    assert is_traditional_of(question_text(only_hans, "zh-Hant"), HANS_Q)


def test_english_is_never_machine_translated() -> None:
    only_en = QuestionView("q1", [_item(EN_Q, "en")])
    for script in ("zh-Hans", "zh-Hant", "en"):
        assert question_text(only_en, script) == Shown(EN_Q, "en", False)
    only_zh = QuestionView("q1", [_item(HANS_Q, "zh-Hans")])
    assert question_text(only_zh, "en") == Shown(HANS_Q, "zh-Hans", False)


def test_answer_text_detects_the_script_and_converts() -> None:
    hant = "自注意力對輸入的順序不敏感，位置編碼把位置資訊加到詞向量上。"
    shown = answer_text(hant, "zh-Hans")
    assert shown == Shown(to_simplified(hant), "zh-Hans", True)
    assert answer_text(hant, "zh-Hant") == Shown(hant, "zh-Hant", False)
    en = "Self-attention ignores order, so positions are added to the embeddings."
    assert answer_text(en, "zh-Hant") == Shown(en, "en", False)


def test_preferred_script_comes_from_the_bank_settings(tmp_path: Path) -> None:
    doc = tmp_path / "arch.md"
    doc.write_text(f"# 架構\n\nQ：{HANT_Q}\nA：自注意力對順序不敏感，需要位置編碼。\n", encoding="utf-8")
    with Store.open(tmp_path / "bank.sqlite3") as store:
        assert ingest_paths(store, [doc]).ok
        (q,) = store.questions()
        assert store.setting("script") == "zh-Hans"  # the default
        assert question_text(q, store.setting("script")) == Shown(HANS_Q, "zh-Hans", True)
        store.set_setting("script", "zh-Hant")
        assert question_text(q, store.setting("script")) == Shown(HANT_Q, "zh-Hant", False)
