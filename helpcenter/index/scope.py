"""Questions the knowledge base does not answer, written down by its editors: `content/out-of-scope/<lang>.yml`.

Players ask near the help center's subject for what it does not cover: who will win tonight, whether
gambling is legal where they live, whether support is hiring. Such a question shares words and meaning
with some article (gambling, 고객센터) and would be answered with it, confidently and wrongly. Each file
is a YAML list of such questions, written as players would ask them; `kb build` embeds them like
passages, and the no-answer model weighs how much closer a query is to one of them than to the top
article (`Searcher._features`, "scope") and than to the short texts editors wrote for what the knowledge
base does answer: titles, keywords and headings (`editor_phrases`, "scope_phrase"). Editors add what
the gap report shows players ask and the knowledge base should not answer. Missing files are fine:
"scope" is then 0, "scope_phrase" is missing and read at its mean, and the model decides as before.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from helpcenter.content.articles import Article, language_lists
from helpcenter.content.errors import ContentError

DIRECTORY = "out-of-scope"
MAX_CHARS = 500  # as a query may be


def load_out_of_scope(content_dir: str | Path) -> list[tuple[str, str]]:
    """(language, question) for every question of every `out-of-scope/<lang>.yml` under the content
    directory, in file order. A query is compared with its reader's language's questions only: across
    languages e5's cosines are crowded (an English complaint is as close to a Persian question about
    phone batteries as to its own article).

    Raises:
        ContentError: naming the file and the rule, when a file is not a YAML list of short texts.
    """
    out: list[tuple[str, str]] = []
    for lang, path, data in language_lists(content_dir, DIRECTORY, "questions (one '- question' a line)"):
        for n, item in enumerate(data, start=1):
            if not isinstance(item, str) or not item.strip():
                raise ContentError(str(path), f"item {n} must be a question as text, not {item!r}")
            if len(item) > MAX_CHARS:
                raise ContentError(str(path), f"item {n} is longer than {MAX_CHARS} characters")
            out.append((lang, item.strip()))
    return out


def editor_phrases(articles: Iterable[Article]) -> list[tuple[str, str]]:
    """(language, text) of every title, keyword and section heading, once per language: the in-scope
    counterpart of the out-of-scope questions. A question is compared with both alike: short texts each,
    their cosines are comparable, where a question's cosine with a passage runs lower than with a
    question on the same subject.

    Measured (`bench/fit_answer_model.py`, test halves, the model refitted with and without it):
    answerable queries answered 0.91 -> 0.94, out-of-scope ones not answered 0.92 -> 0.94."""
    seen: set[tuple[str, str]] = set()
    for a in articles:
        for text in (a.title, *a.keywords, *(s.heading for s in a.sections if s.heading)):
            seen.add((a.lang, text.strip()))
    return sorted(seen)
