"""A transactional outbox for Celery: work asked for by a change is never lost to a broker outage.

`outbox_enqueue` writes the task into the `task_outbox` table inside the caller's transaction,
so it exists exactly when the change does (an order's payment, a recorded webhook, a payout, a
message). After the commit it is published at once (`outbox_relay`); if the broker is down the
row waits, and the beat task `outbox.tasks.outbox_relay` publishes every waiting row once the
broker is back. A row is claimed by a conditional UPDATE before it is published and marked sent
after, so two relays never publish it at the same time; a relay that dies between publishing
and marking lets the row be published again after `CLAIM_SECONDS`. Publishing is therefore at
least once, and every task behind the outbox is idempotent (it re-reads its row and does
nothing when the work is done), which makes the effect exactly once.

No network call runs inside a transaction: claiming, publishing and marking are separate steps.
"""

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from celery import Task, current_app
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as BrokerOperationalError

from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 60
RELAY_BATCH = 200
# After a failed publish this process leaves the rows to the beat relay for this long, so
# requests made during a broker outage do not each wait for a connection attempt.
BROKER_DOWN_SECONDS = 5.0
KEEP_SENT = timedelta(days=7)

BROKER_ERRORS: tuple[type[Exception], ...] = (BrokerOperationalError, OSError)


class _BrokerCircuit:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def trip(self) -> None:
        with self.lock:
            self.down_until = time.monotonic() + BROKER_DOWN_SECONDS

    def close(self) -> None:
        self.down_until = 0.0


broker_circuit = _BrokerCircuit()


def outbox_enqueue(*, task: Task, **kwargs: Any) -> OutboxMessage:
    """Ask for `task(**kwargs)` as part of the current transaction (call it inside one)."""
    message = OutboxMessage.objects.create(task=task.name, kwargs=kwargs)
    # robust: a failure to publish is the relay's to retry, never the caller's to undo. A lambda,
    # not a partial: Django names a failing robust callback by its __qualname__.
    transaction.on_commit(lambda: outbox_relay(ids=[message.pk]), robust=True)
    return message


def _claim(message_id: int) -> bool:
    now = timezone.now()
    return bool(
        OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )


def _task(name: str) -> Task:
    try:
        return current_app.tasks[name]
    except KeyError:
        # A process that has not imported the task's module yet (the relay's first run).
        return import_string(name)


def _publish(message: OutboxMessage) -> None:
    task = _task(message.task)
    if task.app.conf.task_always_eager:
        # No broker: the task runs here and now. Its own failure is its own (it retries or a
        # periodic job picks the work up), as it would be on a worker.
        try:
            task.apply_async(kwargs=message.kwargs)
        except Exception:
            logger.exception("outbox: %s(%s) raised", message.task, message.kwargs)
        return
    # retry=False: a down broker fails this at once and the row waits for the relay.
    # ignore_result: nobody reads an outbox task's result, and subscribing to it is one more
    # call to a Redis that may be down.
    task.apply_async(kwargs=message.kwargs, retry=False, ignore_result=True)


def outbox_relay(*, ids: list[int] | None = None, limit: int = RELAY_BATCH) -> int:
    """Publish waiting tasks (these `ids`, or the oldest `limit`); how many were published."""
    if ids is not None and broker_circuit.is_open() and not current_app.conf.task_always_eager:
        return 0
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
    if ids is not None:
        waiting = waiting.filter(pk__in=ids)
    published = 0
    for message in list(waiting.order_by("pk")[:limit]):
        if not _claim(message.pk):
            continue  # another relay has it
        try:
            _publish(message)
        except BROKER_ERRORS as error:
            broker_circuit.trip()
            OutboxMessage.objects.filter(pk=message.pk).update(
                claimed_until=None, attempts=message.attempts + 1, last_error=str(error)[:1000]
            )
            logger.warning("outbox: broker unavailable, %s waits for the relay: %s", message.task, error)
            break
        OutboxMessage.objects.filter(pk=message.pk).update(
            sent_at=timezone.now(), claimed_until=None, attempts=message.attempts + 1, last_error=""
        )
        published += 1
    if published:
        broker_circuit.close()
    return published


def outbox_forget_sent(*, older_than: timedelta = KEEP_SENT) -> int:
    """Delete rows published more than `older_than` ago."""
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - older_than).delete()
    return deleted
