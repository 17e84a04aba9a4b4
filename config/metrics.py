"""Prometheus metrics: what is counted here, and how one scrape sees every process.

django-prometheus measures requests (latency by view), the database (queries, errors, by
alias) and migrations; we add Celery task outcomes and queue length here and business counters
in `orders/metrics.py` and `payments/metrics.py`. Everything goes through prometheus_client.

Many processes: with `PROMETHEUS_MULTIPROC_DIR` set in the environment *before* the process
starts, prometheus_client writes each process's values to files in that directory, and a scrape
merges the files (`MultiProcessCollector`), so any gunicorn worker answers for all of them.
`METRICS_MULTIPROC_ROOT` widens that to several process groups (a gunicorn, a Celery worker, on
one host or on a shared volume): each group writes to its own subdirectory of the root (process
ids only differ within one host or container) and a scrape merges every subdirectory.
"""

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from celery import Celery
from kombu.exceptions import OperationalError
from prometheus_client import REGISTRY, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

CELERY_TASKS = Counter(
    "agm_celery_tasks", "Celery tasks that finished, by task and outcome.", ["task", "outcome"]
)


def celery_task_finished(*, task: str, outcome: str) -> None:
    CELERY_TASKS.labels(task=task, outcome=outcome).inc()


class ProcessGroupsCollector(Collector):
    """prometheus_client's multiprocess merge over every group directory under one root."""

    def __init__(self, root: str) -> None:
        self.root = Path(root)

    def collect(self) -> Iterable[Metric]:
        files = sorted(str(path) for path in self.root.glob("*/*.db"))
        merged: Iterable[Metric] = MultiProcessCollector.merge(files, accumulate=True)  # type: ignore[no-untyped-call]  # prometheus_client is untyped
        return merged


class CeleryQueueCollector(Collector):
    """Messages waiting in the default queue and each other queue the app knows, asked of the
    broker at scrape time.

    RabbitMQ answers a passive queue declaration; a Redis queue is a list we count. A broker
    that does not answer is reported as `agm_celery_broker_up 0` rather than failing the scrape.
    """

    def __init__(self, app: Celery) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        length = GaugeMetricFamily(
            "agm_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        up = GaugeMetricFamily("agm_celery_broker_up", "1 when the Celery broker answered the scrape.")
        try:
            with self.app.connection_for_read() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
                for name in sorted({*self.app.amqp.queues, self.app.conf.task_default_queue}):
                    length.add_metric([name], _queue_length(connection, name))
        except (OperationalError, OSError):
            up.add_metric([], 0)
        else:
            up.add_metric([], 1)
            yield length
        yield up


def _queue_length(connection: Any, name: str) -> int:
    # Its own channel: RabbitMQ closes the channel that asked about an undeclared queue.
    with connection.channel() as channel:
        if connection.transport.driver_type == "redis":
            # A Redis queue is a list (no key at all when empty), and kombu's passive declare
            # checks it with an EXISTS that ignores `global_keyprefix`: count it as Flower does.
            return int(channel.client.llen(name))
        try:
            return int(channel.queue_declare(queue=name, passive=True).message_count)
        except connection.channel_errors:
            return 0  # no worker has declared it yet, so nothing can be waiting in it


def metrics_exposition(app: Celery) -> bytes:
    """The text a Prometheus scrape receives: every process's metrics plus the queues."""
    registry = CollectorRegistry()
    root = os.environ.get("METRICS_MULTIPROC_ROOT")
    if root:
        registry.register(ProcessGroupsCollector(root))
    elif os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # prometheus_client is untyped
    else:
        registry.register(REGISTRY)  # one process: its own values are all there is
    registry.register(CeleryQueueCollector(app))
    return generate_latest(registry)
