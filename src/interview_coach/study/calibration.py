"""The fitted grade: a logistic model over a handful of answer features, with weights fitted on
human-graded short answers (bench/fit_grader.py writes `grader_params.json`; the data it was
fitted on and the agreement measured are recorded in that file and in bench/grading_data.md).

    score = 100 × sigmoid(bias + Σ weight_k × feature_k)

The score estimates the human grade as a share of the full mark: 80 means "a grader would
give about 4 out of 5". The labels cut it into bands (also fitted: the cuts that best agree
with the human bands on the fitting data).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any


class Label(StrEnum):
    off_topic = "off topic"
    incorrect = "incorrect"
    partial = "partially correct"
    correct = "correct"


@dataclass(frozen=True, slots=True)
class Params:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    sem_lo: float  # USE cosine of a key point and an answer span that starts to earn credit ...
    sem_hi: float  # ... and the cosine that earns it in full
    correct: float  # score from which an answer is labelled correct ...
    partial: float  # ... partially correct (below: incorrect)
    meta: dict[str, Any]

    def score(self, values: dict[str, float]) -> float:
        z = self.bias + sum(w * values[f] for f, w in zip(self.features, self.weights, strict=True))
        return 100.0 / (1.0 + math.exp(-z))

    def label(self, score: float) -> Label:
        return Label.correct if score >= self.correct else Label.partial if score >= self.partial else Label.incorrect


def from_dict(d: dict[str, Any]) -> Params:
    return Params(tuple(d["features"]), tuple(float(w) for w in d["weights"]), float(d["bias"]),
                  float(d["sem_lo"]), float(d["sem_hi"]), float(d["correct"]), float(d["partial"]),
                  dict(d.get("meta", {})))


@lru_cache(maxsize=1)
def shipped() -> Params:
    """The parameters shipped with the package."""
    text = resources.files(__package__).joinpath("grader_params.json").read_text(encoding="utf-8")
    return from_dict(json.loads(text))
