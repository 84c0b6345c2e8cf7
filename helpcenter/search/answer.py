"""The no-answer model: does the top result answer the query? Logistic models over retrieval features,
one per retrieval mode, fitted on a golden set for one encoder and kept with the index built for it.

`kb build` writes the model into the index version (`answer_model.json`, and the labelled queries it
was fitted on, as the encoder read them, in `answer_examples.npy`: `Examples`): fitted on `--golden
FILE`, or the packaged model fitted for the same encoder (`answer_models/`). The manifest names the
encoder it was fitted for; an index whose model was fitted for another encoder is refused at start-up, as a mismatched
analyzer is, and an index without one cannot serve.
"""
from __future__ import annotations

import copy
import json
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from helpcenter.content.errors import IndexMismatch, KBError
from helpcenter.index.versions import Index
from helpcenter.languages import DEFAULT
from helpcenter.search.ranking import language_features

log = logging.getLogger(__name__)

FILE = "answer_model.json"
EXAMPLES_FILE = "answer_examples.npy"  # the vectors of the model's `Examples`, in the index version
PACKAGED = Path(__file__).parent / "answer_models"
THRESHOLD = 0.5
MIN_EXAMPLES = 5  # of each kind (answerable, not) for a fit to mean anything
# How much more an unanswerable example weighs in the fit, chosen per fit by cross-validation
# (`choose_ood_weight`): a golden set's balance of answerable to unanswerable queries is not traffic's,
# and the weight that answers the most of both differs between golden sets.
OOD_WEIGHTS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
# The L2 penalty on the (standardized) coefficients, chosen per fit by cross-validation too (`choose_l2`):
# how much a fit may lean on a feature depends on how many examples it has. On the packaged model's tuning
# halves (2,900 queries) 0.001, 0.003, 0.01, 0.03 cost 132, 129, 131, 142 errors, an out-of-scope one twice.
L2S = (0.001, 0.003, 0.01, 0.03)
DEFAULT_L2 = 0.01

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
#   service_setting  when other_service is 1: 1 when a name is the setting of the errand, the phone, browser,
#              line or app it happens in ("can't log in on Safari", SKT 쓰는데: `Language.setting_before`)
#   service_owned  when other_service is 1: 1 when a name, neither the means nor the setting, owns the thing
#              asked about by the words before it (Persian ezafe: کیف پول اسنپ, Snapp's wallet:
#              `Language.owner_before`)
#   service_topic  when other_service is 1: 1 when what is named is only subjects no article covers (jobs,
#              taxes, tips: `topics.yml`), no company
#   service_addressed  1 when the text names another company's service the top article is not about and
#              puts its question to us ("you", "here", 여기, شما: `Language.addressing`): "why do you need
#              my passport when Bet365 never asked" (not a subject no article covers: "are you hiring?")
#   service_rest  when other_service is 1: `example_margin` of the text without the names, its own example
#              aside (`Examples.margin`'s `besides`): "SKT 쓰는데 비번 재설정 문자가 안와요" without SKT is
#              a question we answer; "PayPal account verification documents" without PayPal is less so
#   example_margin  how much closer the query is to the unanswerable queries the model was fitted on than to
#              the answerable ones, in its language (`Examples.margin`; missing without examples)
#   example_across  the same over the examples read in the other languages (`Examples.across`): players of
#              one language ask what players of another did (missing without examples of both sides)
#   example_vote  the share of the `VOTE` examples nearest the query, of every language, that the knowledge
#              base does not answer (`Examples.vote`): not the nearest one of each side, but how crowded the
#              query's neighbourhood is with either (missing without examples)
#   lang_<xx>  the reader's language (the default language is the reference)
# A feature missing from a query's features is read at its mean over the examples fitted on (`means`).
MODE_FEATURES: dict[str, tuple[str, ...]] = {
    "hybrid": ("vec_top", "kw_top", "kw_cover", "known", "fused_top", "agree", "fallback", "scope",
               "scope_phrase", "other_service", "service_share", "service_means", "service_first",
               "service_setting", "service_owned", "service_topic", "service_addressed", "service_rest",
               "example_margin", "example_across", "example_vote", *_LANGUAGE_FEATURES),
    "keyword": ("kw_top", "kw_cover", "known", *_LANGUAGE_FEATURES),
    "vector": ("vec_top", *_LANGUAGE_FEATURES),
}


# the examples of each side a query's `Examples.margin` averages over, chosen by 5-fold cross-validation
# on the tuning halves: 1, 2, 3, 5, 8 cost 87, 90, 92, 95, 97 errors (an out-of-scope one twice)
NEAREST = 1
SAME = 0.9995  # an example this close to the query is its copy, and does not count
# the examples `Examples.vote` counts, chosen by 5-fold cross-validation on the tuning halves (3 fold
# assignments, the errors an out-of-scope one twice; docs/ranking.md): 3, 5, 10, 20, 40, 80, 120, 160, 320
# cost 113, 112, 111, 111, 106, 105, 110, 110, 138 (without the feature 108)
VOTE = 80


@dataclass(frozen=True)
class Examples:
    """The labelled queries a model was fitted on, as the encoder read them (`read_examples`): a memory of
    which questions players asked that the knowledge base answers and which it does not. The editors'
    out-of-scope questions (`index/scope.py`) are a few per subject; these are every golden query, in the
    players' words, on both sides. Only vectors are kept, never the texts.

    Measured (`bench/fit_answer_model.py`, docs/ranking.md): with `example_margin` the test halves' errors
    (an out-of-scope error counting twice) fell from 183 to 130, and the held-out sets' with them.

    The answerable ones keep the articles that answer them (`slugs`): a question players asked before
    is evidence for the article that answered it (`recall`, `fusion.with_recall`).
    """

    vectors: np.ndarray  # [n, dim] float32, unit length
    langs: tuple[str, ...]  # the language each was read in (`searcher._written_in`)
    answerable: tuple[bool, ...]
    slugs: tuple[tuple[str, ...], ...] = ()  # the articles that answer each (empty: none, or not kept)

    def __post_init__(self) -> None:
        langs, answerable = np.array(self.langs, dtype=object), np.array(self.answerable, dtype=bool)
        rows = {lang: np.flatnonzero(langs == lang) for lang in set(self.langs)}  # each language's examples
        # per language: the rows of its examples per article that answers them, grouped by article: (rows,
        # where each article's begin, the articles)
        answered_by: dict[str, tuple[np.ndarray, np.ndarray, tuple[str, ...]]] = {}
        for lang, of_lang in rows.items() if self.slugs else ():
            pairs = sorted((slug, row) for row in of_lang.tolist() for slug in self.slugs[row])
            if not pairs:
                continue
            names = [slug for slug, _ in pairs]
            starts = np.array([k for k, slug in enumerate(names) if k == 0 or names[k - 1] != slug])
            answered_by[lang] = (np.array([row for _, row in pairs]), starts, tuple(names[k] for k in starts))
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_answered_by", answered_by)
        object.__setattr__(self, "_sides", (langs, answerable))

    def cosines(self, vector: np.ndarray) -> np.ndarray:
        """A query's cosine with every example: the one product what a search reads of the examples
        (`margin`, `across`, `vote`, `recall`) is computed from."""
        return self.vectors @ vector

    def margin(self, cos: np.ndarray, lang: str, nearest: int = NEAREST,
               besides: np.ndarray | None = None) -> float | None:
        """Mean cosine of the `nearest` unanswerable examples of `lang` minus that of the `nearest`
        answerable ones (positive: the query is more like those we do not answer), from the query's
        `cosines`. An example that is the query's copy does not count: the model was fitted so, each
        example without itself; nor, with `besides` (the `cosines` of another text read for the same
        query), that text's copy. None when `lang` lacks examples of either side."""
        if lang not in self._rows:
            return None
        rows = self._rows[lang]
        cos, answerable = cos[rows], self._sides[1][rows]
        other = cos < SAME
        if besides is not None:
            other &= besides[rows] < SAME
        sides = [cos[other & answerable], cos[other & ~answerable]]
        if not all(len(side) for side in sides):
            return None
        ans, out = (np.partition(side, -min(nearest, len(side)))[-nearest:].mean() for side in sides)
        return float(out - ans)

    def across(self, cos: np.ndarray, lang: str) -> float | None:
        """`margin` over the examples read in the other languages (the nearest of each side; a copy of the
        query does not count): the encoder is multilingual, and a question asked in another language is
        evidence too ("binance withdrawal stuck" for برداشت از بایننس گیر کرده). None when they lack
        either side."""
        langs, answerable = self._sides
        other = (langs != lang) & (cos < SAME)
        sides = [cos[other & answerable], cos[other & ~answerable]]
        if not all(len(side) for side in sides):
            return None
        return float(sides[1].max() - sides[0].max())

    def vote(self, cos: np.ndarray, k: int = VOTE) -> float | None:
        """The share of the `k` examples nearest the query, in any language, that the knowledge base does
        not answer (a copy of the query does not count). Where `margin` and `across` weigh the nearest one
        of each side, this counts the neighbourhood: a question about betting tips sits among many that
        were not answered, even when one answered question is a little nearer. None without examples."""
        others = np.flatnonzero(cos < SAME)
        k = min(k, len(others))
        if not k:
            return None
        nearest = others[np.argpartition(-cos[others], k - 1)[:k]]
        return float(1.0 - self._sides[1][nearest].mean())

    def recall(self, cos: np.ndarray, lang: str) -> dict[str, float]:
        """Article -> the cosine of the closest example of `lang` it answers: how like a question it
        answered before the query is. A copy of the query does not count, as in `margin`."""
        if lang not in self._answered_by:
            return {}
        rows, starts, slugs = self._answered_by[lang]
        cos = cos[rows]  # a copy
        cos[cos >= SAME] = -1.0
        return dict(zip(slugs, np.maximum.reduceat(cos, starts).tolist()))

    def to_json(self) -> dict:
        data = {"langs": list(self.langs), "answerable": [int(a) for a in self.answerable]}
        if self.slugs:  # one line each in the packaged JSON: the articles, space-separated ("": none)
            data["slugs"] = [" ".join(s) for s in self.slugs]
        return data

    @classmethod
    def from_json(cls, data: Mapping, vectors: np.ndarray) -> Examples:
        if len(vectors) != len(data["langs"]):
            raise IndexMismatch(f"{len(vectors)} example vectors for {len(data['langs'])} examples")
        slugs = tuple(tuple(s.split()) for s in data.get("slugs", ()))
        if slugs and len(slugs) != len(data["langs"]):
            raise IndexMismatch(f"{len(slugs)} examples' articles for {len(data['langs'])} examples")
        return cls(np.asarray(vectors, dtype=np.float32), tuple(data["langs"]),
                   tuple(map(bool, data["answerable"])), slugs)


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
        examples: the labelled queries it was fitted on (`example_margin`); None: the feature is missing,
            read at its mean.
    """

    encoder: str
    models: Mapping[str, Mapping[str, float]]
    threshold: float = THRESHOLD
    source: str = ""
    accuracy: Mapping[str, float] = field(default_factory=dict)
    means: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    examples: Examples | None = field(default=None, compare=False, repr=False)

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
        """The model without its examples' vectors (`files`, `write_packaged`: beside it)."""
        data = {"encoder": self.encoder, "source": self.source, "threshold": self.threshold,
                "accuracy": dict(self.accuracy), "models": {m: dict(c) for m, c in self.models.items()},
                "means": {m: dict(c) for m, c in self.means.items()}}
        if self.examples is not None:
            data["examples"] = self.examples.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping, vectors: np.ndarray | None = None) -> AnswerModel:
        """`vectors`: its examples' (`EXAMPLES_FILE`); without them a model that has examples reads its
        `example_margin` at its mean."""
        examples = None
        if "examples" in data and vectors is not None:
            examples = Examples.from_json(data["examples"], vectors)
        return cls(data["encoder"], data["models"], float(data.get("threshold", THRESHOLD)),
                   data.get("source", ""), data.get("accuracy", {}), data.get("means", {}), examples)

    def files(self) -> dict[str, dict | np.ndarray]:
        """What an index version keeps of it: file name -> JSON data, or the examples' vectors."""
        out: dict[str, dict | np.ndarray] = {FILE: self.to_json()}
        if self.examples is not None:
            out[EXAMPLES_FILE] = self.examples.vectors
        return out

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
    vectors = index.path / EXAMPLES_FILE
    return AnswerModel.from_json(data, np.load(vectors) if vectors.exists() else None)


def packaged(encoder: str) -> AnswerModel | None:
    """The model shipped with the package for `encoder`, if any (its examples' vectors beside it, in
    `<name>.examples.npy`, float16)."""
    for path in sorted(PACKAGED.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["encoder"] == encoder:
            vectors = path.with_suffix(".examples.npy")
            return AnswerModel.from_json(data, np.load(vectors).astype(np.float32) if vectors.exists() else None)
    return None


def write_packaged(model: AnswerModel) -> Path:
    """Store `model` as the packaged one for its encoder (`bench/fit_answer_model.py --write`)."""
    path = PACKAGED / f"{model.encoder.split(':', 1)[0]}.json"
    path.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if model.examples is not None:
        np.save(path.with_suffix(".examples.npy"), model.examples.vectors.astype(np.float16))
    return path


# --- fitting -------------------------------------------------------------------------------------------

def fit(X: np.ndarray, y: np.ndarray, l2: float = DEFAULT_L2, steps: int = 4000, lr: float = 0.5,
        ood_weight: float = 2.0) -> np.ndarray:
    """L2 logistic regression by gradient descent on standardized features; returns [bias, coef...] in
    raw feature units. Unanswerable examples weigh `ood_weight` times more: they are rarer in a golden
    set than in traffic."""
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = np.hstack([np.ones((len(X), 1)), (X - mu) / sd])
    w = np.zeros(Z.shape[1])
    weight = np.where(y == 1, 1.0, ood_weight)
    for _ in range(steps):
        p = _sigmoid(Z @ w)
        grad = Z.T @ (weight * (p - y)) / len(y) + l2 * np.r_[0, w[1:]]
        w -= lr * grad
    coef = w[1:] / sd
    return np.r_[w[0] - (coef * mu).sum(), coef]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # clipped as `AnswerModel.probability` is: a light penalty on queries a feature separates cleanly
    # lets |z| grow past what exp can hold
    return 1 / (1 + np.exp(-np.clip(z, -50.0, 50.0)))


def _predict(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    return _sigmoid(w[0] + X @ w[1:])


def cross_validated(X: np.ndarray, y: np.ndarray, ood_weight: float, folds: int = 5, seed: int = 0,
                    l2: float = DEFAULT_L2) -> np.ndarray:
    """Each example's probability from a model fitted on the other folds."""
    order = np.random.default_rng(seed).permutation(len(y)) % folds
    out = np.zeros(len(y))
    for k in range(folds):
        out[order == k] = _predict(fit(X[order != k], y[order != k], l2=l2, ood_weight=ood_weight), X[order == k])
    return out


def choose_l2(X: np.ndarray, y: np.ndarray, ood_weight: float, candidates: Sequence[float] = L2S,
              folds: int = 5, seeds: int = 3) -> float:
    """The L2 penalty whose model decides the fewest examples wrong under cross-validation, an
    unanswerable one's error weighing `ood_weight` (as in the fit), averaged over `seeds` fold
    assignments; ties go to the larger penalty."""
    def cost(l2: float) -> float:
        costs = []
        for seed in range(seeds):
            answered = cross_validated(X, y, ood_weight, folds, seed, l2) >= THRESHOLD
            costs.append((answered != (y == 1)) @ np.where(y == 1, 1.0, ood_weight))
        return float(np.mean(costs))

    return min(candidates, key=lambda l2: (round(cost(l2), 6), -l2))


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
              modes: Mapping[str, Sequence[str]] = MODE_FEATURES, memory: Sequence = ()) -> AnswerModel:
    """Fit the model of every mode on `golden` (`evaluate.GoldenQuery`s) with `searcher`'s features,
    the unanswerable queries weighed as `choose_ood_weight` finds best, penalized as `choose_l2` does.
    `modes`: the features of each mode's model (another set than `MODE_FEATURES` measures what a feature
    is worth). `memory`: more labelled queries, kept among the model's `Examples` but not fitted on: the
    more questions players asked it remembers, the nearer a new one's neighbours (`example_margin`).

    Queries whose expected articles are not in the index are left out. The accuracy recorded is
    measured by `folds`-fold cross-validation of the hybrid model, per language, not on the data fitted.

    Raises:
        KBError: when fewer than `MIN_EXAMPLES` answerable or unanswerable queries remain.
    """
    usable, memory = _usable(searcher, golden), _usable(searcher, memory)
    y = np.array([1.0 if g.expected else 0.0 for g in usable])
    if min(int(y.sum()), int(len(y) - y.sum())) < MIN_EXAMPLES:
        raise KBError(f"the golden set has {int(y.sum())} answerable and {int(len(y) - y.sum())} unanswerable "
                      f"queries for this content; at least {MIN_EXAMPLES} of each are needed to fit")
    langs = np.array([g.lang for g in usable])
    # each query's margin over the others (`Examples.margin` leaves out its copy), as in use
    examples = read_examples(searcher, [*usable, *memory])
    searcher = copy.copy(searcher)
    searcher.answer = replace(searcher.answer, examples=examples)
    models, means, accuracy, ood_weight, l2 = {}, {}, {}, 0.0, DEFAULT_L2
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
            l2 = choose_l2(X, y, ood_weight, folds=folds)
            cv = cross_validated(X, y, ood_weight, folds, l2=l2)
            accuracy = {lang: round(float(((cv[langs == lang] >= THRESHOLD) == (y[langs == lang] == 1)).mean()), 3)
                        for lang in sorted(set(langs))}
        w = fit(X, y, l2=l2, ood_weight=ood_weight)
        models[mode] = {"bias": round(float(w[0]), 3), **{n: round(float(c), 3) for n, c in zip(names, w[1:])}}
    source = source or f"fitted on {len(usable)} golden queries"
    return AnswerModel(searcher.index.encoder.name, models, THRESHOLD,
                       f"{source}; unanswerable queries weigh {ood_weight:g}x, L2 penalty {l2:g} (cross-validated)",
                       accuracy,
                       means, examples)


def remembering(model: AnswerModel, searcher, golden: Sequence, memory: Sequence = (), source: str = "") -> AnswerModel:
    """`model` with its weights as fitted and its examples read again: `golden`'s queries and `memory`'s,
    as `calibrate` reads them (`bench/fit_answer_model.py --remember`: more questions remembered without
    fitting again). `source`: what is said of them, appended to the model's."""
    examples = read_examples(searcher, [*_usable(searcher, golden), *_usable(searcher, memory)])
    return replace(model, examples=examples, source=f"{model.source}; {source}" if source else model.source)


def _usable(searcher, golden: Sequence) -> list:
    """`golden`'s queries a model can learn from with `searcher`'s index: out of scope, or answered by an
    article it holds."""
    slugs = set(searcher.langs_by_slug)
    return [g for g in golden if not g.expected or set(g.expected) & slugs]


def read_examples(searcher, golden: Sequence) -> Examples | None:
    """`golden`'s queries as `searcher` reads them: the vector of the text its encoder reads and the
    language that text is in (`Searcher.read`), with the articles that answer each (none: out of scope).
    None when none is read."""
    read = [(searcher.read(g.q, g.lang), tuple(g.expected)) for g in golden]
    read = [(r, slugs) for r, slugs in read if r is not None]
    if not read:
        return None
    return Examples(np.array([r[0] for r, _ in read], dtype=np.float32), tuple(r[1] for r, _ in read),
                    tuple(bool(slugs) for _, slugs in read), tuple(slugs for _, slugs in read))


def trainer(golden: Sequence | None = None,
            source: str = "") -> Callable[[Index], dict[str, dict | np.ndarray]]:
    """What `versions.build_index` calls on the built index: the no-answer model fitted on `golden`, or
    the packaged one for the index's encoder (none: the index gets no model and cannot serve)."""
    def train(index: Index) -> dict[str, dict | np.ndarray]:
        from helpcenter.search.searcher import Searcher

        if golden:
            model = calibrate(Searcher(index, AnswerModel.neutral(index.encoder.name)), golden, source)
        else:
            model = packaged(index.encoder.name)
            if model is None:
                log.warning("no packaged no-answer model for %s: build with --golden FILE", index.encoder.name)
                return {}
        return model.files()

    return train
