"""The editors' dashboard with data, in Debian's Chromium: log in, see the charts, screenshot it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import live_server

from helpcenter.insights.editors import add_editor
from helpcenter.web import create_app
from helpcenter.web.services import close_app

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                 reason="no system Chromium (make install-test installs it)")]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
EMAIL, PASSWORD = "editor@example.com", "dashboard password 1"


@pytest.fixture
def served(built_index, tmp_path):
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": f"sqlite:///{tmp_path}/db",
                      "KB_RATE_LIMIT": "off", "TESTING": True})
    add_editor(app.extensions["kb_db"], EMAIL, PASSWORD)
    client = app.test_client()
    traffic = [("en", "withdrawal time"), ("ko", "환전 언제 돼요"), ("fa", "رمزمو یادم رفته"),
               ("en", "are you hiring customer support agents"), ("ko", "상담원 채용 하나요"),
               ("fa", "استخدام پشتیبان دارید"), ("en", "tax on winnings"), ("ko", "도박 당첨금 세금 내야 하나요"),
               ("ko", "usdt 코인 충전"), ("en", "withdrawal time")]
    for lang, q in traffic:
        client.get("/api/search", query_string={"q": q, "lang": lang})
    for i in range(6):
        sid, visit = f"s{i}", f"v{i}"
        client.post("/api/events", json={"type": "suggestion_shown", "session": sid, "visit": visit})
        if i < 4:
            client.post("/api/events", json={"type": "suggestion_clicked", "session": sid, "slug": "withdrawal-times",
                                            "visit": visit})
        client.post("/api/events", json={"type": "ticket_abandoned" if i < 3 else "ticket_submitted", "session": sid,
                                        "visit": visit})
    client.post("/api/events", json={"type": "article_not_helpful", "slug": "reset-password", "lang": "ko"})
    client.post("/api/events", json={"type": "article_helpful", "slug": "withdrawal-times", "lang": "en"})
    app.extensions["kb_writer"].flush()
    with live_server(app) as url:
        yield SimpleNamespace(url=url, app=app)
    close_app(app)


def test_dashboard_with_data_in_a_browser(served):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(served.url + "/admin/")
        assert page.url.endswith("/admin/login?next=/admin/?") or "/admin/login" in page.url
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(served.url + "/admin/")
        assert page.locator("svg.chart").count() >= 3
        assert "50%" in page.locator("text=of ticket-form visits").locator("..").inner_text()
        assert "Not grouped yet" in page.inner_text("main")  # the page itself never groups
        page.click("button:has-text('Regroup now')")
        page.wait_for_url(served.url + "/admin/")
        assert "Regrouping" in page.inner_text("main")
        served.app.extensions["kb_regroup"].join(30)
        page.reload()
        body = page.inner_text("main")
        assert "상담원 채용 하나요" in body and "missing content" in body
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-dashboard.png"), full_page=True)
        page.goto(served.url + "/admin/gaps")
        page.screenshot(path=str(ARTIFACTS / "admin-gaps.png"), full_page=True)
        assert page.locator("button", has_text="Resolve").count() >= 1
        browser.close()
