"""Test helpers for the payments tests that are plain functions (fixtures live in conftest.py)."""

from payments import services, tasks


def open_payment(*, order):
    """An order's payment with its Monnify account, the way production opens it.

    Placing an order creates the payment row (`payment_create`), and the `payment_open` task
    opens the account once that transaction commits. Tests run inside a transaction that never
    commits, so the task is called here directly; it is idempotent, like the task in production.
    """
    payment = services.payment_create(order=order)
    tasks.payment_open(payment.pk)
    payment.refresh_from_db()
    return payment
