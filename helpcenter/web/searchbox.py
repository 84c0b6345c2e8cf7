"""What the search box needs besides /api/suggest, given to templates: its words and the popular articles.

The box shows the popular articles (and the player's own recent searches, which never leave the
browser) when it is focused while empty. Popular means opened from suggestions or voted helpful most
often in the last 30 days; while few players have done either, the first articles of the topics
(in the home page's order) fill the list, so it is never empty.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from flask import Flask, url_for
from sqlalchemy import func, select

from helpcenter.insights.db import Database, events, now
from helpcenter.web import i18n
from helpcenter.web.services import RefreshedCounts, database, get_searcher

log = logging.getLogger(__name__)

POPULAR = 5  # articles the empty box offers
POPULAR_DAYS = 30
SIGNALS = ("suggestion_clicked", "article_helpful")  # what says an article answered someone
REFRESH = 600.0  # seconds a worker reuses its counts
RETRY = 60.0  # seconds before asking a database that failed again

def opened_counts(db: Database, days: int = POPULAR_DAYS) -> Counter:
    """How often each article was opened from suggestions or voted helpful in the last `days` days."""
    since = now() - dt.timedelta(days=days)
    rows = db.rows(select(events.c.slug, func.count().label("n"))
                   .where(events.c.ts >= since, events.c.type.in_(SIGNALS), events.c.slug != "")
                   .group_by(events.c.slug))
    return Counter({r["slug"]: int(r["n"]) for r in rows})


# without its database a page still renders: the topics' order alone
popular_counts = RefreshedCounts("popular articles' counts", opened_counts, REFRESH, RETRY)


def rank_popular(counts: Counter, editorial: list[str], n: int = POPULAR) -> list[str]:
    """The `n` most opened slugs (ties and the rest in `editorial` order), then `editorial` to fill.

    Only slugs in `editorial` (the articles the index has) are returned."""
    order = {slug: i for i, slug in enumerate(editorial)}
    opened = sorted((s for s in counts if s in order and counts[s] > 0), key=lambda s: (-counts[s], order[s]))
    return list(dict.fromkeys([*opened, *editorial]))[:n]


def editorial_order(slugs_in: dict[str, tuple[str, ...]]) -> list[str]:
    """Every article, the first of each topic first (topics in their shown order), then the second…"""
    columns = list(slugs_in.values())
    depth = max((len(c) for c in columns), default=0)
    return [c[i] for i in range(depth) for c in columns if i < len(c)]


def popular_articles(lang: str, n: int = POPULAR, urls: bool = True) -> list[dict[str, str]]:
    """The popular articles as readers of `lang` see them: `{"slug", "lang", "title", "url"}`; without
    `url` when not `urls` (the search box's data-popular: the script builds the links, and a page's HTML
    then links only what it shows)."""
    from helpcenter.web.site import catalog, shown_article  # the site's catalog; site imports this module

    try:
        editorial = editorial_order(catalog(get_searcher().index).slugs_in)
    except Exception:  # no index loaded: the page says so elsewhere; the box offers nothing
        return []
    out = []
    for slug in rank_popular(popular_counts.get(database()), editorial, n):
        article = shown_article(slug, lang)
        if article is not None:
            out.append({"slug": slug, "lang": article.lang, "title": article.title,
                        **({"url": url_for("site.article", lang=lang, slug=slug)} if urls else {})})
    return out


def init_app(app: Flask) -> None:
    """`suggest_strings(lang)` and `popular_articles(lang)` for the search form (templates/_macros.html)."""
    app.add_template_global(i18n.suggest_strings, "suggest_strings")
    app.add_template_global(popular_articles, "popular_articles")
