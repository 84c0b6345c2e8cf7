"""The KakaoTalk channel: `POST /channels/kakao`, a Kakao i Open Builder skill server answering players
from the knowledge base.

Kakao sends a SkillPayload (`{"intent", "userRequest": {"utterance", "user": {"id"}}, "bot", "action"}`)
and shows the SkillResponse we return (`{"version": "2.0", "template": {"outputs", "quickReplies"}}`),
within its 5-second limit: a reply is one bounded search (500 characters, at most 10 results) and no
call out of the process. Decisions:

- With `KB_KAKAO_SECRET` set, a request must carry it as the skill URL's `key` parameter
  (`/channels/kakao?key=…`) or the `X-KB-Kakao-Secret` header (compared in constant time), else 403
  JSON; without it every request is accepted (then the encoder budget is counted per address, since
  anyone could make up user ids).
- The reader's language is read from the utterance (`detect`): Kakao is mostly Korean, but English and
  Persian questions are answered in theirs.
- A question is answered with a `textCard` holding the direct answer (title: the article; buttons:
  "자세히 보기" to the article, "해결됐어요", "상담원 연결" to the ticket form), else a `listCard` of the
  best articles, else a `simpleText` "no answer" with the ticket form's address; quick replies
  "해결됐어요", "다른 도움말", "상담원 연결" (in the reader's language). An utterance that asks nothing
  (안녕하세요, 감사합니다, 테스트: `reading.asks_nothing`) is asked what the player needs in a `simpleText`,
  with "상담원 연결" alone; the previous question stays the one "상담원 연결" and "다른 도움말" are about.
- Quick replies and message buttons come back as utterances: their words in any of the three languages
  are recognised (`conversation.action_of`). "해결됐어요" thanks and logs `article_helpful` for the last
  answer's top article; "다른 도움말" lists the next articles for the user's previous question;
  "상담원 연결" gives the ticket form's link and, after an answered question, logs `article_not_helpful`
  for its top article (the player read it and still wants a person). The previous question is kept per
  user (by the hashed id) in a bounded in-memory map of each worker, for a day: on another worker "다른
  도움말" asks for the question again.
- Each utterance searched is a settled query (kind "kakao") and each button or quick reply an event with
  `{"source": "kakao"}`; the session is an HMAC of the Kakao user id, never the id.
- An empty or missing utterance is answered with a polite `simpleText`. Link buttons need an absolute
  address: without `KB_PUBLIC_URL` they are left out and paths are shown as text.

Limits kept (Kakao i Open Builder, "응답 타입별 JSON 포맷", https://kakaobusiness.gitbook.io/main/tool/
chatbot/skill_guide/answer_json_format): at most 3 outputs; simpleText text 1,000 characters; textCard
title 50 and description 400 (kept under 400 with the title too), at most 3 buttons; listCard header
title 15, at most 5 items (titles and descriptions kept to 50), at most 2 buttons; button and quick-reply
labels 14 characters; at most 10 quick replies.
"""
from __future__ import annotations

import hmac
import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from helpcenter.languages import LANGS
from helpcenter.languages.detect import detect
from helpcenter.search.searcher import Hit, SearchResponse
from helpcenter.web.channels import conversation as conv
from helpcenter.web.channels.conversation import t
from helpcenter.web.services import log_event, log_query

log = logging.getLogger(__name__)

bp = Blueprint("kakao", __name__)

SECRET_HEADER = "X-KB-Kakao-Secret"
OUTPUTS_MAX = 3
SIMPLE_TEXT_MAX = 1000
CARD_TITLE_MAX = 50
CARD_DESCRIPTION_MAX = 400
CARD_BUTTONS_MAX = 3
LIST_HEADER_MAX = 15
LIST_ITEMS_MAX = 5
LIST_ITEM_TEXT_MAX = 50
LIST_BUTTONS_MAX = 2
LABEL_MAX = 14  # buttons and quick replies
TEXT_LINK_BYTES = 300  # a ticket-form link written out in a simpleText (its subject cut to fit)
QUICK_REPLIES_MAX = 10
USERS, USER_TTL = 10_000, 24 * 3600.0  # previous questions remembered per worker, for a day
DEFAULT_LANG = "ko"  # a request with nothing to read a language from


def _state() -> conv.BoundedMap[str, conv.Turn]:
    return current_app.extensions.setdefault("kb_kakao", conv.BoundedMap(USERS, USER_TTL))


@bp.post("/channels/kakao")
def skill():
    """One SkillPayload in, one SkillResponse out."""
    secret = current_app.config.get("KB_KAKAO_SECRET") or ""
    if secret and not _authorized(secret):
        return jsonify(error=f"the skill URL's 'key' parameter or the {SECRET_HEADER} header is missing or "
                             "wrong"), 403
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error="the body must be a Kakao i Open Builder SkillPayload, a JSON object"), 400
    user_request = _obj(payload.get("userRequest"))
    utterance = user_request.get("utterance")
    utterance = utterance.strip() if isinstance(utterance, str) else ""
    session = conv.session_for("kakao", _user_id(user_request))
    budget = conv.budget_key("kakao", session if secret else "")
    if not conv.question(utterance):
        lang = user_request.get("lang") if user_request.get("lang") in LANGS else DEFAULT_LANG
        return _respond([_simple_text(t(lang, "empty"))])
    action = conv.action_of(utterance)
    if action is not None:
        return _on_button(action[0], action[1], session, budget)
    return _on_question(utterance, session, budget)


def _authorized(secret: str) -> bool:
    given = (request.args.get("key") or "", request.headers.get(SECRET_HEADER) or "")
    # both compared, always: the time taken does not say which one was tried
    matches = [hmac.compare_digest(g.encode(), secret.encode()) for g in given]
    return any(matches)


def _user_id(user_request: dict) -> str | None:
    """The Kakao user's id (`user.id`, the bot-scoped key), or a key from its properties."""
    user = _obj(user_request.get("user"))
    props = _obj(user.get("properties"))
    for value in (user.get("id"), props.get("botUserKey"), props.get("plusfriendUserKey"), props.get("appUserId")):
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            return str(value)
    return None


def _on_question(utterance: str, session: str, budget: str):
    lang = detect(conv.question(utterance), conv.english_words())
    resp = conv.search(utterance, lang, budget)
    log_query(resp, "kakao", session)
    if not resp.asks:  # a greeting, thanks, a test: asked what they need; the last question's turn stays
        return _respond([_simple_text(t(lang, "ask"))], _quick_replies(lang, solved=False, more=False))
    turn = conv.turn_from(resp, session)
    if session:
        _state().put(session, turn)
    if resp.answer is not None:
        outputs = [_answer_card(resp, lang)]
    elif resp.answered and resp.hits:
        outputs = [_list_card(t(lang, "list_header"), resp.hits, lang, _contact_buttons(lang, turn.query))]
    else:
        outputs = [_simple_text(_no_answer_text(resp, lang))]
    return _respond(outputs, _quick_replies(lang, solved=bool(turn.slugs), more=resp.answered))


def _on_button(action: str, label_lang: str, session: str, budget: str):
    turn = _state().get(session) if session else None
    lang = turn.lang if turn is not None else label_lang
    query = turn.query if turn is not None else ""
    if action == "solved":
        slug = turn.top if turn is not None else ""
        log_event("article_helpful", session, lang, slug, query, {"source": "kakao", **({"rank": 1} if slug else {})})
        return _respond([_simple_text(t(lang, "thanks"))])
    if action == "more":
        if turn is None:
            return _respond([_simple_text(t(lang, "ask_first"))])
        hits = conv.more_articles(turn, budget)
        log_event("suggestion_shown", session, lang, "", query, {"source": "kakao", "slugs": [h.slug for h in hits]})
        if not hits:
            text = t(lang, "no_more") + "\n" + t(lang, "contact_line", url=_text_link(lang, query))
            return _respond([_simple_text(text)], _quick_replies(lang, solved=False, more=False))
        header = t(lang, "more_header").rstrip(":")
        return _respond([_list_card(header, hits, lang, _contact_buttons(lang, query))],
                        _quick_replies(lang, solved=True, more=conv.may_have_more(turn, hits)))
    # contact
    log_event("contact_requested", session, lang, "", query, {"source": "kakao"})
    if turn is not None and turn.answered and turn.top:
        log_event("article_not_helpful", session, lang, turn.top, query, {"source": "kakao"})
    url = conv.absolute(conv.contact_path(lang, query, channel="kakao"))
    if url is None:
        return _respond([_simple_text(t(lang, "contact_line", url=_text_link(lang, query)))])
    card = {"title": _fit(t(lang, "contact"), CARD_TITLE_MAX), "description": t(lang, "contact_card"),
            "buttons": [_web_button(t(lang, "contact_short"), url)]}
    return _respond([{"textCard": card}])


# --- the shapes -------------------------------------------------------------------------------------

def _fit(text: str, limit: int) -> str:
    return conv.clip(" ".join(text.split()) if "\n" not in text else text.strip(), limit)


def _simple_text(text: str) -> dict:
    return {"simpleText": {"text": _fit(text, SIMPLE_TEXT_MAX)}}


def _web_button(label: str, url: str) -> dict:
    return {"label": _fit(label, LABEL_MAX), "action": "webLink", "webLinkUrl": url}


def _message_button(label: str) -> dict:
    label = _fit(label, LABEL_MAX)
    return {"label": label, "action": "message", "messageText": label}


def _contact_buttons(lang: str, query: str) -> list[dict]:
    url = conv.absolute(conv.contact_path(lang, query, channel="kakao"))
    return [_web_button(t(lang, "contact_short"), url) if url else _message_button(t(lang, "contact_short"))]


def _answer_card(resp: SearchResponse, lang: str) -> dict:
    a = resp.answer
    assert a is not None
    title = _fit(a.title, CARD_TITLE_MAX)
    description = _fit(a.text, CARD_DESCRIPTION_MAX - len(title))
    buttons = []
    article = conv.absolute(conv.article_path(lang, a.slug, a.anchor))
    if article:
        buttons.append(_web_button(t(lang, "read_more"), article))
    buttons.append(_message_button(t(lang, "solved")))
    buttons += _contact_buttons(lang, resp.query)
    return {"textCard": {"title": title, "description": description, "buttons": buttons[:CARD_BUTTONS_MAX]}}


def _list_card(header: str, hits: list[Hit] | tuple[Hit, ...], lang: str, buttons: list[dict]) -> dict:
    items = []
    for hit in hits[:LIST_ITEMS_MAX]:
        item: dict[str, Any] = {"title": _fit(hit.title, LIST_ITEM_TEXT_MAX)}
        if hit.snippet:
            item["description"] = _fit(hit.snippet, LIST_ITEM_TEXT_MAX)
        url = conv.absolute(conv.article_path(lang, hit.slug, hit.anchor))
        if url:
            item["link"] = {"web": url}
        items.append(item)
    card = {"header": {"title": _fit(header, LIST_HEADER_MAX)}, "items": items}
    if buttons:
        card["buttons"] = buttons[:LIST_BUTTONS_MAX]
    return {"listCard": card}


def _no_answer_text(resp: SearchResponse, lang: str) -> str:
    lines = [t(lang, "no_answer")]
    if resp.hits:
        lines += ["", t(lang, "related")]
        lines += [f"\u2022 {conv.clip(h.title, 100)}\n  {conv.shown(conv.article_path(lang, h.slug, h.anchor))}"
                  for h in resp.hits]
    # the contact link goes first when trimming would lose it: it is what this reply is for
    contact = t(lang, "contact_line", url=_text_link(lang, resp.query))
    body = conv.clip("\n".join(lines), SIMPLE_TEXT_MAX - len(contact) - 2)
    return f"{body}\n\n{contact}"


def _text_link(lang: str, query: str) -> str:
    """The ticket form's address as text in a bubble: short enough to leave room for the words."""
    return conv.shown(conv.contact_path(lang, query, max_bytes=TEXT_LINK_BYTES, channel="kakao"))


def _quick_replies(lang: str, solved: bool, more: bool) -> list[dict]:
    keys = (["solved"] if solved else []) + (["more"] if more else []) + ["contact_short"]
    return [{"label": _fit(t(lang, k), LABEL_MAX), "action": "message", "messageText": _fit(t(lang, k), LABEL_MAX)}
            for k in keys][:QUICK_REPLIES_MAX]


def _respond(outputs: list[dict], quick_replies: list[dict] | None = None):
    template: dict[str, Any] = {"outputs": outputs[:OUTPUTS_MAX]}
    if quick_replies:
        template["quickReplies"] = quick_replies[:QUICK_REPLIES_MAX]
    return jsonify({"version": "2.0", "template": template})


def _obj(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
