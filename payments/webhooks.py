"""Monnify webhook authenticity (shared/reference/integrations.md §2.3 and §2.4).

The `monnify-signature` header is the lowercase hex HMAC-SHA512 of the raw request body,
keyed with the merchant's client secret key (the one used to log in; Monnify has no separate
webhook secret). It is checked over the bytes as received, before anything parses them.
"""

import hashlib
import hmac
import ipaddress
from decimal import Decimal, InvalidOperation

from config.money import kobo_text

SIGNATURE_HEADER = "monnify-signature"


def compute_signature(body: bytes, secret_key: str) -> str:
    return hmac.new(secret_key.encode(), body, hashlib.sha512).hexdigest()


def signature_is_valid(body: bytes, signature: str | None, secret_key: str) -> bool:
    if not signature or not secret_key:
        return False
    expected = compute_signature(body, secret_key)
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode())


def source_ip_allowed(remote_addr: str | None, allowed: list[str]) -> bool:
    """An empty allow-list lets every address through (sandbox, tests, local)."""
    if not allowed:
        return True
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return False
    for entry in allowed:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def webhook_reference(event_type: str, data: dict) -> str:
    """What makes one event distinct from another of its type: Monnify's own identifier and, for a
    collection, the state it reports.

    One transaction can be notified more than once for real (a short payment, then the shopper's
    top-up): its status and amount paid are part of the key, so only a redelivery of the same
    content is a duplicate.
    """
    keys: tuple[str, ...]
    if event_type.endswith("_REFUND"):
        keys = ("refundReference", "transactionReference")
    elif event_type.endswith("_DISBURSEMENT"):
        keys = ("reference", "transactionReference")
    else:
        keys = ("transactionReference", "paymentReference", "reference")
    reference = next((str(data[key]) for key in keys if data.get(key)), "")
    if not reference or event_type.endswith(("_REFUND", "_DISBURSEMENT")):
        return reference[:100]
    return f"{reference[:64]}|{_collection_state(data)}"


def _collection_state(data: dict) -> str:
    """paymentStatus and amountPaid, the amount normalised (12500, 12500.0 and "12500.00" agree)."""
    amount = data.get("amountPaid")
    if amount is None:
        sources = data.get("paymentSourceInformation")
        source = sources[0] if isinstance(sources, list) and sources else sources
        amount = source.get("amountPaid") if isinstance(source, dict) else None
    try:
        amount_text = kobo_text(Decimal(str(amount))) if amount is not None else ""
    except (InvalidOperation, ValueError):
        amount_text = str(amount)
    return f"{str(data.get('paymentStatus') or '')[:16]}|{amount_text[:16]}"
