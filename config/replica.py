"""Read-only dashboard pages and reports may read from a replica; everything else reads the primary.

With `DATABASE_REPLICA_URL` set, settings add a `replica` database (without it the router and
middleware, always installed, send everything to the primary). A read goes to the replica only
when all of these hold, so nobody sees their own write disappear:

- the request is a GET or HEAD to a view named in `DATABASE_REPLICA_VIEWS` (lists, exports,
  reports: pages whose figures may lag the primary by a second or two);
- the browser is not pinned to the primary: any other request (a POST, a status change), or
  any request that wrote, sets a cookie that keeps the next `DATABASE_REPLICA_PIN_SECONDS` of
  that browser's requests on the primary, so the page a form redirects to shows the change;
- the request has not written yet, and no transaction is open on the primary;
- the model is not about identity (users, sessions, permissions): who is signed in and what
  they may do is always read from the primary.

Writes always go to the primary; the replica is never migrated. Celery tasks, commands and the
API read the primary (the flag below is only ever set by the middleware).
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "agm_primary"
# Identity and permissions: a replica lagging behind a password change or a deactivation must
# never let the old state through.
PRIMARY_ONLY_APPS = frozenset({"accounts", "auth", "sessions", "contenttypes", "admin"})


class _RequestState:
    __slots__ = ("replica_allowed", "wrote")

    def __init__(self, *, replica_allowed: bool) -> None:
        self.replica_allowed = replica_allowed
        self.wrote = False


_state: ContextVar[_RequestState | None] = ContextVar("replica_state", default=None)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        state = _state.get()
        if (
            state is None
            or not state.replica_allowed
            or state.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        state = _state.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: one database as far as relations go

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Decides, per request, whether the listed read-only views may use the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.views = frozenset(settings.DATABASE_REPLICA_VIEWS)
        self.pin_seconds = settings.DATABASE_REPLICA_PIN_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if REPLICA not in settings.DATABASES:
            return self.get_response(request)
        state = _RequestState(replica_allowed=False)
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote or request.method not in ("GET", "HEAD"):
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=self.pin_seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        state = _state.get()
        match = request.resolver_match
        if (
            state is not None
            and request.method in ("GET", "HEAD")
            and PIN_COOKIE not in request.COOKIES
            and match is not None
            and match.view_name in self.views
        ):
            state.replica_allowed = True
