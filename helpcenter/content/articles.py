"""Articles: the `Article`/`Section` types and the loader that validates `content/<lang>/<slug>.md`."""
from __future__ import annotations

import datetime as dt
import html
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import markdown
import yaml
from markdown.extensions.toc import slugify_unicode

from helpcenter.content.errors import ContentError
from helpcenter.languages import LANGS

log = logging.getLogger(__name__)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.S)
REQUIRED = ("title", "category")
OPTIONAL = ("summary", "tags", "keywords", "updated")


@dataclass(frozen=True)
class Section:
    """One part of an article: the text before the first `##` heading (anchor "") or one `##` section."""

    anchor: str
    heading: str
    markdown: str
    text: str  # plain text, for indexing and snippets


@dataclass(frozen=True)
class Article:
    slug: str
    lang: str
    title: str
    category: str
    body: str
    sections: tuple[Section, ...]
    summary: str = ""
    tags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    updated: dt.date | None = None
    path: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return f"{self.lang}/{self.slug}"

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.sections)


@dataclass(frozen=True)
class LoadReport:
    articles: tuple[Article, ...]
    skipped: tuple[ContentError, ...]

    def counts(self) -> dict[str, int]:
        out = {lang: 0 for lang in LANGS}
        for a in self.articles:
            out[a.lang] += 1
        return out


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"p", "li", "h2", "h3", "h4", "tr", "br", "div", "blockquote", "pre"}:
            self.parts.append("\n")


def markdown_to_text(source: str) -> str:
    """Plain text of a Markdown fragment (links keep their words, formatting goes)."""
    parser = _TextExtractor()
    parser.feed(markdown.markdown(source, extensions=["tables"]))
    text = html.unescape("".join(parser.parts))
    return re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()


def anchor_for(heading: str) -> str:
    """Stable, Unicode-preserving anchor of a heading (the site renders the same ids)."""
    return slugify_unicode(heading, "-")


def split_sections(body: str) -> tuple[Section, ...]:
    """Split a Markdown body at `##` headings; text before the first heading is the intro section."""
    sections: list[Section] = []
    seen: dict[str, int] = {}
    heading, lines = "", []
    in_fence = False

    def flush() -> None:
        source = "\n".join(lines).strip()
        if not source and not heading:
            return
        anchor = anchor_for(heading) if heading else ""
        if anchor:
            # Duplicate headings get -1, -2… as python-markdown's toc does.
            n = seen.get(anchor, 0)
            seen[anchor] = n + 1
            anchor = anchor if n == 0 else f"{anchor}_{n}"
        sections.append(Section(anchor, heading, source, markdown_to_text(source)))

    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else re.match(r"^##\s+(.+?)\s*#*\s*$", line)
        if match and not line.startswith("###"):
            flush()
            heading, lines = match.group(1).strip(), []
        else:
            lines.append(line)
    flush()
    return tuple(sections)


def _str_list(path: str, meta: dict, key: str) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ContentError(path, f"front matter '{key}' must be a list of strings")
    return tuple(str(v).strip() for v in value if str(v).strip())


def parse_article(path: Path, lang: str, slug: str, raw: str) -> Article:
    """Validate and parse one article file's text.

    Raises:
        ContentError: naming the file and the broken rule.
    """
    p = str(path)
    if lang not in LANGS:
        raise ContentError(p, f"language directory '{lang}' must be one of {', '.join(LANGS)}")
    if not SLUG_RE.match(slug):
        raise ContentError(p, f"slug '{slug}' must be lower-case ASCII letters, digits and '-'")
    match = FRONT_MATTER_RE.match(raw.lstrip("\ufeff"))
    if not match:
        raise ContentError(p, "must start with YAML front matter between '---' lines")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ContentError(p, f"front matter is not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(meta, dict):
        raise ContentError(p, "front matter must be a YAML mapping of keys to values")
    for key in REQUIRED:
        value = meta.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(p, f"front matter needs a non-empty '{key}' string")
    unknown = sorted(set(map(str, meta)) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        log.warning("%s: unknown front-matter keys %s are ignored", p, unknown)
    summary = meta.get("summary") or ""
    if not isinstance(summary, str):
        raise ContentError(p, "front matter 'summary' must be a string")
    updated = meta.get("updated")
    if updated is not None and not isinstance(updated, dt.date):
        try:
            updated = dt.date.fromisoformat(str(updated))
        except ValueError:
            raise ContentError(p, f"front matter 'updated' must be an ISO date (YYYY-MM-DD), got {updated!r}") from None
    if isinstance(updated, dt.datetime):
        updated = updated.date()
    body = match.group(2).strip()
    if not body:
        raise ContentError(p, "body must not be empty")
    return Article(
        slug=slug, lang=lang, title=meta["title"].strip(), category=meta["category"].strip(),
        body=body, sections=split_sections(body), summary=summary.strip(),
        tags=_str_list(p, meta, "tags"), keywords=_str_list(p, meta, "keywords"),
        updated=updated, path=p,
    )


def load_articles(content_dir: str | Path, skip_invalid: bool = False) -> LoadReport:
    """Load every `<lang>/<slug>.md` under `content_dir`.

    Args:
        content_dir: the content root.
        skip_invalid: report and leave out broken files instead of stopping at the first.

    Returns:
        The valid articles (sorted by language, then slug) and the errors of skipped files.

    Raises:
        ContentError: for the first broken file unless `skip_invalid`, or when the directory is missing.
    """
    root = Path(content_dir)
    if not root.is_dir():
        raise ContentError(str(root), "content directory does not exist")
    articles: list[Article] = []
    skipped: list[ContentError] = []
    for path in sorted(root.glob("*/*.md")):
        lang, slug = path.parent.name, path.stem
        if lang.startswith(".") or lang.startswith("_"):
            continue
        try:
            try:
                raw = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise ContentError(str(path), "file must be UTF-8 text") from None
            articles.append(parse_article(path, lang, slug, raw))
        except ContentError as err:
            if not skip_invalid:
                raise
            log.warning("skipped %s", err)
            skipped.append(err)
    return LoadReport(tuple(articles), tuple(skipped))


def language_lists(content_dir: str | Path, directory: str, shape: str) -> Iterator[tuple[str, Path, list]]:
    """(language, path, its items) for each `<directory>/<lang>.yml` under the content directory that
    exists (synonyms, out-of-scope questions): a YAML list per language; `shape` says what the list holds,
    for the error.

    Raises:
        ContentError: naming the file, when it is not valid YAML or not a list.
    """
    for lang in LANGS:
        path = Path(content_dir) / directory / f"{lang}.yml"
        if path.exists():
            yield lang, path, yaml_list(path, shape)


def yaml_list(path: Path, shape: str) -> list:
    """The YAML list in `path` (empty: an empty file); `shape` says what it holds, for the error.

    Raises:
        ContentError: naming the file, when it is not valid YAML or not a list.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise ContentError(str(path), f"not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, list):
        raise ContentError(str(path), f"must be a YAML list of {shape}")
    return data
