"""Import a Zendesk Help Center (Guide) export into our content format: `<out>/<lang>/<slug>.md`.

An export is what the Help Center API returns, saved to disk: a directory of JSON files (any names, any
nesting, several pages, one folder per locale), one JSON file, or a `.zip` of such a directory. Each file
is recognized by its top-level key (`articles`, `translations`, `sections`, `categories`,
`article_attachments`, or the singular `article`… of the show endpoints); a bare article object (what
export scripts write, one file per article) or a list of them is read too.

What happens to an article:
- every translation in a locale we read (`en-us`, `en-gb`… -> `en`; `ko-kr` -> `ko`; `fa-ir` -> `fa`)
  becomes one file; other locales, drafts (unless asked for) and a second English version are skipped;
- all its translations share one slug, made from the English title (else the source locale's), unique
  in the import and the same on every re-import of the same export;
- its section's English name becomes `category`, its labels `tags` and `keywords`;
- the HTML body becomes Markdown the loader (`articles.load_articles`) and the site render (python-markdown
  with `tables`): `h1`-`h3` are `##` sections, tables pipe tables, nested lists indented four spaces,
  links absolute (links to other imported articles point at ours), embeds removed.
What the operator must finish by hand (images and attachments to copy, removed videos, links still
pointing at Zendesk, outdated translations) is listed in the report's warnings.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urljoin, urlsplit

import bs4
import yaml
from bs4 import BeautifulSoup, NavigableString
from markdownify import MarkdownConverter, chomp

from helpcenter.content.articles import SLUG_RE, Article, anchor_for, markdown_to_text, parse_article
from helpcenter.content.errors import ContentError, KBError
from helpcenter.languages import LANGS

log = logging.getLogger(__name__)

MAX_SUMMARY = 200
MAX_SLUG = 80
# Zendesk's usual region of each language: preferred when an article has several (en-us over en-gb).
_MAIN_LOCALE = {"en": "en-us", "ko": "ko-kr", "fa": "fa-ir"}
_LOCALE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")

# Plural list keys of the API's index endpoints and the singular keys of its show endpoints.
_LIST_KEYS = {"articles": "article", "translations": "translation", "sections": "section",
              "categories": "category", "article_attachments": "attachment"}
_ONE_KEYS = {"article": "article", "translation": "translation", "section": "section",
             "category": "category", "article_attachment": "attachment"}

# Elements whose content cannot be shown as Markdown; removed and reported. Media keep their URL.
_REMOVED = ("iframe", "video", "audio", "object", "embed", "script", "style", "form", "noscript", "canvas",
            "svg", "template", "button", "input", "select", "textarea")
_SILENT = ("head", "title", "meta", "link", "base")  # document furniture some bodies carry
# Block elements markdownify passes through as inline text: treated as <div> (their text, as paragraphs).
_AS_DIV = ("aside", "header", "footer", "main", "nav", "figure", "details", "summary", "center", "address",
           "hgroup", "dl", "dd", "fieldset", "picture")
_STRUCK = ("s", "strike", "del")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# Invisible bidi embeddings/isolates and BOMs (pasted from Word, or left by `dir` wrappers): the site sets
# the direction of a whole page, and an unbalanced embedding would flip the text after it.
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069\ufeff]")
# A ZWNJ joins the parts of a Persian word; next to a space or a line end it is only noise.
_STRAY_ZWNJ_RE = re.compile(r"\u200c+(?=[ \t\n]|$)|(?<=[ \t\n])\u200c+|^\u200c+", re.MULTILINE)
_ZWNJ_RUN_RE = re.compile("\u200c{2,}")

_ASCII_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe",
                             "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "Þ": "th", "ı": "i"})
_ARTICLE_PATH_RE = re.compile(r"/hc/(?:[a-z]{2,3}(?:-[a-z0-9]+)?/)?articles/(\d+)", re.IGNORECASE)
_API_ARTICLE_PATH_RE = re.compile(r"/api/v2/help_center/(?:[a-z]{2,3}(?:-[a-z0-9]+)?/)?articles/(\d+)", re.IGNORECASE)


class ZendeskImportError(KBError):
    """The export cannot be imported at all: the path is missing or holds no Help Center article."""


@dataclass(frozen=True)
class ImportReport:
    """What an import did.

    Attributes:
        articles: files written per language (every language of the service, 0 included).
        written: the paths written, in import order.
        skipped: (Zendesk article id, or file path, "<kind>: <reason>") of what was not written.
        warnings: (slug, message) of what the operator must check or finish by hand.
    """

    articles: dict[str, int]
    written: tuple[Path, ...]
    skipped: tuple[tuple[str, str], ...]
    warnings: tuple[tuple[str, str], ...]
    out_dir: Path | None = None

    def summary(self, limit: int = 10) -> str:
        """A short report for a person: counts, then the first `limit` skips and warnings."""
        counts = ", ".join(f"{lang} {n}" for lang, n in self.articles.items())
        where = f" to {self.out_dir}" if self.out_dir else ""
        lines = [f"Imported {len(self.written)} file(s){where} ({counts})."]
        if self.skipped:
            kinds: dict[str, int] = {}
            for _, reason in self.skipped:
                kind = reason.split(":", 1)[0]
                kinds[kind] = kinds.get(kind, 0) + 1
            lines.append(f"Skipped {len(self.skipped)}: " + ", ".join(f"{n} {k}" for k, n in kinds.items()) + ".")
            lines += [f"  {what}: {reason}" for what, reason in self.skipped[:limit]]
            if len(self.skipped) > limit:
                lines.append(f"  … and {len(self.skipped) - limit} more")
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s) to check by hand:")
            lines += [f"  {slug}: {message}" for slug, message in self.warnings[:limit]]
            if len(self.warnings) > limit:
                lines.append(f"  … and {len(self.warnings) - limit} more")
        return "\n".join(lines)


# --- reading the export -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Document:
    name: str  # shown in messages: the path inside the export
    folders: tuple[str, ...]  # the folders it sits in, to guess a locale a bare record does not state
    data: object


@dataclass
class _Variant:
    """One locale of an article, from the articles list or the translations endpoint."""

    locale: str
    title: str
    body: str
    draft: bool
    outdated: bool
    stamp: str  # updated_at as written: the newest copy of a variant seen twice wins
    updated: dt.date | None
    html_url: str
    origin: str


@dataclass
class _Article:
    id: str
    source_locale: str = ""
    section_id: str = ""
    labels: list[str] = field(default_factory=list)
    outdated_locales: set[str] = field(default_factory=set)
    html_url: str = ""
    variants: dict[str, _Variant] = field(default_factory=dict)


@dataclass
class _Export:
    articles: dict[str, _Article] = field(default_factory=dict)
    section_names: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> locale -> name
    section_meta: dict[str, dict] = field(default_factory=dict)
    category_names: dict[str, dict[str, str]] = field(default_factory=dict)
    category_source: dict[str, str] = field(default_factory=dict)
    attachments: dict[str, dict[str, dict]] = field(default_factory=dict)  # article id -> attachment id -> record
    hosts: set[str] = field(default_factory=set)  # scheme://host of the help center(s)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _read_documents(source: Path) -> tuple[list[_Document], list[tuple[str, str]]]:
    """The JSON documents of an export (a directory, a .json file or a .zip), in a stable order."""
    if not source.exists():
        raise ZendeskImportError(f"{source}: no such file or directory (give a Zendesk export: a directory, "
                                 "a .json file or a .zip)")
    raw: list[tuple[str, bytes]] = []
    if source.is_dir():
        for path in sorted(source.rglob("*.json")):
            rel = path.relative_to(source)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                raw.append((rel.as_posix(), path.read_bytes()))
    elif zipfile.is_zipfile(source):
        try:
            with zipfile.ZipFile(source) as archive:
                # Read in memory: nothing from the archive is written to disk (no path tricks).
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    name = info.filename
                    parts = PurePosixPath(name).parts
                    if (info.is_dir() or not name.lower().endswith(".json") or "__MACOSX" in parts
                            or any(p.startswith(".") for p in parts)):
                        continue
                    raw.append((name, archive.read(info)))
        except (zipfile.BadZipFile, OSError) as exc:
            raise ZendeskImportError(f"{source}: cannot read the zip archive ({exc})") from None
    elif source.is_file():
        raw.append((source.name, source.read_bytes()))
    else:
        raise ZendeskImportError(f"{source}: not a directory, a .json file or a .zip")
    docs, skipped = [], []
    for name, data in raw:
        try:
            parsed = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            skipped.append((name, f"unreadable file: not UTF-8 JSON ({exc})"))
            continue
        docs.append(_Document(name, PurePosixPath(name).parts[:-1], parsed))
    return docs, skipped


def _records(data: object) -> Iterator[tuple[str, dict]]:
    """(kind, record) of every Help Center object in one JSON document."""
    if isinstance(data, list):  # some scripts save a bare list of articles
        for item in data:
            if isinstance(item, dict):
                yield from _records(item)
        return
    if not isinstance(data, dict):
        return
    found = False
    for key, kind in _LIST_KEYS.items():
        if isinstance(data.get(key), list):
            found = True
            yield from ((kind, item) for item in data[key] if isinstance(item, dict))
    for key, kind in _ONE_KEYS.items():
        if isinstance(data.get(key), dict):
            found = True
            yield kind, data[key]
    if isinstance(data.get("results"), list):  # the search endpoint: articles among other results
        found = True
        yield from (("article", r) for r in data["results"]
                    if isinstance(r, dict) and r.get("result_type", "article") == "article")
    if found:
        return
    # A bare object, as export scripts write one per file.
    if "source_id" in data and "body" in data:
        yield "translation", data
    elif "id" in data and "title" in data and "body" in data:
        yield "article", data
    elif "article_id" in data and "content_url" in data:
        yield "attachment", data


def _id(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    return str(value).strip()


def _id_key(value: str) -> tuple[int, int, str]:
    """Numeric ids in numeric order (Zendesk ids grow with time), others after them."""
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


def _norm_locale(value: object) -> str:
    return str(value or "").strip().lower().replace("_", "-")


def _lang_of(locale: str) -> str | None:
    """Our language code for a Zendesk locale (`en-gb` -> `en`), None for one we do not read."""
    primary = locale.split("-", 1)[0]
    return primary if primary in LANGS else None


def _folder_locale(folders: tuple[str, ...]) -> str:
    """The locale a folder names (`…/ko/123.json`), for records that do not state theirs."""
    for folder in reversed(folders):
        locale = _norm_locale(folder)
        if _LOCALE_RE.match(locale) and _lang_of(locale):
            return locale
    return ""


def _date(value: object) -> dt.date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text).date()  # 3.11 reads the "Z"
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None


def _base(url: object) -> str:
    parts = urlsplit(str(url or ""))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def _collect(docs: list[_Document]) -> _Export:
    export = _Export()
    for doc in docs:
        for kind, rec in _records(doc.data):
            if kind == "article":
                _add_article(export, rec, doc)
            elif kind == "translation":
                _add_translation(export, rec, doc)
            elif kind == "section":
                _add_named(export.section_names, rec, doc)
                sid = _id(rec.get("id"))
                if sid:
                    meta = export.section_meta.setdefault(sid, {})
                    meta.setdefault("category_id", _id(rec.get("category_id")))
                    meta.setdefault("source_locale", _norm_locale(rec.get("source_locale")))
            elif kind == "category":
                _add_named(export.category_names, rec, doc)
                cid = _id(rec.get("id"))
                if cid:
                    export.category_source.setdefault(cid, _norm_locale(rec.get("source_locale")))
            elif kind == "attachment":
                aid = _id(rec.get("article_id"))
                if aid:
                    key = _id(rec.get("id")) or str(rec.get("content_url"))
                    export.attachments.setdefault(aid, {}).setdefault(key, rec)
    return export


def _add_named(names: dict[str, dict[str, str]], rec: dict, doc: _Document) -> None:
    sid, name = _id(rec.get("id")), " ".join(str(rec.get("name") or "").split())
    locale = _norm_locale(rec.get("locale")) or _folder_locale(doc.folders)
    if sid and name:
        names.setdefault(sid, {}).setdefault(locale, name)


def _add_article(export: _Export, rec: dict, doc: _Document) -> None:
    aid = _id(rec.get("id"))
    if not aid:
        export.skipped.append((doc.name, "no id: an article record without an id"))
        return
    article = export.articles.setdefault(aid, _Article(aid))
    article.source_locale = article.source_locale or _norm_locale(rec.get("source_locale"))
    article.section_id = article.section_id or _id(rec.get("section_id"))
    article.html_url = article.html_url or str(rec.get("html_url") or "")
    labels = rec.get("label_names") or ()
    if isinstance(labels, str):  # some scripts flatten the list to "a,b"
        labels = labels.split(",")
    for label in labels:
        if isinstance(label, str) and label.strip() and label.strip() not in article.labels:
            article.labels.append(label.strip())
    article.outdated_locales |= {_norm_locale(x) for x in rec.get("outdated_locales") or () if isinstance(x, str)}
    # A bare object some scripts write names no locale: its folder's, else the article's source locale.
    locale = _norm_locale(rec.get("locale")) or _folder_locale(doc.folders) or _norm_locale(rec.get("source_locale"))
    _add_variant(export, article, rec, locale, doc)


def _add_translation(export: _Export, rec: dict, doc: _Document) -> None:
    source_type = str(rec.get("source_type") or "Article")
    sid = _id(rec.get("source_id"))
    locale = _norm_locale(rec.get("locale")) or _folder_locale(doc.folders)
    if source_type in ("Section", "Category"):  # a section's or category's name in one locale
        names = export.section_names if source_type == "Section" else export.category_names
        title = " ".join(str(rec.get("title") or "").split())
        if sid and title:
            names.setdefault(sid, {}).setdefault(locale, title)
        return
    if source_type != "Article" or not sid:
        export.skipped.append((doc.name, f"not an article: a {source_type} translation without a source id"
                               if not sid else f"not an article: a {source_type} translation"))
        return
    article = export.articles.setdefault(sid, _Article(sid))
    _add_variant(export, article, rec, locale, doc)


def _add_variant(export: _Export, article: _Article, rec: dict, locale: str, doc: _Document) -> None:
    html_url = str(rec.get("html_url") or "")
    for url in (html_url, rec.get("url")):
        if _base(url):
            export.hosts.add(_base(url))
    if not locale:
        export.skipped.append((article.id, f"no locale: the record in {doc.name} names no locale"))
        return
    stamp = str(rec.get("updated_at") or "")
    variant = _Variant(
        locale=locale, title=" ".join(str(rec.get("title") or "").split()), body=str(rec.get("body") or ""),
        draft=bool(rec.get("draft")), outdated=bool(rec.get("outdated")), stamp=stamp,
        updated=_date(rec.get("edited_at")) or _date(stamp) or _date(rec.get("created_at")),
        html_url=html_url, origin=doc.name)
    old = article.variants.get(locale)
    # The same locale twice (articles list and translations endpoint, or two exports merged): the newest
    # copy wins; on a tie the first in file order, so the result does not depend on the file system.
    if old is None or (stamp and stamp > old.stamp):
        article.variants[locale] = variant


# --- slugs, categories, labels ----------------------------------------------------------------------

def ascii_slug(text: str, max_len: int = MAX_SLUG) -> str:
    """`text` as lower-case ASCII words joined by `-` (accents dropped, other scripts removed)."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['’`]", "", text.encode("ascii", "ignore").decode().lower())
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > max_len:  # cut at a word boundary
        cut = slug[:max_len + 1].rsplit("-", 1)[0]
        slug = (cut if cut else slug[:max_len]).strip("-")
    return slug


def _usable_slug(slug: str) -> bool:
    """A slug made of a title worth keeping: at least one letter ("2단계 인증" leaves only "2")."""
    return bool(slug and SLUG_RE.match(slug) and re.search(r"[a-z]", slug))


def _preference(lang: str, source_locale: str) -> Callable[[_Variant], tuple]:
    """Order of an article's locales of one language: its source locale, the plain code, the main region."""
    return lambda v: (v.locale != source_locale, v.locale != lang, v.locale != _MAIN_LOCALE.get(lang), v.locale)


def _slug_title(article: _Article, by_lang: dict[str, list[_Variant]]) -> str:
    """The title the slug is made of: English when there is an English version, else the source locale's."""
    if "en" in by_lang:
        return min(by_lang["en"], key=_preference("en", article.source_locale)).title
    source = article.variants.get(article.source_locale)
    if source and _lang_of(source.locale):
        return source.title
    for lang in LANGS:
        if lang in by_lang:
            return min(by_lang[lang], key=_preference(lang, article.source_locale)).title
    return ""


def _pick_name(names: dict[str, str], source_locale: str) -> str:
    """A name in English if there is one, else in the source locale, else any (stable choice)."""
    english = sorted(loc for loc in names if _lang_of(loc) == "en")
    for locale in (*english, source_locale, *sorted(names)):
        if names.get(locale):
            return names[locale]
    return ""


def _category(export: _Export, article: _Article) -> tuple[str, str]:
    """(category slug, warning or "") from the article's section (its category as a fallback)."""
    sid = article.section_id
    if not sid:
        return "uncategorized", "no section in the export: category 'uncategorized'"
    meta = export.section_meta.get(sid, {})
    names = export.section_names.get(sid, {})
    if not names:
        return f"section-{sid}", f"section {sid} is not in the export (no sections.json?): category 'section-{sid}'"
    slug = ascii_slug(_pick_name(names, meta.get("source_locale", "")), 60)
    if _usable_slug(slug):
        return slug, ""
    cid = meta.get("category_id", "")
    slug = ascii_slug(_pick_name(export.category_names.get(cid, {}), export.category_source.get(cid, "")), 60)
    if _usable_slug(slug):
        return slug, f"section {sid} has no English name: category '{slug}' from its Zendesk category"
    return f"section-{sid}", f"section {sid} has no English name: category 'section-{sid}'"


def _tags_and_keywords(labels: list[str]) -> tuple[list[str], list[str]]:
    """Labels as tags (slug-like: `Cash Out` -> `cash-out`) and as keywords (search terms: `cash out`)."""
    tags: list[str] = []
    keywords: list[str] = []
    seen: set[str] = set()
    for label in labels:
        tag = re.sub(r"[^\w-]", "", re.sub(r"[\s_]+", "-", label.casefold())).strip("-")
        if tag and tag not in tags:
            tags.append(tag)
        keyword = " ".join(label.replace("_", " ").split())
        if keyword and keyword.casefold() not in seen:
            seen.add(keyword.casefold())
            keywords.append(keyword)
    return tags, keywords


# --- HTML -> Markdown -------------------------------------------------------------------------------

def clean_text(text: str) -> str:
    """Invisible characters that only do harm removed; ZWNJ kept inside words (Persian half-spaces)."""
    text = _BIDI_RE.sub("", text.replace("\xa0", " "))
    return _STRAY_ZWNJ_RE.sub("", _ZWNJ_RUN_RE.sub("\u200c", text))


# python-markdown's escapable characters (`|` by its tables extension); `<` cannot be escaped there.
_INLINE_SPECIAL_RE = re.compile(r"[\\`*_\[\]|]")
_TAG_START_RE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY_RE = re.compile(r"&(?=#?\w+;)")
# What would start a heading, quote or list at the start of a line.
_BLOCK_START_RE = re.compile(r"^([ \t]*)(#|>|[-+](?=[ \t]|$)|\d{1,9}(?=[.)](?:[ \t]|$)))", re.MULTILINE)


def _escape_block_start(match: re.Match) -> str:
    lead, mark = match.group(1), match.group(2)
    return f"{lead}{mark}\\" if mark[0].isdigit() else f"{lead}\\{mark}"


def _escape_heading(text: str) -> str:
    """A heading's text, escaped only where Markdown would misread it: section headings are shown as
    written (search results, the table of contents), so a needless backslash would show."""
    for ch in "*_`":
        if text.count(ch) >= 2:
            text = text.replace(ch, "\\" + ch)
    if re.search(r"\]\s*[(\[]", text):
        text = text.replace("[", "\\[").replace("]", "\\]")
    text = _TAG_START_RE.sub("&lt;", _ENTITY_RE.sub("&amp;", text))
    return re.sub(r"#+$", lambda m: "\\" + m.group(0), text)  # closing hashes would be dropped


class _Converter(MarkdownConverter):
    """markdownify, fitted to python-markdown (our loader and site) and to Zendesk's HTML."""

    def __init__(self, *, link: Callable[[str], str | None], image: Callable[[str], str | None],
                 anchors: dict[str, str]) -> None:
        super().__init__(heading_style="atx", bullets="-", table_infer_header=True, escape_misc=False,
                         wrap=True, wrap_width=None)  # wrap without width: newlines in HTML text are spaces
        self._link, self._image, self._anchors = link, image, anchors

    def escape(self, text: str, parent_tags) -> str:  # type: ignore[override]
        if not text:
            return ""
        text = _INLINE_SPECIAL_RE.sub(lambda m: "\\" + m.group(0), text)
        text = _TAG_START_RE.sub("&lt;", _ENTITY_RE.sub("&amp;", text))  # `&` first: `&lt;` adds one
        return _BLOCK_START_RE.sub(_escape_block_start, text)

    def convert_hN(self, n, el, text, parent_tags):  # type: ignore[override]
        if "_inline" in parent_tags:
            return text
        # Plain text: a heading is a section title; bold/links inside it would show as markup in lists.
        title = " ".join(clean_text(el.get_text()).split())
        if not title:
            return ""
        return f"\n\n{'##' if n <= 3 else '###'} {_escape_heading(title)}\n\n"

    def convert_a(self, el, text, parent_tags):  # type: ignore[override]
        if "_noformat" in parent_tags or not _HEADINGS.isdisjoint(parent_tags):  # headings keep only text
            return text
        prefix, suffix, text = chomp(text)
        if not text:
            return ""
        href = str(el.get("href") or "").strip()
        if href.startswith("#"):
            anchor = self._anchors.get(unquote(href[1:]))
            target = f"#{anchor}" if anchor else None
        else:
            target = self._link(href) if href else None
        if not target:
            return f"{prefix}{text}{suffix}"
        if text.replace("\\_", "_") == target and target.startswith(("http://", "https://")):
            return f"{prefix}<{target}>{suffix}"
        return f"{prefix}[{text}]({target}){suffix}"

    def convert_img(self, el, text, parent_tags):  # type: ignore[override]
        src = self._image(str(el.get("src") or "").strip())
        alt = " ".join(clean_text(str(el.get("alt") or "")).split())
        if not src or "a" in parent_tags:  # an image inside a link: the link carries it, keep its words
            return self.escape(alt, parent_tags)
        label = alt or unquote(PurePosixPath(urlsplit(src).path).name) or "image"
        return f"[{self.escape(label, parent_tags)}]({src})"

    def convert_li(self, el, text, parent_tags):  # type: ignore[override]
        text = (text or "").strip()
        if "_inline" in parent_tags:  # a list inside a table cell: items on one line
            return f"{text}; " if text else ""
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            number = (int(start) if start.isdigit() else 1) + len(el.find_previous_siblings("li"))
            bullet = f"{number}. "
        else:
            bullet = "- "
        # python-markdown needs four spaces for anything inside an item (nested lists, paragraphs, tables).
        lines = text.split("\n")
        rest = ["    " + line if line.strip() else "" for line in lines[1:]]
        return "\n".join([bullet + lines[0], *rest]) + "\n"

    def convert_list(self, el, text, parent_tags):  # type: ignore[override]
        if "_inline" in parent_tags:
            return " " + text.strip().rstrip(";") + " "
        return super().convert_list(el, text, parent_tags)

    convert_ul = convert_list
    convert_ol = convert_list

    def convert_pre(self, el, text, parent_tags):  # type: ignore[override]
        text = "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))
        if not text.strip():
            return ""
        if "_inline" in parent_tags:
            return " `" + " ".join(text.split()).replace("`", "'") + "` "
        # An indented block: python-markdown has no fenced code without the fenced_code extension.
        block = "\n".join("    " + line if line else "" for line in text.split("\n"))
        previous = el.find_previous_sibling(True)
        # After a list an indented block would continue its last item; an empty comment ends the list.
        separator = "<!-- -->\n\n" if previous is not None and previous.name in ("ul", "ol") else ""
        return f"\n\n{separator}{block}\n\n"

    def convert_table(self, el, text, parent_tags):  # type: ignore[override]
        if "_inline" in parent_tags:  # a table inside a table cell: its words only
            return " " + self.escape(" ".join(el.get_text(" ").split()), parent_tags) + " "
        table = super().convert_table(el, text, parent_tags).strip("\n")
        # Header cells made bold by hand (Zendesk's editor has no header row): the header is bold anyway.
        header, _, rows = table.partition("\n")
        header = re.sub(r"(?<=\| )\*\*((?:(?!\*\*)[^|])+)\*\*(?= \|)", r"\1", header)
        return f"\n\n{header}\n{rows}\n\n"

    def convert_td(self, el, text, parent_tags):  # type: ignore[override]
        return super().convert_td(el, " ".join(text.split()), parent_tags)  # paragraphs in a cell: one line

    def convert_th(self, el, text, parent_tags):  # type: ignore[override]
        return super().convert_th(el, " ".join(text.split()), parent_tags)

    def convert_hr(self, el, text, parent_tags):  # type: ignore[override]
        return "\n\n* * *\n\n"  # not `---`, which ends front matter for some tools

    def convert_br(self, el, text, parent_tags):  # type: ignore[override]
        if "_inline" in parent_tags:
            return " "
        return "  \n"  # python-markdown's hard break: two trailing spaces

    # python-markdown has no syntax for these: their text stays, as plain text.
    def _plain(self, el, text, parent_tags):
        return text

    convert_del = convert_s = convert_strike = convert_sub = convert_sup = _plain


def _prepare(soup: BeautifulSoup, note: Callable[[str], None]) -> dict[str, str]:
    """Clean the parsed body in place; return Zendesk heading ids -> our anchors (for in-page links)."""
    # &nbsp; is a space to us (Zendesk's editor leaves it everywhere, `<p>&nbsp;</p>` as spacing); not
    # one of our languages needs a non-breaking space inside a word.
    for text in soup.find_all(string=lambda t: "\xa0" in t):
        if type(text) is NavigableString:  # not comments, which are strings too
            text.replace_with(text.replace("\xa0", " "))
    removed: dict[str, int] = {}
    anchors: dict[str, str] = {}
    struck = False
    for tag in soup.find_all(True):  # one pass, in document order
        if tag.decomposed:  # inside an element removed before it
            continue
        name = tag.name
        if name in _REMOVED or name in _SILENT:
            source = tag.find("source")
            src = tag.get("src") or tag.get("data") or (source.get("src") if source else "")
            if src and name in ("iframe", "video", "audio", "object", "embed"):
                note(f"removed <{name}> {src}: embedded media cannot be imported; link or describe it by hand")
            elif name in _REMOVED:
                removed[name] = removed.get(name, 0) + 1
            tag.decompose()
        elif name in _AS_DIV:
            tag.name = "div"
        elif name in _STRUCK:
            struck = True
        elif name == "dt":  # a definition term: a bold line
            tag.name = "p"
            strong = soup.new_tag("strong")
            strong.extend(list(tag.contents))
            tag.append(strong)
        elif name in ("ul", "ol") and tag.parent is not None and tag.parent.name in ("ul", "ol"):
            # Zendesk's older editor nests lists as <ul><li>…</li><ul>…</ul></ul>: into the item before.
            item = tag.find_previous_sibling("li")
            if item is None:
                item = soup.new_tag("li")
                tag.insert_before(item)
            item.append(tag.extract())
        elif name in _HEADINGS:
            title = " ".join(clean_text(tag.get_text()).split())
            ids = [tag.get("id")] + [a.get("id") or a.get("name") for a in tag.find_all("a")]
            previous = tag.find_previous_sibling(True)
            if previous is not None and previous.name == "a" and not previous.get_text(strip=True):
                ids.append(previous.get("id") or previous.get("name"))  # <a name="x"></a><h2>…
            for key in ids:
                if key and title:
                    anchors.setdefault(str(key), anchor_for(title))
    for name, count in removed.items():
        note(f"removed {count} <{name}> element(s): not supported in articles")
    if struck:
        note("struck-through text kept as plain text: check whether it should go")
    return anchors


def html_to_markdown(html: str, *, base_url: str = "", title: str = "",
                     article_link: Callable[[str], str | None] | None = None,
                     help_center_hosts: frozenset[str] | set[str] = frozenset()) -> tuple[str, list[str]]:
    """Convert a Zendesk article body to our Markdown.

    Args:
        html: the body.
        base_url: `scheme://host` relative links and images are resolved against.
        title: the article's title (a first heading repeating it is dropped).
        article_link: Zendesk article id -> our link for it (None: not imported, the link stays absolute).
        help_center_hosts: `scheme://host` of the help center, whose links are reported (they will break).

    Returns:
        The Markdown (possibly empty) and notes for the operator (images, removed elements, links).
    """
    notes: list[str] = []

    def note(message: str) -> None:
        if message not in notes:
            notes.append(message)

    def absolute(url: str) -> str | None:
        url = clean_text(url).strip()
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None
        if not parts.scheme:
            if not base_url:
                return None
            url = urljoin(base_url + "/", url)
        # Markdown link targets cannot hold spaces or unbalanced parentheses.
        return quote(url, safe=":/?#[]@!$&'*+,;=%~")

    def link(href: str) -> str | None:
        scheme = urlsplit(href).scheme.lower()
        if scheme in ("mailto", "tel"):
            return quote(href.strip(), safe=":/?#[]@!$&'*+,;=%~")
        if scheme and scheme not in ("http", "https"):
            note(f"removed a {scheme}: link (kept its text)")
            return None
        url = absolute(href)
        if url is None:
            note(f"relative link without a help-center address, kept as text: {href}")
            return None
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        match = _ARTICLE_PATH_RE.search(parts.path) or _API_ARTICLE_PATH_RE.search(parts.path)
        if match and (host in help_center_hosts or host == base_url):
            ours = article_link(match.group(1)) if article_link else None
            if ours:
                return ours
            note(f"link to a Zendesk article that is not imported (will break when Zendesk goes): {url}")
        elif "/article_attachments/" in parts.path or "/attachments/token/" in parts.path:
            note(f"attachment to copy by hand (linked in the text): {url}")
        elif host in help_center_hosts or host == base_url:
            note(f"link to the Zendesk help center (will break when Zendesk goes): {url}")
        return url

    def image(src: str) -> str | None:
        if src.startswith("data:"):
            note("removed an image embedded as data: copy it by hand")
            return None
        url = absolute(src)
        note(f"image to copy by hand: {url or src}")
        return url

    with warnings.catch_warnings():
        # A body that is only a URL or a file name makes BeautifulSoup warn; it is still HTML to us.
        warnings.simplefilter("ignore", bs4.UnusualUsageWarning)
        warnings.simplefilter("ignore", bs4.XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(html, "html.parser")
    anchors = _prepare(soup, note)
    converter = _Converter(link=link, image=image, anchors=anchors)
    text = _tidy(converter.convert_soup(soup))
    if title:  # a body that starts by repeating the title as a heading would make a section of it
        first, _, rest = text.partition("\n")
        heading = re.match(r"^#{2,3} (.+)$", first)
        if heading and re.sub(r"\\(.)", r"\1", heading.group(1)).casefold() == title.casefold():
            text = rest.strip()
    return text, notes


def _tidy(text: str) -> str:
    text = clean_text(text)
    # Trailing blanks go, except python-markdown's hard break (exactly two spaces after text).
    text = re.sub(r"[ \t]+$", lambda m: m.group(0) if m.group(0) == "  " else "", text, flags=re.MULTILINE)
    text = re.sub(r"(?m)^[ \t]+$", "", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    # A hard break at the end of a block is meaningless (and invisible in a diff).
    return re.sub(r"  (?=\n\n|\Z)", "", text).rstrip()


def summary_of(markdown_text: str) -> str:
    """The first paragraph as plain text if short (≤ MAX_SUMMARY), else its first sentence if short, else ""."""
    for block in markdown_text.split("\n\n"):
        if not block.strip():
            continue
        if block.startswith("#"):
            continue  # headings: look at the text under them
        if re.fullmatch(r"\[[^\]]*\]\([^)\s]*\)", block.strip()):
            continue  # an image (a link alone in its paragraph): look further
        if block.startswith(("    ", "- ", "|", ">", "<!--")) or re.match(r"\d+\. ", block):
            return ""  # a list, table or code first: no sentence to use
        text = " ".join(markdown_to_text(block).split())
        break
    else:
        return ""
    if text.endswith(":"):  # "Follow these steps:" introduces, does not summarize
        return ""
    if len(text) <= MAX_SUMMARY:
        return text
    sentence = re.match(r"(.{20,}?[.!?؟。])(?:\s|$)", text)
    return sentence.group(1) if sentence and len(sentence.group(1)) <= MAX_SUMMARY else ""


# --- writing ----------------------------------------------------------------------------------------

class _FrontMatterDumper(yaml.SafeDumper):
    """Keys one per line, lists on one line (`tags: [a, b]`), as the hand-written articles have them."""


_FrontMatterDumper.add_representer(
    list, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))


def render_article(*, title: str, category: str, body: str, summary: str = "", tags: list[str] | None = None,
                   keywords: list[str] | None = None, updated: dt.date | None = None) -> str:
    """The text of one article file: YAML front matter, a blank line, the body."""
    meta: dict[str, object] = {"title": title, "category": category}
    if summary:
        meta["summary"] = summary
    if tags:
        meta["tags"] = list(tags)
    if keywords:
        meta["keywords"] = list(keywords)
    if updated:
        meta["updated"] = updated
    front = yaml.dump(meta, Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False,
                      default_flow_style=False, width=1_000_000)
    return f"---\n{front}---\n\n{body.strip()}\n"


def _checked_file(path: Path, lang: str, slug: str, *, title: str, category: str, body: str, tags: list[str],
                  keywords: list[str], updated: dt.date | None) -> tuple[str, Article]:
    """The file's text and the article the loader reads from it (its own check: raises ContentError)."""
    summary = summary_of(body)
    text = render_article(title=title, category=category, body=body, tags=tags, keywords=keywords, updated=updated,
                          summary="" if summary.casefold() == title.casefold() else summary)
    return text, parse_article(path, lang, slug, text)


def _write(path: Path, text: str, overwrite: bool) -> str:
    """Write `text` to `path` through a temporary file; "" when written, else why not."""
    if path.exists() and not overwrite:
        same = path.read_bytes() == text.encode("utf-8")
        return ("file exists: unchanged" if same
                else "file exists: differs from the export (kept; import with overwrite to replace it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # not `*.md`: the loader never sees it
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    try:
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # atomic, and never replaces a file that appeared since the check
            except FileExistsError:
                return "file exists: created while importing (kept)"
            except OSError:  # a file system without hard links
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return ""


# --- the import -------------------------------------------------------------------------------------

@dataclass
class _Planned:
    article: _Article
    slug: str
    chosen: dict[str, _Variant]  # our language -> the variant written


def import_zendesk(source: str | Path, out_dir: str | Path, *, overwrite: bool = False,
                   include_drafts: bool = False) -> ImportReport:
    """Import a Zendesk Help Center export into `out_dir` (`<out_dir>/<lang>/<slug>.md`).

    Args:
        source: the export: a directory of API JSON files, one JSON file, or a .zip of a directory.
        out_dir: the content root to write into (created if missing).
        overwrite: replace existing files; otherwise they are kept and reported as skipped.
        include_drafts: import draft translations too.

    Returns:
        What was written, skipped and needs a person's attention.

    Raises:
        ZendeskImportError: `source` does not exist, cannot be read, or holds no article.
    """
    source, out = Path(source), Path(out_dir)
    docs, skipped = _read_documents(source)
    export = _collect(docs)
    skipped += export.skipped
    if not export.articles:
        raise ZendeskImportError(
            f"{source}: no Zendesk article found (expected JSON files from the Help Center API with "
            "'articles' or 'translations', or article objects with id, title and body)")
    warned: dict[tuple[str, str], None] = {}  # ordered, without repeats

    def warn(slug: str, message: str) -> None:
        warned.setdefault((slug, message))

    # 1. Choose what to write and give every article its slug, before converting anything: bodies link
    # to each other. Slugs are given in id order over all articles in our languages, drafts included, so
    # that publishing a draft later does not change the suffix of another article.
    plans: list[_Planned] = []
    unsupported: dict[str, list[str]] = {}
    taken: set[str] = set()
    for aid in sorted(export.articles, key=_id_key):
        article = export.articles[aid]
        by_lang: dict[str, list[_Variant]] = {}
        for locale in sorted(article.variants):
            variant = article.variants[locale]
            lang = _lang_of(locale)
            if lang is None:
                skipped.append((aid, f"unsupported locale: '{locale}' is not one of {', '.join(LANGS)}"))
                unsupported.setdefault(aid, []).append(locale)
            else:
                by_lang.setdefault(lang, []).append(variant)
        if not by_lang:
            continue
        base = ascii_slug(_slug_title(article, by_lang))
        if not _usable_slug(base):
            base = f"article-{aid}" if SLUG_RE.match(f"article-{aid}") else "article"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        chosen: dict[str, _Variant] = {}
        for lang in LANGS:
            candidates = sorted(by_lang.get(lang, ()), key=_preference(lang, article.source_locale))
            for variant in candidates:
                if variant.draft and not include_drafts:
                    skipped.append((aid, f"draft: '{variant.locale}' is a draft (import drafts to include it)"))
                elif not variant.title:
                    skipped.append((aid, f"no title: '{variant.locale}' has an empty title"))
                elif lang in chosen:
                    reason = f"duplicate language: '{variant.locale}' not imported, '{chosen[lang].locale}' is"
                    skipped.append((aid, reason))
                else:
                    chosen[lang] = variant
        if chosen:
            plans.append(_Planned(article, slug, chosen))

    slug_of = {p.article.id: p.slug for p in plans}
    hosts = frozenset(export.hosts)

    # 2. Convert and write.
    written: list[Path] = []
    counts = {lang: 0 for lang in LANGS}
    for plan in plans:
        article, slug = plan.article, plan.slug
        category, problem = _category(export, article)
        if problem:
            warn(slug, problem)
        tags, keywords = _tags_and_keywords(article.labels)
        for locale in unsupported.get(article.id, ()):
            warn(slug, f"'{locale}' translation not imported: the locale is not supported")
        seen_urls: set[str] = set()
        for lang, variant in plan.chosen.items():
            base = _base(variant.html_url) or _base(article.html_url) or (min(hosts) if len(hosts) == 1 else "")
            body, notes = html_to_markdown(
                variant.body, base_url=base, title=variant.title, help_center_hosts=hosts,
                article_link=lambda zid, lang=lang: f"/{lang}/articles/{slug_of[zid]}" if zid in slug_of else None)
            for message in notes:
                seen_urls.update(re.findall(r"https?://\S+", message))
                warn(slug, f"{lang}: {message}")
            if variant.outdated or variant.locale in article.outdated_locales:
                warn(slug, f"{lang}: Zendesk marks this translation outdated: check it against the source")
            if variant.draft:
                warn(slug, f"{lang}: imported from a draft")
            title = clean_text(variant.title).strip()
            path = out / lang / f"{slug}.md"
            fields = {"title": title, "category": category, "tags": tags, "keywords": keywords,
                      "updated": variant.updated}
            try:
                text, parsed = _checked_file(path, lang, slug, body=body, **fields) if body.strip() else ("", None)
                if parsed is None or not parsed.text.strip():  # our format needs a body with text
                    warn(slug, f"{lang}: the body has no text after conversion; the title stands in for it")
                    text, parsed = _checked_file(path, lang, slug, body=_escape_heading(title), **fields)
            except ContentError as err:
                skipped.append((article.id, f"invalid: {lang}: {err.rule}"))
                continue
            reason = _write(path, text, overwrite)
            if reason:
                skipped.append((str(path), reason))
                continue
            written.append(path)
            counts[lang] += 1
        for key in sorted(export.attachments.get(article.id, {})):
            att = export.attachments[article.id][key]
            url = str(att.get("content_url") or "")
            if url and url in seen_urls:
                continue  # already listed as an image or a link of the body
            kind = "inline image" if att.get("inline") else "attachment"
            size = f", {att['size']} bytes" if isinstance(att.get("size"), int) else ""
            warn(slug, f"{kind} to copy by hand: {att.get('file_name') or key} "
                       f"({att.get('content_type') or 'unknown type'}{size}) {url}".rstrip())

    report = ImportReport(articles=counts, written=tuple(written), skipped=tuple(skipped),
                          warnings=tuple(warned), out_dir=out)
    log.info("zendesk import from %s: %d written, %d skipped, %d warnings", source, len(written),
             len(skipped), len(warned))
    return report


__all__ = ["ImportReport", "ZendeskImportError", "ascii_slug", "html_to_markdown", "import_zendesk",
           "render_article", "summary_of"]
