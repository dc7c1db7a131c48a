"""Every operation of the OpenAPI schema documents the errors it can answer, each
with its body: 400, 401, 403 and 429 everywhere, 404 where the path names an
object, and the body of any 409 an operation declares. A body an operation
declares itself (a 400 with per-item results) is kept."""

import pytest
from drf_spectacular.generators import SchemaGenerator

METHODS = {"get", "put", "patch", "post", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def _schema_of(answer):
    return answer["content"]["application/json"]["schema"]


def test_every_operation_documents_its_error_answers_with_a_body(schema):
    operations = list(_operations(schema))
    assert len(operations) > 20
    missing = []
    for path, method, operation in operations:
        responses = operation["responses"]
        codes = ["400", "401", "403", "429"] + (["404"] if "{" in path else [])
        codes += [code for code in ("409",) if code in responses]
        for code in codes:
            answer = responses.get(code)
            if not answer or not answer.get("description") or not answer.get("content"):
                missing.append(f"{method.upper()} {path} {code}")
                continue
            assert _schema_of(answer), (method, path, code)
    assert missing == []


def test_the_error_body_is_the_one_the_api_answers(schema, client):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]
    assert set(error["properties"]) == {"detail", "code"}
    # An unauthenticated call answers exactly that shape.
    response = client.get("/api/v1/blacklist/entries/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert set(response.json()) <= {"detail", "code"}
    assert "detail" in response.json()
