"""Rate limits, body limits, headers and escaping: the API under abuse answers JSON, never a 500."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpcenter.content.errors import ConfigError
from helpcenter.content.settings import parse_rules
from helpcenter.index.analysis import analyze, normalize
from helpcenter.web import create_app
from helpcenter.web.ratelimit import RateLimiter
from helpcenter.web.services import close_app


@pytest.fixture
def limited_app(built_index, tmp_path):
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": f"sqlite:///{tmp_path}/db",
                      "KB_RATE_LIMIT": "5/minute", "TESTING": True})  # per minute: slow machines do not slide the window
    yield app
    close_app(app)


def test_rate_limit_answers_429_json_with_retry_after(limited_app):
    client = limited_app.test_client()
    codes = [client.get("/api/suggest?q=with&lang=en").status_code for _ in range(8)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3
    r = client.get("/api/search?q=with")
    assert r.status_code == 429 and r.mimetype == "application/json"
    assert int(r.headers["Retry-After"]) >= 1 and "too many requests" in r.get_json()["error"]
    # another client is not affected
    other = client.get("/api/suggest?q=with", environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert other.status_code == 200


def test_proxy_hops_use_the_forwarded_client_address(built_index, tmp_path):
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": f"sqlite:///{tmp_path}/db",
                      "KB_RATE_LIMIT": "2/minute", "KB_PROXY_HOPS": "1", "TESTING": True})
    client = app.test_client()
    a = [client.get("/api/suggest?q=x", headers={"X-Forwarded-For": "10.0.0.1"}).status_code for _ in range(3)]
    b = client.get("/api/suggest?q=x", headers={"X-Forwarded-For": "10.0.0.2"}).status_code
    close_app(app)
    assert a == [200, 200, 429] and b == 200


def test_limiter_lets_a_burst_through_then_one_request_per_interval():
    limiter = RateLimiter([(2, 1.0)])  # 2/second
    assert [limiter.hit("a", 0.0), limiter.hit("a", 0.0)] == [0.0, 0.0]
    assert limiter.hit("a", 0.1) == pytest.approx(0.4)  # the third waits until one interval has passed
    assert limiter.hit("a", 0.3) == pytest.approx(0.2)  # refused requests are not counted
    assert limiter.hit("a", 0.5) == 0.0
    assert limiter.hit("b", 0.1) == 0.0  # another client has its own budget


def test_limiter_applies_every_rule():
    limiter = RateLimiter([(3, 1.0), (4, 60.0)])  # 3/second;4/minute
    assert [limiter.hit("a", 0.0) for _ in range(3)] == [0.0] * 3
    assert limiter.hit("a", 0.0) > 0  # the per-second rule
    assert limiter.hit("a", 1.0) == 0.0
    # the per-minute rule: 4 used by t=1, one comes back every 15 s from the start
    assert limiter.hit("a", 2.0) == pytest.approx(13.0)
    assert limiter.hit("a", 15.0) == 0.0
    assert limiter.hit("a", 16.0) == pytest.approx(14.0)


def test_limiter_forgets_clients_whose_budget_is_full_again():
    limiter = RateLimiter([(20, 1.0), (600, 60.0)])
    for i in range(1000):
        limiter.hit(f"10.0.{i // 250}.{i % 250}", 0.0)
    for _ in range(20):
        limiter.hit("late", 59.5)  # its minute budget is not full again until 61.5
    assert len(limiter) == 1001
    limiter.hit("later", 61.0)  # past the longest period: clients whose budget is full again are dropped
    assert len(limiter) == 2


@pytest.mark.parametrize("spec, rules", [
    ("20/second;600/minute", [(20, 1.0), (600, 60.0)]),
    ("10 per minute", [(10, 60.0)]),
    ("5/2 minutes", [(5, 120.0)]),
    ("3/hour, 4/DAY|1/month", [(3, 3600.0), (4, 86400.0), (1, 2592000.0)]),
])
def test_rate_limits_read_in_the_limits_notation(spec, rules):
    assert parse_rules(spec) == rules


@pytest.mark.parametrize("spec", ["20 a second", "20/fortnight", "0/second", "/second", "20/second;x", ";"])
def test_rate_limits_refuse_what_is_not_a_rule(spec):
    with pytest.raises(ValueError):
        parse_rules(spec)


def test_a_bad_rate_limit_is_a_clear_config_error(built_index, tmp_path):
    with pytest.raises(ConfigError, match="KB_RATE_LIMIT='20 a second'"):
        create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": f"sqlite:///{tmp_path}/db",
                    "KB_RATE_LIMIT": "20 a second", "TESTING": True})


# --- fuzzing: any Unicode, bidi and zero-width marks, control characters, very long strings ----------

weird = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
marks = st.sampled_from(["\u200c", "\u200d", "\u200b", "\u202e", "\u2066", "\ufeff", "\x00", "\x1b", "\u0640",
                         "\u064b", "ㅎ", "ي", "ك", "۱", "\r\n", "%", "<", "'", '"'])
noisy = st.lists(st.one_of(weird, marks), max_size=20).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noisy)
def test_analyzers_never_raise(text):
    assert isinstance(normalize(text), str)
    assert all(isinstance(t, str) and t for t in analyze(text))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(q=noisy, lang=st.sampled_from(["en", "ko", "fa"]))
def test_search_pipeline_never_raises(searcher, q, lang):
    from helpcenter.content.errors import QueryError
    from helpcenter.search.plan import validate

    try:
        q, lang, limit = validate(q, lang, 5, 5)
    except QueryError:
        assert not q.strip() or len(q) > 500
    else:
        for resp in (searcher.search(q, lang, limit), searcher.suggest(q, lang, limit, settled=True)):
            assert len({h.slug for h in resp.hits}) == len(resp.hits)


def test_ten_thousand_characters(searcher):
    from helpcenter.content.errors import QueryError
    from helpcenter.search.plan import validate

    with pytest.raises(QueryError):
        validate("환전 " * 5000, "ko", None, 10)
    resp = searcher.search(("환전" + "\u200c" * 3) * 90, "ko")  # 450 chars of marks and Hangul
    assert resp.hits


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=noisy, lang=st.sampled_from(["en", "ko", "fa", "de", ""]), limit=st.sampled_from(["", "1", "50", "0", "x", "-3"]))
def test_api_answers_200_or_400_json_for_any_input(app, q, lang, limit):
    for path in ("/api/search", "/api/suggest"):
        r = app.test_client().get(path, query_string={"q": q, "lang": lang, "limit": limit})
        assert r.status_code in (200, 400), (r.status_code, q)
        assert r.mimetype == "application/json"


def test_security_headers(client):
    r = client.get("/healthz")
    assert r.headers["X-Content-Type-Options"] == "nosniff"


# --- the generated secret key ----------------------------------------------------------------------

def _read_key(index_dir: str) -> str:
    from helpcenter.web.security import secret_key

    return secret_key("", index_dir)


def test_workers_starting_together_share_one_full_secret_key(tmp_path, monkeypatch):
    import multiprocessing
    import secrets
    import time

    from helpcenter.web import security

    real = secrets.token_hex

    def slow_token_hex(n):  # a slow disk: another worker looks while the key is being written
        time.sleep(0.2)
        return real(n)

    monkeypatch.setattr(security.secrets, "token_hex", slow_token_hex)
    index_dir = str(tmp_path / "var" / "index")
    with multiprocessing.get_context("fork").Pool(8) as pool:  # as gunicorn's workers boot at once
        keys = pool.map(_read_key, [index_dir] * 16)
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]  # no temporary files left


def test_an_empty_key_file_is_a_clear_error(tmp_path):
    from helpcenter.content.errors import ConfigError
    from helpcenter.web.security import secret_key

    (tmp_path / "secret_key").write_text("")
    with pytest.raises(ConfigError, match="secret_key is empty"):
        secret_key("", str(tmp_path / "index"))
    assert secret_key("configured", str(tmp_path / "index")) == "configured"
