"""The API's JSON parser: bounded in size and in nesting, so no body can end in a 500.

A body nested a few hundred levels deep made `json.loads` or the camelCase conversion (both
recursive) raise RecursionError; a body of any size was read whole. Neither is a real request:
the deepest body the API takes is a product's variations (object → list → object → list), so
MAX_JSON_DEPTH leaves ample room and still stops long before Python's recursion limit.
"""

import json
from typing import Any

from django.conf import settings
from djangorestframework_camel_case.parser import CamelCaseJSONParser
from djangorestframework_camel_case.util import underscoreize
from rest_framework import exceptions, status

MAX_JSON_DEPTH = 32
# Tighter and looser `max_body_bytes` for the views that need them. Sign-in and code forms
# carry a few short fields; Monnify's events are a few KB; uploads carry one image or CSV
# (config.images allows 10 MB) and their form fields.
FORM_BODY_BYTES = 16 * 1024
WEBHOOK_BODY_BYTES = 64 * 1024
UPLOAD_BODY_BYTES = 11 * 1024 * 1024


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def body_limit(view: object) -> int:
    """The largest body `view` accepts, in bytes: its own `max_body_bytes` or the API's default.

    config.middleware.BodySizeLimitMiddleware applies the same limit to the declared length.
    """
    return int(getattr(view, "max_body_bytes", settings.API_MAX_BODY_BYTES))


def too_large_message(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"The request body is too large: at most {limit // (1024 * 1024)} MB."
    return f"The request body is too large: at most {limit // 1024} KB."


def json_depth(value: Any) -> int:
    """How deeply `value` nests lists and objects (a scalar is 0), without recursing."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep() -> exceptions.ValidationError:
    return exceptions.ValidationError({"body": [f"JSON may nest at most {MAX_JSON_DEPTH} levels deep."]})


def _no_constant(name: str) -> None:
    # NaN and Infinity are not JSON; an amount must never arrive as one
    raise ValueError(f"{name} is not a number JSON allows")


class LimitedJSONParser(CamelCaseJSONParser):
    """camelCase JSON, at most `body_limit(view)` bytes and MAX_JSON_DEPTH levels deep."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        limit = body_limit(parser_context.get("view"))
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge(too_large_message(limit))
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_no_constant)
        except RecursionError:
            raise _too_deep() from None
        except ValueError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise _too_deep()
        return underscoreize(data, **self.json_underscoreize)
