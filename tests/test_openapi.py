"""/api/openapi.json describes the API that exists: its routes, and constraints equal to the validation."""
from __future__ import annotations

import re

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

from helpcenter.insights.records import EVENT_TYPES


@pytest.fixture(scope="module")
def spec(app):
    r = app.test_client().get("/api/openapi.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    return r.get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            yield path, method, op


def test_document_shape(spec):
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] and spec["info"]["version"]


def test_every_documented_route_exists(app, spec):
    urls = app.url_map.bind("localhost")
    for path, method, _ in operations(spec):
        try:
            urls.match(path, method=method.upper())
        except (NotFound, MethodNotAllowed) as exc:  # pragma: no cover - the failure message
            pytest.fail(f"{method.upper()} {path} is documented but not served: {exc}")


def test_every_api_route_is_documented(app, spec):
    served = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/")} | {"/healthz", "/readyz"}
    assert served - {"/api/openapi.json"} <= set(spec["paths"])


def test_every_reference_resolves(spec):
    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(spec):
        target = spec
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        assert isinstance(target, dict), ref


def params(spec, path):
    return {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}


@pytest.mark.parametrize("path", ["/api/search", "/api/suggest"])
def test_documented_constraints_match_the_validation(app, spec, path):
    client = app.test_client()
    p = params(spec, path)
    q, lang, limit = p["q"]["schema"], p["lang"]["schema"], p["limit"]["schema"]
    assert p["q"]["required"] is True

    def status(**args):
        return client.get(path, query_string={"q": "withdrawal", **args}).status_code

    text = ("withdrawal " * 100)[:q["maxLength"]]
    assert status(q=text) == 200 and status(q=text + "x") == 400
    assert status(q="x" * q["minLength"]) == 200 and status(q="x" * (q["minLength"] - 1)) == 400
    assert client.get(path).status_code == 400  # required
    for value in lang["enum"]:
        assert status(lang=value) == 200
    assert status(lang="de") == 400 and status(lang="EN") == 400
    assert status(limit=limit["minimum"]) == 200 and status(limit=limit["maximum"]) == 200
    assert status(limit=limit["minimum"] - 1) == 400 and status(limit=limit["maximum"] + 1) == 400
    assert status(limit="ten") == 400
    many = client.get(path, query_string={"q": "withdrawal password crypto deposit limits", "limit": 50}).get_json()
    default = client.get(path, query_string={"q": "withdrawal password crypto deposit limits"}).get_json()
    assert len(default["results"]) == min(limit["default"], len(many["results"]))


@pytest.mark.parametrize("path", ["/api/search", "/api/suggest"])
def test_documented_response_fields_are_returned(app, spec, path):
    schemas = spec["components"]["schemas"]
    data = app.test_client().get(path, query_string={"q": "withdrawal time", "lang": "ko"}).get_json()
    assert set(schemas["SearchResponse"]["required"]) <= set(data) <= set(schemas["SearchResponse"]["properties"])
    for result in data["results"]:
        assert set(schemas["Result"]["required"]) <= set(result) <= set(schemas["Result"]["properties"])


def test_errors_match_the_error_schema(app, spec):
    client = app.test_client()
    for path, method, op in operations(spec):
        for code, response in op["responses"].items():
            if response.get("content", {}).get("application/json", {}).get("schema") == {
                    "$ref": "#/components/schemas/Error"}:
                assert code in {"400", "403", "404", "413", "429", "503"}, (path, code)
    body = client.get("/api/search?q=").get_json()
    assert list(body) == ["error"] and isinstance(body["error"], str)


def test_event_types_are_the_accepted_ones(app, spec):
    documented = spec["components"]["schemas"]["Event"]["properties"]["type"]["enum"]
    assert documented == list(EVENT_TYPES)
    client = app.test_client()
    for kind in documented:
        assert client.post("/api/events", json={"type": kind}).status_code == 202
    assert client.post("/api/events", json={"type": "page_viewed"}).status_code == 400
    assert client.post("/api/events", data="x" * 70_000, content_type="application/json").status_code == 413
