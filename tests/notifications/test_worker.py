"""A real Celery worker, on Redis, delivers a queued message (no eager mode)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from notifications.models import DeliveryLog, DeliveryStatus
from notifications.services import notification_send
from tests.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CELERY = Path(sys.executable).with_name("celery")


@pytest.fixture
def worker(transactional_db, tmp_path):
    """`celery -A config worker -P solo` on the test database and its own queue."""
    queue = f"notifications-test-{uuid.uuid4().hex[:8]}"
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": (
            f"mysql://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}"
            f":{database['PORT'] or 3306}/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
    }
    log_file = tmp_path / "worker.log"
    with log_file.open("wb") as output:
        process = subprocess.Popen(
            [str(CELERY), "-A", "config", "worker", "-P", "solo", "-Q", queue, "--loglevel=INFO"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield log_file
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_status(log, status, worker_log, timeout=45.0):
    """Waits for the delivery to reach `status`; fails with the worker's output if it never does."""

    def reached():
        log.refresh_from_db()
        return log.status == status

    wait_until(
        reached,
        timeout=timeout,
        interval=0.2,
        message=lambda: (
            f"{log.channel} delivery is {log.status!r}, not {status!r}; worker output:\n"
            + worker_log.read_text(errors="replace")
        ),
    )


def test_a_real_worker_takes_a_message_from_queued_to_sent(worker):
    [email_log, sms_log] = notification_send(
        template="otp",
        context={"code": "482913"},
        channels=("email", "sms"),
        email="ada@example.com",
        phone="08031234567",
        category="security",
        idempotency_key="worker-test",
    )
    # Autocommit (transactional test): on_commit published both tasks already.
    assert DeliveryLog.objects.get(pk=email_log.pk).status in (DeliveryStatus.QUEUED, DeliveryStatus.SENT)

    wait_for_status(email_log, DeliveryStatus.SENT, worker)
    wait_for_status(sms_log, DeliveryStatus.SENT, worker)

    worker_output = worker.read_text(errors="replace")
    assert (email_log.attempts, sms_log.attempts) == (1, 1)
    assert sms_log.provider_message_id.startswith("console-")
    assert "notifications.tasks.deliver" in worker_output
