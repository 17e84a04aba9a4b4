"""config.http.client_ip: the one place that decides a client's address behind the proxies."""

import importlib

import pytest
from django.test import RequestFactory

from config.http import client_ip


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 35.242.133.146"}, "10.0.0.2"),
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 35.242.133.146"}, "35.242.133.146"),
        (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 35.242.133.146"}, "6.6.6.6"),
        (1, {"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),
    ],
)
def test_client_ip_behind_trusted_proxies(settings, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/")
    request.META.clear()
    request.META.update(meta)
    assert client_ip(request) == expected


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, 0),
        ({"TRUSTED_PROXY_COUNT": "1"}, 1),
        ({"MONNIFY_WEBHOOK_TRUSTED_PROXIES": "2"}, 2),  # the old name still works
        ({"MONNIFY_WEBHOOK_TRUSTED_PROXIES": "2", "TRUSTED_PROXY_COUNT": "1"}, 1),
    ],
)
def test_trusted_proxy_count_is_read_from_the_environment(monkeypatch, environment, expected):
    import config.settings.base as base

    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    monkeypatch.delenv("MONNIFY_WEBHOOK_TRUSTED_PROXIES", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    try:
        assert expected == importlib.reload(base).TRUSTED_PROXY_COUNT
    finally:
        monkeypatch.undo()
        importlib.reload(base)
