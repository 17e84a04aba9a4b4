from django.conf import settings
from django.db import models

from config.db import CurrentTimestamp, EnumField, SeedIndex, TimestampField, uuid_primary_key
from orders.models import Order, PaymentStatus, money


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    CARD = "card", "Card"
    USSD = "ussd", "USSD"


class Payment(models.Model):
    """One attempt to collect an order's total through Monnify."""

    id = uuid_primary_key()
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payments", db_index=False
    )
    amount = money()
    currency = models.CharField(max_length=3, null=True, default="NGN", db_default="NGN")
    status = EnumField(
        choices=PaymentStatus.choices,
        null=True,
        default=PaymentStatus.PENDING,
        db_default=PaymentStatus.PENDING,
    )
    payment_method = EnumField(choices=PaymentMethod.choices, null=True, blank=True)
    payment_reference = models.CharField(max_length=100, unique=True)
    monnify_reference = models.CharField(max_length=100, unique=True, null=True, blank=True)
    account_number = models.CharField(max_length=20, null=True, blank=True)
    account_name = models.CharField(max_length=255, null=True, blank=True)
    bank_name = models.CharField(max_length=100, null=True, blank=True)
    metadata = models.JSONField(null=True, blank=True)
    paid_at = TimestampField(null=True, blank=True)
    expires_at = TimestampField(null=True, blank=True)
    created_at = TimestampField(null=True, auto_now_add=True, db_default=CurrentTimestamp())
    updated_at = TimestampField(null=True, auto_now=True, db_default=CurrentTimestamp(), on_update=True)

    class Meta:
        db_table = "payments"
        ordering = ["-created_at"]
        indexes = [
            SeedIndex(fields=["order"], name="idx_order_id"),
            SeedIndex(fields=["user"], name="idx_user_id"),
            SeedIndex(fields=["payment_reference"], name="idx_payment_reference"),
            SeedIndex(fields=["monnify_reference"], name="idx_monnify_reference"),
            SeedIndex(fields=["status"], name="idx_status"),
            SeedIndex(fields=["created_at"], name="idx_created_at"),
            # Ours (README "Scale"): a merchant's payments newest first, read in index order.
            models.Index(fields=["user", "created_at"], name="agm_payments_user_created"),
            models.Index(fields=["user", "status", "created_at"], name="agm_payments_user_status"),
            # The analytics catch-up reads what changed since its watermark every minute.
            models.Index(fields=["updated_at"], name="agm_payments_updated"),
        ]

    def __str__(self):
        return self.payment_reference


class BankAccount(models.Model):
    """A merchant's Nigerian bank account for payouts."""

    id = uuid_primary_key()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bank_accounts", db_index=False
    )
    account_number = models.CharField(max_length=20)
    account_name = models.CharField(max_length=255)
    bank_code = models.CharField(max_length=10)
    bank_name = models.CharField(max_length=255)
    is_verified = models.BooleanField(null=True, default=False, db_default=False)
    is_primary = models.BooleanField(null=True, default=False, db_default=False)
    created_at = TimestampField(null=True, auto_now_add=True, db_default=CurrentTimestamp())
    updated_at = TimestampField(null=True, auto_now=True, db_default=CurrentTimestamp(), on_update=True)
    deleted_at = TimestampField(null=True, blank=True)

    class Meta:
        db_table = "bank_accounts"
        ordering = ["-is_primary", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "account_number", "bank_code"], name="unique_account"),
        ]
        indexes = [
            SeedIndex(fields=["user"], name="idx_user_id"),
            SeedIndex(fields=["account_number"], name="idx_account_number"),
            SeedIndex(fields=["bank_code"], name="idx_bank_code"),
        ]

    def __str__(self):
        return f"{self.bank_name} {self.account_number} ({self.account_name})"


class WebhookEventStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored"
    # Monnify's re-query failed or did not (yet) confirm what the event reported: the next
    # delivery of the same event, or the periodic re-query, processes it again.
    UNVERIFIED = "unverified", "Unverified"
    # What a failed re-query left before `unverified` existed; treated the same.
    FAILED = "failed", "Failed"


class MonnifyWebhookEvent(models.Model):
    """Every authentic Monnify notification, once: a redelivery finds its row and stops there,
    unless the row is still unverified (then the redelivery has it processed again)."""

    id = uuid_primary_key()
    event_type = models.CharField(max_length=50)
    reference = models.CharField(max_length=100)
    payload = models.JSONField()
    remote_addr = models.CharField(max_length=45, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=WebhookEventStatus.choices, default=WebhookEventStatus.RECEIVED
    )
    error = models.TextField(blank=True, default="")
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "monnify_webhook_events"
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["event_type", "reference"], name="uniq_monnify_event"),
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="idx_monnify_event_status")]

    def __str__(self):
        return f"{self.event_type} {self.reference}"


class LedgerKind(models.TextChoices):
    CREDIT_SALE = "credit_sale", "Sale (net of platform fee)"
    DEBIT_PAYOUT = "debit_payout", "Payout"
    CREDIT_PAYOUT_REVERSAL = "credit_payout_reversal", "Payout returned"
    DEBIT_REFUND = "debit_refund", "Refund"
    CREDIT_REFUND_REVERSAL = "credit_refund_reversal", "Refund failed, returned"
    DEBIT_REVERSAL = "debit_reversal", "Payment reversed"
    # Pay on delivery (payments/services/pod.py): the deposit and a balance paid by transfer
    # are Monnify-held money; a balance paid in cash never reaches Monnify, so only the part
    # of the platform fee the deposit could not cover is booked for it.
    CREDIT_DEPOSIT = "credit_deposit", "Pay-on-delivery deposit (net of platform fee)"
    CREDIT_BALANCE = "credit_balance", "Pay-on-delivery balance by transfer"
    DEBIT_CASH_FEE = "debit_cash_fee", "Platform fee on a balance paid in cash"


class LedgerEntry(models.Model):
    """One movement of a merchant's money. The balance is the sum of `amount` (debits negative).

    Entries are only ever added; `reference` is unique, so the same sale, payout or reversal
    can never be booked twice however often its event arrives.
    """

    id = uuid_primary_key()
    merchant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(max_length=30, choices=LedgerKind.choices)
    amount = money()
    reference = models.CharField(max_length=120, unique=True)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    payout = models.ForeignKey(
        "Payout", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    description = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "ledger_entries"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["merchant", "created_at"], name="idx_ledger_merchant"),
            # Covers the balance (SUM of amount per merchant) without reading each row.
            models.Index(fields=["merchant", "amount"], name="idx_ledger_merchant_amount"),
            # The payments page's pay-on-delivery sums (three kinds): without it MariaDB reads
            # every ledger row of the merchant (800,000 at a million orders) to find a few.
            models.Index(fields=["merchant", "kind", "amount"], name="agm_ledger_merchant_kind"),
        ]

    def __str__(self):
        return f"{self.kind} {self.amount} ({self.reference})"


class PayoutStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", "Awaiting approval"
    QUEUED = "queued", "Queued"
    SUBMITTING = "submitting", "Sending to Monnify"
    PENDING_AUTHORIZATION = "pending_authorization", "Awaiting OTP"
    PROCESSING = "processing", "Processing"
    SUCCESS = "success", "Paid out"
    FAILED = "failed", "Failed"
    REVERSED = "reversed", "Reversed"
    REJECTED = "rejected", "Rejected"


class Payout(models.Model):
    """A merchant's withdrawal, sent as one Monnify single transfer under our unique reference."""

    id = uuid_primary_key()
    merchant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts")
    bank_account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="payouts")
    amount = money()
    reference = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=25, choices=PayoutStatus.choices)
    # The destination as it was sent: the bank account row may change or be removed later.
    account_number = models.CharField(max_length=20)
    account_name = models.CharField(max_length=255)
    bank_code = models.CharField(max_length=10)
    bank_name = models.CharField(max_length=255)
    monnify_reference = models.CharField(max_length=100, blank=True, default="")
    failure_reason = models.CharField(max_length=255, blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "payouts"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["merchant", "created_at"], name="idx_payout_merchant"),
            models.Index(fields=["status"], name="idx_payout_status"),
        ]

    def __str__(self):
        return f"{self.reference} {self.amount} {self.status}"


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Sending to Monnify"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class Refund(models.Model):
    """Money sent back to a shopper through a Monnify refund, under our unique reference."""

    id = uuid_primary_key()
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    merchant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="refunds")
    amount = money()
    reference = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=15, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    reason = models.CharField(max_length=64)
    failure_reason = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "refunds"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"], name="idx_refund_status"),
            # The analytics catch-up reads what changed since its watermark every minute.
            models.Index(fields=["updated_at"], name="agm_refunds_updated"),
        ]

    def __str__(self):
        return f"{self.reference} {self.amount} {self.status}"


class SimulatorState(models.Model):
    """The built-in Monnify simulator's state (payments/simulator_shared.py): one row, so every
    web process and worker that runs the simulator sees the same transactions and tokens."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "monnify_simulator_state"

    def __str__(self):
        return "Monnify simulator state"


class Receipt(models.Model):
    """A paid order's receipt and the unguessable code of its public verification page.

    The code is what the receipt's QR code carries: `/verify/<code>` shows the store, the
    order number, the amount and when the bank transfer was verified, and nothing about the
    shopper. One per order; issued when the payment is applied (or, for orders paid before
    receipts existed, the first time the receipt is asked for).
    """

    order = models.OneToOneField(Order, on_delete=models.CASCADE, primary_key=True, related_name="receipt")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "payments_receipts"

    def __str__(self):
        return f"Receipt of {self.order_id}"


class MerchantBalance(models.Model):
    """A merchant's running balance: always the sum of their ledger entries.

    `payments.services.ledger.ledger_book` adds each entry's amount in the transaction that
    inserts the entry, so the figure and the ledger commit or roll back together; pages read
    one row instead of summing every entry. `manage.py ledger_balances_rebuild` recomputes it.
    """

    merchant = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    balance = money(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "merchant_balances"

    def __str__(self):
        return f"{self.merchant_id}: {self.balance}"
