"""Store usernames are the first path segment of the storefront (/<username>), so every
platform path must be refused as a username (config/urls.py lists them)."""

import re

USERNAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 30

RESERVED_USERNAMES = frozenset(
    {
        # paths the platform serves
        "admin",
        "api",
        "auth",
        "dashboard",
        "docs",
        "redoc",
        "static",
        "media",
        "track",
        "simulator",
        "verify",
        "sitemap",
        "sitemap-xml",
        "robots",
        "robots-txt",
        "favicon",
        "health",
        "metrics",
        # paths a merchant or shopper could mistake for the platform's own
        "about",
        "account",
        "accounts",
        "app",
        "billing",
        "blog",
        "cart",
        "checkout",
        "contact",
        "help",
        "home",
        "login",
        "logout",
        "register",
        "signup",
        "signin",
        "settings",
        "shop",
        "store",
        "stores",
        "support",
        "terms",
        "privacy",
        "pricing",
        "www",
        "mail",
        "email",
        "agm",
        "agmshops",
        "monnify",
        "payments",
        "payment",
        "orders",
        "order",
        "webhooks",
        "root",
        "staff",
        "superuser",
        "null",
        "undefined",
        "new",
        "edit",
        "delete",
        "search",
        # API paths beside /api/v1/stores/<username>
        "my-stores",
        "check",
    }
)


def username_problem(username: str) -> str | None:
    """Why `username` cannot be a store username, or None when it can."""
    if not USERNAME_MIN_LENGTH <= len(username) <= USERNAME_MAX_LENGTH:
        return f"Use {USERNAME_MIN_LENGTH} to {USERNAME_MAX_LENGTH} characters."
    if not USERNAME_PATTERN.match(username):
        return "Use lower-case letters, digits and single hyphens, not at the start or end."
    if username in RESERVED_USERNAMES:
        return "This name is reserved by the platform."
    return None
