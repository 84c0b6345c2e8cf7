"""The no-answer model: does the top result answer the query? Logistic models over retrieval features,
one per retrieval mode, fitted on a golden set for one encoder and kept with the index built for it.

`kb build` writes the model into the index version (`answer_model.json`): fitted on `--golden FILE`, or
the packaged model fitted for the same encoder (`answer_models/`). The manifest names the encoder it was
fitted for; an index whose model was fitted for another encoder is refused at start-up, as a mismatched
analyzer is, and an index without one cannot serve.
"""
from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from helpcenter.content.errors import IndexMismatch, KBError
from helpcenter.index.versions import Index
from helpcenter.languages import DEFAULT
from helpcenter.search.ranking import language_features

log = logging.getLogger(__name__)

FILE = "answer_model.json"
PACKAGED = Path(__file__).parent / "answer_models"
THRESHOLD = 0.5
MIN_EXAMPLES = 5  # of each kind (answerable, not) for a fit to mean anything
# How much more an unanswerable example weighs in the fit, chosen per fit by cross-validation
# (`choose_ood_weight`): a golden set's balance of answerable to unanswerable queries is not traffic's,
# and the weight that answers the most of both differs between golden sets.
OOD_WEIGHTS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)

_LANGUAGE_FEATURES = tuple(language_features(DEFAULT.code))
# The features each mode's model weighs (`Searcher._features` computes them):
#   vec_top    cosine of the top article's best passage
#   kw_top     its BM25F score, saturated
#   kw_cover   share of the query's terms found in the top article (any of its languages)
#   known      share of the query's terms found anywhere in the index
#   fused_top  the top fused score
#   agree      1 when the keyword and vector runs share an article in their top 3
#   fallback   1 when the top article is not in the reader's language (its words cannot match theirs)
#   scope      how much closer the query is to one of the editors' out-of-scope questions than to the top
#              article (cosines; 0 when it is not, or there are none: `index/scope.py`); for a top article
#              not in the reader's language, than to it or to our nearest phrase in the reader's language
#   scope_phrase  the closest out-of-scope question's cosine minus the closest title, keyword or heading's
#              in the reader's language (negative when the query is nearer what we answer; missing when
#              there are no out-of-scope questions to compare with: `index/scope.py`)
#   other_service  1 when the query names another company's service, or a subject no article covers, that
#              the top article is not about: not in its title, summary, keywords or headings (`index/scope.py`:
#              `content/out-of-scope/services.yml` and `topics.yml`)
#   service_share  when other_service is 1: 1 - the cosine of the query with the query without the names
#              (`Searcher.service_share`): high when the question is about that service, low when the name
#              is an aside to a question we answer ("my Revolut card is declined when I add funds")
#   service_means  when other_service is 1: 1 when a name is the means of the player's errand, by the words
#              around it ("deposit with my Revolut card", 카카오뱅크로, با کارت بانک ملت: `scope.Naming`)
#   service_first  when other_service is 1: 1 when the text begins with a name ("Binance froze my account")
#   lang_<xx>  the reader's language (the default language is the reference)
# A feature missing from a query's features is read at its mean over the examples fitted on (`means`).
MODE_FEATURES: dict[str, tuple[str, ...]] = {
    "hybrid": ("vec_top", "kw_top", "kw_cover", "known", "fused_top", "agree", "fallback", "scope",
               "scope_phrase", "other_service", "service_share", "service_means", "service_first",
               *_LANGUAGE_FEATURES),
    "keyword": ("kw_top", "kw_cover", "known", *_LANGUAGE_FEATURES),
    "vector": ("vec_top", *_LANGUAGE_FEATURES),
}


@dataclass(frozen=True)
class AnswerModel:
    """Per mode: a bias and a coefficient per feature; answered when the probability >= `threshold`.

    Attributes:
        encoder: the encoder (name) whose cosines the model was fitted on.
        models: mode -> {"bias": b, feature: coefficient, ...}.
        source: what it was fitted on, for the manifest and the operator.
        accuracy: no-answer accuracy per language under cross-validation, measured when it was fitted.
        means: mode -> {feature: its mean over the examples fitted on}: the value of a feature a query
            lacks (no out-of-scope questions to compare with), so that it weighs neither way. Features
            without one (models fitted before) read 0.
    """

    encoder: str
    models: Mapping[str, Mapping[str, float]]
    threshold: float = THRESHOLD
    source: str = ""
    accuracy: Mapping[str, float] = field(default_factory=dict)
    means: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def probability(self, features: Mapping[str, float], mode: str = "hybrid") -> float:
        """Probability that the top result answers the query, from the retrieval features."""
        model, means = self.models[mode], self.means.get(mode, {})
        x = model["bias"] + sum(w * features.get(name, means.get(name, 0.0))
                                for name, w in model.items() if name != "bias")
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))

    def answered(self, features: Mapping[str, float], mode: str = "hybrid") -> bool:
        """Whether the knowledge base answers the query (no features: nothing was found)."""
        return bool(features) and self.probability(features, mode) >= self.threshold

    def to_json(self) -> dict:
        return {"encoder": self.encoder, "source": self.source, "threshold": self.threshold,
                "accuracy": dict(self.accuracy), "models": {m: dict(c) for m, c in self.models.items()},
                "means": {m: dict(c) for m, c in self.means.items()}}

    @classmethod
    def from_json(cls, data: Mapping) -> AnswerModel:
        return cls(data["encoder"], data["models"], float(data.get("threshold", THRESHOLD)),
                   data.get("source", ""), data.get("accuracy", {}), data.get("means", {}))

    @classmethod
    def neutral(cls, encoder: str) -> AnswerModel:
        """A model that knows nothing (probability 0.5 for everything): what fitting starts from."""
        return cls(encoder, {mode: {"bias": 0.0} for mode in MODE_FEATURES}, source="neutral")


def for_index(index: Index) -> AnswerModel:
    """The model the index was built with.

    Raises:
        IndexMismatch: when the index has none (its encoder has no packaged model and none was fitted).
    """
    data = index.trained.get(FILE)
    if data is None:
        raise IndexMismatch(
            f"{index.path}: no no-answer model for encoder {index.encoder.name}; fit one while building: "
            "`kb build --golden FILE` (a golden set of answerable and unanswerable queries)")
    return AnswerModel.from_json(data)


def packaged(encoder: str) -> AnswerModel | None:
    """The model shipped with the package for `encoder`, if any."""
    for path in sorted(PACKAGED.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["encoder"] == encoder:
            return AnswerModel.from_json(data)
    return None


# --- fitting -------------------------------------------------------------------------------------------

def fit(X: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 4000, lr: float = 0.5,
        ood_weight: float = 2.0) -> np.ndarray:
    """L2 logistic regression by gradient descent on standardized features; returns [bias, coef...] in
    raw feature units. Unanswerable examples weigh `ood_weight` times more: they are rarer in a golden
    set than in traffic."""
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = np.hstack([np.ones((len(X), 1)), (X - mu) / sd])
    w = np.zeros(Z.shape[1])
    weight = np.where(y == 1, 1.0, ood_weight)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-Z @ w))
        grad = Z.T @ (weight * (p - y)) / len(y) + l2 * np.r_[0, w[1:]]
        w -= lr * grad
    coef = w[1:] / sd
    return np.r_[w[0] - (coef * mu).sum(), coef]


def _predict(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(w[0] + X @ w[1:])))


def cross_validated(X: np.ndarray, y: np.ndarray, ood_weight: float, folds: int = 5, seed: int = 0) -> np.ndarray:
    """Each example's probability from a model fitted on the other folds."""
    order = np.random.default_rng(seed).permutation(len(y)) % folds
    out = np.zeros(len(y))
    for k in range(folds):
        out[order == k] = _predict(fit(X[order != k], y[order != k], ood_weight=ood_weight), X[order == k])
    return out


def choose_ood_weight(X: np.ndarray, y: np.ndarray, candidates: Sequence[float] = OOD_WEIGHTS,
                      folds: int = 5, seeds: int = 3, groups: np.ndarray | None = None) -> float:
    """The weight of unanswerable examples whose model decides the most of the worse-served side right
    under cross-validation: the largest min(share of answerable queries answered, share of unanswerable
    ones not), averaged over `seeds` fold assignments; ties go to the smaller weight. With `groups` (each
    example's language), the worse-served side of the worst-served group: a service is judged per
    language, and a weight that suits the pooled queries can leave one language's out-of-scope
    questions answered."""
    cells = [np.ones(len(y), dtype=bool)] if groups is None else [groups == g for g in np.unique(groups)]

    def worse_side(weight: float) -> float:
        shares = []
        for seed in range(seeds):
            right = (cross_validated(X, y, weight, folds, seed) >= THRESHOLD) == (y == 1)
            shares.append([right[cell & side].mean() for cell in cells for side in (y == 1, y == 0)
                           if (cell & side).any()])
        return float(min(np.mean(shares, axis=0)))

    return max(candidates, key=lambda w: (round(worse_side(w), 6), -w))


def calibrate(searcher, golden: Sequence, source: str = "", folds: int = 5,
              modes: Mapping[str, Sequence[str]] = MODE_FEATURES) -> AnswerModel:
    """Fit the model of every mode on `golden` (`evaluate.GoldenQuery`s) with `searcher`'s features,
    the unanswerable queries weighed as `choose_ood_weight` finds best. `modes`: the features of each
    mode's model (another set than `MODE_FEATURES` measures what a feature is worth).

    Queries whose expected articles are not in the index are left out. The accuracy recorded is
    measured by `folds`-fold cross-validation of the hybrid model, per language, not on the data fitted.

    Raises:
        KBError: when fewer than `MIN_EXAMPLES` answerable or unanswerable queries remain.
    """
    slugs = set(searcher.langs_by_slug)
    usable = [g for g in golden if not g.expected or set(g.expected) & slugs]
    y = np.array([1.0 if g.expected else 0.0 for g in usable])
    if min(int(y.sum()), int(len(y) - y.sum())) < MIN_EXAMPLES:
        raise KBError(f"the golden set has {int(y.sum())} answerable and {int(len(y) - y.sum())} unanswerable "
                      f"queries for this content; at least {MIN_EXAMPLES} of each are needed to fit")
    langs = np.array([g.lang for g in usable])
    models, means, accuracy, ood_weight = {}, {}, {}, 0.0
    for mode, names in modes.items():  # hybrid first: the weight is chosen on its features
        feats = [searcher.search(g.q, g.lang, limit=10, mode=mode).features for g in usable]
        X = np.array([[f.get(n, np.nan) for n in names] for f in feats])
        # a feature a query lacks is read at its mean over those that have it, when fitting as in use
        present = ~np.isnan(X)
        mean = np.where(present, X, 0.0).sum(0) / np.maximum(present.sum(0), 1)  # 0 where none has it
        X = np.where(present, X, mean)
        means[mode] = {n: round(float(m), 4) for n, m in zip(names, mean)}
        if mode == "hybrid":
            ood_weight = choose_ood_weight(X, y, folds=folds, groups=langs)
            cv = cross_validated(X, y, ood_weight, folds)
            accuracy = {lang: round(float(((cv[langs == lang] >= THRESHOLD) == (y[langs == lang] == 1)).mean()), 3)
                        for lang in sorted(set(langs))}
        w = fit(X, y, ood_weight=ood_weight)
        models[mode] = {"bias": round(float(w[0]), 3), **{n: round(float(c), 3) for n, c in zip(names, w[1:])}}
    source = source or f"fitted on {len(usable)} golden queries"
    return AnswerModel(searcher.index.encoder.name, models, THRESHOLD,
                       f"{source}; unanswerable queries weigh {ood_weight:g}x (cross-validated)", accuracy, means)


def trainer(golden: Sequence | None = None, source: str = "") -> Callable[[Index], dict[str, dict]]:
    """What `versions.build_index` calls on the built index: the no-answer model fitted on `golden`, or
    the packaged one for the index's encoder (none: the index gets no model and cannot serve)."""
    def train(index: Index) -> dict[str, dict]:
        from helpcenter.search.searcher import Searcher

        if golden:
            model = calibrate(Searcher(index, AnswerModel.neutral(index.encoder.name)), golden, source)
        else:
            model = packaged(index.encoder.name)
            if model is None:
                log.warning("no packaged no-answer model for %s: build with --golden FILE", index.encoder.name)
                return {}
        return {FILE: model.to_json()}

    return train
