"""Payment counters for Prometheus (config/metrics.py serves them), counted at commit.

Amounts are counted in naira as floats: good enough for a rate on a dashboard; the ledger is
the record of money.
"""

from decimal import Decimal

from prometheus_client import Counter

PAYMENTS_OPENED = Counter("agm_payments_opened", "Payments created for orders.")
PAYMENTS_PAID = Counter("agm_payments_paid", "Payments that became paid.")
PAYMENTS_PAID_NAIRA = Counter("agm_payments_paid_naira", "Naira received on payments that became paid.")
PAYMENTS_FLAGGED = Counter(
    "agm_payments_flagged", "Payments flagged for the merchant, by the reason.", ["reason"]
)


def payment_opened() -> None:
    PAYMENTS_OPENED.inc()


def payment_paid(amount: Decimal) -> None:
    PAYMENTS_PAID.inc()
    PAYMENTS_PAID_NAIRA.inc(float(amount))


def payment_flagged(reason: str) -> None:
    PAYMENTS_FLAGGED.labels(reason=reason).inc()
