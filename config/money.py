"""Money: the one place amounts are rounded and written out.

The product's rule (DESIGN.md, "Money, fees, orders"): amounts are `Decimal`, rounded half up
to the kobo once, at the end of a computation, and shown one way everywhere:
`₦15,000` for whole naira and `₦15,000.50` when there are kobo. SMS spells the currency
`NGN` because `₦` is not in the GSM-7 alphabet (one would halve the message's length).
"""

from decimal import ROUND_HALF_UP, Decimal

KOBO = Decimal("0.01")
ZERO = Decimal("0.00")


def to_kobo(amount) -> Decimal:
    """`amount` (Decimal, int or numeric string) rounded half up to the kobo."""
    # A float goes through str() so 0.1 means 0.10, not 0.1000000000000000055...
    value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    return value.quantize(KOBO, rounding=ROUND_HALF_UP)


def kobo_text(amount) -> str:
    """`12500.00`: the plain two-place string providers and the ledger exchange."""
    return f"{to_kobo(amount):.2f}"


def _grouped(amount) -> str:
    text = f"{to_kobo(amount or 0):,.2f}"
    return text[:-3] if text.endswith(".00") else text


def naira(amount) -> str:
    """`₦15,000` or `₦15,000.50`: how every page, email and notification shows an amount."""
    return f"₦{_grouped(amount)}"


def naira_sms(amount) -> str:
    """`NGN 15,000`: the same figure in the GSM-7 alphabet."""
    return f"NGN {_grouped(amount)}"
