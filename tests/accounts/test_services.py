from datetime import timedelta
from decimal import Decimal

import bcrypt
import pytest
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.models import OtpType, OtpVerification, User, UserSettings
from config.errors import Conflict, RateLimited
from config.errors import InvalidInput as ValidationError
from config.phone_numbers import InvalidPhoneNumber
from notifications.models import DeliveryLog
from tests.accounts.conftest import emailed_code
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=False)


def register(django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return services.user_register(**data)


def test_register_creates_an_unverified_user_with_settings_and_codes(
    signup_data, django_capture_on_commit_callbacks
):
    user = register(django_capture_on_commit_callbacks, **signup_data)

    user.refresh_from_db()
    assert (user.email, user.phone, user.full_name) == ("ada.obi@example.com", "+2348031234567", "Ada Obi")
    assert (user.email_verified, user.phone_verified, user.is_active) == (False, False, True)
    assert bcrypt.checkpw(b"kola-nut-Sunrise-42", user.password.encode())
    assert UserSettings.objects.filter(user=user).count() == 1
    codes = OtpVerification.objects.filter(verified=False).order_by("type")
    assert [(otp.type, otp.email, otp.phone) for otp in codes] == [
        (OtpType.EMAIL, "ada.obi@example.com", None),
        (OtpType.PHONE, None, "+2348031234567"),
    ]
    sent = DeliveryLog.objects.order_by("template", "channel")
    assert [(log.template, log.channel, log.recipient, log.category, log.status) for log in sent] == [
        ("otp", "email", "ada.obi@example.com", "security", "sent"),
        ("otp", "sms", "+2348031234567", "security", "sent"),
        ("welcome", "email", "ada.obi@example.com", "account", "sent"),
    ]
    assert sorted(message.subject for message in mail.outbox) == [
        f"{codes[0].code} is your AGM Store Builder code",
        "Welcome to AGM Store Builder, Ada",
    ]


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"email": "MERCHANT-TAKEN@example.com"}, Conflict, "email"),
        ({"phone": "+234 803 999 0000"}, Conflict, "phone"),
        ({"password": "password"}, ValidationError, "password"),
        ({"password": "12345678901"}, ValidationError, "password"),
        ({"phone": "12345"}, InvalidPhoneNumber, None),
        ({"email": "not-an-email"}, ValidationError, "email"),
    ],
)
def test_register_refuses_bad_input_and_writes_nothing(signup_data, change, error, field):
    UserFactory(email="merchant-taken@example.com", phone="+2348039990000")
    with pytest.raises(error) as raised:
        services.user_register(**{**signup_data, **change})
    if error is Conflict:
        assert field in raised.value.details
    elif field:
        assert field in raised.value.message_dict
    assert User.objects.count() == 1
    assert UserSettings.objects.count() == 0
    assert OtpVerification.objects.count() == 0
    assert DeliveryLog.objects.count() == 0


def test_otp_verify_marks_email_verified_and_is_single_use(signup_data, django_capture_on_commit_callbacks):
    user = register(django_capture_on_commit_callbacks, **signup_data)
    code = emailed_code("ada.obi@example.com")

    services.otp_verify(otp_type=OtpType.EMAIL, email="ADA.OBI@example.com", code=code)

    user.refresh_from_db()
    assert (user.email_verified, user.phone_verified) == (True, False)
    with pytest.raises(services.InvalidOtp) as raised:
        services.otp_verify(otp_type=OtpType.EMAIL, email=user.email, code=code)
    assert raised.value.code == "otp_expired"


def test_expired_code_is_refused(signup_data, django_capture_on_commit_callbacks):
    user = register(django_capture_on_commit_callbacks, **signup_data)
    otp = OtpVerification.objects.get(type=OtpType.EMAIL)
    OtpVerification.objects.filter(pk=otp.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(services.InvalidOtp) as raised:
        services.otp_verify(otp_type=OtpType.EMAIL, email=user.email, code=otp.code)

    assert raised.value.code == "otp_expired"
    user.refresh_from_db()
    assert user.email_verified is False
    assert OtpVerification.objects.get(pk=otp.pk).verified is False


def test_five_wrong_tries_burn_the_code(signup_data, django_capture_on_commit_callbacks):
    user = register(django_capture_on_commit_callbacks, **signup_data)
    otp = OtpVerification.objects.get(type=OtpType.EMAIL)
    wrong = "000000" if otp.code != "000000" else "111111"
    messages = []
    for _ in range(5):
        with pytest.raises(services.InvalidOtp) as raised:
            services.otp_verify(otp_type=OtpType.EMAIL, email=user.email, code=wrong)
        messages.append(raised.value.message)
    assert messages[:2] == ["That code is not right. 4 tries left.", "That code is not right. 3 tries left."]
    assert messages[4].startswith("Too many wrong codes")

    with pytest.raises(services.InvalidOtp) as raised:
        services.otp_verify(otp_type=OtpType.EMAIL, email=user.email, code=otp.code)

    assert raised.value.code == "otp_burned"
    otp.refresh_from_db()
    assert otp.verified is False
    assert otp.expires_at <= timezone.now()
    user.refresh_from_db()
    assert user.email_verified is False


def test_new_code_replaces_the_old_after_the_cooldown(
    signup_data, django_capture_on_commit_callbacks, settings
):
    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    user = register(django_capture_on_commit_callbacks, **signup_data)
    old = OtpVerification.objects.get(type=OtpType.EMAIL)

    new = services.otp_issue(otp_type=OtpType.EMAIL, email=user.email)

    assert list(OtpVerification.objects.filter(type=OtpType.EMAIL).values_list("pk", flat=True)) == [new.pk]
    assert old.pk != new.pk


def test_a_code_without_the_address_its_type_uses_is_refused_before_anything_is_written():
    # A phone code asked for with only an email: a caller's mistake, named, nothing sent or stored.
    with pytest.raises(TypeError, match=r"needs the phone"):
        services.otp_issue(otp_type=OtpType.PHONE, email="ada.obi@example.com")

    assert OtpVerification.objects.count() == 0
    assert DeliveryLog.objects.count() == 0
    assert mail.outbox == []


def test_resend_inside_the_cooldown_is_refused(signup_data, django_capture_on_commit_callbacks):
    user = register(django_capture_on_commit_callbacks, **signup_data)
    old = OtpVerification.objects.get(type=OtpType.EMAIL)

    with pytest.raises(RateLimited) as raised:
        services.otp_resend(otp_type=OtpType.EMAIL, email=user.email)

    assert 55 <= raised.value.retry_after <= 60
    assert list(OtpVerification.objects.filter(type=OtpType.EMAIL)) == [old]


def test_hourly_cap_per_identity(signup_data, django_capture_on_commit_callbacks, settings):
    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    user = register(django_capture_on_commit_callbacks, **signup_data)
    for _ in range(settings.OTP_SENDS_PER_HOUR - 1):
        services.otp_resend(otp_type=OtpType.EMAIL, email=user.email)

    with pytest.raises(RateLimited):
        services.otp_resend(otp_type=OtpType.EMAIL, email=user.email)


def test_forgot_password_for_an_unknown_email_sends_nothing(db):
    services.password_forgot(email="nobody@example.com")

    assert OtpVerification.objects.count() == 0
    assert mail.outbox == []


def test_password_reset_sets_the_password_and_revokes_tokens(django_capture_on_commit_callbacks):
    from accounts.tokens import token_pair_issue

    user = UserFactory(email="reset@example.com")
    token_pair_issue(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.password_forgot(email="Reset@Example.com")
    code = emailed_code("reset@example.com")

    services.password_reset(email="reset@example.com", code=code, new_password="new-Harmattan-77")

    user.refresh_from_db()
    assert user.check_password("new-Harmattan-77")
    assert list(user.refresh_tokens.values_list("revoked", flat=True)) == [True]


def test_password_change_needs_the_current_password(db):
    user = UserFactory()
    with pytest.raises(ValidationError) as raised:
        services.password_change(user=user, current_password="wrong", new_password="new-Harmattan-77")
    assert "current_password" in raised.value.message_dict
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_changing_phone_unverifies_it_and_sends_a_code(db):
    user = UserFactory(phone="+2348030000001", phone_verified=True)

    services.user_profile_update(user=user, full_name=" New Name ", phone="08030000002")

    user.refresh_from_db()
    assert (user.full_name, user.phone, user.phone_verified) == ("New Name", "+2348030000002", False)
    assert OtpVerification.objects.filter(type=OtpType.PHONE, phone="+2348030000002").count() == 1


def test_delete_account_clears_personal_data(db):
    from stores.models import Store
    from tests.factories import StoreFactory

    user = UserFactory(email="gone@example.com", phone="+2348030000009")
    store = StoreFactory(user=user)

    services.user_delete(user=user, password=DEFAULT_PASSWORD)

    user.refresh_from_db()
    assert user.email == f"deleted-{user.pk}@invalid"
    assert (user.phone, user.full_name, user.is_active) == (None, "Deleted user", False)
    assert user.deleted_at is not None
    assert not user.has_usable_password()
    assert Store.objects.get(pk=store.pk).is_active is False


def _bank_account(user, number="0123456789", primary=True):
    from payments.models import BankAccount

    return BankAccount.objects.create(
        user=user,
        account_number=number,
        account_name="ADA OKAFOR",
        bank_code="058",
        bank_name="GTBank",
        is_verified=True,
        is_primary=primary,
    )


def _ledger(user, amount, reference):
    from payments.models import LedgerKind
    from payments.services.ledger import ledger_book

    # Booked the way production books it, so the running balance moves with the entry.
    kind = LedgerKind.CREDIT_SALE if amount > 0 else LedgerKind.DEBIT_PAYOUT
    return ledger_book(merchant_id=user.pk, kind=kind, amount=amount, reference=reference)


def _assert_not_deleted(user):
    from payments.models import BankAccount
    from stores.models import Store

    user.refresh_from_db()
    assert (user.is_active, user.deleted_at) == (True, None)
    assert user.check_password(DEFAULT_PASSWORD)
    assert not BankAccount.objects.filter(user=user, deleted_at__isnull=False).exists()
    assert not Store.objects.filter(user=user, is_active=False).exists()


def test_delete_account_soft_deletes_the_bank_accounts(db):
    from payments.models import BankAccount

    user = UserFactory()
    first, second = _bank_account(user), _bank_account(user, "0987654321", primary=False)
    _ledger(user, Decimal("5000.00"), "sale:1")
    _ledger(user, Decimal("-5000.00"), "payout:1")  # all withdrawn: the balance is zero

    services.user_delete(user=user, password=DEFAULT_PASSWORD)

    rows = BankAccount.objects.filter(pk__in=[first.pk, second.pk])
    assert [(row.deleted_at is not None, row.is_primary) for row in rows] == [(True, False), (True, False)]


def test_delete_account_is_refused_while_the_balance_is_above_zero(db):
    from tests.factories import StoreFactory

    user = UserFactory()
    StoreFactory(user=user)
    _bank_account(user)
    _ledger(user, Decimal("2500.50"), "sale:1")

    with pytest.raises(Conflict) as refused:
        services.user_delete(user=user, password=DEFAULT_PASSWORD)

    assert refused.value.http_status == 409
    assert refused.value.message == "Withdraw your balance of ₦2,500.50 before deleting your account."
    _assert_not_deleted(user)


@pytest.mark.parametrize("status", ["pending_approval", "queued", "submitting", "pending_authorization"])
def test_delete_account_is_refused_while_a_payout_is_on_its_way(db, status):
    from payments.models import Payout

    user = UserFactory()
    account = _bank_account(user)
    _ledger(user, Decimal("3000.00"), "sale:1")
    _ledger(user, Decimal("-3000.00"), "payout:1")
    Payout.objects.create(
        merchant=user,
        bank_account=account,
        amount=Decimal("3000.00"),
        reference="AGMPO-TEST",
        status=status,
        account_number=account.account_number,
        account_name=account.account_name,
        bank_code=account.bank_code,
        bank_name=account.bank_name,
    )

    with pytest.raises(Conflict, match="A payout is still on its way"):
        services.user_delete(user=user, password=DEFAULT_PASSWORD)

    _assert_not_deleted(user)


def test_delete_account_with_a_balance_is_a_409_in_the_api(api_client):
    user = UserFactory()
    _ledger(user, Decimal("100.00"), "sale:1")
    api_client.force_authenticate(user)

    response = api_client.delete("/api/v1/users/me", {"password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "balance_not_empty"
    _assert_not_deleted(user)


def test_delete_account_takes_the_cached_store_pages_offline_at_once(client):
    from tests.factories import ProductFactory, StoreFactory

    user = UserFactory()
    store = StoreFactory(user=user)
    ProductFactory(store=store, name="Ankara tote")
    client.get(f"/{store.username}")  # the first visit learns the store's id, the second caches
    assert "Ankara tote" in client.get(f"/{store.username}").content.decode()

    services.user_delete(user=user, password=DEFAULT_PASSWORD)

    assert client.get(f"/{store.username}").status_code == 404
