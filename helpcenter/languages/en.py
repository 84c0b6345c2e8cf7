"""English: the language of Latin-script text (and of digits), stop-worded and Porter-stemmed."""
from __future__ import annotations

import datetime as dt

from whoosh.lang.porter import stem as porter_stem

from helpcenter.languages.base import Language, Terms

STOP = frozenset("""
a an and are as at be by for from has have i in is it its of on or that the this to was were will
with my me we you your our do does did can could would should am been being he she they them their
there here what which who whom how when where why if so than then too very just into about
u ur im ve ll re m d s t n
""".split())
# Chat spellings of the words above (u, ur, im), what an apostrophe leaves of them (I've -> ve, it's -> s,
# we'll -> ll; a negation is read whole: `analyze_run`), and n for "and" ("deposit n withdraw").
# "not", "no" and "without" stay: "withdrawal not received" differs from "withdrawal received".

# Chat interjections players add to a complaint ("my card keeps getting declined smh", "wtf where is my
# money"): they say how the player feels, never what about, and no article has them. Read as nothing
# (`strip_interjections`), as Korean jamo emoticons are (`hangul.strip_emoticons`).
INTERJECTIONS = frozenset("""
smh smfh wtf wth omg omfg lol lmao lmfao rofl ffs fml bruh ugh ughh tbh ngl idk ikr pls plz plss plzz
""".split())

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


# Irregular forms of the verbs a help center is about, read as their verb: Porter leaves them alone, so
# "withdrew yesterday, still not in my bank" matched no withdrawal article ("withdrew" stems to itself,
# "withdrawal" to "withdraw") and "won my bet" missed winnings ("winnings" stems to "winn"). Only these:
# mapping every irregular verb (paid, got, sent, lost...) moved generic words' weights and lost two
# queries for one on the tuning halves. Not a lemmatizer: simplemma reads "won" as "won".
IRREGULAR = {"withdrew": "withdraw", "withdrawn": "withdraw", "won": "win", "winnings": "win", "winning": "win"}


# Porter leaves a verb and its noun apart where players use either for one errand: "recover account" and
# "account recovery" (recov, recoveri), "verify" and "verification" (verifi, verif), "register" and
# "registration", "expire" and "expiry", "suspended" and "suspension", "exclude" and "self-exclusion".
# Each noun's stem is read as its verb's (a word-level entry where the noun's stem is another word's too:
# exclus is also "exclusive").
FAMILIES = {"recoveri": "recov", "verif": "verifi", "registr": "regist", "expiri": "expir", "suspens": "suspend",
            "closur": "close", "deliveri": "deliv", "identif": "identifi", "transferr": "transfer"}
FAMILY_WORDS = {"exclusion": "exclude", "exclusions": "exclude"}


def stem(word: str) -> str:
    if not word.isalpha():
        return word
    word = IRREGULAR.get(word) or FAMILY_WORDS.get(word, word)
    stemmed = porter_stem(word)
    return FAMILIES.get(stemmed, stemmed)


# Chat shorthand written with a slash, one run each (`LANGUAGE.run`): "w/d pending 3 days". Split at the
# slash, "w" and "d" are stop words and the question lost its subject.
SLASHED = {"w/d": "withdraw", "w/ds": "withdraw"}


# A negation with its apostrophe is one run (`LANGUAGE.run`), read as "not": "won't" is not "won" (the
# verb win), nor "can't" a "can". Without the apostrophe (wont, dont) a word stays as typed.
_NOT = ("'t", "\u2019t")


def analyze_run(run: str) -> Terms:
    if run in SLASHED:
        return [(stem(SLASHED[run]), 0, len(run))]
    if run.endswith(_NOT):
        return [("not", 0, len(run))]
    return [] if run in STOP else [(stem(run), 0, len(run))]


def is_interjection(word: str) -> bool:
    """Whether `word` is a chat interjection (`INTERJECTIONS`), punctuation around it aside."""
    return word.strip(".,!?;:'\"()").casefold() in INTERJECTIONS


def strip_interjections(words: list[str]) -> list[str]:
    """`words` without chat interjections; unchanged when nothing else is left."""
    kept = [w for w in words if not is_interjection(w)]
    return kept if kept else words


def format_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


LANGUAGE = Language(
    code="en", name="English", direction="ltr", fallback_rank=0,
    run=r"w/ds?(?![a-z0-9/])|[a-z0-9]+(?:['\u2019]t(?![a-z0-9]))?",
    word=r"[a-z0-9]*[a-z][a-z0-9]*",
    analyze_run=analyze_run,
    analyzer={"stemmer": "porter", "stop_count": len(STOP), "irregular": IRREGULAR, "negation": "n't",
              "slashed": SLASHED, "families": FAMILIES, "family_words": FAMILY_WORDS},
    owns=None,  # any letter no other language claims
    spelling=True,
    description_words=6,
    format_date=format_date,
    bigram_run=False,
    # not "on" or "my": "on Coinbase", "my WhatsApp account" are the service's own matters
    means_before=r"\b(?:with|from|to|via|using|through|into|by)\s+(?:(?:my|our|an?|the)\s+)?",
    setting_before=r"\b(?:on|in|at)\s+(?:(?:my|our|an?|the)\s+)?",
    addressing=r"\b(?:you|your|yours|u|ur|ya|here|this (?:site|casino|app|bookie|bookmaker))\b",
    contact_label=r"(?:\b(?:my|our|the)\s+)?\b(?:e-?mail(?:\s+(?:address|id))?|mail|phone(?:\s+(?:number|no\.?))?"
                  r"|mobile(?:\s+(?:number|no\.?))?|cell(?:\s+number)?|tel|number|contact(?:\s+(?:details|number|info))?"
                  r"|user\s*(?:name|id)|account\s+(?:id|number|no\.?)|player\s+id)(?:\s+(?:is|was))?",
    courtesy=r"(?:hi|hello|hey|hiya|greetings|good\s+(?:morning|afternoon|evening))(?:\s+(?:there|team|support|guys|all))?"
             r"|dear\s+(?:support|team|sir|madam|sir\s+or\s+madam)|thanks?\s+(?:you|u)(?:\s+(?:so|very)\s+much)?"
             r"|thank\s+you|(?:many\s+)?thanks(?:\s+in\s+advance|\s+a\s+lot)?|thx|tia|cheers|(?:kind\s+|best\s+)?regards"
             # a player in a hurry: what asks for speed or help, not what it is about
             r"|urgent(?:ly)?|asap|(?:please|pls|plz)\s+help(?:\s+me)?|help\s+(?:me\s+)?(?:please|pls|plz)"
             r"|(?:please|pls|plz)\s+(?:reply|respond|answer|advise)(?:\s+(?:quickly|fast|soon))?",
)
