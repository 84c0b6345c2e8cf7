"""Content lint: the shipped articles against the content format (README, "Content") and the inventory."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from helpcenter.content.articles import load_articles

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
INVENTORY = ROOT.parent / "shared" / "content-inventory.md"
GOLDEN = ROOT / "eval" / "golden.jsonl"

ARTICLES = load_articles(CONTENT).articles  # strict: any broken file fails the whole module
BY_KEY = {(a.lang, a.slug): a for a in ARTICLES}


def inventory() -> dict[str, tuple[str, tuple[str, ...]]]:
    """slug -> (category, languages) from the inventory table."""
    if not INVENTORY.exists():
        pytest.skip(f"{INVENTORY} not found (CI and sessions have shared/ beside the repo)")
    rows = {}
    for line in INVENTORY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", cells[0]) and cells[0] != "slug":
            langs = ("en",) if "en only" in cells[2] else ("en", "ko", "fa")
            rows[cells[0]] = (cells[1], langs)
    assert len(rows) == 50
    return rows


def test_every_inventory_article_exists_in_its_languages_and_no_more():
    inv = inventory()
    expected = {(lang, slug) for slug, (_, langs) in inv.items() for lang in langs}
    assert set(BY_KEY) == expected


def test_categories_match_the_inventory():
    inv = inventory()
    wrong = [(a.key, a.category) for a in ARTICLES if a.category != inv[a.slug][0]]
    assert not wrong


def test_summaries_keywords_and_sections():
    for a in ARTICLES:
        assert a.summary, a.path
        assert len(a.keywords) >= 5, a.path
        assert sum(1 for s in a.sections if s.heading) >= 2, a.path


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.key)
def test_body_word_count_in_range(article):
    n = len(article.body.split())
    assert 150 <= n <= 400, f"{article.path}: {n} words"


def test_internal_links_point_at_existing_articles():
    broken = []
    for a in ARTICLES:
        for lang, slug in re.findall(r"\]\(/([a-z]{2})/articles/([a-z0-9-]+)(?:#[^)]*)?\)", a.body):
            if (lang, slug) not in BY_KEY:
                broken.append((a.path, f"/{lang}/articles/{slug}"))
    assert not broken


def test_policy_figures_agree_across_translations():
    """Every dollar amount in a translation also appears in the English article (same policy)."""
    digits = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")

    def amounts(text: str) -> set[str]:
        text = text.translate(digits).replace("٬", "").replace(",", "").replace("٫", ".")
        number = r"(\d+(?:\.\d+)?)"
        return set(re.findall(r"\$\s?" + number, text)) | set(re.findall(number + r"\s?(?:달러|دلار)", text))

    mismatched = []
    for a in ARTICLES:
        if a.lang == "en":
            continue
        extra = amounts(a.body) - amounts(BY_KEY[("en", a.slug)].body)
        if extra:
            mismatched.append((a.path, sorted(extra)))
    assert not mismatched


def test_persian_text_is_clean_for_rtl():
    for a in ARTICLES:
        if a.lang != "fa":
            continue
        text = "\n".join([a.title, a.summary, a.body])
        assert not re.search("[يك]", text), f"{a.path}: Arabic yeh/kaf"
        prose = re.sub(r"\]\([^)]*\)", "]", a.body)  # link targets are ASCII by design
        persian, ascii_ = bool(re.search("[۰-۹]", prose)), bool(re.search("[0-9]", prose))
        assert not (persian and ascii_), f"{a.path}: mixes Persian and ASCII digits"
        assert not re.search("[٠-٩]", text), f"{a.path}: Arabic-Indic digits"
        # words that take the می‌ prefix are written with a half-space, not glued or spaced
        assert not re.search(r"(?<![\w\u200c])می (?:شود|توان|کنید|خواهید)", text), f"{a.path}: 'می ' with a space"


def test_every_article_has_golden_queries_in_each_language():
    inv = inventory()
    have = defaultdict(set)
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        for slug in g["expected"]:
            have[slug].add(g["lang"])
    missing = [(slug, lang) for slug in inv for lang in ("en", "ko", "fa") if lang not in have[slug]]
    assert not missing
