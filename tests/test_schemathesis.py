"""Schemathesis against /api/openapi.json: generated requests find no 500 and no schema mismatch.

Schemathesis' own pytest plugin does not run under pytest 9 here, so its strategies are driven by
Hypothesis directly; the checks are schemathesis' defaults (no server error, status codes, content
types and response bodies as documented, invalid input rejected, valid input accepted).
"""
import pytest
from hypothesis import HealthCheck, given, settings

from helpcenter.web import create_app
from helpcenter.web.services import close_app

schemathesis = pytest.importorskip("schemathesis")
OPERATIONS = [("GET", "/api/search"), ("GET", "/api/suggest"), ("POST", "/api/suggest"), ("POST", "/api/events"),
              ("POST", "/api/tickets/{number}/status"), ("GET", "/healthz"), ("GET", "/readyz")]


@pytest.fixture(scope="module")
def api_schema(built_index, tmp_path_factory):
    db = tmp_path_factory.mktemp("st") / "db"
    app = create_app({"KB_INDEX_DIR": str(built_index), "KB_DATABASE_URL": f"sqlite:///{db}",
                      "KB_RATE_LIMIT": "off", "TESTING": True})
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    close_app(app)


def test_every_documented_operation_is_tested(api_schema):
    documented = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert documented == set(OPERATIONS)


@pytest.mark.parametrize("method, path", OPERATIONS)
def test_operation_conforms(api_schema, method, path):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate()

    run()
