"""Editor-owned synonym groups (`content/synonyms/<lang>.yml`), analyzed at build time and saved with the index."""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Callable, Iterable, Sequence

from helpcenter.content.articles import language_lists
from helpcenter.content.errors import ContentError
from helpcenter.index.analysis import analyze

log = logging.getLogger(__name__)

EXPANSION_WEIGHT = 0.6  # a matched synonym group counts a little less than a word the player typed

Entry = tuple[str, ...]  # a way to say it, as its analyzed terms
Group = list[Entry]


def load_synonyms(content_dir: str | Path) -> list[Group]:
    """Read and analyze every `synonyms/<lang>.yml` under the content directory (missing files are fine).

    Raises:
        ContentError: when a file is not a YAML list of lists of words.
    """
    groups: list[Group] = []
    for _, path, data in language_lists(content_dir, "synonyms", "groups, each a list of words"):
        for n, group in enumerate(data, start=1):
            if not isinstance(group, list) or len(group) < 2 or not all(isinstance(w, (str, int)) for w in group):
                raise ContentError(str(path), f"group {n} must be a list of at least two words")
            entries = [analyze(str(w)) for w in group]
            entries = [e for e in dict.fromkeys(entries) if e]
            if len(entries) >= 2:
                groups.append(entries)
    return groups


def save_synonyms(path: Path, groups: Sequence[Group]) -> None:
    path.write_text(json.dumps([[list(e) for e in g] for g in groups], ensure_ascii=False), encoding="utf-8")


def read_synonyms(path: Path) -> list[Group]:
    if not path.exists():
        return []
    return [[tuple(e) for e in g] for g in json.loads(path.read_text(encoding="utf-8"))]


class Synonyms:
    """Synonym groups, indexed by term so that a query only looks at the groups its terms are in."""

    def __init__(self, groups: Sequence[Group]) -> None:
        self.groups = list(groups)
        self._by_term: dict[str, list[int]] = {}  # term -> numbers of the groups it is in
        for n, group in enumerate(self.groups):
            for t in dict.fromkeys(t for entry in group for t in entry):
                self._by_term.setdefault(t, []).append(n)

    def alternatives(self, terms: Iterable[str], known: Callable[[str], bool],
                     weight: float = EXPANSION_WEIGHT) -> tuple[tuple[float, tuple[tuple[str, ...], ...]], ...]:
        """The matched groups, each as (its weight, its entries not wholly among `terms`: those are
        scored as typed).

        A group matches when one of its entries has all its terms among the query's terms. The keyword
        run scores each group as one word (`KeywordIndex.scores`): an article gets its best entry's score,
        not the sum of every entry's words, so an article that lists every way to say "withdraw" does
        not outscore the one about what else the query asks (a withdrawal stuck). A group weighs
        `weight`, a little less than a typed word, where the articles have what was typed (`known`);
        where they do not (돈 빼, slang the articles never use), the group stands for it and weighs 1.
        """
        return tuple((weight if any(all(known(t) for t in entry) for entry in typed) else 1.0, rest)
                     for typed, rest in self.matched(terms))

    def matched(self, terms: Iterable[str]) -> list[tuple[tuple[Entry, ...], tuple[Entry, ...]]]:
        """The groups one of whose entries has all its terms among `terms`, each as (those entries, the
        others), in the groups' order; a group all of whose entries were typed is left out."""
        have = set(terms)
        out = []
        for n in sorted({n for t in have for n in self._by_term.get(t, ())}):
            typed, rest = [], []
            for entry in self.groups[n]:
                (typed if set(entry) <= have else rest).append(entry)
            if typed and rest:
                out.append((tuple(typed), tuple(rest)))
        return out
