"""The editors' area: login, dashboard with charts, the gap report with resolve/dismiss, CSV export."""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import logging
import threading

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from helpcenter.insights import analytics, outbox
from helpcenter.insights.editors import authenticate, end_sessions, session_valid
from helpcenter.insights.gaps import GapReport
from helpcenter.insights.tickets import STATUSES
from helpcenter.insights.tickets import listing as ticket_listing
from helpcenter.languages import LANGS
from helpcenter.web.charts import bar_chart, funnel_chart, sparkline
from helpcenter.web.ratelimit import client
from helpcenter.web.security import check_csrf
from helpcenter.web.services import database, deliverer, get_searcher

log = logging.getLogger(__name__)

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="admin_templates")


def login_required(view):
    """Only for a session of an account that still exists and has not logged out since."""
    @functools.wraps(view)
    def wrapped(**kwargs):
        editor_id, epoch = session.get("editor_id"), session.get("epoch")
        if not isinstance(editor_id, int) or not isinstance(epoch, int) or \
                not session_valid(database(), editor_id, epoch):
            session.clear()
            return redirect(url_for("admin.login", next=request.full_path if request.method == "GET" else None))
        g.editor = session["editor"]
        return view(**kwargs)
    return wrapped


@bp.before_request
def _csrf_on_every_post():
    if request.method == "POST":
        check_csrf()


@bp.route("/login", methods=["GET", "POST"])
def login():
    error, status = "", 200
    if request.method == "POST":
        result = authenticate(database(), request.form.get("email", ""), request.form.get("password", ""),
                              address=client(), secret=current_app.secret_key)
        if result.ok:
            session.clear()
            session.update(editor=result.email, editor_id=result.editor_id, epoch=result.epoch)
            target = request.args.get("next") or ""
            # only our own admin pages, never an absolute or protocol-relative URL
            if not target.startswith("/admin/") or target.startswith("//"):
                target = url_for("admin.dashboard")
            return redirect(target)
        status = 401
        error = "Wrong e-mail or password."
        if result.retry_after:
            status = 429
            error = f"Too many failed attempts. Try again in {result.retry_after} seconds."
    return render_template("admin_login.html", error=error), status


@bp.post("/logout")
def logout():
    if isinstance(session.get("editor_id"), int):
        end_sessions(database(), session["editor_id"])  # every session of the account, not only this one
    session.clear()
    return redirect(url_for("admin.login"))


def _report(regrouping: bool = False) -> GapReport:
    """The gap report; pages only read it, so only a regrouping needs the index's encoder."""
    if not regrouping:
        return GapReport(database())
    index = get_searcher().index
    return GapReport(database(), index.encoder, index.passage_mean)


def _filters() -> tuple[dt.datetime, str | None, int]:
    try:
        days = max(1, min(365, int(request.args.get("days", 30))))
    except ValueError:
        days = 30
    lang = request.args.get("lang") or None
    if lang not in (None, *LANGS):
        abort(400, description="unknown language")
    return dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days), lang, days


@bp.get("/")
@login_required
def dashboard():
    store = database()
    since, lang, days = _filters()
    per_day = analytics.searches_per_day(store, 14)
    rates = analytics.no_answer_rate(store, days)
    funnel = analytics.deflection_funnel(store, days)
    report = _report()
    groups = report.read(since=since, lang=lang)[:10]
    return render_template(
        "admin_dashboard.html", days=days, lang=lang, regrouped=report.last_regrouping(),
        ungrouped=report.ungrouped(since),
        per_day_chart=bar_chart([(d[5:], n) for d, n in per_day], "Searches per day (last 14 days)"),
        rate_chart=bar_chart([(lng, 100 * m / t if t else 0) for lng, (m, t) in rates.items()],
                             "No-answer rate per language (%)", value_format="{:.0f}%", color="#c0392b",
                             height=170),
        rates=rates, funnel=funnel, channels=analytics.deflection_by_channel(store, days),
        funnel_chart=funnel_chart([("Suggestions shown", funnel["shown"]), ("Article opened", funnel["opened"]),
                                   ("Solved (no ticket)", funnel["solved"]),
                                   ("Ticket submitted", funnel["submitted"])], "Ticket-form visits, by step"),
        top=analytics.top_queries(store, days), groups=groups, sparkline=sparkline,
        helpful=analytics.helpful_ratios(store, max(days, 90)))


@bp.get("/gaps")
@login_required
def gaps():
    since, lang, days = _filters()
    show = request.args.get("show", "open")
    report = _report()
    groups = report.read(since=since, lang=lang, include_closed=show == "all")
    slugs = sorted({a.slug for a in get_searcher().index.articles.values()})
    return render_template("admin_gaps.html", groups=groups, days=days, lang=lang, show=show, slugs=slugs,
                           sparkline=sparkline, regrouped=report.last_regrouping(), ungrouped=report.ungrouped(since),
                           langs=LANGS)


@bp.post("/gaps/regroup")
@login_required
def gaps_regroup():
    """Start a regrouping in the background: with thousands of new unanswered queries the encoder may
    need longer than a request may take. One at a time per process."""
    running = current_app.extensions.get("kb_regroup")
    if running is not None and running.is_alive():
        flash("A regrouping is running already; the groups change when it is done.")
    else:
        report = _report(regrouping=True)

        def regroup() -> None:
            try:
                run = report.regroup()
                log.info("regrouped %d unanswered queries into %d groups", run.queries, run.groups)
            except Exception:
                log.exception("regrouping failed")

        thread = threading.Thread(target=regroup, name="kb-regroup", daemon=True)
        current_app.extensions["kb_regroup"] = thread
        thread.start()
        flash("Regrouping the unanswered queries; reload this page in a moment to see the groups.")
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("admin.gaps"))


@bp.get("/gaps.csv")
@login_required
def gaps_csv():
    since, lang, _ = _filters()
    groups = _report().read(since=since, lang=lang, include_closed=True)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "kind", "status", "size", "languages", "article", "resolved_by", "first_seen", "last_seen",
                "direction", "samples"])
    for grp in groups:
        w.writerow([grp.id, grp.kind, grp.status, grp.size, " ".join(f"{k}:{v}" for k, v in grp.languages.items()),
                    grp.slug, grp.resolved_slug, grp.first_seen.isoformat(), grp.last_seen.isoformat(),
                    grp.direction, " | ".join(_csv_safe(s) for s in grp.samples)])
    return Response("\ufeff" + buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=kb-gaps.csv"})


def _csv_safe(text: str) -> str:
    """Neutralize spreadsheet formulas in player-typed text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


MAX_ID = 2**31 - 1  # ids are 32-bit integers in every database the service runs on


@bp.get("/tickets")
@login_required
def tickets_page():
    """Tickets, newest first, filtered by status, language and category, with each destination's
    delivery state and the articles the player was shown."""
    filters = {name: request.args.get(name) or None for name in ("status", "lang", "category")}
    if filters["status"] not in (None, *STATUSES) or filters["lang"] not in (None, *LANGS):
        abort(400, description="unknown status or language")
    found = ticket_listing(database(), **filters)
    deliveries = outbox.states(database(), [t.id for t in found])
    categories = sorted({t.category for t in ticket_listing(database(), limit=1000)})
    return render_template("admin_tickets.html", tickets=found, deliveries=deliveries, filters=filters,
                           statuses=STATUSES, langs=LANGS, categories=categories,
                           destinations=current_app.extensions["kb_delivery"].destinations())


@bp.post("/tickets/<int:ticket_id>/retry")
@login_required
def ticket_retry(ticket_id: int):
    if ticket_id > MAX_ID or not outbox.retry(database(), ticket_id):
        abort(404, description="nothing to send again for this ticket")
    deliverer().wake()
    flash("Sending the ticket's messages again.")
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url)
                    else url_for("admin.tickets_page"))


@bp.post("/gaps/<int:group_id>/<action>")
@login_required
def gap_action(group_id: int, action: str):
    report = _report()
    if action == "resolve":
        slug = request.form.get("slug", "").strip()
        if not slug or not any(a.slug == slug for a in get_searcher().index.articles.values()):
            abort(400, description="name the article that now answers this gap")
        status, message = ("resolved", slug), f"Group {group_id} marked resolved by {slug}."
    elif action in ("dismiss", "reopen"):
        status = ("dismissed" if action == "dismiss" else "open", None)
        message = f"Group {group_id} {'dismissed' if action == 'dismiss' else 'reopened'}."
    else:
        abort(404)
    if group_id > MAX_ID or not report.set_status(group_id, *status):
        abort(404, description=f"there is no gap group {group_id}")
    flash(message)
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("admin.gaps"))
