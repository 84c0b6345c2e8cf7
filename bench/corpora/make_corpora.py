"""Turn public question / FAQ / paraphrase data sets into benchmark corpora in our content format.

    .venv/bin/python bench/corpora/make_corpora.py \\
        --parakqc   /work/.mirror/warnikchow+paraKQC/repo \\
        --percqa    /work/.mirror/PerCQA+PerCQA-Dataset/repo \\
        --persianqa /work/.mirror/sajjjadayobi+PersianQA/repo \\
        --stackfaq  /work/.mirror/ML-Recipes+BERT-FAQ/repo \\
        --banking77 /work/.mirror/PolyAI-LDN+task-specific-datasets/repo \\
        --stylekqc  /work/.mirror/cynthia+stylekqc/repo \\
        --korsts    /work/.mirror/kakaobrain+kor-nlu-datasets/repo \\
        --chatbot   /work/.mirror/songys+Chatbot_data/repo \\
        --kornli    /work/.mirror/kakaobrain+kor-nlu-datasets/repo \\
        [--out bench/corpora]

Each option names a copy of the source repository: a work tree (a `git clone`) or a bare git
directory (as the search tool's `fetch` leaves it; then the files are read from its HEAD with
`git show`). Corpora whose option is left out are not touched. PerCQA ships as a RAR archive:
reading it needs `bsdtar` (Debian package `libarchive-tools`).

For every corpus the script (re)writes, under `<out>/<name>/`:

- `content/<lang>/doc-NNNNN.md`: one article per answer / passage / paraphrase group, with YAML
  front matter `title` and `category`; the body is the answer text (never empty);
- `queries.jsonl`: `{"q", "lang", "expected": [slug], "split": "tune"|"test", "group"}` per line;
- `SOURCE.md`: where the data came from (repository, commit, licence), how it was converted and
  split, and the counts.

Everything is deterministic: subsamples and the tune/test split are taken in the order of a SHA-1
hash of stable keys, never with a random generator, so a rerun on the same commit writes the same
bytes. The split is by *document* (paraphrase group / FAQ entry / intent): all queries of one
document land in the same half, so tuning on one half cannot memorise the other half's documents.
The title of an article is never a query of the corpus (checked after normalising case and spaces).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import html
import io
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

MAX_DOCS = 3000  # keep every corpus buildable in a few minutes on 2 cores
MAX_QUERIES = 1000
MAX_QUERY_CHARS = 500  # the search API refuses longer queries (helpcenter.search.plan.MAX_QUERY_CHARS)


# --- reading a fetched repository ---------------------------------------------------------------

class Repo:
    """A source repository: a work tree, or a bare git directory read at HEAD."""

    def __init__(self, path: str | Path, url: str) -> None:
        self.path = Path(path)
        self.url = url
        if not self.path.exists():
            sys.exit(f"{self.path}: no such directory")

    def _git(self, *args: str) -> bytes:
        return subprocess.run(["git", "--git-dir", str(self._git_dir()), *args], check=True,
                              capture_output=True).stdout

    def _git_dir(self) -> Path:
        return self.path / ".git" if (self.path / ".git").exists() else self.path

    def read(self, rel: str) -> bytes:
        """The bytes of one file: from the work tree when it is there, else from HEAD."""
        on_disk = self.path / rel
        if on_disk.is_file():
            return on_disk.read_bytes()
        return self._git("show", f"HEAD:{rel}")

    def tsv_rows(self, names: Iterable[str], columns: int) -> tuple[list[list[str]], int]:
        """The rows of tab-separated files (each file's header left out) that have `columns` fields,
        and how many rows did not."""
        rows, malformed = [], 0
        for name in names:
            for r in list(csv.reader(io.StringIO(self.read(name).decode("utf-8")), delimiter="\t",
                                     quoting=csv.QUOTE_NONE))[1:]:
                if len(r) == columns:
                    rows.append(r)
                else:
                    malformed += 1
        return rows, malformed

    def commit(self) -> str:
        try:
            return self._git("rev-parse", "HEAD").decode().strip()
        except (subprocess.CalledProcessError, FileNotFoundError):
            return "unknown (not a git repository)"


# --- helpers ------------------------------------------------------------------------------------

def h(*parts: object) -> str:
    """Stable ordering key: SHA-1 of the parts (the split and every subsample use it)."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()


def norm(text: str) -> str:
    """Case- and space-insensitive form, to compare a query with a title."""
    return re.sub(r"\s+", " ", text).strip().casefold().rstrip("?.!؟ ")


def own_query(candidates: Iterable[str], owners: dict[str, set[str]], owner: str, titles: set[str]) -> str | None:
    """The first of `candidates` that can be `owner`'s query: no other article has it (`owners`: normalized
    text -> the articles it belongs to), it is no article's title (`titles`, normalized), and the search
    API takes its length."""
    return next((s for s in candidates if owners[norm(s)] == {owner} and norm(s) not in titles
                 and len(s) <= MAX_QUERY_CHARS), None)


def clean(text: str) -> str:
    """One paragraph of plain text: whitespace collapsed."""
    return re.sub(r"\s+", " ", text).strip()


def md_text(text: str) -> str:
    """Plain text made safe as Markdown: HTML-escaped (the loader unescapes it back), and no line
    that would open a code fence or become a heading (a `##` line would split the article)."""
    out = []
    for line in html.escape(text, quote=False).splitlines():
        line = line.rstrip()
        if line.lstrip().startswith("```"):
            line = line.replace("```", "'''")
        if line.lstrip().startswith("#"):
            line = "\\" + line.lstrip()
        out.append(line)
    return "\n".join(out).strip()


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + " …"


def first_words(text: str, n: int) -> str:
    words = clean(text).split(" ")
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def halves(groups: Iterable[str], corpus: str) -> dict[str, str]:
    """group -> "tune" | "test": groups in SHA-1 order, the first half (rounded up) is "tune"."""
    ordered = sorted(set(groups), key=lambda g: h(corpus, "split", g))
    cut = (len(ordered) + 1) // 2
    return {g: ("tune" if i < cut else "test") for i, g in enumerate(ordered)}


@dataclass
class Doc:
    title: str
    category: str
    body: str  # Markdown
    group: str  # the key queries point to (and the split is drawn by)


@dataclass
class Query:
    q: str
    group: str


@dataclass
class Corpus:
    name: str
    lang: str
    repo: Repo
    license: str
    description: str  # SOURCE.md prose: what was taken, how it was converted
    docs: list[Doc] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # subsampling and filtering, for SOURCE.md
    max_docs: int = MAX_DOCS  # paraphrase corpora with distractors allow a bigger pool


# --- the data sets ------------------------------------------------------------------------------

PARAKQC_TOPICS = {"0": "email", "1": "scheduling", "2": "smart-home", "3": "weather"}


def parakqc(repo: Repo) -> Corpus:
    """paraKQC: 1,000 groups of 10 Korean paraphrases (questions and commands to a home assistant).

    One article per group: title = the group's 1st sentence, body = its 2nd and 3rd. One query per
    group, picked by hash among the other seven (so 1,000 queries), never equal to the article's own
    sentences. Neighbouring groups share topic and content and differ in intent, so the other 999
    articles are hard distractors.
    """
    c = Corpus(
        "parakqc-ko", "ko", repo, "CC BY-SA 4.0 (LICENSE in the repository)",
        "paraKQC v1 (`data/paraKQC_v1.txt`): 10,000 Korean utterances in 1,000 groups of 10 paraphrases "
        "(topics: e-mail, scheduling, smart home, weather; acts: questions and commands). Each group "
        "becomes one article: its 1st sentence is the title, its 2nd and 3rd the body (a bullet list). "
        "One query per group, chosen by SHA-1 among sentences 4-10, skipping any equal to the "
        "article's own sentences. Neighbouring groups differ only in intention (e.g. alternative vs "
        "wh-question on the same content), so they are hard distractors for each other.")
    lines = [ln.split("\t") for ln in repo.read("data/paraKQC_v1.txt").decode("utf-8").splitlines() if ln.strip()]
    for g in range(len(lines) // 10):
        rows = lines[g * 10:(g + 1) * 10]
        sents = [clean(r[2]) for r in rows]
        group = f"g{g:04d}"
        c.docs.append(Doc(sents[0], PARAKQC_TOPICS.get(rows[0][0], "general"),
                          "\n".join(f"- {md_text(s)}" for s in sents[1:3]), group))
        own = {norm(s) for s in sents[:3]}
        candidates = sorted(sents[3:], key=lambda s: h("parakqc", "query", group, s))
        pick = next((s for s in candidates if norm(s) not in own), None)
        if pick:
            c.queries.append(Query(pick, group))
    if len(c.queries) < len(c.docs):
        c.notes.append(f"{len(c.docs) - len(c.queries)} groups have no query (sentences 4-10 all equal "
                       "one of the article's own)")
    return c


PERCQA_RAR = "PerCQA.rar"
PERCQA_JSON = "PerCQA_JSON_Format.json"


def percqa(repo: Repo) -> Corpus:
    """PerCQA: 990 Persian forum threads (Ninisite: family, children, health, shopping...).

    Query = the thread's subject line as its author typed it (a short, real user query); article =
    the thread: title = the first words of the question body, body = the question and up to three
    answers the annotators labelled "Good". Subjects used by more than one thread, or of one word,
    are not queries (ambiguous); every thread is still an article.
    """
    c = Corpus(
        "percqa-fa", "fa", repo, "Apache-2.0 (LICENSE in the repository)",
        "PerCQA (`PerCQA.rar` → `PerCQA_JSON_Format.json`): 990 questions from the Persian forum "
        "Ninisite with 21,915 answers annotated Good / Potential / Bad. One article per thread: title = "
        "the first 10 words of the question body (not the subject), body = the question body, then "
        "(section «پاسخ‌ها») up to 3 answers labelled Good, each cut to 500 characters. The query is "
        "the thread's subject line as its author typed it. Subjects of one word, or shared by several "
        "threads, are not used as queries.")
    archive = repo.read(PERCQA_RAR)
    try:
        raw = subprocess.run(["bsdtar", "-xOf", "-", PERCQA_JSON], input=archive, check=True,
                             capture_output=True).stdout
    except FileNotFoundError:
        sys.exit("reading PerCQA.rar needs bsdtar: apt-get install libarchive-tools")
    threads = json.loads(raw.decode("utf-8-sig"))
    subjects = [norm(t.get("QSubject") or "") for t in threads]
    seen = {s: subjects.count(s) for s in set(subjects)}
    for t in threads:
        body_q = clean(t.get("QBody") or "")
        subject = clean(t.get("QSubject") or "")
        if not body_q:
            continue
        group = f"q{t['QID']}"
        good = [clean(a.get("CBodyClean") or a.get("CBody") or "") for a in t.get("Comments", [])
                if a.get("CGOLD") == "Good"]
        good = [shorten(a, 500) for a in good if a][:3]
        body = md_text(body_q)
        if good:
            body += "\n\n## پاسخ‌ها\n\n" + "\n\n".join(md_text(a) for a in good)
        title = first_words(body_q, 10)
        c.docs.append(Doc(title, "forum", body, group))
        if (len(subject.split()) >= 2 and seen[norm(subject)] == 1 and len(subject) <= MAX_QUERY_CHARS
                and norm(subject) != norm(title)):
            c.queries.append(Query(subject, group))
    c.notes.append(f"{len(threads) - len(c.docs)} threads without a question body left out; "
                   f"{len(c.docs) - len(c.queries)} threads are articles without a query (subject of one "
                   "word, or shared with another thread)")
    return c


def persianqa(repo: Repo) -> Corpus:
    """PersianQA test set: 93 Persian Wikipedia paragraphs, 651 answerable crowd-sourced questions.

    Article = paragraph, titled with its Wikipedia page title; queries = the answerable questions
    (the unanswerable ones are left out: there is no relevant document to find).
    """
    c = Corpus(
        "persianqa-fa", "fa", repo, "GPL-3.0 (LICENSE in the repository; this directory's data is "
        "under GPL-3.0 too)",
        "PersianQA test split (`dataset/pqa_test.json`, SQuAD 2.0 format; the train split is over the "
        "fetch tool's 4 MiB file limit and was not available): 93 Persian Wikipedia paragraphs with "
        "crowd-sourced questions. One article per paragraph: title = its Wikipedia page title, body = "
        "the paragraph. Queries = the answerable questions (the unanswerable ones have no relevant "
        "document). Small: 93 documents, so scores are higher than on a real knowledge base.")
    data = json.loads(repo.read("dataset/pqa_test.json").decode("utf-8"))["data"]
    impossible = sum(bool(qa.get("is_impossible")) for art in data for p in art["paragraphs"] for qa in p["qas"])
    c.notes.append(f"{impossible} unanswerable questions left out")
    n = 0
    for art in data:
        for para in art["paragraphs"]:
            group = f"p{n:04d}"
            n += 1
            title = clean(art.get("title") or "") or first_words(para["context"], 8)
            c.docs.append(Doc(title, "wikipedia", md_text(clean(para["context"])), group))
            for qa in para["qas"]:
                q = clean(qa["question"])
                if not qa.get("is_impossible") and q and len(q) <= MAX_QUERY_CHARS and norm(q) != norm(title):
                    c.queries.append(Query(q, group))
    return c


STACKFAQ_CATEGORIES = [  # (word in the question, category): the data has no category of its own
    ("gmail", "gmail"), ("google doc", "google-docs"), ("google drive", "google-docs"),
    ("spreadsheet", "google-docs"), ("docs", "google-docs"), ("facebook", "facebook"), ("fb", "facebook"),
    ("youtube", "youtube"), ("twitter", "twitter"), ("tweet", "twitter"), ("github", "github"),
    ("trello", "trello"), ("dropbox", "dropbox"), ("google", "google"),
]


def stackfaq(repo: Repo) -> Corpus:
    """StackFAQ: 125 Web Applications StackExchange threads, each with ~11 human rephrasings.

    Article = thread: title = the original StackExchange question title, body = its top answers
    (at most 3, each cut to 1,200 characters). Queries = the rephrasings (1,375 -> 1,000 by hash).
    """
    c = Corpus(
        "stackfaq-en", "en", repo,
        "repository MIT; the StackExchange questions and answers are CC BY-SA (StackExchange's terms); "
        "rephrasings by TakeLab (Karan & Šnajder 2018, cite on use)",
        "StackFAQ (`data/StackFAQ/stackExchange-FAQ.xml`): 125 threads of the Web Applications "
        "StackExchange (Gmail, Facebook, Google Docs, YouTube...: accounts, passwords, settings), each "
        "with about 11 rephrasings of the information need written by annotators. One article per "
        "thread: title = the original question title, body = its top answers (at most 3, each cut to "
        "1,200 characters). Queries = the rephrasings of at least 3 words that differ from the title; "
        "category = the product named in the title (our guess by keyword; `webapps` otherwise).")
    root = ET.fromstring(repo.read("data/StackFAQ/stackExchange-FAQ.xml").decode("utf-8"))
    total = sum(1 for _ in root.iter("rephr"))
    for i, pair in enumerate(root.iter("qapair")):
        group = f"t{i:04d}"
        title = clean(pair.findtext("question") or "")
        answers = [shorten(clean(a.text or ""), 1200) for a in pair.findall("answer")]
        answers = [a for a in answers if a][:3]
        if not title or not answers:
            continue
        low = f" {title.casefold()} "
        category = next((cat for word, cat in STACKFAQ_CATEGORIES if re.search(rf"\b{re.escape(word)}\b", low)),
                        "webapps")
        c.docs.append(Doc(title, category, "\n\n".join(md_text(a) for a in answers), group))
        seen: set[str] = set()
        for r in pair.findall("rephr"):
            q = clean(r.text or "")
            if len(q.split()) < 3 or norm(q) == norm(title) or norm(q) in seen or len(q) > MAX_QUERY_CHARS:
                continue
            seen.add(norm(q))
            c.queries.append(Query(q, group))
    c.notes.append(f"{total - len(c.queries)} of {total} rephrasings left out: under 3 words (e.g. '*'), "
                   "equal to the title, or repeated within the thread")
    return c


def banking77(repo: Repo) -> Corpus:
    """BANKING77: 13,083 online-banking customer queries labelled with 77 fine-grained intents.

    The data has no answers, so each intent becomes an "article" made of other customers' phrasings:
    title = the intent name in words, body = 12 utterances of the intent from the *train* split.
    Queries = utterances of the *test* split (3,080 -> 1,000 by hash). Closest to our domain (cards,
    top-ups, transfers, identity verification, pending withdrawals), but a paraphrase-matching task
    rather than question -> answer.
    """
    c = Corpus(
        "banking77-en", "en", repo, "CC BY 4.0 (LICENSE in the repository)",
        "BANKING77 (`banking_data/train.csv`, `test.csv`): online-banking customer queries labelled "
        "with 77 intents (card arrival, top-up failed, verify identity, pending cash withdrawal, "
        "exchange rate...). The data has no answers, so one article per intent: title = the intent "
        "name in words (`card_payment_not_recognised` → \"Card payment not recognised\"), body = 12 "
        "utterances of that intent from the train split, chosen by SHA-1, as a bullet list. Queries = "
        "utterances of the test split (disjoint from the bodies). This measures matching a customer's "
        "phrasing to the right topic among 77 close ones, not question → answer.")
    train = list(csv.DictReader(io.StringIO(repo.read("banking_data/train.csv").decode("utf-8"))))
    test = list(csv.DictReader(io.StringIO(repo.read("banking_data/test.csv").decode("utf-8"))))
    labels = sorted({r["category"] for r in train})
    by_label: dict[str, list[str]] = {lab: [] for lab in labels}
    for r in train:
        by_label[r["category"]].append(clean(r["text"]))
    used: set[str] = set()
    for lab in labels:
        examples = sorted(set(by_label[lab]), key=lambda s: h("banking77", "body", lab, s))[:12]
        used |= {norm(s) for s in examples}
        title = lab.replace("_", " ").strip().capitalize()
        c.docs.append(Doc(title, "banking", "\n".join(f"- {md_text(s)}" for s in examples), lab))
    titles = {norm(d.title) for d in c.docs}
    seen: set[str] = set()
    for r in test:
        q = clean(r["text"])
        if not q or norm(q) in used or norm(q) in titles or norm(q) in seen or len(q) > MAX_QUERY_CHARS:
            continue
        seen.add(norm(q))
        c.queries.append(Query(q, r["category"]))
    c.notes.append(f"{len(test) - len(c.queries)} of {len(test)} test utterances left out: repeated, or "
                   "equal to a body utterance or a title")
    return c


# The repository gives topics as numbers only; these names are our reading of the sentences
# (0: online shopping, 1: household, 2: messengers and e-mail, 3: schedule and to-dos,
# 4: sports, shows and media, 5: weather, nature and science questions).
STYLEKQC_TOPICS = {"0": "shopping", "1": "home", "2": "messenger", "3": "schedule", "4": "entertainment",
                   "5": "weather-nature"}
STYLEKQC_SPLITS = ("train", "dev", "test")


def stylekqc(repo: Repo) -> Corpus:
    """StyleKQC: 3,000 groups of 10 Korean paraphrases, 5 formal (합쇼체/해요체) then 5 informal (반말).

    One article per group, holding a single sentence: title and body = the group's 1st (formal)
    sentence. One query per group, chosen by SHA-1 among its 5 informal sentences, so query and
    article differ in style (endings, particles, word order, fillers such as 야 / 저기) as well as in
    wording; 1,000 of the queries are kept (by SHA-1). Neighbouring groups share topic and often
    content and differ in speech act, so the other one-sentence articles are hard distractors.
    """
    c = Corpus(
        "stylekqc-ko", "ko", repo, "CC BY-SA 4.0 (stated in the repository's README; no LICENSE file)",
        "StyleKQC (`act/{train,dev,test}.tsv`: columns `act`, `sentence`; topic labels from the same "
        "rows of `topic/*.tsv`): 30,000 Korean questions and commands to an assistant in 3,000 groups "
        "of 10 consecutive paraphrases (6 topics; 4 acts: alternative question, wh-question, "
        "prohibition, requirement). In every group the first 5 sentences are formal and the last 5 "
        "informal (a handful of the informal slots hold a formal sentence or repeat one). The three "
        "splits are concatenated (groups `train0000`..`test0479`). One article per group with ONE "
        "sentence: title = the group's 1st (formal) sentence, body = the same sentence. One query per "
        "group, chosen by SHA-1 among its 5 informal sentences, never equal to any article title nor "
        "to a sentence of another group; 1,000 queries kept by SHA-1. Query and article therefore "
        "differ in register as well as wording, and the other groups (same topics, often the same "
        "entities with another speech act) are hard distractors. Categories are the topic labels "
        "under names we gave them (the repository has numbers only): shopping, home, messenger, "
        "schedule, entertainment, weather-nature.")
    groups: list[tuple[str, str, list[str]]] = []
    for split in STYLEKQC_SPLITS:
        acts = [ln.split("\t") for ln in repo.read(f"act/{split}.tsv").decode("utf-8").splitlines()[1:] if ln.strip()]
        topics = [ln.split("\t") for ln in repo.read(f"topic/{split}.tsv").decode("utf-8").splitlines()[1:] if ln.strip()]
        if len(acts) != len(topics) or len(acts) % 10 or any(len(r) != 2 for r in acts + topics):
            sys.exit(f"stylekqc: {split}: {len(acts)} act rows, {len(topics)} topic rows (want equal, "
                     "groups of 10, two columns)")
        for g in range(len(acts) // 10):
            rows = acts[g * 10:(g + 1) * 10]
            if [r[1] for r in rows] != [t[1] for t in topics[g * 10:(g + 1) * 10]]:
                sys.exit(f"stylekqc: {split} group {g}: act and topic files disagree")
            groups.append((f"{split}{g:04d}", STYLEKQC_TOPICS.get(topics[g * 10][0], "general"),
                           [clean(r[1]) for r in rows]))
    owners: dict[str, set[str]] = {}  # sentence -> the groups it occurs in
    for group, _, sents in groups:
        for s in sents:
            owners.setdefault(norm(s), set()).add(group)
    titles: set[str] = set()
    duplicate: list[str] = []
    for group, topic, sents in groups:
        if norm(sents[0]) in titles:  # same first sentence as an earlier group: same request twice
            duplicate.append(group)
            continue
        titles.add(norm(sents[0]))
        c.docs.append(Doc(sents[0], topic, md_text(sents[0]), group))
    skipped = 0
    for group, _, sents in groups:
        if group in duplicate:
            continue
        candidates = sorted(sents[5:], key=lambda s: h("stylekqc", "query", group, s))
        pick = own_query(candidates, owners, group, titles)
        if pick:
            c.queries.append(Query(pick, group))
        else:
            skipped += 1
    if duplicate:
        c.notes.append(f"{len(duplicate)} group(s) left out because their first sentence is the first "
                       f"sentence of an earlier group ({', '.join(duplicate)})")
    if skipped:
        c.notes.append(f"{skipped} groups have no query (every informal sentence equals an article title "
                       "or a sentence of another group)")
    return c


KORSTS_FILES = ("KorSTS/sts-train.tsv", "KorSTS/sts-dev.tsv", "KorSTS/sts-test.tsv")
KORSTS_PARAPHRASE = 4.0  # STS 4 = "mostly equivalent, unimportant details differ"; 5 = equivalent
KORSTS_RELATED = 3.0  # sentences this close to a paraphrase group are not used as its distractors
KORSTS_GENRES = {"main-news": "news", "main-forum": "forum", "main-forums": "forum"}  # captions left out
KORSTS_MAX_DOCS = 5000


class _Union:
    """Union-find over strings (paraphrase groups are the connected components of paraphrase pairs)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def korsts(repo: Repo) -> Corpus:
    """KorSTS: 8,628 Korean sentence pairs (STS-B translated: train by machine, dev/test post-edited) scored 0-5.

    Pairs scored >= 4.0 are paraphrases; their connected components are groups. One article per
    group (one sentence, chosen by SHA-1) and one query (another member, by SHA-1). Every other
    sentence of the data becomes a one-sentence distractor article, except sentences paired with a
    group member at >= 3.0 (too close to count as wrong). Pool capped at 5,000 articles: all group
    articles plus distractors in SHA-1 order.
    """
    c = Corpus(
        "korsts-ko", "ko", repo, "CC BY-SA 4.0 (LICENSE in the repository and its README); a translation of the STS "
        "benchmark (STS-B), whose English sentences come from news headlines, the MSR paraphrase corpus "
        "and forums",
        "KorSTS (`KorSTS/sts-{train,dev,test}.tsv`): the STS benchmark (English news headlines, "
        "MSR paraphrase news, forum posts, image/video captions) translated into Korean (train split: "
        "machine translation; dev and test: machine translation post-edited by people), 8,628 sentence "
        "pairs with the STS-B similarity scores 0-5 (columns genre, filename, year, id, score, "
        "sentence1, sentence2). All three splits are used. Sentence pairs scored "
        f">= {KORSTS_PARAPHRASE} are taken as paraphrases, and the connected components of these "
        "pairs (sentences compared case- and space-insensitively) as paraphrase groups. Per group: "
        "one article holding ONE sentence (title and body = the member first in SHA-1 order) and one "
        "query (the next member in SHA-1 order). Every other sentence of the data set becomes a "
        "one-sentence distractor article, except sentences paired with a group member at a score "
        f">= {KORSTS_RELATED} (near-paraphrases, which would be right answers marked wrong). The pool "
        f"is capped at {KORSTS_MAX_DOCS} articles: all group articles plus distractors in SHA-1 order. "
        "Only the news (headlines, MSR paraphrase corpus, DEFT news) and forum (DEFT forum, "
        "answers-forums, answer-answer) genres are used; category = that genre. The sentences are "
        "translations of English news and forum posts, not user questions, and many paraphrase pairs "
        "share much of their wording (MSR pairs especially). The machine-translated train split has "
        "some pairs whose translations no longer say the same thing.",
        max_docs=KORSTS_MAX_DOCS)
    text: dict[str, str] = {}  # norm -> first spelling seen
    genre: dict[str, str] = {}
    para = _Union()
    related: list[tuple[str, str]] = []
    skipped_genre = 0
    rows, malformed = repo.tsv_rows(KORSTS_FILES, 7)
    for r in rows:
        g, score, s1, s2 = r[0], float(r[4]), clean(r[5]), clean(r[6])
        if g not in KORSTS_GENRES:
            skipped_genre += 1
            continue
        if not s1 or not s2:
            continue
        n1, n2 = norm(s1), norm(s2)
        for n, s in ((n1, s1), (n2, s2)):
            text.setdefault(n, s)
            genre.setdefault(n, KORSTS_GENRES.get(g, "general"))
            para.find(n)
        if n1 == n2:
            continue
        if score >= KORSTS_PARAPHRASE:
            para.union(n1, n2)
        if score >= KORSTS_RELATED:
            related.append((n1, n2))
    members: dict[str, list[str]] = {}
    for n in text:
        members.setdefault(para.find(n), []).append(n)
    in_group = {n for ms in members.values() if len(ms) > 1 for n in ms}
    near = set()
    for a, b in related:
        if a in in_group and b not in in_group:
            near.add(b)
        if b in in_group and a not in in_group:
            near.add(a)
    group_docs: list[Doc] = []
    for ms in members.values():
        if len(ms) < 2:
            continue
        order = sorted(ms, key=lambda n: h("korsts-ko", "member", n))
        group = "g" + h("korsts-ko", "group", order[0])[:12]
        group_docs.append(Doc(text[order[0]], genre[order[0]], md_text(text[order[0]]), group))
        q = text[order[1]]
        if len(q) <= MAX_QUERY_CHARS:
            c.queries.append(Query(q, group))
    distractors = [n for n in text if n not in in_group and n not in near]
    room = max(KORSTS_MAX_DOCS - len(group_docs), 0)
    picked = sorted(distractors, key=lambda n: h("korsts-ko", "distractor", n))[:room]
    c.docs = sorted(group_docs, key=lambda d: d.group) + [
        Doc(text[n], genre[n], md_text(text[n]), "d" + h("korsts-ko", "group", n)[:12])
        for n in sorted(picked, key=lambda n: h("korsts-ko", "distractor", n))]
    c.notes.append(f"{skipped_genre} pairs of the captions genre left out (image/video captions: many "
                   "near-identical sentences such as 'a man is playing a guitar' in unrelated pairs, so "
                   "right answers would be scored as wrong)")
    if malformed:
        c.notes.append(f"{malformed} rows without 7 tab-separated columns left out")
    c.notes.append(f"{len(text)} distinct sentences; {len(group_docs)} paraphrase groups "
                   f"({len(in_group)} sentences); {len(near)} sentences left out as near-paraphrases of a "
                   f"group; {len(picked)} of {len(distractors)} remaining sentences kept as distractors")
    return c


CHATBOT_CATEGORIES = {"0": "daily", "1": "breakup", "2": "love"}  # the data's labels 0 / 1 / 2
CHATBOT_QUERY_GROUP = (2, 4)  # answers shared by more questions are generic ("맛있게 드세요.")
CHATBOT_MAX_DOCS = 8000


def chatbot(repo: Repo) -> Corpus:
    """Chatbot_data (songys): 11,823 short, casual Korean chat utterances, each with a bot answer.

    Utterances that got the same answer (compared case- and space-insensitively) form a group:
    usually the same concern or request in other words ("밤샜어" / "해 뜨는 거 보고 잤어"). One
    article per distinct answer: title = one of its utterances (SHA-1 order), body = the answer.
    For answers shared by 2-4 distinct utterances, one query: another of them (SHA-1 order), never
    an utterance that also got another answer, nor any article's title. Answers shared by more
    utterances are generic (comfort, "enjoy your meal") and only distractors, like the answers
    given to a single utterance.
    """
    lo, hi = CHATBOT_QUERY_GROUP
    c = Corpus(
        "chatbot-ko", "ko", repo, "MIT (LICENSE in the repository); written for the data set (\"인공데이터\", "
        "some break-up questions modelled on posts of a Daum café, per the README)",
        "Chatbot_data_for_Korean v1.0 (`ChatbotData.csv`: columns Q, A, label): 11,823 short, casual "
        "Korean utterances a user says to a chatbot (worries, plans, small talk, break-ups, love; "
        "mostly 반말, no punctuation, e.g. \"12시 땡!\", \"1지망 학교 떨어졌어\") with the bot's one-line "
        "answer, written by people for the data set; label 0 daily / 1 break-up / 2 love, used as the "
        "category (daily, breakup, love). The same answer was given to several utterances that mean "
        "the same or nearly the same thing in other words (\"밤샜어\" / \"해 뜨는 거 보고 잤어\"; "
        "\"이민가고싶어\" / \"헬조선 떠나고 싶다\"), so utterances are grouped by their answer (compared "
        "case- and space-insensitively, final punctuation ignored). One article per distinct answer: "
        "title = one of the group's utterances (the first in SHA-1 order), body = the ANSWER text "
        "(not a question). For every answer given to "
        f"{lo}-{hi} distinct utterances, one query: the next utterance in SHA-1 order that was given "
        "no other answer and is no article's title. Answers given to more utterances are generic "
        "(\"맛있게 드세요.\", \"위로해 드립니다.\": unrelated utterances) and, like the answers of "
        "a single utterance, are distractor articles without a query. Some groups are looser than "
        "paraphrases (the same answer fits two different situations), and a distractor may suit a "
        "query as well as its own article; queries and titles are very short (often 2-4 words).",
        max_docs=CHATBOT_MAX_DOCS)
    rows = list(csv.DictReader(io.StringIO(repo.read("ChatbotData.csv").decode("utf-8-sig"))))
    answer_text: dict[str, str] = {}  # norm(answer) -> first spelling
    label: dict[str, str] = {}
    utterances: dict[str, dict[str, str]] = {}  # norm(answer) -> norm(Q) -> first spelling
    owners: dict[str, set[str]] = {}  # norm(Q) -> the answers it got
    empty = 0
    for r in rows:
        q, a = clean(r.get("Q") or ""), clean(r.get("A") or "")
        if not q or not a:
            empty += 1
            continue
        na, nq = norm(a), norm(q)
        answer_text.setdefault(na, a)
        label.setdefault(na, CHATBOT_CATEGORIES.get((r.get("label") or "").strip(), "general"))
        utterances.setdefault(na, {}).setdefault(nq, q)
        owners.setdefault(nq, set()).add(na)
    order = {na: sorted(qs, key=lambda nq: h("chatbot-ko", "member", na, nq)) for na, qs in utterances.items()}
    titles = {order[na][0] for na in order}
    sized = 0
    for na in sorted(order, key=lambda na: h("chatbot-ko", "answer", na)):
        members = order[na]
        group = "a" + h("chatbot-ko", "answer", na)[:12]
        c.docs.append(Doc(utterances[na][members[0]], label[na], md_text(answer_text[na]), group))
        if not lo <= len(members) <= hi:
            continue
        sized += 1
        pick = own_query((utterances[na][nq] for nq in members[1:]), owners, na, titles)
        if pick:
            c.queries.append(Query(pick, group))
    shared = sum(1 for nq in owners if len(owners[nq]) > 1)
    if empty:
        c.notes.append(f"{empty} rows with an empty utterance or answer left out")
    c.notes.append(f"{len(rows)} rows, {len(owners)} distinct utterances, {len(order)} distinct answers "
                   f"(= articles); {shared} utterances got more than one answer (never a query)")
    c.notes.append(f"{sized} answers were given to {lo}-{hi} distinct utterances; {sized - len(c.queries)} "
                   "of them have no query (every other utterance also got another answer, or is a title)")
    return c


KORNLI_FILES = ("KorNLI/xnli.dev.ko.tsv", "KorNLI/xnli.test.ko.tsv")


def kornli(repo: Repo) -> Corpus:
    """KorNLI dev + test (XNLI, translated by people): 2,500 premises, each with one entailed hypothesis.

    One article per distinct premise (title and body = the premise). Query = the premise's entailed
    hypothesis, a sentence a crowd worker wrote that must be true whenever the premise is, usually
    shorter and in other words. Hypotheses that follow from more than one premise, or equal a
    premise, are not queries. The neutral and contradiction hypotheses are not used.
    """
    c = Corpus(
        "kornli-ko", "ko", repo, "CC BY-SA 4.0 (LICENSE in the repository and its README); a "
        "translation of XNLI dev/test (facebookresearch/XNLI, listed as CC BY-NC 4.0: non-commercial), whose "
        "English sentences "
        "come from MultiNLI (OANC / fiction / government / travel texts, telephone and face-to-face speech)",
        "KorNLI dev and test (`KorNLI/xnli.{dev,test}.ko.tsv`: columns sentence1 = premise, sentence2 = "
        "hypothesis, gold_label): XNLI's 7,500 English pairs (2,500 premises from the MultiNLI genres: "
        "telephone and face-to-face speech, letters, fiction, government reports, travel guides, "
        "Slate, 9/11 report, OUP non-fiction) translated into Korean by people (KorNLI: machine "
        "translation post-edited by professional translators). Each premise has three hypotheses "
        "written by crowd workers: entailed, neutral, contradicted. One article per distinct premise: "
        "title and body = the premise (ONE sentence, sometimes two). Query = the premise's ENTAILED "
        "hypothesis, which restates or sums up part of the premise, usually shorter and in other "
        "words (\"저는, 그냥 알아내려고 거기 있었어요.\" → \"이해하려고 노력하고 있었어요.\"); "
        "1,000 of them kept by SHA-1. Hypotheses shared by several premises or equal to a premise "
        "are not queries; neutral and contradiction hypotheses are not used at all. No distractors "
        "besides the other premises. These are statements, not questions, and the task is "
        "entailment rather than paraphrase: the query often says less than the article.")
    premise_text: dict[str, str] = {}
    entailed: dict[str, list[str]] = {}  # norm(premise) -> entailed hypotheses
    hyp_premises: dict[str, set[str]] = {}  # norm(hypothesis, any label) -> premises
    rows, malformed = repo.tsv_rows(KORNLI_FILES, 3)
    for r in rows:
        p, hyp, lab = clean(r[0]), clean(r[1]), r[2].strip()
        if not p or not hyp:
            malformed += 1
            continue
        np_ = norm(p)
        premise_text.setdefault(np_, p)
        hyp_premises.setdefault(norm(hyp), set()).add(np_)
        if lab == "entailment":
            entailed.setdefault(np_, []).append(hyp)
    titles = set(premise_text)
    dropped = 0
    for np_ in sorted(premise_text, key=lambda n: h("kornli-ko", "premise", n)):
        group = "p" + h("kornli-ko", "premise", np_)[:12]
        c.docs.append(Doc(premise_text[np_], "general", md_text(premise_text[np_]), group))
        hyps = sorted(entailed.get(np_, []), key=lambda s: h("kornli-ko", "query", np_, s))
        pick = own_query(hyps, hyp_premises, np_, titles)
        if pick:
            c.queries.append(Query(pick, group))
        else:
            dropped += 1
    if malformed:
        c.notes.append(f"{malformed} rows without 3 columns or with an empty sentence left out")
    c.notes.append(f"{len(premise_text)} distinct premises (= articles); {dropped} have no query (their "
                   "entailed hypothesis also belongs to another premise, or equals a premise)")
    return c


SOURCES: dict[str, tuple[Callable[[Repo], Corpus], str]] = {
    "parakqc": (parakqc, "https://github.com/warnikchow/paraKQC"),
    "percqa": (percqa, "https://github.com/PerCQA/PerCQA-Dataset"),
    "persianqa": (persianqa, "https://github.com/sajjjadayobi/PersianQA"),
    "stackfaq": (stackfaq, "https://github.com/ML-Recipes/BERT-FAQ"),
    "banking77": (banking77, "https://github.com/PolyAI-LDN/task-specific-datasets"),
    "stylekqc": (stylekqc, "https://github.com/cynthia/stylekqc"),
    "korsts": (korsts, "https://github.com/kakaobrain/kor-nlu-datasets"),
    "chatbot": (chatbot, "https://github.com/songys/Chatbot_data"),
    "kornli": (kornli, "https://github.com/kakaobrain/kor-nlu-datasets"),
}


# --- writing ------------------------------------------------------------------------------------

def subsample(c: Corpus) -> None:
    """Cap documents and queries (hash order, so reruns agree); drop queries of dropped documents."""
    if len(c.docs) > c.max_docs:
        keep = {id(d) for d in sorted(c.docs, key=lambda d: h(c.name, "doc", d.group))[:c.max_docs]}
        c.notes.append(f"documents subsampled by SHA-1 from {len(c.docs)} to {c.max_docs}")
        c.docs = [d for d in c.docs if id(d) in keep]
    groups = {d.group for d in c.docs}
    c.queries = [q for q in c.queries if q.group in groups]
    if len(c.queries) > MAX_QUERIES:
        c.notes.append(f"queries subsampled by SHA-1 from {len(c.queries)} to {MAX_QUERIES}")
        keep_q = {id(q) for q in sorted(c.queries, key=lambda q: h(c.name, "query", q.group, q.q))[:MAX_QUERIES]}
        c.queries = [q for q in c.queries if id(q) in keep_q]


def article(doc: Doc) -> str:
    meta = yaml.safe_dump({"title": doc.title, "category": doc.category}, allow_unicode=True,
                          sort_keys=False, width=1_000_000)
    return f"---\n{meta}---\n\n{doc.body}\n"


def write(c: Corpus, out: Path) -> dict[str, int]:
    subsample(c)
    root = out / c.name
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)  # a rerun must not leave articles of an earlier conversion behind
    (content / c.lang).mkdir(parents=True)
    slug_of: dict[str, str] = {}
    for n, doc in enumerate(c.docs):
        slug = f"doc-{n:05d}"
        slug_of[doc.group] = slug
        (content / c.lang / f"{slug}.md").write_text(article(doc), encoding="utf-8")
    titles = {norm(d.title) for d in c.docs}
    split = halves(slug_of, c.name)
    counts = {"documents": len(c.docs), "tune": 0, "test": 0}
    with (root / "queries.jsonl").open("w", encoding="utf-8") as f:
        for q in c.queries:
            assert norm(q.q) not in titles, f"{c.name}: query equals a title: {q.q}"
            s = split[q.group]
            counts[s] += 1
            f.write(json.dumps({"q": q.q, "lang": c.lang, "expected": [slug_of[q.group]], "split": s,
                                "group": q.group}, ensure_ascii=False) + "\n")
    counts["tune_docs"] = sum(1 for g in split.values() if g == "tune")
    counts["test_docs"] = len(split) - counts["tune_docs"]
    (root / "SOURCE.md").write_text(source_md(c, counts), encoding="utf-8")
    return counts


def source_md(c: Corpus, counts: dict[str, int]) -> str:
    notes = "".join(f"- {n}\n" for n in c.notes) or "- none\n"
    return f"""# {c.name}

Generated by `bench/corpora/make_corpora.py` (do not edit by hand; rerun it: the command is in
`bench/corpora/README.md`). Benchmark: `.venv/bin/python bench/relevance.py {c.name}`.

| | |
| --- | --- |
| source | {c.repo.url} |
| commit | `{c.repo.commit()}` |
| licence | {c.license} |
| language | `{c.lang}` |
| documents | {counts['documents']} (`content/{c.lang}/doc-NNNNN.md`) |
| queries | {counts['tune'] + counts['test']}: tune {counts['tune']}, test {counts['test']} |

## What was taken and how it was converted

{c.description}

## Split

By document: the documents are ordered by SHA-1 of `"{c.name}", "split", <group>` and the first half
(rounded up: {counts['tune_docs']} of {counts['documents']}) is `tune`, the rest `test`; each query takes
its document's half, so all paraphrases of one document are on the same side. Every document is in
the index for both halves. The `group` field of a query is the source's own key (thread, paragraph,
intent, paraphrase group).

## Subsampling and filtering

{notes}"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for key in SOURCES:
        ap.add_argument(f"--{key}", metavar="REPO", help=f"copy of {SOURCES[key][1]}")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent), help="corpora directory")
    args = ap.parse_args()
    chosen = [(key, getattr(args, key)) for key in SOURCES if getattr(args, key)]
    if not chosen:
        ap.error("name at least one source repository")
    for key, path in chosen:
        convert, url = SOURCES[key]
        corpus = convert(Repo(path, url))
        counts = write(corpus, Path(args.out))
        print(f"{corpus.name}: {counts['documents']} documents, "
              f"{counts['tune']} tune + {counts['test']} test queries")


if __name__ == "__main__":
    main()
