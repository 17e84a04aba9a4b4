"""Payouts: a merchant's balance sent to their bank account through a Monnify single transfer."""

import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict, ExternalServiceError, PermissionDenied, ServiceError
from config.money import naira, to_kobo
from outbox.services import outbox_enqueue
from payments import locks, messages, tasks
from payments.models import (
    LedgerKind,
    Payout,
    PayoutStatus,
)
from payments.monnify import (
    MonnifyError,
    MonnifyRequestError,
    monnify_client,
)
from payments.selectors import (
    bank_account_get,
    bank_accounts_for_user,
    ledger_balance,
)
from payments.services.ledger import InsufficientBalance, ledger_book
from payments.services.sending import Refused, monnify_look_up_or_resend, monnify_send_once

PAYOUT_RANK: dict[str, int] = {
    PayoutStatus.PENDING_APPROVAL: 0,
    PayoutStatus.QUEUED: 0,
    PayoutStatus.SUBMITTING: 1,
    PayoutStatus.PENDING_AUTHORIZATION: 2,
    PayoutStatus.PROCESSING: 3,
    PayoutStatus.SUCCESS: 4,
    PayoutStatus.FAILED: 4,
    PayoutStatus.REVERSED: 5,
}
PAYOUT_TERMINAL = frozenset({PayoutStatus.FAILED, PayoutStatus.REVERSED, PayoutStatus.REJECTED})
TRANSFER_STATUSES = {
    "SUCCESS": PayoutStatus.SUCCESS,
    "COMPLETED": PayoutStatus.SUCCESS,
    "FAILED": PayoutStatus.FAILED,
    "EXPIRED": PayoutStatus.FAILED,
    "REVERSED": PayoutStatus.REVERSED,
    "PENDING_AUTHORIZATION": PayoutStatus.PENDING_AUTHORIZATION,
    "PENDING_BATCH_AUTHORIZATION": PayoutStatus.PENDING_AUTHORIZATION,
    "OTP_EMAIL_DISPATCH_FAILED": PayoutStatus.PENDING_AUTHORIZATION,
    "PENDING": PayoutStatus.PROCESSING,
    "AWAITING_PROCESSING": PayoutStatus.PROCESSING,
    "IN_PROGRESS": PayoutStatus.PROCESSING,
}
DISBURSEMENT_EVENTS = frozenset({"SUCCESSFUL_DISBURSEMENT", "FAILED_DISBURSEMENT", "REVERSED_DISBURSEMENT"})


def _payout_queue_submit(payout_id: str) -> None:
    outbox_enqueue(task=tasks.payout_submit, payout_id=payout_id)


def payout_request(*, user: User, amount: Any, bank_account_id: str | None = None) -> Payout:
    """Withdraw available balance to one of the merchant's verified accounts (primary by default).

    The amount leaves the balance at once (a debit entry); a failed, rejected or reversed payout
    books it back.
    """
    try:
        amount = to_kobo(Decimal(str(amount)))
    except (InvalidOperation, ValueError):
        raise ServiceError("Enter an amount in naira.", details={"amount": "invalid"}) from None
    minimum = settings.PAYOUT_MINIMUM_AMOUNT
    if amount < minimum:
        raise ServiceError(f"The smallest payout is {naira(minimum)}.", details={"amount": "below_minimum"})
    if not (user.email_verified and user.phone_verified):
        raise PermissionDenied("Verify your email address and phone number before requesting a payout.")
    with transaction.atomic():
        locks.merchant_lock(user.pk)
        if bank_account_id:
            account = bank_account_get(user=user, account_id=bank_account_id)
        else:
            primary = bank_accounts_for_user(user=user).filter(is_primary=True).first()
            if primary is None:
                raise ServiceError("Add a bank account before requesting a payout.")
            account = primary
        if not account.is_verified:
            raise ServiceError("This bank account is not verified.")
        balance = ledger_balance(user=user)
        if amount > balance:
            raise InsufficientBalance(f"Your available balance is {naira(balance)}.")
        needs_approval = settings.PAYOUT_REQUIRE_APPROVAL
        payout = Payout.objects.create(
            merchant=user,
            bank_account=account,
            amount=amount,
            reference=f"AGMPO-{secrets.token_hex(8).upper()}",
            status=PayoutStatus.PENDING_APPROVAL if needs_approval else PayoutStatus.QUEUED,
            account_number=account.account_number,
            account_name=account.account_name,
            bank_code=account.bank_code,
            bank_name=account.bank_name,
        )
        ledger_book(
            merchant_id=user.pk,
            kind=LedgerKind.DEBIT_PAYOUT,
            amount=-amount,
            reference=f"payout:{payout.reference}",
            payout=payout,
            description=f"Payout to {account.bank_name} {account.account_number}",
        )
        if not needs_approval:
            _payout_queue_submit(payout.pk)
    return payout


def _payout_returnkobo_text(payout: Payout) -> None:
    ledger_book(
        merchant_id=payout.merchant_id,
        kind=LedgerKind.CREDIT_PAYOUT_REVERSAL,
        amount=payout.amount,
        reference=f"payout-reversal:{payout.reference}",
        payout=payout,
        description=f"Payout {payout.reference} returned",
    )


def payout_approve(*, payout_id: str, staff: User) -> Payout:
    with transaction.atomic():
        payout = locks.payout_lock(payout_id)
        if payout.status != PayoutStatus.PENDING_APPROVAL:
            raise Conflict("Only a payout awaiting approval can be approved.")
        payout.status = PayoutStatus.QUEUED
        payout.reviewed_by = staff
        payout.save(update_fields=["status", "reviewed_by", "updated_at"])
        _payout_queue_submit(payout.pk)
    return payout


def payout_reject(*, payout_id: str, staff: User, reason: str = "") -> Payout:
    with transaction.atomic():
        payout = locks.payout_lock(payout_id)
        if payout.status != PayoutStatus.PENDING_APPROVAL:
            raise Conflict("Only a payout awaiting approval can be rejected.")
        payout.status = PayoutStatus.REJECTED
        payout.reviewed_by = staff
        payout.failure_reason = (reason or "Rejected by staff")[:255]
        payout.completed_at = timezone.now()
        payout.save(update_fields=["status", "reviewed_by", "failure_reason", "completed_at", "updated_at"])
        _payout_returnkobo_text(payout)
    return payout


def payout_apply_transfer(*, payout_id: str, body: dict[str, Any]) -> Payout:
    """Apply Monnify's transfer status. Never backwards; money returns once on failure or reversal."""
    new = TRANSFER_STATUSES.get(str(body.get("status") or "").upper())
    with transaction.atomic():
        payout = locks.payout_lock(payout_id)
        if body.get("reference") and body["reference"] != payout.reference:
            raise ServiceError("Monnify's transfer belongs to another payout reference.")
        if body.get("transactionReference") and not payout.monnify_reference:
            payout.monnify_reference = str(body["transactionReference"])[:100]
            payout.save(update_fields=["monnify_reference", "updated_at"])
        if new is None or payout.status in PAYOUT_TERMINAL:
            return payout
        if PAYOUT_RANK[new] <= PAYOUT_RANK[payout.status]:
            return payout
        if payout.status == PayoutStatus.SUCCESS and new != PayoutStatus.REVERSED:
            return payout
        payout.status = new
        if new in (PayoutStatus.FAILED, PayoutStatus.REVERSED):
            reason = body.get("comment") or body.get("transactionDescription") or new.label
            payout.failure_reason = str(reason)[:255]
            _payout_returnkobo_text(payout)
        if new in (PayoutStatus.SUCCESS, PayoutStatus.FAILED, PayoutStatus.REVERSED):
            payout.completed_at = timezone.now()
        payout.save()
        if new == PayoutStatus.SUCCESS:
            transaction.on_commit(lambda: messages.send_payout_completed(payout_id=payout.pk), robust=True)
        elif new in (PayoutStatus.FAILED, PayoutStatus.REVERSED):
            transaction.on_commit(lambda: messages.send_payout_failed(payout_id=payout.pk), robust=True)
    return payout


def _payout_fail(payout: Payout, reason: str) -> Payout:
    return payout_apply_transfer(payout_id=payout.pk, body={"status": "FAILED", "comment": reason})


def payout_submit(*, payout_id: str) -> Payout:
    """Send a queued payout to Monnify. An unknown outcome stays `submitting` for the re-query.

    Raises MonnifyUnavailable when Monnify could not be reached, so the task can retry.
    """
    with transaction.atomic():
        payout = locks.payout_lock(payout_id)
        if payout.status not in (PayoutStatus.QUEUED, PayoutStatus.SUBMITTING):
            return payout
        payout.status = PayoutStatus.SUBMITTING
        payout.save(update_fields=["status", "updated_at"])
    client = monnify_client()
    # Unreachable: MonnifyUnavailable, and the payout stays `submitting` for the task's retry.
    outcome = monnify_send_once(
        what=f"payout {payout.reference}",
        send=lambda: client.single_transfer(
            amount=payout.amount,
            reference=payout.reference,
            narration=f"{settings.SITE_NAME} payout"[:100],
            bank_code=payout.bank_code,
            account_number=payout.account_number,
            account_name=payout.account_name,
        ),
        look_up=lambda: client.transfer_summary(payout.reference),
    )
    if outcome is None:
        return payout
    if isinstance(outcome, Refused):
        return _payout_fail(payout, outcome.message)
    return payout_apply_transfer(payout_id=payout.pk, body=outcome)


def payout_authorize(*, payout_id: str, otp: str) -> Payout:
    """Submit the OTP Monnify emailed for a transfer awaiting two-factor authorisation."""
    payout = Payout.objects.get(pk=payout_id)
    if payout.status != PayoutStatus.PENDING_AUTHORIZATION:
        raise Conflict("This payout is not awaiting an OTP.")
    otp = (otp or "").strip()
    if not otp:
        raise ServiceError("Enter the OTP Monnify sent.")
    try:
        body = monnify_client().authorize_transfer(reference=payout.reference, otp=otp)
    except MonnifyRequestError as error:
        raise ServiceError(f"Monnify refused the OTP: {error.message}") from error
    except MonnifyError as error:
        raise ExternalServiceError("Monnify is unavailable; try again shortly.") from error
    return payout_apply_transfer(payout_id=payout.pk, body=body)


def payout_requery(*, payout_id: str) -> Payout:
    """Ask Monnify about a payout in flight; resend one Monnify never received."""
    payout = Payout.objects.get(pk=payout_id)
    return monnify_look_up_or_resend(
        look_up=lambda: monnify_client().transfer_summary(payout.reference),
        unsent=payout.status == PayoutStatus.SUBMITTING,
        resend=lambda: payout_submit(payout_id=payout.pk),
        apply=lambda body: payout_apply_transfer(payout_id=payout.pk, body=body),
    )


UNSETTLED_PAYOUTS = (
    PayoutStatus.PENDING_APPROVAL,
    PayoutStatus.QUEUED,
    PayoutStatus.SUBMITTING,
    PayoutStatus.PENDING_AUTHORIZATION,
    PayoutStatus.PROCESSING,
)


def user_deletion_guard(user: User) -> None:
    """accounts/deletion.py: a merchant whose money is still theirs cannot delete the account.

    Runs under the user row lock that payout_request takes, so no payout starts meanwhile.
    """
    balance = ledger_balance(user=user)
    if balance > 0:
        raise Conflict(
            f"Withdraw your balance of {naira(balance)} before deleting your account.",
            code="balance_not_empty",
        )
    # payouts whose money has left the balance but not yet reached the bank (or come back)
    if Payout.objects.filter(merchant=user, status__in=UNSETTLED_PAYOUTS).exists():
        raise Conflict(
            "A payout is still on its way. Delete your account once it has been paid.",
            code="payout_in_progress",
        )
