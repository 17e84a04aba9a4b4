"""One id per request, on every log line it causes: in the web process and in its Celery tasks.

The id comes from the `X-Request-ID` header when a proxy or client sent a sane one (so a trace
can start at the load balancer), otherwise it is generated; the response carries it back. It
lives in a context variable, which `RequestIdLogFilter` copies onto each log record, and
`config.celery.ObservedTask` sends it with every task the request queues and restores it in the
worker while the task runs.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# Anything else (too long, spaces, control characters) could forge or break log lines.
ACCEPTED = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_task: ContextVar[tuple[str, str] | None] = ContextVar("celery_task", default=None)

logger = logging.getLogger("agm.request")


def current_request_id() -> str | None:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_accept(value: str | None) -> str:
    """The caller's id when it is safe to log, otherwise a new one."""
    if value and ACCEPTED.fullmatch(value):
        return value
    return new_request_id()


TaskContext = tuple[Token[str | None], Token[tuple[str, str] | None]]


def task_context_enter(*, request_id: str | None, task_id: str, task_name: str) -> TaskContext:
    """A task starts: its log lines carry the id of the request that queued it.

    A task nobody's request queued (beat, a command) gets a fresh id, so the tasks it queues in
    turn still share one. Returns what `task_context_exit` needs to restore the caller's values
    (an eager task runs inside the request that queued it).
    """
    return _request_id.set(request_id or new_request_id()), _task.set((task_id, task_name))


def task_context_exit(context: TaskContext) -> None:
    request_token, task_token = context
    _task.reset(task_token)
    _request_id.reset(request_token)


class RequestIdMiddleware:
    """Gives the request its id, answers with it, and logs one line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_accept(request.headers.get(HEADER))
        token = _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            match = request.resolver_match
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "view": match.view_name if match else None,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` (and, inside a Celery task, `task_id` and `task_name`) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        task = _task.get()
        if task is not None:
            record.task_id, record.task_name = task
        return True
