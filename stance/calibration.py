"""Confidence that means what it says: temperature scaling of actor-level scores, and its measure.

An actor's scores are the mean of its windows' probabilities; the temperature ``T`` reshapes that
mean as ``p ** (1 / T)`` renormalised (temperature scaling of its log-probabilities), which never
changes the label. ``T`` is fitted on a dev set by minimising the negative log-likelihood of the gold
labels (Guo et al., 2017, "On Calibration of Modern Neural Networks") and stored in the model's
``stance_config.json``.
"""

from __future__ import annotations

import numpy as np
import torch

from .text.jsonl import numbered_lines
from .types import LABELS

ECE_BINS = 15
EPSILON = 1e-6


def calibrated(probabilities: torch.Tensor, temperature: float) -> torch.Tensor:
    """``probabilities`` (last dimension: labels) reshaped by ``temperature``; 1 leaves them as they are."""
    if temperature == 1.0:
        return probabilities
    logits = probabilities.clamp_min(EPSILON).log() / temperature
    return logits.softmax(-1)


def expected_calibration_error(confidences: np.ndarray, correct: np.ndarray, bins: int = ECE_BINS) -> float:
    """ECE: the gap between confidence and accuracy, averaged over equal-width confidence bins.

    Example:
        >>> round(expected_calibration_error(np.array([0.9, 0.9]), np.array([1, 0])), 2)
        0.4
    """
    confidences, correct = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=float)
    if not len(confidences):
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidences, edges[1:-1], right=True), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            error += inside.mean() * abs(confidences[inside].mean() - correct[inside].mean())
    return float(error)


def score_matrix(outputs: list[dict]) -> np.ndarray:
    """Rows of label probabilities (in ``LABELS`` order) from evaluate's per-record outputs."""
    return np.array([[o["scores"].get(label, 0.0) for label in LABELS] for o in outputs], dtype=float)


def calibration_report(scores: np.ndarray, gold: list[str], temperature: float = 1.0) -> dict:
    """ECE, and how often a wrong label comes with a score of 0.9 or more, at ``temperature``."""
    probs = calibrated(torch.tensor(scores), temperature).numpy()
    predicted = probs.argmax(1)
    correct = predicted == np.array([LABELS.index(g) for g in gold])
    confidence = probs.max(1)
    wrong = ~correct
    return {
        "temperature": round(float(temperature), 4),
        "ece": round(expected_calibration_error(confidence, correct), 4),
        "wrong_at_0.9": int((wrong & (confidence >= 0.9)).sum()),
        "wrong_at_0.99": int((wrong & (confidence >= 0.99)).sum()),
        "wrong": int(wrong.sum()),
        "n": len(gold),
    }


def fit_temperature(scores: np.ndarray, gold: list[str]) -> float:
    """The temperature that minimises the dev set's negative log-likelihood (a grid, then refined)."""
    if not len(gold):
        raise ValueError("Cannot fit a temperature on an empty dev set; pass stance records with gold labels.")
    log_p = torch.tensor(scores, dtype=torch.float64).clamp_min(EPSILON).log()
    target = torch.tensor([LABELS.index(g) for g in gold])

    def nll(t: float) -> float:
        return float(torch.nn.functional.cross_entropy(log_p / t, target))

    grid = np.exp(np.linspace(np.log(0.25), np.log(20.0), 120))
    best = min(grid, key=nll)
    fine = np.linspace(best * 0.9, best * 1.1, 41)
    return float(min(fine, key=nll))


def raw_scores(scores: list[dict] | np.ndarray, temperature: float) -> np.ndarray:
    """Scores a model gave at ``temperature``, brought back to temperature 1 (the mean of its
    windows' probabilities), as label-ordered rows."""
    matrix = scores if isinstance(scores, np.ndarray) else score_matrix([{"scores": s} for s in scores])
    return calibrated(torch.tensor(matrix), 1 / temperature).numpy()


def read_predictions(path) -> tuple[list[str], list[dict]]:
    """Gold labels and scores of the records whose actor was found, from `stance evaluate --predictions`."""
    gold, scores = [], []
    for number, row in numbered_lines(path):
        try:
            if row.get("found", True):
                gold.append(row["stance"])
                scores.append(row["scores"])
        except (AttributeError, KeyError, TypeError):
            raise ValueError(f"{path}, line {number}: expected a record written by `stance evaluate "
                             "--predictions` (with stance, scores and found).") from None
    if not gold:
        raise ValueError(f"{path} holds no predictions of found actors; run `stance evaluate --predictions` first.")
    return gold, scores
