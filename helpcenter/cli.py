"""The `kb` console script: build, search, serve, eval (and more as the service grows).

The commands import the later stages (indexer, search, web) inside their bodies: `kb` is the first
stage and the library part of it must not depend on the stages after it.
"""
from __future__ import annotations

import json
import logging
import sys
import time

import click

from helpcenter.content.errors import KBError, describe
from helpcenter.content.settings import load_settings
from helpcenter.languages import DEFAULT, LANGS

log = logging.getLogger(__name__)


def _settings(**overrides: str | None) -> dict[str, str]:
    return load_settings({k: v for k, v in overrides.items() if v is not None})


def _open_searcher(settings: dict[str, str]):
    from helpcenter.index.versions import open_index
    from helpcenter.search.searcher import Searcher

    return Searcher(open_index(settings["KB_INDEX_DIR"], settings["KB_ENCODER"]))


class KBGroup(click.Group):
    """Turns the service's own errors into a clean message and exit code 1, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KBError as exc:
            raise click.ClickException(str(exc)) from None
        except ValueError as exc:  # e.g. an unknown KB_ENCODER name
            raise click.ClickException(str(exc)) from None


@click.group(cls=KBGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
def main(verbose: bool) -> None:
    """Multilingual help-center search."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


class BuildProgress:
    """`kb build`'s progress on stderr: a bar with the time left for each long step on a terminal, plain
    lines elsewhere (a log, CI): where it stands every `PLAIN_EVERY` seconds, with the time left."""

    PLAIN_EVERY = 5.0

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.step: str | None = None
        self.bar = None
        self.first: tuple[float, int] = (0.0, 0)  # when the step was first heard of, and how far it was
        self.shown = 0.0

    def say(self, message: str) -> None:
        self._end()
        click.echo(message, file=self.stream)

    def count(self, step: str, done: int, total: int) -> None:
        now = time.monotonic()
        if step != self.step:
            self._end()
            self.step, self.first, self.shown = step, (now, done), now
            if self.tty:
                from tqdm import tqdm

                self.bar = tqdm(total=total, initial=done, desc=step, unit=step.rsplit(" ", 1)[-1],
                                file=self.stream, dynamic_ncols=True, leave=True)
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
        elif done and (done >= total or now - self.shown >= self.PLAIN_EVERY):
            line = f"{step}: {done}/{total} ({100 * done // max(1, total)}%)"
            began, at = self.first
            if done >= total:
                line += f", {now - began:.1f}s"
            elif done > at:
                line += f", about {_duration((now - began) / (done - at) * (total - done))} left"
            click.echo(line, file=self.stream)
            self.shown = now
        if done >= total:
            self._end()

    def _end(self) -> None:
        if self.bar is not None:
            self.bar.close()
        self.bar, self.step = None, None


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


@main.command()
@click.option("--content", "content_dir", help="Content directory (default: KB_CONTENT_DIR).")
@click.option("--index", "index_dir", help="Index directory (default: KB_INDEX_DIR).")
@click.option("--skip-invalid", is_flag=True, help="Report broken articles and build without them.")
@click.option("--golden", "golden_path", type=click.Path(exists=True, dir_okay=False),
              help="Fit the no-answer model on this golden set (default: the model packaged for the encoder).")
@click.option("--if-changed", is_flag=True,
              help="Build only when the live version was not built from this same content and settings.")
def build(content_dir: str | None, index_dir: str | None, skip_invalid: bool, golden_path: str | None,
          if_changed: bool) -> None:
    """Build keyword + vector indexes into a new version and switch to it atomically.

    Keeps KB_KEEP_VERSIONS versions (the live one and the newest before it) and removes older ones.
    """
    from helpcenter.content.articles import load_articles
    from helpcenter.index.scope import load_out_of_scope, load_services, load_topics
    from helpcenter.index.synonyms import load_synonyms
    from helpcenter.index.versions import build_index, build_inputs, content_hash, unchanged_version
    from helpcenter.search import answer
    from helpcenter.search.answer import trainer
    from helpcenter.search.evaluate import load_golden

    settings = _settings(KB_CONTENT_DIR=content_dir, KB_INDEX_DIR=index_dir)
    inputs = build_inputs(settings["KB_CONTENT_DIR"], settings["KB_ENCODER"], golden_path, skip_invalid)
    if not golden_path:  # the packaged no-answer model comes with the code: a new one is a reason to build
        inputs["packaged_answer_models"] = content_hash(answer.PACKAGED)
    if if_changed:
        live = unchanged_version(settings["KB_INDEX_DIR"], inputs)
        if live:
            click.echo(f"index {live} is up to date: built from the same content with the same settings; "
                       "not rebuilt")
            return
    report = load_articles(settings["KB_CONTENT_DIR"], skip_invalid=skip_invalid)
    for err in report.skipped:
        click.echo(f"skipped {err}", err=True)
    if not report.articles:
        raise click.ClickException(f"no articles found in {settings['KB_CONTENT_DIR']} (expected <lang>/<slug>.md)")
    synonyms = load_synonyms(settings["KB_CONTENT_DIR"])
    out_of_scope = load_out_of_scope(settings["KB_CONTENT_DIR"])
    golden = load_golden(golden_path) if golden_path else None
    shown = BuildProgress()
    result = build_index(report, settings["KB_INDEX_DIR"], settings["KB_ENCODER"], progress=shown.say,
                         counter=shown.count, synonyms=synonyms, keep=settings["KB_KEEP_VERSIONS"], inputs=inputs,
                         out_of_scope=out_of_scope, services=load_services(settings["KB_CONTENT_DIR"]),
                         topics=load_topics(settings["KB_CONTENT_DIR"]),
                         train=trainer(golden, f"fitted on {golden_path}" if golden_path else ""))
    counts = ", ".join(f"{lang} {n}" for lang, n in result.counts.items())
    click.echo(f"built index {result.version}: {counts} articles, {result.passages} passages "
               f"in {result.seconds:.1f}s -> {result.path}")
    model = result.manifest.get("trained", {}).get("answer_model.json")
    if model is None:
        click.echo(f"warning: no no-answer model for {result.manifest['encoder']['name']}: this index cannot "
                   "serve; build again with --golden FILE", err=True)
    else:
        accuracy = ", ".join(f"{lang} {v:.2f}" for lang, v in (model.get("accuracy") or {}).items())
        click.echo(f"no-answer model: {model['source']}" + (f" (cross-validated accuracy {accuracy})" if accuracy else ""))


@main.command()
@click.argument("query")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT.code, show_default=True, help="Reader's language.")
@click.option("--limit", type=click.IntRange(1, 50), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
def search(query: str, lang: str, limit: int, as_json: bool) -> None:
    """Search the built index, as the API does."""
    from helpcenter.search.plan import validate
    from helpcenter.web.shapes import response_json

    query, lang, limit = validate(query, lang, limit, limit)
    resp = _open_searcher(_settings()).search(query, lang, limit)
    if as_json:
        click.echo(json.dumps(response_json(resp), ensure_ascii=False, indent=2))
        return
    click.echo(("answered" if resp.answered else "NO ANSWER") + f" (confidence {resp.confidence:.2f})")
    for i, h in enumerate(resp.hits, start=1):
        flag = f" [{h.lang}, not translated]" if h.fallback else ""
        where = f"#{h.anchor}" if h.anchor else ""
        click.echo(f"{i:2}. {h.score:.3f} {h.title}{flag}\n    /{h.lang}/articles/{h.slug}{where}\n    {h.snippet}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the site and API with the development server."""
    from helpcenter.web import create_app

    create_app().run(host=host, port=port, threaded=True)


def _print_eval_table(results: dict[str, dict[str, dict[str, float]]]) -> None:
    langs = [k for k in next(iter(results.values())) if k != "all"] + ["all"]
    metrics = ("success@1", "success@3", "mrr@10", "no_answer_acc")
    modes = list(results)
    click.echo(f"{'lang':5} {'n':>4} {'ood':>4}  " + "  ".join(f"{m:>13}" for m in metrics))
    click.echo(f"{'':15}" + "  ".join(f"{'/'.join(x[:3] for x in modes):>13}" for _ in metrics))
    for lang in langs:
        row = results[modes[0]][lang]
        cells = ["/".join(f"{results[mode][lang][m]:.2f}" for mode in modes) for m in metrics]
        click.echo(f"{lang:5} {row['queries']:4.0f} {row['ood']:4.0f}  " + "  ".join(f"{c:>13}" for c in cells))


@main.command("eval")
@click.option("--golden", "golden_path", default="eval/golden.jsonl", show_default=True,
              type=click.Path(exists=True, dir_okay=False))
@click.option("--fusion", type=click.Choice(["combine", "learned", "rrf"]), help="Another fusion than the default (learned), for search and, with --prefix or --cases, suggest.")
@click.option("--failures", is_flag=True, help="List the queries the hybrid gets wrong.")
@click.option("--prefix", is_flag=True, help="As-you-type: replay every prefix of the golden queries through "
              "suggest (Korean with its half-composed syllables), then the special cases.")
@click.option("--cases", is_flag=True, help="As-you-type: Success@3 of suggest on the special cases only.")
@click.option("--cases-file", default="eval/suggest_cases.jsonl", show_default=True,
              type=click.Path(dir_okay=False), help="The special cases (layout, jamo, choseong, variant, typo).")
@click.option("--answers", "answers_file", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Direct answers: coverage and precision per language on the tuning and test halves, "
              "against the expected sections in this file (eval/answers.jsonl).")
@click.option("--half", type=click.Choice(["tune", "test"]),
              help="Only the golden queries of this half (`evaluate.split_of`): tune on one, report the other.")
@click.option("--json", "as_json", is_flag=True)
def eval_cmd(golden_path: str, fusion: str | None, failures: bool, prefix: bool, cases: bool, cases_file: str,
             answers_file: str | None, half: str | None, as_json: bool) -> None:
    """Run the golden queries: Success@1/@3, MRR@10, no-answer accuracy per language.

    Each cell shows hybrid/keyword-only/vector-only, so the fusion's gain is visible. With --prefix or
    --cases, evaluates the as-you-type suggestions instead; with --answers, the direct answers.
    """
    from helpcenter.search.evaluate import evaluate, load_golden, split_of

    if half and answers_file:
        raise click.UsageError("--half does not apply to --answers: it tunes on one half and reports both")
    searcher = _open_searcher(_settings())
    golden = load_golden(golden_path)
    if half:
        golden = [g for g in golden if split_of(g.q, g.lang) == half]
    if answers_file:
        _eval_answers(searcher, golden, answers_file, failures, as_json)
        return
    if prefix or cases:
        _eval_suggest(searcher, golden if prefix else [], cases_file, failures, as_json, fusion)
        return
    wrong: list = []
    t = time.perf_counter()
    results = {
        "hybrid": evaluate(searcher, golden, "hybrid", fusion, wrong),
        "keyword": evaluate(searcher, golden, "keyword"),
        "vector": evaluate(searcher, golden, "vector"),
    }
    if as_json:
        click.echo(json.dumps(results, indent=2))
    else:
        click.echo(f"{len(golden)} golden queries, index {searcher.index.version}, "
                   f"{time.perf_counter() - t:.1f}s")
        _print_eval_table(results)
    if failures:
        for g, slugs, answered, conf in wrong:
            click.echo(f"  [{g.lang}] {g.q!r} expected {list(g.expected) or 'NO ANSWER'} got {slugs} "
                       f"answered={answered} p={conf:.2f}", err=True)


def _storage(settings: dict[str, str]):
    from helpcenter.insights.db import Database

    return Database(settings["KB_DATABASE_URL"], settings["KB_DB_AUTO_UPGRADE"])


@main.command()
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only activity since this date (default: 30 days).")
@click.option("--lang", type=click.Choice(LANGS), help="Only queries in this reader language.")
@click.option("--all", "include_closed", is_flag=True, help="Include resolved and dismissed groups.")
@click.option("--no-regroup", is_flag=True, help="Report the groups of the last regrouping without regrouping.")
@click.option("--json", "as_json", is_flag=True)
def gaps(since, lang: str | None, include_closed: bool, no_regroup: bool, as_json: bool) -> None:
    """The unanswered-query report editors see, grouped by meaning across languages.

    Regroups first (the encoder reads the unanswered queries of the last 90 days), so running it from
    cron keeps the admin's pages, which only read the groups, up to date.
    """
    import datetime as dt

    from helpcenter.index.encoders import share_query_embeddings
    from helpcenter.insights.gaps import GapReport, report_json

    settings = _settings()
    store = _storage(settings)
    report = GapReport(store)
    if not no_regroup:
        share_query_embeddings(settings["KB_QUERY_CACHE"])  # the server's workers embedded most of them
        index = _open_searcher(settings).index
        report = GapReport(store, index.encoder, index.passage_mean)
        report.regroup()
    since_utc = since.replace(tzinfo=dt.timezone.utc) if since else None
    groups = report.read(since=since_utc, lang=lang, include_closed=include_closed)
    store.dispose()
    if as_json:
        click.echo(json.dumps(report_json(groups), ensure_ascii=False, indent=2))
        return
    if not groups:
        click.echo("no gaps in this period")
    for grp in groups:
        langs = " ".join(f"{k}:{v}" for k, v in grp.languages.items())
        about = f" {grp.slug}" if grp.slug else ""
        status = "" if grp.status == "open" else f" [{grp.status}{' by ' + grp.resolved_slug if grp.resolved_slug else ''}]"
        click.echo(f"#{grp.id} {grp.kind}{about}{status}: {grp.size} queries ({langs}), "
                   f"{grp.first_seen:%Y-%m-%d}..{grp.last_seen:%Y-%m-%d}, {grp.direction}")
        for sample in grp.samples:
            click.echo(f"    {sample}")


@main.group("import")
def import_group() -> None:
    """Bring articles in from another help center."""


@import_group.command("zendesk")
@click.argument("source", type=click.Path(exists=True))
@click.option("--content", "content_dir", help="Where the articles go (default: KB_CONTENT_DIR).")
@click.option("--overwrite", is_flag=True, help="Replace articles that exist already.")
@click.option("--include-drafts", is_flag=True, help="Import draft articles too.")
def import_zendesk_cmd(source: str, content_dir: str | None, overwrite: bool, include_drafts: bool) -> None:
    """Articles from a Zendesk Guide export (the Help Center API's JSON: a directory, a file or a .zip):
    HTML to Markdown, locales to en/ko/fa, sections to categories, labels to tags and keywords, one slug
    for an article's translations. Prints what could not be converted; then run `kb build`."""
    from helpcenter.content.zendesk import import_zendesk

    out = content_dir or _settings()["KB_CONTENT_DIR"]
    report = import_zendesk(source, out, overwrite=overwrite, include_drafts=include_drafts)
    click.echo(report.summary(limit=50))


@main.group()
def editor() -> None:
    """Editor accounts for the /admin/ area."""


@editor.command("add")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
def editor_add(email: str, password_stdin: bool) -> None:
    """Create an editor account; the password is asked for (never given on the command line, where
    the process list would show it)."""
    from helpcenter.insights.editors import add_editor

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    store = _storage(_settings())
    try:
        add_editor(store, email, password)
    finally:
        store.dispose()
    click.echo(f"editor {email.strip().lower()} added")


@editor.command("remove")
@click.argument("email")
def editor_remove(email: str) -> None:
    """Delete an editor account; its sessions end at once."""
    from helpcenter.insights.editors import remove_editor

    store = _storage(_settings())
    try:
        if not remove_editor(store, email):
            raise click.ClickException(f"there is no editor {email.strip().lower()}")
    finally:
        store.dispose()
    click.echo(f"editor {email.strip().lower()} removed")


@main.group()
def telegram() -> None:
    """The Telegram bot (POST /channels/telegram)."""


@telegram.command("set-webhook")
@click.argument("url", required=False)
def telegram_set_webhook(url: str | None) -> None:
    """Register URL (default: KB_PUBLIC_URL + /channels/telegram) as the bot's webhook, with
    KB_TELEGRAM_SECRET as the secret Telegram sends back, through the Bot API (KB_TELEGRAM_TOKEN,
    KB_TELEGRAM_API_URL)."""
    from helpcenter.web.channels.telegram import set_webhook

    settings = _settings()
    if not url:
        if not settings["KB_PUBLIC_URL"]:
            raise click.UsageError("give the webhook's URL, or set KB_PUBLIC_URL")
        url = settings["KB_PUBLIC_URL"].rstrip("/") + "/channels/telegram"
    answer = set_webhook(settings["KB_TELEGRAM_TOKEN"], url, settings["KB_TELEGRAM_SECRET"],
                         api_url=settings["KB_TELEGRAM_API_URL"])
    click.echo(f"webhook set to {url}: {answer.get('description', 'ok')}")


@main.group()
def db() -> None:
    """The service's database schema (KB_DATABASE_URL)."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema to this code's revision (Alembic): the one way the schema changes.

    Safe to run again, and while servers of the same code run; run it before starting a newer version
    on a database an older one used."""
    from helpcenter.insights.db import engine_for, schema_state, upgrade

    url = _settings()["KB_DATABASE_URL"]
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            before = schema_state(conn)
        revision = upgrade(engine)
    except KBError:
        raise
    except Exception as exc:  # the server cannot be reached, a step failed: the schema is as it was
        raise click.ClickException(f"the database schema could not be upgraded: {describe(exc)}") from None
    finally:
        engine.dispose()
    if before.current:
        click.echo(f"database schema already at revision {revision}")
    else:
        click.echo(f"database schema upgraded from {before.describe()} to revision {revision}")


@db.command("status")
def db_status() -> None:
    """Print the database schema's revision and this code's; exit 1 when they differ."""
    from helpcenter.insights.db import engine_for, schema_state

    engine = engine_for(_settings()["KB_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            state = schema_state(conn)
    except Exception as exc:
        raise click.ClickException(f"cannot read the database: {describe(exc)}") from None
    finally:
        engine.dispose()
    click.echo(f"database: {state.describe()}; this code: revision {state.head}")
    if not state.current:
        raise click.ClickException("the schema is not this code's: run `kb db upgrade`" if not state.unknown
                                   else "the schema is newer than this code")


@main.command()
@click.option("--days", type=click.IntRange(min=1), help="Keep this many days (default: KB_RETENTION_DAYS).")
def prune(days: int | None) -> None:
    """Delete query logs, events, cached query embeddings and tickets older than their retention."""
    from helpcenter.index.encoders import SharedQueryStore

    settings = _settings()
    try:
        keep = days or int(settings["KB_RETENTION_DAYS"])
        keep_tickets = int(settings["KB_TICKET_RETENTION_DAYS"])
    except ValueError:
        raise click.ClickException("KB_RETENTION_DAYS and KB_TICKET_RETENTION_DAYS must be whole numbers") from None
    store = _storage(settings)
    try:
        removed = store.prune(keep, keep_tickets)
    finally:
        store.dispose()
    vectors = SharedQueryStore(settings["KB_QUERY_CACHE"]).prune(keep) if settings["KB_QUERY_CACHE"] else 0
    click.echo(f"removed {removed['queries']} queries, {removed['events']} events and {vectors} cached query "
               f"embeddings older than {keep} days, {removed['tickets']} tickets older than {keep_tickets} days")


def _eval_answers(searcher, golden: list, answers_file: str, failures: bool, as_json: bool) -> None:
    """`kb eval --answers`: direct answers per language and half (the policy was tuned on "tune")."""
    from helpcenter.search.evaluate import evaluate_answers, load_answers

    expected = load_answers(answers_file)
    wrong: list = []
    results = {half: evaluate_answers(searcher, golden, expected, half, wrong if failures else None)
               for half in ("tune", "test")}
    if as_json:
        click.echo(json.dumps(results, indent=2))
    else:
        click.echo(f"direct answers, index {searcher.index.version} (policy tuned on the tuning half)")
        click.echo(f"{'lang':5} {'half':5} {'answerable':>10} {'answers':>7} {'coverage':>8} {'precision':>9}")
        for lang in sorted(results["tune"]):
            for half, per in results.items():
                r = per[lang]
                click.echo(f"{lang:5} {half:5} {r['answerable']:10d} {r['answers']:7d} {r['coverage']:8.2f} "
                           f"{r['precision']:9.2f}")
    for g, slug, anchor, sections in wrong:
        click.echo(f"  [{g.lang}] {g.q!r} answered from {slug}#{anchor}, expected {list(sections) or 'NO ANSWER'}",
                   err=True)


def _eval_suggest(searcher, golden: list, cases_file: str, failures: bool, as_json: bool,
                  fusion: str | None = None) -> None:
    """`kb eval --prefix` / `--cases`: as-you-type quality per language and suggest latency."""
    from pathlib import Path

    from helpcenter.search.evaluate import PREFIX_BUCKETS, bucket_of, evaluate_cases, evaluate_prefixes, load_cases

    t = time.perf_counter()
    missed: list = []
    wrong: list = []
    results: dict = {}
    if golden:
        results["prefix"] = evaluate_prefixes(searcher, golden, failures=missed, fusion=fusion)
    if Path(cases_file).exists():
        results["cases"] = evaluate_cases(searcher, load_cases(cases_file), failures=wrong, fusion=fusion)
    elif not golden:
        raise click.ClickException(f"{cases_file} not found")
    if as_json:
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        click.echo(f"index {searcher.index.version}, {time.perf_counter() - t:.1f}s")
        if "prefix" in results:
            pre = results["prefix"]
            names = [bucket_of(lo) for lo, _ in PREFIX_BUCKETS]
            click.echo("suggest Success@3 by prefix length (characters on screen; Korean includes "
                       "half-composed syllables)")
            click.echo(f"{'lang':5} {'queries':>7} {'states':>6}  " + " ".join(f"{n:>6}" for n in names)
                       + f" {'all':>6}  {'keys to top3':>12} {'share typed':>11} {'never':>5}")
            for lang, row in pre.items():
                if lang == "latency_ms":
                    continue
                cells = " ".join(f"{row['success@k_by_length'][n]:6.2f}" if n in row["success@k_by_length"]
                                 else f"{'-':>6}" for n in names)
                click.echo(f"{lang:5} {row['queries']:7d} {row['states']:6d}  {cells} {row['success@k_all']:6.2f}"
                           f"  {row['keystrokes_to_top']:12.2f} {row['share_typed']:11.2f} {row['never']:5d}")
            lat = pre.get("latency_ms")
            if lat:
                click.echo(f"suggest latency over {lat['calls']} calls: p50 {lat['p50']:.1f} ms, "
                           f"p95 {lat['p95']:.1f} ms")
        if "cases" in results:
            click.echo(f"special cases ({cases_file}): Success@3 per language and kind")
            for lang, kinds in results["cases"].items():
                cells = ", ".join(f"{kind} {v['success@3']:.2f} (n={v['n']})" for kind, v in kinds.items()
                                  if kind != "all")
                click.echo(f"{lang:5} {kinds['all']['success@3']:.2f} (n={kinds['all']['n']})  {cells}")
    if failures:
        for g in missed:
            click.echo(f"  [{g.lang}] {g.q!r}: {list(g.expected)} never in the top 3 while typing", err=True)
        for c, slugs in wrong:
            click.echo(f"  [{c.lang}] {c.kind} {c.q!r} expected {list(c.expected)} got {slugs}", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
