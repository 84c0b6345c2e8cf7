"""Questions the knowledge base does not answer, written down by its editors: `content/out-of-scope/<lang>.yml`.

Players ask near the help center's subject for what it does not cover: who will win tonight, whether
gambling is legal where they live, whether support is hiring. Such a question shares words and meaning
with some article (gambling, 고객센터) and would be answered with it, confidently and wrongly. Each file
is a YAML list of such questions, written as players would ask them; `kb build` embeds them like
passages, and the no-answer model weighs how much closer a query is to one of them than to the top
article (`Searcher._features`, "scope") and than to the short texts editors wrote for what the knowledge
base does answer: titles, keywords and headings (`editor_phrases`, "scope_phrase"). Editors add what
the gap report shows players ask and the knowledge base should not answer. Missing files are fine:
"scope" is then 0, "scope_phrase" is missing and read at its mean, and the model decides as before.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from helpcenter.content.articles import Article, language_lists, yaml_list
from helpcenter.content.errors import ContentError
from helpcenter.index.analysis import normalize, short_text_cache
from helpcenter.languages import DEFAULT, LANGUAGES, script_of

DIRECTORY = "out-of-scope"
MAX_CHARS = 500  # as a query may be


def load_out_of_scope(content_dir: str | Path) -> list[tuple[str, str]]:
    """(language, question) for every question of every `out-of-scope/<lang>.yml` under the content
    directory, in file order. A query is compared with its reader's language's questions only: across
    languages e5's cosines are crowded (an English complaint is as close to a Persian question about
    phone batteries as to its own article).

    Raises:
        ContentError: naming the file and the rule, when a file is not a YAML list of short texts.
    """
    out: list[tuple[str, str]] = []
    for lang, path, data in language_lists(content_dir, DIRECTORY, "questions (one '- question' a line)"):
        for n, item in enumerate(data, start=1):
            if not isinstance(item, str) or not item.strip():
                raise ContentError(str(path), f"item {n} must be a question as text, not {item!r}")
            if len(item) > MAX_CHARS:
                raise ContentError(str(path), f"item {n} is longer than {MAX_CHARS} characters")
            out.append((lang, item.strip()))
    return out


def editor_phrases(articles: Iterable[Article]) -> list[tuple[str, str]]:
    """(language, text) of every title, keyword and section heading, once per language: the in-scope
    counterpart of the out-of-scope questions. A question is compared with both alike: short texts each,
    their cosines are comparable, where a question's cosine with a passage runs lower than with a
    question on the same subject.

    Measured (`bench/fit_answer_model.py`, test halves, the model refitted with and without it):
    answerable queries answered 0.91 -> 0.94, out-of-scope ones not answered 0.92 -> 0.94."""
    seen: set[tuple[str, str]] = set()
    for a in articles:
        for text in (a.title, *(s.heading for s in a.sections if s.heading)):
            seen.add((a.lang, text.strip()))
        for text in a.keywords:
            # a keyword in another language's own script is for its readers: the Persian and Korean
            # keywords of an English-only article are what they search it by
            script = script_of(text)
            seen.add((script if script != DEFAULT.code else a.lang, text.strip()))
    return sorted(seen)


# Other companies' services players name: `content/out-of-scope/services.yml`, a YAML list with an item per
# service, the names players write it by (a name, or a list of them across scripts). A query that names
# one the top article is not about (in no title, summary, keyword or heading) asks about that service
# ("my whatsapp got hacked", "binance withdrawal pending", "토스 로그인 안돼요"), not ours, though it
# shares every other word with an article on accounts or withdrawals; e5's cosines do not see the
# difference (it is one word among several), so the no-answer model weighs it as a feature of its own
# ("other_service": `Searcher._features`).
# `out-of-scope/topics.yml` lists, the same way, subjects no article covers (jobs, taxes, the law): a
# query naming one is as surely not ours, and is read by the same rule.
SERVICES_FILE = "services.yml"
TOPICS_FILE = "topics.yml"
MAX_NAME_CHARS = 100
MAX_SUFFIX = 3  # letters a Korean particle or a Persian suffix adds to a name (에서는, هام)


def load_services(content_dir: str | Path) -> list[tuple[str, ...]]:
    """The names of each service in `out-of-scope/services.yml` (none when there is no such file).

    Raises:
        ContentError: naming the file and the rule, when it is not a YAML list of names or lists of names.
    """
    return _names_in(Path(content_dir) / DIRECTORY / SERVICES_FILE)


def load_topics(content_dir: str | Path) -> list[tuple[str, ...]]:
    """The names of each subject in `out-of-scope/topics.yml`, as `load_services`."""
    return _names_in(Path(content_dir) / DIRECTORY / TOPICS_FILE)


def _names_in(path: Path) -> list[tuple[str, ...]]:
    return _names(path) if path.exists() else []


def _names(path: Path) -> list[tuple[str, ...]]:
    data = yaml_list(path, f"{path.stem} (each a name or a list of names)")
    out = []
    for n, item in enumerate(data, start=1):
        names = item if isinstance(item, list) else [item]
        if not names or not all(isinstance(name, (str, int)) and str(name).strip() for name in names):
            raise ContentError(str(path), f"item {n} must be a name or a list of names, not {item!r}")
        if any(len(str(name)) > MAX_NAME_CHARS for name in names):
            raise ContentError(str(path), f"item {n} has a name longer than {MAX_NAME_CHARS} characters")
        out.append(tuple(str(name).strip() for name in names))
    return out


@dataclass(frozen=True)
class Naming:
    """Which other companies' services a text names (`Services.naming`), and how the names stand.

    Attributes:
        services: the services named (their positions in `Services.names`).
        means: a name is the means of the player's own errand, by the words around it in its language
            (`Language.means_before`, `means_after`): "deposit with my Revolut card", 카카오뱅크로 출금,
            با کارت بانک ملت. Such a question is most often ours.
        first: the text begins with a name, not as the setting: "Binance froze my account", 카카오톡 계정
            정지: most often a question about that service (not "SKT 쓰는데 비번 재설정 문자가 안와요"); or
            the name follows a message pasted in quotes ('"Your account has been banned" WhatsApp ...').
        setting: a name is the setting of the errand, the phone, browser, line or app it happens in
            (`Language.setting_before`, `setting_after`): "can't log in on Safari", SKT 쓰는데.
        addressed: the text puts its question to us (`Language.addressing`): "Bet365 never asked for my
            ID, why do you", 여기는 왜: most often ours; or asks whether we take a name as a way to pay
            (`Language.taking_before`: "can I top up with PhonePe").
        owned: a name, neither the means nor the setting, owns the thing asked about, by the words before
            it (`Language.owner_before`): کیف پول اسنپ (Snapp's wallet), احراز هویت نوبیتکس; or the player's
            account is at it (`Language.owner_at`: حسابم تو دیوار, not a setting then): most often a
            question about that company's own matter.
    """

    services: frozenset[int] = frozenset()
    means: bool = False
    first: bool = False
    addressed: bool = False
    setting: bool = False
    owned: bool = False

    def __or__(self, other: Naming) -> Naming:
        return Naming(self.services | other.services, self.means or other.means, self.first or other.first,
                      self.addressed or other.addressed, self.setting or other.setting, self.owned or other.owned)


class Services:
    """Other companies' services, and subjects no article covers, by the names players write them
    (`load_services`): which a text names.

    Names are matched on the normalized text (`analysis.normalize`), not on analyzed terms: Kiwi splits
    an unknown name by its context (텔레그램 alone, 텔레 + 그램 before 계정). A name ending in a Latin
    letter or digit is a whole word ("bing" is not in "bingo"; "binance's" names Binance); one ending in
    Hangul, or a Persian one of four letters or more, may carry a particle or suffix of up to
    `MAX_SUFFIX` letters (텔레그램에서, تلگرامم; not اپل, Apple, in اپلیکیشن, application). A name of one
    character names nothing.

    Args:
        names: per service, its names as written.
        topics: per subject no article covers, its names: named and matched as a service is, and told
            apart (`topics`): a question put to us about one ("are you hiring?") is still not ours.
    """

    def __init__(self, names: Sequence[Sequence[str]], topics: Sequence[Sequence[str]] = ()) -> None:
        self.names = [[n for n in dict.fromkeys(w for name in service for w in _written(name)) if len(n) > 1]
                      for service in (*names, *topics)]
        self.topics = frozenset(range(len(names), len(self.names)))  # their positions in `names`
        self._service_of: dict[str, int] = {}
        for n, service in enumerate(self.names):
            for name in service:
                self._service_of.setdefault(name, n)
        suffixed = [name for name in self._service_of if _takes_suffix(name)]
        whole = [name for name in self._service_of if not _takes_suffix(name)]
        latin_suffix = "|".join(_LATIN_SUFFIXES)
        self._patterns = [re.compile(rf"(?<!\w)({_alternation(whole)})(?:{latin_suffix})?(?!\w)")] if whole else []
        if suffixed:
            self._patterns.append(re.compile(rf"(?<!\w)({_alternation(suffixed)})\w{{0,{MAX_SUFFIX}}}(?!\w)"))
        # a search asks about the same text more than once (the vector stage's `service_share`, then the
        # decision's features), and as-you-type on every keystroke: each short text is matched once
        self.naming = short_text_cache(self._naming)

    def __bool__(self) -> bool:
        return bool(self._service_of)

    def named(self, text: str) -> frozenset[int]:
        """The services `text` names."""
        return self.naming(text).services

    def _naming(self, text: str) -> Naming:
        """The services `text` names and how (`naming`, cached for short texts)."""
        text = " ".join(normalize(text).split())
        found = [m for pattern in self._patterns for m in pattern.finditer(text)]
        if not found:
            return Naming()
        def stands(cue: tuple[re.Pattern, re.Pattern], m: re.Match) -> bool:  # the cue's words around a name
            before, after = cue
            # after a Latin name's plural or possessive ("Revolut's card declined") as after the name
            ends = (m.end(1), m.end()) if text[m.end(1):m.end()] in _LATIN_SUFFIXES else (m.end(1),)
            return bool(before.search(text, 0, m.start()) or any(after.match(text, end) for end in ends))

        def at(m: re.Match) -> bool:  # "my account at" the name: the company's account, not a setting
            return bool(_OWNER_AT and _OWNER_AT.search(text, 0, m.start()))

        cues = [(stands(_MEANS, m), stands(_SETTING, m), at(m)) for m in found]  # each name's, read once
        means = any(by for by, _, _ in cues)
        setting = any(on and not account for _, on, account in cues)
        owned = any(account or (not by and not on and _OWNER.search(text, 0, m.start()))
                    for m, (by, on, account) in zip(found, cues))
        # a message pasted in quotes at the start ('"Your account has been banned" WhatsApp how to appeal')
        # is the named company's, its "your" the player: the name right after it comes first, and only
        # what the player wrote may put the question to us
        pasted = _PASTED.match(text)
        own = pasted.end() if pasted else 0  # where the player's own words begin
        # "can I top up with PhonePe?": whether we take it is asked of us, as "you" or "here" asks; not in a
        # name's own letters (the "U" of "LG U+")
        letters = list(text)
        for m in found:
            letters[m.start(1):m.end(1)] = re.sub(r"\S", "_", m.group(1))
        unnamed = "".join(letters)
        asked = bool(_ADDRESSING.search(unnamed, own)) or any(stands(_TAKING, m) for m in found)
        return Naming(frozenset(self._service_of[m.group(1)] for m in found), means,
                      any(m.start() in (0, own) and not on for m, (_, on, _) in zip(found, cues)),
                      asked, setting, owned)

    def without(self, text: str) -> str:
        """`text`, normalized, with every name it names (and the particle or suffix on it) taken out: what
        the question says besides the names. "" when nothing else is left."""
        text = " ".join(normalize(text).split())
        for pattern in self._patterns:
            text = pattern.sub(" ", text)
        return " ".join(text.split())


def _joined(field: str) -> str:
    """The `Language` field `field` of every language (their scripts differ) as one alternation."""
    return "|".join(getattr(lang, field) for lang in LANGUAGES if getattr(lang, field))


def _cue(before: str, after: str) -> tuple[re.Pattern, re.Pattern]:
    """The `Language` fields `before` and `after` as two regexes: the words at the end of what precedes a
    name, and those at the start of what follows it."""
    return re.compile(f"(?:{_joined(before)})$"), re.compile(_joined(after))


# the words that make a name the means of the player's errand, or its setting, or the owner of its subject
_MEANS = _cue("means_before", "means_after")
_SETTING = _cue("setting_before", "setting_after")
_TAKING = _cue("taking_before", "taking_after")
_OWNER = re.compile(f"(?:{_joined('owner_before')})$")
_OWNER_AT = re.compile(f"(?:{_joined('owner_at')})$") if _joined("owner_at") else None
_ADDRESSING = re.compile("|".join(lang.addressing for lang in LANGUAGES if lang.addressing))
_PASTED = re.compile(r'(?:"[^"]+"|«[^»]+»|“[^”]+”)\s*')  # a text opening with a quoted message
_LATIN_END = re.compile(r"[a-z0-9]$")
_LATIN_SUFFIXES = ("'s", "s")  # a Latin name's possessive or plural, outside the name: "binance's", "revoluts"
_HANGUL_END = re.compile(r"[\uac00-\ud7a3]$")


def _written(name: str) -> tuple[str, ...]:
    """A name as matched: normalized, and a Persian or Korean one of several words also with its words run
    together. Persian joins a compound's parts by a space, a half-space (which normalizing drops) or
    nothing (وان ایکس بت, وان‌ایکس‌بت), and Korean is spaced loosely (네이버 밴드, 네이버밴드)."""
    name = " ".join(normalize(name).split())
    joined = name.replace(" ", "")
    return (name, joined) if joined != name and script_of(name) != DEFAULT.code else (name,)


def _takes_suffix(name: str) -> bool:
    """Whether a name may carry a particle or suffix: one ending in Hangul, or in another script (Persian)
    with at least four letters (تمو, Temu, would be in تموم, finished)."""
    return not _LATIN_END.search(name) and (bool(_HANGUL_END.search(name)) or len(name) >= 4)


def _alternation(names: Iterable[str]) -> str:
    """A regex matching any of `names`, the longest first where one begins another."""
    return "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
