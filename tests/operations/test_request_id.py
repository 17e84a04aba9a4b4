"""Every request has an id: taken from X-Request-ID or generated, answered, logged as JSON, and
sent with the Celery tasks the request queues (a real worker restoring it: test_processes.py)."""

import io
import json
import logging
import re

import pytest
from celery import shared_task
from django.conf import settings

from config.celery import REQUEST_ID_HEADER
from config.celery import app as celery_app
from config.request_id import current_request_id, task_context_enter, task_context_exit

seen_in_task = []


@shared_task(name="tests.operations.record_request_id")
def record_request_id():
    seen_in_task.append(current_request_id())


@pytest.fixture
def log_lines():
    """What the configured console handler (JSON, with the request-id filter) writes, line by line."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    request_logger = logging.getLogger("agm.request")
    stream = io.StringIO()
    previous_stream, previous_level = handler.setStream(stream), request_logger.level
    request_logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(previous_stream)
        request_logger.setLevel(previous_level)


def test_a_sane_incoming_id_is_kept_and_answered(client):
    response = client.get("/robots.txt", headers={"X-Request-ID": "lb-7f3a.9:01"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a.9:01"


@pytest.mark.parametrize(
    "sent",
    ["", "has space", "x" * 129, "new\nline", '"quoted"'],
    ids=["empty", "space", "long", "newline", "quotes"],
)
def test_a_missing_or_unsafe_id_is_replaced_by_a_new_one(client, sent):
    first = client.get("/robots.txt", headers={"X-Request-ID": sent})["X-Request-ID"]
    second = client.get("/robots.txt", headers={"X-Request-ID": sent})["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second


@pytest.mark.django_db
def test_each_request_is_one_json_log_line_with_its_id(client, log_lines):
    client.get("/robots.txt", headers={"X-Request-ID": "req-42"})
    client.get("/no-such-store-anywhere/xyz", headers={"X-Request-ID": "req-43"})

    lines = [line for line in log_lines() if line["logger"] == "agm.request"]
    assert [
        {key: line[key] for key in ("level", "message", "request_id", "method", "path", "status", "view")}
        for line in lines
    ] == [
        {
            "level": "INFO",
            "message": "GET /robots.txt 200",
            "request_id": "req-42",
            "method": "GET",
            "path": "/robots.txt",
            "status": 200,
            "view": "robots-txt",
        },
        {
            "level": "INFO",
            "message": "GET /no-such-store-anywhere/xyz 404",
            "request_id": "req-43",
            "method": "GET",
            "path": "/no-such-store-anywhere/xyz",
            "status": 404,
            # the storefront's catch-all answers its own 404 page for any unknown store path
            "view": "storefront:not-found",
        },
    ]
    assert all(isinstance(line["duration_ms"], float) and line["pid"] > 0 for line in lines)


def test_the_id_is_cleared_after_the_request(client):
    client.get("/robots.txt", headers={"X-Request-ID": "req-gone"})
    assert current_request_id() is None


def test_a_task_queued_with_an_id_carries_it_in_its_message():
    """Not eager: the message on the broker has the header a worker reads back."""
    queue = "tests-request-id"
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        context = task_context_enter(request_id="req-queued", task_id="t", task_name="n")
        try:
            record_request_id.apply_async(queue=queue)
        finally:
            task_context_exit(context)
        with celery_app.connection_for_read() as connection:
            message = connection.default_channel.basic_get(queue)
            connection.default_channel.queue_delete(queue)
    finally:
        celery_app.conf.task_always_eager = eager
    assert message.headers[REQUEST_ID_HEADER] == "req-queued"
    assert message.headers["task"] == "tests.operations.record_request_id"


def test_an_eager_task_sees_the_id_and_gives_the_caller_its_own_back():
    seen_in_task.clear()
    context = task_context_enter(request_id="req-outer", task_id="outer", task_name="outer")
    try:
        record_request_id.delay()
        after = current_request_id()
    finally:
        task_context_exit(context)
    assert seen_in_task == ["req-outer"]
    assert after == "req-outer"


def test_a_task_nobody_queued_gets_an_id_of_its_own():
    seen_in_task.clear()
    record_request_id.delay()
    record_request_id.delay()
    assert len(seen_in_task) == 2
    assert all(re.fullmatch(r"[0-9a-f]{32}", value) for value in seen_in_task)
    assert seen_in_task[0] != seen_in_task[1]


def test_the_plain_format_also_names_the_request():
    formatter = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    record.request_id = "req-plain"
    assert formatter.format(record).endswith("INFO x [req-plain] hello")
