"""Detector metrics written out in numpy, so evaluation needs no scikit-learn.

Labels: 1 = generated (fake), 0 = real. Scores: higher means more likely fake.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _check(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    labels = np.asarray(labels, dtype=np.int64).ravel()
    scores = np.asarray(scores, dtype=np.float64).ravel()
    if labels.shape != scores.shape:
        raise ValueError(f"{labels.size} labels but {scores.size} scores")
    if not np.isin(labels, (0, 1)).all():
        raise ValueError("labels must be 0 (real) or 1 (fake)")
    return labels, scores


def roc_auc(labels, scores) -> float:
    """Probability that a random fake scores above a random real (ties count half):
    the Mann-Whitney form of the area under the ROC curve."""
    labels, scores = _check(labels, scores)
    pos, neg = scores[labels == 1], scores[labels == 0]
    if pos.size == 0 or neg.size == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(scores.size, dtype=np.float64)
    sorted_scores = scores[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    for start, count in zip(first, counts, strict=True):
        ranks[order[start : start + count]] = start + (count + 1) / 2.0
    rank_sum = ranks[labels == 1].sum()
    return float((rank_sum - pos.size * (pos.size + 1) / 2.0) / (pos.size * neg.size))


def average_precision(labels, scores) -> float:
    """Mean of the precision at the rank of each fake, thresholds taken at every distinct
    score (tied scores are one threshold), as scikit-learn defines it."""
    labels, scores = _check(labels, scores)
    total_pos = int(labels.sum())
    if total_pos == 0:
        return float("nan")
    order = np.argsort(-scores, kind="mergesort")
    s, y = scores[order], labels[order]
    distinct = np.r_[np.nonzero(np.diff(s))[0], s.size - 1]  # last index of each tie group
    tp = np.cumsum(y)[distinct]
    fp = (distinct + 1) - tp
    precision = tp / (tp + fp)
    recall = tp / total_pos
    previous_recall = np.r_[0.0, recall[:-1]]
    return float(np.sum((recall - previous_recall) * precision))


@dataclass(frozen=True)
class Report:
    n_real: int
    n_fake: int
    accuracy: float
    average_precision: float
    roc_auc: float
    threshold: float
    # confusion matrix: rows = truth (real, fake), columns = verdict (real, fake)
    confusion: tuple[tuple[int, int], tuple[int, int]]

    def lines(self) -> list[str]:
        (tn, fp), (fn, tp) = self.confusion
        return [
            f"images: {self.n_real} real, {self.n_fake} fake",
            f"accuracy: {self.accuracy:.3f} at threshold {self.threshold:.3f}",
            f"average precision: {self.average_precision:.3f}",
            f"ROC AUC: {self.roc_auc:.3f}",
            "confusion (rows truth, columns verdict):",
            "              said real  said fake",
            f"  real        {tn:9d}  {fp:9d}",
            f"  fake        {fn:9d}  {tp:9d}",
        ]


def evaluate(labels, probabilities, threshold: float, ranking=None) -> Report:
    """Accuracy and confusion from probabilities at the threshold; AP and ROC AUC from
    `ranking` when given (log-odds: same order, no saturated ties), else the probabilities."""
    labels, probabilities = _check(labels, probabilities)
    order = probabilities if ranking is None else _check(labels, ranking)[1]
    verdict = (probabilities >= threshold).astype(np.int64)
    tn = int(np.sum((labels == 0) & (verdict == 0)))
    fp = int(np.sum((labels == 0) & (verdict == 1)))
    fn = int(np.sum((labels == 1) & (verdict == 0)))
    tp = int(np.sum((labels == 1) & (verdict == 1)))
    return Report(
        n_real=int(np.sum(labels == 0)),
        n_fake=int(np.sum(labels == 1)),
        accuracy=float((tn + tp) / max(labels.size, 1)),
        average_precision=average_precision(labels, order),
        roc_auc=roc_auc(labels, order),
        threshold=float(threshold),
        confusion=((tn, fp), (fn, tp)),
    )


def bootstrap_auc(labels, scores, rounds: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95% percentile interval of ROC AUC over bootstrap resamples, each class resampled
    on its own (so every resample has both classes)."""
    labels, scores = _check(labels, scores)
    pos, neg = scores[labels == 1], scores[labels == 0]
    if pos.size == 0 or neg.size == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(rounds):
        p = pos[rng.integers(0, pos.size, pos.size)]
        n = neg[rng.integers(0, neg.size, neg.size)]
        # Mann-Whitney by comparison: counts are small (quiz sets, test splits)
        wins = (p[:, None] > n[None, :]).sum() + 0.5 * (p[:, None] == n[None, :]).sum()
        values.append(float(wins / (p.size * n.size)))
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def class_errors(report: Report) -> tuple[float, float]:
    """(share of real images called generated, share of generated images called real)."""
    (tn, fp), (fn, tp) = report.confusion
    return fp / max(tn + fp, 1), fn / max(fn + tp, 1)
