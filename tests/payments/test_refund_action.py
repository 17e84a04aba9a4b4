"""The merchant's refund action for flagged payments: service, dashboard button and API."""

import json
from decimal import Decimal

import pytest
from django.db.models import Sum

from config.errors import Conflict, NotFound
from config.money import naira
from orders.models import OrderStatus, PaymentStatus
from payments import selectors, services, tasks
from payments.models import LedgerEntry, Payment, Refund
from tests.factories import DEFAULT_PASSWORD, OrderFactory, StoreFactory
from tests.payments.helpers import open_payment

pytestmark = pytest.mark.django_db

TOTAL = Decimal("8000.00")
FEE = Decimal("200.00")


@pytest.fixture
def shop(merchant):
    return StoreFactory(user=merchant)


@pytest.fixture
def start(shop, monnify):
    def make():
        return open_payment(order=OrderFactory(store=shop, total=TOTAL, agm_fee=FEE))

    return make


@pytest.fixture
def funds(start, monnify):
    """Another paid order, so the balance can fund refunds of credited money."""
    payment = start()
    monnify.pay_full(payment.payment_reference)
    services.payment_reconcile(payment=payment)
    return TOTAL - FEE


@pytest.fixture
def overpaid(start, monnify, funds):
    payment = start()
    monnify.pay_over(payment.payment_reference, Decimal("300.00"))
    services.payment_reconcile(payment=payment)
    return _flagged(payment, "overpaid")


@pytest.fixture
def paid_after_cancel(start, monnify, funds):
    payment = start()
    type(payment.order).objects.filter(pk=payment.order_id).update(status=OrderStatus.CANCELLED)
    monnify.pay_full(payment.payment_reference)
    services.payment_reconcile(payment=payment)
    return _flagged(payment, "paid_after_cancel")


@pytest.fixture
def late(start, monnify, funds):
    payment = start()
    assert services.payment_expire(payment=payment)
    monnify.pay_full(payment.payment_reference)
    services.payment_reconcile(payment=payment)
    return _flagged(payment, "late_payment")


@pytest.fixture
def short(start, monnify, funds):
    payment = start()
    monnify.pay_short(payment.payment_reference, Decimal("5000.00"))
    services.payment_reconcile(payment=payment)
    assert services.payment_expire(payment=payment)
    return _flagged(payment, "partly_paid")


def _flagged(payment, flag):
    payment.refresh_from_db()
    assert payment.metadata["needs_merchant_action"] == flag
    return payment


@pytest.fixture
def logged_in(client, merchant):
    client.login(email=merchant.email, password=DEFAULT_PASSWORD)
    return client


def balance(user) -> Decimal:
    return selectors.ledger_balance(user=user)


def ledger_sum(user) -> Decimal:
    return LedgerEntry.objects.filter(merchant=user).aggregate(total=Sum("amount"))["total"] or Decimal("0")


def data(response):
    return json.loads(response.content)["data"]


# (fixture, default amount, amount credited to the balance that the refund takes back)
CASES = [
    ("overpaid", Decimal("300.00"), Decimal("300.00")),
    ("paid_after_cancel", TOTAL, TOTAL),
    ("late", TOTAL, Decimal("0.00")),
    ("short", Decimal("3000.00"), Decimal("0.00")),
]


@pytest.mark.parametrize(("kind", "default", "debited"), CASES)
def test_each_flag_is_refunded_once_through_the_api(
    request, kind, default, debited, merchant, merchant_api, monnify, django_capture_on_commit_callbacks
):
    payment = request.getfixturevalue(kind)
    before = balance(merchant)
    with django_capture_on_commit_callbacks(execute=True):
        response = merchant_api.post(
            f"/api/v1/payments/{payment.pk}/refund", {"reason": "Sent back"}, format="json"
        )
    assert response.status_code == 201, response.content
    refund = Refund.objects.get(payment=payment)
    assert data(response) == {
        "id": str(refund.pk),
        "reference": refund.reference,
        "paymentId": str(payment.pk),
        "amount": str(default),
        "status": "pending",  # sent to Monnify once the request's transaction commits
        "reason": "Sent back",
        "failureReason": "",
        "createdAt": data(response)["createdAt"],
        "completedAt": None,
    }
    assert refund.status == "in_progress"
    assert monnify.refunds[refund.reference]["refundAmount"] == default
    assert monnify.refunds[refund.reference]["transactionReference"] == payment.monnify_reference
    assert balance(merchant) == before - debited == ledger_sum(merchant)
    assert LedgerEntry.objects.filter(kind="debit_refund").count() == (1 if debited else 0)

    monnify.settle_refund(refund.reference, "COMPLETED")
    services.refund_requery(refund_id=refund.pk)
    assert Refund.objects.get(pk=refund.pk).status == "completed"
    assert balance(merchant) == before - debited == ledger_sum(merchant)
    if kind != "overpaid":
        again = merchant_api.post(f"/api/v1/payments/{payment.pk}/refund", {"reason": "Again"}, format="json")
        assert again.status_code == 409
        assert Refund.objects.count() == 1


@pytest.mark.parametrize(("kind", "default", "debited"), CASES)
def test_failed_refund_returns_only_money_that_left_the_balance(
    request, kind, default, debited, merchant, monnify, django_capture_on_commit_callbacks
):
    payment = request.getfixturevalue(kind)
    before = balance(merchant)
    with django_capture_on_commit_callbacks(execute=True):
        refund = services.payment_refund_start(payment=payment, reason="x", amount=default, user=merchant)
    monnify.settle_refund(refund.reference, "FAILED")
    services.refund_requery(refund_id=refund.pk)
    services.refund_requery(refund_id=refund.pk)
    assert Refund.objects.get(pk=refund.pk).status == "failed"
    assert balance(merchant) == before == ledger_sum(merchant)
    assert LedgerEntry.objects.filter(kind="credit_refund_reversal").count() == (1 if debited else 0)


def test_the_overpayment_excess_then_the_rest(
    overpaid, merchant, monnify, django_capture_on_commit_callbacks
):
    before = balance(merchant)
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_refund_start(payment=overpaid, reason="Excess", amount="300", user=merchant)
        services.payment_refund_start(payment=overpaid, reason="Cancelled", user=merchant)
    assert sorted(r.amount for r in Refund.objects.all()) == [Decimal("300.00"), Decimal("8000.00")]
    assert balance(merchant) == before - Decimal("8300.00") == ledger_sum(merchant)
    for refund in Refund.objects.all():
        monnify.settle_refund(refund.reference, "COMPLETED")
        services.refund_requery(refund_id=refund.pk)
    overpaid.refresh_from_db()
    assert overpaid.status == PaymentStatus.REFUNDED


@pytest.mark.parametrize(("kind", "default", "debited"), CASES)
def test_amount_above_refundable_is_refused_and_writes_nothing(
    request, kind, default, debited, merchant, merchant_api, monnify
):
    payment = request.getfixturevalue(kind)
    received = selectors.payment_refundable(payment=payment)
    before = balance(merchant)
    response = merchant_api.post(
        f"/api/v1/payments/{payment.pk}/refund",
        {"reason": "x", "amount": str(received + Decimal("0.01"))},
        format="json",
    )
    assert response.status_code == 400
    assert json.loads(response.content)["message"] == f"A refund must be between ₦10 and {naira(received)}."
    assert Refund.objects.count() == 0
    assert balance(merchant) == before
    assert monnify.refunds == {}


@pytest.mark.parametrize(
    "body", [{"reason": ""}, {"amount": "abc", "reason": "x"}, {"amount": "5", "reason": "x"}]
)
def test_bad_input_is_a_400(late, merchant_api, body):
    response = merchant_api.post(f"/api/v1/payments/{late.pk}/refund", body, format="json")
    assert response.status_code == 400
    assert Refund.objects.count() == 0


def test_another_merchants_payment_is_not_found(late, other_merchant, other_merchant_api, client, monnify):
    response = other_merchant_api.post(f"/api/v1/payments/{late.pk}/refund", {"reason": "x"}, format="json")
    assert response.status_code == 404
    client.login(email=other_merchant.email, password=DEFAULT_PASSWORD)
    page = client.post(f"/dashboard/payments/{late.pk}/refund", {"amount": "8000", "reason": "x"})
    assert page.status_code == 404
    with pytest.raises(NotFound):
        services.payment_refund_start(payment=late, reason="x", user=other_merchant)
    assert Refund.objects.count() == 0
    assert monnify.refunds == {}


def test_open_or_unpaid_payments_cannot_be_refunded(start, monnify, merchant_api):
    pending = start()
    monnify.pay_short(pending.payment_reference, Decimal("5000.00"))
    services.payment_reconcile(payment=pending)
    response = merchant_api.post(f"/api/v1/payments/{pending.pk}/refund", {"reason": "x"}, format="json")
    assert response.status_code == 409
    assert "refund it once it expires" in json.loads(response.content)["message"]
    expired = start()
    services.payment_expire(payment=expired)
    response = merchant_api.post(f"/api/v1/payments/{expired.pk}/refund", {"reason": "x"}, format="json")
    assert response.status_code == 409
    assert Refund.objects.count() == 0


def test_monnify_down_leaves_the_refund_queued(late, merchant, merchant_api, monnify):
    before = balance(merchant)
    monnify.stop()
    response = merchant_api.post(f"/api/v1/payments/{late.pk}/refund", {"reason": "x"}, format="json")
    assert response.status_code == 201
    assert data(response)["status"] == "pending"
    assert balance(merchant) == before == ledger_sum(merchant)
    monnify.start()
    refund = Refund.objects.get()
    Refund.objects.filter(pk=refund.pk).update(updated_at=refund.updated_at.replace(year=2020))
    tasks.refunds_requery.delay()
    assert Refund.objects.get().status == "in_progress"
    assert list(monnify.refunds) == [refund.reference]


def test_dashboard_row_has_a_refund_form_for_flagged_payments(overpaid, late, logged_in):
    html = logged_in.get("/dashboard/payments/").content.decode()
    assert html.count('<button type="submit">Refund</button>') == 2
    assert f'action="/dashboard/payments/{overpaid.pk}/refund"' in html
    assert 'name="amount" value="300.00"' in html  # the overpayment's excess, not the whole payment
    assert 'name="amount" value="8000.00"' in html
    assert f'action="/dashboard/payments/{late.pk}/refund"' in html
    assert "csrfmiddlewaretoken" in html


def test_dashboard_refund_button(late, merchant, logged_in, monnify, django_capture_on_commit_callbacks):
    before = balance(merchant)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(
            f"/dashboard/payments/{late.pk}/refund",
            {"amount": "8000.00", "reason": "Paid after expiry"},
            follow=True,
        )
    refund = Refund.objects.get()
    assert f"Refund {refund.reference} of ₦8,000 for order {late.order.order_number} started." in (
        response.content.decode()
    )
    assert refund.status == "in_progress"
    assert balance(merchant) == before == ledger_sum(merchant)
    html = logged_in.get("/dashboard/payments/").content.decode()
    assert f"Refund {refund.reference}: ₦8,000, in progress" in html
    assert f'action="/dashboard/payments/{late.pk}/refund"' not in html


def test_dashboard_refusal_writes_nothing(late, logged_in):
    response = logged_in.post(
        f"/dashboard/payments/{late.pk}/refund", {"amount": "8000.01", "reason": "x"}, follow=True
    )
    assert "Refund not started. A refund must be between ₦10 and ₦8,000." in response.content.decode()
    assert Refund.objects.count() == 0


def test_dashboard_refund_needs_csrf(late, merchant):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.login(email=merchant.email, password=DEFAULT_PASSWORD)
    response = strict.post(f"/dashboard/payments/{late.pk}/refund", {"amount": "8000", "reason": "x"})
    assert response.status_code == 403
    assert Refund.objects.count() == 0


def test_refund_endpoint_is_in_the_openapi_schema(client):
    schema = json.loads(client.get("/api/schema", HTTP_ACCEPT="application/json").content)
    operation = schema["paths"]["/api/v1/payments/{payment_id}/refund"]["post"]
    assert "201" in operation["responses"]
    assert Payment.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_refunds_cannot_refund_twice(monnify):
    import threading

    from django.db import connection

    from tests.factories import UserFactory

    merchant = UserFactory()
    payment = open_payment(order=OrderFactory(store=StoreFactory(user=merchant), total=TOTAL, agm_fee=FEE))
    services.payment_expire(payment=payment)
    monnify.pay_full(payment.payment_reference)
    services.payment_reconcile(payment=payment)
    start = threading.Barrier(4)
    outcomes = []

    def refund():
        start.wait(timeout=10)
        try:
            services.payment_refund_start(payment=payment, reason="Late", user=merchant)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=refund) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert Refund.objects.get().amount == TOTAL
    assert balance(merchant) == Decimal("0.00")
