"""Feedback in the reader's script: a key point shown in a wording of their language when the
references have one, else converted between simplified and traditional; the missed points; the
JSON contract with the label, reason and the off-topic question."""

from __future__ import annotations

from interview_coach.study.calibration import Label
from interview_coach.study.feedback import grade_json, missed, point_text
from interview_coach.study.grading import Grade, PointResult, Status
from interview_coach.study.veto import Veto
from interview_coach.text.script import to_simplified

TRAD = "梯度裁剪在梯度範數超過閾值時把梯度按比例縮小。"
EN = "Gradient clipping rescales the gradient when its norm exceeds a threshold."


def _point(status: Status, text: str = TRAD, variants: list[str] | None = None) -> PointResult:
    return PointResult(text, status, 0.0, 0.0, variants=variants if variants is not None else [TRAD, EN])


def test_a_point_is_shown_in_a_wording_of_the_readers_language() -> None:
    p = _point(Status.missing)
    assert point_text(p, "en") == EN
    assert point_text(p, "zh-Hant") == TRAD
    assert point_text(p, "zh-Hans") == "梯度裁剪在梯度范数超过阈值时把梯度按比例缩小。"


def test_without_a_wording_in_that_language_the_point_is_shown_as_it_is() -> None:
    p = _point(Status.missing, variants=[TRAD])
    assert point_text(p, "en") == TRAD


def test_missed_lists_missing_points_first_then_partial_ones() -> None:
    g = Grade(40.0, [_point(Status.partial, EN, [EN]), _point(Status.covered, "covered one", ["covered one"]),
                     _point(Status.missing, "missing one", ["missing one"])], 0.5, 0.4)
    assert missed(g, "en") == ["missing one", EN]


def test_grade_json_keeps_the_contract_and_names_the_other_question() -> None:
    veto = Veto("q123", "什麼是 KV 快取？", 0.7, 0.2)
    g = Grade(3.0, [_point(Status.missing)], 0.2, 0.0, ["off topic"], Label.off_topic, "answers another question", veto)
    out = grade_json("q1", g, "zh-Hans", ["參考答案。"])
    assert out["score"] == 3.0 and out["label"] == "off topic" and out["reason"]
    assert {"text", "status", "evidence", "evidence_start", "evidence_end"} <= set(out["key_points"][0])
    assert out["off_topic"] == {"question_id": "q123", "question": to_simplified("什麼是 KV 快取？")}
    assert out["references"] == ["参考答案。"]
    assert out["missed"] == ["梯度裁剪在梯度范数超过阈值时把梯度按比例缩小。"]
