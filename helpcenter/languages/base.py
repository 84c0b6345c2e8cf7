"""What the service knows about one language: the `Language` record each language module fills in."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

Terms = list[tuple[str, int, int]]  # (term, start, end), offsets into the analyzed run


def by_character(text: str) -> list[str]:
    """What a search box shows after each keystroke when every character is one key."""
    return [text[:i] for i in range(1, len(text) + 1)]


def neighbours_swapped(word: str) -> list[str]:
    """`word` with each pair of neighbouring letters put the other way round (a thumb's slip either way)."""
    return [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1) if word[i] != word[i + 1]]


def letter_put_back(word: str, letters: str) -> list[str]:
    """`word` with one of `letters` put back between two of its letters (never first or last)."""
    return [word[:i] + ch + word[i:] for i in range(1, len(word)) for ch in letters]


@dataclass(frozen=True)
class Language:
    """One language the help center is written and searched in.

    The text-level fields describe the language's *script*: analysis cuts normalized text into runs of
    one script and hands each run to its language, whatever language the reader chose.

    Attributes:
        code: ISO 639-1 code: the content directory, the URL prefix, the API's `lang`.
        name: the language's name in itself (the language switcher).
        direction: "ltr" or "rtl".
        fallback_rank: an article missing in the reader's language shows in the available language of
            lowest rank.
        run: regex of one run of the script in normalized text (what `analyze_run` is given).
        word: regex of one word of the script in normalized text (the suggest vocabulary's words).
        analyze_run: a run -> its index terms with offsets into the run.
        analyzer: the analysis settings, saved in the index manifest (an index built with other
            settings is refused).
        owns: whether a character belongs to the script (None: the language of any other letter).
        stop_words: whether the analyzer drops whole words from a list (a word it drops is "fine as
            typed" to the suggester); False where it drops morphemes instead (Korean particles).
        morphemes: whether words carry particles and endings and run together (Korean): the analyzer's
            morphemes are suggestion words too, and a word being typed may be completed from its tail.
        spelling: whether misspelled words are corrected by edit distance (Latin letters).
        keyboard: Latin keys typed with the keyboard left in English layout -> the text this language's
            keyboard would have typed; None when the language is typed on Latin keys.
        keys: the other way: a text in this language's script -> the Latin keys that typed it on this
            language's keyboard (an English word typed with the keyboard still in this layout).
        description_words: finished words from which a typed query reads as a description (the
            suggester then asks the encoder while the reader types).
        typing_states: what the search box shows after each keystroke while a text is typed.
        initials: the initial consonants of a text, for abbreviations typed that way (None: no such habit).
        normalize: this script's share of the one normalizer every text goes through (before lower case).
        load: loads a model the analyzer needs (run once per process, or in gunicorn's master).
        digits: the digits 0-9 as readers of the language write them.
        format_date: a date as readers of the language write it.
        bigram_run: whether a reader's query also runs over the character bigrams of the articles in
            the language (`analysis.char_bigrams`): False for English, whose analyzer already meets its
            words' forms (on the golden set's tuning half the run cost English Success@3; docs/ranking.md).
        means_before: regex of the words that, just before another company's name, make it the means of
            the player's own errand ("deposit *with my* Revolut card", "*با کارت* بانک ملت"), not its
            subject (`scope.Services.naming`); matched on normalized text, at the end of what precedes
            the name. "" where the language marks it otherwise.
        means_after: the same, as the particles right after the name (카카오뱅크*로* 출금, 업비트*에서*
            보냈는데), or the errand it is used for (کارت بانک سپه *رو برای واریز*), matched at the start of
            what follows it.
        setting_before, setting_after: the same, for the words that make a name the setting the player's
            errand happens in, the phone, browser, line or app they use ("*on my* iPhone", "*in* Chrome",
            "*تو* آیفون", "SKT *쓰는데*"): weaker than the means ("on Coinbase" is often Coinbase's own
            matter), and weighed apart (`service_setting`).
        owner_before: regex of the words that, just before another company's name, make it the owner of
            the thing asked about, where the language puts the owner after it (Persian ezafe: "*کیف پول*
            اسنپ", Snapp's wallet; "*احراز هویت* نوبیتکس"): a question about that company's own wallet,
            code or account (`scope.Naming.owned`); a name that is also the means or the setting is
            neither. "" where the owner comes first (English, Korean: "Binance withdrawal" may be ours).
        owner_at: regex of the words that, just before a word of place and another company's name, make
            the name the owner of the player's own account there ("*حسابم تو* دیوار", my account at Divar):
            a question about that company's account (`scope.Naming.owned`), not the setting of ours.
            "" where the language says it otherwise.
        addressing: regex of the words by which a text puts its question to the site itself ("you",
            "here", 여기, شما): a question that names another company and asks us is most often ours
            (`scope.Naming.addressed`); matched anywhere in the normalized text.
        taking_before, taking_after: regex of the words around another company's name that ask whether
            the site takes it, the name as a way to pay us ("can I top up *with* PhonePe", "is PayPal *one
            of the ways*", 카카오페이*로도 충전 돼요*, پرفکت مانی *میشه واریز کرد*): a question put to us
            like one that addresses us (`scope.Naming.addressed`); matched as `means_before`/`means_after`.
        contact_label: regex of the words that label a player's contact details or account number just
            before them ("my email is", "phone", 제 연락처, شماره من): dropped with the details from what
            search reads (`reading.what_is_asked`); matched on lower-cased text at the end of what
            precedes the details, in every reader's text (a Korean reader may write "email:").
        courtesy: regex of what a chat message wraps its question in, none of it about the question:
            greetings and thanks ("hi there", 안녕하세요, سلام وقت بخیر, ممنون), pleas for haste or help ("pls
            help asap", 빨리 답변 좀 주세요, سریع جواب بدید), apologies for asking ("sorry to bother you but",
            죄송한데요, ببخشید مزاحم میشم), announcing a question (문의드립니다, یه سوال داشتم), asking whether
            anyone is there ("hello?? anyone there??", 저기요, کسی هست؟), what the player feels ("this is
            ridiculous", 미치겠네요, اعصابم خورد شده) and sign-offs: dropped from what search reads
            (`reading.what_is_asked`) where they open or close a text, whole words only, in every reader's
            text. What is also a word of a question stays where it would be one: "وقت" (time) alone,
            "morning" closing a text ("since this morning"), "help" but for "help!!".
        nothing_alone: regex of the words that ask nothing when they are all a text is: a test ("test",
            테스트, تست), a reply to no question ("no", 네, آره), a question word with no question ("why",
            뭐, چی), a problem with nothing said about it ("I have a problem", 문제가 있어요, یه مشکل دارم);
            with numbers ("test 123") too (`reading.asks_nothing`), in every reader's text. Inside a
            question they are its words ("speed test", "no deposit bonus", "I think I have a problem").
    """

    code: str
    name: str
    direction: str
    fallback_rank: int
    run: str
    word: str
    analyze_run: Callable[[str], Terms]
    analyzer: dict
    owns: Callable[[str], bool] | None = None
    stop_words: bool = True
    morphemes: bool = False
    spelling: bool = False
    keyboard: Callable[[str], str] | None = None
    keys: Callable[[str], str] | None = None
    description_words: int = 6
    typing_states: Callable[[str], list[str]] = by_character
    initials: Callable[[str], str] | None = None
    normalize: Callable[[str], str] | None = None
    load: Callable[[], object] | None = None
    digits: str = "0123456789"
    format_date: Callable[[dt.date], str] = field(default=lambda day: day.isoformat())
    bigram_run: bool = True
    means_before: str = ""
    means_after: str = ""
    setting_before: str = ""
    setting_after: str = ""
    owner_before: str = ""
    owner_at: str = ""
    addressing: str = ""
    taking_before: str = ""
    taking_after: str = ""
    contact_label: str = ""
    courtesy: str = ""
    nothing_alone: str = ""
