"""Content words for grading: which words of a reference an answer repeats, beyond the question.

Words are the search tokens (`search.tokenize.tokens`: folded to simplified script and lower
case, Chinese segmented by jieba, stopwords dropped) with English inflections folded a little
further ("rescaled", "rescales", "rescaling" → "rescal"), so that an answer is not penalised
for writing a verb in another tense. *Question demoting*: words the question already contains
earn nothing — an answer that repeats the question's own terms has said nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..search.tokenize import tokens

_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "ly", "s", "e")


def stem(word: str) -> str:
    """A small suffix stripper for English words; Chinese words and short words stay whole."""
    if not word.isascii() or not word.isalpha() or len(word) <= 4:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Content words of `text`, in order, repeats kept."""
    return [stem(t) for t in tokens(text)]


def word_set(text: str) -> frozenset[str]:
    return frozenset(words(text))


def demoted(ws: Iterable[str], question: frozenset[str]) -> frozenset[str]:
    """The words that say something the question does not already say."""
    return frozenset(w for w in ws if w not in question)


def f1(answer: frozenset[str], reference: frozenset[str]) -> float:
    """Token F1 of two word sets (0 when either is empty)."""
    common = len(answer & reference)
    if not common:
        return 0.0
    p, r = common / len(answer), common / len(reference)
    return 2 * p * r / (p + r)


def recall(target: frozenset[str], found: frozenset[str]) -> float:
    """Share of `target` words that `found` contains (0 for an empty target)."""
    return len(target & found) / len(target) if target else 0.0
