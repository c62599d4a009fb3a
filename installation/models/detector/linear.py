"""Standardised L2 logistic regression with Platt calibration and a calibrated
threshold, in numpy (Newton's method: the problem has a few dozen weights, so an exact
second-order solve is faster and steadier than gradient descent or a dependency)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_PLATT_SLOPE = 0.05


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # overflow-free


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, iterations: int = 50) -> tuple[np.ndarray, float]:
    """Weights and bias minimising mean log loss + l2/2 |w|^2 (the bias is not penalised)."""
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    theta = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = _sigmoid(design @ theta)
        gradient = design.T @ (p - y) / n + penalty * theta
        hessian = (design * (p * (1 - p))[:, None]).T @ design / n + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return theta[:-1], float(theta[-1])


def fit_platt(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling p = sigmoid(a*logit + b) on held-out data, with Platt's smoothed
    targets so a tiny, perfectly separated calibration set does not give a = infinity."""
    y = np.asarray(y, dtype=np.float64)
    n_pos, n_neg = y.sum(), (1 - y).sum()
    targets = np.where(y == 1, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    a, b = 1.0, 0.0
    for _ in range(100):
        p = _sigmoid(a * logits + b)
        g = np.array([np.sum((p - targets) * logits), np.sum(p - targets)])
        w = p * (1 - p) + 1e-9
        h = np.array([[np.sum(w * logits * logits), np.sum(w * logits)], [np.sum(w * logits), np.sum(w)]])
        step = np.linalg.solve(h + 1e-6 * np.eye(2), g)
        a, b = a - step[0], b - step[1]
        if np.max(np.abs(step)) < 1e-9:
            break
    if a < MIN_PLATT_SLOPE:
        # Held-out data that disagrees with the model may shrink its confidence but must
        # not turn it upside down (with a handful of calibration images that would be noise):
        # keep the ranking, and refit the offset for the floored slope.
        a = MIN_PLATT_SLOPE
        for _ in range(100):
            p = _sigmoid(a * logits + b)
            step = np.sum(p - targets) / (np.sum(p * (1 - p)) + 1e-9)
            b -= step
            if abs(step) < 1e-9:
                break
    return float(a), float(b)


def best_threshold(probabilities: np.ndarray, y: np.ndarray) -> float:
    """The probability cut with the best balanced accuracy on held-out data; among equals,
    the one nearest 0.5 (with few calibration images many cuts tie)."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    y = np.asarray(y)
    if np.all(y == y[0]):
        return 0.5
    sorted_p = np.sort(np.unique(probabilities))
    midpoints = (sorted_p[:-1] + sorted_p[1:]) / 2
    candidates = np.unique(np.r_[0.5, midpoints, sorted_p])
    best, best_score = 0.5, -1.0
    for t in candidates:
        verdict = probabilities >= t
        tpr = np.mean(verdict[y == 1])
        tnr = np.mean(~verdict[y == 0])
        score = 0.5 * (tpr + tnr)
        if score > best_score + 1e-12 or (
            abs(score - best_score) <= 1e-12 and abs(t - 0.5) < abs(best - 0.5)
        ):
            best, best_score = float(t), score
    return best


@dataclass
class LinearModel:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    platt_a: float = 1.0
    platt_b: float = 0.0
    threshold: float = 0.5

    def logits(self, x: np.ndarray) -> np.ndarray:
        z = (np.atleast_2d(x) - self.mean) / self.scale
        return z @ self.weights + self.bias

    def calibrated_logits(self, x: np.ndarray) -> np.ndarray:
        return self.platt_a * self.logits(x) + self.platt_b

    def probability(self, x: np.ndarray) -> np.ndarray:
        return _sigmoid(self.calibrated_logits(x))

    @classmethod
    def fit(
        cls, x: np.ndarray, y: np.ndarray, l2: float = 0.05, columns: np.ndarray | None = None
    ) -> LinearModel:
        """Fit on all features, or only on `columns` (the others get weight 0, so the
        model still reads full feature rows and saves in the usual format)."""
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale < 1e-9] = 1.0  # a constant feature carries no information; keep it inert
        used = np.arange(x.shape[1]) if columns is None else np.asarray(columns)
        weights = np.zeros(x.shape[1])
        weights[used], bias = fit_logistic(((x - mean) / scale)[:, used], y, l2)
        return cls(mean, scale, weights, bias)

    def calibrate(self, x: np.ndarray, y: np.ndarray) -> None:
        self.platt_a, self.platt_b = fit_platt(self.logits(x), np.asarray(y, dtype=np.float64))
        self.threshold = best_threshold(self.probability(x), np.asarray(y))
