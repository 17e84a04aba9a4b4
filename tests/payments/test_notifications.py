"""What the merchant is told about their money, through the real flow against the Monnify simulator."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications.models import DeliveryLog, Notification
from notifications.rendering import GSM7_BASIC, sms_segments
from orders.models import OrderStatus, PaymentStatus
from payments import services, tasks
from payments.models import Payment, Payout
from tests.factories import OrderFactory, StoreFactory, UserSettingsFactory

pytestmark = pytest.mark.django_db

WEBHOOK = "/api/v1/webhooks/monnify"
TEMPLATES = ("payment_received", "payout_completed", "payout_failed")
NET = Decimal("48750.00")  # a 50,000.00 order less its 1,250.00 platform fee


@pytest.fixture
def order(store):
    return OrderFactory(
        store=store, customer_name="Ada Okafor", total=Decimal("12500.00"), agm_fee=Decimal("312.50")
    )


@pytest.fixture
def payment(monnify, order):
    return services.payment_start(order=order)


@pytest.fixture
def post_webhook(client, monnify, django_capture_on_commit_callbacks):
    def post(event):
        body, headers = monnify.webhook_request(event)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                WEBHOOK,
                data=body,
                content_type="application/json",
                HTTP_MONNIFY_SIGNATURE=headers["monnify-signature"],
            )

    return post


@pytest.fixture
def reconcile(django_capture_on_commit_callbacks):
    def run(payment):
        with django_capture_on_commit_callbacks(execute=True):
            return services.payment_reconcile(payment=payment)

    return run


def logs(**filters) -> list[DeliveryLog]:
    """The payments app's messages (the orders app tells the shopper about the same events)."""
    return list(DeliveryLog.objects.filter(template__in=TEMPLATES, **filters).order_by("channel"))


def mail_to(address: str) -> int:
    return sum(address in message.to for message in mail.outbox)


def bell(user) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(user=user).values_list("title", "link"))


# --- payment received ------------------------------------------------------------------------------


def test_full_payment_sends_one_email_one_sms_and_one_bell(payment, monnify, post_webhook, merchant, order):
    monnify.pay_full(payment.payment_reference)
    assert post_webhook(monnify.transaction_event(payment.payment_reference)).status_code == 200

    email, sms = logs(related_id=str(payment.pk))
    assert (email.channel, email.template, email.category, email.recipient, email.status) == (
        "email",
        "payment_received",
        "payment",
        merchant.email,
        "sent",
    )
    assert email.idempotency_key == f"payment-received:{payment.pk}"
    assert email.subject == f"Payment received: order {order.order_number} (₦12,500.00)"
    assert order.order_number in email.body_text and "₦12,500.00" in email.body_text
    assert "Added to your balance: ₦12,187.50" in email.body_text
    assert f"/dashboard/orders/{order.pk}" in email.body_text
    assert order.store.display_name in email.body_html and "₦12,500.00" in email.body_html
    assert email.from_name == f"{order.store.display_name} via AGM Store Builder"

    assert (sms.channel, sms.template, sms.category, sms.recipient, sms.status) == (
        "sms",
        "payment_received",
        "payment",
        merchant.phone,
        "sent",
    )
    assert sms.body_text == (
        f"{order.store.display_name}: order {order.order_number} is paid, NGN 12,500.00 received. "
        "Prepare it for delivery; details are in your dashboard."
    )

    assert mail_to(merchant.email) == 1
    assert bell(merchant) == [
        (f"Payment received for order {order.order_number}", f"/dashboard/orders/{order.pk}")
    ]
    note = Notification.objects.get(user=merchant)
    assert note.body == (
        "Ada Okafor paid ₦12,500.00. ₦12,187.50 is added to your balance after the platform fee. "
        "Prepare the order for delivery."
    )


def test_the_same_payment_seen_again_sends_nothing_more(payment, monnify, post_webhook, reconcile, merchant):
    monnify.pay_full(payment.payment_reference)
    event = monnify.transaction_event(payment.payment_reference)
    for _ in range(4):
        assert post_webhook(event).status_code == 200
    reconcile(payment)
    tasks.payments_requery_pending.delay()

    assert [(log.channel, log.template) for log in logs()] == [
        ("email", "payment_received"),
        ("sms", "payment_received"),
    ]
    assert mail_to(merchant.email) == 1
    assert Notification.objects.filter(user=merchant).count() == 1


def test_payment_notifications_off_keeps_the_bell_only(payment, monnify, post_webhook, merchant, order):
    UserSettingsFactory(user=merchant, payment_notifications=False)
    monnify.pay_full(payment.payment_reference)
    post_webhook(monnify.transaction_event(payment.payment_reference))

    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert logs() == []
    assert mail_to(merchant.email) == 0
    assert bell(merchant) == [
        (f"Payment received for order {order.order_number}", f"/dashboard/orders/{order.pk}")
    ]


def test_sms_off_still_emails(payment, monnify, post_webhook, merchant):
    UserSettingsFactory(user=merchant, sms_notifications=False)
    monnify.pay_full(payment.payment_reference)
    post_webhook(monnify.transaction_event(payment.payment_reference))
    assert [log.channel for log in logs()] == ["email"]


@pytest.mark.parametrize("cancelled", [False, True])
def test_sms_is_one_gsm7_segment_even_for_a_long_unicode_store_name_and_the_largest_amount(
    merchant, monnify, reconcile, cancelled
):
    store = StoreFactory(
        user=merchant, display_name="Ọ̀ṣun\u2019s Café — “finest” cakes & pastries in all of Lagos 🍰"
    )
    # The longest order number the column holds; real ones are 12 characters (AGM-XXXXXXXX).
    order = OrderFactory(store=store, total=Decimal("9999999999.99"), order_number="AGM-" + "7" * 46)
    payment = services.payment_start(order=order)
    if cancelled:
        type(order).objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    monnify.pay_full(payment.payment_reference)
    reconcile(payment)

    (sms,) = logs(channel="sms")
    assert ("after you cancelled it" in sms.body_text) is cancelled
    assert sms.body_text.startswith("Osun's Cafe - \"fines: order AGM-7777777777777777 ")
    assert "NGN 9,999,999,999.99" in sms.body_text
    assert all(char in GSM7_BASIC for char in sms.body_text)
    assert len(sms.body_text) <= 160
    assert sms_segments(sms.body_text) == 1


def test_a_rolled_back_payment_sends_nothing(payment, monnify, merchant, django_capture_on_commit_callbacks):
    monnify.pay_full(payment.payment_reference)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.payment_reconcile(payment=payment)
        raise RuntimeError("the caller failed after the payment was applied")
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert logs() == []
    assert mail.outbox == []
    assert Notification.objects.count() == 0


# --- payments that need the merchant ---------------------------------------------------------------


def test_short_payment_tells_the_merchant_once_and_sends_no_email(
    payment, monnify, post_webhook, reconcile, merchant, order
):
    monnify.pay_short(payment.payment_reference, Decimal("2500.00"))
    post_webhook(monnify.transaction_event(payment.payment_reference))
    monnify.pay(payment.payment_reference, Decimal("500.00"))  # a second short transfer
    reconcile(payment)
    tasks.payments_requery_pending.delay()

    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert logs() == []
    note = Notification.objects.get(user=merchant)
    assert (note.title, note.link) == (
        f"Order {order.order_number} was paid short",
        f"/dashboard/orders/{order.pk}",
    )
    assert note.body == (
        "₦10,000.00 of ₦12,500.00 arrived, so the order stays unpaid. Don't deliver it yet: ask the "
        "shopper to pay the remaining ₦2,500.00, or refund what arrived."
    )


def test_overpayment_is_received_and_flagged(payment, monnify, post_webhook, merchant, order):
    monnify.pay_over(payment.payment_reference, Decimal("250.00"))
    post_webhook(monnify.transaction_event(payment.payment_reference))

    email, sms = logs()
    assert "₦12,750.00" in email.body_text and "refund the excess" in email.body_text
    assert "NGN 12,750.00" in sms.body_text
    assert bell(merchant) == [
        (f"Order {order.order_number} was overpaid", f"/dashboard/orders/{order.pk}"),
        (f"Payment received for order {order.order_number}", f"/dashboard/orders/{order.pk}"),
    ]
    flagged = Notification.objects.get(title__endswith="overpaid")
    assert flagged.body == (
        "The shopper sent ₦12,750.00 for a ₦12,500.00 order. The order is paid and confirmed; refund "
        "the ₦250.00 excess to the shopper."
    )


def test_payment_after_expiry_is_flagged_not_received(payment, monnify, post_webhook, merchant, order):
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    tasks.payments_expire_stale.delay()
    monnify.pay_full(payment.payment_reference)
    event = monnify.transaction_event(payment.payment_reference)
    post_webhook(event)
    post_webhook(event)

    assert logs() == []
    assert bell(merchant) == [
        (f"Order {order.order_number} was paid after it expired", f"/dashboard/orders/{order.pk}")
    ]
    assert Notification.objects.get().body.startswith("₦12,500.00 arrived after the order expired")


def test_payment_after_cancel_is_received_and_flagged(payment, monnify, reconcile, merchant, order):
    type(order).objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    monnify.pay_full(payment.payment_reference)
    reconcile(payment)
    reconcile(payment)

    email, sms = logs()
    assert "You had cancelled this order: refund the shopper" in email.body_text
    assert "Prepare it for delivery" not in email.body_text
    assert sms.body_text.startswith(
        f"{order.store.display_name}: order {order.order_number} was paid (NGN 12,500.00)"
    )
    assert "Prepare" not in Notification.objects.get(title__startswith="Payment received").body
    assert bell(merchant) == [
        (f"Order {order.order_number} was paid after you cancelled it", f"/dashboard/orders/{order.pk}"),
        (f"Payment received for order {order.order_number}", f"/dashboard/orders/{order.pk}"),
    ]


def test_reversal_is_flagged_once(payment, monnify, reconcile, merchant, order):
    monnify.pay_full(payment.payment_reference)
    reconcile(payment)
    monnify.set_status(payment.payment_reference, "REVERSED")
    reconcile(payment)
    reconcile(payment)

    reversed_notes = Notification.objects.filter(title=f"Payment for order {order.order_number} was reversed")
    assert reversed_notes.count() == 1
    assert "Don't deliver the order" in reversed_notes.get().body
    assert Notification.objects.filter(user=merchant).count() == 2


def test_messages_go_only_to_the_owner(payment, monnify, post_webhook, merchant, other_merchant):
    monnify.pay_full(payment.payment_reference)
    post_webhook(monnify.transaction_event(payment.payment_reference))
    assert {log.user_id for log in logs()} == {merchant.pk}
    assert not DeliveryLog.objects.filter(user=other_merchant).exists()
    assert Notification.objects.filter(user=other_merchant).count() == 0


# --- payouts ---------------------------------------------------------------------------------------


def test_payout_success_emails_and_tells_the_bell_once(
    funded, submit_now, monnify, django_capture_on_commit_callbacks
):
    payout = submit_now(user=funded, amount="10000")
    assert payout.status == "success"
    with django_capture_on_commit_callbacks(execute=True):
        services.payout_requery(payout_id=payout.pk)
        services.payout_apply_transfer(payout_id=payout.pk, body={"status": "SUCCESS"})

    (email,) = logs()
    assert (email.channel, email.template, email.category, email.recipient, email.status) == (
        "email",
        "payout_completed",
        "payout",
        funded.email,
        "sent",
    )
    assert email.idempotency_key == f"payout-completed:{payout.pk}"
    assert email.subject == f"Payout of ₦10,000.00 sent to {payout.bank_name}"
    assert "₦10,000.00" in email.body_text and payout.reference in email.body_text
    assert "****6789" in email.body_text and "0123456789" not in email.body_text
    assert email.from_name == ""
    assert bell(funded) == [(f"Payout {payout.reference} sent", "/dashboard/payments/")]
    assert Notification.objects.get().body == (
        f"₦10,000.00 was sent to {payout.bank_name} ****6789 ({payout.account_name})."
    )


def test_failed_payout_says_the_money_is_back(funded, submit_now, monnify):
    monnify.transfer_outcome = "FAILED"
    payout = submit_now(user=funded, amount="10000")
    assert payout.status == "failed"

    (email,) = logs()
    assert (email.template, email.category, email.idempotency_key) == (
        "payout_failed",
        "payout",
        f"payout-failed:{payout.pk}",
    )
    assert email.subject == "Your payout of ₦10,000.00 did not go through"
    assert "back in your available balance" in email.body_text
    # Monnify's reason describes the platform's wallet, not the merchant's account.
    assert "sufficient balance" not in email.body_text
    assert bell(funded) == [(f"Payout {payout.reference} failed", "/dashboard/payments/")]
    assert services.ledger_balance(user=funded) == NET


def test_reversed_payout_after_success(funded, submit_now, monnify, django_capture_on_commit_callbacks):
    payout = submit_now(user=funded, amount="7000")
    monnify.settle_transfer(payout.reference, "REVERSED")
    with django_capture_on_commit_callbacks(execute=True):
        services.payout_requery(payout_id=payout.pk)
        services.payout_requery(payout_id=payout.pk)

    assert sorted(log.template for log in logs()) == [
        "payout_completed",
        "payout_failed",
    ]
    failed = DeliveryLog.objects.get(template="payout_failed")
    assert failed.subject == "Your payout of ₦7,000.00 was reversed"
    assert bell(funded) == [
        (f"Payout {payout.reference} reversed", "/dashboard/payments/"),
        (f"Payout {payout.reference} sent", "/dashboard/payments/"),
    ]


def test_duplicate_disbursement_webhook_sends_one_message(funded, submit_now, monnify, post_webhook):
    monnify.transfer_outcome = "PENDING"
    payout = submit_now(user=funded, amount="7000")
    assert payout.status == "processing" and logs() == []
    monnify.settle_transfer(payout.reference, "SUCCESS")
    event = monnify.disbursement_event(payout.reference)
    for _ in range(3):
        assert post_webhook(event).status_code == 200
    assert [log.template for log in logs()] == ["payout_completed"]
    assert Notification.objects.filter(user=funded).count() == 1


def test_payout_notifications_off_keeps_the_bell_only(funded, submit_now, monnify):
    UserSettingsFactory(user=funded, payout_notifications=False)
    payout = submit_now(user=funded, amount="10000")
    assert payout.status == "success"
    assert logs() == []
    assert bell(funded) == [(f"Payout {payout.reference} sent", "/dashboard/payments/")]


# --- concurrency: real transactions, on_commit callbacks run for real ------------------------------


def _in_threads(count: int, work) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def run(_):
        try:
            work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        list(pool.map(run, range(count)))


@pytest.mark.django_db(transaction=True)
def test_same_webhook_twenty_times_concurrently_sends_one_of_each(live_server, monnify):
    store = StoreFactory()
    order = OrderFactory(store=store, total=Decimal("12500.00"))
    payment = services.payment_start(order=order)
    monnify.pay_full(payment.payment_reference)
    event = monnify.transaction_event(payment.payment_reference)

    statuses = monnify.send_webhook(f"{live_server.url}{WEBHOOK}", event, times=20, concurrency=20)

    assert statuses == [200] * 20
    assert [(log.channel, log.status) for log in logs()] == [("email", "sent"), ("sms", "sent")]
    assert mail_to(store.user.email) == 1
    assert bell(store.user) == [
        (f"Payment received for order {order.order_number}", f"/dashboard/orders/{order.pk}")
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_reconciles_of_one_payment_send_one_of_each(monnify):
    store = StoreFactory()
    order = OrderFactory(store=store, total=Decimal("12500.00"))
    payment = services.payment_start(order=order)
    monnify.pay_over(payment.payment_reference, Decimal("100.00"))

    _in_threads(8, lambda: services.payment_reconcile(payment=Payment.objects.get(pk=payment.pk)))

    assert [log.channel for log in logs()] == ["email", "sms"]
    assert mail_to(store.user.email) == 1
    assert Notification.objects.filter(user=store.user).count() == 2  # received, overpaid


@pytest.mark.django_db(transaction=True)
def test_concurrent_payout_requeries_send_one_email(merchant, monnify):
    funded = merchant
    order = OrderFactory(store=StoreFactory(user=funded), total=Decimal("50000.00"))
    payment = services.payment_start(order=order)
    monnify.pay_full(payment.payment_reference)
    services.payment_reconcile(payment=payment)
    services.bank_account_add(user=funded, account_number="0123456789", bank_code="058")
    monnify.transfer_outcome = "PENDING"
    payout = services.payout_request(user=funded, amount="7000")
    assert Payout.objects.get(pk=payout.pk).status == "processing"
    monnify.settle_transfer(payout.reference, "SUCCESS")

    _in_threads(8, lambda: services.payout_requery(payout_id=payout.pk))

    assert Payout.objects.get(pk=payout.pk).status == "success"
    assert [log.template for log in logs(category="payout")] == ["payout_completed"]
    assert Notification.objects.filter(user=funded, title__startswith="Payout").count() == 1


def test_short_payment_topped_up_is_then_received(payment, monnify, reconcile, merchant, order):
    monnify.pay_short(payment.payment_reference, Decimal("2500.00"))
    reconcile(payment)
    monnify.pay(payment.payment_reference)  # the shopper sends the rest
    reconcile(payment)

    paid = Payment.objects.get(pk=payment.pk)
    assert paid.status == PaymentStatus.PAID
    assert "needs_merchant_action" not in paid.metadata
    assert "partly_paid" not in paid.metadata
    assert [log.channel for log in logs()] == ["email", "sms"]
    assert bell(merchant) == [
        (f"Order {order.order_number} was paid short", f"/dashboard/orders/{order.pk}"),
        (f"Payment received for order {order.order_number}", f"/dashboard/orders/{order.pk}"),
    ]


def test_sms_for_a_store_named_only_in_emoji(merchant, monnify, reconcile):
    order = OrderFactory(store=StoreFactory(user=merchant, display_name="🍰🍰"), total=Decimal("12500.00"))
    payment = services.payment_start(order=order)
    monnify.pay_full(payment.payment_reference)
    reconcile(payment)
    assert logs(channel="sms")[0].body_text.startswith(f"Your store: order {order.order_number} ")
