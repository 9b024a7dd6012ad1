"""Grading against the bank: references of a canonical question, every other question as
the comparison set, embeddings cached in the bank by content hash."""

from __future__ import annotations

from ..bank.store import QuestionView, Store
from ..errors import InvalidInput
from ..providers import registry
from .grading import Embedder, Grade, Grader, Reference

SENTENCE_MODEL = "use"  # fast (ms per sentence) and the best calibrated for sentence matching
QUESTION_MODEL = "e5"  # matches an answer to the question it answers (query/passage prefixes)


def reference_of(q: QuestionView) -> Reference:
    """Every wording of the question (items, translations) and every reference answer."""
    questions: list[str] = []
    answers: list[str] = []
    for it in q.items:
        for text in [it.question, *it.translations.values()]:
            if text not in questions:
                questions.append(text)
        if it.answer and it.answer not in answers:
            answers.append(it.answer)
    return Reference(questions, answers, q.question_id)


class BankGrader:
    """Builds the comparison set once; grading an answer then takes tens of milliseconds."""

    def __init__(self, store: Store) -> None:
        self.store = store
        views = store.questions()
        self.refs = {q.question_id: reference_of(q) for q in views}
        self.order = [q.question_id for q in views]
        self.embedder = Embedder([registry.load(SENTENCE_MODEL), registry.load(QUESTION_MODEL)], store)
        self.grader = Grader(self.embedder, [self.refs[q] for q in self.order])

    def grade(self, question_id: str, answer: str) -> Grade:
        qid = self.store.question(question_id).question_id
        ref = self.refs.get(qid)
        if ref is None or not ref.answers:
            raise InvalidInput([f"question {qid} has no reference answer in the bank to grade against"])
        return self.grader.grade(ref, answer, exclude=self.grader.rivals.index(qid))
