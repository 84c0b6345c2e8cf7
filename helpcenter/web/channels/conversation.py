"""What the messenger channels share: the reader's language, one search, links to the site, the
players' words in three languages, anonymous session ids and the small per-process memory a
conversation needs ("Other articles" re-runs the question the player asked before).

Nothing here calls out of the process: a channel answers in the body of the platform's own request.
State is a few bounded maps in each worker's memory (`BoundedMap`): with several workers, a button
pressed on a message another worker wrote finds nothing here and is answered politely ("ask again");
an answer never depends on it beyond that.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import quote

from flask import current_app

from helpcenter.content.redact import mask_for_ticket
from helpcenter.languages import DEFAULT, LANGS
from helpcenter.languages.detect import detect
from helpcenter.search.plan import MAX_QUERY_CHARS
from helpcenter.search.searcher import Hit, SearchResponse
from helpcenter.web.ratelimit import client
from helpcenter.web.services import get_searcher
from helpcenter.web.shapes import article_url

log = logging.getLogger(__name__)

ANSWER_LIMIT = 3  # articles in a first reply (a chat bubble, not a results page)
MORE_LIMIT = 3  # articles added by each "Other articles"
MAX_SHOWN = 10  # "Other articles" stops here: the API's own search limit
SUBJECT_CHARS = 200  # the ticket form's subject field (site.MAX_SUBJECT)
MAX_URL_BYTES = 1024  # a link we send, at most: a prefilled subject is cut to fit (messengers cap URL sizes)

K = TypeVar("K")
V = TypeVar("V")


# --- the players' words -----------------------------------------------------------------------------

# Plain text; each channel escapes it for its own format. Labels stay short (Kakao: 14 characters).
STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "solved": "Solved",
        "more": "Other articles",
        "contact": "Contact support",
        "contact_short": "Contact us",
        "read_more": "Read more",
        "thanks": "Glad it helped! Ask me anything else any time.",
        "best": "These articles should help:",
        "full_article": "Full article:",
        "no_answer": "Sorry, I couldn't find an answer to that. Our support team will be glad to help.",
        "no_answer_to": "Sorry, I couldn't find an answer to \u201c{q}\u201d.",
        "team_helps": "Our support team will be glad to help.",
        "related": "These might be related:",
        "contact_line": "Contact support: {url}",
        "contact_card": "Tell us what is going on and our team will get back to you.",
        "more_header": "More articles:",
        "no_more": "I have no other articles on this. Our support team can help.",
        "expired": "This conversation has expired. Please send your question again.",
        "ask_first": "Ask me a question first, and I'll look for articles.",
        "text_only": "I can only read text messages. Please type your question in words.",
        "empty": "Please type your question in a few words, and I'll look for an answer.",
        "ask": "How can I help? Type your question in a few words, for example \u201cmy deposit has not "
               "arrived\u201d, and I'll find the answer.",
        "welcome": "Hi! I'm the help center bot. Type your question in a few words, for example "
                   "\u201chow long does a withdrawal take\u201d, and I'll find the answer.",
        "help": "Type your question in your own words, like \u201cforgot my password\u201d. I reply with the "
                "answer and links to the help articles. Tap \u201cSolved\u201d if it helped, \u201cOther "
                "articles\u201d for more, or \u201cContact support\u201d to reach our team.",
        "list_header": "Help articles",
    },
    "ko": {
        "solved": "해결됐어요",
        "more": "다른 도움말",
        "contact": "상담원 연결",
        "contact_short": "상담원 연결",
        "read_more": "자세히 보기",
        "thanks": "도움이 되어 다행이에요! 궁금한 점이 있으면 언제든 물어보세요.",
        "best": "이 도움말을 확인해 보세요:",
        "full_article": "전체 도움말:",
        "no_answer": "죄송해요, 알맞은 답을 찾지 못했어요. 상담원이 도와드릴게요.",
        "no_answer_to": "죄송해요, \u201c{q}\u201d에 대한 답을 찾지 못했어요.",
        "team_helps": "상담원이 도와드릴게요.",
        "related": "관련 있을 수 있는 도움말:",
        "contact_line": "상담원 연결: {url}",
        "contact_card": "어떤 문제가 있는지 남겨 주시면 상담원이 답변드릴게요.",
        "more_header": "다른 도움말:",
        "no_more": "더 보여드릴 도움말이 없어요. 상담원이 도와드릴게요.",
        "expired": "대화가 만료됐어요. 질문을 다시 보내 주세요.",
        "ask_first": "먼저 궁금한 점을 물어봐 주세요. 맞는 도움말을 찾아드릴게요.",
        "text_only": "저는 글자로 된 메시지만 읽을 수 있어요. 궁금한 점을 글로 적어 주세요.",
        "empty": "궁금한 점을 짧게 적어 주시면 답을 찾아드릴게요.",
        "ask": "무엇을 도와드릴까요? \u201c입금했는데 안 들어왔어요\u201d처럼 궁금한 점을 짧게 적어 주시면 "
               "답을 찾아드릴게요.",
        "welcome": "안녕하세요! 고객센터 봇이에요. \u201c환전 언제 돼요\u201d처럼 궁금한 점을 짧게 적어 주시면 "
                   "답을 찾아드릴게요.",
        "help": "\u201c비밀번호를 잊어버렸어요\u201d처럼 편하게 질문해 주세요. 답변과 도움말 링크를 보내드려요. "
                "해결되면 \u201c해결됐어요\u201d, 더 보려면 \u201c다른 도움말\u201d, 상담이 필요하면 "
                "\u201c상담원 연결\u201d을 눌러 주세요.",
        "list_header": "도움말",
    },
    "fa": {
        "solved": "حل شد",
        "more": "مقاله‌های دیگر",
        "contact": "تماس با پشتیبانی",
        "contact_short": "پشتیبانی",
        "read_more": "مطالعه کامل",
        "thanks": "خوشحالیم که مشکل حل شد! هر سؤال دیگری داشتید بپرسید.",
        "best": "این مقاله‌ها می‌توانند کمک کنند:",
        "full_article": "مقاله کامل:",
        "no_answer": "متأسفیم، پاسخی برای این سؤال پیدا نکردیم. تیم پشتیبانی با کمال میل کمک می‌کند.",
        "no_answer_to": "متأسفیم، برای \u00ab{q}\u00bb پاسخی پیدا نکردیم.",
        "team_helps": "تیم پشتیبانی با کمال میل کمک می‌کند.",
        "related": "شاید این‌ها مرتبط باشند:",
        "contact_line": "تماس با پشتیبانی: {url}",
        "contact_card": "مشکل را برای ما بنویسید تا تیم پشتیبانی پاسخ دهد.",
        "more_header": "مقاله‌های بیشتر:",
        "no_more": "مقاله دیگری در این باره نداریم. تیم پشتیبانی کمک می‌کند.",
        "expired": "این گفتگو منقضی شده است. لطفاً سؤالتان را دوباره بفرستید.",
        "ask_first": "اول سؤالتان را بپرسید تا مقاله‌های مرتبط را پیدا کنم.",
        "text_only": "من فقط پیام‌های متنی را می‌خوانم. لطفاً سؤالتان را بنویسید.",
        "empty": "سؤالتان را در چند کلمه بنویسید تا پاسخ را پیدا کنم.",
        "ask": "چطور می‌توانم کمکتان کنم؟ سؤالتان را در چند کلمه بنویسید، مثلاً \u00abواریزم نیومده\u00bb، تا "
               "پاسخ را پیدا کنم.",
        "welcome": "سلام! من ربات مرکز راهنما هستم. سؤالتان را در چند کلمه بنویسید، مثلاً "
                   "\u00abبرداشت چقدر طول می‌کشه\u00bb، تا پاسخ را پیدا کنم.",
        "help": "سؤالتان را به زبان خودتان بنویسید، مثلاً \u00abرمز عبورم را فراموش کردم\u00bb. پاسخ و لینک "
                "مقاله‌های راهنما را می‌فرستم. اگر مشکل حل شد \u00abحل شد\u00bb، برای مقاله‌های بیشتر "
                "\u00abمقاله‌های دیگر\u00bb و برای گفتگو با تیم ما \u00abتماس با پشتیبانی\u00bb را بزنید.",
        "list_header": "راهنما",
    },
}


def t(lang: str, key: str, **values: str) -> str:
    """The player's words for `key` in `lang` (English for a language without them)."""
    text = STRINGS.get(lang, STRINGS[DEFAULT.code]).get(key) or STRINGS[DEFAULT.code][key]
    return text.format(**values) if values else text


def _button_key(text: str) -> str:
    return " ".join(text.split()).casefold()


# What a player sends by tapping a Kakao quick reply or message button (or typing it): the action and
# the language of its words. Every language's label is known, whatever language the last answer was in.
ACTIONS: dict[str, tuple[str, str]] = {
    _button_key(STRINGS[lang][key]): (action, lang)
    for lang in STRINGS
    for key, action in (("solved", "solved"), ("more", "more"), ("contact", "contact"), ("contact_short", "contact"))
}


def action_of(text: str) -> tuple[str, str] | None:
    """(action, lang) when `text` is one of the buttons' words ("해결됐어요", "Other articles"), else None."""
    return ACTIONS.get(_button_key(text)) if len(text) <= 40 else None


# --- who is asking ----------------------------------------------------------------------------------

def session_for(channel: str, ident: object) -> str:
    """An anonymous, stable id of a chat or messenger user: HMAC-SHA256 of the platform's id under the
    app's secret key, 32 hex digits. Not reversible without the key, and never the raw id or a name."""
    if ident is None or ident == "":
        return ""
    mac = hmac.new(str(current_app.secret_key).encode(), f"{channel}:{ident}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def reader_lang(text: str, language_code: str | None = None, english: Container[str] = ()) -> str:
    """The language to answer in: the text's script decides (Hangul is Korean, Persian letters and
    Finglish are Persian, whatever the client says); plain Latin text (which every language's players
    type: "OTP", "bonus code") is read in the client's language when it is one of ours, else English.
    `english`: the dictionary words that count as English (`english_words`)."""
    lang = detect(text, english)
    code = (language_code or "").split("-")[0].strip().lower()
    if lang == DEFAULT.code and code in LANGS:
        return code
    return lang


def english_words() -> Container[str]:
    """The English dictionary words of the live index's vocabulary (`SuggestVocab.english`): what tells
    "self exclude" from Finglish in a message (`detect`)."""
    return get_searcher().index.suggest.english


# --- searching --------------------------------------------------------------------------------------

def encoder_allowance_for(key: str) -> Callable[[str], bool] | None:
    """What `Searcher.run` asks before the encoder reads a text, with `KB_ENCODER_BUDGET` counted per
    `key` (a chat, a messenger user) rather than per address: every Telegram or Kakao message comes from
    the platform's few servers, and one budget per server address would let one busy player slow
    everyone's answers to keyword ranking. None when the budget is off."""
    budget = current_app.extensions.get("kb_encoder_budget")
    if budget is None:
        return None

    def allow(text: str) -> bool:
        encoder = get_searcher().index.encoder
        return encoder.is_cached(text) or budget.hit(key, cost=encoder.count_tokens(text)) == 0

    return allow


def question(text: str) -> str:
    """The part of a message that is searched: its first `MAX_QUERY_CHARS` characters, trimmed (a
    4,000-character message costs what a 500-character one does)."""
    return " ".join(text[:MAX_QUERY_CHARS].split())


def search(text: str, lang: str, budget_key: str, limit: int = ANSWER_LIMIT) -> SearchResponse:
    """Search the knowledge base for a message (`question(text)` must not be empty)."""
    return get_searcher().search(question(text), lang, limit, allow_encoder=encoder_allowance_for(budget_key))


# --- links ------------------------------------------------------------------------------------------

def public_base() -> str:
    return (current_app.config.get("KB_PUBLIC_URL") or "").rstrip("/")


def article_path(lang: str, slug: str, anchor: str = "") -> str:
    """The site's path of an article for a reader of `lang` (the site shows a translation-less article
    there, labelled), percent-encoded (Persian and Korean anchors)."""
    return quote(article_url(lang, slug, anchor), safe="/#-._~")


def contact_path(lang: str, subject: str = "", max_bytes: int = MAX_URL_BYTES, channel: str = "") -> str:
    """The ticket form's path, its subject prefilled with the player's question (at most 200
    characters, card and identity numbers masked as the ticket itself would keep them, and cut until
    the whole address, public base included, fits in `max_bytes`); `channel` ("telegram", "kakao") is
    kept as `from=`, so a ticket sent from there counts for the channel (the dashboard's deflection)."""
    path = f"/{lang}/contact" + (f"?from={channel}" if channel else "")
    glue = "&" if channel else "?"
    subject = mask_for_ticket(question(subject))[:SUBJECT_CHARS]
    room = max_bytes - len(public_base()) - len(path) - len(f"{glue}subject=")
    encoded = quote(subject, safe="")
    while subject and len(encoded) > room:
        subject = subject[:-1].rstrip()
        encoded = quote(subject, safe="")
    return f"{path}{glue}subject={encoded}" if subject else path


def absolute(path: str) -> str | None:
    """`path` on the public site (`KB_PUBLIC_URL`), or None when it is not set: buttons need absolute
    addresses, so without it a channel shows paths as text and leaves link buttons out."""
    base = public_base()
    return f"{base}{path}" if base else None


def shown(path: str) -> str:
    """A link as text: absolute when the public address is known, else the site's path."""
    return absolute(path) or path


# --- trimming ---------------------------------------------------------------------------------------

# Where a text may be cut, best first: (pattern, cut after the match rather than before it).
_BOUNDARIES = ((re.compile(r"\n"), False), (re.compile(r"[.!?\u061f\u3002\u2026](?=\s)"), True),
               (re.compile(r"\s"), False))


def clip(text: str, limit: int, measure: Callable[[str], int] = len, ellipsis: str = "\u2026") -> str:
    """`text` when `measure(text) <= limit`; else its longest start that fits with `ellipsis` added,
    cut at the last line break, else sentence end, else space in its second half (a hard cut only when
    there is none)."""
    if measure(text) <= limit:
        return text
    room = limit - measure(ellipsis)
    if room <= 0:
        return ""
    lo, hi = 0, len(text)  # the longest prefix whose measure fits `room` (measure grows with length)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[:mid]) <= room:
            lo = mid
        else:
            hi = mid - 1
    head = text[:lo]
    for pattern, after in _BOUNDARIES:
        cuts = [m.end() if after else m.start() for m in pattern.finditer(head)]
        cuts = [c for c in cuts if c >= lo // 2]  # never throw away more than half for a nicer cut
        if cuts:
            head = head[:cuts[-1]]
            break
    return head.rstrip() + ellipsis


# --- per-process memory -----------------------------------------------------------------------------

class BoundedMap(Generic[K, V]):
    """A thread-safe map keeping the `size` most recently written entries, each for `ttl` seconds."""

    def __init__(self, size: int, ttl: float) -> None:
        self.size, self.ttl = size, ttl
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + self.ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, key: K) -> V | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._items[key]
                return None
            return entry[1]

    def add_if_new(self, key: K, value: V) -> bool:
        """Store `value` under `key` unless a live entry is there; True when it was stored."""
        with self._lock:
            entry = self._items.get(key)
            if entry is not None and entry[0] >= time.monotonic():
                return False
            self._items[key] = (time.monotonic() + self.ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return True

    def discard(self, key: K) -> None:
        with self._lock:
            self._items.pop(key, None)

    def __contains__(self, key: K) -> bool:
        return self.get(key) is not None

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class Turn:
    """One question a player asked: what "Solved", "Other articles" and "Contact support" refer to."""

    lang: str
    query: str  # the searched text (`question`), kept only in memory, for its time-to-live
    session: str
    slugs: list[str] = field(default_factory=list)  # the articles shown so far, in order
    answered: bool = False  # whether the search judged that its top article answers

    @property
    def top(self) -> str:
        return self.slugs[0] if self.slugs else ""


def new_token() -> str:
    """A short random id of a turn (8 URL-safe characters, no ":"), for callback data."""
    return secrets.token_urlsafe(6)


def turn_from(resp: SearchResponse, session: str) -> Turn:
    slugs = [resp.answer.slug] if resp.answer is not None else []
    slugs += [h.slug for h in resp.hits if h.slug not in slugs]
    return Turn(resp.lang, resp.query, session, slugs, resp.answered)


def more_articles(turn: Turn, budget_key: str) -> list[Hit]:
    """The next `MORE_LIMIT` articles for a turn's question, after those it showed (its list grows),
    at most `MAX_SHOWN` in all; the question is searched again (no log row: it is the same question)."""
    if not turn.query or len(turn.slugs) >= MAX_SHOWN:
        return []
    limit = min(MAX_SHOWN, len(turn.slugs) + MORE_LIMIT)
    resp = get_searcher().search(turn.query, turn.lang, limit, allow_encoder=encoder_allowance_for(budget_key))
    new = [h for h in resp.hits if h.slug not in turn.slugs][:MORE_LIMIT]
    turn.slugs.extend(h.slug for h in new)
    return new


def may_have_more(turn: Turn, added: list[Hit]) -> bool:
    """Whether "Other articles" may find more after adding `added` (a short page was the last one)."""
    return len(added) == MORE_LIMIT and len(turn.slugs) < MAX_SHOWN


def budget_key(channel: str, session: str) -> str:
    """Whose encoder budget a message spends: the chat's or user's when known, else the address's."""
    return f"{channel}:{session}" if session else client()
