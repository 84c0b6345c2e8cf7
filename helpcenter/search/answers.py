"""Direct answers: the passage of a section that answers the query, as plain text a player reads at once.

A passage is cut from the section the top result matched, in whole units: a list's items (numbered
steps keep their numbers) or a paragraph's sentences, never mid-sentence, at most `MAX_CHARS`. It starts
at the section's beginning, or, in a long section, at the paragraph or list that holds the most query
terms. Whether a response carries one at all is stricter than `answered` (a wrong direct answer is
worse than a list of articles): `AnswerPolicy` says when.
"""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Iterable

import markdown

from helpcenter.index.analysis import analyze

MAX_CHARS = 600

# What says which section of the top article answers (`Searcher.section_features`, one row per section):
SECTION_FEATURES = (
    "vector",  # its best passage's cosine against the article's best (the overview passage left out), x10
    "vector_translations",  # the same, averaged over the article's translations (sections align)
    "vector_best_translation",  # ... and the best of them
    "body_terms",  # share of the query's terms in the section
    "heading_terms",  # share of the query's terms in its heading
    "introduction",  # 1 for the text before the first heading
    "position",  # 0 for the first section .. 1 for the last
    "steps",  # 1 when it holds a numbered list
    "first",  # 1 for the first headed section
)
# Fitted by `bench/tune_answers.py` on the golden set's tuning half (softmax regression over the
# sections of the right article, L2 0.01): picks the annotated section for 67% of tuning queries and
# 63% of test queries (2026-12-04), against 55% / 59% for the hit's section rule.
SECTION_WEIGHTS = (1.45, 1.46, 1.11, 1.31, 1.31, -1.47, -0.85, 0.91, -0.15)


@dataclass(frozen=True)
class Answer:
    slug: str
    lang: str  # the article's language (English for a reader of an untranslated article)
    title: str
    section: str  # the section's heading ("" for the article's introduction)
    anchor: str
    text: str  # plain text, at most MAX_CHARS


@dataclass(frozen=True)
class AnswerPolicy:
    """When a response may carry a direct answer.

    Attributes:
        min_probability: the no-answer model's probability that the top result answers, at least.
        min_margin: how far the top result's fused score stands above the second's, at least.
        min_section_lead: how far the answering section's score stands above the article's next
            section's (`Searcher.answering_section`), at least.
        section_weights: the weight of each of `SECTION_FEATURES` in a section's score.
    """

    # chosen by `bench/tune_answers.py` on the tuning half, with the no-answer model refitted after the
    # analyzer's spoken Persian stop words and English negations (2026-12-04; precision 1.00, coverage
    # 0.07 there; on the test half 0.89 and 0.12): the highest coverage of its grid at precision >= 0.95.
    # The policy before (margin 0.1) fell to precision 0.93 on the tuning half with that model.
    min_probability: float = 0.98
    min_margin: float = 0.25
    min_section_lead: float = 1.25
    section_weights: tuple[float, ...] = SECTION_WEIGHTS

    def allows(self, probability: float, margin: float, section_lead: float) -> bool:
        return (probability >= self.min_probability and margin >= self.min_margin
                and section_lead >= self.min_section_lead)


class _Blocks(HTMLParser):
    """A Markdown section's HTML as blocks of plain text: paragraphs, list items (numbered as the list
    numbers them, or bulleted), table rows and headings, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []  # (kind, text): kind p, li, row, h
        self._lists: list[list] = []  # per open list: [ordered, next number]
        self._text: list[str] = []
        self._kind = ""
        self._cells: list[str] | None = None

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._text)).strip()
        if text and self._kind:
            if self._kind == "li":
                ordered, number = self._lists[-1] if self._lists else (False, 0)
                text = f"{number}. {text}" if ordered else f"• {text}"
            self.blocks.append((self._kind, text))
        self._text, self._kind = [], ""

    def handle_starttag(self, tag, attrs):
        if tag in ("ol", "ul"):
            self._flush()
            start = dict(attrs).get("start")
            self._lists.append([tag == "ol", int(start) if start and start.isdigit() else 1])
        elif tag == "li":
            self._flush()
            self._kind = "li"
        elif tag in ("p", "h3", "h4", "blockquote", "pre") and self._kind != "li":
            self._flush()
            self._kind = "h" if tag in ("h3", "h4") else "p"
        elif tag == "tr":
            self._flush()
            self._cells = []
        elif tag in ("td", "th") and self._cells is not None:
            self._text = []
        elif tag == "br":
            self._text.append(" ")

    def handle_endtag(self, tag):
        if tag == "li":
            self._flush()
            if self._lists:
                self._lists[-1][1] += 1
        elif tag in ("ol", "ul"):
            self._flush()
            if self._lists:
                self._lists.pop()
        elif tag in ("p", "h3", "h4", "blockquote", "pre") and self._kind != "li":
            self._flush()
        elif tag in ("td", "th") and self._cells is not None:
            self._cells.append(re.sub(r"\s+", " ", "".join(self._text)).strip())
            self._text = []
        elif tag == "tr" and self._cells is not None:
            if any(self._cells):
                self.blocks.append(("row", " · ".join(c for c in self._cells if c)))
            self._cells = None

    def handle_data(self, data):
        self._text.append(data)


@lru_cache(maxsize=4096)
def blocks(section_markdown: str) -> tuple[tuple[str, str], ...]:
    parser = _Blocks()
    parser.feed(markdown.markdown(section_markdown, extensions=["tables"]))
    parser._flush()
    return tuple((kind, htmllib.unescape(text)) for kind, text in parser.blocks)


def has_steps(section_markdown: str) -> bool:
    """Whether a section holds a numbered list."""
    return re.search(r"^\s*\d+[.)]\s", section_markdown, re.M) is not None


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?؟])\s+", text) if s.strip()]


def _fit(units: list[str], limit: int) -> str:
    """Whole units, in order, while they fit in `limit` characters (the first one cut at a sentence if it
    alone is too long)."""
    out: list[str] = []
    used = 0
    for unit in units:
        extra = len(unit) + (1 if out else 0)
        if used + extra > limit:
            if not out:  # one long paragraph: its first sentences
                for sentence in _sentences(unit):
                    if used + len(sentence) + (1 if out else 0) > limit:
                        break
                    out.append(sentence)
                    used += len(sentence) + 1
                if not out:
                    out.append(unit[: limit - 1].rsplit(" ", 1)[0] + "…")
            break
        out.append(unit)
        used += extra
    return "\n".join(out)


def passage(section_markdown: str, terms: Iterable[str], limit: int = MAX_CHARS) -> str:
    """The part of a section that answers: whole units from the start, or from the run of units (a
    paragraph, or a list) that holds the most of `terms` when the section is longer than `limit`."""
    units = [text for kind, text in blocks(section_markdown)]
    if not units:
        return ""
    if sum(len(u) + 1 for u in units) <= limit:
        return "\n".join(units)
    wanted = set(terms)
    if wanted:
        # groups: a paragraph alone, or consecutive list items together (a list is read whole)
        kinds = [kind for kind, _ in blocks(section_markdown)]
        groups: list[tuple[int, int]] = []
        for i, kind in enumerate(kinds):
            if groups and kind in ("li", "row") and kinds[i - 1] == kind:
                groups[-1] = (groups[-1][0], i + 1)
            else:
                groups.append((i, i + 1))
        scores = [len(wanted & set(analyze(" ".join(units[a:b])))) for a, b in groups]
        best = max(range(len(groups)), key=lambda g: (scores[g], -g))
        start = groups[best][0]
        # a lead-in paragraph just before a list ("To withdraw:") belongs to it
        if start > 0 and kinds[start] in ("li", "row") and kinds[start - 1] == "p" and len(units[start - 1]) < 160:
            start -= 1
        return _fit(units[start:], limit)
    return _fit(units, limit)
