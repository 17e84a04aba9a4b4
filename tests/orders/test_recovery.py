"""Recovering unpaid orders and abandoned checkouts: one reminder each, never after payment,
never to an address that opted out, and what was recovered."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
import time_machine
from django.utils import timezone

from notifications.models import DeliveryLog
from orders import recovery_links, selectors, tasks
from orders.models import AbandonedCheckout, RecoveryMessage, RecoveryOptOut, RecoverySettings
from orders.services import (
    RecoverySettingsInvalid,
    order_expire_payment,
    order_mark_paid,
    order_place,
    recovery_send_unpaid,
    recovery_settings_update,
)
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def kaftan(shop):
    return ProductFactory(store=shop, name="Kaftan", price=D("5000.00"), stock_quantity=20)


@pytest.fixture
def place(shop, kaftan, shopper, django_capture_on_commit_callbacks):
    def place(**customer):
        with django_capture_on_commit_callbacks(execute=True):
            return order_place(
                store=shop,
                customer={**shopper, **customer},
                lines=[{"product_id": kaftan.pk, "quantity": 2}],
            )

    return place


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """The beat task at `minutes` after now, with what it queued delivered."""

    def run(minutes):
        with (
            time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return tasks.recovery_run()

    return run


def recovery_logs():
    return list(
        DeliveryLog.objects.filter(idempotency_key__startswith="recovery:")
        .order_by("idempotency_key", "channel")
        .values_list("idempotency_key", "channel", "template", "recipient", "status")
    )


def test_an_unpaid_order_gets_one_reminder_by_email_and_sms_with_its_pay_link(place, run):
    order = place()
    payment = order.payments.get()

    assert run(29) == 0
    assert RecoveryMessage.objects.count() == 0
    assert run(31) == 1
    assert run(36) == 0  # the beat again, and again: still the one reminder
    assert run(38) == 0

    message = RecoveryMessage.objects.get()
    assert (message.kind, message.key, message.sequence) == ("unpaid", f"unpaid:{order.pk}:1", 1)
    assert (message.email, message.phone) == ("ada@example.com", "+2348031234567")
    key = f"recovery:unpaid:{order.pk}:1"
    assert recovery_logs() == [
        (key, "email", "recovery_unpaid", "ada@example.com", "sent"),
        (key, "sms", "recovery_unpaid", "+2348031234567", "sent"),
    ]
    pay_url = f"{SITE}/ada-fabrics/pay/{payment.payment_reference}"
    sms = DeliveryLog.objects.get(idempotency_key=key, channel="sms")
    stop = f"{SITE}/ada-fabrics/unsubscribe/{recovery_links.opt_out_token(message.pk, 'sms')}"
    assert sms.body_text == (
        f"Ada Fabrics: order {order.order_number} (NGN 12,500) awaits payment. Pay: {pay_url} Stop: {stop}"
    )
    email = DeliveryLog.objects.get(idempotency_key=key, channel="email")
    assert email.subject == f"Order {order.order_number} is waiting for payment"
    email_stop = f"{SITE}/ada-fabrics/unsubscribe/{recovery_links.opt_out_token(message.pk, 'email')}"
    for body in (email.body_text, email.body_html):
        assert pay_url in body
        assert "₦12,500" in body
        assert email_stop in body


def test_no_reminder_once_the_order_is_paid(place, run):
    order = place()
    order_mark_paid(order_id=order.pk)

    assert run(31) == 0
    assert RecoveryMessage.objects.count() == 0
    assert recovery_logs() == []


def test_no_reminder_for_a_cancelled_order_or_when_the_store_turned_them_off(place, run, shop):
    recovery_settings_update(store=shop, unpaid_reminders=0)
    place()

    assert run(31) == 0
    assert RecoveryMessage.objects.count() == 0


def test_never_more_than_the_configured_number_of_reminders(place, run, shop):
    recovery_settings_update(store=shop, unpaid_reminders=2, unpaid_delay_minutes=10)
    order = place()

    assert run(11) == 1
    assert run(15) == 0
    assert run(21) == 1
    assert run(31) == 0
    assert list(RecoveryMessage.objects.order_by("sequence").values_list("key", flat=True)) == [
        f"unpaid:{order.pk}:1",
        f"unpaid:{order.pk}:2",
    ]
    assert len(recovery_logs()) == 4


def test_a_retry_of_the_same_reminder_sends_nothing_more(place, django_capture_on_commit_callbacks):
    order = place()
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = recovery_send_unpaid(order_id=order.pk, sequence=1)
        again = recovery_send_unpaid(order_id=order.pk, sequence=1)
        too_many = recovery_send_unpaid(order_id=order.pk, sequence=2)

    assert first is not None
    assert again is None
    assert too_many is None
    assert RecoveryMessage.objects.count() == 1
    assert len(recovery_logs()) == 2


def test_an_address_that_opted_out_gets_nothing(place, run, client, shop):
    first = place()
    run(31)
    message = RecoveryMessage.objects.get(order=first)
    link = f"/ada-fabrics/unsubscribe/{recovery_links.opt_out_token(message.pk, 'email')}"

    page = client.get(link)
    assert page.status_code == 200
    assert "Stop reminders about unpaid orders and carts to ad***@example.com?" in page.content.decode()
    assert RecoveryOptOut.objects.count() == 0  # a GET (a mail scanner) changes nothing
    done = client.post(link)
    assert done.status_code == 200
    assert "ad***@example.com gets no more reminders" in done.content.decode()
    assert client.post(link).status_code == 200  # twice is fine
    assert list(RecoveryOptOut.objects.values_list("store_id", "address")) == [(shop.pk, "ada@example.com")]

    second = place(email="ADA@example.com")
    run(31)
    reminder = RecoveryMessage.objects.get(order=second)
    assert (reminder.email, reminder.phone) == ("", "+2348031234567")
    assert [log[1] for log in recovery_logs() if str(second.pk) in log[0]] == ["sms"]

    sms_link = f"/ada-fabrics/unsubscribe/{recovery_links.opt_out_token(reminder.pk, 'sms')}"
    client.post(sms_link)
    third = place()
    run(31)
    silent = RecoveryMessage.objects.get(order=third)
    assert (silent.email, silent.phone) == ("", "")
    assert [log for log in recovery_logs() if str(third.pk) in log[0]] == []


def test_a_forged_or_foreign_unsubscribe_link_is_refused(place, run, client, merchant):
    place()
    run(31)
    message = RecoveryMessage.objects.get()
    token = recovery_links.opt_out_token(message.pk, "email")
    StoreFactory(user=merchant, username="other-shop")

    assert client.post(f"/ada-fabrics/unsubscribe/{token[:-2]}xx").status_code == 404
    assert client.post(f"/ada-fabrics/unsubscribe/{message.pk}.e").status_code == 404
    assert client.post(f"/other-shop/unsubscribe/{token}").status_code == 404
    assert RecoveryOptOut.objects.count() == 0


def test_an_expired_order_gets_one_message_whose_link_rebuilds_the_cart(
    place, run, client, kaftan, shopper, django_capture_on_commit_callbacks
):
    order = place()
    with django_capture_on_commit_callbacks(execute=True):
        order_expire_payment(order=order)

    assert run(1) == 1
    assert run(10) == 0
    message = RecoveryMessage.objects.get(kind="expired")
    restore = f"{SITE}/ada-fabrics/cart/restore/{recovery_links.restore_token(message.pk)}"
    sms = DeliveryLog.objects.get(idempotency_key=f"recovery:expired:{order.pk}", channel="sms")
    assert sms.body_text.startswith(
        f"Ada Fabrics: your items are still available. Back to your cart: {restore} "
    )
    email = DeliveryLog.objects.get(idempotency_key=f"recovery:expired:{order.pk}", channel="email")
    assert email.subject == "Your items at Ada Fabrics are still available"
    assert "- 2 x Kaftan: ₦10,000" in email.body_text

    path = restore.removeprefix(SITE)
    assert client.get(path).status_code == 302
    assert client.get(path).status_code == 302  # twice: the cart is rebuilt, not doubled
    cart = client.get("/ada-fabrics/cart").content.decode()
    assert "Your cart is back." in cart
    lines = client.session[f"cart:{order.store_id}"]
    assert lines == [{"product_id": kaftan.pk, "quantity": 2, "variant_selection": None}]

    again = place()
    message.refresh_from_db()
    assert message.recovered_order_id == again.pk
    assert message.recovered_at is None  # recovered only once it is paid
    order_mark_paid(order_id=again.pk)
    now = timezone.now()
    assert selectors.recovery_summary(
        store_ids=[order.store_id], since=now - timedelta(days=1), until=now + timedelta(minutes=1)
    ) == {
        "messages_sent": 1,
        "messages_by_kind": {"unpaid": 0, "expired": 1, "abandoned": 0},
        "orders_recovered": 1,
        "revenue_recovered": D("12500.00"),
    }


def test_a_forged_restore_link_is_not_found(client, shop):
    assert client.get("/ada-fabrics/cart/restore/1:forged").status_code == 404


def test_a_paid_reminded_order_counts_as_recovered_once(place, run, shop):
    order = place()
    run(31)
    order_mark_paid(order_id=order.pk)
    order_mark_paid(order_id=order.pk)
    place()  # never paid: not recovered
    run(31)

    now = timezone.now()
    summary = selectors.recovery_summary(
        store_ids=[shop.pk], since=now - timedelta(hours=1), until=now + timedelta(hours=1)
    )
    assert summary == {
        "messages_sent": 2,
        "messages_by_kind": {"unpaid": 2, "expired": 0, "abandoned": 0},
        "orders_recovered": 1,
        "revenue_recovered": D("12500.00"),
    }
    assert selectors.recovery_summary(
        store_ids=[StoreFactory().pk], since=now - timedelta(hours=1), until=now
    ) == {
        "messages_sent": 0,
        "messages_by_kind": {"unpaid": 0, "expired": 0, "abandoned": 0},
        "orders_recovered": 0,
        "revenue_recovered": D("0.00"),
    }


def _checkout_form(client, kaftan):
    client.post("/ada-fabrics/cart", {"action": "add", "product_id": kaftan.pk, "quantity": 1})


def test_an_abandoned_checkout_with_consent_gets_one_reminder(client, shop, kaftan, run):
    recovery_settings_update(store=shop, abandoned_checkouts=True)
    _checkout_form(client, kaftan)
    page = client.get("/ada-fabrics/checkout").content.decode()
    assert "Send me one reminder about this order if I don&#x27;t finish checking out." in page

    save = "/ada-fabrics/checkout/save"
    assert client.post(save, {"name": "Ada", "phone": "0803 123 4567"}).status_code == 204
    assert AbandonedCheckout.objects.count() == 0  # no consent, nothing kept
    client.post(save, {"name": "Ada", "phone": "0803 123 4567", "recovery_consent": "on"})
    checkout = AbandonedCheckout.objects.get()
    assert (checkout.phone, checkout.email, checkout.lines) == (
        "+2348031234567",
        "",
        [{"product_id": kaftan.pk, "quantity": 1, "variant_selection": None}],
    )
    assert checkout.consent_text == "Send me one reminder about this order if I don't finish checking out."

    assert run(59) == 0
    assert run(61) == 1
    assert run(200) == 0
    message = RecoveryMessage.objects.get()
    assert message.key == f"abandoned:{checkout.pk}:1"
    assert [log[1:3] for log in recovery_logs()] == [("sms", "recovery_abandoned")]


def test_unticking_consent_withdraws_the_checkout_and_an_order_ends_reminders(
    client, shop, kaftan, run, place
):
    recovery_settings_update(store=shop, abandoned_checkouts=True)
    _checkout_form(client, kaftan)
    save = "/ada-fabrics/checkout/save"
    client.post(save, {"phone": "0803 123 4567", "recovery_consent": "on"})
    client.post(save, {"phone": "0803 123 4567"})
    assert AbandonedCheckout.objects.count() == 0

    client.post(save, {"phone": "0803 123 4567", "recovery_consent": "on"})
    order = place()  # the same phone orders (here through the API path): no reminder
    assert AbandonedCheckout.objects.get().order_id == order.pk
    assert run(61) == 0
    assert RecoveryMessage.objects.filter(kind="abandoned").count() == 0


def test_checkouts_are_not_kept_when_the_store_does_not_collect_them(client, shop, kaftan):
    _checkout_form(client, kaftan)
    assert "recovery_consent" not in client.get("/ada-fabrics/checkout").content.decode()
    client.post("/ada-fabrics/checkout/save", {"phone": "0803 123 4567", "recovery_consent": "on"})
    assert AbandonedCheckout.objects.count() == 0


def test_settings_out_of_range_change_nothing(shop):
    with pytest.raises(RecoverySettingsInvalid) as error:
        recovery_settings_update(store=shop, unpaid_reminders=1, unpaid_delay_minutes=45)
    assert error.value.message == "Unpaid delay minutes must be a whole number from 5 to 35."
    assert RecoverySettings.objects.count() == 0
    with pytest.raises(RecoverySettingsInvalid):
        recovery_settings_update(store=shop, unpaid_reminders=4)
    assert RecoverySettings.objects.count() == 0


def test_the_merchant_recovery_page_shows_figures_and_saves_settings(client, merchant, shop, place, run):
    order = place()
    run(31)
    order_mark_paid(order_id=order.pk)
    client.force_login(merchant)

    page = client.get("/dashboard/orders/recovery").content.decode()
    assert "Recovered sales" in page
    assert "₦12,500" in page
    assert order.order_number in page

    response = client.post(
        f"/dashboard/orders/recovery?store={shop.pk}",
        {
            "unpaid_reminders": 2,
            "unpaid_delay_minutes": 15,
            "abandoned_reminders": 1,
            "abandoned_delay_minutes": 60,
            "abandoned_checkouts": "on",
        },
    )
    assert response.status_code == 302
    rules = RecoverySettings.objects.get(store=shop)
    assert (
        rules.unpaid_reminders,
        rules.unpaid_delay_minutes,
        rules.expired_message,
        rules.abandoned_checkouts,
    ) == (
        2,
        15,
        False,
        True,
    )


def test_a_checkout_that_fails_to_submit_is_still_kept_with_consent(client, shop, kaftan):
    recovery_settings_update(store=shop, abandoned_checkouts=True)
    _checkout_form(client, kaftan)
    response = client.post(
        "/ada-fabrics/checkout",
        {"phone": "0803 123 4567", "email": "Ada@Example.com", "recovery_consent": "on", "token": "t1"},
    )
    assert response.status_code == 200  # the name is missing: the form comes back
    checkout = AbandonedCheckout.objects.get()
    assert (checkout.phone, checkout.email) == ("+2348031234567", "ada@example.com")
