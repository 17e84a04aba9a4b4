"""Monnify webhook authenticity (shared/reference/integrations.md §2.3 and §2.4).

The `monnify-signature` header is the lowercase hex HMAC-SHA512 of the raw request body,
keyed with the merchant's client secret key (the one used to log in; Monnify has no separate
webhook secret). It is checked over the bytes as received, before anything parses them.
"""

import hashlib
import hmac
import ipaddress

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
    """What makes one event distinct from another of its type: Monnify's own identifiers."""
    if event_type.endswith("_REFUND"):
        keys = ("refundReference", "transactionReference")
    elif event_type.endswith("_DISBURSEMENT"):
        keys = ("reference", "transactionReference")
    else:
        keys = ("transactionReference", "paymentReference", "reference")
    for key in keys:
        value = data.get(key)
        if value:
            return str(value)[:100]
    return ""
