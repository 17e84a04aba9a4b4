"""Celery on RabbitMQ instead of Redis: a real worker delivers a message, the request id
travels in the AMQP headers, and /metrics reads the queue's length from RabbitMQ.

RabbitMQ runs on this machine (127.0.0.1:5672, guest/guest); RABBITMQ_URL points elsewhere.
Each run uses a queue of its own and deletes it.
"""

import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from config.celery import app as celery_app
from notifications.models import DeliveryLog, DeliveryStatus
from tests.waiting import wait_until

pytestmark = pytest.mark.slow

RABBITMQ_URL = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")
TOKEN = "metrics-token-for-the-rabbitmq-test-0123456789"


def rabbitmq_answers() -> bool:
    host, port = "127.0.0.1", 5672
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.fixture
def on_rabbitmq(settings, transactional_db):
    """A queue of this test's own on RabbitMQ, the environment of processes that use it, and
    this process's /metrics reading from RabbitMQ."""
    if not rabbitmq_answers():
        if "RABBITMQ_URL" in os.environ or shutil.which("rabbitmq-server"):
            pytest.fail(f"RabbitMQ does not answer at {RABBITMQ_URL} (see README, Running many processes)")
        # The product runs on Redis; RabbitMQ is an alternative broker, tested where it exists
        # (tests/ci_skips.py allows this one skip).
        pytest.skip("RabbitMQ is not installed on this machine")
    queue = f"agm-test-{settings.TEST_RUN_ID}-{uuid.uuid4().hex[:6]}"
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_BROKER_URL": RABBITMQ_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "DATABASE_URL": (
            f"mysql://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}"
            f":{database['PORT'] or 3306}/{database['NAME']}"
        ),
        "LOG_FORMAT": "json",
    }
    previous = celery_app.conf.broker_url, celery_app.conf.task_default_queue
    # Enough for /metrics here: it opens a connection from the configuration on each scrape.
    celery_app.conf.broker_url, celery_app.conf.task_default_queue = RABBITMQ_URL, queue
    settings.METRICS_TOKEN = TOKEN
    try:
        yield queue, env
    finally:
        with celery_app.connection_for_write() as broker:
            broker.default_channel.queue_delete(queue)
        celery_app.conf.broker_url, celery_app.conf.task_default_queue = previous


# Queues a message the way a request would, with a request id, in a process of its own (the
# app's producer pool is bound to one broker per process).
PUBLISH = """
import django
django.setup()
from config.celery import app
from config.request_id import task_context_enter
from notifications.services import notification_send
app.conf.task_default_queue = {queue!r}
task_context_enter(request_id="req-over-amqp", task_id="publisher", task_name="publisher")
[log] = notification_send(template="otp", context={{"code": "482913"}}, channels=("email",),
    email="ada@example.com", category="security", idempotency_key="rabbitmq-test")
print(log.pk)
"""


def queue_length(client, queue: str) -> float:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            if sample.name == "agm_celery_queue_length" and sample.labels == {"queue": queue}:
                return sample.value
    raise AssertionError(f"no length for {queue} in /metrics")


def test_a_worker_on_rabbitmq_delivers_and_keeps_the_request_id(on_rabbitmq, client, tmp_path):
    queue, env = on_rabbitmq
    published = subprocess.run(
        [sys.executable, "-c", PUBLISH.format(queue=queue)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert published.returncode == 0, published.stderr
    email_log = DeliveryLog.objects.get(pk=published.stdout.split()[-1])
    assert email_log.status == DeliveryStatus.QUEUED
    assert queue_length(client, queue) == 1  # asked of RabbitMQ; nobody consumes yet

    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "config",
                "worker",
                "-P",
                "solo",
                "-Q",
                queue,
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:

        def sent():
            assert worker.poll() is None, log.read_text(errors="replace")
            email_log.refresh_from_db()
            return email_log.status == DeliveryStatus.SENT

        wait_until(sent, timeout=90, interval=0.3, message=lambda: log.read_text(errors="replace"))
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    output = log.read_text(errors="replace")
    assert email_log.attempts == 1
    assert '"request_id": "req-over-amqp"' in output
    assert '"task_name": "notifications.tasks.deliver"' in output
    assert "amqp://guest:**@127.0.0.1:5672//" in output
    assert queue_length(client, queue) == 0
