"""Korean: Hangul analyzed by Kiwi into content morphemes; typed on the 2-beolsik keyboard, often as
initial consonants (choseong), and shown half-composed while the input method works (see `hangul`)."""
from __future__ import annotations

import datetime as dt
import functools
import threading
import warnings

from helpcenter.languages import en, hangul
from helpcenter.languages.base import Language, Terms

# Content morphemes: common/proper nouns, numerals, verb and adjective stems (Kiwi marks regular/
# irregular conjugation with -R/-I), roots, foreign words, hanja and numbers. Particles (J*),
# endings (E*), suffixes (XS*), adverbs and dependent nouns are dropped.
KEEP_TAGS = ("NNG", "NNP", "NR", "VV", "VA", "XR", "SL", "SH", "SN")
KIWI_OPTIONS = {"load_typo_dict": False, "load_multi_dict": False, "load_default_dict": False}
STOP = frozenset({"하", "되", "있", "것", "수", "등", "때", "좀", "이", "그", "저", "않", "주"})
# Adverbs that make a verb of their own meaning with 하다, which Kiwi splits into the adverb (dropped) and
# 하 (a stop word): 그만하고 싶어요 ("I want to quit") would leave no term at all. Read as one verb stem.
VERB_ADVERBS = frozenset({"그만"})
HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"  # syllables, conjoining and compatibility jamo
_kiwi = None
_kiwi_lock = threading.Lock()


def kiwi():
    """The process-wide Kiwi analyzer (its model ships in the kiwipiepy-model package)."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi
                # Without the typo and multi-word dictionaries Kiwi takes ~300 MB instead of ~490 MB per
                # process; kb eval is unchanged without them (players' misspellings go to `keywords`).
                # no thread pool (it only serves batch calls, which we never make), so that a process
                # may load it and fork: gunicorn's master does, and its workers share the model
                with warnings.catch_warnings():  # 0 means one thread since 0.21, which is what we want
                    warnings.filterwarnings("ignore", "behavior of `num_workers=0`", DeprecationWarning)
                    k = Kiwi(num_workers=0, **KIWI_OPTIONS)
                k.tokenize("환전 준비")  # the first call loads lazily; pay it at start-up, not per query
                _kiwi = k
    return _kiwi


@functools.lru_cache(maxsize=4096)
def fluency(text: str) -> float:
    """How likely Kiwi finds `text` as Korean: the log-probability of its best analysis. A mistyped word
    scores far lower than the word meant (출긍 -29.6, 출금 -21.0); two real words score alike (밤에, 방에)."""
    return float(kiwi().analyze(text, top_n=1)[0][1])


def spaced(text: str) -> str:
    """`text` with the spaces Kiwi reads into it, none taken out (출금신청했는데아직 -> 출금 신청했는데 아직)."""
    return kiwi().space(text, reset_whitespace=False)


def analyze_run(run: str) -> Terms:
    """Kiwi's content morphemes of a Hangul run (Latin words inside it are English, stemmed as such)."""
    out = []
    tokens = kiwi().tokenize(run)
    for n, tok in enumerate(tokens):
        tag, following = tok.tag.split("-")[0], tokens[n + 1:n + 3]
        if tag in ("VV", "VA") and _becomes(following):
            # -어지다 split apart (꺼짐 -> 끄 어 지) as Kiwi sometimes does, where it keeps it whole in
            # other forms (꺼졌어요 -> 꺼지): one verb stem either way
            eo, ji = following
            out.append((_joined_with_eo(tok.form, eo.form) + "지", tok.start, ji.start + ji.len))
            continue
        if tag == "MAG" and tok.form in VERB_ADVERBS and following and following[0].form == "하" \
                and following[0].tag.startswith("VV"):
            out.append((tok.form + "하", tok.start, following[0].start + following[0].len))  # 그만 하고 -> 그만하
            continue
        if tag not in KEEP_TAGS:
            continue
        form = tok.form.lower()
        if tag == "SL":
            if form in en.STOP:
                continue
            form = en.stem(form)
        elif form in STOP:
            continue
        out.append((form, tok.start, tok.start + tok.len))
    return out


def _becomes(following) -> bool:
    """Whether the tokens after a verb stem are the connective 어/아 and the auxiliary 지 of -어지다."""
    return (len(following) == 2 and following[0].tag == "EC" and following[0].form in ("어", "아", "여")
            and following[1].tag.startswith("VX") and following[1].form == "지")


# a stem's last vowel with the connective 어/아 contracted, as written (끄+어 -> 꺼, 주+어 -> 줘, 기+어 -> 겨)
_CONTRACTED = {"ㅡ": "ㅓ", "ㅗ": "ㅘ", "ㅜ": "ㅝ", "ㅣ": "ㅕ"}


def _joined_with_eo(stem: str, eo: str) -> str:
    """The stem with the connective 어/아/여 as it is written before 지: 없+어 -> 없어, 끄+어 -> 꺼, 하+여 -> 해,
    가+아 -> 가."""
    last = stem[-1]
    if not hangul.is_syllable(last):
        return stem + eo
    initial, medial, final = hangul.split_syllable(last)
    if final:
        return stem + eo
    if stem.endswith("하") and eo == "여":
        return stem[:-1] + "해"
    if medial in _CONTRACTED:
        return stem[:-1] + hangul.join_syllable(initial, _CONTRACTED[medial])
    return stem  # 가+아, 서+어, 내+어: the vowel is already the connective's


def format_date(day: dt.date) -> str:
    return f"{day.year}년 {day.month}월 {day.day}일"


LANGUAGE = Language(
    code="ko", name="한국어", direction="ltr", fallback_rank=1,
    # a run may hold digits, Latin words and spaces between Hangul: Kiwi reads "usdt 입금" as one phrase
    run=rf"[{HANGUL}][{HANGUL}0-9a-z ]*[{HANGUL}]|[{HANGUL}]",
    word=r"[\uac00-\ud7a3]+",
    analyze_run=analyze_run,
    analyzer={"engine": "kiwipiepy", "options": KIWI_OPTIONS, "keep_tags": list(KEEP_TAGS), "stop": sorted(STOP),
              "verb_adverbs": sorted(VERB_ADVERBS), "joins": "-어지다"},
    owns=hangul.is_hangul,
    stop_words=False,  # particles and endings are morphemes, dropped by tag
    morphemes=True,
    keyboard=hangul.from_keys,
    keys=hangul.to_keys,
    # a Korean word carries its particles and endings (신청했는데 = "I applied, but"): fewer make a description
    description_words=4,
    typing_states=hangul.ime_states,
    initials=hangul.choseong,
    load=kiwi,
    format_date=format_date,
    # 카카오뱅크로, 국민은행 카드로, 체이스 은행으로, 업비트에서: by, to or from the service (not 은/는/이/가, its subject),
    # with a particle stacked on it (문화상품권으로도, 업비트에서는), the model or the part of it named
    # between (갤럭시 S23에서, 갤럭시 탭에서, SKT 데이터로는, KT 집 와이파이로는), its kind in Konglish too (N26 card로)
    means_after=r"(?:\s*(?:[a-z]{0,3}\d{1,4}[a-z+]{0,5}|pro|plus|max|ultra|mini"
                r"|프로|플러스|울트라|맥스|미니|탭|패드|워치|폴드|플립|노트|데이터|인터넷|브라우저|와이파이|5g|lte|집|회사)){0,2}"
                r"(?:\s*(?:카드|계좌|지갑|폰|메일|앱|통장|은행|card|app|account))?"
                r"(?:으로|로|에서)(?:도|는|만|부터)?(?![\uac00-\ud7a3])"
                # ... or the one that issued a document the player sends us (하나은행 거래내역서로 주소 증명, KT
                # 통신요금 고지서): proof of address, as "a Barclays statement" is
                r"|(?:\s*(?:예금|통신\s?요금|요금|계좌|통장))?\s*(?:거래\s?내역서|고지서|잔액\s?증명서)"
                # ... or the card or bank whose payment to us is declined (신한카드 결제가 계속 거절돼요, 국민카드 입금
                # 거절): as "Scotiabank declined my deposit" (not 신한카드 해외결제 차단, the card's own setting; nor
                # 구글플레이 결제 거절, a payment to another company)
                r"|(?<=카드|은행|뱅크)\s*(?:결제|입금|충전)(?:이|가|은|는)?\s+(?:\S+\s+)?(?:승인\s?)?거절"
                # ... or the card whose charge for it was approved (현대카드 승인 문자는 왔는데 잔액은 그대로): the
                # player's deposit, charged and not credited (not 현대카드 승인 문자가 안 와요, the card's own service)
                r"|(?<=카드)\s*승인\s?(?:문자|알림|메시지)(?:은|는|이|가|도)?\s*(?:왔|오고|떴|뜨고|받았)",
    # SKT 쓰는데, 유플러스 폰인데, 기업은행 계좌라서: the service the player uses, as the setting of the errand
    # 카톡 오픈채팅에서, 텔레그램 단톡방에: a chat room on it, where something happened to the player
    setting_after=r"(?:\s*(?:폰|카드|앱|통장|계좌))?(?:\s*(?:쓰는데|써요|쓰고|사용하는데|사용중인데|이용하는데)|이?라서|인데)"
                  r"|\s*(?:오픈\s?채팅|오픈톡|단톡방?|채팅방|톡방)(?:방)?에서?(?![\uac00-\ud7a3])",
    # ... and 벳365처럼, 구글플레이 결제한도처럼: likening another company's service to ours, to ask about ours
    addressing=r"여기|이\s?사이트|이쪽|이곳|너희|니네|님들|귀사|처럼",
    # 카카오페이로도 충전 돼요, GCash로 입금 가능한가요: asked whether the site takes it
    taking_after=r"(?:으로|로)도?\s*(?:충전|입금|결제)(?:이|가|도)?\s*(?:돼|되|될|가능|할\s?수|할수|되나|됩)",
    contact_label=r"(?:(?:제|내|저의|나의)\s*)?(?:연락처|이메일(?:\s*주소)?|메일(?:\s*주소)?|전화\s*번호|전번|핸드폰(?:\s*번호)?"
                  r"|휴대폰(?:\s*번호)?|폰\s*번호|번호|아이디|계정\s*번호|회원\s*번호)(?:은|는|이|가|:)?",
    nothing_alone=(
        # a test ("테스트 중입니다 무시하세요"), a reply or an acknowledgement to no question
        r"테스트\s*(?:중|입니다|중입니다|요)?(?:\s*무시(?:하세요|해\s*주세요))?|네+|넵|예|응|ㅇㅇ|ㅇㅋ|오키|ㄴㄴ"
        r"|아니(?:요|오)?|아뇨|(?:네|넵|예)?\s*알겠(?:습니다|어요|음)|수고(?:링|요)"
        # a question word, or not following
        r"|뭐(?:요|지)?|왜(?:요)?|어떻게(?:요)?|언제(?:요)?|무슨\s*말(?:이에요|씀이세요)?"
        # a problem or a question with nothing said about what
        r"|문제(?:가)?\s*(?:좀\s*)?(?:있어요|있습니다|있는데요|생겼어요|생겼습니다|생겼는데요)"
        r"|오류(?:가)?\s*(?:났어요|나요|떠요|생겼어요)|(?:뭐가\s*)?안\s*돼요"
        r"|문의\s*드릴\s*(?:게|거|것이)\s*(?:있는데요|있어요|있습니다)"
    ),
    courtesy=(
        # greetings, the one addressed, and thanks
        r"안녕하(?:세요|세용|세여|십니까)|ㅎㅇ|하이(?:요|루)?|반갑습니다|좋은\s*아침(?:입니다|이에요|이요)?|(?:수고|고생)\s*(?:하세요|하십니다|많으십니다|많으세요|많아요)~*"
        r"|(?:상담원|관리자|운영자|담당자|매니저)님(?:께|들)?(?:\s*보세요)?|감사(?:합니다|합니당|해요|요|드립니다|드려요)|(?:미리|정말|너무|진짜)\s*감사(?:합니다|드립니다|해요)"
        r"|감사하겠습니다|고맙습니다|고마워요|(?:ㄱㅅ|ㄳ)+|ㅃㅃ|좋은\s*하루\s*(?:되세요|보내세요)|그럼\s*이만|이상입니다|(?:잘\s*)?부탁(?:드립니다|드려요|합니다|해요)"
        r"|(?:신경|도움)\s*(?:써|주)(?:주셔서|시면)\s*감사(?:합니다|하겠습니다)"
        # announcing a question
        r"|(?:다시\s*|또\s*|답답해서\s*|급해서\s*)?문의\s*(?:좀\s*)?(?:드립니다|드려요|합니다|드릴게요|좀요|요)"
        r"|질문\s*(?:이\s*)?(?:있어요|있는데요|있습니다|드립니다|요|하나만요)|(?:하나\s*)?궁금한\s*(?:게|것이?)\s*(?:있어서요|있는데요|생겨서요|있습니다)"
        r"|(?:뭐\s*좀\s*|하나만?\s*)?(?:물어볼게요|여쭤볼게요)|여쭤?볼\s*게\s*있(?:습니다|어요|는데요)|(?:하나만\s*)?(?:물어|여쭤)봐도\s*될까요"
        r"|다름이\s*아니(?:라|오라)|글\s*남(?:깁니다|겨요)|(?:저\s*)?근데요?|아니\s*근데|그게요|그(?:러)?니까|혹시요|저기요|(?:혹시\s*)?계(?:세요|신가요|십니까)|여보세요"
        r"|(?:아무도|누구)\s*없(?:나요|어요|습니까)|(?:왜\s*)?답(?:이|변이)?\s*없어요"
        # apologies for asking
        r"|(?:바쁘신데\s*|저기\s*|정말\s*)?(?:죄송|ㅈㅅ)(?:합니다|해요|한데요|한데|하지만|합니다만)|ㅈㅅ|실례(?:합니다|지만)"
        r"|(?:번거롭게\s*해\s*드려|또\s*문의\s*드려|말이\s*좀?\s*길었네요|두서없이\s*(?:적어서|써서)|긴\s*글|글이\s*길어서)\s*죄송(?:합니다|해요)"
        r"|(?:맞춤법\s*틀려도\s*)?이해\s*(?:해\s*주세요|부탁(?:드려요|드립니다))"
        # a player in a hurry, asking for help or an answer: not what it is about
        r"|급해요|급합니다|급함|(?:진짜|정말|너무)\s*급(?:해요|합니다)|(?:빨리|빠른|신속한?)\s*(?:답변|답장|회신|처리)\s*(?:좀\s*)?(?:주세요|부탁(?:드립니다|드려요|해요)"
        r"|바랍니다)|빨리\s*(?:좀\s*)?(?:해\s*주세요|요)|(?:제발\s*|저\s*)?(?:좀\s*)?도와\s*주(?:세요|실\s*수\s*있(?:나요|을까요))|도움이\s*필요해요"
        r"|제발(?:\s*좀)?요?|ㅈㅂ|(?:꼭\s*)?(?:답변|답장|회신)\s*(?:좀\s*)?(?:부탁(?:드립니다|드려요)|주세요|기다릴게요|기다리겠습니다)"
        r"|답\s*좀\s*(?:해\s*주세요|주세요|요)|(?:확인|해결)\s*(?:좀\s*)?(?:부탁(?:드립니다|드려요)|해\s*주세요)|좀\s*봐\s*주세요"
        r"|설명\s*(?:좀\s*)?(?:해\s*주세요|부탁(?:드립니다|드려요))|연락\s*(?:주세요|기다리겠습니다)|(?:계속\s*)?기다리고\s*(?:있어요|있을게요)"
        r"|어떻게\s*(?:하죠|해야\s*(?:하나요|돼요))|어떡(?:하죠|해요)|(?:좀\s*)?알려\s*주세요|(?:어디(?:다|에)\s*)?물어봐야\s*할지\s*몰라서요"
        # what a player feels, not what it is about
        r"|(?:아\s*|ㄹㅇ\s*)?(?:진짜\s*)?(?:미치겠(?:네요|네|다|음)|짜증\s*나(?:네요|네|요)?|답답해(?:요|\s*죽겠어요)|화(?:나요|나네요|가\s*나네요)"
        r"|어이(?:가)?\s*없(?:네요|네)|황당하네요|너무하네요?|속\s*터지네요?)(?:\s*(?:진짜|정말))?|헐|와\s*진짜|장난하(?:나|세요|냐)"
        r"|이게\s*(?:뭐예요|뭐야|말이\s*돼요)|실망이네요|아\s*진짜|(?:아니?\s*)?(?:진짜\s*)?왜\s*이래요|(?:진짜|정말)(?=[\s,.!?~]*[^\s,.!?~])|ㄹㅇ|ㅇㅋ"
        r"|ㅠ+|ㅜ+|ㅡㅡ+|ㅎ+|;;+"
    ),
)
