"""Show questions and references in the user's preferred script (en, zh-Hans, zh-Hant).

A variant already written in that script is used as it is; otherwise Chinese text is
converted with OpenCC and the result says so (`converted`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..bank.store import QuestionView
from ..text.lang import detect_lang
from ..text.script import to_simplified, to_traditional_display


@dataclass(frozen=True, slots=True)
class Shown:
    text: str
    lang: str  # the language of `text` as shown
    converted: bool  # True when OpenCC produced it from another script


def in_script(text: str, lang: str, script: str) -> Shown:
    if script == "zh-Hans" and lang in ("zh-Hant", "mixed"):
        out = to_simplified(text)
        return Shown(out, "zh-Hans" if lang == "zh-Hant" else lang, out != text)
    if script == "zh-Hant" and lang in ("zh-Hans", "mixed"):
        out = to_traditional_display(text)
        return Shown(out, "zh-Hant" if lang == "zh-Hans" else lang, out != text)
    return Shown(text, lang, False)


def question_text(q: QuestionView, script: str) -> Shown:
    """The question in `script`: a variant written in it, else a converted Chinese one."""
    variants: list[tuple[str, str]] = []
    for it in q.items:
        variants.append((it.lang, it.question))
        variants.extend(it.translations.items())
    for lang, text in variants:
        if lang == script:
            return Shown(text, lang, False)
    if script.startswith("zh"):
        for lang, text in variants:
            if lang.startswith("zh") or lang == "mixed":
                return in_script(text, lang, script)
    lang, text = variants[0]
    return Shown(text, lang, False)


def answer_text(answer: str, script: str) -> Shown:
    return in_script(answer, detect_lang(answer[:400]), script)
