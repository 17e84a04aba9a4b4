"""Bare bcrypt hashes (`$2b$12$…`) in users.password_hash, as the Node.js backend writes them.

Django's BCryptPasswordHasher stores "bcrypt$$2b$…", which no other backend reads, and
Django cannot tell a bare bcrypt hash's hasher from its text; so the User model hashes
and verifies with these functions instead of Django's hasher registry.
"""

import bcrypt
from django.conf import settings

# bcrypt reads at most 72 bytes; the other backends' libraries drop the rest silently,
# and bcrypt>=5 refuses longer input, so we cut at the same place.
BCRYPT_MAX_BYTES = 72


def _secret(password: str) -> bytes:
    return password.encode("utf-8")[:BCRYPT_MAX_BYTES]


def hash_password(password: str) -> str:
    return bcrypt.hashpw(_secret(password), bcrypt.gensalt(settings.BCRYPT_ROUNDS)).decode("ascii")


def verify_password(password: str, encoded: str) -> bool:
    if not encoded or not encoded.startswith("$2"):
        return False
    try:
        return bcrypt.checkpw(_secret(password), encoded.encode("ascii"))
    except ValueError:
        return False


def needs_rehash(encoded: str) -> bool:
    try:
        return int(encoded.split("$")[2]) < settings.BCRYPT_ROUNDS
    except (IndexError, ValueError):
        return True
