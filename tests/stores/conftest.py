import re

import pytest


@pytest.fixture
def html_meta():
    """The <meta>/<link> values of a page, keyed by property/name/rel."""

    def parse(html: str) -> dict[str, str]:
        found = {}
        for tag in re.findall(r"<(?:meta|link)\s[^>]*>", html):
            attributes = dict(re.findall(r'([\w:-]+)="([^"]*)"', tag))
            key = attributes.get("property") or attributes.get("name") or attributes.get("rel")
            if key:
                found[key] = attributes.get("content") or attributes.get("href")
        return found

    return parse
