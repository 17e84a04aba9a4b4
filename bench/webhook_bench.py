"""Monnify webhook acknowledgement under concurrent deliveries, served by gunicorn.

What it measures: the time from Monnify's POST to our 200 (signature check, event record,
task queued on Redis; the Celery work happens after the acknowledgement), for distinct events
and for the same event delivered many times at once, against /robots.txt on the same server
as the ceiling a Django view can reach.

    DB_NAME=agm_bench REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/webhook_bench.py

It creates the database DB_NAME (MariaDB on 127.0.0.1, root, no password), migrates it, and
drops it at the end; nothing else is touched. Requests go to 127.0.0.1 only and are bounded.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from payments.simulator import MonnifySimulator  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(label, send, total, concurrency):
    session_pool = [requests.Session() for _ in range(concurrency)]
    latencies, statuses = [], []

    def one(index):
        started = time.perf_counter()
        status = send(session_pool[index % concurrency], index)
        return time.perf_counter() - started, status

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for latency, status in pool.map(one, range(total)):
            latencies.append(latency * 1000)
            statuses.append(status)
    elapsed = time.perf_counter() - started
    ok = sum(1 for status in statuses if status == 200)
    print(
        f"{label:<34} n={total:<5} c={concurrency:<3} {total / elapsed:8.1f} req/s  "
        f"p50 {statistics.median(latencies):6.1f} ms  p95 {percentile(latencies, 0.95):6.1f} ms  "
        f"p99 {percentile(latencies, 0.99):6.1f} ms  200s {ok}/{total}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    db_name = os.environ.get("DB_NAME", "agm_bench")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6")
    simulator = MonnifySimulator().start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production"
        if os.environ.get("BENCH_PRODUCTION")
        else "config.settings.local",
        "DB_NAME": db_name,
        "USE_REDIS": "true",
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "MONNIFY_BASE_URL": simulator.url,
        "MONNIFY_API_KEY": simulator.api_key,
        "MONNIFY_SECRET_KEY": simulator.secret_key,
        "MONNIFY_CONTRACT_CODE": simulator.contract_code,
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        ["mysql", "-h127.0.0.1", "-uroot", "-e", f"CREATE DATABASE IF NOT EXISTS `{db_name}`"], check=True
    )
    port = free_port()
    server = None
    try:
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                "--threads=4",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                requests.get(f"{base}/robots.txt", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)
        webhook = f"{base}/api/v1/webhooks/monnify"

        def distinct(session, index):
            event = {
                "eventType": "SUCCESSFUL_TRANSACTION",
                "eventData": {
                    "transactionReference": f"MNFY|99|{time.time_ns()}|{index:06d}",
                    "paymentReference": f"BENCH-{index}",
                    "amountPaid": 5000,
                    "paymentStatus": "PAID",
                    "currency": "NGN",
                },
            }
            body, headers = simulator.webhook_request(event)
            return session.post(webhook, data=body, headers=headers, timeout=30).status_code

        duplicate_body, duplicate_headers = simulator.webhook_request(
            {
                "eventType": "SUCCESSFUL_TRANSACTION",
                "eventData": {"transactionReference": "MNFY|99|DUPLICATE|1", "paymentReference": "BENCH-DUP"},
            }
        )

        def duplicate(session, index):
            return session.post(
                webhook, data=duplicate_body, headers=duplicate_headers, timeout=30
            ).status_code

        def ceiling(session, index):
            return session.get(f"{base}/robots.txt", timeout=30).status_code

        def forged(session, index):
            return session.post(
                webhook, data=duplicate_body, headers={"monnify-signature": "0" * 128}, timeout=30
            ).status_code

        print(f"gunicorn workers={args.workers} threads=4, MariaDB database {db_name}, Redis {redis_url}")
        run("ceiling: GET /robots.txt", ceiling, args.requests, args.concurrency)
        run("webhook: distinct events", distinct, args.requests, args.concurrency)
        run("webhook: one event, redelivered", duplicate, args.requests, args.concurrency)
        run("webhook: bad signature (401)", forged, args.requests, args.concurrency)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
        simulator.stop()
        subprocess.run(
            ["mysql", "-h127.0.0.1", "-uroot", "-e", f"DROP DATABASE IF EXISTS `{db_name}`"], check=False
        )
        try:
            import redis

            redis.Redis.from_url(redis_url).delete("celery")  # the tasks no worker picked up
        except Exception as error:
            print(f"could not purge the bench's Celery queue: {error}")


if __name__ == "__main__":
    main()
