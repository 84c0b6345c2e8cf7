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
    # "my Revolut card keeps getting declined", "Emirates NBD debit card declined when I top up": a bank's card
    # the player pays us with (not "my Nubank card is blocked, how do I unblock it": the bank's own matter)
    # ... and "Scotiabank declined my deposit", "TD Bank sent my withdrawal back": the bank stopping the player's
    # payment to us or returning our payout (not "X rejected my withdrawal": a wallet's or bookmaker's own);
    # ... and "Citadele bank transfer withdrawal": the bank the player's withdrawal is sent to
    means_after=r"\s+(?:(?:debit|credit|prepaid|virtual|visa|master\s*card)\s+)?cards?(?:\s+\S+){0,4}?\s+"
                r"(?:declin|reject|refus|fail|bounc|deposit|top(?:ping)?\s*up|add(?:ing)?\s+(?:funds|money)|fund)"
                r"|\s+(?:keeps?\s+)?(?:declin|reject|refus|block|bounc|stopp)\w*\s+(?:my|the)\s+"
                r"(?:deposit|payment|top[\s-]?up)"
                r"|\s+(?:sent\s+(?:my|the)\s+(?:withdrawal|payout)\s+back|(?:returned|bounced)\s+(?:my|the)\s+"
                r"(?:withdrawal|payout))"
                r"|\s+(?:bank\s+)?transfer\s+(?:withdrawal|deposit|payout)",
    setting_before=r"\b(?:on|in|at)\s+(?:(?:my|our|an?|the)\s+)?",
    addressing=r"\b(?:you|your|yours|u|ur|ya|here|this (?:site|casino|app|bookie|bookmaker))\b",
    # can I top up with PhonePe, could I load my account using Venmo; is PayPal accepted / one of the ways
    taking_before=r"\b(?:can|could|may)\s+(?:i|we|u)\s+(?:\w+\s+)?(?:deposit|top\s?up|pay\s+in|pay|fund|load|add"
                  r"|put)(?:\s+(?:my|the)\s+account|\s+money|\s+funds|\s+it)?\s+(?:with|using|via|through|by)\s+$",
    taking_after=r"\s+(?:accepted|an?\s+(?:option|payment\s+(?:method|option))|one\s+of\s+(?:the|your)\s+(?:ways"
                 r"|methods|options|payment\s+methods)|supported|allowed)\b",
    contact_label=r"(?:\b(?:my|our|the)\s+)?\b(?:e-?mail(?:\s+(?:address|id))?|mail|phone(?:\s+(?:number|no\.?))?"
                  r"|mobile(?:\s+(?:number|no\.?))?|cell(?:\s+number)?|tel|number|contact(?:\s+(?:details|number|info))?"
                  r"|user\s*(?:name|id)|account\s+(?:id|number|no\.?)|player\s+id)(?:\s+(?:is|was))?",
    nothing_alone=(
        # a test, a reply or an acknowledgement to no question
        r"(?:just\s+)?test(?:ing|s)?|yes|yeah|yep|no|nope|nah|ok(?:ay)?|k+|cool|nice|great|perfect|got\s+it|i\s+see"
        # a question word, or not following
        r"|why|what|how|when|hm+|huh|wait\s+what|what\s+do\s+you\s+mean|i\s+don'?t\s+(?:understand|get\s+it)"
        # a problem, or a wish for help, with nothing said about what
        r"|(?:i\s+)?(?:have|got)\s+(?:a|an|some)\s+(?:problem|issue)s?(?:\s+here)?|(?:i\s+)?need\s+(?:some\s+)?help"
        r"|something(?:'?s|\s+is)\s+(?:wrong|broken)|(?:it'?s?\s+)?not\s+working|it\s+(?:does\s*n[o']?t|won'?t)\s+work"
        r"|(?:there'?s\s+)?(?:an\s+)?error"
    ),
    courtesy=(
        # greetings and the one addressed, drawn out as typed (hiii, hellooo); the longer of two that begin
        # alike first: the first that fits is taken
        r"hello[\s?!.,]*any(?:one|body)(?:\s+(?:there|here|online))?|(?:h+i+|hel+o+|he+y+|hiya|yo|(?:wa)?sup|greetings"
        r"|good\s+(?:morning|afternoon|evening|day)"
        # "morning" alone only where the text goes on: closing one, it is what is asked about ("since this morning")
        r"|(?:morning|afternoon|evening)(?=[\s,.!?~]*[^\s,.!?~]))(?:\s+(?:there|team|support|guys|all|everyone|folks"
        r"|again))*(?:\s*+,?\s*(?:it'?s\s+)?me\s+again)?|dear\s+(?:support(?:\s+team)?|team|sir|madam|sir\s+or\s+madam"
        r"|all)|to\s+whom\s+it\s+may\s+concern|(?:it'?s\s+)?me\s+again|(?:i\s+)?hop(?:e|ing)\s+(?:all\s+is\s+well"
        r"|you(?:'re|\s+are)\s+(?:doing\s+)?(?:well|good|fine|ok))"
        # thanks and sign-offs
        r"|(?:thanks|thank\s+you)\s+for\s+(?:(?:your|the)\s+)?(?:help|time|patience|understanding|reply|quick\s+reply"
        r"|reading)(?:\s+in\s+advance)?|(?:thanks?|ty)\s+(?:you|u)(?:\s+(?:so|very)\s+much)?(?:\s+(?:guys|all))?"
        r"|thank\s+you(?:\s+(?:so|very)\s+much)?|(?:(?:ok(?:ay)?|so),?\s+)?(?:many\s+)?thanks(?:\s+(?:in\s+advance"
        r"|a\s+lot|so\s+much))?(?:,?\s+(?:really|guys|all|mate))?|thx|tysm|ty|tia|cheers(?:\s+mate)?"
        r"|(?:much|greatly|really)\s+appreciated|(?:i['’]d|i\s+would)\s+(?:really\s+)?appreciate\s+(?:it|a\s+(?:quick"
        r"|fast|prompt)\s+(?:reply|response|answer))|(?:kind\s+|best\s+|warm\s+)?regards|appreciate\s+it"
        r"|(?:any\s+help\s+(?:would\s+be|is)|it\s+would\s+be)\s+(?:much\s+|really\s+|greatly\s+)?appreciated"
        r"|(?:i\s+)?would\s+be\s+(?:very\s+|really\s+)?grateful(?:\s+for\s+any\s+help)?"
        r"|have\s+a\s+(?:nice|good|great|lovely)\s+(?:day|one|evening)|take\s+care|god\s+bless|bye|goodbye"
        r"|you\s+guys\s+(?:are|r)\s+the\s+best|(?:i\s+)?hop(?:e|ing)\s+(?:you|u|someone|somebody|any(?:one"
        r"|body))\s+can\s+help(?:\s+me)?(?:\s+out)?|hope\s+(?:that|this)\s+makes\s+sense"
        r"|(?:does\s+that|that)\s+make\s+sense|(?:i\s+)?(?:hope\s+to\s+hear\s+from\s+you"
        r"|look(?:ing)?\s+forward\s+to\s+(?:your\s+(?:reply|answer|response)|hearing\s+from\s+you))(?:\s+soon)?"
        # apologies for asking, not for what happened
        r"|(?:sorry|apologies|i\s+apologi[sz]e|excuse\s+me)(?:\s+(?:in\s+advance|to\s+(?:bother|bug|disturb"
        r"|trouble)\s+you|to\s+ask\s+(?:again|this)|again|for\s+(?:my\s+(?:bad\s+|poor\s+)?(?:english|grammar"
        r"|spelling)|the\s+(?:long\s+message|trouble|inconvenience|bother))|if\s+this\s+(?:is\s+(?:a\s+(?:dumb|stupid"
        r"|silly)\s+question|confusing|the\s+wrong\s+place)|was\s+asked\s+before)"
        r"|to\s+be\s+a\s+pain))*(?:\s*,?\s*but)?|(?:i'?m|im)\s+new\s+(?:here|to\s+this)"
        r"|(?:i'?m\s+)?not\s+sure\s+(?:who\s+to\s+ask|if\s+this\s+is\s+the\s+right\s+place)(?:\s+but)?"
        r"|please\s+bear\s+with\s+me"
        # announcing a question
        r"|(?:quick|one)\s+question(?:\s+for\s+(?:you|u)(?:\s+guys)?)?|(?:quick\s+)?(?:question|q)(?=\s*:)"
        r"|(?:i\s+)?(?:have|got|had)\s+a\s+(?:quick\s+)?question(?:\s+(?:for\s+(?:you|u)(?:\s+guys)?"
        r"|regarding\s+the\s+following))?|(?:can|may)\s+i\s+ask\s+(?:you\s+)?(?:something|a\s+question)"
        r"|i['’]d\s+like\s+to\s+ask(?:\s+about)?\s+something|i\s+was\s+wondering|just\s+wanted\s+to\s+ask|quick\s+one"
        # a player in a hurry, asking for help or an answer: not what it is about
        r"|urgent(?:ly)?(?:\s+(?:please|pls|plz))?|asap|h[ae]lp+(?=\s*!)|(?:(?:please|pls"
        r"|plz)\s+)+h[ae]lp(?:\s+me)?(?:\s+out)?(?:\s+here)?|help\s+(?:me\s+)?(?:please|pls|plz)"
        r"|(?:can|could)\s+(?:someone|anyone|somebody|you|u)\s+help(?:\s+me)?(?:\s+(?:out|please|pls|here))*"
        r"|(?:please\s+|pls\s+)?i\s+(?:really\s+|realy\s+|rly\s+)?need\s+(?:some\s+)?(?:help"
        r"|assistance)(?:\s+(?:urgently|asap|please|pls))*|i\s+need\s+an\s+answer(?:\s+(?:now|asap|quickly))?"
        r"|(?:please|pls|plz)\s+(?:reply|respond|answer|advise|explain|hurry|get\s+back\s+to\s+me|look\s+into\s+it"
        r"|check)(?:\s+(?:quickly|fast|soon|asap))?|(?:answer|reply\s+to)\s+me(?:\s+please)?|hurry(?:\s+up)?"
        r"|(?:please|pls|plz),?\s+(?:i'?m\s+begging|i\s+beg)(?:\s+(?:you|u))?|i\s+really\s+need\s+this"
        r"|(?:pls|please)\s+don'?t\s+ignore\s+me|let\s+me\s+know(?:\s+what\s+to\s+do)?(?:\s+(?:please|pls|plz|asap))?"
        r"|what\s+(?:should|do)\s+i\s+do|any\s+ideas|(?:idk|i\s+(?:don'?t|dont)\s+know)\s+what\s+(?:else\s+)?to\s+do"
        r"|still\s+waiting|waiting\s+for\s+(?:your|an)\s+(?:answer|reply|response)"
        # asking whether anyone is there
        r"|hello(?:\s+(?:there|here|online|home))?|any(?:one|body)(?:\s+(?:there|here|online|home))?(?=\s*\?)"
        r"|is\s+(?:any|some)(?:one|body)\s+(?:there|here|online|reading\s+this)"
        r"|can\s+(?:any|some)(?:one|body)\s+(?:hear\s+me|answer)|is\s+this\s+thing\s+on"
        r"|why\s+is\s+(?:nobody|no\s+one)\s+(?:answering|replying)|is\s+this\s+support"
        # what a player feels, not what it is about
        r"|(?:this\s+is|that'?s|it'?s)\s+(?:so\s+|just\s+|really\s+)?(?:ridiculous|unbelievable|a\s+joke|insane|crazy"
        r"|frustrating|annoying|unacceptable|driving\s+me\s+(?:crazy|nuts|mad))|what\s+a\s+joke|unbelievable"
        r"|ridiculous|so\s+annoying|(?:i'?m|im|i\s+am)\s+(?:so\s+|really\s+|very\s+|getting\s+)?(?:frustrated|upset"
        r"|angry|confused|worried|stressed|done(?=[\s,.!?]*$)|disappointed|annoyed|going\s+crazy"
        r"|losing\s+my\s+mind)(?:\s+(?:here|right\s+now|rn|about\s+this))?|i\s+(?:don'?t|dont)\s+understand\s+anything"
        r"|not\s+(?:happy|cool|ok)(?:\s+at\s+all)?|what\s+is\s+going\s+on|wtf|omg|ugh+|smh|seriously|um+|uh+"
        r"|well(?=\s*,)"
        # filler a message opens with
        r"|ok(?:ay)?(?=\s*,)|ok(?:ay)?,?\s+so|(?:so\s+)?here\s+goes|so\s+basically|so\s+here'?s\s+the\s+thing|listen"
        r"|right,?\s+so|so(?:\s+yeah)?"
    ),
)
