"""Merchants' bank accounts: Monnify's bank list, name enquiry, adding and removing accounts."""

from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict, ExternalServiceError, ServiceError
from payments import locks
from payments.models import (
    BankAccount,
)
from payments.monnify import (
    MonnifyError,
    MonnifyRequestError,
    monnify_client,
)
from payments.selectors import (
    bank_account_get,
)

BANKS_CACHE_KEY = "payments:monnify-banks"
BANKS_CACHE_SECONDS = 24 * 60 * 60
MAX_BANK_ACCOUNTS = 5


class AccountNotResolved(ServiceError):
    code = "account_not_resolved"


def bank_list() -> list[dict[str, str]]:
    """Monnify's banks ({name, code}, by name), cached for a day: the list rarely changes."""
    banks = cache.get(BANKS_CACHE_KEY)
    if banks is None:
        try:
            raw = monnify_client().list_banks()
        except MonnifyError as error:
            raise ExternalServiceError("The list of banks is unavailable; try again shortly.") from error
        banks = sorted(
            ({"name": bank["name"], "code": str(bank["code"])} for bank in raw if bank.get("code")),
            key=lambda bank: bank["name"].lower(),
        )
        cache.set(BANKS_CACHE_KEY, banks, BANKS_CACHE_SECONDS)
    return list(banks)


def bank_account_resolve(*, account_number: str, bank_code: str) -> dict[str, Any]:
    """Name enquiry: the name the bank holds for the account (never one the merchant typed)."""
    account_number = (account_number or "").strip()
    bank_code = (bank_code or "").strip()
    if len(account_number) != 10 or not account_number.isdigit():
        raise ServiceError(
            "Enter the 10-digit account number (NUBAN).", details={"account_number": "invalid"}
        )
    bank = next((bank for bank in bank_list() if bank["code"] == bank_code), None)
    if bank is None:
        raise ServiceError("Choose a bank from the list.", details={"bank_code": "unknown"})
    try:
        resolved = monnify_client().validate_account(account_number=account_number, bank_code=bank_code)
    except MonnifyRequestError as error:
        raise AccountNotResolved(
            "We could not find that account at that bank. Check the number and the bank."
        ) from error
    except MonnifyError as error:
        raise ExternalServiceError("Account lookup is unavailable; try again shortly.") from error
    return {
        "account_number": account_number,
        "account_name": resolved.get("accountName") or "",
        "bank_code": bank_code,
        "bank_name": resolved.get("bankName") or bank["name"],
    }


def bank_account_add(*, user: User, account_number: str, bank_code: str) -> BankAccount:
    resolved = bank_account_resolve(account_number=account_number, bank_code=bank_code)
    if not resolved["account_name"]:
        raise AccountNotResolved("The bank returned no name for that account.")
    with transaction.atomic():
        locks.merchant_lock(user.pk)
        accounts = BankAccount.objects.filter(user=user)
        existing = accounts.filter(account_number=resolved["account_number"], bank_code=bank_code).first()
        if existing is not None and existing.deleted_at is None:
            raise Conflict("You have already added this account.")
        live = accounts.filter(deleted_at__isnull=True)
        if live.count() >= MAX_BANK_ACCOUNTS:
            raise Conflict(f"You can keep up to {MAX_BANK_ACCOUNTS} bank accounts; remove one first.")
        account = existing or BankAccount(
            user=user, account_number=resolved["account_number"], bank_code=bank_code
        )
        account.account_name = resolved["account_name"][:255]
        account.bank_name = resolved["bank_name"][:255]
        account.is_verified = True
        account.is_primary = not live.filter(is_primary=True).exists()
        account.deleted_at = None
        account.save()
    return account


def bank_account_make_primary(*, user: User, account_id: str) -> BankAccount:
    with transaction.atomic():
        locks.merchant_lock(user.pk)
        account = bank_account_get(user=user, account_id=account_id)
        BankAccount.objects.filter(user=user, is_primary=True).exclude(pk=account.pk).update(is_primary=False)
        account.is_primary = True
        account.save(update_fields=["is_primary", "updated_at"])
    return account


def bank_account_delete(*, user: User, account_id: str) -> None:
    """Soft delete (payout history keeps pointing at it); the newest other account becomes primary."""
    with transaction.atomic():
        locks.merchant_lock(user.pk)
        account = bank_account_get(user=user, account_id=account_id)
        was_primary = account.is_primary
        account.deleted_at = timezone.now()
        account.is_primary = False
        account.save(update_fields=["deleted_at", "is_primary", "updated_at"])
        if was_primary:
            successor = (
                BankAccount.objects.filter(user=user, deleted_at__isnull=True).order_by("-created_at").first()
            )
            if successor is not None:
                successor.is_primary = True
                successor.save(update_fields=["is_primary", "updated_at"])


def bank_accounts_remove_for_deleted_user(user: User, now: datetime) -> None:
    """accounts/deletion.py: a deleted merchant's accounts go (payout history keeps its copy)."""
    BankAccount.objects.filter(user=user, deleted_at__isnull=True).update(
        deleted_at=now, is_primary=False, updated_at=now
    )
