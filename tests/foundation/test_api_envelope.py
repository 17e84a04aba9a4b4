import json

import pytest

from tests.conftest import bearer_client
from tests.factories import UserFactory

pytestmark = pytest.mark.urls("tests.foundation.api_probe")


def body(response):
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def error(message, code, details=None):
    return {
        "success": False,
        "message": message,
        "error": {"code": code, "message": message, "details": details or {}},
    }


def test_success_envelope_camelcases_and_accepts_both_cases(api_client):
    for payload in ({"fullName": "Ada", "amount": "10.50"}, {"full_name": "Ada", "amount": "10.50"}):
        response = api_client.post("/api/v1/probe/echo", payload, format="json")
        assert response.status_code == 201
        assert body(response) == {
            "success": True,
            "data": {"fullName": "Ada", "amount": "10.50"},
            "message": "Echoed",
        }


def test_validation_error_has_per_field_details(api_client):
    response = api_client.post("/api/v1/probe/echo", {"fullName": "x" * 21, "amount": "ten"}, format="json")
    assert response.status_code == 400
    assert body(response) == error(
        "fullName: Ensure this field has no more than 20 characters.",
        "validation_error",
        {
            "fullName": ["Ensure this field has no more than 20 characters."],
            "amount": ["A valid number is required."],
        },
    )


def test_malformed_json_is_a_400(api_client):
    response = api_client.generic("POST", "/api/v1/probe/echo", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert body(response)["error"]["code"] == "parse_error"


def test_unsupported_media_type_is_a_415(api_client):
    response = api_client.generic("POST", "/api/v1/probe/echo", "<x/>", content_type="application/xml")
    assert response.status_code == 415
    assert body(response) == error(
        'Unsupported media type "application/xml" in request.', "unsupported_media_type"
    )


def test_wrong_method_is_a_405(api_client):
    response = api_client.delete("/api/v1/health")
    assert response.status_code == 405
    assert body(response) == error('Method "DELETE" not allowed.', "method_not_allowed")


def test_missing_token_is_a_401(api_client):
    response = api_client.get("/api/v1/probe/private")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert body(response) == error("Authentication credentials were not provided.", "not_authenticated")


def test_bad_token_is_a_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")
    response = api_client.get("/api/v1/probe/private")
    assert response.status_code == 401
    assert body(response)["error"]["code"] == "token_not_valid"


@pytest.mark.django_db
def test_valid_token_reaches_the_view():
    user = UserFactory(email="ada@example.com")
    response = bearer_client(user).get("/api/v1/probe/private")
    assert response.status_code == 200
    assert body(response) == {"success": True, "data": {"email": "ada@example.com"}, "message": "OK"}


@pytest.mark.django_db
def test_forbidden_is_a_403():
    response = bearer_client(UserFactory()).get("/api/v1/probe/staff")
    assert response.status_code == 403
    assert body(response) == error("You do not have permission to perform this action.", "permission_denied")


def test_service_conflict_is_a_409(api_client):
    response = api_client.post("/api/v1/probe/conflict", {}, format="json")
    assert response.status_code == 409
    assert body(response) == error("That email is already registered.", "conflict", {"email": ["taken"]})


def test_rate_limited_service_is_a_429_with_retry_after(api_client):
    response = api_client.get("/api/v1/probe/limited")
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    assert body(response) == error("Too many attempts. Try again in 42 seconds.", "rate_limited")


def test_drf_throttle_is_a_429_with_retry_after(api_client):
    assert api_client.get("/api/v1/probe/throttled").status_code == 200
    response = api_client.get("/api/v1/probe/throttled")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert body(response)["error"]["code"] == "throttled"


def test_unknown_api_path_is_a_json_404(api_client):
    response = api_client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert body(response) == error("Not found.", "not_found")


def test_unexpected_error_is_a_json_500_without_details():
    from django.test import Client

    response = Client(raise_request_exception=False).get("/api/v1/probe/broken")
    assert response.status_code == 500
    assert body(response) == error("Something went wrong on our side.", "server_error")


@pytest.mark.django_db
def test_pagination_block(api_client):
    for n in range(5):
        UserFactory(email=f"user{n}@example.com")
    response = api_client.get("/api/v1/probe/users?page=2&limit=2")
    assert response.status_code == 200
    assert body(response) == {
        "success": True,
        "message": "OK",
        "data": [
            {
                "email": "user2@example.com",
                "fullName": response.data["data"][0]["full_name"],
                "emailVerified": True,
            },
            {
                "email": "user3@example.com",
                "fullName": response.data["data"][1]["full_name"],
                "emailVerified": True,
            },
        ],
        "pagination": {"page": 2, "limit": 2, "total": 5, "pages": 3, "hasMore": True},
    }


@pytest.mark.django_db
def test_page_out_of_range_is_a_404(api_client):
    response = api_client.get("/api/v1/probe/users?page=9")
    assert response.status_code == 404
    assert body(response) == error("Invalid page.", "not_found")


def test_openapi_schema_and_docs_render(client):
    schema = client.get("/api/schema", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/health" in json.loads(schema.content)["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn." not in docs.content
    redoc = client.get("/redoc")
    assert redoc.status_code == 200
    assert b"cdn." not in redoc.content
