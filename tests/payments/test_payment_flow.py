from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from orders.models import OrderStatus, PaymentStatus
from payments import services, tasks
from payments.models import LedgerEntry, MonnifyWebhookEvent, Payment
from tests.factories import OrderFactory
from tests.payments.helpers import open_payment

pytestmark = pytest.mark.django_db

WEBHOOK = "/api/v1/webhooks/monnify"


@pytest.fixture
def order(store):
    return OrderFactory(
        store=store, customer_name="Ada Okafor", customer_email="ada@example.com", total=Decimal("5000.00")
    )


@pytest.fixture
def payment(monnify, order):
    return open_payment(order=order)


def deliver(client, monnify, event, *, body=None, signature=None):
    signed_body, headers = monnify.webhook_request(event)
    sent = signed_body if body is None else body
    return client.post(
        WEBHOOK,
        data=sent,
        content_type="application/json",
        HTTP_MONNIFY_SIGNATURE=headers["monnify-signature"] if signature is None else signature,
    )


@pytest.fixture
def post_webhook(client, monnify, django_capture_on_commit_callbacks):
    def post(event, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return deliver(client, monnify, event, **kwargs)

    return post


def test_payment_start_opens_a_one_time_account(monnify, order):
    with time_machine.travel(datetime(2026, 3, 2, 9, 30, tzinfo=UTC), tick=False):
        payment = open_payment(order=order)
        # The account lives as long as Monnify says (accountDurationSeconds), from now.
        assert payment.expires_at == timezone.now() + timedelta(seconds=2400)
    assert payment.status == PaymentStatus.PENDING
    assert payment.amount == Decimal("5000.00")
    assert payment.user_id == order.store.user_id
    assert payment.payment_reference.startswith("AGM-")
    assert payment.monnify_reference == monnify.transaction(payment.payment_reference)["transactionReference"]
    assert len(payment.account_number) == 10
    assert (payment.account_name, payment.bank_name) == (order.store.display_name, "Providus Bank")
    assert payment.metadata["checkout_url"].endswith(payment.monnify_reference)
    txn = monnify.transaction(payment.payment_reference)
    assert (txn["amount"], txn["customerEmail"]) == (Decimal("5000.00"), "ada@example.com")


def test_payment_start_is_idempotent_per_order(payment, order, monnify):
    again = open_payment(order=order)
    assert again.pk == payment.pk
    assert Payment.objects.filter(order=order).count() == 1
    assert monnify.count("POST", "/api/v1/merchant/transactions/init-transaction") == 1


def test_monnify_down_at_start_leaves_pending_and_recoverable(monnify, order):
    monnify.stop()
    payment = open_payment(order=order)
    assert payment.status == PaymentStatus.PENDING
    assert (payment.account_number, payment.monnify_reference, payment.expires_at) == (None, None, None)
    assert "could not be reached" in payment.metadata["start_error"]["message"]
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.PENDING, PaymentStatus.PENDING)

    monnify.start()
    recovered = services.payment_retry_start(payment=payment)
    assert recovered.pk == payment.pk
    assert len(recovered.account_number) == 10
    assert "start_error" not in recovered.metadata
    assert Payment.objects.filter(order=order).count() == 1


def test_lost_reply_from_init_transaction_is_recovered_by_reference(monnify, order):
    # Monnify created the transaction but our first call never saw the answer.
    monnify.fail_next(1, status=500, path="/api/v1/merchant/bank-transfer/init-payment")
    payment = open_payment(order=order)
    assert payment.account_number is None and payment.monnify_reference
    Payment.objects.filter(pk=payment.pk).update(monnify_reference=None)
    recovered = services.payment_retry_start(payment=payment)
    txn = monnify.transaction(payment.payment_reference)
    assert recovered.monnify_reference == txn["transactionReference"]
    assert len(monnify.transactions) == 1


def test_full_payment_webhook_marks_paid_and_confirms_order(payment, monnify, post_webhook, order):
    monnify.pay_full(payment.payment_reference)
    response = post_webhook(monnify.transaction_event(payment.payment_reference))
    assert response.status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.payment_method == "bank_transfer"
    assert payment.paid_at is not None
    assert "overpaid" not in payment.metadata and "needs_merchant_action" not in payment.metadata
    assert (order.status, order.payment_status) == (OrderStatus.CONFIRMED, PaymentStatus.PAID)
    event = MonnifyWebhookEvent.objects.get()
    assert (event.event_type, event.reference, event.status) == (
        "SUCCESSFUL_TRANSACTION",
        f"{payment.monnify_reference}|PAID|5000.00",
        "processed",
    )
    encoded = payment.monnify_reference.replace("|", "%7C")
    assert monnify.count("GET", f"/api/v2/transactions/{encoded}") == 1


def test_same_webhook_again_does_nothing_more(payment, monnify, post_webhook):
    monnify.pay_full(payment.payment_reference)
    event = monnify.transaction_event(payment.payment_reference)
    assert post_webhook(event).status_code == 200
    paid_at = Payment.objects.get(pk=payment.pk).paid_at
    second = post_webhook(event)
    assert second.status_code == 200
    assert second.json()["message"] == "Already received"
    assert MonnifyWebhookEvent.objects.count() == 1
    assert Payment.objects.get(pk=payment.pk).paid_at == paid_at
    assert monnify.count("GET", "/api/v2/transactions/") == 1


@pytest.mark.parametrize("signature", ["", "0" * 128, "not-hex"])
def test_bad_signature_is_refused_and_nothing_changes(payment, monnify, post_webhook, signature, order):
    monnify.pay_full(payment.payment_reference)
    response = post_webhook(monnify.transaction_event(payment.payment_reference), signature=signature)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_signature"
    assert MonnifyWebhookEvent.objects.count() == 0
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == (PaymentStatus.PENDING, OrderStatus.PENDING)
    assert monnify.count("GET", "/api/v2/transactions/") == 0


def test_missing_signature_header_is_refused(payment, monnify, client):
    body, _headers = monnify.webhook_request(monnify.transaction_event(payment.payment_reference))
    response = client.post(WEBHOOK, data=body, content_type="application/json")
    assert response.status_code == 401
    assert MonnifyWebhookEvent.objects.count() == 0


def test_signature_over_different_bytes_is_refused(payment, monnify, post_webhook):
    event = monnify.transaction_event(payment.payment_reference)
    _body, headers = monnify.webhook_request(event)
    event["eventData"]["amountPaid"] = 999999
    tampered, _ = monnify.webhook_request(event)
    response = post_webhook(event, body=tampered, signature=headers["monnify-signature"])
    assert response.status_code == 401
    # The same JSON pretty-printed is different bytes: refused too.
    pretty = b'{\n  "eventType": "SUCCESSFUL_TRANSACTION"\n}'
    assert post_webhook(event, body=pretty, signature=headers["monnify-signature"]).status_code == 401
    assert MonnifyWebhookEvent.objects.count() == 0


def test_source_ip_allow_list(payment, monnify, post_webhook, settings):
    settings.MONNIFY_WEBHOOK_ALLOWED_IPS = ["35.242.133.146"]
    response = post_webhook(monnify.transaction_event(payment.payment_reference))
    assert response.status_code == 403
    assert MonnifyWebhookEvent.objects.count() == 0
    settings.MONNIFY_WEBHOOK_ALLOWED_IPS = ["127.0.0.1"]
    assert post_webhook(monnify.transaction_event(payment.payment_reference)).status_code == 200


def test_short_payment_is_recorded_never_paid(payment, monnify, post_webhook, order):
    monnify.pay_short(payment.payment_reference, Decimal("1500.00"))
    assert post_webhook(monnify.transaction_event(payment.payment_reference)).status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert payment.paid_at is None
    assert payment.metadata["partly_paid"] == {
        "amount_paid": "3500.00",
        "expected": "5000.00",
        "currency": "NGN",
    }
    assert payment.metadata["needs_merchant_action"] == "partly_paid"
    assert (order.status, order.payment_status) == (OrderStatus.PENDING, PaymentStatus.PENDING)


def test_webhook_claiming_paid_is_not_trusted_over_monnify(payment, monnify, post_webhook):
    # The event says PAID but Monnify, asked directly, says the money is not there.
    event = monnify.transaction_event(payment.payment_reference)
    event["eventData"].update(paymentStatus="PAID", amountPaid=5000)
    assert post_webhook(event).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert payment.metadata["monnify"]["status"] == "PENDING"


@pytest.mark.parametrize("currency", ["USD", "ngn", ""])
def test_a_payment_monnify_reports_in_another_currency_is_not_credited(
    payment, monnify, post_webhook, order, currency, mailoutbox
):
    monnify.currency = currency
    monnify.pay_full(payment.payment_reference)
    assert post_webhook(monnify.transaction_event(payment.payment_reference)).status_code == 200
    assert services.payment_reconcile(payment=payment) is False
    tasks.payments_requery_pending.delay()

    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, payment.paid_at, payment.payment_method) == (PaymentStatus.PENDING, None, None)
    assert payment.metadata["monnify"]["currency"] == currency
    assert (order.status, order.payment_status) == (OrderStatus.PENDING, PaymentStatus.PENDING)
    assert LedgerEntry.objects.count() == 0
    assert mailoutbox == []


def test_the_same_payment_in_naira_is_credited(payment, monnify, order):
    """The control for the test above: only the currency differs."""
    monnify.pay_full(payment.payment_reference)
    assert services.payment_reconcile(payment=payment) is True
    assert [(entry.kind, entry.amount) for entry in LedgerEntry.objects.all()] == [
        ("credit_sale", order.total - order.agm_fee)
    ]


def test_overpayment_is_paid_and_flagged(payment, monnify, post_webhook, order):
    monnify.pay_over(payment.payment_reference, Decimal("250.00"))
    post_webhook(monnify.transaction_event(payment.payment_reference))
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.metadata["overpaid"] == {"amount_paid": "5250.00", "excess": "250.00"}
    assert payment.metadata["needs_merchant_action"] == "overpaid"
    assert order.status == OrderStatus.CONFIRMED


def test_card_payment_records_method(payment, monnify, post_webhook):
    monnify.pay_full(payment.payment_reference, method="CARD")
    post_webhook(monnify.transaction_event(payment.payment_reference))
    assert Payment.objects.get(pk=payment.pk).payment_method == "card"


def test_late_pending_cannot_undo_paid(payment, monnify, post_webhook, order):
    monnify.pay_full(payment.payment_reference)
    post_webhook(monnify.transaction_event(payment.payment_reference))
    body = {
        "paymentReference": payment.payment_reference,
        "transactionReference": payment.monnify_reference,
        "paymentStatus": "PENDING",
        "amountPaid": "0.00",
        "currency": "NGN",
    }
    assert services.payment_apply_status(payment_id=payment.pk, body=body) is False
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert (order.status, order.payment_status) == (OrderStatus.CONFIRMED, PaymentStatus.PAID)


def test_lost_webhook_is_caught_by_the_periodic_requery(payment, monnify, order):
    monnify.pay_full(payment.payment_reference)
    tasks.payments_requery_pending.delay()
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert order.status == OrderStatus.CONFIRMED


def test_periodic_requery_opens_accounts_monnify_could_not_open(monnify, order):
    monnify.stop()
    payment = open_payment(order=order)
    monnify.start()
    tasks.payments_requery_pending.delay()
    payment.refresh_from_db()
    assert len(payment.account_number) == 10


def test_stale_payment_expires(payment, order):
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=11))
    tasks.payments_expire_stale.delay()
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
    assert order.payment_status == PaymentStatus.EXPIRED
    assert order.status == OrderStatus.CANCELLED


def test_expiry_within_grace_waits(payment):
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=5))
    tasks.payments_expire_stale.delay()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING


def test_expiry_checks_monnify_first(payment, monnify, order):
    monnify.pay_full(payment.payment_reference)
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    tasks.payments_expire_stale.delay()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID


def test_expiry_waits_while_monnify_is_down(payment, monnify):
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    monnify.stop()
    tasks.payments_expire_stale.delay()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING


def test_payment_after_expiry_is_recorded_and_flagged(payment, monnify, post_webhook, order):
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    tasks.payments_expire_stale.delay()
    monnify.pay_full(payment.payment_reference)
    assert post_webhook(monnify.transaction_event(payment.payment_reference)).status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
    assert payment.metadata["late_payment"]["amount_paid"] == "5000.00"
    assert payment.metadata["needs_merchant_action"] == "late_payment"
    assert order.payment_status == PaymentStatus.EXPIRED


def test_webhook_for_unknown_payment_is_recorded_and_ignored(monnify, post_webhook):
    event = {
        "eventType": "SUCCESSFUL_TRANSACTION",
        "eventData": {
            "transactionReference": "MNFY|01|x|1",
            "paymentReference": "nope",
            "paymentStatus": "PAID",
        },
    }
    assert post_webhook(event).status_code == 200
    assert MonnifyWebhookEvent.objects.get().status == "ignored"


def test_webhook_processing_survives_monnify_outage(payment, monnify, post_webhook):
    monnify.pay_full(payment.payment_reference)
    monnify.stop()
    assert post_webhook(monnify.transaction_event(payment.payment_reference)).status_code == 200
    assert MonnifyWebhookEvent.objects.get().status == "unverified"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    monnify.start()
    tasks.payments_requery_pending.delay()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID


def test_verify_endpoint_is_public_and_has_no_personal_data(payment, api_client):
    response = api_client.get(f"/api/v1/payments/verify/{payment.payment_reference}")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["reference"] == payment.payment_reference
    assert data["status"] == "pending"
    assert data["amount"] == "5000.00"
    assert data["accountNumber"] == payment.account_number
    assert data["bankName"] == "Providus Bank"
    assert data["canRetry"] is False
    text = response.content.decode()
    assert "ada@example.com" not in text and "Ada Okafor" not in text and "+234" not in text


def test_verify_unknown_reference_is_404(api_client, db):
    response = api_client.get("/api/v1/payments/verify/AGM-NOPE")
    assert response.status_code == 404
    assert response.json()["success"] is False


def test_payment_create_inside_an_order_transaction_calls_monnify_after_commit(
    monnify, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        payment = services.payment_create(order=order)
    assert payment.account_number is None
    assert monnify.requests == []
    # the outbox's enqueue of the Monnify call, and the payments-opened metric
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert len(monnify.requests) > 0
    payment.refresh_from_db()
    assert len(payment.account_number) == 10
    assert services.payment_create(order=order).pk == payment.pk


def test_verify_endpoint_rechecks_a_pending_payment(payment, monnify, api_client):
    monnify.pay_full(payment.payment_reference)
    data = api_client.get(f"/api/v1/payments/verify/{payment.payment_reference}").json()["data"]
    assert data["status"] == "paid"
    assert data["amountPaid"] == "5000.00"
    assert data["paidAt"] is not None


def test_payment_for_a_cancelled_order_is_flagged(payment, monnify, order):
    type(order).objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    monnify.pay_full(payment.payment_reference)
    services.payment_reconcile(payment=payment)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.metadata["needs_merchant_action"] == "paid_after_cancel"
    assert order.status == OrderStatus.CANCELLED


def test_merchant_payments_api_is_scoped(payment, monnify, merchant_api, other_merchant_api, post_webhook):
    monnify.pay_short(payment.payment_reference, Decimal("1000.00"))
    post_webhook(monnify.transaction_event(payment.payment_reference))
    listing = merchant_api.get("/api/v1/payments").json()
    assert [p["reference"] for p in listing["data"]] == [payment.payment_reference]
    item = listing["data"][0]
    assert (item["amountPaid"], item["needsAttention"], item["status"]) == (
        "4000.00",
        "partly_paid",
        "pending",
    )
    assert merchant_api.get("/api/v1/payments?status=paid").json()["data"] == []
    assert merchant_api.get(f"/api/v1/payments/{payment.pk}").json()["data"]["orderNumber"] == (
        payment.order.order_number
    )
    assert other_merchant_api.get("/api/v1/payments").json()["data"] == []
    assert other_merchant_api.get(f"/api/v1/payments/{payment.pk}").status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_merchant_payments_api_query_count(merchant, merchant_api, count, django_assert_num_queries):
    from tests.factories import StoreFactory

    store = StoreFactory(user=merchant)
    for index in range(count):
        order = OrderFactory(store=store)
        Payment.objects.create(order=order, user=merchant, amount=order.total, payment_reference=f"Q-{index}")
    # user, count, page
    with django_assert_num_queries(3):
        assert merchant_api.get("/api/v1/payments").status_code == 200


def test_expiry_gives_the_stock_back_through_the_orders_service(monnify, store, product):
    from catalog.models import Product
    from orders.models import OrderItem

    order = OrderFactory(store=store, total=Decimal("7500.00"))
    OrderItem.objects.create(
        order=order,
        product=product,
        product_name=product.name,
        product_price=product.price,
        quantity=3,
        subtotal=Decimal("7500.00"),
    )
    Product.objects.filter(pk=product.pk).update(stock_quantity=7)  # taken when the order was placed
    payment = open_payment(order=order)
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    tasks.payments_expire_stale.delay()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.EXPIRED
    assert Product.objects.get(pk=product.pk).stock_quantity == 10


def test_reversal_after_paid_is_flagged_not_undone(payment, monnify, order):
    monnify.pay_full(payment.payment_reference)
    services.payment_reconcile(payment=payment)
    monnify.set_status(payment.payment_reference, "REVERSED")
    services.payment_reconcile(payment=payment)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.metadata["needs_merchant_action"] == "reversed"
