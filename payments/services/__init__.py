"""Every write of the payments app, one module per sub-domain:

- `collections`: a shopper's payment (Monnify account, status, expiry, closing on cancel);
- `webhooks`: Monnify's notifications, recorded at once and acted on by a task;
- `bank_accounts`: Monnify's banks and merchants' verified accounts;
- `ledger`: the merchant's balance, one entry per movement;
- `payouts`: balance to bank through Monnify transfers;
- `refunds`: money back to the shopper through Monnify refunds;
- `receipts`: a paid order's receipt code and sending the receipt by email.

Callers import from `payments.services`; the names below are its public surface. Lock order:
payments/locks.py.
"""

from payments.selectors import REFUND_MINIMUM
from payments.services.bank_accounts import (
    AccountNotResolved,
    bank_account_add,
    bank_account_delete,
    bank_account_make_primary,
    bank_account_resolve,
    bank_accounts_remove_for_deleted_user,
    bank_list,
)
from payments.services.collections import (
    payment_apply_status,
    payment_create,
    payment_expire,
    payment_pay_simulated,
    payment_reconcile,
    payment_refresh_if_due,
    payment_requery,
    payment_retry_start,
    payments_close_for_cancelled_order,
)
from payments.services.ledger import InsufficientBalance, ledger_balances_rebuild
from payments.services.payouts import (
    payout_apply_transfer,
    payout_approve,
    payout_authorize,
    payout_reject,
    payout_requery,
    payout_request,
    payout_submit,
    user_deletion_guard,
)
from payments.services.pod_balance import pod_balance_account_open, pod_balance_record_cash
from payments.services.receipts import NoEmailOnOrder, receipt_email, receipt_issue
from payments.services.refunds import (
    payment_refund_start,
    refund_apply_status,
    refund_requery,
    refund_submit,
)
from payments.services.webhooks import (
    InvalidWebhookSignature,
    monnify_event_process,
    monnify_events_reprocess,
    monnify_webhook_receive,
)

__all__ = [
    "REFUND_MINIMUM",
    "AccountNotResolved",
    "InsufficientBalance",
    "InvalidWebhookSignature",
    "NoEmailOnOrder",
    "bank_account_add",
    "bank_account_delete",
    "bank_account_make_primary",
    "bank_account_resolve",
    "bank_accounts_remove_for_deleted_user",
    "bank_list",
    "ledger_balances_rebuild",
    "monnify_event_process",
    "monnify_events_reprocess",
    "monnify_webhook_receive",
    "payment_apply_status",
    "payment_create",
    "payment_expire",
    "payment_pay_simulated",
    "payment_reconcile",
    "payment_refresh_if_due",
    "payment_refund_start",
    "payment_requery",
    "payment_retry_start",
    "payments_close_for_cancelled_order",
    "payout_apply_transfer",
    "payout_approve",
    "payout_authorize",
    "payout_reject",
    "payout_requery",
    "payout_request",
    "payout_submit",
    "pod_balance_account_open",
    "pod_balance_record_cash",
    "receipt_email",
    "receipt_issue",
    "refund_apply_status",
    "refund_requery",
    "refund_submit",
    "user_deletion_guard",
]
