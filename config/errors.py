"""Errors that services raise and every surface (API, HTML, admin, tasks) understands.

A service names what went wrong; the API maps `http_status` and `code` into the error
envelope, HTML views show `message`.
"""

from typing import Any


class ServiceError(Exception):
    code = "invalid"
    http_status = 400

    def __init__(self, message: str, *, details: dict[str, Any] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code:
            self.code = code


class InvalidInput(ServiceError):
    """Input a service refuses field by field: `details` is {field: [messages]}, `message` the first."""

    code = "validation_error"

    def __init__(self, errors: dict[str, list[str]]):
        first = next((message for messages in errors.values() for message in messages), "Invalid input.")
        super().__init__(first, details=errors)

    @property
    def message_dict(self) -> dict[str, list[str]]:
        """The per-field messages, by the name Django's ValidationError gives them."""
        return self.details


class NotFound(ServiceError):
    code = "not_found"
    http_status = 404


class Conflict(ServiceError):
    code = "conflict"
    http_status = 409


class PermissionDenied(ServiceError):
    code = "permission_denied"
    http_status = 403


class RateLimited(ServiceError):
    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ExternalServiceError(ServiceError):
    """A provider (Monnify, Termii, an ESP) failed or could not be reached."""

    code = "service_unavailable"
    http_status = 503


class TemporarilyUnavailable(ExternalServiceError):
    """Refused for now because a safeguard cannot run (the cache behind a rate limit is down)."""

    code = "temporarily_unavailable"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
