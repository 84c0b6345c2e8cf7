"""The site's own words in English, Korean and Persian, and the small locale helpers pages need."""
from __future__ import annotations

import datetime as dt
import logging

from markupsafe import Markup, escape

from helpcenter import languages
from helpcenter.languages import LANGS, LANGUAGES

log = logging.getLogger(__name__)

LANG_NAMES = {lang.code: lang.name for lang in LANGUAGES}
RTL = frozenset(lang.code for lang in LANGUAGES if lang.direction == "rtl")

# Shown in this order on the home page; a category the content adds later comes after them.
CATEGORY_ORDER = ("account", "verification", "deposits", "withdrawals", "bonuses", "betting",
                  "responsible-gambling", "security", "support", "technical")

CATEGORIES: dict[str, dict[str, str]] = {
    "en": {
        "account": "Account", "verification": "Verification", "deposits": "Deposits",
        "withdrawals": "Withdrawals", "bonuses": "Bonuses & promotions", "betting": "Betting & games",
        "responsible-gambling": "Responsible gambling", "security": "Security",
        "support": "Contacting us", "technical": "Technical issues",
    },
    "ko": {
        "account": "계정", "verification": "본인인증", "deposits": "충전", "withdrawals": "환전·출금",
        "bonuses": "보너스·이벤트", "betting": "베팅·게임", "responsible-gambling": "건전한 게임 이용",
        "security": "보안", "support": "고객센터 이용", "technical": "기술 문제",
    },
    "fa": {
        "account": "حساب کاربری", "verification": "احراز هویت", "deposits": "واریز", "withdrawals": "برداشت",
        "bonuses": "بونوس و پروموشن", "betting": "شرط‌بندی و بازی", "responsible-gambling": "بازی مسئولانه",
        "security": "امنیت", "support": "ارتباط با پشتیبانی", "technical": "مشکلات فنی",
    },
}

# Plain text: `t()` escapes each string and the values put into it.
STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "site_name": "Help Center",
        "skip": "Skip to content",
        "home": "Home",
        "contact_nav": "Contact us",
        "language": "Language",
        "hero_title": "How can we help?",
        "hero_text": "Search the help center or browse by topic.",
        "search_placeholder": "Search for answers…",
        "search_label": "Search the help center",
        "search_button": "Search",
        "suggestions": "Suggested articles",
        "topics": "Browse by topic",
        "article_count_one": "1 article",
        "article_count": "{n} articles",
        "see_all": "See all",
        "cta_title": "Still need help?",
        "cta_text": "Our team is here around the clock. Tell us what is going on and we will get back to you.",
        "cta_button": "Send us a request",
        "untranslated": "English — not yet translated",
        "untranslated_note": "",
        "on_this_page": "On this page",
        "updated": "Last updated {date}",
        "related": "Related articles",
        "helpful_question": "Was this article helpful?",
        "yes": "Yes",
        "no": "No",
        "helpful_thanks": "Thanks for letting us know!",
        "not_helpful_thanks": "Thanks. Sorry it did not help — our team can.",
        "permalink": "Link to this section",
        "search_title": "Search",
        "results_for": "Results for “{q}”",
        "result_count_one": "1 result",
        "result_count": "{n} results",
        "in_section": "Section:",
        "answer_label": "Answer",
        "answer_more": "Read the whole article",
        "search_empty": "Type a question above, in your own words.",
        "no_answer_title": "We could not find an answer to that",
        "no_answer_text": "Try other words, or send us a request and our support team will help you.",
        "maybe_related": "These articles might be related",
        "query_error": "Please keep your search under {n} characters.",
        "contact_title": "Contact support",
        "contact_intro": "Tell us what is going on. While you type, we show articles that may already answer it.",
        "field_category": "Topic",
        "choose_category": "Choose a topic",
        "field_subject": "Subject",
        "field_description": "Describe the problem",
        "description_hint": "What happened, when, and what you have tried. Never send your password.",
        "field_email": "Your email",
        "email_hint": "We reply to this address.",
        "submit": "Send request",
        "err_summary": "Please check the fields marked below.",
        "err_unavailable": "We could not receive your request just now. Nothing you wrote is lost: please send it again in a minute.",
        "err_too_many": "You have sent several requests in a short time. Your text is still here: please send it again in {n} minutes.",
        "err_expired": "This form was open for a long time. Your text is still here: please send it again.",
        "err_category": "Please choose a topic.",
        "err_subject": "Please enter a subject.",
        "err_subject_long": "Please keep the subject under {n} characters.",
        "err_description": "Please describe the problem.",
        "err_description_long": "Please keep the description under {n} characters.",
        "err_email": "Please enter a valid email address, like name@example.com.",
        "suggest_title": "These articles might help",
        "suggest_empty": "Start typing and we will suggest articles that may answer your question.",
        "solved": "This solved my problem",
        "not_solved": "Back to my request",
        "read_in_new_tab": "Open in a new tab",
        "deflected_title": "Great, glad that helped!",
        "deflected_text": "No request needed. You can keep browsing the help center any time.",
        "thanks_title": "We have received your request",
        "ticket_number": "Your ticket number is {n}.",
        "thanks_text": "We usually reply by email within 1–2 hours. Keep this number in case you contact us again.",
        "back_home": "Back to the help center",
        "ticket_link": "Follow your request",
        "ticket_link_hint": "Keep this link: it opens your request without a password. We also sent it to your email.",
        "ticket_title": "Your request {n}",
        "ticket_status": "Status",
        "status_received": "Received",
        "status_in_progress": "In progress",
        "status_answered": "Answered",
        "status_closed": "Closed",
        "ticket_sent_on": "Sent on {date}",
        "ticket_yours": "Your message",
        "ticket_replies": "Replies from our support team",
        "ticket_no_replies": "No reply yet. We usually reply within 1–2 hours, and we email you when we do.",
        "not_found_title": "Page not found",
        "not_found_text": "The page you are looking for does not exist or has moved. Try searching instead.",
        "error_title": "Something went wrong",
        "loading": "Loading…",
        "close": "Close",
    },
    "ko": {
        "site_name": "고객센터",
        "skip": "본문으로 건너뛰기",
        "home": "홈",
        "contact_nav": "1:1 문의",
        "language": "언어",
        "hero_title": "무엇을 도와드릴까요?",
        "hero_text": "궁금한 내용을 검색하거나 주제별로 찾아보세요.",
        "search_placeholder": "궁금한 내용을 입력하세요…",
        "search_label": "도움말 검색",
        "search_button": "검색",
        "suggestions": "추천 도움말",
        "topics": "주제별 도움말",
        "article_count_one": "도움말 1개",
        "article_count": "도움말 {n}개",
        "see_all": "전체 보기",
        "cta_title": "해결되지 않으셨나요?",
        "cta_text": "상담팀이 24시간 기다리고 있어요. 어떤 문제인지 알려 주시면 빠르게 답변드릴게요.",
        "cta_button": "1:1 문의하기",
        "untranslated": "영어 — 아직 번역되지 않았어요",
        "untranslated_note": "이 도움말은 아직 한국어로 번역되지 않아 영어 원문을 보여 드려요.",
        "on_this_page": "이 페이지의 내용",
        "updated": "최종 업데이트: {date}",
        "related": "관련 도움말",
        "helpful_question": "이 도움말이 도움이 되었나요?",
        "yes": "네",
        "no": "아니요",
        "helpful_thanks": "의견 감사합니다!",
        "not_helpful_thanks": "도움이 되지 못해 죄송해요. 상담팀이 도와드릴게요.",
        "permalink": "이 섹션 링크",
        "search_title": "검색",
        "results_for": "“{q}” 검색 결과",
        "result_count_one": "결과 1개",
        "result_count": "결과 {n}개",
        "in_section": "섹션:",
        "answer_label": "바로 답변",
        "answer_more": "도움말 전체 보기",
        "search_empty": "궁금한 내용을 편하게 입력해 보세요.",
        "no_answer_title": "딱 맞는 답을 찾지 못했어요",
        "no_answer_text": "다른 단어로 검색해 보시거나, 1:1 문의를 남겨 주시면 상담팀이 도와드릴게요.",
        "maybe_related": "관련 있을 수 있는 도움말",
        "query_error": "검색어는 {n}자 이내로 입력해 주세요.",
        "contact_title": "1:1 문의",
        "contact_intro": "어떤 문제인지 알려 주세요. 입력하시는 동안 답이 될 만한 도움말을 보여 드려요.",
        "field_category": "문의 유형",
        "choose_category": "유형을 선택하세요",
        "field_subject": "제목",
        "field_description": "문의 내용",
        "description_hint": "언제, 무슨 일이 있었고 어떤 방법을 시도하셨는지 적어 주세요. 비밀번호는 절대 적지 마세요.",
        "field_email": "이메일",
        "email_hint": "이 주소로 답변을 보내 드려요.",
        "submit": "문의 보내기",
        "err_summary": "아래 표시된 항목을 확인해 주세요.",
        "err_unavailable": "지금은 문의를 접수하지 못했어요. 작성하신 내용은 그대로 있으니 잠시 후 다시 보내 주세요.",
        "err_too_many": "짧은 시간에 여러 번 문의하셨어요. 작성하신 내용은 그대로 있으니 {n}분 후에 다시 보내 주세요.",
        "err_expired": "페이지를 오래 열어 두셔서 만료되었어요. 작성하신 내용은 그대로 있으니 다시 보내 주세요.",
        "err_category": "문의 유형을 선택해 주세요.",
        "err_subject": "제목을 입력해 주세요.",
        "err_subject_long": "제목은 {n}자 이내로 입력해 주세요.",
        "err_description": "문의 내용을 입력해 주세요.",
        "err_description_long": "문의 내용은 {n}자 이내로 입력해 주세요.",
        "err_email": "올바른 이메일 주소를 입력해 주세요 (예: name@example.com).",
        "suggest_title": "이 도움말이 도움이 될 수 있어요",
        "suggest_empty": "내용을 입력하시면 관련 도움말을 추천해 드려요.",
        "solved": "문제가 해결됐어요",
        "not_solved": "문의 계속 작성하기",
        "read_in_new_tab": "새 탭에서 열기",
        "deflected_title": "해결되셨다니 다행이에요!",
        "deflected_text": "따로 문의하지 않으셔도 됩니다. 궁금한 점이 생기면 언제든 고객센터를 찾아 주세요.",
        "thanks_title": "문의가 접수되었어요",
        "ticket_number": "문의 번호는 {n}입니다.",
        "thanks_text": "보통 1~2시간 안에 이메일로 답변드려요. 다시 문의하실 때를 위해 번호를 메모해 두세요.",
        "back_home": "고객센터 홈으로",
        "ticket_link": "문의 진행 상황 보기",
        "ticket_link_hint": "이 링크를 보관해 주세요. 비밀번호 없이 문의를 확인할 수 있어요. 이메일로도 보내 드렸어요.",
        "ticket_title": "문의 {n}",
        "ticket_status": "진행 상태",
        "status_received": "접수됨",
        "status_in_progress": "처리 중",
        "status_answered": "답변 완료",
        "status_closed": "종료",
        "ticket_sent_on": "{date} 접수",
        "ticket_yours": "문의 내용",
        "ticket_replies": "상담팀 답변",
        "ticket_no_replies": "아직 답변이 없어요. 보통 1~2시간 안에 답변드리며, 답변이 등록되면 이메일로 알려 드려요.",
        "not_found_title": "페이지를 찾을 수 없어요",
        "not_found_text": "찾으시는 페이지가 없거나 주소가 바뀌었어요. 검색으로 찾아보세요.",
        "error_title": "문제가 발생했어요",
        "loading": "불러오는 중…",
        "close": "닫기",
    },
    "fa": {
        "site_name": "مرکز راهنما",
        "skip": "رفتن به محتوا",
        "home": "خانه",
        "contact_nav": "تماس با ما",
        "language": "زبان",
        "hero_title": "چطور می‌توانیم کمک کنیم؟",
        "hero_text": "در مرکز راهنما جستجو کنید یا موضوعات را مرور کنید.",
        "search_placeholder": "سؤال‌تان را بنویسید…",
        "search_label": "جستجو در مرکز راهنما",
        "search_button": "جستجو",
        "suggestions": "مقاله‌های پیشنهادی",
        "topics": "موضوعات",
        "article_count_one": "۱ مقاله",
        "article_count": "{n} مقاله",
        "see_all": "همه",
        "cta_title": "هنوز کمک لازم دارید؟",
        "cta_text": "تیم پشتیبانی شبانه‌روزی در کنار شماست. مشکل‌تان را بنویسید تا پاسخ بدهیم.",
        "cta_button": "ارسال تیکت",
        "untranslated": "انگلیسی — هنوز ترجمه نشده",
        "untranslated_note": "این مقاله هنوز به فارسی ترجمه نشده است؛ نسخه انگلیسی آن را می‌بینید.",
        "on_this_page": "در این صفحه",
        "updated": "آخرین به‌روزرسانی: {date}",
        "related": "مقاله‌های مرتبط",
        "helpful_question": "این مقاله مفید بود؟",
        "yes": "بله",
        "no": "خیر",
        "helpful_thanks": "از بازخوردتان ممنونیم!",
        "not_helpful_thanks": "متأسفیم که کمکی نکرد؛ تیم پشتیبانی کمک‌تان می‌کند.",
        "permalink": "پیوند این بخش",
        "search_title": "جستجو",
        "results_for": "نتایج جستجو برای «{q}»",
        "result_count_one": "۱ نتیجه",
        "result_count": "{n} نتیجه",
        "in_section": "بخش:",
        "answer_label": "پاسخ",
        "answer_more": "خواندن کل مقاله",
        "search_empty": "سؤال‌تان را با زبان خودتان بنویسید.",
        "no_answer_title": "پاسخی برای این سؤال پیدا نکردیم",
        "no_answer_text": "با کلمات دیگری جستجو کنید یا تیکت بفرستید تا تیم پشتیبانی کمک‌تان کند.",
        "maybe_related": "شاید این مقاله‌ها مرتبط باشند",
        "query_error": "لطفاً عبارت جستجو را کوتاه‌تر از {n} نویسه بنویسید.",
        "contact_title": "تماس با پشتیبانی",
        "contact_intro": "مشکل‌تان را بنویسید. هنگام نوشتن، مقاله‌هایی را نشان می‌دهیم که شاید پاسخ‌تان باشند.",
        "field_category": "موضوع",
        "choose_category": "یک موضوع انتخاب کنید",
        "field_subject": "عنوان",
        "field_description": "شرح مشکل",
        "description_hint": "چه اتفاقی افتاد، کی، و چه کارهایی را امتحان کردید. هرگز رمز عبورتان را ننویسید.",
        "field_email": "ایمیل شما",
        "email_hint": "پاسخ را به این نشانی می‌فرستیم.",
        "submit": "ارسال تیکت",
        "err_summary": "لطفاً موارد مشخص‌شده را بررسی کنید.",
        "err_unavailable": "الان نتوانستیم درخواست شما را دریافت کنیم. چیزی از نوشته‌تان از دست نرفته است؛ لطفاً یک دقیقه دیگر دوباره بفرستید.",
        "err_too_many": "در مدت کوتاهی چند درخواست فرستاده‌اید. نوشته‌تان سر جایش است؛ لطفاً {n} دقیقه دیگر دوباره بفرستید.",
        "err_expired": "این فرم مدت زیادی باز مانده بود. نوشته‌تان سر جایش است؛ لطفاً دوباره بفرستید.",
        "err_category": "لطفاً یک موضوع انتخاب کنید.",
        "err_subject": "لطفاً عنوان را بنویسید.",
        "err_subject_long": "لطفاً عنوان را کوتاه‌تر از {n} نویسه بنویسید.",
        "err_description": "لطفاً مشکل را شرح دهید.",
        "err_description_long": "لطفاً شرح مشکل را کوتاه‌تر از {n} نویسه بنویسید.",
        "err_email": "لطفاً یک ایمیل معتبر وارد کنید، مثل name@example.com.",
        "suggest_title": "شاید این مقاله‌ها کمک کنند",
        "suggest_empty": "شروع به نوشتن کنید تا مقاله‌های مرتبط را پیشنهاد دهیم.",
        "solved": "مشکلم حل شد",
        "not_solved": "ادامه نوشتن تیکت",
        "read_in_new_tab": "باز کردن در زبانه جدید",
        "deflected_title": "خوشحالیم که مشکل حل شد!",
        "deflected_text": "نیازی به ارسال تیکت نیست. هر وقت سؤالی داشتید به مرکز راهنما سر بزنید.",
        "thanks_title": "درخواست شما ثبت شد",
        "ticket_number": "شماره تیکت شما {n} است.",
        "thanks_text": "معمولاً ظرف ۱ تا ۲ ساعت با ایمیل پاسخ می‌دهیم. این شماره را برای پیگیری نگه دارید.",
        "back_home": "بازگشت به مرکز راهنما",
        "ticket_link": "پیگیری درخواست",
        "ticket_link_hint": "این پیوند را نگه دارید: درخواست شما را بدون رمز عبور باز می‌کند. آن را به ایمیل‌تان هم فرستادیم.",
        "ticket_title": "درخواست {n}",
        "ticket_status": "وضعیت",
        "status_received": "دریافت شد",
        "status_in_progress": "در حال بررسی",
        "status_answered": "پاسخ داده شد",
        "status_closed": "بسته شد",
        "ticket_sent_on": "ارسال‌شده در {date}",
        "ticket_yours": "پیام شما",
        "ticket_replies": "پاسخ‌های تیم پشتیبانی",
        "ticket_no_replies": "هنوز پاسخی نیامده است. معمولاً ظرف ۱ تا ۲ ساعت پاسخ می‌دهیم و با ایمیل خبرتان می‌کنیم.",
        "not_found_title": "صفحه پیدا نشد",
        "not_found_text": "صفحه‌ای که دنبالش هستید وجود ندارد یا جابه‌جا شده است. جستجو را امتحان کنید.",
        "error_title": "مشکلی پیش آمد",
        "loading": "در حال بارگذاری…",
        "close": "بستن",
    },
}

# Digits as each language writes them, where not 0-9.
_DIGITS = {lang.code: str.maketrans("0123456789", lang.digits) for lang in LANGUAGES if lang.digits != "0123456789"}

# The strings the embeddable widget (and the ticket form, which uses it) needs, per language.
WIDGET_KEYS = ("suggest_title", "solved", "not_solved", "read_in_new_tab", "deflected_title", "deflected_text",
               "untranslated", "loading", "close")

def t(lang: str, key: str, **values) -> Markup:
    """The UI string `key` in `lang` (English when missing), with `values` escaped into its {placeholders}."""
    text = STRINGS.get(lang, STRINGS["en"]).get(key) or STRINGS["en"][key]
    return escape(text).format(**values)


def number(lang: str, n: int | str) -> str:
    """A number written as readers of `lang` write it (Persian digits for fa)."""
    return str(n).translate(_DIGITS[lang]) if lang in _DIGITS else str(n)


def count(lang: str, key: str, n: int) -> Markup:
    """A counted phrase: `key_one` for one, else `key` with {n}."""
    return t(lang, f"{key}_one") if n == 1 else t(lang, key, n=number(lang, n))


def category_name(lang: str, category: str) -> str:
    return CATEGORIES.get(lang, {}).get(category) or CATEGORIES["en"].get(category) \
        or category.replace("-", " ").capitalize()


def category_sort_key(category: str) -> tuple[int, str]:
    return (CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER), category)


def date(lang: str, day: dt.date) -> str:
    """A date the way `lang` writes it: 20 November 2026 / 2026년 11월 20일 / ۲۰ نوامبر ۲۰۲۶."""
    return languages.get(lang).format_date(day)


def text_dir(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


def widget_strings() -> dict[str, dict[str, str]]:
    return {lang: {k: STRINGS[lang][k] for k in WIDGET_KEYS} for lang in LANGS}
