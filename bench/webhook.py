"""Monnify webhook acknowledgement under concurrent deliveries, served by gunicorn.

What it measures: the time from Monnify's POST to our 200 (signature check, event record,
task queued on Redis; the Celery work happens after the acknowledgement), for distinct events
and for the same event delivered many times at once, against /robots.txt on the same server
(after 20 untimed requests) as the ceiling a Django view can reach.

    DB_NAME=agm_bench REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/webhook.py
        [--requests 600] [--concurrency 16] [--workers 2]

BENCH_PRODUCTION=1 serves config.settings.production instead of config.settings.local.
It creates the database DB_NAME (MariaDB on 127.0.0.1, root, no password), refusing one that
exists, migrates it, and drops it at the end; at the end it also empties the Celery queue on
REDIS_URL, which no worker reads during the run.
"""

import os
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from payments.simulator import MonnifySimulator

# The threads let one worker acknowledge a delivery while another waits on MariaDB or Redis.
THREADS = 4


def main():
    args = harness.argument_parser(__doc__, requests=600, concurrency=16, workers=2).parse_args()

    db_name = os.environ.get("DB_NAME", "agm_bench")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6")
    simulator = MonnifySimulator().start()
    env = harness.mariadb_environment(
        DJANGO_SETTINGS_MODULE="config.settings.production"
        if os.environ.get("BENCH_PRODUCTION")
        else "config.settings.local",
        DB_NAME=db_name,
        USE_REDIS="true",
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        DJANGO_DEBUG="false",
        LOG_LEVEL="ERROR",
        MONNIFY_BASE_URL=simulator.url,
        MONNIFY_API_KEY=simulator.api_key,
        MONNIFY_SECRET_KEY=simulator.secret_key,
        MONNIFY_CONTRACT_CODE=simulator.contract_code,
    )
    try:
        with (
            harness.mariadb_database(env),
            harness.gunicorn(
                env, workers=args.workers, threads=THREADS, ready_path="/robots.txt", log_name="webhook"
            ) as base,
        ):
            webhook = f"{base}/api/v1/webhooks/monnify"

            def distinct(index):
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
                return requests.Request("POST", webhook, data=body, headers=headers)

            duplicate_body, duplicate_headers = simulator.webhook_request(
                {
                    "eventType": "SUCCESSFUL_TRANSACTION",
                    "eventData": {
                        "transactionReference": "MNFY|99|DUPLICATE|1",
                        "paymentReference": "BENCH-DUP",
                    },
                }
            )
            scenarios = {
                "webhook: distinct events": distinct,
                "webhook: one event, redelivered": lambda _index: requests.Request(
                    "POST", webhook, data=duplicate_body, headers=duplicate_headers
                ),
                "webhook: bad signature (401)": lambda _index: requests.Request(
                    "POST", webhook, data=duplicate_body, headers={"monnify-signature": "0" * 128}
                ),
            }
            print(
                f"gunicorn workers={args.workers} threads={THREADS}, MariaDB database {db_name}, "
                f"Redis {redis_url}"
            )
            harness.print_header()
            ceiling = harness.measure(
                "ceiling: GET /robots.txt",
                lambda _index: requests.Request("GET", f"{base}/robots.txt"),
                count=args.requests,
                concurrency=args.concurrency,
                warmup=harness.WARMUP_REQUESTS,
            )
            harness.print_row(ceiling)
            for label, request_for in scenarios.items():
                result = harness.measure(
                    label, request_for, count=args.requests, concurrency=args.concurrency
                )
                harness.print_row(result, ceiling=ceiling)
    finally:
        simulator.stop()
        try:
            import redis

            redis.Redis.from_url(redis_url).delete("celery")  # the tasks no worker picked up
        except Exception as error:
            print(f"could not purge the bench's Celery queue: {error}")


if __name__ == "__main__":
    main()
