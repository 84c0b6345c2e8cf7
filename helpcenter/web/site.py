"""The players' help-center site: home, categories, articles, search results and the ticket form.

Every page renders from the loaded index (`get_searcher().index.articles`), never from content/.
"""
from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING

import markdown
import nh3
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from markdown.extensions.toc import TocExtension, slugify_unicode
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from helpcenter import languages
from helpcenter.content.articles import Article
from helpcenter.content.redact import redact
from helpcenter.insights.db import Database, events
from helpcenter.insights.tickets import access_key, add_ticket, key_ok
from helpcenter.insights.tickets import find as find_ticket
from helpcenter.insights.tickets import replies as ticket_replies
from helpcenter.languages import DEFAULT, LANGS
from helpcenter.search.plan import MAX_QUERY_CHARS
from helpcenter.search.reading import read_query
from helpcenter.search.searcher import Hit, SearchResponse
from helpcenter.search.snippets import is_letter
from helpcenter.web import i18n
from helpcenter.web.inputs import clean_id, session_id
from helpcenter.web.ratelimit import client, encoder_allowance, ticket_wait
from helpcenter.web.security import csrf_ok
from helpcenter.web.services import RefreshedCounts, database, deliverer, get_searcher, log_event, log_query

if TYPE_CHECKING:
    from helpcenter.index.versions import Index

log = logging.getLogger(__name__)

bp = Blueprint("site", __name__)

SEARCH_RESULTS = 10
RELATED = 5
# An answered search lists the hits scoring at least this share of the best one. Measured on
# eval/golden.jsonl over the built content: the largest share that keeps every expected article
# (0.60 loses one); the list shrinks from always 10 to about 4.5 on average (median 4): the rest was
# padding the vector run's scores for every article make.
RELEVANT_SHARE = 0.55
FEW_RESULTS = 3  # fewer relevant results than this, or none that answers: "Did you mean" is worth a look
FEEDBACK_REASONS = ("unclear", "not_my_question", "outdated", "other")  # "why not?" after a "no" vote
MAX_FEEDBACK = 500  # characters of the optional comment
VOTES = ("article_helpful", "article_not_helpful")
VOTES_REFRESH = 60.0  # seconds a worker reuses its vote counts
# The site's own responsible-gambling articles the footer links, when the content has them.
HELP_ARTICLES = (("gambling-help-resources", "rg_get_help"), ("self-exclusion", "rg_self_exclusion"),
                 ("set-gambling-limits", "rg_limits"))
MAX_SUBJECT, MAX_DESCRIPTION, MAX_EMAIL = 200, 4000, 254  # 4000 Hangul stay under the 64 KiB body limit
EMAIL_RE = re.compile(r"^[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"'.]{2,}$")

# What survives sanitizing an article body: headings keep their ids (deep links), links their href.
_TAGS = {"h2", "h3", "h4", "p", "a", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
         "strong", "em", "code", "pre", "br", "hr", "blockquote"}
_ATTRIBUTES = {"h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "a": {"href", "title"}, "th": {"colspan"},
               "td": {"colspan"}}


# --- the catalog: categories and articles of one index version ------------------------------------

@dataclass(frozen=True)
class Catalog:
    category_of: dict[str, str]  # slug -> category
    slugs_in: dict[str, tuple[str, ...]]  # category -> slugs, in the order categories are shown

    @property
    def categories(self) -> list[str]:
        return list(self.slugs_in)


@lru_cache(maxsize=2)  # the live index and, briefly after a rebuild, the previous one
def catalog(index: Index) -> Catalog:
    category_of: dict[str, str] = {}
    for article in sorted(index.articles.values(), key=lambda a: a.lang != DEFAULT.code):  # the default language decides
        category_of.setdefault(article.slug, article.category)
    slugs_in: dict[str, list[str]] = {}
    for slug, category in sorted(category_of.items()):
        slugs_in.setdefault(category, []).append(slug)
    order = sorted(slugs_in, key=i18n.category_sort_key)
    return Catalog(category_of, {c: tuple(slugs_in[c]) for c in order})


def shown_article(slug: str, lang: str) -> Article | None:
    """The article a reader of `lang` sees for `slug`: their translation, else the fallback language."""
    searcher = get_searcher()
    if slug not in searcher.langs_by_slug:
        return None
    return searcher.index.articles[f"{searcher.display_lang(slug, lang)}/{slug}"]


def articles_in(category: str, lang: str) -> list[Article]:
    """The articles of a category as `lang` readers see them: their language's first, each part by title."""
    found = (shown_article(slug, lang) for slug in catalog(get_searcher().index).slugs_in.get(category, ()))
    return sorted((a for a in found if a), key=lambda a: (a.lang != lang, a.title.casefold()))


# --- rendering helpers ------------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def render_body(body: str, lang: str) -> Markup:
    """An article body as safe HTML; `##` ids equal `Section.anchor` (both use `slugify_unicode`)."""
    md = markdown.Markdown(extensions=[
        TocExtension(slugify=slugify_unicode, permalink="#", permalink_title=str(i18n.t(lang, "permalink"))),
        "tables"])
    html = nh3.clean(md.convert(body), tags=_TAGS, attributes=_ATTRIBUTES, allowed_classes={"a": {"headerlink"}},
                     url_schemes={"http", "https", "mailto", "tel"})
    return Markup(html)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) without the quotes, commas and other punctuation at its edges, when letters remain."""
    s, e = start, end
    while s < e and not is_letter(text[s]):
        s += 1
    while e > s and not is_letter(text[e - 1]):
        e -= 1
    return (s, e) if s < e else (start, end)


def highlight(snippet: str, spans) -> Markup:
    """`snippet` escaped, with the matched words (character spans) wrapped in <mark>; punctuation at a
    span's edges stays outside the mark ("Pending", marks Pending)."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(snippet))
        if start >= end:
            continue
        start, end = _trimmed(snippet, start, end)
        out.append(escape(snippet[pos:start]))
        out.append(Markup("<mark>%s</mark>") % snippet[start:end])
        pos = end
    out.append(escape(snippet[pos:]))
    return Markup("").join(out)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        abort(404)


def _switcher(endpoint: str, langs=LANGS, **values) -> list[tuple[str, str]]:
    """(language, url) for each language the current page exists in."""
    return [(other, url_for(endpoint, lang=other, **values)) for other in LANGS if other in langs]


def help_links(lang: str) -> list[tuple[str, str]]:
    """(label, url) of the site's own responsible-gambling articles the footer links to: those of
    `HELP_ARTICLES` the index has, else the topic's page when the topic exists, else none."""
    searcher = get_searcher()
    links = [(str(i18n.t(lang, key)), url_for("site.article", lang=lang, slug=slug))
             for slug, key in HELP_ARTICLES if slug in searcher.langs_by_slug]
    if not links and "responsible-gambling" in catalog(searcher.index).slugs_in:
        links = [(i18n.category_name(lang, "responsible-gambling"),
                  url_for("site.category", lang=lang, category="responsible-gambling"))]
    return links


def page(template: str, lang: str, status: int = 200, **context):
    """Render a site page with the reader's language helpers bound."""
    context.setdefault("switcher", _switcher("site.home"))
    try:
        context.setdefault("help_links", help_links(lang))
    except Exception:  # no index loaded: the footer still says 18+, without links
        context.setdefault("help_links", [])
    body = render_template(
        template, lang=lang, dir=i18n.text_dir(lang), t=partial(i18n.t, lang), count=partial(i18n.count, lang),
        num=partial(i18n.number, lang), localdate=partial(i18n.date, lang),
        category_name=partial(i18n.category_name, lang),
        text_dir=i18n.text_dir, lang_names=i18n.LANG_NAMES, **context)
    return body, status


# --- pages ------------------------------------------------------------------------------------------

@bp.get("/")
def root():
    lang = request.accept_languages.best_match(LANGS, default=DEFAULT.code)
    resp = redirect(url_for("site.home", lang=lang), 302)
    resp.headers["Vary"] = "Accept-Language"
    return resp


@bp.get("/<lang>/")
def home(lang: str):
    _check_lang(lang)
    cat = catalog(get_searcher().index)
    topics = [(c, articles_in(c, lang)) for c in cat.categories]
    return page("home.html", lang, topics=topics)


@bp.get("/<lang>/categories/<category>")
def category(lang: str, category: str):
    _check_lang(lang)
    if category not in catalog(get_searcher().index).slugs_in:
        abort(404)
    return page("category.html", lang, category=category, articles=articles_in(category, lang),
                switcher=_switcher("site.category", category=category))


@bp.get("/<lang>/articles/<slug>")
def article(lang: str, slug: str):
    _check_lang(lang)
    shown = shown_article(slug, lang)
    if shown is None:
        abort(404)
    context = {"article": shown, "fallback": shown.lang != lang, "body": render_body(shown.body, shown.lang)}
    if request.args.get("partial"):  # the ticket form's in-page reading panel
        return page("article_partial.html", lang, **context)
    related = [a for a in articles_in(shown.category, lang) if a.slug != slug][:RELATED]
    # the reader's own language stays in the switcher (this page, on their site) even when the article
    # shows in English there: a Korean reader must not find only "English" to click
    translations = get_searcher().langs_by_slug[slug] | {lang}
    yes, total = votes_for(slug, shown.lang)
    return page("article.html", lang, related=related, sections=[s for s in shown.sections if s.anchor],
                switcher=_switcher("site.article", translations, slug=slug), votes_yes=yes, votes_total=total,
                feedback_sent=request.args.get("feedback") == "sent", reasons=FEEDBACK_REASONS,
                max_feedback=MAX_FEEDBACK, **context)


@bp.post("/<lang>/articles/<slug>/feedback")
def article_feedback(lang: str, slug: str):
    """Why an article did not help (the form shown after a "no" vote): one of `FEEDBACK_REASONS` and an
    optional comment, kept as an `article_feedback` event with personal data redacted.

    Like the votes (`POST /api/events`) this is anonymous: no account acts, so there is nothing for a
    forged request to act for, and no CSRF token (which would give every article reader a session)."""
    _check_lang(lang)
    shown = shown_article(slug, lang)
    if shown is None:
        abort(404)
    reason = request.form.get("reason", "")
    comment = " ".join(request.form.get("comment", "").split())[:MAX_FEEDBACK]
    if reason not in FEEDBACK_REASONS:
        if not comment:
            abort(400, description="choose a reason")
        reason = "other"
    if current_app.extensions["kb_vote_limiter"].hit(client()):  # the votes' budget: one address, 30 an hour
        log.info("feedback on %s dropped: too many from one address", slug)
    else:
        log_event("article_feedback", session_id(), lang, slug, "",
                  {"reason": reason, "comment": redact(comment), "article_lang": shown.lang, "source": "article"})
    return redirect(url_for("site.article", lang=lang, slug=slug, feedback="sent", _anchor="kb-helpful"), 303)


@bp.get("/<lang>/search")
def search(lang: str):
    _check_lang(lang)
    q = request.args.get("q", "")
    switcher = [(other, url_for("site.search", lang=other, q=q or None)) for other in LANGS]
    if not q.strip():
        return page("search.html", lang, q=q, resp=None, switcher=switcher)
    if len(q) > MAX_QUERY_CHARS:
        return page("search.html", lang, 400, q=q[:MAX_QUERY_CHARS], resp=None, switcher=switcher,
                    error=i18n.t(lang, "query_error", n=i18n.number(lang, MAX_QUERY_CHARS)))
    searcher = get_searcher()
    resp = searcher.search(q, lang, SEARCH_RESULTS, allow_encoder=encoder_allowance())
    log_query(resp, "search", session_id())
    category_of = catalog(searcher.index).category_of
    hits = relevant(resp) if resp.asks else []  # "hi", "test": asked what they need, no related articles
    results = [(hit, highlight(hit.snippet, hit.highlights), url_for("site.article", lang=lang, slug=hit.slug),
                _hit_url(hit, lang), category_of.get(hit.slug, "")) for hit in hits]
    suggestion = did_you_mean(q, lang) if resp.asks and (not resp.answered or len(hits) < FEW_RESULTS) else None
    return page("search.html", lang, q=q, resp=resp, results=results, switcher=switcher, suggestion=suggestion)


def relevant(resp: SearchResponse, share: float = RELEVANT_SHARE) -> list[Hit]:
    """The hits worth listing. The vector run scores every article, so the ranking always fills its
    limit; an answered query lists those scoring at least `share` of the best (`RELEVANT_SHARE`). An
    unanswered one keeps its few related articles (at most `searcher.UNANSWERED_RELATED`), which the
    page labels "might be related"."""
    if not resp.answered or not resp.hits:
        return list(resp.hits)
    floor = share * resp.hits[0].score
    return [h for h in resp.hits if h.score >= floor]


def did_you_mean(q: str, lang: str) -> str | None:
    """A better spelling of `q` when the knowledge base answers it: the reading the suggester makes of a
    finished query (Latin typos corrected against the index's vocabulary, words typed in the wrong
    keyboard layout, Korean initial consonants spelled out), offered only when it answers."""
    searcher = get_searcher()
    reading = read_query(q.strip() + " ", lang, searcher.index.suggest)  # the trailing space: every word is finished
    text = " ".join(reading.text.split())
    if not reading.rewrites or not text or text.casefold() == " ".join(q.split()).casefold():
        return None
    if languages.script_of(text) not in (lang, DEFAULT.code):  # a reading in a script the reader does not read
        return None
    better = searcher.search(text, lang, FEW_RESULTS, allow_encoder=encoder_allowance())
    return text if better.answered else None


# --- "N of M found this helpful" --------------------------------------------------------------------

def count_votes(db: Database) -> Counter:
    """Votes by (slug, reader's language, vote), as long as the events are kept (`KB_RETENTION_DAYS`)."""
    rows = db.rows(select(events.c.slug, events.c.lang, events.c.type, func.count().label("n"))
                   .where(events.c.type.in_(VOTES)).group_by(events.c.slug, events.c.lang, events.c.type))
    return Counter({(r["slug"], r["lang"], r["type"]): int(r["n"]) for r in rows})


# each worker counts again every VOTES_REFRESH seconds; the article still shows when it cannot
vote_counts = RefreshedCounts("vote counts", count_votes, VOTES_REFRESH, VOTES_REFRESH)


def votes_for(slug: str, shown_lang: str) -> tuple[int, int]:
    """(helpful, all votes) on the text a reader sees: the votes of every reader shown the same
    translation (Korean and Persian readers of an English-only article vote on the English text)."""
    searcher = get_searcher()
    yes = total = 0
    for (voted, reader, kind), n in vote_counts.get(database()).items():
        if voted == slug and searcher.display_lang(slug, reader if reader in LANGS else DEFAULT.code) == shown_lang:
            total += n
            yes += n if kind == "article_helpful" else 0
    return yes, total


def _hit_url(hit: Hit, lang: str) -> str:
    # The reader stays in their language's pages; an English-only article shows there, labelled.
    return url_for("site.article", lang=lang, slug=hit.slug) + (f"#{hit.anchor}" if hit.anchor else "")


# --- the ticket form --------------------------------------------------------------------------------

def _validate_ticket(form, categories: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The cleaned fields and, per field, the i18n key of what is wrong with it."""
    values = {name: (form.get(name) or "").strip() for name in ("category", "subject", "description", "email")}
    errors: dict[str, str] = {}
    if values["category"] not in categories:
        errors["category"] = "err_category"
    for name, limit in (("subject", MAX_SUBJECT), ("description", MAX_DESCRIPTION)):
        if not values[name]:
            errors[name] = f"err_{name}"
        elif len(values[name]) > limit:
            errors[name] = f"err_{name}_long"
    if len(values["email"]) > MAX_EMAIL or not EMAIL_RE.match(values["email"]):
        errors["email"] = "err_email"
    return values, errors


CHANNELS = ("telegram", "kakao")  # messengers whose "Contact support" opens the ticket form (`from=`)


def _channel(value: str | None) -> str:
    return value if value in CHANNELS else ""


@bp.route("/<lang>/contact", methods=["GET", "POST"])
def contact(lang: str):
    _check_lang(lang)
    categories = catalog(get_searcher().index).categories
    context = {"categories": categories, "switcher": _switcher("site.contact"),
                   "limits": {"subject": MAX_SUBJECT, "description": MAX_DESCRIPTION, "email": MAX_EMAIL}}
    if request.method == "GET":
        values = {"subject": request.args.get("subject", "")[:MAX_SUBJECT],  # from "no answer" on search
                  "from": _channel(request.args.get("from"))}  # or from a messenger's "Contact support"
        return page("contact.html", lang, values=values, errors={}, **context)

    values, errors = _validate_ticket(request.form, categories)
    values["suggested"] = request.form.get("suggested", "")[:2000]
    values["from"] = _channel(request.form.get("from"))
    if not csrf_ok():  # an expired session: the player's text stays, with a fresh token to send it again
        return page("contact.html", lang, 400, values=values, errors={}, notice=i18n.t(lang, "err_expired"), **context)
    if errors:
        messages = {name: i18n.t(lang, key, n=i18n.number(lang, MAX_SUBJECT if name == "subject" else MAX_DESCRIPTION))
                    for name, key in errors.items()}
        return page("contact.html", lang, 422, values=values, errors=messages, **context)
    wait = ticket_wait()
    if wait:
        minutes = i18n.number(lang, max(1, math.ceil(wait / 60)))
        body, status = page("contact.html", lang, 429, values=values, errors={},
                            notice=i18n.t(lang, "err_too_many", n=minutes), **context)
        return body, status, {"Retry-After": str(math.ceil(wait))}

    sid = session_id()
    known = get_searcher().langs_by_slug
    suggested = list(dict.fromkeys(s for s in values["suggested"].split(",") if s in known))[:20]
    try:
        ticket = add_ticket(database(), lang=lang, category=values["category"], subject=values["subject"],
                            description=values["description"], email=values["email"], session=sid,
                            visit=clean_id(request.form.get("visit")), suggested=suggested,
                            destinations=current_app.extensions["kb_delivery"].destinations())
    except (SQLAlchemyError, OSError):
        # the database is down or full: nothing is stored, so nothing may be confirmed; the player
        # keeps every word and is told to send again
        log.exception("could not store a ticket")
        return page("contact.html", lang, 503, values=values, errors={}, notice=i18n.t(lang, "err_unavailable"),
                    **context)
    deliverer().wake()  # sent off the request path, now rather than at the next look
    log_event("ticket_submitted", sid, lang, "", values["subject"],
              {"number": ticket.number, "category": values["category"], "suggested": suggested,
               "visit": ticket.visit, "source": values["from"] or "contact_form"})
    # The ticket's topic reaches the gap report like a settled suggest query would.
    text = f"{values['subject']}\n{values['description']}"[:MAX_QUERY_CHARS]
    try:
        log_query(get_searcher().search(text, lang, 5, allow_encoder=encoder_allowance()), "suggest", sid)
    except Exception:  # the ticket is stored: a failed log line must not cost the player the confirmation
        log.exception("could not log ticket %s as a query", ticket.number)
    session["ticket"] = ticket.number
    return redirect(url_for("site.contact_sent", lang=lang), 303)


@bp.get("/<lang>/contact/sent")
def contact_sent(lang: str):
    _check_lang(lang)
    ticket = find_ticket(database(), session.get("ticket") or "")
    if ticket is None:
        return redirect(url_for("site.contact", lang=lang))
    number = Markup('<bdi dir="ltr">%s</bdi>') % ticket.shown_number  # stays in one piece in right-to-left text
    link = url_for("site.ticket_page", lang=lang, number=ticket.number, key=access_key(current_app.secret_key, ticket.uid))
    return page("contact_sent.html", lang, number=number, link=link, switcher=_switcher("site.contact_sent"))


@bp.get("/<lang>/tickets/<number>")
def ticket_page(lang: str, number: str):
    """The player's page of one ticket: its status and the help desk's replies. The key in the link (from
    the confirmation page and the player's e-mail) opens it; without it, nothing says the ticket exists."""
    _check_lang(lang)
    ticket = find_ticket(database(), number) if number.isdigit() and len(number) <= 16 else None
    if ticket is None or not key_ok(current_app.secret_key, ticket, request.args.get("key", "")):
        abort(404)
    number_html = Markup('<bdi dir="ltr">%s</bdi>') % ticket.shown_number
    resp = make_response(page("ticket.html", lang, ticket=ticket, number=number_html,
                              replies=ticket_replies(database(), ticket), switcher=[]))
    resp.headers["Cache-Control"] = "private, no-store"  # a page opened by a secret link
    resp.headers["Referrer-Policy"] = "no-referrer"  # its link carries the key: never send it elsewhere
    return resp


# --- error pages for the site's own URLs (the API answers JSON through helpcenter.web.errors) ------------------

@bp.errorhandler(400)
@bp.errorhandler(404)
@bp.errorhandler(405)
def site_error(exc: HTTPException):
    lang = (request.view_args or {}).get("lang")
    if lang not in LANGS:
        lang = request.accept_languages.best_match(LANGS, default=DEFAULT.code)
    return page("error.html", lang, exc.code or 500, code=exc.code,
                message=None if exc.code == 404 else exc.description)


def init_app(app: Flask) -> None:
    """Register the site, the search box's template globals, the embeddable widget (with CORS for /api/*)
    and the OpenAPI description."""
    from helpcenter.web import openapi, searchbox, widget

    app.register_blueprint(bp)
    searchbox.init_app(app)
    widget.init_app(app)
    app.register_blueprint(openapi.bp)
