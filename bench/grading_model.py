"""Fitting the grade model: fractional logistic regression on the grader's features, cross-
validated by question (GroupKFold: every question's answers fall in one fold, so a fold's
questions are unseen, as a user's bank always is), and the metrics the evaluation reports.

Pure numpy; used by bench/fit_grader.py and bench/grading_eval.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from grading_data import Record
from grading_features import Read

from interview_coach.study.calibration import Params
from interview_coach.study.grading import NOT_AN_ANSWER, features

FOLDS = 5
L2 = 1.0  # ridge penalty on the standardised weights (in units of the total sample weight)


# -- metrics ------------------------------------------------------------------------------------
def pearson(a: Sequence[float], b: Sequence[float]) -> float:
    x, y = np.asarray(a, float), np.asarray(b, float)
    if len(x) < 3 or x.std() == 0 or y.std() == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def ranks(values: Sequence[float]) -> np.ndarray:
    x = np.asarray(values, float)
    order = np.argsort(x, kind="mergesort")
    out = np.empty(len(x))
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and x[order[j + 1]] == x[order[i]]:
            j += 1
        out[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    return pearson(ranks(a), ranks(b))


def auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    p, n = np.asarray(pos, float), np.asarray(neg, float)
    if not len(p) or not len(n):
        return float("nan")
    wins = (p[:, None] > n[None, :]).sum() + 0.5 * (p[:, None] == n[None, :]).sum()
    return float(wins / (len(p) * len(n)))


# -- design matrix ------------------------------------------------------------------------------
@dataclass(slots=True)
class Table:
    """Features of the gradable answers of some records, with their grades and groups."""

    names: tuple[str, ...]
    x: np.ndarray  # (n, k)
    y: np.ndarray  # grade 0..1
    groups: np.ndarray  # question ids
    sets: np.ndarray  # dataset names
    rows: np.ndarray  # index into the records
    capped: np.ndarray  # the grader caps these (keyword string, questions only)


def table(records: list[Record], reads: list[Read], names: Sequence[str], params: Params) -> Table:
    xs, rows, capped = [], [], []
    for i, rd in enumerate(reads):
        if rd.measures is None:
            continue
        values, _ = features(rd.measures, params)
        xs.append(replace(params, features=tuple(names)).row(values))
        rows.append(i)
        capped.append(rd.junk)
    idx = np.array(rows, dtype=np.int64)
    return Table(tuple(names), np.array(xs, dtype=float).reshape(len(rows), len(names)),
                 np.array([records[i].grade for i in idx]), np.array([records[i].question_id for i in idx]),
                 np.array([records[i].dataset for i in idx]), idx, np.array(capped, dtype=bool))


def fold_of(question_id: str, folds: int = FOLDS) -> int:
    """A question's fold: stable, from a hash of its id."""
    return int(hashlib.sha256(question_id.encode()).hexdigest(), 16) % folds


def balanced_folds(groups: np.ndarray, folds: int = FOLDS) -> np.ndarray:
    """GroupKFold: questions dealt to folds largest first, each to the fold with fewest answers
    so far (ties by a stable hash), so every fold holds whole questions and similar sizes."""
    ids, counts = np.unique(groups, return_counts=True)
    load = np.zeros(folds)
    where: dict[str, int] = {}
    for qid, c in sorted(zip(ids, counts, strict=True), key=lambda t: (-t[1], fold_of(str(t[0]), 1 << 30))):
        f = int(np.argmin(load))
        where[str(qid)] = f
        load[f] += c
    return np.array([where[str(g)] for g in groups])


# -- the model ----------------------------------------------------------------------------------
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass(slots=True)
class Model:
    names: tuple[str, ...]
    weights: np.ndarray  # raw-feature scale
    bias: float

    def predict(self, x: np.ndarray) -> np.ndarray:
        return 100.0 * _sigmoid(x @ self.weights + self.bias)


def set_weights(sets: np.ndarray) -> np.ndarray:
    """Each data set weighs the same in total, whatever its size."""
    names, counts = np.unique(sets, return_counts=True)
    per = dict(zip(names, 1.0 / counts, strict=True))
    w = np.array([per[s] for s in sets])
    return w / w.sum() * len(np.unique(sets))


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: Sequence[str], l2: float = L2) -> Model:
    """Fractional logistic regression (cross-entropy with targets in [0, 1]) by Newton steps,
    on standardised features with a ridge penalty; weights returned on the raw scale."""
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mu) / sd])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2 * w.sum() / len(w) * 1e-2)
    penalty[0] = 0.0
    for _ in range(100):
        p = _sigmoid(z @ beta)
        grad = z.T @ (w * (p - y)) + penalty * beta * len(w)
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty * len(w)) + 1e-9 * np.eye(z.shape[1])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = beta[1:] / sd
    return Model(tuple(names), weights, float(beta[0] - (mu / sd) @ beta[1:]))


def out_of_fold(t: Table, fit_mask: np.ndarray, l2: float = L2,
                finish: Callable[[float], float] = float) -> np.ndarray:
    """Predictions for every row from a model fitted without that row's question's fold (folds
    are dealt per data set, so every set is split by question); rows outside `fit_mask` are
    never fitted on and are predicted by every fold's model, averaged. `finish` maps the logistic
    output to the score (the shipped scale)."""
    folds = np.zeros(len(t.y), dtype=np.int64)
    for s in np.unique(t.sets):
        m = t.sets == s
        folds[m] = balanced_folds(t.groups[m])
    pred = np.zeros(len(t.y))
    outside = np.zeros(len(t.y))
    for k in range(FOLDS):
        train = fit_mask & (folds != k) & ~t.capped
        model = fit(t.x[train], t.y[train], set_weights(t.sets[train]), t.names, l2)
        test = fit_mask & (folds == k)
        pred[test] = model.predict(t.x[test])
        outside[~fit_mask] += model.predict(t.x[~fit_mask]) / FOLDS
    pred[~fit_mask] = outside[~fit_mask]
    pred = np.array([finish(float(p)) for p in pred])  # the score scale, then the cap, as the grader does
    return np.where(t.capped, np.minimum(pred, NOT_AN_ANSWER), pred)


def scores_for(records: list[Record], t: Table, pred: np.ndarray) -> np.ndarray:
    """Scores for every record: the prediction where gradable, 0 for non-answers."""
    out = np.zeros(len(records))
    out[t.rows] = pred
    return out


# -- imputing word overlap across languages ------------------------------------------------------
IMPUTED = ("coverage", "coverage_words", "f1", "recall", "precision")
PREDICTORS = ("cos_use", "cos_e5", "coverage_meaning")


def fit_impute(records: list[Record], reads: list[Read], params: Params) -> dict[str, dict[str, float]]:
    """Linear fits of each word-overlap feature on the meaning-based ones, on answers written in
    the language of a reference (each data set weighted equally)."""
    rows, sets = [], []
    for r, rd in zip(records, reads, strict=True):
        if rd.measures is None or rd.measures.whole.get("cross"):
            continue
        values, _ = features(rd.measures, params)
        rows.append(values)
        sets.append(r.dataset)
    w = np.sqrt(set_weights(np.array(sets)))
    x = np.array([[1.0] + [v[p] for p in PREDICTORS] for v in rows]) * w[:, None]
    out = {}
    for name in IMPUTED:
        y = np.array([v[name] for v in rows]) * w
        coef, *_ = np.linalg.lstsq(x, y, rcond=None)
        out[name] = {"bias": round(float(coef[0]), 6)}
        out[name] |= {p: round(float(c), 6) for p, c in zip(PREDICTORS, coef[1:], strict=True)}
    return out
