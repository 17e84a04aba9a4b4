"""A real Celery worker, on Redis, delivers a queued message (no eager mode)."""

import uuid

import pytest

from config.celery import app as celery_app
from notifications.models import DeliveryLog, DeliveryStatus
from notifications.services import notification_send
from tests.processes import BIN, app_env, started
from tests.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(transactional_db, tmp_path):
    """`celery -A config worker -P solo` on the test database and its own queue."""
    queue = f"notifications-test-{uuid.uuid4().hex[:8]}"
    log_file = tmp_path / "worker.log"
    command = [str(BIN / "celery"), "-A", "config", "worker", "-P", "solo", "-Q", queue, "--loglevel=INFO"]
    with started(command, env=app_env(CELERY_TASK_ALWAYS_EAGER="false"), log=log_file):
        previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
        celery_app.conf.task_always_eager = False
        celery_app.conf.task_default_queue = queue
        try:
            yield log_file
        finally:
            celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


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
