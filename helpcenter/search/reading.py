"""Reading a partial query the way players type it: layouts, typos, the word being typed, abbreviations.

`read_query` turns what is on screen into a `Reading`: words typed with the keyboard in English layout
are converted (each language's keyboard, `Language.keyboard`) and Latin typos are corrected, but only
where the raw word is not itself a word of the knowledge base and the converted one is; the last word,
still being typed, is completed from the index's vocabulary (Korean by keystrokes, so 환ㅈ and 환저
complete to 환전; initial consonants ㅎㅈ also find 환전); titles and keywords the query begins or
abbreviates become best bets.
"""
from __future__ import annotations

import logging
import re
import string
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

from helpcenter import languages
from helpcenter.content import redact
from helpcenter.index.analysis import analyze, normalize
from helpcenter.index.vocabulary import SuggestVocab, Word, lookup_key, script_of
from helpcenter.languages import en, fa, finglish, hangul, ko
from helpcenter.languages.base import letter_put_back, neighbours_swapped

log = logging.getLogger(__name__)

COMPLETIONS = 5  # candidate words for the word being typed
COMPLETION_WEIGHT = 0.8  # the best completion, relative to a word typed in full; others scale down from it
PHRASE_PREFIX_MIN = 2  # keystrokes (jamo or letters) before titles and keywords are matched by their beginning
EXACT_SHARE, STOP_SHARE = 0.5, 0.25  # completions of a word typed in full / of a stop word count this much
SURE_KEYS = 3  # keystrokes of a word being typed after which its best completion counts fully


@dataclass(frozen=True)
class Reading:
    """How a partial query is understood.

    Attributes:
        text: the query as understood, the word being typed replaced by its best completion (encoder input).
        terms: analyzed terms of `text`: what the no-answer model, best bets and snippets see.
        weighted: terms to retrieve with and their weights (`terms` plus the other completions).
        phrases: slug -> best-bet score from titles and keywords the query begins (or abbreviates).
        rewrites: what was changed, e.g. ("layout:ko", "typo:acount>account"), for logs and tests.
        finished: the words typed in full, as understood (all of `text` but the word being typed).
    """

    text: str
    terms: tuple[str, ...]
    weighted: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, float] = field(default_factory=dict)
    rewrites: tuple[str, ...] = ()
    finished: str = ""


# --- pure helpers ----------------------------------------------------------------------------------

# the words labelling a contact detail, in any reader's text, at the end of what precedes it
_CONTACT_LABEL = re.compile(rf"(?:{'|'.join(lang.contact_label for lang in languages.LANGUAGES if lang.contact_label)})"
                            r"\s*[:=\-]?\s*$")
# what a chat message wraps its question in (`Language.courtesy`), as whole words, that open or close a text
# (not inside it: "hey" is also Finglish هی, "again and again"), with the punctuation around them. Korean
# chat's crying and laughing letters may be glued to one (급해요ㅠㅠ, 감사합니다ㅎㅎ). The marks after an opening
# one are taken only up to a space: a Persian text typed on the English layout begins with "," (و) or ";"
# (ک). "*+" (possessive) where giving marks back cannot help a match: each retry costs the whole alternation.
_COURTESIES = "|".join(lang.courtesy for lang in languages.LANGUAGES if lang.courtesy)
_MARKS = "[\\s,.!?:;؛،؟~…]*"
_OPENING = re.compile(rf"^{_MARKS}+(?:{_COURTESIES})[ㅠㅜㅡㅎㅋ]*+(?!\w)(?:{_MARKS}(?=\s|$))?")
_CLOSING = re.compile(rf"(?<!\w)(?:{_COURTESIES})[ㅠㅜㅡㅎㅋ]*+{_MARKS}+$")
# Each side drops at most COURTESIES, and a closing one is looked for in the text's last COURTESY_CHARS
# characters (the longest listed is under 50): every position the regex is tried at costs the whole
# alternation, and a player's text is read on every keystroke. Unbounded, "출금 ㅠ ㅠ ㅠ …" to 500 characters
# took 69 ms, now 2 (`bench/hostile_texts.py --reading-only`). A regex taking off a run of them at once was
# tried: a run of ㅠㅠ, which splits many ways, took it past 500 ms.
COURTESIES = 8
COURTESY_CHARS = 80
# what asks nothing when it is all a text is: "test 123", "no", "why?", 네, چی (`Language.nothing_alone`).
# Read in one pass: a word ends before a letter, one follows another only across marks or spaces, and
# neither is given back ("*+", "++"). Any two ways to split a text cost a retry each on a text that fails:
# words run together (kkkk…x: 24 k's took 18 s) or spaces shared by a gap and a word's own (مشکل دارم and
# three spaces, 14 times: 7 s)
_ALONE = "|".join(lang.nothing_alone for lang in languages.LANGUAGES if lang.nothing_alone)
_BETWEEN = "[\\s\\d.!?,؟~ㅠㅜㅡㅎㅋ]"
_WORD_ALONE = rf"(?:{_ALONE})(?![^\W\d_ㅠㅜㅡㅎㅋ])"
_NOTHING_ALONE = re.compile(rf"{_BETWEEN}*+{_WORD_ALONE}(?:{_BETWEEN}++{_WORD_ALONE})*+{_BETWEEN}*+")


def what_is_asked(query: str) -> str:
    """What `query` asks: without the personal data in it that stands as a word of its own
    (`redact.find`: e-mail addresses, phone, card and account numbers) and the words labelling it just
    before ("my email is", 제 연락처, شماره من), and without what a chat message wraps it in: greetings,
    thanks, pleas for haste, apologies for asking, "anyone there??", feelings, sign-offs (`Language.courtesy`).
    A player's details are for the ticket, not the question: "email" and "phone" beside them, or gmail in
    the address, read as a question about notifications, phishing or Gmail; سلام وقت بخیر (hello, good day)
    read as a question about times, لطفا سریع جواب بدید (please answer quickly) and 빨리 답변 좀 주세요 as
    one about replies and support, "sorry to bother you" and "hello?? anyone there??" as one about contact.
    A code glued to letters (error 0x80070005) stays; so does a text that is nothing else."""
    kept = _unwrapped(query)
    if not kept or kept == " ".join(query.split()):
        return query
    return kept + query[len(query.rstrip()):]


def _unwrapped(query: str) -> str:
    """`query` without its contact details and what it is wrapped in (`what_is_asked`), spaces made single:
    "" when that is all it is."""
    spans = [(s, e) for s, e, _, _ in redact.find(query)
             if (s == 0 or not query[s - 1].isalnum()) and (e == len(query) or not query[e].isalnum())]
    text = query
    for start, end in reversed(spans):
        label = _CONTACT_LABEL.search(fa.persian_letters(text[:start]).lower())
        text = text[:label.start() if label else start].rstrip() + " " + text[end:].lstrip()
    low = fa.persian_letters(text).lower()  # one character for one: a match in low indexes text
    for _ in range(COURTESIES):
        if not (m := _OPENING.search(low)):
            break
        text, low = " " + text[m.end():], " " + low[m.end():]
    for _ in range(COURTESIES):
        if not (m := _CLOSING.search(low, max(0, len(low) - COURTESY_CHARS))):
            break
        text, low = text[:m.start()] + " ", low[:m.start()] + " "
    return " ".join(text.split())


def asks_nothing(asked: str, read: str, terms: Sequence[str]) -> bool:
    """Whether a text asks nothing a knowledge base answers, as typed (`asked`) or as read (`read`: salam =
    سلام): nothing but what a chat message wraps a question in or a player's contact details (سلام,
    "thanks!", 안녕하세요, "hello?? anyone there??", an e-mail address), words that ask nothing alone
    ("test", "no", "why?", 네, چی: `Language.nothing_alone`), one letter alone (ک, but not a Hangul
    syllable, 돈), or numbers alone ("100", "1 2 3",
    "' OR 1=1 --": `terms` all numbers). Such a text finds some article all the same (a number quoted,
    سلام in an example, a self-test, the no-deposit bonus) and must not be answered with it."""
    if terms and not any(ch.isalpha() for t in terms for ch in t):
        return True
    return any(_nothing_left(_unwrapped(text)) for text in {asked, read} if text.strip())


def _nothing_left(kept: str) -> bool:
    letters = [ch for ch in kept if ch.isalpha()]
    # one letter alone (ک, "x?"): a key pressed, no word; a Hangul syllable is a word (돈, 홙 on its way to 환전)
    one_letter = len(letters) == 1 and not hangul.is_syllable(letters[0])
    return not letters or one_letter or _NOTHING_ALONE.fullmatch(kept.lower()) is not None


def asked_of_reading(asked: str, read: str) -> str:
    """`read`, what the text `asked` reads as (Finglish in Persian letters, a layout converted, faces and
    emoji dropped), without the courtesies that only the reading shows (salam … mamnoon = سلام … ممنون,
    چیکار کنم :( ): `what_is_asked` of it. `read` as it is where the reading changed no word: what the text
    wraps its question in was taken off already, as far as `COURTESIES` goes."""
    return read if read.split() == asked.split() else what_is_asked(read)


def _without_pictographs(text: str) -> str:
    """`text` with emoji and other pictographs (😭🙏‼️, their skin tones and joiners) as spaces: the
    analyzer drops them, but the encoder read them, and a question's vector moved with its emoji.
    Currency and arithmetic signs (€, →) stay."""
    if text.isascii():
        return text
    return "".join(" " if unicodedata.category(c) in ("So", "Sk") and not c.isascii() or c in "\ufe0f\u200d"
                   else c for c in text)


# a face typed in ASCII, as a word of its own: :( :(( :-) :D :P :/ ;) ): xD ^^ ^_^ -_- T_T <3
_ASCII_FACE = re.compile(r"(?<!\S)(?:[:;=][-'^]?[()\[\]DPpOo3|/\\*]+|[()]+[-']?[:;=]|[xX]D+|\^+[_-]?\^+"
                         r"|[-T][_.][-T]|<3)(?!\S)")


def _without_ascii_faces(text: str) -> str:
    """`text` with faces typed in ASCII (:( :(( ^^ -_-) as spaces, as `_without_pictographs` does with
    emoji: a sentiment, not what is asked; a closing word with one after it (چیکار کنم :() was no closing."""
    return _ASCII_FACE.sub(" ", text)


def _caps_lock_off(text: str) -> str:
    """`text` lower-cased when every letter in it is a capital Latin one, over two words or more (WITHDRAWAL
    PENDING: Caps Lock, or shouting): the encoder is cased and reads capitals as other words. An
    acronym alone (KYC), or beside Hangul or Persian (KYC 인증), stays."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 6 or not all(c.isascii() and c.isupper() for c in letters):
        return text
    return text.lower() if sum(1 for w in text.split() if sum(c.isalpha() for c in w) >= 2) >= 2 else text


# A word of this many Hangul syllables or more is Korean typed without spaces (출금신청했는데아직안들어왔어요): one
# eojeol that long is rare (a name: 한국도박문제예방치유원). Kiwi analyzes a run as it does the spaced text, but
# the encoder read it as one long word: over the Korean tuning halves run together (`bench/perturb.py --half
# tune --only "no spaces"`), decided right 0.977 -> 0.981, 23 -> 13 queries turned wrong against the spaced
# ones. Shorter words are spaced too eagerly for the compounds players spell as one (고객센터 -> 고객 센터,
# 문화상품권 -> 문화 상품권): from 7 syllables, 111 golden readings change and decisions move both ways.
RUN_SYLLABLES = 9


def _spaced_runs(words: list[str]) -> list[str]:
    """`words`, each Korean run of `RUN_SYLLABLES` syllables or more read as the words Kiwi spaces it into
    (`ko.spaced`): 토스비밀번호잊어버렸어요 -> 토스 비밀 번호 잊어버렸어요, where the encoder also reads the
    question as words and the naming of companies sees 토스 as a word of its own."""
    out = []
    for w in words:
        out.extend(ko.spaced(w).split() if sum(map(hangul.is_syllable, w)) >= RUN_SYLLABLES else [w])
    return out


def split_query(query: str) -> tuple[list[str], bool]:
    """Words of `query` (NFC, compatibility jamo, the Arabic keyboard's yeh and kaf as Persian letters:
    `fa.persian_letters`; jamo emoticons, emoji, ASCII faces and chat interjections dropped; a text all in capitals
    lower-cased; Korean run together spaced: `_spaced_runs`) and whether the last one is still being typed.

    A query that ends in a space (or an emoticon: 안됨ㅠㅠ) has no word in progress; nor does one whose
    last word was an interjection (the word before it is finished).
    """
    text = _caps_lock_off(_without_ascii_faces(_without_pictographs(
        hangul.strip_emoticons(hangul.to_compat(fa.persian_letters(query))))))
    words = text.split()
    kept = en.strip_interjections(words)
    typing = bool(text) and not text[-1].isspace() and (kept is words or not en.is_interjection(words[-1]))
    return _spaced_runs(kept), typing


def convert_layout(word: str, lang: str) -> str | None:
    """`word` re-read as typed on the reader's own keyboard left in English layout, or None.

    Korean readers: 2-beolsik ("ghkswjs" → 환전); Persian readers: the standard Persian keyboard
    ("fvnhaj" → برداشت); the marks ending a sentence after it stay ("gkskdy?" → 하나요?). English readers
    and words with other characters get None.
    """
    keyboard = languages.get(lang).keyboard
    end = _SENTENCE_END.search(word)
    word, marks = (word[:end.start()], end.group()) if end else (word, "")
    if keyboard is None or not languages.could_be_wrong_layout(word):
        return None
    head = _ACRONYM_HEAD.match(word) if lang == "ko" else None
    if head:  # KYCdlswmd: an acronym typed in English, the layout not switched back (KYC인증)
        return head.group() + keyboard(word[head.end():]) + marks
    letters = [c for c in word if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):  # Caps Lock, not Shift
        word = word.lower()
    return keyboard(word) + marks


# the marks that end a sentence, after a word typed on the wrong layout (gkskdy? = 하나요?): no letter's key
# in either layout ("," is و on the Persian keyboard)
_SENTENCE_END = re.compile(r"(?<=[^?!.])[?!.]+$")
# two capitals or more opening a word that goes on in small letters: an acronym (KYC, OTP, RTP), since no
# Korean word begins with two shifted keys (ㅃㅉㄸㄲㅆㅒㅖ)
_ACRONYM_HEAD = re.compile(r"[A-Z0-9]*[A-Z]{2}[A-Z0-9]*(?=[a-z])")


def match_strength(vocab: SuggestVocab, word: str, partial: bool) -> int:
    """How well `word` fits the knowledge base: 2 a known word, 1 the beginning of one (only while it is
    being typed), 0 neither.

    Known: a word of the articles; for a finished word also one whose analyzed terms all are, numbers
    aside, and one is a word (Korean 환전을요 → 환전, 24시간 → 24, 시간). A word still being typed must be
    known as it stands: Kiwi makes known fragments of half-typed Korean (비번까머 → 비번, 까).
    """
    norm = normalize(word).strip()
    if not norm:
        return 0
    if vocab.known(norm):
        return 2
    if not partial:
        words = [t for t in analyze(norm) if not t.isdigit()]
        return 2 if words and all(t in vocab.terms for t in words) else 0
    if hangul.is_choseong_query(word):
        return 1 if vocab.by_choseong(word, 1) else 0
    return 1 if vocab.completions_count(norm) else 0


_DRAWN_OUT = re.compile(r"([^\W\d_])\1{2,}")  # a letter typed three times or more running


def _undrawn(word: str, vocab: SuggestVocab, partial: bool) -> str:
    """`word` with a letter drawn out for emphasis (withdrawalll, نمیادددد, fvnhajjjj: برداشت on the
    English layout) typed once, or twice where that makes a known word (pendinggg is pending, but
    helllo is hello): no word of ours holds a letter three times running. Not in a web address
    (www.) or a word with digits."""
    if not _DRAWN_OUT.search(word) or any(c.isdigit() or c in "./@" for c in word):
        return word
    twice = _DRAWN_OUT.sub(r"\1\1", word)
    return twice if match_strength(vocab, twice, partial) else _DRAWN_OUT.sub(r"\1", word)


def is_stop_word(word: str) -> bool:
    """A Latin or Persian word the analyzer drops (how, the, my, ای): fine as typed, never 'corrected',
    and a weak guess at the word being typed ("with" may become "withdraw", "i" rarely means "id")."""
    norm = normalize(word)
    return norm.isalpha() and languages.get(script_of(norm)).stop_words and not analyze(norm)


def _fine_as_typed(word: str, vocab: SuggestVocab) -> bool:
    """A stop word or a common English word: never re-read on another keyboard, spelling or script."""
    return is_stop_word(word) or normalize(word) in vocab.english


def completion_weights(words: list[Word], best: float = COMPLETION_WEIGHT) -> dict[str, float]:
    """Term weights for candidate completions: the heaviest word gets `best`, others by the square root
    of their weight relative to it (so a rare word still counts a little)."""
    out: dict[str, float] = {}
    if not words:
        return out
    top = max(w.weight for w in words) or 1.0
    for w in words:
        weight = best * (w.weight / top) ** 0.5
        for t in w.terms:
            out[t] = max(out.get(t, 0.0), weight)
    return out


def completion_confidence(typed: str, how: str, context: bool) -> float:
    """How much a completion of the word being typed may count, 0–1.

    Alone in the query, the completion is all there is to go on (1). After other words, it grows with
    the keystrokes typed (ㅂ after "소수점 배당 분수" says little: 1/3; three keys or more: 1). An
    initial-consonant abbreviation is deliberate (1).
    """
    if not context or how == "choseong":
        return 1.0
    return min(1.0, len(lookup_key(typed)) / SURE_KEYS)


def phrase_prefix_scores(vocab: SuggestVocab, words: list[str]) -> dict[str, float]:
    """Best bets for titles, keywords and headings that the end of the query begins.

    "비번 찾" begins the keyword "비번 찾기", "how to with" begins "how to withdraw". A match's score is the
    share of the query it covers times how much of the phrase has been typed (half credit for none of it).
    """
    out: dict[str, float] = {}
    total = len(lookup_key(" ".join(words)))
    if not total:
        return out
    # the shortest tails first, up to the longest phrase: a 500-character text run into 250 Korean words
    # read every tail's keys, 0.2 s a keystroke (`bench/hostile_texts.py`)
    for i in reversed(range(len(words))):
        tail = " ".join(words[i:])
        typed = len(lookup_key(tail))
        if typed > vocab.longest_phrase_key:
            break
        if typed < PHRASE_PREFIX_MIN:
            continue
        for p in vocab.phrases_with_prefix(tail):
            s = (typed / total) * (0.5 + 0.5 * typed / max(typed, len(lookup_key(p.text))))
            if s > out.get(p.slug, 0.0):
                out[p.slug] = s
    return out


def choseong_phrase_scores(vocab: SuggestVocab, words: list[str]) -> dict[str, float]:
    """Best bets for Korean titles and keywords whose initial consonants start with the query's
    (every word of it an abbreviation: ㅂㅁㅂㅎ, ㅂㅂ ㅊㄱ)."""
    if not words or not all(hangul.is_choseong_query(w) for w in words):
        return {}
    typed = "".join(hangul.choseong(w) for w in words)
    out: dict[str, float] = {}
    for p in vocab.phrases_by_choseong(typed):
        s = 0.5 + 0.5 * len(typed) / max(len(typed), len(hangul.choseong(p.text)))
        if s > out.get(p.slug, 0.0):
            out[p.slug] = s
    return out


def _complete_word(vocab: SuggestVocab, word: str) -> tuple[list[Word], str, str]:
    """Completions of the word being typed: (words, the part of `word` they complete, how found)."""
    if hangul.is_choseong_query(word):
        return vocab.by_choseong(word, COMPLETIONS), word, "choseong"
    found = vocab.complete(word, COMPLETIONS)
    if found:
        return found, word, "prefix"
    language = languages.get(script_of(word))
    if language.spelling:
        return vocab.complete_fuzzy(word, COMPLETIONS), word, "typo"
    if language.morphemes:
        # Korean often runs words together (비번까머): complete the longest tail of two characters or more
        # that has completions, after a head the analyzer reads as a known word (not 아닌가요 → 아닌+가요)
        for i in range(1, len(word) - 1):
            head, tail = word[:i], word[i:]
            terms = analyze(head)
            if not terms or not all(t in vocab.terms for t in terms):
                continue
            found = vocab.complete(tail, COMPLETIONS)
            if found:
                return found, tail, "prefix"
    return [], word, ""


def _convert_layouts(words: list[str], last_partial: bool, lang: str, vocab: SuggestVocab) -> list[str]:
    """Words typed with the keyboard in English layout, re-read where that makes them known words.

    Once one word clearly was typed that way, a tie (both readings begin known words) goes to the
    converted reading too: "ghkswjs d" is 환전 ㅇ, not 환전 d. Once half the words that have another
    reading clearly were typed that way, a finished word known in neither reading is converted as well:
    "fhrmdls dksehody" is 로그인 안돼요 (the encoder reads 안돼요; it cannot read dksehody). In such a
    query a stop word (در, typed "nv") counts as known, and as one of those words: "m,gl ;d fi ;hvjl
    ldvsi" is پولم کی به کارتم میرسه. Alone it proves nothing ("ha" in Finglish would be اش), and neither
    does a finished word read as one syllable (Finglish "ro" would be 개). So does a word unknown as typed
    that is an everyday Persian word (`finglish.writes`: براتون, فرستادم, چقدره), no word of the articles.

    Korean is typed in whole syllables, which Latin letters typed as jamo rarely make (`_whole_syllables`):
    once one word clearly was typed on the wrong layout, a word known in neither reading that makes whole
    syllables is read as Korean ("qhsdlsdlswmd dho godi gkskdy?" is 본인인증 왜 해야 하나요?); one that
    makes three or more is that clear alone (rPwjdwjdwlajrdma, 계정정지먹음); and loose jamo that are no
    emoticon are not read as Korean even among many Korean words (KT stays KT, not ㅏㅅ; bb is ㅠㅠ).
    """
    strengths = []  # per word: (its other reading or None, how known that reading is, how known the word is)
    for i, w in enumerate(words):
        conv = convert_layout(w, lang)
        if conv is None:  # no other reading: the word stays as typed, and how known it is does not matter
            strengths.append((None, -1, 0, False))
            continue
        partial = last_partial and i == len(words) - 1
        raw = match_strength(vocab, w, partial)
        if raw < 2 and _fine_as_typed(w, vocab):
            raw = 2  # fine as typed
        strengths.append((conv, match_strength(vocab, conv, partial), raw, partial))

    def clearly(strengths) -> int:  # words whose other reading is better known, and not one letter, or
        # unknown either way but whole Korean syllables, three or more (rPwjdwjdwlajrdma = 계정정지먹음), or
        # Persian letters typed with a key that is punctuation in English, opening the word or in it (;kl)
        return sum(1 for (c, cs, rs, partial), w in zip(strengths, words) if c is not None and (
            (cs > rs and (partial or len(c) > 1)) or (rs == 0 and not partial and (
                _whole_syllables(c, lang, 3) or _persian_keys_in(w, c, lang, vocab)))))

    clear = clearly(strengths)
    if clear:  # a stop word, or a word unknown as typed that is an everyday Persian one, counts as known
        strengths = [(c, 2 if c is not None and not partial and (
                          is_stop_word(c) or (rs == 0 and lang == "fa" and finglish.writes(c))) else cs, rs, partial)
                     for c, cs, rs, partial in strengths]
    mostly = clear and 2 * clearly(strengths) >= sum(1 for c, *_ in strengths if c is not None)
    out = []
    for w, (conv, conv_s, raw_s, partial) in zip(words, strengths):
        better = conv_s > raw_s and (clear or partial or len(conv) > 1)
        tie = clear and conv_s == raw_s > 0
        unknown_either_way = conv is not None and raw_s == 0 and not partial and (
            (mostly and _shaped_as_typed(conv, lang)) or (clear and _whole_syllables(conv, lang)))
        out.append(conv if conv is not None and (better or tie or unknown_either_way) else w)
    return out


def _whole_syllables(converted: str, lang: str, least: int = 1) -> bool:
    """Whether a word re-read on the Korean keyboard is whole syllables (하나요, 왜), at least `least`, as
    words typed on it are: Latin letters typed as jamo rarely alternate into them (kt -> ㅏㅅ, app -> ㅁㅔㅔ)."""
    letters = [c for c in converted if c.isalpha() and not c.isascii()]  # not an acronym kept (KYC인증)
    return lang == "ko" and len(letters) >= least and all(map(hangul.is_syllable, letters))


# the keys of Persian letters that type punctuation in English layout (ک ج چ گ, and و opening a word: in
# one, "ok,thanks" is English run together), before another letter's key
_KEY_MARKS = re.compile(r"(?:^,|[;\[\]'])(?=[A-Za-z;\[\]',])")
_KEY_MARK_RUNS = re.compile(r"[;\[\]',]+")


def _persian_keys_in(typed: str, converted: str, lang: str, vocab: SuggestVocab) -> bool:
    """Whether a Persian reader's word of two letters or more was typed across a key that is a Persian
    letter and punctuation in English, before another letter (;kl = کنم, ',dd = گویی, ,hvdc = واریز):
    no English or Finglish word is typed so, but an English contraction (don't) is left as typed."""
    if lang != "fa" or len(converted) < 2 or not converted.isalpha() or not _KEY_MARKS.search(typed):
        return False
    pieces = [p for p in _KEY_MARK_RUNS.split(typed) if p]
    return not all(_fine_as_typed(p, vocab) for p in pieces)


def _shaped_as_typed(converted: str, lang: str) -> bool:
    """Whether a word re-read on the reader's keyboard is shaped as what players type on it: any Persian
    letters; Korean whole syllables or a jamo emoticon (bb = ㅠㅠ), not loose jamo (KT = ㅏㅅ)."""
    return lang != "ko" or _whole_syllables(converted, lang) or not hangul.strip_emoticons(converted).strip()


# An English word typed with the keyboard still in the reader's layout (صهفایقشص is "withdraw"): read back
# only when it is a whole word of the articles of this many letters or more, and the typed one is none.
OWN_LAYOUT_LETTERS = 4


def _english_on_own_layout(words: list[str], last_partial: bool, lang: str, vocab: SuggestVocab) -> list[str]:
    """Finished words in the reader's script that no article has, re-read as the Latin keys that typed
    them where those spell an article's word (`OWN_LAYOUT_LETTERS`): the other direction of
    `_convert_layouts`. A word being typed stays: its keys are as often the start of any English word."""
    keys = languages.get(lang).keys
    if keys is None:
        return words
    out = list(words)
    for i, w in enumerate(words):
        if (last_partial and i == len(words) - 1) or script_of(w) != lang:
            continue
        latin = keys(normalize(w))
        if (len(latin) >= OWN_LAYOUT_LETTERS and latin.isascii() and latin.isalpha()
                and match_strength(vocab, latin, False) == 2 and not match_strength(vocab, w, False)):
            out[i] = latin
    return out


FINGLISH_CANDIDATES = 8  # Persian spellings tried per Latin word


def _finglish_read(words: list[str], lang: str, vocab: SuggestVocab) -> tuple[bool, bool]:
    """Whether `words`' Latin words are read as Finglish, and whether the whole text reads as Finglish
    (`finglish.looks_finglish`): a Persian reader's always; an English reader's only when the whole text
    does ("my withdrawal is pending" stays English); a Korean reader's never (English, or Korean typed in
    the English layout)."""
    whole = finglish.looks_finglish(" ".join(words), vocab.english)
    return lang == "fa" or (whole and languages.get(lang).keyboard is None), whole


def _join_finglish(words: list[str], last_partial: bool, lang: str, vocab: SuggestVocab) -> list[str]:
    """Two Finglish words that are one word split by a stray space ("mas dood" = مسدود, "bar dasht" =
    برداشت: `finglish.joins`) typed as one, when the joined word reads as a word of the knowledge base and
    one of the two alone reads as none ("cash out" stays two: کش and اوت are both words of the articles);
    read where `_read_finglish` would read them (a Persian reader's Latin words, an English reader's
    when the whole text is Finglish), never the word still being typed."""
    latin = [w.isascii() and w.isalpha() and not finglish.latin_term(w) for w in words]
    if sum(latin) < 2 or not _finglish_read(words, lang, vocab)[0]:
        return words

    def reads(word: str, limit: int = FINGLISH_CANDIDATES) -> bool:  # as typed or in a Persian spelling
        return any(match_strength(vocab, w, False) == 2 for w in (word, *finglish.candidates(word, limit)))

    out: list[str] = []
    i, last = 0, len(words) - (2 if last_partial else 1)
    while i < len(words):
        if (i < last and latin[i] and latin[i + 1] and finglish.joins(words[i], words[i + 1])
                and not (reads(words[i]) and reads(words[i + 1])) and reads(words[i] + words[i + 1], 3)):
            out.append(words[i] + words[i + 1])
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


def _read_finglish(words: list[str], last_partial: bool, lang: str, vocab: SuggestVocab) -> list[str]:
    """Latin words re-read as Persian typed in Latin letters (Finglish: "pool variz kardam" = پول واریز
    کردم), like a layout: a word becomes its likeliest Persian spelling that is a word of the knowledge
    base (or a Persian stop word) when the word as typed is not one.

    Persian readers' Latin words are always tried; English readers' only when the whole text reads as
    Finglish (`finglish.looks_finglish`): "my withdrawal is pending" stays English. When it does, a
    known Persian spelling wins even over a Latin word known as typed, and a Latin word no spelling
    makes known still becomes its likeliest spelling (the encoder reads Persian far better than Persian
    in Latin letters), unless it is a known word as typed (usdt, bonus). Tokens Persian text writes in
    Latin letters (`finglish.latin_term`: usdt, trc20, and trc on the way to it) are never re-read. A word
    the Finglish lexicon lists is read as listed (`finglish.spelled`: khaste = خسته, though خواسته, a form of
    khast, is an article word), so a greeting is read as one (salam khaste nabashid).
    """
    latin = [i for i, w in enumerate(words) if w.isascii() and any(c.isalpha() for c in w)]
    if not latin:
        return words
    read, whole = _finglish_read(words, lang, vocab)
    if not read:
        return words
    out = list(words)
    for i in latin:
        w = words[i]
        if finglish.latin_term(w):
            continue  # usdt, trc20 (and trc, typed on the way to it) are written in Latin letters in Persian
        partial = last_partial and i == len(words) - 1
        raw = match_strength(vocab, w, partial)
        if raw < 2 and (is_stop_word(w) or (not whole and normalize(w) in vocab.english)):
            raw = 2  # fine as typed
        # in Finglish text a known Persian spelling wins even over a known Latin word: editors put some
        # Finglish in keywords (bardasht), but the articles are written in Persian
        best, best_s = None, min(raw, 1) if whole else raw
        spellings = finglish.candidates(w, FINGLISH_CANDIDATES)
        # a word the lexicon spells is that word (khaste is خسته, however known خواسته is)
        spellings = [p for p in spellings if p in finglish.spelled(w)] or spellings
        for persian in spellings:
            strength = 2 if is_stop_word(persian) else match_strength(vocab, persian, partial)
            if strength > best_s:
                best, best_s = persian, strength
                if strength == 2:
                    break
        if best is None and whole and raw < 2 and spellings and not partial:
            best = spellings[0]
        if best is not None:
            out[i] = best
    return out


_PUNCTUATION = "؟?!.,،:؛"


# Other spellings of a finished Korean or Persian word that no article has, tried in this order until
# one is a word of the articles: Persian without a spoken ending, with its spoken vowel written, with a
# sound-alike letter; Korean with a sound-alike vowel.
_RESPELLINGS = {"fa": (fa.spoken_stems, fa.written_vowels, fa.confusable_spellings),
                "ko": (hangul.vowel_confusions,)}
# A Korean word of this many syllables or more that no article has, one jamo away (`hangul.key_slips`)
# from a word an article has as it stands, is that word mistyped. Shorter words and words known only
# through their analysis are too often everyday words the articles lack (지금, 세금, 하나요).
KEY_SLIP_SYLLABLES = 3
# A slip read back must make the word likelier Korean to Kiwi (`ko.fluency`) by this much: a mistyped
# word scores far lower than the word meant (캐시아읏 -> 캐시아웃 +7.8, 조견이 -> 조건이 +3.1), an everyday
# word the articles lack no lower than an article's word one key away (지금까지 -> 지급까지 -11.2, 하다가 ->
# 하나가 -0.8, 충전기 -> 충전이 +1.1). Over the golden sets' words no article has, the guard keeps every
# right slip of three syllables or more and drops 5 wrong ones (and 날라감 -> 날아감).
KEY_SLIP_FLUENCY = 2.0
# ... and a word of two syllables, too often an everyday word, only when exactly one slip gains this much
# (출긍 -> 출금 +8.6, 싱청 -> 신청 +10.5; not 밤에 -> 방에 -2.0, 막을 -> 말을 +6.3): 11 rewrites, one wrong
# (머임, slang for 뭐임, -> 모임); at 5, 16 with four wrong.
KEY_SLIP_FLUENCY_SHORT = 8.0
# A Persian word no article has that is two words typed without the space (قفلشده, واریزکردم, بایدوارد):
# read as the two, when each has this many letters or more and is a known word or a stop word, and one
# is known. Shorter parts split everyday words the articles lack (امروز -> ام روز, همکاری -> هم کاری,
# تاکسی -> تا کسی). Over the fitted sets' Persian tuning halves ten words are read as two (twelve times):
# six joined pairs, three compounds read apart (دورکاری, خوشامد, خبرنامه), one word wrongly (کاربرای, users,
# -> کار برای); a word typed with a half-space is never split (`_unjoined`).
JOINED_LETTERS = 3


def _analyzed_length(text: str) -> int:
    return sum(len(t) for t in analyze(text))


def _respell(words: list[str], last_partial: bool, vocab: SuggestVocab) -> list[str]:
    """Finished Korean and Persian words no article has, read as another spelling one has, as the keyboard
    layout is: a spoken Persian ending taken off (سایتتون → سایت, کلاهبرداریه → کلاهبرداری, بازیاتون →
    بازی), a spoken Persian vowel written (مونده → مانده), a Persian letter typed for its sound-alike
    (واریذ → واریز, حساپ → حساب), a Korean vowel (고객샌터 → 고객센터). A Korean respelling must leave the
    analyzer as much to read as the word did (내일, a word the articles lack, would otherwise become 네일,
    which Kiwi reads as 일), and be likelier Korean to it (`ko.fluency`: 매일, every day, is not 메일).
    Last, a Korean word with one jamo typed on a neighbouring key (재설졍 → 재설정; `KEY_SLIP_SYLLABLES`,
    `KEY_SLIP_FLUENCY`), a Persian one typed for two without the space (قفلشده → قفل شده; `JOINED_LETTERS`)."""
    out = list(words)
    for i, w in enumerate(words):
        script = script_of(w)
        respellings = _RESPELLINGS.get(script, ())
        if not respellings or (last_partial and i == len(words) - 1) or is_stop_word(w):
            continue
        bare = normalize(w).strip(_PUNCTUATION)
        if not bare:
            continue
        if match_strength(vocab, bare, False):
            if script != "ko" or vocab.known(bare):
                continue
            other = _mended_korean(bare, vocab)
        else:
            other = _respelling(bare, script, vocab) or (_unjoined(w, bare, vocab) if script == "fa" else None)
        if other:
            out[i] = other + w[len(w.rstrip(_PUNCTUATION)):]  # the question mark stays
    return out


def _respelling(bare: str, script: str, vocab: SuggestVocab) -> str | None:
    """The first of `bare`'s other spellings (`_RESPELLINGS`) that is a known word, else for a Korean word
    the first key slip that is an article's word as it stands and likelier Korean (`KEY_SLIP_SYLLABLES`,
    `KEY_SLIP_FLUENCY`; two syllables: the only such slip, `KEY_SLIP_FLUENCY_SHORT`), for a Persian word
    that the Finglish lexicon does not write (an everyday word: میشه, الان, گفتن) a preposition typed onto
    an article word (باکارت → با کارت: `_after_a_preposition`), else the one article word that one
    sound-alike letter makes of a word of three letters (عکص → عکس), or a dropped letter put back makes of
    one of five or more (قواین → قوانین), else two neighbouring letters put back in order (شاکیت → شکایت),
    else one letter typed back from the key beside it (مرحلع → مرحله)."""
    for other in (s for spell in _RESPELLINGS[script] for s in spell(bare)):
        if match_strength(vocab, other, False) == 2 and (script != "ko" or (
                _analyzed_length(other) >= _analyzed_length(bare) and ko.fluency(other) > ko.fluency(bare))):
            return other
    if script == "ko" and len(bare) >= KEY_SLIP_SYLLABLES:
        # a slip swaps one precomposed syllable for another: as normalized as `bare` already
        return next((o for o in hangul.key_slips(bare)
                     if vocab.known(o) and ko.fluency(o) - ko.fluency(bare) > KEY_SLIP_FLUENCY), None)
    if script == "fa" and not finglish.writes(bare):  # a slip of the thumb, in a word no one spells so
        return (_after_a_preposition(bare, vocab)
                or _the_one_known(vocab, fa.confusable_spellings(bare, least=3) if len(bare) == 3 else [],
                                  fa.with_a_letter_added(bare), fa.with_two_letters_swapped(bare),
                                  fa.with_a_neighbouring_key(bare)))
    if script == "ko" and len(bare) == 2 and all(hangul.is_syllable(c) for c in bare):
        likelier = [o for o in dict.fromkeys(hangul.key_slips(bare))
                    if vocab.known(o) and ko.fluency(o) - ko.fluency(bare) >= KEY_SLIP_FLUENCY_SHORT]
        return likelier[0] if len(likelier) == 1 else None
    return None


# Persian prepositions typed onto the next word without the space (باکارت, بهحساب, ازسایت)
_PREPOSITIONS = ("با", "به", "از")


def _after_a_preposition(bare: str, vocab: SuggestVocab) -> str | None:
    """A Persian word no article has read as a preposition typed onto an article's word of
    `JOINED_LETTERS` or more (باکارت -> با کارت, not باکارات, baccarat, a letter put back); None else.
    `_unjoined` leaves such a two-letter part alone: a word whose rest is no article word (بازار, بهتر)."""
    return next((f"{p} {bare[len(p):]}" for p in _PREPOSITIONS if bare.startswith(p)
                 and len(bare) - len(p) >= JOINED_LETTERS and match_strength(vocab, bare[len(p):], False) == 2),
                None)


def _the_one_known(vocab: SuggestVocab, *kinds: list[str]) -> str | None:
    """The one article word among the first kind of slip read back that gives any; None when that kind
    gives two or more (which was meant is not known) or no kind gives one."""
    for candidates in kinds:
        found = {o for o in candidates if vocab.known(o)}
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def _mended_korean(bare: str, vocab: SuggestVocab) -> str | None:
    """A Korean word no article has that passes for known only because Kiwi keeps its known morphemes and
    drops the mistyped rest (해외렬제 -> 해외, 영옵일 -> 영): the one article word, as it stands, one vowel
    said alike or one key away (`hangul.vowel_confusions`, `hangul.key_slips`) that gives the analyzer more
    to read (the dropped morpheme back: not 받나요 -> 받아요, both 받) and is likelier Korean by more than
    `KEY_SLIP_FLUENCY` (해외결제 +17.8). Words of `KEY_SLIP_SYLLABLES` or more only."""
    if len(bare) < KEY_SLIP_SYLLABLES or not all(hangul.is_syllable(c) for c in bare):
        return None
    slips = dict.fromkeys([*hangul.vowel_confusions(bare), *hangul.key_slips(bare)])
    found = [o for o in slips if vocab.known(o) and _analyzed_length(o) > _analyzed_length(bare)
             and ko.fluency(o) - ko.fluency(bare) > KEY_SLIP_FLUENCY]
    return found[0] if len(found) == 1 else None


def _unjoined(typed: str, bare: str, vocab: SuggestVocab) -> str | None:
    """A Persian word (`typed`, `bare` normalized) read as two typed without the space between them
    (`JOINED_LETTERS`), the first such split from the left; None when there is none, or when it was
    typed with a half-space: its writer marked where its parts meet (هفته‌ست is not هفت هست)."""
    if fa.has_half_space(typed):
        return None

    def fits(part: str) -> bool:
        return is_stop_word(part) or match_strength(vocab, part, False) == 2

    for i in range(JOINED_LETTERS, len(bare) - JOINED_LETTERS + 1):
        first, second = bare[:i], bare[i:]
        if fits(first) and fits(second) and not (is_stop_word(first) and is_stop_word(second)):
            return f"{first} {second}"
    return None


def _spell_out(words: list[str], vocab: SuggestVocab) -> tuple[list[str], list[str]]:
    """Finished words: initial-consonant abbreviations spelled out, typos in Latin words corrected.

    Returns the words and what was rewritten.
    """
    out, rewrites = list(words), []
    for i, w in enumerate(words):
        if hangul.is_choseong_query(w):
            found = vocab.by_choseong(w, 1)
            if found:
                rewrites.append("choseong")
                out[i] = found[0].text
        else:
            fix = _correction(w, vocab)
            if fix:
                rewrites.append(f"typo:{normalize(w)}>{fix}")
                out[i] = fix
    return out, rewrites


def _correction(word: str, vocab: SuggestVocab, min_letters: int = 0) -> str | None:
    """The article word a Latin `word` of `min_letters` or more is a typo of (`SuggestVocab.correct`), or
    None: a known word, a stop word, a word too far from any."""
    if (len(word) < min_letters or not languages.get(script_of(word)).spelling or is_stop_word(word)
            or match_strength(vocab, word, False)):
        return None
    fix = vocab.correct(word, 1)
    return fix[0].text if fix else None


# Search corrects only Latin words this long: shorter ones are as often names and abbreviations a
# correction would turn into an article's word (gmail -> email, popup -> topup, btts -> bets), and so
# into a confident answer to a question the knowledge base does not answer.
SEARCH_TYPO_LETTERS = 6
# ... and a shorter one of this many letters or more only when two neighbouring letters typed the wrong way
# round, else one letter put back inside it, make one article word (emial -> email, spisn -> spins, cdoe ->
# code; numbr -> number, apeal -> appeal, mony -> money): over the tuning halves 6 swapped words and 9
# dropped-letter words, all right; at three letters 4 of 4 swaps were wrong (lte, LTE, -> let; aks).
SHORT_SLIP_LETTERS = 4


def _short_word_slip(word: str, vocab: SuggestVocab) -> str | None:
    """The one article word a Latin `word` of `SHORT_SLIP_LETTERS` to `SEARCH_TYPO_LETTERS` - 1 letters
    makes with two neighbouring letters put back in order, else with one letter put back between two of
    its letters; None for a known, English, stop or Finglish word."""
    norm = normalize(word)
    if (not SHORT_SLIP_LETTERS <= len(norm) < SEARCH_TYPO_LETTERS or not (norm.isascii() and norm.isalpha())
            or _fine_as_typed(norm, vocab) or finglish.knows(norm) or match_strength(vocab, norm, False)):
        return None
    return _the_one_known(vocab, neighbours_swapped(norm), letter_put_back(norm, string.ascii_lowercase))


def _read_last_word(last: str, context: bool,
                    vocab: SuggestVocab) -> tuple[str, tuple[str, ...], dict[str, float], str]:
    """The word being typed: (its best reading, that reading's terms, weights of all candidates' terms,
    the rewrite made or "").

    Args:
        last: the word as on screen (after any layout conversion).
        context: whether other words come before it (then a short beginning counts little).
    """
    found, completed, how = _complete_word(vocab, last)
    rewrite = ""
    if how == "choseong" and found:
        rewrite = "choseong"
    elif how == "typo" and found:
        rewrite = f"typo:{normalize(last)}>{found[0].text}"
    head = last[: len(last) - len(completed)]
    head_terms = analyze(head) if head else ()
    exact = match_strength(vocab, last, True) == 2
    stop = is_stop_word(last)
    sure = completion_confidence(completed, how, context or bool(head))
    if exact or stop:  # a whole word already: it leads, completions follow
        best_text, best_terms = last, analyze(last)
    elif found and sure >= 0.6:
        best_text, best_terms = head + found[0].text, head_terms + found[0].terms
    elif found:  # a letter or two after other words: too early to let a guess speak for the query
        best_text, best_terms = head, head_terms
    else:  # nothing begins with it: as typed (an unknown word tells the no-answer model something)
        best_text = last
        best_terms = () if hangul.is_choseong_query(last) else analyze(last)
    share = STOP_SHARE if stop else EXACT_SHARE if exact else 1.0
    weighted = completion_weights(found, COMPLETION_WEIGHT * sure * share)
    typed_in_full = exact or stop or not found
    for t in head_terms:
        weighted[t] = 1.0
    for t in best_terms:
        if t not in head_terms:
            weighted[t] = 1.0 if typed_in_full else max(weighted.get(t, 0.0), COMPLETION_WEIGHT * sure)
    return best_text, tuple(best_terms), weighted, rewrite


def _complete_last_word(words: list[str], vocab: SuggestVocab) -> list[str]:
    """A query whose last word was left half-typed (Enter pressed on "withdr", 캐시아, "free spi", برداش),
    when that word is no word of the knowledge base, nor a stop word or a common English word:

    - after other words that begin a title, keyword or heading word for word, the phrase's next word,
      however short the fragment and however long the query (ثبت نا → ثبت نام, واریز ارز دیجیتا →
      واریز ارز دیجیتال): the player was typing the editors' own words;
    - else, in a short query, its heaviest completion after `SURE_KEYS` keystrokes or more. Only when at
      most one other word carries meaning: in a longer query the other words say what it is about, and its
      last word is more often a finished colloquial form that begins a formal one (میده, میدهد) or another
      word altogether (خودم, خودمحرومی)."""
    last = words[-1] if words else ""
    if (_fine_as_typed(last, vocab)
            or (match_strength(vocab, last, False) and not _morphemes_cut_short(last, vocab))):
        return words
    key = lookup_key(last)
    if len(words) > 1:
        head = [normalize(w) for w in words[:-1]]
        for p in vocab.phrases_with_prefix(" ".join(words), 5):
            pw = p.text.split()
            if len(pw) >= len(words) and pw[:len(head)] == head:
                return words[:-1] + _words_begun(pw[len(head):], key)
    if sum(not is_stop_word(w) for w in words[:-1]) > 1 or len(key) < SURE_KEYS:
        return words
    found = vocab.complete(last, 1)
    return words[:-1] + [found[0].text] if found else words


def _morphemes_cut_short(word: str, vocab: SuggestVocab) -> bool:
    """A Korean word no article has as typed that begins one: its analyzed terms are known only because
    Kiwi reads the half-typed rest as morphemes it drops (이용제하 -> 이용, not 이용제한; 해키 -> 키)."""
    norm = normalize(word)
    return (bool(languages.get(script_of(norm)).morphemes) and not vocab.known(norm)
            and vocab.completions_count(norm) > 0)


def _words_begun(words: list[str], key: str) -> list[str]:
    """The first of a phrase's `words` that a typed word (its `lookup_key`) begins or runs over: one for
    نا (نام), two for a word typed without the space between them (خوشامد: خوش امد)."""
    run = ""
    for n, w in enumerate(words, 1):
        run += lookup_key(w)
        if run.startswith(key):
            return words[:n]
    return words


def read_whole_query(query: str, lang: str, vocab: SuggestVocab) -> str:
    """A whole query (search, not suggest) as understood: its words as `split_query` gives them (jamo
    emoticons dropped), words typed with the keyboard in English layout converted (`_convert_layouts`),
    Finglish read as Persian (`_read_finglish`), a half-typed last word completed (`_complete_last_word`),
    Korean and Persian words respelled where that makes a known word (`_respell`), Latin typos of
    `SEARCH_TYPO_LETTERS` letters or more corrected, shorter ones' swapped or dropped letters
    (`_short_word_slip`); otherwise as typed."""
    words = [_undrawn(w, vocab, False) for w in split_query(query)[0]]
    words = _english_on_own_layout(_join_finglish(words, False, lang, vocab), False, lang, vocab)
    read = _complete_last_word(_read_finglish(_convert_layouts(words, False, lang, vocab), False, lang, vocab),
                               vocab)
    read = [_correction(w, vocab, SEARCH_TYPO_LETTERS) or _short_word_slip(w, vocab) or w
            for w in _respell(read, False, vocab)]
    return query if read == query.split() else " ".join(read)


def read_query(query: str, lang: str, vocab: SuggestVocab) -> Reading:
    """Understand a partial query: layout, Finglish, typos, the word being typed, abbreviations.

    A word is rewritten only when that helps: converted from the wrong keyboard layout when the converted
    word is known (or, while it is being typed, begins a known word) and the raw one is not; corrected
    when it is a Latin word of 4+ letters that is neither an article word, a common English word nor a
    stop word, and (while typed) begins no known word.

    Args:
        query: the text on screen, as typed (a trailing space means the last word is finished).
        lang: the reader's language (decides which keyboard layout a Latin word may have been typed on).
        vocab: the index's suggestion vocabulary.
    """
    words, last_partial = split_query(query)
    words = [_undrawn(w, vocab, last_partial and i == len(words) - 1) for i, w in enumerate(words)]
    words = _join_finglish(words, last_partial, lang, vocab)
    english = _english_on_own_layout(words, last_partial, lang, vocab)
    converted = _convert_layouts(english, last_partial, lang, vocab)
    rewrites = [f"layout:{lang}" for w, c in zip(words, converted) if c != w]
    persian = _read_finglish(converted, last_partial, lang, vocab)
    rewrites += ["finglish" for w, c in zip(converted, persian) if c != w]
    respelled = _respell(persian, last_partial, vocab)
    rewrites += ["respelled" for w, c in zip(persian, respelled) if c != w]
    converted = respelled
    finished, fixes = _spell_out(converted[:-1] if last_partial else converted, vocab)
    rewrites += fixes
    fixed_text = " ".join(finished)
    terms = analyze(fixed_text) if fixed_text else ()
    weighted = dict.fromkeys(terms, 1.0)
    text = fixed_text
    if last_partial and converted:
        best_text, best_terms, candidates, rewrite = _read_last_word(converted[-1], bool(fixed_text), vocab)
        rewrites += [rewrite] if rewrite else []
        for t, w in candidates.items():
            weighted[t] = max(weighted.get(t, 0.0), w)
        text = f"{fixed_text} {best_text}".strip()
        terms = tuple(dict.fromkeys(terms + best_terms))
    # titles and keywords the query abbreviates, or begins
    phrases = choseong_phrase_scores(vocab, converted)
    if len(converted) > 1 and phrases:
        best = vocab.phrases_by_choseong("".join(converted), 1)
        if best:  # several abbreviated words: read them as the phrase they abbreviate
            text, terms = best[0].text, best[0].terms
            for t in terms:
                weighted[t] = max(weighted.get(t, 0.0), COMPLETION_WEIGHT)
    if last_partial:  # "for " is finished: it no longer begins "forgot password"
        for slug, s in phrase_prefix_scores(vocab, finished + converted[-1:]).items():
            phrases[slug] = max(phrases.get(slug, 0.0), s)
    return Reading(text, terms, weighted, phrases, tuple(rewrites), fixed_text)
