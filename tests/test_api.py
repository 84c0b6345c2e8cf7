import pytest

from web import create_app


@pytest.fixture(scope="module")
def app(built_index):
    return create_app({"KB_INDEX_DIR": str(built_index), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def test_healthz_reports_the_index_version(client, built_index):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_json() == {"status": "ok", "index": (built_index / "CURRENT").read_text()}


def test_search_shape(client):
    r = client.get("/api/search", query_string={"q": "환전 언제 돼요", "lang": "ko"})
    assert r.status_code == 200 and r.mimetype == "application/json"
    data = r.get_json()
    assert data["query"] == "환전 언제 돼요" and data["lang"] == "ko" and data["answered"] is True
    assert data["results"][0]["slug"] == "withdrawal-times"
    assert data["results"][0]["url"] == "/ko/articles/withdrawal-times"


def test_suggest_defaults_to_five_and_search_to_ten(client):
    assert len(client.get("/api/suggest?q=withdrawal+password+crypto+limits&lang=en").get_json()["results"]) <= 5


@pytest.mark.parametrize("qs", [
    "", "q=", "q=%20%20", "q=" + "x" * 501, "q=ok&lang=de", "q=ok&limit=abc", "q=ok&limit=0", "q=ok&limit=51",
    "q=ok&limit=-1",
])
@pytest.mark.parametrize("path", ["/api/search", "/api/suggest"])
def test_bad_input_is_400_json(client, path, qs):
    r = client.get(f"{path}?{qs}")
    assert r.status_code == 400
    assert r.mimetype == "application/json"
    assert set(r.get_json()) == {"error"} and r.get_json()["error"]


def test_unknown_api_path_is_json_404(client):
    r = client.get("/api/nope")
    assert r.status_code == 404 and r.get_json()["error"]


def test_missing_index_answers_503_json(tmp_path):
    client = create_app({"KB_INDEX_DIR": str(tmp_path), "TESTING": True}).test_client()
    r = client.get("/api/search?q=hello")
    assert r.status_code == 503 and "kb build" in r.get_json()["error"]
