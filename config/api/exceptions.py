"""Every API error as {"success": false, "message", "error": {"code", "message", "details"}}."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from config.errors import RateLimited, ServiceError, TemporarilyUnavailable

logger = logging.getLogger(__name__)


def error_body(message: str, code: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "success": False,
        "message": message,
        "error": {"code": code, "message": message, "details": details or {}},
    }


def envelope_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    headers: dict[str, str] = {}
    if isinstance(exc, ServiceError):
        if isinstance(exc, RateLimited | TemporarilyUnavailable):
            headers["Retry-After"] = str(exc.retry_after)
        return _response(error_body(exc.message, exc.code, exc.details), exc.http_status, headers)

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500 handler answers in the envelope and logs it

    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait:
        headers["Retry-After"] = str(int(wait))

    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        message = _first_message(details) or "Invalid input."
        body = error_body(message, "validation_error", details)
    else:
        body = error_body(_text(exc.detail), _code(exc), {})
    return _response(body, exc.status_code, headers)


def _response(body: dict[str, Any], status_code: int, headers: dict[str, str]) -> Response:
    response = Response(body, status=status_code, headers=headers)
    response.enveloped = True  # type: ignore[attr-defined]  # read by config/api/renderers.py
    return response


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    if isinstance(codes, dict) and isinstance(codes.get("code"), str):
        return str(codes["code"])
    return str(exc.default_code)


def _text(detail: Any) -> str:
    if isinstance(detail, dict):
        return str(detail.get("detail") or detail.get("message") or _first_message(detail))
    if isinstance(detail, list):
        return str(detail[0]) if detail else ""
    return str(detail)


def _first_message(details: Any) -> str:
    if isinstance(details, dict):
        for field, value in details.items():
            message = _first_message(value)
            if message:
                if field == "non_field_errors":
                    return message
                return f"{camelize_re.sub(underscore_to_camel, str(field))}: {message}"
    elif isinstance(details, list):
        for item in details:
            message = _first_message(item)
            if message:
                return message
    elif details:
        return str(details)
    return ""


def json_error(message: str, code: str, status_code: int) -> JsonResponse:
    """The envelope outside DRF: Django's 400/403/404/500 handlers under /api/."""
    return JsonResponse(error_body(message, code), status=status_code)


HTTP_ERRORS = {
    status.HTTP_400_BAD_REQUEST: ("Bad request.", "bad_request"),
    status.HTTP_403_FORBIDDEN: ("You do not have permission to perform this action.", "permission_denied"),
    status.HTTP_404_NOT_FOUND: ("Not found.", "not_found"),
    status.HTTP_500_INTERNAL_SERVER_ERROR: ("Something went wrong on our side.", "server_error"),
}
