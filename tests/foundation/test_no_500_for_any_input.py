"""Every API endpoint, fed hostile input, answers a 4xx, never a 5xx (issue 12, finding 4).

The operations come from the OpenAPI schema the API serves (every path and method), path
parameters are filled with ids that exist and ids that do not, and each gets: JSON nested far
too deep (past the depth check, and past Python's own recursion limit), a body over its size
limit, numbers that overflow every column, and values of the wrong type for each field its
schema names, anonymously and with a merchant's token.
"""

import json
import re
from decimal import Decimal as D

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.conftest import bearer_client
from tests.factories import ProductFactory, StoreFactory, UserFactory

pytestmark = pytest.mark.django_db

OVERFLOW = [10**30, -(10**30), 1e308, "99999999999999999999.99", "-1", 0]
WRONG_TYPES = [["x"], {"nested": {"deeper": [1]}}, True, "not a number", None, ""]


def _operations() -> list[tuple[str, str, dict]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            operations.append((path, method, _request_properties(schema, operation)))
    return operations


def _request_properties(schema: dict, operation: dict) -> dict:
    body = operation.get("requestBody", {}).get("content", {})
    target = (body.get("application/json") or next(iter(body.values()), {})).get("schema", {})
    ref = target.get("$ref", "")
    if ref:
        target = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return target.get("properties", {})


OPERATIONS = _operations()


@pytest.fixture
def world(db):
    merchant = UserFactory()
    store = StoreFactory(user=merchant)
    product = ProductFactory(store=store, price=D("9999999999.99"), stock_quantity=5)
    return {"merchant": merchant, "store": store, "product": product}


def _paths(path: str, world) -> list[str]:
    """The path with ids that do not exist, and with this merchant's own where it names them."""
    unknown = re.sub(r"\{[^}]+\}", "0", path)
    known = (
        path.replace("{store_id}", world["store"].pk)
        .replace("{product_id}", world["product"].pk)
        .replace("{username}", world["store"].username)
    )
    known = re.sub(r"\{[^}]*id\}", "00000000-0000-0000-0000-000000000000", known)
    known = re.sub(r"\{[^}]+\}", "AGM-ABCD1234", known)
    return sorted({unknown, known})


def _bodies(properties: dict, world) -> list[tuple[str, str]]:
    names = list(properties) or ["quantity", "price", "amount"]
    bodies = [
        ("deep", '{"a":' * 600 + "1" + "}" * 600),
        # past the C parser's own recursion guard: json.loads itself raises RecursionError
        ("deeper", '{"a":' * 100_000 + "1" + "}" * 100_000),
        ("huge", json.dumps({names[0]: "x" * (2 * 1024 * 1024)})),
        ("not json", "{'a': 1,"),
        ("a list", "[1, 2, 3]"),
        ("null", "null"),
    ]
    for value in OVERFLOW:
        bodies.append((f"overflow {value!r}", json.dumps({name: value for name in names})))
    line = {"productId": world["product"].pk, "quantity": 10**30, "price": "1e999"}
    bodies.append(
        ("overflowing line", json.dumps({"storeUsername": world["store"].username, "items": [line]}))
    )
    for value in WRONG_TYPES:
        bodies.append((f"wrong type {value!r}", json.dumps({name: value for name in names})))
    return bodies


@pytest.mark.parametrize(
    ("path", "method", "properties"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m, _ in OPERATIONS]
)
def test_no_input_makes_an_endpoint_answer_5xx(path, method, properties, world):
    clients = {"anonymous": APIClient(), "merchant": bearer_client(world["merchant"])}
    failures = []
    for url in _paths(path, world):
        for who, client in clients.items():
            if method in ("get", "delete"):
                queries = [{}, {"page": "99999999999999999999"}, {"limit": "-1"}, {"page": "x", "q": "\x00"}]
                queries.append(
                    {name: "9" * 40 for name in ("store", "status", "date_from", "contact", "category")}
                )
                for query in queries:
                    response = getattr(client, method)(url, query)
                    if response.status_code >= 500:
                        failures.append(f"{who} {method.upper()} {url} {query}: {response.status_code}")
                continue
            for label, body in _bodies(properties, world):
                response = getattr(client, method)(url, data=body, content_type="application/json")
                if response.status_code >= 500:
                    failures.append(f"{who} {method.upper()} {url} [{label}]: {response.status_code}")
            response = getattr(client, method)(url, data="a=1", content_type="text/plain")
            if response.status_code >= 500:
                failures.append(f"{who} {method.upper()} {url} [text/plain]: {response.status_code}")
    assert failures == []
