"""Waiting for a condition instead of sleeping a fixed time (a sleep is too short on a busy
machine and too long on an idle one)."""

import time


def wait_until(condition, *, timeout: float, message, interval: float = 0.05):
    """Polls `condition()` until it is true; fails with `message()` (or the text) after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            text = message() if callable(message) else message
            raise AssertionError(f"not within {timeout:g} s: {text}")
        time.sleep(interval)
