from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from config.errors import NotFound, PermissionDenied, ServiceError
from payments import services, tasks
from payments.models import LedgerEntry, Payout
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NET = Decimal("48750.00")  # a 50,000.00 order less its 1,250.00 platform fee


def balance(user) -> Decimal:
    return services.ledger_balance(user=user)


def kinds(user) -> list[tuple[str, Decimal]]:
    return sorted((e.kind, e.amount) for e in LedgerEntry.objects.filter(merchant=user))


def test_paid_order_credits_its_net_once(funded, monnify):
    assert kinds(funded) == [("credit_sale", NET)]
    payment = funded.payments.get()
    services.payment_reconcile(payment=payment)
    assert kinds(funded) == [("credit_sale", NET)]
    assert balance(funded) == NET


def test_payout_success(funded, submit_now, monnify):
    payout = submit_now(user=funded, amount="10000")
    assert payout.status == "success"
    assert services.payout_requery(payout_id=payout.pk).monnify_reference.startswith("MFDS|")
    transfer = monnify.transfers[payout.reference]
    assert (transfer["amount"], transfer["destinationAccountName"], transfer["destinationBankCode"]) == (
        Decimal("10000.00"),
        "ADAEZE OKAFOR",
        "058",
    )
    assert kinds(funded) == [("credit_sale", NET), ("debit_payout", Decimal("-10000.00"))]
    assert balance(funded) == NET - Decimal("10000.00")


def test_a_payout_of_exactly_the_whole_balance_is_allowed(funded, submit_now, monnify):
    payout = submit_now(user=funded, amount=str(NET))
    assert (payout.status, payout.amount) == ("success", NET)
    assert monnify.transfers[payout.reference]["amount"] == NET
    assert kinds(funded) == [("credit_sale", NET), ("debit_payout", -NET)]
    assert balance(funded) == Decimal("0.00")


def test_a_payout_one_kobo_above_the_balance_is_refused_and_writes_nothing(funded, submit_now, monnify):
    with pytest.raises(ServiceError) as refused:
        submit_now(user=funded, amount=str(NET + Decimal("0.01")))
    assert refused.value.code == "insufficient_balance"
    # ₦48,750.00 today; config.money's naira() would write ₦48,750.
    assert refused.value.message.startswith("Your available balance is ₦48,750")
    assert Payout.objects.count() == 0
    assert monnify.transfers == {}
    assert kinds(funded) == [("credit_sale", NET)]


def test_failed_payout_returns_the_money(funded, submit_now, monnify):
    monnify.transfer_outcome = "FAILED"
    payout = submit_now(user=funded, amount="10000")
    assert payout.status == "failed"
    assert payout.failure_reason.startswith("You do not have sufficient balance")
    assert kinds(funded) == [
        ("credit_payout_reversal", Decimal("10000.00")),
        ("credit_sale", NET),
        ("debit_payout", Decimal("-10000.00")),
    ]
    assert balance(funded) == NET


def test_pending_authorization_then_otp(funded, submit_now, monnify):
    monnify.two_factor = True
    payout = submit_now(user=funded, amount="5000")
    assert payout.status == "pending_authorization"
    with pytest.raises(ServiceError):
        services.payout_authorize(payout_id=payout.pk, otp="11111111x")
    assert Payout.objects.get(pk=payout.pk).status == "pending_authorization"
    done = services.payout_authorize(payout_id=payout.pk, otp=monnify.otp_for(payout.reference))
    assert done.status == "success"
    assert balance(funded) == NET - Decimal("5000.00")


def test_admin_action_submits_the_otp(funded, submit_now, monnify, client):
    monnify.two_factor = True
    payout = submit_now(user=funded, amount="5000")
    staff = UserFactory(role="super_admin")
    client.force_login(staff)
    url = "/admin/payments/payout/"
    form = client.post(url, {"action": "authorize_with_otp", "_selected_action": [payout.pk]})
    assert form.status_code == 200 and "OTP" in form.content.decode()
    done = client.post(
        url,
        {
            "action": "authorize_with_otp",
            "_selected_action": [payout.pk],
            "otp": monnify.otp_for(payout.reference),
        },
    )
    assert done.status_code == 302
    assert Payout.objects.get(pk=payout.pk).status == "success"


def test_disbursement_webhooks_settle_once(
    funded, submit_now, monnify, client, django_capture_on_commit_callbacks
):
    monnify.transfer_outcome = "PENDING"
    payout = submit_now(user=funded, amount="7000")
    assert payout.status == "processing"
    monnify.settle_transfer(payout.reference, "FAILED")
    body, headers = monnify.webhook_request(monnify.disbursement_event(payout.reference))
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/api/v1/webhooks/monnify",
                data=body,
                content_type="application/json",
                HTTP_MONNIFY_SIGNATURE=headers["monnify-signature"],
            )
        assert response.status_code == 200
    assert Payout.objects.get(pk=payout.pk).status == "failed"
    assert kinds(funded).count(("credit_payout_reversal", Decimal("7000.00"))) == 1
    assert balance(funded) == NET


def test_reversal_after_success_returns_money_once(funded, submit_now, monnify):
    payout = submit_now(user=funded, amount="7000")
    monnify.settle_transfer(payout.reference, "REVERSED")
    services.payout_requery(payout_id=payout.pk)
    services.payout_requery(payout_id=payout.pk)
    assert Payout.objects.get(pk=payout.pk).status == "reversed"
    assert balance(funded) == NET


def test_a_late_pending_cannot_undo_success(funded, submit_now):
    payout = submit_now(user=funded, amount="7000")
    services.payout_apply_transfer(payout_id=payout.pk, body={"status": "PENDING"})
    services.payout_apply_transfer(payout_id=payout.pk, body={"status": "FAILED"})
    assert Payout.objects.get(pk=payout.pk).status == "success"
    assert balance(funded) == NET - Decimal("7000.00")


def test_monnify_down_at_submit_is_resent_by_the_requery(funded, submit_now, monnify):
    monnify.stop()
    payout = submit_now(user=funded, amount="3000")
    assert payout.status == "submitting"
    assert balance(funded) == NET - Decimal("3000.00")
    monnify.start()
    Payout.objects.filter(pk=payout.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
    tasks.payouts_requery.delay()
    assert Payout.objects.get(pk=payout.pk).status == "success"
    assert len(monnify.transfers) == 1


def test_lost_reply_is_not_sent_twice(funded, submit_now, monnify):
    payout = submit_now(user=funded, amount="3000")
    Payout.objects.filter(pk=payout.pk).update(status="submitting")
    # A resend under the same reference is refused by Monnify; we read its summary instead.
    assert services.payout_submit(payout_id=payout.pk).status == "success"
    assert len(monnify.transfers) == 1
    assert balance(funded) == NET - Decimal("3000.00")


@pytest.mark.parametrize(
    ("amount", "status", "code"),
    [("999.99", 400, "invalid"), ("48750.01", 400, "insufficient_balance"), ("abc", 400, "validation_error")],
)
def test_payout_request_refusals_write_nothing(funded, amount, status, code, api_client):
    from tests.conftest import bearer_client

    response = bearer_client(funded).post("/api/v1/payments/payouts", {"amount": amount}, format="json")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert Payout.objects.count() == 0
    assert balance(funded) == NET


def test_unverified_phone_cannot_request_payout(funded):
    funded.phone_verified = False
    funded.save(update_fields=["phone_verified"])
    with pytest.raises(PermissionDenied):
        services.payout_request(user=funded, amount="5000")
    assert Payout.objects.count() == 0


def test_approval_required(funded, submit_now, settings, monnify, django_capture_on_commit_callbacks):
    settings.PAYOUT_REQUIRE_APPROVAL = True
    staff = UserFactory(role="admin")
    first = submit_now(user=funded, amount="4000")
    second = submit_now(user=funded, amount="6000")
    assert (first.status, second.status) == ("pending_approval", "pending_approval")
    assert monnify.transfers == {}
    with django_capture_on_commit_callbacks(execute=True):
        services.payout_approve(payout_id=first.pk, staff=staff)
    services.payout_reject(payout_id=second.pk, staff=staff, reason="Checks failed")
    assert Payout.objects.get(pk=first.pk).status == "success"
    assert Payout.objects.get(pk=second.pk).status == "rejected"
    assert balance(funded) == NET - Decimal("4000.00")


def test_payout_api_and_tenant_isolation(
    funded, monnify, other_merchant_api, django_capture_on_commit_callbacks
):
    from tests.conftest import bearer_client

    api = bearer_client(funded)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/payments/payouts", {"amount": "2500.50"}, format="json")
    assert created.status_code == 201
    payout = created.json()["data"]
    assert (payout["amount"], payout["accountName"]) == ("2500.50", "ADAEZE OKAFOR")
    detail = api.get(f"/api/v1/payments/payouts/{payout['id']}").json()["data"]
    assert detail["status"] == "success"
    assert api.get("/api/v1/payments/balance").json()["data"] == {
        "available": str(NET - Decimal("2500.50")),
        "currency": "NGN",
        "minimumPayout": "1000.00",
    }
    assert [p["id"] for p in api.get("/api/v1/payments/payouts").json()["data"]] == [payout["id"]]
    assert other_merchant_api.get(f"/api/v1/payments/payouts/{payout['id']}").status_code == 404
    assert other_merchant_api.get("/api/v1/payments/payouts").json()["data"] == []
    assert other_merchant_api.get("/api/v1/payments/balance").json()["data"]["available"] == "0.00"


def test_payout_to_another_merchants_account_is_404(funded, other_merchant, monnify):
    theirs = services.bank_account_add(user=other_merchant, account_number="2085096393", bank_code="057")
    with pytest.raises(NotFound):
        services.payout_request(user=funded, amount="5000", bank_account_id=theirs.pk)
    assert Payout.objects.count() == 0
