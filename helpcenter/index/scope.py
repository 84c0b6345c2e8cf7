"""Questions the knowledge base does not answer, written down by its editors: `content/out-of-scope/<lang>.yml`.

Players ask near the help center's subject for what it does not cover: who will win tonight, whether
gambling is legal where they live, whether support is hiring. Such a question shares words and meaning
with some article (gambling, 고객센터) and would be answered with it, confidently and wrongly. Each file
is a YAML list of such questions, written as players would ask them; `kb build` embeds them like
passages, and the no-answer model weighs how much closer a query is to one of them than to any article
(`Searcher._features`, "scope"). Editors add what the gap report shows players ask and the knowledge base
should not answer. Missing files are fine: the feature is then 0 and the model decides as before.
"""
from __future__ import annotations

from pathlib import Path

from helpcenter.content.articles import language_lists
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
