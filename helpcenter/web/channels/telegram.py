"""The Telegram channel: `POST /channels/telegram`, a Bot API webhook that answers players from the
knowledge base, and `set_webhook`, which registers it with the Bot API (`kb telegram set-webhook`).

Every answer is the webhook response itself, a Bot API method call as JSON (`{"method": "sendMessage",
…}`, https://core.telegram.org/bots/api#making-requests-when-getting-updates): the web process never
calls Telegram. Decisions:

- Authentication: a request whose `X-Telegram-Bot-Api-Secret-Token` header is not `KB_TELEGRAM_SECRET`
  (compared in constant time) is refused with 403 JSON. With `KB_TELEGRAM_SECRET` empty the channel is
  off and every request is refused the same way (403, saying so): the route exists, so an operator sees
  why Telegram's deliveries fail rather than a bare 404.
- A text message is searched (its first 500 characters) in the reader's language (`conversation.
  reader_lang`: the text's script first, then the client's `language_code`) and answered with the direct
  answer, else the best articles, else a polite "no answer"; with buttons "Solved", "Other articles"
  (callbacks) and "Contact support" (a URL button: `KB_TELEGRAM_SUPPORT_URL`, else the ticket form).
  Telegram needs absolute URLs for links and buttons: without `KB_PUBLIC_URL` paths are shown as text and
  the ticket-form button is left out.
- `/start` and `/help` (also `/cmd@botname` and any other command) get a short how-to in the reader's
  language. A message that asks nothing (a greeting, thanks, "test": `reading.asks_nothing`) is asked
  what the player needs, with no articles and no buttons (it is logged as a query all the same).
- Edited messages are answered like new ones (the player corrected their question), unless the text is
  the same as the one already answered for that message. Channel posts and other update kinds: `{}`.
- Groups and supergroups: only messages addressed to the bot are answered: a `@…bot` mention (the bot's
  own name is unknown without a call to Telegram, so any bot mention counts), a `/command@…`, or a reply
  to a message from a bot. Messages from bots are never answered (two bots must not talk forever).
- Stickers, photos, voice, video, documents, locations…: a polite "I read text only". Service messages
  (members joining, pins): `{}`.
- Replays: an `update_id` already handled by this process is answered `{}` (Telegram delivers an update
  again when our answer was late). The ids are kept in a bounded in-memory map per worker: with several
  workers, a replay that lands on another worker is answered twice.
- "Other articles" re-runs the question, kept server-side for a day under a random 8-character token that
  the button's callback data carries (`more:<lang>:<token>`; Telegram allows 1-64 bytes). The turn lives
  in this worker's memory: on another worker, or after a restart, the button answers "send your question
  again". "Solved" carries the article itself (`ok:<lang>:<token>:<slug>`), so it is counted wherever it
  lands. Because one webhook response is one method, "Other articles" answers with the list as a new
  message (`sendMessage`) and cannot also stop the button's progress indicator (Telegram clears it on its
  own after a few seconds); "Solved" answers with `answerCallbackQuery`.
- Logging: each searched message is a settled query (kind "telegram") and each button an event with
  `{"source": "telegram"}`; the session is an HMAC of the chat id (`conversation.session_for`), never the
  id or a username. A "Contact support" URL button never reaches the bot, so it is not logged.

Limits kept (https://core.telegram.org/bots/api): message text 1-4096 characters after entity parsing,
counted here on the HTML source in UTF-16 code units (longer than what Telegram counts, so always safe),
trimmed at a line or sentence boundary with "…"; callback data 1-64 bytes; answerCallbackQuery text at
most 200 characters; setWebhook's secret_token 1-256 characters of A-Z, a-z, 0-9, _ and -.
"""
from __future__ import annotations

import hashlib
import hmac
import html
import json
import logging
import re
import urllib.error
import urllib.request
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from helpcenter.content.errors import KBError
from helpcenter.languages import LANGS
from helpcenter.search.searcher import Hit, SearchResponse
from helpcenter.web.channels import conversation as conv
from helpcenter.web.channels.conversation import t
from helpcenter.web.services import get_searcher, log_event, log_query

log = logging.getLogger(__name__)

bp = Blueprint("telegram", __name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_TEXT = 4096  # sendMessage: text, 1-4096 characters (UTF-16 code units)
MAX_CALLBACK_DATA = 64  # InlineKeyboardButton.callback_data: 1-64 bytes
MAX_CALLBACK_ANSWER = 200  # answerCallbackQuery: text, 0-200 characters
SEEN_UPDATES = 10_000  # update ids remembered per worker (replays come within minutes)
TURNS, TURN_TTL = 5_000, 24 * 3600.0  # questions "Other articles" can go on from, per worker, for a day
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
GROUPS = ("group", "supergroup")
# Message fields of content the bot cannot read (https://core.telegram.org/bots/api#message)
MEDIA = ("sticker", "photo", "voice", "video", "video_note", "audio", "document", "animation", "location",
         "venue", "contact", "poll", "dice", "game", "story", "paid_media", "invoice")
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+(.*))?", re.DOTALL)
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_SENTENCE = re.compile(r"(?<=[.!?\u061f\u3002])(?=\s)")


class TelegramError(KBError):
    """The Bot API refused a call or could not be reached (the message says which and why)."""


class _State:
    """What this worker remembers of the conversation (bounded, see the module docstring)."""

    def __init__(self) -> None:
        self.seen: conv.BoundedMap[int, bool] = conv.BoundedMap(SEEN_UPDATES, 24 * 3600.0)
        self.turns: conv.BoundedMap[str, conv.Turn] = conv.BoundedMap(TURNS, TURN_TTL)
        self.asked: conv.BoundedMap[tuple[int, int], str] = conv.BoundedMap(TURNS, TURN_TTL)  # message -> text digest
        self.votes: conv.BoundedMap[tuple[str, str], bool] = conv.BoundedMap(TURNS, TURN_TTL)


def _state() -> _State:
    return current_app.extensions.setdefault("kb_telegram", _State())


# --- the webhook ------------------------------------------------------------------------------------

@bp.post("/channels/telegram")
def webhook():
    """One Telegram Update in, one Bot API method call (or `{}`) out."""
    secret = current_app.config.get("KB_TELEGRAM_SECRET") or ""
    if not secret:
        return _refuse("the Telegram channel is off: KB_TELEGRAM_SECRET is not set")
    sent = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(sent.encode(), secret.encode()):
        return _refuse(f"the {SECRET_HEADER} header is missing or wrong")
    update = request.get_json(silent=True)
    if not isinstance(update, dict):
        return jsonify(error="the body must be a Telegram Update, a JSON object"), 400
    state = _state()
    update_id = update.get("update_id")
    if _is_int(update_id) and not state.seen.add_if_new(update_id, True):
        return jsonify({})  # a replay: answered already
    try:
        reply = _handle(update, state)
    except Exception:
        if _is_int(update_id):
            state.seen.discard(update_id)  # Telegram retries a failed delivery: let the retry be answered
        raise
    return jsonify(reply)


def _refuse(message: str):
    return jsonify(error=message), 403


def _handle(update: dict, state: _State) -> dict:
    if isinstance(update.get("message"), dict):
        return _on_message(update["message"], state, edited=False)
    if isinstance(update.get("edited_message"), dict):
        return _on_message(update["edited_message"], state, edited=True)
    if isinstance(update.get("callback_query"), dict):
        return _on_callback(update["callback_query"], state)
    return {}  # channel posts, inline queries, membership changes: nothing to say


def _on_message(msg: dict, state: _State, edited: bool) -> dict:
    chat = _obj(msg.get("chat"))
    chat_id, kind = chat.get("id"), chat.get("type")
    if not _is_int(chat_id) or kind not in ("private", *GROUPS):
        return {}
    sender = _obj(msg.get("from"))
    if sender.get("is_bot"):
        return {}
    text = msg.get("text") if isinstance(msg.get("text"), str) else None
    if kind in GROUPS and not _addressed(msg):
        return {}
    code = sender.get("language_code") if isinstance(sender.get("language_code"), str) else None
    if text is None:
        if edited or not any(field in msg for field in MEDIA):
            return {}  # an edited caption, or a service message (someone joined, a pin)
        caption = msg.get("caption") if isinstance(msg.get("caption"), str) else ""
        return _send(msg, [[_esc(t(conv.reader_lang(caption, code, conv.english_words()), "text_only"))]])
    if kind in GROUPS:
        text = _without_bot_mentions(text, msg.get("entities"))
    command = _COMMAND.fullmatch(text.strip())
    if command:
        lang = conv.reader_lang(command[3] or "", code, conv.english_words())
        return _send(msg, [[_esc(t(lang, "welcome" if command[1].lower() == "start" else "help"))]])
    query = conv.question(text)
    if not query:
        return _send(msg, [[_esc(t(conv.reader_lang("", code), "empty"))]])
    message_key = (chat_id, msg.get("message_id") if _is_int(msg.get("message_id")) else 0)
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    if edited and state.asked.get(message_key) == digest:
        return {}  # an edit that changed nothing we read (a fixed link preview, formatting)
    state.asked.put(message_key, digest)

    session = conv.session_for("telegram", chat_id)
    lang = conv.reader_lang(query, code, conv.english_words())
    resp = conv.search(query, lang, conv.budget_key("telegram", session))
    log_query(resp, "telegram", session)
    if not resp.asks:  # a greeting, thanks, a test: asked what they need, no articles for "hi"
        return _send(msg, [[_esc(t(lang, "ask"))]])
    turn = conv.turn_from(resp, session)
    token = conv.new_token()
    state.turns.put(token, turn)
    return _send(msg, _answer_lines(resp, lang), _keyboard(lang, turn, token, resp.answered))


def _on_callback(cq: dict, state: _State) -> dict:
    cq_id = cq.get("id")
    if not isinstance(cq_id, str):
        return {}
    data = cq.get("data") if isinstance(cq.get("data"), str) else ""
    sender = _obj(cq.get("from"))
    message = _obj(cq.get("message"))
    chat_id = _obj(message.get("chat")).get("id")
    chat_id = chat_id if _is_int(chat_id) else None
    session = conv.session_for("telegram", chat_id if chat_id is not None else sender.get("id"))
    code = sender.get("language_code") if isinstance(sender.get("language_code"), str) else None
    kind, _, rest = data.partition(":")
    if kind == "ok":
        lang, token, slug = (rest.split(":", 2) + ["", ""])[:3]
        lang = lang if lang in LANGS else conv.reader_lang("", code)
        turn = state.turns.get(token)
        slug = slug or (turn.top if turn else "")
        if slug not in get_searcher().langs_by_slug:
            slug = ""  # callback data comes from a client: only real articles are credited
        if state.votes.add_if_new((session, slug or token), True):  # a second tap thanks, counts once
            data_ = {"source": "telegram"}
            if turn and slug in turn.slugs:
                data_["rank"] = turn.slugs.index(slug) + 1
            log_event("article_helpful", session, lang, slug, turn.query if turn else "", data_)
        return _answer_callback(cq_id, t(lang, "thanks"))
    if kind == "more":
        lang, _, token = rest.partition(":")
        lang = lang if lang in LANGS else conv.reader_lang("", code)
        turn = state.turns.get(token)
        if turn is None or chat_id is None:
            return _answer_callback(cq_id, t(lang, "expired"))
        hits = conv.more_articles(turn, conv.budget_key("telegram", session))
        log_event("suggestion_shown", session, lang, "", turn.query,
                  {"source": "telegram", "slugs": [h.slug for h in hits]})
        if not hits:
            return _send(message, [[_esc(t(lang, "no_more"))]], _keyboard(lang, turn, token, False, solved=False))
        lines = [[_esc(t(lang, "more_header"))]]
        lines += [[f"{i}. ", _article_link(h, lang)] for i, h in enumerate(hits, len(turn.slugs) - len(hits) + 1)]
        return _send(message, lines, _keyboard(lang, turn, token, conv.may_have_more(turn, hits), top=hits[0].slug),
                     reply=False)
    return _answer_callback(cq_id, "")  # a button we no longer know: stop its progress indicator


# --- addressing in groups ---------------------------------------------------------------------------

def _utf16(text: str) -> int:
    """Telegram's length of a text (entity offsets and limits count UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _entity_text(text: str, entity: dict) -> str:
    offset, length = entity.get("offset"), entity.get("length")
    if not (_is_int(offset) and _is_int(length)) or offset < 0 or length < 0:
        return ""
    return text.encode("utf-16-le")[2 * offset:2 * (offset + length)].decode("utf-16-le", errors="ignore")


def _bot_mention(text: str, entity: dict) -> bool:
    """A `@username` mention of a bot (every bot's username ends in "bot")."""
    return entity.get("type") == "mention" and _entity_text(text, entity).lower().endswith("bot")


def _addressed(msg: dict) -> bool:
    """Whether a group message is meant for the bot: a bot mention, a `/command@bot`, or a reply to a bot."""
    text = msg.get("text") if isinstance(msg.get("text"), str) else msg.get("caption")
    entities = msg.get("entities") if "text" in msg else msg.get("caption_entities")
    if isinstance(text, str) and isinstance(entities, list):
        for e in (e for e in entities[:100] if isinstance(e, dict)):
            if _bot_mention(text, e) or (e.get("type") == "bot_command" and "@" in _entity_text(text, e)):
                return True
    return bool(_obj(_obj(msg.get("reply_to_message")).get("from")).get("is_bot"))


def _without_bot_mentions(text: str, entities: Any) -> str:
    """`text` without the bot mentions in it ("@helpbot how long…" asks "how long…")."""
    if not isinstance(entities, list):
        return text
    data = text.encode("utf-16-le")
    spans = sorted(((e["offset"], e["length"]) for e in entities[:100]
                    if isinstance(e, dict) and _bot_mention(text, e)), reverse=True)
    for offset, length in spans:
        data = data[:2 * offset] + b" \x00" + data[2 * (offset + length):]
    return data.decode("utf-16-le", errors="ignore")


# --- what a reply says ------------------------------------------------------------------------------
#
# A reply is built as lines of HTML fragments, each fragment whole (its tags closed): `_fit` drops whole
# fragments from the end, so a trimmed message is still valid HTML. Plain text becomes one fragment per
# sentence, escaped.

Lines = list[list[str]]


def _esc(text: str) -> str:
    """Text for Telegram's HTML: &, < and > escaped (the only ones it requires outside attributes)."""
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _plain(text: str) -> Lines:
    lines = []
    for line in text.split("\n"):
        line = conv.clip(line, 1000)  # a line without sentence ends cannot be longer than this
        lines.append([_esc(part) for part in _SENTENCE.split(line) if part])
    return lines


def _link(title: str, path: str) -> str:
    url = conv.absolute(path)
    title = conv.clip(title, 200)
    if url:
        return f'<a href="{_attr(url)}">{_esc(title)}</a>'
    return f"{_esc(title)}: {_esc(path)}"  # no public address: the path as text (Telegram needs absolute URLs)


def _article_link(hit: Hit, lang: str) -> str:
    return _link(hit.title, conv.article_path(lang, hit.slug, hit.anchor))


def _answer_lines(resp: SearchResponse, lang: str) -> Lines:
    if resp.answer is not None:
        a = resp.answer
        heading = a.title if not a.section or a.section == a.title else f"{a.title} \u2014 {a.section}"
        return [[f"<b>{_esc(conv.clip(heading, 300))}</b>"], *_plain(a.text), [],
                [_esc(t(lang, "full_article")) + " ", _link(a.title, conv.article_path(lang, a.slug, a.anchor))]]
    if resp.answered and resp.hits:
        lines: Lines = [[_esc(t(lang, "best"))]]
        for i, hit in enumerate(resp.hits, 1):
            lines.append([f"{i}. ", _article_link(hit, lang)])
            if hit.snippet:
                lines.append([_esc(conv.clip(" ".join(hit.snippet.split()), 200))])
        return lines
    # the question is repeated, so the player sees what was read (escaped: it is their text)
    lines = [[_esc(t(lang, "no_answer_to", q=conv.clip(resp.query, 100))), " ", _esc(t(lang, "team_helps"))]]
    if resp.hits:
        lines += [[], [_esc(t(lang, "related"))]] + [["\u2022 ", _article_link(h, lang)] for h in resp.hits]
    if _contact_url(lang, resp.query) is None:  # no button to send them to: say where the form is
        lines += [[], [_esc(t(lang, "contact_line", url=conv.shown(conv.contact_path(lang, resp.query, channel="telegram"))))]]
    return lines


def _fit(lines: Lines, limit: int = MAX_TEXT) -> str:
    """The message text: `lines` joined, trimmed from the end at a fragment (line or sentence) boundary
    with "…" when longer than `limit` UTF-16 code units."""
    lines = [list(line) for line in lines]

    def render() -> str:
        return "\n".join("".join(line) for line in lines).strip()

    text = render()
    if _utf16(text) <= limit:
        return text
    while lines and _utf16(render()) + 2 > limit:  # room for " …"
        if lines[-1]:
            lines[-1].pop()
        if not lines[-1]:
            lines.pop()
    return (render() + " \u2026").strip()


def _contact_url(lang: str, subject: str) -> str | None:
    """Where "Contact support" leads: KB_TELEGRAM_SUPPORT_URL, else the ticket form with the question as
    its subject; None when neither is an absolute URL."""
    return current_app.config.get("KB_TELEGRAM_SUPPORT_URL") or conv.absolute(conv.contact_path(lang, subject, channel="telegram"))


def _callback_data(data: str) -> str:
    if not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
        raise ValueError(f"callback data of {len(data.encode())} bytes")  # our own format: a bug if ever
    return data


def _keyboard(lang: str, turn: conv.Turn, token: str, more: bool, solved: bool = True,
              top: str = "") -> list[list[dict]]:
    """The inline keyboard: "Solved" and "Other articles" (callbacks), "Contact support" (a URL)."""
    rows: list[list[dict]] = []
    first = []
    slug = top or turn.top
    if solved and slug:
        data = f"ok:{lang}:{token}:{slug}"
        if len(data.encode()) > MAX_CALLBACK_DATA:
            data = f"ok:{lang}:{token}:"  # a long slug: found again through the turn
        first.append({"text": t(lang, "solved"), "callback_data": _callback_data(data)})
    if more and turn.slugs:
        first.append({"text": t(lang, "more"), "callback_data": _callback_data(f"more:{lang}:{token}")})
    if first:
        rows.append(first)
    contact = _contact_url(lang, turn.query)
    if contact:
        rows.append([{"text": t(lang, "contact"), "url": contact}])
    return rows


def _send(msg: dict, lines: Lines, keyboard: list[list[dict]] | None = None, reply: bool = True) -> dict:
    """sendMessage to the chat of `msg` (in its forum topic; in a group, as a reply to it)."""
    chat = _obj(msg.get("chat"))
    payload: dict[str, Any] = {"method": "sendMessage", "chat_id": chat.get("id"), "text": _fit(lines),
                               "parse_mode": "HTML", "link_preview_options": {"is_disabled": True}}
    if msg.get("is_topic_message") and _is_int(msg.get("message_thread_id")):
        payload["message_thread_id"] = msg["message_thread_id"]
    if reply and chat.get("type") in GROUPS and _is_int(msg.get("message_id")):
        payload["reply_parameters"] = {"message_id": msg["message_id"], "allow_sending_without_reply": True}
    if keyboard:
        payload["reply_markup"] = {"inline_keyboard": keyboard}
    return payload


def _answer_callback(cq_id: str, text: str) -> dict:
    payload = {"method": "answerCallbackQuery", "callback_query_id": cq_id}
    if text:
        payload["text"] = conv.clip(text, MAX_CALLBACK_ANSWER)
    return payload


def _obj(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- registering the webhook ------------------------------------------------------------------------

def set_webhook(token: str, url: str, secret: str, api_url: str = "https://api.telegram.org",
                timeout: float = 10.0) -> dict:
    """Point the bot's updates at `url` (the public address of POST /channels/telegram) with the secret
    Telegram will send in X-Telegram-Bot-Api-Secret-Token (`KB_TELEGRAM_SECRET`).

    Returns:
        The Bot API's JSON answer: `{"ok": true, "result": true, "description": "Webhook was set"}`.

    Raises:
        TelegramError: an argument Telegram would refuse, the Bot API unreachable, an HTTP error, or
            `ok: false`, with the API's description. The token never appears in a message.
    """
    if not token or "/" in token:
        raise TelegramError("the bot token is empty or malformed; set KB_TELEGRAM_TOKEN to the token from @BotFather")
    if not url.startswith("https://"):
        raise TelegramError(f"the webhook URL must be an https:// address (Telegram requires TLS), not {url[:200]!r}")
    if not _SECRET_TOKEN.fullmatch(secret):
        raise TelegramError("KB_TELEGRAM_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - "
                            "(what setWebhook accepts as secret_token)")
    base = api_url.rstrip("/")
    body = json.dumps({"url": url, "secret_token": secret, "allowed_updates": ALLOWED_UPDATES,
                       "drop_pending_updates": False}).encode()
    call = urllib.request.Request(f"{base}/bot{token}/setWebhook", data=body, method="POST",
                                  headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(call, timeout=timeout) as r:
            status, raw = r.status, r.read(1_000_000)
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read(1_000_000)
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TelegramError(f"cannot reach the Bot API at {base}: {reason}") from None
    try:
        answer = json.loads(raw or b"null")
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise TelegramError(f"the Bot API at {base} answered HTTP {status} with no JSON object")
    if status >= 400 or answer.get("ok") is not True:
        description = str(answer.get("description") or "no description")[:500]
        code = answer.get("error_code", status)
        raise TelegramError(f"setWebhook was refused: {description} (error {code})")
    log.info("Telegram webhook set to %s", url)
    return answer
