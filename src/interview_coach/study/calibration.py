"""The fitted grade: a logistic model over a handful of answer features, with weights fitted on
human-graded short answers (bench/fit_grader.py writes `grader_params.json`; the data it was
fitted on and the agreement measured are recorded in that file and in bench/grading_data.md).

    score = stretch(100 × sigmoid(bias + Σ weight_k × feature_k))

The score estimates the human grade as a share of the full mark: 80 means "a grader would
give about 4 out of 5". The labels cut it into bands (also fitted: the cuts that best agree
with the human bands on the fitting data).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
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
    # Word-overlap features mean nothing between an English answer and a Chinese reference:
    # there they are replaced by their expected value given the meaning-based features
    # (a linear fit on same-language answers): {feature: {"bias": b, other feature: weight, …}}.
    impute: dict[str, dict[str, float]] = field(default_factory=dict)
    # The logistic output estimates the grade on the mixture of fitting sets, whose mean pulls it
    # towards the middle; the score scale is then set on our interview answers (the judges'
    # 0–5 grades): its logit is shifted and stretched, z' = shift + slope × z (order kept, no ties).
    scale: tuple[float, float] = (0.0, 1.0)

    def complete(self, values: dict[str, float]) -> dict[str, float]:
        """`values` with the word-overlap features imputed when the answer is in another language
        than every reference (`cross` = 1)."""
        if not values.get("cross") or not self.impute:
            return values
        out = dict(values)
        for name, coef in self.impute.items():
            out[name] = min(1.0, max(0.0, coef.get("bias", 0.0) + sum(w * values[f] for f, w in coef.items() if f != "bias")))
        return out

    def row(self, values: dict[str, float]) -> list[float]:
        """The model's inputs: each feature by name; "f@zh" is feature f for a Chinese answer
        (0 for others), so that Chinese answers get their own weights where the data says so."""
        values = self.complete(values)
        return [values[f.split("@")[0]] * values.get("zh", 0.0) if f.endswith("@zh") else values[f] for f in self.features]

    def raw(self, values: dict[str, float]) -> float:
        """The logistic output, 0–100."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, self.row(values), strict=True))
        return 100.0 / (1.0 + math.exp(-z))

    def stretch(self, raw: float) -> float:
        shift, slope = self.scale
        p = min(max(raw / 100.0, 1e-9), 1 - 1e-9)
        return 100.0 / (1.0 + math.exp(-(shift + slope * math.log(p / (1 - p)))))

    def score(self, values: dict[str, float]) -> float:
        return self.stretch(self.raw(values))

    def label(self, score: float) -> Label:
        return Label.correct if score >= self.correct else Label.partial if score >= self.partial else Label.incorrect


def from_dict(d: dict[str, Any]) -> Params:
    return Params(tuple(d["features"]), tuple(float(w) for w in d["weights"]), float(d["bias"]),
                  float(d["sem_lo"]), float(d["sem_hi"]), float(d["correct"]), float(d["partial"]),
                  dict(d.get("meta", {})), {k: dict(v) for k, v in d.get("impute", {}).items()},
                  tuple(d.get("scale", (0.0, 1.0))))  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def shipped() -> Params:
    """The parameters shipped with the package."""
    text = resources.files(__package__).joinpath("grader_params.json").read_text(encoding="utf-8")
    return from_dict(json.loads(text))
