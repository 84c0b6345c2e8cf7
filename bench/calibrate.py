"""Fit the no-answer model: logistic regression over retrieval features on the golden set.

Prints the fitted coefficients (to paste into `search/ranking.py` ANSWER_MODEL) and the no-answer
accuracy under 5-fold cross-validation, so the figure is not measured on the data it was fitted to.

    .venv/bin/python bench/calibrate.py [--golden eval/golden.jsonl]
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from helpcenter.content.settings import load_settings
from helpcenter.index.versions import open_index
from helpcenter.search.evaluate import load_golden
from helpcenter.search.ranking import MODE_FEATURES
from helpcenter.search.searcher import Searcher


def fit(X: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 4000, lr: float = 0.5,
        ood_weight: float = 2.0) -> np.ndarray:
    """L2 logistic regression by gradient descent on standardized features.

    Out-of-domain examples weigh `ood_weight` times more: they are rarer in the golden set than in traffic.
    """
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = np.hstack([np.ones((len(X), 1)), (X - mu) / sd])
    w = np.zeros(Z.shape[1])
    weight = np.where(y == 1, 1.0, ood_weight)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-Z @ w))
        grad = Z.T @ (weight * (p - y)) / len(y) + l2 * np.r_[0, w[1:]]
        w -= lr * grad
    # back to raw feature units: bias + sum(coef * x)
    coef = w[1:] / sd
    return np.r_[w[0] - (coef * mu).sum(), coef]


def predict(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(w[0] + X @ w[1:])))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--golden", default="eval/golden.jsonl")
    args = ap.parse_args()
    settings = load_settings()
    searcher = Searcher(open_index(settings["KB_INDEX_DIR"], settings["KB_ENCODER"]))
    golden = load_golden(args.golden)
    y = np.array([1.0 if g.expected else 0.0 for g in golden])
    langs = np.array([g.lang for g in golden])
    folds = np.random.default_rng(0).permutation(len(y)) % 5
    models = {}
    for mode, names in MODE_FEATURES.items():
        feats = [searcher.search(g.q, g.lang, limit=10, mode=mode).features for g in golden]
        X = np.array([[f.get(n, 0.0) for n in names] for f in feats])
        cv_pred = np.zeros(len(y))
        for k in range(5):
            w = fit(X[folds != k], y[folds != k])
            cv_pred[folds == k] = predict(w, X[folds == k])
        w = fit(X, y)
        models[mode] = {"bias": round(float(w[0]), 3), **{n: round(float(c), 3) for n, c in zip(names, w[1:])}}
        print(f"{mode}: 5-fold no-answer accuracy " + ", ".join(
            f"{lang} {((cv_pred[langs == lang] >= 0.5) == (y[langs == lang] == 1)).mean():.3f}"
            for lang in sorted(set(langs))) + f", all {((cv_pred >= 0.5) == (y == 1)).mean():.3f}")
    print("ANSWER_MODELS = " + json.dumps(models, indent=4))


if __name__ == "__main__":
    main()
