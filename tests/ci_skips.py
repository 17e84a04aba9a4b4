"""No silent skips in CI: with CI set, a skipped test is reported as a failure.

A test that cannot run in CI (a missing browser, service or tool) must fail there rather than
let the run pass without it. Loaded by tests/conftest.py.
"""

import os

import pytest

# Tests that may skip even in CI, by node id, with the reason why. Empty: in CI every test runs.
CI_SKIP_ALLOWED: dict[str, str] = {
    # RabbitMQ is an optional broker: the test runs wherever it is installed (or RABBITMQ_URL
    # is set) and fails there if it does not answer; a machine without it skips it.
    "tests/operations/test_rabbitmq.py::test_a_worker_on_rabbitmq_delivers_and_keeps_the_request_id": (
        "RabbitMQ is not installed"
    ),
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (in_ci() and report.skipped) or hasattr(report, "wasxfail"):
        return
    if item.nodeid in CI_SKIP_ALLOWED:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped in CI (CI={os.environ['CI']!r}), which is a failure: {reason}"
