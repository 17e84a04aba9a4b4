"""Every write of the orders app, one module per sub-domain:

- `checkout`: what a checkout says, checked and cleaned (no database writes);
- `placement`: `order_place`, the one way an order is made (storefront, API, bookings);
- `status`: the status machine, cancelling, payment confirmation and expiry;
- `coupons`: a store's coupons, and the lock and release a checkout takes;
- `delivery`: delivery settings and rates;
- `whatsapp`: "Order on WhatsApp", an order placed as checkout does and the chat it opens;
- `exports`: large orders CSVs built into a stored file;
- `customers`: the per-store customer table, refreshed after order writes and caught up;
- `payment_requests`: orders the merchant places for a shopper, and sending their pay link;
- `pod`: pay on delivery's settings, plans, the deposit and the balance;
- `recovery`: reminders for unpaid orders and abandoned checkouts, opting out, attribution.

Callers import from `orders.services`; the names below are its public surface. Lock order:
orders/locks.py; payments are reached through orders/payment_hooks.py.
"""

from orders.services.checkout import (
    MAX_LINES,
    MAX_QUANTITY,
    CouponUnavailable,
    IdempotencyConflict,
    InvalidCheckout,
    OutOfStock,
    check_variant_selection,
)
from orders.services.coupons import COUPON_FIELDS, coupon_delete, coupon_save
from orders.services.customers import (
    customer_refresh,
    customer_refresh_on_commit,
    customers_catch_up,
    customers_rebuild,
)
from orders.services.delivery import (
    delivery_rate_delete,
    delivery_rate_save,
    delivery_rate_set,
    delivery_settings_update,
)
from orders.services.exports import order_export_build, order_export_queue
from orders.services.payment_requests import (
    MAX_SENDS,
    PaymentRequestClosed,
    payment_request_create,
    payment_request_send,
)
from orders.services.placement import new_order_number, order_place
from orders.services.pod import PAY_ON_DELIVERY, pod_settings_update
from orders.services.recovery import (
    CONSENT_TEXT,
    RecoverySettingsInvalid,
    checkout_capture,
    recovery_opt_out,
    recovery_send_abandoned,
    recovery_send_expired,
    recovery_send_unpaid,
    recovery_settings_update,
)
from orders.services.status import (
    IllegalTransition,
    allowed_transitions,
    order_cancel,
    order_expire_payment,
    order_mark_paid,
    order_transition,
)
from orders.services.whatsapp import WhatsAppOrder, WhatsAppOrderingOff, order_place_on_whatsapp

__all__ = [
    "CONSENT_TEXT",
    "COUPON_FIELDS",
    "MAX_LINES",
    "MAX_QUANTITY",
    "MAX_SENDS",
    "PAY_ON_DELIVERY",
    "CouponUnavailable",
    "IdempotencyConflict",
    "IllegalTransition",
    "InvalidCheckout",
    "OutOfStock",
    "PaymentRequestClosed",
    "RecoverySettingsInvalid",
    "WhatsAppOrder",
    "WhatsAppOrderingOff",
    "allowed_transitions",
    "check_variant_selection",
    "checkout_capture",
    "coupon_delete",
    "coupon_save",
    "customer_refresh",
    "customer_refresh_on_commit",
    "customers_catch_up",
    "customers_rebuild",
    "delivery_rate_delete",
    "delivery_rate_save",
    "delivery_rate_set",
    "delivery_settings_update",
    "new_order_number",
    "order_cancel",
    "order_expire_payment",
    "order_export_build",
    "order_export_queue",
    "order_mark_paid",
    "order_place",
    "order_place_on_whatsapp",
    "order_transition",
    "payment_request_create",
    "payment_request_send",
    "pod_settings_update",
    "recovery_opt_out",
    "recovery_send_abandoned",
    "recovery_send_expired",
    "recovery_send_unpaid",
    "recovery_settings_update",
]
