"""Money: the one place amounts are rounded and written out.

The product's rule (DESIGN.md, "Money, fees, orders"): amounts are `Decimal`, rounded half up
to the kobo once, at the end of a computation, and shown one way everywhere:
`₦15,000` for whole naira and `₦15,000.50` when there are kobo. SMS spells the currency
`NGN` because `₦` is not in the GSM-7 alphabet (one would halve the message's length).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from config.errors import ServiceError

# What an amount may arrive as: a Decimal, an int, a numeric string (a float only from old code).
Amount = Decimal | int | str | float


KOBO = Decimal("0.01")
ZERO = Decimal("0.00")
# DECIMAL(12,2): ten digits before the point. MONEY_MAX is the largest amount a column holds.
MONEY_LIMIT = Decimal("10000000000")
MONEY_MAX = MONEY_LIMIT - KOBO


def to_kobo(amount: Amount) -> Decimal:
    """`amount` (Decimal, int or numeric string) rounded half up to the kobo."""
    # A float goes through str() so 0.1 means 0.10, not 0.1000000000000000055...
    value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    return value.quantize(KOBO, rounding=ROUND_HALF_UP)


def kobo_text(amount: Amount) -> str:
    """`12500.00`: the plain two-place string providers and the ledger exchange."""
    return f"{to_kobo(amount):.2f}"


def _grouped(amount: Amount | None) -> str:
    text = f"{to_kobo(amount or 0):,.2f}"
    return text[:-3] if text.endswith(".00") else text


def naira(amount: Amount | None) -> str:
    """`₦15,000` or `₦15,000.50`: how every page, email and notification shows an amount."""
    return f"₦{_grouped(amount)}"


def compact_naira(amount: Amount | None) -> str:
    """`₦1.2m`, `₦350k`, `₦900`: for chart axis ticks only; tables show exact amounts."""
    value = Decimal(amount or 0)
    for size, suffix in ((Decimal(1_000_000_000), "bn"), (Decimal(1_000_000), "m"), (Decimal(1_000), "k")):
        if value >= size:
            text = f"{value / size:.1f}".removesuffix(".0")
            return f"₦{text}{suffix}"
    return f"₦{value:.0f}"


def naira_sms(amount: Amount | None) -> str:
    """`NGN 15,000`: the same figure in the GSM-7 alphabet."""
    return f"NGN {_grouped(amount)}"


def money_input(value: object, field: str) -> Decimal:
    """A non-negative amount a merchant typed (a fee, a coupon value), in kobo, or ServiceError."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{field} must be an amount in naira.", details={field: "Not a number."}) from None
    if not amount.is_finite() or amount < 0 or amount >= MONEY_LIMIT:
        raise ServiceError(
            f"{field} must be between 0 and 9,999,999,999.99.", details={field: "Out of range."}
        )
    return to_kobo(amount)
