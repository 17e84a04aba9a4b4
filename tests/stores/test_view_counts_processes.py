"""Views counted by several processes at once (gunicorn workers) are all counted, and all flushed."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from stores.view_counts import pending_views_take

pytestmark = pytest.mark.slow

VIEWS_PER_PRODUCT = 3
SHARED_VIEWS = 300

# Records views the way a product page does, once the test says go (both start together).
COUNTER = """
import json, sys
import django
django.setup()
from stores.view_counts import product_view_record
shared, own, times, shared_times = json.loads(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
for step in range(max(times * len(own), shared_times)):
    if step < shared_times:
        product_view_record(product_id=shared)
    if step < times * len(own):
        product_view_record(product_id=own[step % len(own)])
print("done", flush=True)
"""


def test_two_processes_counting_at_once_lose_no_view_and_no_product():
    shared = str(uuid.uuid4())
    own = [[str(uuid.uuid4()) for _ in range(100)] for _ in range(2)]
    counters = [
        subprocess.Popen(
            [sys.executable, "-c", COUNTER, json.dumps([shared, ids, VIEWS_PER_PRODUCT, SHARED_VIEWS])],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for ids in own
    ]
    try:
        for counter in counters:
            assert counter.stdout.readline().strip() == "ready"
        for counter in counters:
            counter.stdin.write("go\n")
            counter.stdin.flush()
        for counter in counters:
            assert counter.stdout.readline().strip() == "done"
            assert counter.wait(timeout=60) == 0
    finally:
        for counter in counters:
            if counter.poll() is None:
                counter.kill()
                counter.wait()

    expected = {shared: 2 * SHARED_VIEWS} | {pid: VIEWS_PER_PRODUCT for ids in own for pid in ids}
    assert pending_views_take(limit=1000) == expected
    assert pending_views_take(limit=1000) == {}
