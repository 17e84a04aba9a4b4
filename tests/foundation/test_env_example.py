"""A .env copied from .env.example must leave the embedded defaults working."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def example_values() -> dict:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip().strip('"')
    return values


@pytest.mark.slow
def test_every_variable_of_env_example_loads_under_local_settings(tmp_path):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DB_", "DJANGO_", "DATABASE_URL"))
    }
    environment.update(example_values())
    environment.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(bool(settings.SECRET_KEY), settings.MONNIFY_SIMULATOR, settings.CELERY_TASK_ALWAYS_EAGER, settings.CORS_ALLOWED_ORIGINS)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip().splitlines()[-1]
        == "True True True ['http://localhost:3000', 'https://agmshops.com']"
    )
