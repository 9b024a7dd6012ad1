"""Answers that are not answers: the question echoed or paraphrased back, "I don't know",
and keyword strings (terms strung together with spaces, commas or bullets, in any script).

These are recognised from the answer's form, before any grade is computed, so that no
combination of similarity signals can turn them into a score. Real bulleted answers — short
Chinese bullets included — are statements (a verb, a relation, a function word), not terms.
"""

from __future__ import annotations

import re

from ..ingest.questionlike import imperative, strong
from ..search.tokenize import EN_STOPWORDS, fold, tagged
from ..text.lang import cjk_count
from ..text.script import to_simplified
from .spans import Span, split

ECHO_EXTRA = 16  # characters around a verbatim question that still make the sentence an echo
NON_ANSWER = 0.7  # USE cosine to a stock "I don't know" that marks a non-answer
NON_ANSWERS = ["I don't know.", "No idea, sorry.", "I am not sure.", "Skip this question.", "Pass.",
               "I have never learned this.", "我不知道。", "不清楚。", "我不会。", "跳过。", "我不確定。", "不曉得。",
               "这个我真的不知道。", "没学过，不会。", "沒碰過這個。"]

# -- the question echoed -------------------------------------------------------------------------


def cut_verbatim(answer: str, questions: list[str]) -> str:
    """Blank out every verbatim copy of a question text (in either script) inside the answer;
    offsets of the rest stay where they were."""
    folded = to_simplified(answer)
    if len(folded) != len(answer):
        return answer
    for q in questions:
        needle = to_simplified(q).strip().rstrip("?？。.!！ ")
        if len(needle) < 6:
            continue
        start = folded.find(needle)
        while start >= 0:
            end = start + len(needle)
            answer = answer[:start] + " " * len(needle) + answer[end:]
            folded = folded[:start] + " " * len(needle) + folded[end:]
            start = folded.find(needle, end)
    return answer


def restates(span_key: str, question_keys: list[str]) -> bool:
    """The sentence is (part of) the question, or the question with a few words around it."""
    return any(span_key in qk or (qk and qk in span_key and len(span_key) - len(qk) <= ECHO_EXTRA)
               for qk in question_keys)


def without(text: str, spans: list[Span]) -> str:
    """`text` with the given spans cut out (the question echoed inside an answer)."""
    for sp in sorted(spans, key=lambda x: -x.start):
        text = text[:sp.start] + text[sp.end:]
    return text


NOVELTY = 0.3  # share of an answer's content words that are not the question's, below which it restates it
NOVELTY_MIN_WORDS = 8


def restates_question(answer_words: list[str], question_words: frozenset[str], reference_words: frozenset[str]) -> bool:
    """The question paraphrased as a statement ("overfitting shows in generative models, and some
    techniques can prevent it"): nearly every content word is one of the question's, and the few
    others say nothing the reference says. On our development answers, echoes had at most 25 %
    new words; real answers, vague ones included, 32 %+. A short answer that relates the
    question's own terms the way the reference does ("terminal 1 is separated by the gap") is
    not an echo."""
    if len(answer_words) < NOVELTY_MIN_WORDS or not question_words:
        return False
    new = [w for w in answer_words if w not in question_words]
    return len(new) / len(answer_words) < NOVELTY and not any(w in reference_words for w in new)


def only_questions(answer: str) -> bool:
    """Every sentence asks ("What is …?", "Describe …"): the question paraphrased back, or
    questions in return, with no answer given."""
    sentences = [sp.text.strip() for sp in split(answer, min_weight=2)]
    return bool(sentences) and all(strong(t) or imperative(t) for t in sentences)


# -- keyword strings ------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[,，、;；/|\n·•]+|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_BULLET = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)、．]|[(（]\d{1,3}[)）])\s*")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9'\-+]*|\d+(?:\.\d+)?")
_SENTENCE_END = re.compile(r"[。！？!?]|\.\s")
# A Chinese fragment states something when it has one of these parts of speech (jieba flags):
# verbs (but not verbal nouns like 训练), prepositions, conjunctions, particles (的, 了), adverbs,
# adjectives used as predicates, pronouns.
_RELATION_FLAGS = ("v", "p", "c", "u", "d", "r", "a", "f")
_TERM_FLAGS = ("vn", "an", "nr", "ns", "nt", "nz")
_ZH_FUNCTION = set("的了是在把被将会能让使用以对从为而并就都也还不没要需时呈")
SHORT_TERM = 5  # Chinese characters: a fragment this short with no function character is a term
KEYWORD_MIN_TERMS = 4
LONE_SLIP = 8  # bare terms around which one fragment that seems to state something is a slip
SPACE_RUN_WORDS = 5  # Latin words in a row without a single function word: a string of terms


def _states_zh(fragment: str) -> bool:
    words = [(w, f) for w, f in tagged(fold(fragment)) if w.strip()]
    if any(w in _ZH_FUNCTION for w, _ in words):  # 的, 是, 用 … as words of their own (not 作用, 性能)
        return True
    if cjk_count(fragment) <= SHORT_TERM:  # "数据增强", "无标注语料": a term, whatever jieba tags it
        return False
    relations = [w for w, f in words if f.startswith(_RELATION_FLAGS) and not f.startswith(_TERM_FLAGS)]
    # one verb inside a compound term ("数据增强") does not make a statement; a verb with an object does
    return len(relations) >= 2 or (len(relations) == 1 and len(words) >= 3)


def _terms(fragment: str) -> tuple[int, bool]:
    """(how many terms the fragment is, whether it is a statement rather than terms)."""
    latin = _LATIN.findall(fragment)
    if cjk_count(fragment) >= 2:
        return 1, _states_zh(re.sub(r"[A-Za-z0-9'\-+.]+", " ", fragment)) or len(latin) >= 4
    if not latin:
        return 0, False
    function = [w for w in latin if w.lower() in EN_STOPWORDS]
    if function:
        return 1, True
    if len(latin) >= SPACE_RUN_WORDS:  # "gradient clipping norm threshold exploding gradients"
        return len(latin), False
    return 1, False


def keyword_string(answer: str) -> bool:
    """Terms strung together — by spaces, commas, 、, semicolons or bullets, in any script —
    with nothing said about them. Sentences and bullets that state something are not."""
    if _SENTENCE_END.search(answer.strip().rstrip("。.!！")):
        return False
    fragments = [f for f in (_BULLET.sub("", p).strip(" -*•·.。:：") for p in _SEPARATORS.split(answer)) if f]
    counted = [_terms(f) for f in fragments]
    terms = sum(n for n, states in counted if not states)
    bare = sum(1 for n, states in counted if n and not states)
    stated = sum(1 for n, states in counted if n and states)
    # one fragment that states something ("梯度消失：梯度太小，參數難更新") makes it an answer, however
    # many bare technique names follow it — unless it is a lone slip among many terms ("边距会")
    return terms >= KEYWORD_MIN_TERMS and bare > 0 and (stated == 0 or (stated == 1 and bare >= LONE_SLIP))
