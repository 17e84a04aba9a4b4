"""Reads of the payments app that the API, the pages and the tasks share."""

from config.errors import NotFound
from payments.models import Payment


def payment_get_public(*, reference: str) -> Payment:
    """A payment by our reference, for the shopper's payment page (no owner: the reference is the key)."""
    payment = Payment.objects.select_related("order__store").filter(payment_reference=reference).first()
    if payment is None:
        raise NotFound("No payment with this reference.")
    return payment
