"""Messenger channels: the Telegram webhook and the Kakao i Open Builder skill, driven with the platforms'
own payload shapes (Bot API Update objects, Kakao SkillPayloads), and `set_webhook` against a stand-in
of the Bot API on loopback. Nothing here reaches Telegram or Kakao; everything is deterministic."""
from __future__ import annotations

import html
import json
import re
import socket
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from helpcenter.insights.db import metadata
from helpcenter.languages.detect import detect
from helpcenter.search.answers import Answer
from helpcenter.search.searcher import Hit, Searcher, SearchResponse
from helpcenter.web import create_app
from helpcenter.web.channels import conversation, telegram
from helpcenter.web.channels.telegram import TelegramError, set_webhook
from helpcenter.web.services import close_app

SECRET = "tg-secret_for-tests"
KAKAO_KEY = "kakao-key-for-tests"
PUBLIC = "https://help.example.com"
BOT = "casino_help_bot"
SECRET_HEADER = telegram.SECRET_HEADER
TG_HEADERS = {SECRET_HEADER: SECRET}

QUESTIONS = {  # what the tiny test index answers, in each language
    "en": [("forgot my password", "reset-password"), ("how long does a withdrawal take", "withdrawal-times")],
    "ko": [("비밀번호를 잊어버렸어요", "reset-password"), ("환전 언제 돼요", "withdrawal-times")],
    "fa": [("رمز عبورم را فراموش کردم", "reset-password"), ("برداشت چقدر طول میکشه", "withdrawal-times")],
}
LABELS = {"en": ("Solved", "Other articles", "Contact support"), "ko": ("해결됐어요", "다른 도움말", "상담원 연결"),
          "fa": ("حل شد", "مقاله‌های دیگر", "تماس با پشتیبانی")}


def make_app(built_index, database_url, **extra):
    return create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": database_url, "KB_RATE_LIMIT": "off",
                       "TESTING": True, "KB_TELEGRAM_SECRET": SECRET, "KB_KAKAO_SECRET": KAKAO_KEY,
                       "KB_PUBLIC_URL": PUBLIC, **extra})


@pytest.fixture
def app(built_index, tmp_path):
    app = make_app(built_index, f"sqlite:///{tmp_path / 'kb.sqlite3'}")
    yield app
    close_app(app)


@pytest.fixture
def logged_app(built_index, database_url):
    """An app on each real database (SQLite and PostgreSQL): for the tests that read the log rows."""
    app = make_app(built_index, database_url)
    yield app
    close_app(app)


def rows(app, table: str) -> list[dict]:
    app.extensions["kb_writer"].flush()
    return app.extensions["kb_db"].rows(select(metadata.tables[table]).order_by(metadata.tables[table].c.id))


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- Telegram: Update objects as the Bot API sends them (https://core.telegram.org/bots/api#update) ----

_ids = count(100_000)
PLAYER = {"id": 7_345_001_122, "is_bot": False, "first_name": "Minjun", "username": "minjun_k"}
PRIVATE = {"id": 7_345_001_122, "first_name": "Minjun", "username": "minjun_k", "type": "private"}
GROUP = {"id": -1_001_987_654_321, "title": "VIP lounge", "type": "supergroup"}
BOT_USER = {"id": 6_000_000_001, "is_bot": True, "first_name": "Help", "username": BOT}


def tg_message(text: str | None = None, lang: str | None = "en", chat: dict = PRIVATE, edited: bool = False,
               **fields) -> dict:
    """An Update with a message (or edited_message) from the player."""
    sender = {**PLAYER, **({"language_code": lang} if lang else {})}
    message = {"message_id": next(_ids) % 10_000, "from": sender, "chat": chat, "date": 1_735_000_000, **fields}
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"offset": 0, "length": utf16(command), "type": "bot_command"}]
    if edited:
        message["edit_date"] = 1_735_000_100
    return {"update_id": next(_ids), "edited_message" if edited else "message": message}


def tg_callback(data: str, lang: str | None = "en", chat: dict = PRIVATE) -> dict:
    """An Update with a callback query: the player pressed a button of a message the bot sent."""
    sender = {**PLAYER, **({"language_code": lang} if lang else {})}
    sent = {"message_id": 4242, "from": BOT_USER, "chat": chat, "date": 1_735_000_010, "text": "…"}
    return {"update_id": next(_ids), "callback_query": {"id": f"{next(_ids)}4382bfdwdsb323b2d9", "from": sender,
                                                        "message": sent, "chat_instance": "-8475739201",
                                                        "data": data}}


def post_tg(client, update: dict, headers: dict | None = None):
    return client.post("/channels/telegram", json=update, headers=TG_HEADERS if headers is None else headers)


def buttons(reply: dict) -> list[dict]:
    return [b for row in reply.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def button(reply: dict, label: str) -> dict:
    (found,) = [b for b in buttons(reply) if b["text"] == label]
    return found


class TagBalance(HTMLParser):
    """Counts the tags of a Telegram HTML text: every one opened is closed, and only Telegram's."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        self.tags.add(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing"


def assert_valid_html(text: str) -> None:
    parser = TagBalance()
    parser.feed(text)
    parser.close()
    assert parser.open == [] and parser.tags <= {"a", "b"}
    # every & starts an entity Telegram knows (&amp; &lt; &gt; &quot; or a numeric one)
    assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#\d+;|#x[0-9a-fA-F]+;)", text)


def assert_telegram_limits(reply: dict) -> None:
    assert 1 <= utf16(reply["text"]) <= 4096
    for b in buttons(reply):
        assert b["text"] and len(b["text"]) <= 64
        if "callback_data" in b:
            assert 1 <= len(b["callback_data"].encode()) <= 64
        else:
            assert b["url"].startswith("https://")


def fake_search(monkeypatch, make):
    """Every search answers `make(query, lang)`: the paths that depend on the model's confidence,
    made deterministic."""
    monkeypatch.setattr(Searcher, "search", lambda self, query, lang="en", limit=10, mode="hybrid", fusion=None,
                        allow_encoder=None: make(query, lang))


def hit(slug: str, title: str, lang: str = "en", anchor: str = "", snippet: str = "A snippet.") -> Hit:
    return Hit(slug=slug, lang=lang, title=title, score=1.0, anchor=anchor, section="", snippet=snippet)


@pytest.mark.parametrize("lang", ["en", "ko", "fa"])
def test_a_private_question_is_answered_with_the_right_article_in_telegrams_shape(app, lang):
    client = app.test_client()
    searcher = app.extensions["kb_searcher"].get()
    for text, slug in QUESTIONS[lang]:
        r = post_tg(client, tg_message(text, lang=lang))
        assert r.status_code == 200
        reply = r.get_json()
        assert reply["method"] == "sendMessage" and reply["chat_id"] == PRIVATE["id"]
        assert reply["parse_mode"] == "HTML" and reply["link_preview_options"] == {"is_disabled": True}
        assert f'href="{PUBLIC}/{lang}/articles/{slug}' in reply["text"]
        expected = searcher.search(text, lang, 3)
        assert expected.hits[0].slug == slug or (expected.answer and expected.answer.slug == slug)
        if expected.answer is not None:  # the direct answer itself, else the links to the best articles
            assert all(html.escape(line, quote=False) in reply["text"] for line in expected.answer.text.split("\n"))
        else:
            assert all(f"/{lang}/articles/{h.slug}" in reply["text"] for h in expected.hits)
        solved, more, contact = LABELS[lang]
        assert [b["text"] for b in buttons(reply)] == [solved, more, contact]
        assert button(reply, solved)["callback_data"] == f"ok:{lang}:" + button(reply, more)["callback_data"].split(":")[2] + f":{slug}"
        assert button(reply, contact)["url"].startswith(f"{PUBLIC}/{lang}/contact?from=telegram&subject=")
        assert_telegram_limits(reply)
        assert_valid_html(reply["text"])


def test_the_direct_answer_path_shows_the_answer_escaped_and_links_its_section(app, monkeypatch):
    answer = Answer("withdrawal-times", "en", "Withdrawals <USDT> & cards", "Review", "review",
                    "1. We review it within 24 hours.\n2. Then it is sent to <your> wallet & card.")
    fake_search(monkeypatch, lambda q, lang: SearchResponse(q, lang, True, (hit("withdrawal-times", answer.title),),
                                                            0.97, answer=answer))
    reply = post_tg(app.test_client(), tg_message("how long does a withdrawal take")).get_json()
    text = reply["text"]
    assert text.startswith("<b>Withdrawals &lt;USDT&gt; &amp; cards \u2014 Review</b>\n")
    assert "1. We review it within 24 hours.\n2. Then it is sent to &lt;your&gt; wallet &amp; card." in text
    assert f'<a href="{PUBLIC}/en/articles/withdrawal-times#review">' in text
    assert_valid_html(text)
    assert button(reply, "Solved")["callback_data"].endswith(":withdrawal-times")


def test_the_players_html_stays_literal(app, monkeypatch):
    fake_search(monkeypatch, lambda q, lang: SearchResponse(q, lang, False, ()))
    reply = post_tg(app.test_client(), tg_message('<b>bold</b> & <a href="x">link</a>')).get_json()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href=\"x\"&gt;link&lt;/a&gt;" in reply["text"]
    assert "<b>bold" not in reply["text"]
    assert_valid_html(reply["text"])
    # nothing to credit: only the way to a person
    assert [b["text"] for b in buttons(reply)] == ["Contact support"]


def test_the_text_decides_the_language_and_language_code_reads_plain_latin(app):
    client = app.test_client()
    korean_text_english_client = post_tg(client, tg_message("환전 언제 돼요", lang="en")).get_json()
    assert "/ko/articles/withdrawal-times" in korean_text_english_client["text"]
    assert button(korean_text_english_client, "해결됐어요")
    persian_text_no_code = post_tg(client, tg_message("برداشت چقدر طول میکشه", lang=None)).get_json()
    assert button(persian_text_no_code, "حل شد")
    latin_text_korean_client = post_tg(client, tg_message("withdrawal", lang="ko")).get_json()
    assert button(latin_text_korean_client, "상담원 연결")
    unknown_client_language = post_tg(client, tg_message("forgot my password", lang="de")).get_json()
    assert button(unknown_client_language, "Solved")


def test_an_edited_message_is_answered_again_unless_its_text_did_not_change(app):
    client = app.test_client()
    first = tg_message("how long does a withdrwal take")
    assert post_tg(client, first).get_json()["method"] == "sendMessage"
    corrected = {"update_id": next(_ids),
                 "edited_message": {**first["message"], "text": "forgot my password", "edit_date": 1_735_000_200}}
    reply = post_tg(client, corrected).get_json()
    assert reply["method"] == "sendMessage" and "/en/articles/reset-password" in reply["text"]
    same_again = {"update_id": next(_ids), "edited_message": {**corrected["edited_message"], "edit_date": 1_735_000_300}}
    assert post_tg(client, same_again).get_json() == {}


def test_solved_thanks_and_other_articles_lists_the_next_ones_until_there_are_none(app):
    client = app.test_client()
    first = post_tg(client, tg_message("how long does a withdrawal take")).get_json()
    shown = re.findall(r"/en/articles/([a-z0-9-]+)", first["text"])
    assert len(shown) == 3

    thanks = post_tg(client, tg_callback(button(first, "Solved")["callback_data"])).get_json()
    assert thanks == {"method": "answerCallbackQuery", "callback_query_id": thanks["callback_query_id"],
                      "text": "Glad it helped! Ask me anything else any time."}
    assert len(thanks["text"]) <= 200

    more = post_tg(client, tg_callback(button(first, "Other articles")["callback_data"])).get_json()
    assert more["method"] == "sendMessage" and more["chat_id"] == PRIVATE["id"]
    listed = re.findall(r"/en/articles/([a-z0-9-]+)", more["text"])
    assert listed and not set(listed) & set(shown)  # only articles not shown yet
    assert more["text"].startswith("More articles:\n4. ")
    assert button(more, "Solved")["callback_data"].endswith(f":{listed[0]}")
    assert_telegram_limits(more)
    # the tiny index has 4 articles: all are shown now, so the list ends politely
    assert "Other articles" not in [b["text"] for b in buttons(more)]
    again = post_tg(client, tg_callback(button(first, "Other articles")["callback_data"])).get_json()
    assert again["method"] == "sendMessage" and again["text"].startswith("I have no other articles")
    assert [b["text"] for b in buttons(again)] == ["Contact support"]


def test_buttons_of_a_forgotten_conversation_answer_politely(app):
    client = app.test_client()
    reply = post_tg(client, tg_callback("more:ko:ZZZZZZZZ", lang="ko")).get_json()
    assert reply["method"] == "answerCallbackQuery" and reply["text"] == "대화가 만료됐어요. 질문을 다시 보내 주세요."
    # "Solved" carries its article: it is counted even when the conversation is forgotten
    reply = post_tg(client, tg_callback("ok:fa:ZZZZZZZZ:reset-password", lang="en")).get_json()
    assert reply["text"] == conversation.t("fa", "thanks")
    unknown = post_tg(client, tg_callback("vote:up")).get_json()
    assert unknown["method"] == "answerCallbackQuery" and "text" not in unknown


def test_callback_data_stays_within_64_bytes_with_a_long_slug(app, monkeypatch):
    slug = "what-to-do-when-a-withdrawal-to-a-bank-card-is-pending-for-a-long-time"
    fake_search(monkeypatch, lambda q, lang: SearchResponse(q, lang, True, (hit(slug, "Pending withdrawals"),)))
    reply = post_tg(app.test_client(), tg_message("withdrawal pending")).get_json()
    assert_telegram_limits(reply)
    assert button(reply, "Solved")["callback_data"].count(":") == 3


@pytest.mark.parametrize("media, lang, expected", [
    ({"sticker": {"file_id": "CAACAgIAAxkBAAIB", "file_unique_id": "AgADxQ", "type": "regular", "width": 512,
                  "height": 512, "is_animated": False, "is_video": False, "emoji": "\U0001F602", "set_name": "Cats"}},
     "en", "I can only read text messages."),
    ({"photo": [{"file_id": "AgACAgIAAxkBAAIC", "file_unique_id": "AQADx6", "file_size": 1254, "width": 90,
                 "height": 51},
                {"file_id": "AgACAgIAAxkBAAID", "file_unique_id": "AQADx7", "file_size": 48123, "width": 800,
                 "height": 450}], "caption": "입금 화면이에요"}, "en", "저는 글자로 된 메시지만"),
    ({"voice": {"file_id": "AwACAgIAAxkBAAIE", "file_unique_id": "AgADyA", "duration": 4, "mime_type": "audio/ogg",
                "file_size": 11530}}, "fa", "من فقط پیام‌های متنی"),
    ({"location": {"latitude": 37.5665, "longitude": 126.978}}, "ko", "저는 글자로 된 메시지만"),
])
def test_what_is_not_text_gets_a_polite_word_in_the_players_language(app, media, lang, expected):
    reply = post_tg(app.test_client(), tg_message(None, lang=lang, **media)).get_json()
    assert reply["method"] == "sendMessage" and expected in reply["text"]
    assert "reply_markup" not in reply


def test_service_messages_and_channel_posts_are_ignored(app):
    client = app.test_client()
    joined = tg_message(None, chat=GROUP, new_chat_members=[PLAYER])
    assert post_tg(client, joined).get_json() == {}
    post = {"update_id": next(_ids), "channel_post": {"message_id": 1, "chat": {"id": -100123, "title": "News",
                                                                                "type": "channel"},
                                                      "date": 1_735_000_000, "text": "forgot my password"}}
    assert post_tg(client, post).get_json() == {}


def test_a_4000_character_message_is_answered_and_searched_by_its_start(app):
    text = ("how long does a withdrawal take? " * 130)[:4000]
    client = app.test_client()
    r = post_tg(client, tg_message(text))
    assert r.status_code == 200
    reply = r.get_json()
    assert reply["method"] == "sendMessage" and "/en/articles/withdrawal-times" in reply["text"]
    assert_telegram_limits(reply)
    assert len(button(reply, "Contact support")["url"]) <= conversation.MAX_URL_BYTES
    (row,) = rows(app, "queries")
    assert len(row["query"]) <= 500


def test_a_message_over_telegrams_limit_is_trimmed_at_a_boundary_and_stays_valid_html(app, monkeypatch):
    long_text = "\n".join(f"{i}. Step <{i}> & more: open the cashier, then pick a method." for i in range(1, 120))
    answer = Answer("withdrawal-times", "en", "Withdrawals", "", "", long_text)  # far past any real answer
    fake_search(monkeypatch, lambda q, lang: SearchResponse(q, lang, True, (hit("withdrawal-times", "W"),), 0.99,
                                                            answer=answer))
    reply = post_tg(app.test_client(), tg_message("withdrawal steps")).get_json()
    assert 4000 < utf16(reply["text"]) <= 4096
    assert reply["text"].endswith("\u2026") and "method.\n" in reply["text"]  # whole lines kept
    assert_valid_html(reply["text"])


@pytest.mark.parametrize("lang, start, help_", [
    ("ko", "안녕하세요! 고객센터 봇이에요.", "편하게 질문해 주세요"),
    ("fa", "سلام! من ربات مرکز راهنما هستم.", "سؤالتان را به زبان خودتان بنویسید"),
])
def test_start_and_help_in_the_players_language(app, lang, start, help_):
    client = app.test_client()
    reply = post_tg(client, tg_message("/start", lang=lang)).get_json()
    assert reply["method"] == "sendMessage" and reply["text"].startswith(start)
    assert help_ in post_tg(client, tg_message("/help", lang=lang)).get_json()["text"]
    assert help_ in post_tg(client, tg_message(f"/help@{BOT}", lang=lang)).get_json()["text"]
    assert rows(app, "queries") == []  # commands are not questions


def test_groups_are_answered_only_when_the_bot_is_addressed(app):
    client = app.test_client()
    assert post_tg(client, tg_message("how long does a withdrawal take", chat=GROUP)).get_json() == {}
    assert post_tg(client, tg_message("/help", chat=GROUP)).get_json() == {}  # which bot? not said
    assert post_tg(client, tg_message(None, chat=GROUP, sticker={"file_id": "x", "file_unique_id": "y",
                                                                  "type": "regular", "width": 1, "height": 1,
                                                                  "is_animated": False, "is_video": False})
                   ).get_json() == {}

    mention = f"@{BOT} how long does a withdrawal take"
    update = tg_message(mention, chat=GROUP, entities=[{"offset": 0, "length": len(BOT) + 1, "type": "mention"}])
    reply = post_tg(client, update).get_json()
    assert reply["method"] == "sendMessage" and reply["chat_id"] == GROUP["id"]
    assert "/en/articles/withdrawal-times" in reply["text"]
    assert reply["reply_parameters"] == {"message_id": update["message"]["message_id"],
                                         "allow_sending_without_reply": True}
    assert rows(app, "queries")[-1]["query"] == "how long does a withdrawal take"  # the mention is not searched

    reply_to_bot = tg_message("비밀번호를 잊어버렸어요", chat=GROUP, lang="ko",
                              reply_to_message={"message_id": 4242, "from": BOT_USER, "chat": GROUP,
                                                "date": 1_735_000_010, "text": "…"})
    assert "/ko/articles/reset-password" in post_tg(client, reply_to_bot).get_json()["text"]

    command = tg_message(f"/start@{BOT}", chat=GROUP, lang="fa")
    assert post_tg(client, command).get_json()["text"].startswith("سلام!")

    from_a_bot = tg_message("forgot my password", chat=GROUP)
    from_a_bot["message"]["from"] = {**BOT_USER, "id": 6_000_000_002, "username": "other_bot"}
    from_a_bot["message"]["entities"] = [{"offset": 0, "length": 6, "type": "bold"}]
    from_a_bot["message"]["reply_to_message"] = {"message_id": 1, "from": BOT_USER, "chat": GROUP, "date": 1}
    assert post_tg(client, from_a_bot).get_json() == {}  # bots never talk to each other here


def test_a_mention_is_found_by_utf16_offsets_after_emoji(app):
    text = f"\U0001F62D\U0001F62D @{BOT} 환전 언제 돼요"
    update = tg_message(text, chat=GROUP, lang="ko",
                        entities=[{"offset": 5, "length": len(BOT) + 1, "type": "mention"}])  # 2 emoji = 4 units
    reply = post_tg(app.test_client(), update).get_json()
    assert "/ko/articles/withdrawal-times" in reply["text"]
    assert BOT not in rows(app, "queries")[-1]["query"]


def test_a_wrong_or_missing_secret_is_refused(app, built_index, tmp_path):
    client = app.test_client()
    update = tg_message("forgot my password")
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                    {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"}):
        r = post_tg(client, update, headers=headers)
        assert r.status_code == 403 and "error" in r.get_json()
    assert rows(app, "queries") == []
    assert post_tg(client, update).status_code == 200  # the same update, now signed, was never seen

    off = make_app(built_index, f"sqlite:///{tmp_path / 'off.sqlite3'}", KB_TELEGRAM_SECRET="")
    try:
        r = off.test_client().post("/channels/telegram", json=tg_message("hi"), headers={SECRET_HEADER: ""})
        assert r.status_code == 403 and "off" in r.get_json()["error"]
    finally:
        close_app(off)


def test_a_replayed_update_is_answered_once(app):
    client = app.test_client()
    update = tg_message("forgot my password")
    assert post_tg(client, update).get_json()["method"] == "sendMessage"
    assert post_tg(client, update).get_json() == {}
    assert len(rows(app, "queries")) == 1
    assert client.post("/channels/telegram", data="not json", headers=TG_HEADERS).status_code == 400


def test_without_a_public_address_links_are_text_and_link_buttons_are_left_out(built_index, tmp_path):
    app = make_app(built_index, f"sqlite:///{tmp_path / 'kb.sqlite3'}", KB_PUBLIC_URL="")
    try:
        reply = post_tg(app.test_client(), tg_message("forgot my password")).get_json()
        assert "<a " not in reply["text"] and "/en/articles/reset-password" in reply["text"]
        assert all("url" not in b for b in buttons(reply))
        assert [b["text"] for b in buttons(reply)] == ["Solved", "Other articles"]
    finally:
        close_app(app)
    app = make_app(built_index, f"sqlite:///{tmp_path / 'kb2.sqlite3'}", KB_PUBLIC_URL="",
                   KB_TELEGRAM_SUPPORT_URL="https://t.me/casino_support")
    try:
        reply = post_tg(app.test_client(), tg_message("forgot my password")).get_json()
        assert button(reply, "Contact support")["url"] == "https://t.me/casino_support"
    finally:
        close_app(app)


def test_telegram_logs_queries_and_buttons_under_an_anonymous_session(logged_app):
    client = logged_app.test_client()
    first = post_tg(client, tg_message("비밀번호를 잊어버렸어요", lang="ko")).get_json()
    post_tg(client, tg_callback(button(first, "해결됐어요")["callback_data"], lang="ko"))
    post_tg(client, tg_callback(button(first, "해결됐어요")["callback_data"], lang="ko"))  # a second tap
    post_tg(client, tg_callback(button(first, "다른 도움말")["callback_data"], lang="ko"))

    (query,) = rows(logged_app, "queries")
    assert query["kind"] == "telegram" and query["lang"] == "ko" and query["query"] == "비밀번호를 잊어버렸어요"
    session = query["session"]
    assert re.fullmatch(r"[0-9a-f]{32}", session)
    assert str(PRIVATE["id"]) not in session and PLAYER["username"] not in session
    assert json.loads(query["results"])[0][0] == "reset-password"

    helpful, shown = rows(logged_app, "events")  # the second tap is not counted again
    assert (helpful["type"], helpful["slug"], helpful["lang"], helpful["session"]) == (
        "article_helpful", "reset-password", "ko", session)
    assert json.loads(helpful["data"]) == {"source": "telegram", "rank": 1}
    assert helpful["query"] == "비밀번호를 잊어버렸어요"
    assert shown["type"] == "suggestion_shown" and json.loads(shown["data"])["source"] == "telegram"
    assert json.loads(shown["data"])["slugs"]


# --- Kakao i Open Builder: SkillPayload in, SkillResponse out ---------------------------------------

def kakao_payload(utterance: str | None, user: str = "f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3") -> dict:
    request = {"timezone": "Asia/Seoul", "params": {"ignoreMe": "true"},
               "block": {"id": "64a1f0c2e4b0a1b2c3d4e5f6", "name": "폴백 블록"}, "lang": "ko",
               "user": {"id": user, "type": "botUserKey",
                        "properties": {"botUserKey": user, "plusfriendUserKey": "BlGTEYoiNoSh"}}}
    if utterance is not None:
        request["utterance"] = utterance
    return {"intent": {"id": "64a1f0c2e4b0a1b2c3d4e5f6", "name": "폴백 블록"}, "userRequest": request,
            "bot": {"id": "64a1eff2e4b0a1b2c3d4e5f0", "name": "고객센터"},
            "action": {"name": "kb_skill", "clientExtra": None, "params": {}, "id": "64a1f0f5e4b0a1b2c3d4e5f7",
                       "detailParams": {}}, "contexts": []}


def post_kakao(client, payload: dict, key: str | None = KAKAO_KEY, headers: dict | None = None):
    url = "/channels/kakao" + (f"?key={key}" if key is not None else "")
    return client.post(url, json=payload, headers=headers or {})


def assert_kakao_limits(body: dict) -> None:
    assert body["version"] == "2.0"
    template = body["template"]
    assert 1 <= len(template["outputs"]) <= 3
    for output in template["outputs"]:
        (kind,) = output
        component = output[kind]
        if kind == "simpleText":
            assert 1 <= len(component["text"]) <= 1000
        elif kind == "textCard":
            assert len(component["title"]) <= 50 and len(component["title"]) + len(component["description"]) <= 400
            assert 1 <= len(component["buttons"]) <= 3
        elif kind == "listCard":
            assert len(component["header"]["title"]) <= 15
            assert 1 <= len(component["items"]) <= 5
            assert all(len(i["title"]) <= 50 and len(i.get("description", "")) <= 50 for i in component["items"])
            assert len(component.get("buttons", [])) <= 2
        else:
            raise AssertionError(f"unexpected output {kind}")
        for b in component.get("buttons", []):
            assert 1 <= len(b["label"]) <= 14
            assert b["action"] in ("webLink", "message")
            assert b["webLinkUrl"].startswith("https://") if b["action"] == "webLink" else b["messageText"]
    quick = template.get("quickReplies", [])
    assert len(quick) <= 10
    assert all(1 <= len(q["label"]) <= 14 and q["action"] == "message" and q["messageText"] for q in quick)


def kakao_links(body: dict) -> list[str]:
    return re.findall(r"https://help\.example\.com/[^\"\s]+", json.dumps(body, ensure_ascii=False))


@pytest.mark.parametrize("lang", ["en", "ko", "fa"])
def test_kakao_answers_each_language_with_the_right_article_and_card(app, lang):
    client = app.test_client()
    searcher = app.extensions["kb_searcher"].get()
    for text, slug in QUESTIONS[lang]:
        r = post_kakao(client, kakao_payload(text))
        assert r.status_code == 200
        body = r.get_json()
        assert_kakao_limits(body)
        expected = searcher.search(text, lang, 3)
        (output,) = body["template"]["outputs"]
        if expected.answer is not None:
            card = output["textCard"]
            assert card["title"] == expected.answer.title
            assert card["description"].startswith(expected.answer.text[:20])
            assert [b["label"] for b in card["buttons"]] == [conversation.t(lang, k) for k in
                                                             ("read_more", "solved", "contact_short")]
        else:
            assert expected.answered
            items = output["listCard"]["items"]
            assert items[0]["link"]["web"].startswith(f"{PUBLIC}/{lang}/articles/")
        assert any(link.startswith(f"{PUBLIC}/{lang}/articles/{slug}") for link in kakao_links(body))
        labels = [q["label"] for q in body["template"]["quickReplies"]]
        assert labels == [conversation.t(lang, k) for k in ("solved", "more", "contact_short")]


def test_kakao_direct_answer_card_is_trimmed_to_kakaos_limits(app, monkeypatch):
    answer = Answer("withdrawal-times", "ko", "환전 " * 40, "", "", "환전 신청은 검토 후 송금됩니다. " * 40)
    fake_search(monkeypatch, lambda q, lang: SearchResponse(q, lang, True, (hit("withdrawal-times", "환전"),), 0.99,
                                                            answer=answer))
    body = post_kakao(app.test_client(), kakao_payload("환전 언제 돼요")).get_json()
    assert_kakao_limits(body)
    card = body["template"]["outputs"][0]["textCard"]
    assert card["title"].endswith("\u2026") and card["description"].endswith("다.\u2026")
    assert card["buttons"][0] == {"label": "자세히 보기", "action": "webLink",
                                  "webLinkUrl": f"{PUBLIC}/ko/articles/withdrawal-times"}
    assert card["buttons"][1] == {"label": "해결됐어요", "action": "message", "messageText": "해결됐어요"}
    assert card["buttons"][2]["webLinkUrl"].startswith(f"{PUBLIC}/ko/contact?from=kakao&subject=%ED%99%98")


def test_kakao_no_answer_is_a_simple_text_with_the_contact_link(app, monkeypatch):
    related = tuple(hit(f"article-{i}", f"Article {i} " + "x" * 300) for i in range(3))
    fake_search(monkeypatch, lambda q, lang: SearchResponse(q, lang, False, related))
    body = post_kakao(app.test_client(), kakao_payload("4111 1111 1111 1111 카드 " + "문의 " * 300)).get_json()
    assert_kakao_limits(body)
    text = body["template"]["outputs"][0]["simpleText"]["text"]
    assert text.startswith("죄송해요") and f"{PUBLIC}/ko/contact?from=kakao&subject=" in text
    subject = unquote(text.split("subject=")[1].split()[0])
    assert subject.startswith("[CARD") and "4111 1111" not in subject  # a card number never goes into a link
    assert [q["label"] for q in body["template"]["quickReplies"]] == ["해결됐어요", "상담원 연결"]


def test_kakao_quick_replies_thank_list_more_and_lead_to_a_person(app):
    client = app.test_client()
    first = post_kakao(client, kakao_payload("how long does a withdrawal take")).get_json()
    first_links = kakao_links(first)

    thanks = post_kakao(client, kakao_payload("Solved")).get_json()
    assert thanks["template"]["outputs"] == [{"simpleText": {"text": conversation.t("en", "thanks")}}]

    more = post_kakao(client, kakao_payload("Other articles")).get_json()
    assert_kakao_limits(more)
    card = more["template"]["outputs"][0]["listCard"]
    assert card["header"]["title"] == "More articles"
    new = [i["link"]["web"] for i in card["items"]]
    assert new and not set(new) & set(first_links)

    done = post_kakao(client, kakao_payload("Other articles")).get_json()
    assert done["template"]["outputs"][0]["simpleText"]["text"].startswith("I have no other articles")

    contact = post_kakao(client, kakao_payload("  contact US ")).get_json()  # typed, not tapped: still known
    assert_kakao_limits(contact)
    (button_,) = contact["template"]["outputs"][0]["textCard"]["buttons"]
    assert button_["webLinkUrl"] == f"{PUBLIC}/en/contact?from=kakao&subject=how%20long%20does%20a%20withdrawal%20take"

    stranger = post_kakao(client, kakao_payload("다른 도움말", user="someone-else")).get_json()
    assert stranger["template"]["outputs"][0]["simpleText"]["text"].startswith("먼저 궁금한 점을")


@pytest.mark.parametrize("text, lang", [("hi", "en"), ("سلام خسته نباشید", "fa"), ("안녕하세요", "ko"), ("test", "en"),
                                        ("thanks!", "en")])
def test_a_greeting_or_a_test_is_asked_what_the_player_needs(app, text, lang):
    client = app.test_client()
    reply = post_tg(client, tg_message(text, lang=lang)).get_json()
    assert reply["text"] == conversation.t(lang, "ask")
    assert "/articles/" not in reply["text"] and "reply_markup" not in reply

    post_kakao(client, kakao_payload("how long does a withdrawal take"))
    body = post_kakao(client, kakao_payload(text)).get_json()
    assert body["template"]["outputs"] == [{"simpleText": {"text": conversation.t(lang, "ask")}}]
    assert [q["label"] for q in body["template"]["quickReplies"]] == [conversation.t(lang, "contact_short")]
    # the question before the greeting is still the one a person is asked about
    contact = post_kakao(client, kakao_payload("contact us")).get_json()
    (button_,) = contact["template"]["outputs"][0]["textCard"]["buttons"]
    assert button_["webLinkUrl"].endswith("subject=how%20long%20does%20a%20withdrawal%20take")


def test_kakao_needs_its_secret_when_one_is_set(app, built_index, tmp_path):
    client = app.test_client()
    payload = kakao_payload("forgot my password")
    assert post_kakao(client, payload, key=None).status_code == 403
    assert post_kakao(client, payload, key="wrong").status_code == 403
    assert post_kakao(client, payload, key=None, headers={"X-KB-Kakao-Secret": "wrong"}).status_code == 403
    assert "error" in post_kakao(client, payload, key=None).get_json()
    assert post_kakao(client, payload).status_code == 200
    assert post_kakao(client, payload, key=None, headers={"X-KB-Kakao-Secret": KAKAO_KEY}).status_code == 200
    assert len(rows(app, "queries")) == 2

    open_app = make_app(built_index, f"sqlite:///{tmp_path / 'open.sqlite3'}", KB_KAKAO_SECRET="")
    try:
        assert post_kakao(open_app.test_client(), payload, key=None).status_code == 200
    finally:
        close_app(open_app)


def test_kakao_without_an_utterance_gets_a_polite_text(app):
    client = app.test_client()
    for payload in (kakao_payload(None), kakao_payload("   "), {"userRequest": {"utterance": 42}}, {}):
        body = post_kakao(client, payload).get_json()
        assert_kakao_limits(body)
        assert body["template"]["outputs"][0]["simpleText"]["text"] == conversation.t("ko", "empty")
    assert client.post(f"/channels/kakao?key={KAKAO_KEY}", data="{not json",
                       content_type="application/json").status_code == 400
    assert rows(app, "queries") == []


def test_kakao_logs_utterances_and_quick_replies_under_an_anonymous_session(logged_app):
    client = logged_app.test_client()
    user = "a9b8c7d6e5f4a3b2c1d0"
    post_kakao(client, kakao_payload("환전 언제 돼요", user=user))
    post_kakao(client, kakao_payload("해결됐어요", user=user))
    post_kakao(client, kakao_payload("다른 도움말", user=user))
    post_kakao(client, kakao_payload("상담원 연결", user=user))

    (query,) = rows(logged_app, "queries")
    assert query["kind"] == "kakao" and query["lang"] == "ko" and query["query"] == "환전 언제 돼요"
    assert re.fullmatch(r"[0-9a-f]{32}", query["session"]) and user not in query["session"]
    events = rows(logged_app, "events")
    types = [e["type"] for e in events]
    assert types[:2] == ["article_helpful", "suggestion_shown"]
    assert events[0]["slug"] == "withdrawal-times" == json.loads(query["results"])[0][0]
    assert all(e["session"] == query["session"] and json.loads(e["data"])["source"] == "kakao" for e in events)
    assert types[2] == "contact_requested"
    if query["answered"]:  # asking for a person after an answer says it did not settle it
        assert types[3:] == ["article_not_helpful"] and events[3]["slug"] == events[0]["slug"]


# --- the reader's language ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("비밀번호를 잊어버렸어요", "ko"),
    ("ㅎㅇ 환전 ㄱㄱ", "ko"),
    ("OTP 인증이 안 돼요", "ko"),  # any Hangul
    ("برداشت چقدر طول میکشه", "fa"),
    ("ﺑﺮﺩﺍﺷﺖ", "fa"),  # Arabic presentation forms
    ("USDT واریز کردم", "fa"),
    ("pool variz kardam nayomad", "fa"),  # Finglish
    ("bardasht nemishe", "fa"),
    ("how long does a withdrawal take", "en"),
    ("forgot my password", "en"),
    ("", "en"),
    ("1234 !!! \U0001F602", "en"),
])
def test_detect_reads_the_language_of_a_message(text, lang):
    assert detect(text) == lang


def test_reader_language_prefers_the_script_then_the_client_language():
    assert conversation.reader_lang("환전 언제 돼요", "en") == "ko"
    assert conversation.reader_lang("withdrawal", "ko") == "ko"
    assert conversation.reader_lang("withdrawal", "pt-br") == "en"
    assert conversation.reader_lang("pool variz kardam nayomad", "en") == "fa"


def test_english_dictionary_words_keep_a_message_english():
    from helpcenter.index.vocabulary import english_words

    english = english_words()
    assert detect("self exclude") == "fa"  # without the dictionary: the fault the channels had
    assert conversation.reader_lang("self exclude", "en", english) == "en"
    assert detect("spam", english) == "en"
    assert detect("pool variz kardam nayomad", english) == "fa"


def test_clip_cuts_at_a_line_sentence_or_space_and_counts_as_told():
    assert conversation.clip("short", 10) == "short"
    assert conversation.clip("First sentence. Second one is long", 25) == "First sentence.\u2026"
    assert conversation.clip("line one is here\nline two", 20) == "line one is here\u2026"
    assert conversation.clip("tiny\nthen a much longer line", 20) == "tiny\nthen a much\u2026"  # not half lost
    assert conversation.clip("word " * 10, 12) == "word word\u2026"
    emoji = "\U0001F602" * 10  # 2 UTF-16 units each
    assert utf16(conversation.clip(emoji, 9, measure=utf16)) <= 9


# --- registering the webhook against a stand-in of the Bot API ----------------------------------------

class BotAPI:
    """A stand-in of the Bot API on 127.0.0.1: checks each setWebhook call and answers as Telegram does."""

    TOKEN = "123456789:AAHfakeTokenForTests_abcdefghijklmno"

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.calls.append((self.path, body))
                if self.path != f"/bot{BotAPI.TOKEN}/setWebhook":
                    status, answer = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
                elif self.headers.get("Content-Type") != "application/json":
                    status, answer = 400, {"ok": False, "error_code": 400, "description": "Bad Request: no JSON"}
                else:
                    status, answer = 200, {"ok": True, "result": True, "description": "Webhook was set"}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def bot_api():
    api = BotAPI()
    yield api
    api.stop()


def test_set_webhook_calls_the_bot_api_and_returns_its_answer(bot_api):
    answer = set_webhook(BotAPI.TOKEN, f"{PUBLIC}/channels/telegram", SECRET, api_url=bot_api.url + "/", timeout=5)
    assert answer == {"ok": True, "result": True, "description": "Webhook was set"}
    ((path, body),) = bot_api.calls
    assert path == f"/bot{BotAPI.TOKEN}/setWebhook"
    assert body == {"url": f"{PUBLIC}/channels/telegram", "secret_token": SECRET,
                    "allowed_updates": ["message", "edited_message", "callback_query"], "drop_pending_updates": False}


def test_set_webhook_says_why_it_failed_and_never_shows_the_token(bot_api):
    with pytest.raises(TelegramError) as refused:
        set_webhook("987654321:AAWrongTokenWrongTokenWrong", f"{PUBLIC}/channels/telegram", SECRET,
                    api_url=bot_api.url, timeout=5)
    assert "Unauthorized" in str(refused.value) and "401" in str(refused.value)
    assert "AAWrong" not in str(refused.value)

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    with pytest.raises(TelegramError, match="cannot reach the Bot API"):
        set_webhook(BotAPI.TOKEN, f"{PUBLIC}/channels/telegram", SECRET, api_url=f"http://127.0.0.1:{closed}",
                    timeout=5)
    with pytest.raises(TelegramError, match="secret"):
        set_webhook(BotAPI.TOKEN, f"{PUBLIC}/channels/telegram", "spaces are not allowed", api_url=bot_api.url)
    with pytest.raises(TelegramError, match="https"):
        set_webhook(BotAPI.TOKEN, "http://help.example.com/channels/telegram", SECRET, api_url=bot_api.url)
    assert len(bot_api.calls) == 1  # arguments Telegram would refuse are not sent


def test_kb_telegram_set_webhook_registers_the_public_address(bot_api, monkeypatch):
    from click.testing import CliRunner

    from helpcenter.cli import main

    monkeypatch.setenv("KB_TELEGRAM_TOKEN", BotAPI.TOKEN)
    monkeypatch.setenv("KB_TELEGRAM_SECRET", SECRET)
    monkeypatch.setenv("KB_TELEGRAM_API_URL", bot_api.url)
    monkeypatch.setenv("KB_PUBLIC_URL", PUBLIC + "/")
    result = CliRunner().invoke(main, ["telegram", "set-webhook"])
    assert result.exit_code == 0, result.output
    assert f"webhook set to {PUBLIC}/channels/telegram" in result.output
    ((path, body),) = bot_api.calls
    assert body["url"] == f"{PUBLIC}/channels/telegram" and body["secret_token"] == SECRET

    monkeypatch.setenv("KB_TELEGRAM_TOKEN", "987654321:AAWrongTokenWrongTokenWrong")
    result = CliRunner().invoke(main, ["telegram", "set-webhook", f"{PUBLIC}/hook"])
    assert result.exit_code == 1 and "Unauthorized" in result.output and "AAWrong" not in result.output
    assert "Traceback" not in result.output


def test_the_dashboard_counts_deflection_per_channel(logged_app):
    from helpcenter.insights.analytics import deflection_by_channel

    client = logged_app.test_client()
    # site search: two players' days; one said an article helped, the other searched and sent a ticket
    client.get("/en/search?q=forgot+my+password&sid=day-one")
    client.post("/api/events", json={"type": "article_helpful", "session": "day-one", "lang": "en",
                                     "slug": "reset-password", "source": "article"})
    client.get("/en/search?q=withdrawal+time&sid=day-two")
    # Telegram: two questions, one solved; the other's "Contact support" opens the form, a ticket is sent
    first = post_tg(client, tg_message("forgot my password")).get_json()
    post_tg(client, tg_callback(button(first, "Solved")["callback_data"]))
    second = post_tg(client, tg_message("how long does a withdrawal take")).get_json()
    contact = button(second, "Contact support")["url"]
    assert contact.startswith(f"{PUBLIC}/en/contact?from=telegram&subject=")
    form = client.get(contact.removeprefix(PUBLIC)).get_data(as_text=True)
    assert 'name="from" value="telegram"' in form
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    ticket = {"csrf_token": token, "category": "withdrawals", "subject": "withdrawal",
              "description": "my withdrawal is late, please check it", "email": "player@example.com"}
    sent = client.post("/en/contact", data={**ticket, "from": "telegram", "sid": "tg"})
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    # the searcher of day two sends a ticket from the site's form
    assert client.post("/en/contact", data={**ticket, "sid": "day-two"}).status_code == 303
    # KakaoTalk: one question, then a person asked for
    post_kakao(client, kakao_payload("환전 언제 돼요", user="k1"))
    post_kakao(client, kakao_payload("상담원 연결", user="k1"))
    # the widget: one visit solved
    client.post("/api/events", json={"type": "ticket_abandoned", "session": "w", "source": "widget",
                                     "visit": "visit-1", "deflected": True})

    logged_app.extensions["kb_writer"].flush()
    got = {row["channel"]: (row["asked"], row["solved"], row["to_person"], row["deflection"])
           for row in deflection_by_channel(logged_app.extensions["kb_db"])}
    assert got == {"search": (2, 1, 1, 0.5), "contact_form": (1, 0, 1, 0.0), "widget": (1, 1, 0, 1.0),
                   "telegram": (2, 1, 1, 0.5), "kakao": (1, 0, 1, 0.0)}


def test_the_dashboard_page_shows_each_channel(app):
    from helpcenter.insights.editors import add_editor

    client = app.test_client()
    post_tg(client, tg_message("forgot my password"))
    app.extensions["kb_writer"].flush()
    add_editor(app.extensions["kb_db"], "ed@example.com", "correct horse battery staple 42")
    login = client.get("/admin/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
    client.post("/admin/login", data={"email": "ed@example.com", "password": "correct horse battery staple 42",
                                      "csrf_token": token})
    html = client.get("/admin/").get_data(as_text=True)
    table = html[html.index("Deflection per channel"):]
    table = table[:table.index("</table>")]
    for label in ("Site search", "Ticket form", "Widget", "Telegram", "KakaoTalk"):
        assert f'<th scope="row">{label}</th>' in table
    assert '<th scope="row">Telegram</th><td>1</td>' in table
