"""gunicorn's settings for every web process: `gunicorn -c config/gunicorn.py config.wsgi`.

Workers are stateless (sessions and cache in Redis, media on Cloudinary), so any number of these
can run behind a load balancer. With PROMETHEUS_MULTIPROC_DIR set (config/metrics.py) the master
empties that directory at start (values from a previous run would be added to this run's) and
tells prometheus_client when a worker exits.
"""

import os
import shutil
from pathlib import Path
from typing import Any

from prometheus_client import multiprocess

bind = f"0.0.0.0:{os.environ.get('PORT', '7860')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
# Each request is logged once, as JSON with its request id, by config.request_id; gunicorn's
# own access log would repeat it in another format.
accesslog = None
# gunicorn's control socket is one path per user ($HOME/.gunicorn): several servers on one host
# would take it from each other, and nothing here uses it.
control_socket_disable = True


def on_starting(server: Any) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True)


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]  # prometheus_client is untyped
