"""Django's cached_db sessions (opt in: SESSION_ENGINE=config.sessions; the default is the database
alone, config/settings/base.py), made to keep working while the cache (Redis) is down.

Sessions are read from the cache and written through to the database, so every web process
sees the same ones and a Redis restart signs nobody out. Django already tolerates a failed
cache read and a failed cache write on save; this also tolerates the other cache calls it makes
(refilling the cache after a database read, checking a new key, deleting on logout), so during
an outage sessions run on the database alone instead of failing the request.

Known limit: a session ended (logout) while Redis is down keeps its cached copy, which Redis
serves again when it is back, until the session's own expiry. Password changes still end it
(Django checks the password hash stored in the session on every request).
"""

import logging
from typing import Any

from django.contrib.sessions.backends import cached_db, db
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CACHE_ERRORS = (RedisError, OSError)


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict[str, Any]:
        try:
            return super().load()
        except CACHE_ERRORS:
            # The read already fell back to the database; only refilling the cache failed.
            logger.warning("Session cache unavailable: session read from the database")
            return db.SessionStore.load(self)

    def exists(self, session_key: str) -> bool:
        try:
            return super().exists(session_key)
        except CACHE_ERRORS:
            return db.SessionStore.exists(self, session_key)

    def delete(self, session_key: str | None = None) -> None:
        try:
            super().delete(session_key)
        except CACHE_ERRORS:
            # The database row is gone already (Django deletes it first).
            logger.exception("Session cache unavailable: the cached copy of an ended session remains")
