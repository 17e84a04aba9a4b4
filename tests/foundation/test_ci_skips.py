"""In CI a skipped test fails the run (tests/ci_skips.py); outside CI it stays a skip."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SKIPPING = """
import pytest

def test_skipped_by_the_test():
    pytest.skip("no thing here")

@pytest.mark.skipif(True, reason="a marker says so")
def test_skipped_by_a_marker():
    pass
"""


def run_pytest(tmp_path, **environment):
    (tmp_path / "test_skipping.py").write_text(SKIPPING)
    return subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "--rootdir", str(tmp_path)),
            *("-p", "tests.ci_skips", "-p", "no:django", "-p", "no:cacheprovider"),
            str(tmp_path / "test_skipping.py"),
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_in_ci_skips_are_failures(tmp_path):
    result = run_pytest(tmp_path, CI="true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "skipped in CI (CI='true'), which is a failure: Skipped: no thing here" in result.stdout
    assert "skipped in CI (CI='true'), which is a failure: Skipped: a marker says so" in result.stdout
    assert "1 failed, 1 error" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("ci", ["", "false"])
def test_outside_ci_skips_stay_skips(tmp_path, ci):
    result = run_pytest(tmp_path, CI=ci)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 skipped" in result.stdout
