"""The pages the browser layout suite visits, and the data that fills them.

A page is a `Page(name, url, login)`: `url` takes the `World` (what `build_world` made) and gives
back a path. Add a page by appending to one of the lists below (or a new list joined into
PAGES); the suite in test_layout.py runs every page at every viewport, so a new page is
checked for horizontal scroll and axe-core violations, and screenshotted, with no other code.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By

from analytics.services import rollups_catch_up
from catalog.models import Product
from notifications.services import notification_create
from orders.bookings import booking_place
from orders.models import Coupon, Order
from orders.services import coupon_save, delivery_rate_set, order_place, order_transition, pod_settings_update
from payments.models import BankAccount, Payment, Receipt
from payments.simulator_shared import embedded_simulator
from stores.demo import demo_seed
from stores.models import Store


@dataclass(frozen=True)
class World:
    store: Store
    product: Product
    order: Order
    coupon: Coupon
    unpaid: Order
    bookings: Store
    booking: Order
    portfolio: Store
    pod_order: Order | None = None  # pay on delivery, its deposit paid


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[World], str]
    login: bool = True  # the demo merchant is logged in first
    # what the browser does first (a product put in the cart): (browser, base URL, world)
    before: Callable[[Any, str, World], None] | None = None


SHOPPERS = [
    ("Tunde Bakare", "08031234567", "Lagos", "Ikeja", "12 Allen Avenue, Opebi"),
    ("Chiamaka Eze-Nwosu", "08051112222", "Enugu", "Enugu North", "4 Ogui Road"),
    ("Ibrahim Musa", "08069998888", "Kano", "Kano Municipal", "Plot 7, Zoo Road"),
]


def build_world(*, webhook_url: str) -> World:
    """The demo store with orders in several states, a paid one, a coupon, a delivery rate, a
    bank account and notifications: every list has rows, so the card layout is what is tested."""
    seed = demo_seed()
    store = seed.store
    products = list(Product.objects.filter(store=store, stock_quantity__gte=10).order_by("name"))
    orders = []
    for index, (name, phone, state, lga, address) in enumerate(SHOPPERS):
        orders.append(
            order_place(
                store=store,
                customer={"name": name, "phone": phone, "address": address, "state": state, "lga": lga},
                lines=[
                    {"product_id": products[index].pk, "quantity": 1},
                    {"product_id": products[-1].pk, "quantity": 2},
                ],
            )
        )
    paid = orders[0]
    payment = Payment.objects.get(order=paid)
    # The transfer and Monnify's webhook to the live server, waited for (the shared simulator's
    # own button sends it from a thread).
    simulator = embedded_simulator()
    simulator.pay(payment.monnify_reference)
    simulator.send_webhook(webhook_url, simulator.transaction_event(payment.monnify_reference))
    paid.refresh_from_db()
    order_transition(order=paid, to_status="processing", actor=seed.merchant, note="Cooking now")
    coupon = coupon_save(
        store=store,
        data={
            "code": "WELCOME10",
            "kind": "percentage",
            "value": Decimal("10"),
            "minimum_order": Decimal("5000"),
        },
    )
    delivery_rate_set(store=store, state="Lagos", lga=None, fee=Decimal("2500"))
    delivery_rate_set(store=store, state="Lagos", lga="Ikeja", fee=Decimal("1500"))
    BankAccount.objects.get_or_create(
        user=seed.merchant,
        account_number="0123456789",
        bank_code="058",
        defaults={
            "account_name": "NGOZI OKAFOR",
            "bank_name": "Guaranty Trust Bank",
            "is_verified": True,
            "is_primary": True,
        },
    )
    notification_create(
        user=seed.merchant, title="New order", body="Tunde Bakare ordered 3 items.", link="/dashboard/orders/"
    )
    pod_order = _pod_order(store=store, product=products[1], simulator=simulator, webhook_url=webhook_url)
    rollups_catch_up()  # the analytics pages show these orders
    return World(
        store=store,
        product=products[0],
        order=paid,
        coupon=coupon,
        unpaid=orders[1],
        bookings=seed.bookings_store,
        booking=_booking(seed.bookings_store),
        portfolio=seed.portfolio_store,
        pod_order=pod_order,
    )


def _booking(store: Store) -> Order:
    """An appointment at 10:00 on the next weekday (the demo salon opens 09:00 on weekdays)."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    service = Product.objects.filter(store=store, stock_quantity__isnull=True).order_by("name").first()
    booking = booking_place(
        store=store,
        service_id=service.pk,
        date=day,
        time="10:00",
        customer={"name": "Funke Adebayo", "phone": "08023334444", "email": "funke@example.com"},
        idempotency_key="booking:layout-suite",
    )
    return booking.order


def _put_in_cart(browser, base: str, world: World) -> None:
    """The shopper's own way: the product page's "Add to cart" (the cart lives in the session)."""
    browser.get(f"{base}/{world.store.username}/p/{world.product.pk}")
    browser.find_element(By.CSS_SELECTOR, "form.add-to-cart button[type=submit]").click()


def _pod_order(*, store, product, simulator, webhook_url) -> Order:
    """Pay on delivery in Lagos with a 30 % deposit, the deposit paid by Monnify's webhook."""
    pod_settings_update(
        store=store,
        enabled=True,
        areas=[{"state": "Lagos", "lga": ""}],
        deposit_kind="percent",
        deposit_value="30",
    )
    order = order_place(
        store=store,
        customer={
            "name": "Adaeze Okonkwo",
            "phone": "08024446666",
            "address": "3 Admiralty Way, Lekki Phase 1",
            "state": "Lagos",
            "lga": "Eti Osa",
        },
        lines=[{"product_id": product.pk, "quantity": 2}],
        payment_plan="pay_on_delivery",
    )
    deposit = Payment.objects.get(order=order)
    simulator.pay(deposit.monnify_reference)
    simulator.send_webhook(webhook_url, simulator.transaction_event(deposit.monnify_reference))
    order.refresh_from_db()
    return order


PLATFORM_PAGES = [
    Page("home", lambda w: "/", login=False),
    Page("login", lambda w: reverse("accounts:login"), login=False),
    Page("signup", lambda w: reverse("accounts:signup"), login=False),
    Page("password-forgot", lambda w: reverse("accounts:password-forgot"), login=False),
    Page("not-found", lambda w: "/no/such/page/", login=False),
]

DASHBOARD_PAGES = [
    Page("dashboard-home", lambda w: reverse("dashboard:home")),
    Page("store-list", lambda w: reverse("dashboard:store-list")),
    Page("analytics-sales", lambda w: reverse("dashboard:analytics_dashboard:reports")),
    Page("analytics-products", lambda w: reverse("dashboard:analytics_dashboard:report", args=["products"])),
    Page(
        "analytics-customers", lambda w: reverse("dashboard:analytics_dashboard:report", args=["customers"])
    ),
    Page("orders", lambda w: reverse("dashboard:orders_dashboard:list")),
    Page(
        "order-detail",
        lambda w: reverse("dashboard:orders_dashboard:detail", kwargs={"order_id": w.order.pk}),
    ),
    Page(
        "order-invoice",
        lambda w: reverse("dashboard:orders_dashboard:invoice", kwargs={"order_id": w.order.pk}),
    ),
    Page("customers", lambda w: reverse("dashboard:orders_dashboard:customers")),
    Page("delivery", lambda w: reverse("dashboard:orders_dashboard:delivery")),
    Page("recovery", lambda w: reverse("dashboard:orders_dashboard:recovery")),
    Page("payment-request", lambda w: reverse("dashboard:orders_dashboard:payment-request")),
    Page("alert-preferences", lambda w: reverse("dashboard:notifications_dashboard:alerts")),
    Page("coupons", lambda w: reverse("dashboard:orders_dashboard:coupons")),
    Page(
        "coupon-edit",
        lambda w: reverse("dashboard:orders_dashboard:coupon-edit", kwargs={"coupon_id": w.coupon.pk}),
    ),
    Page("products", lambda w: reverse("dashboard:catalog_dashboard:list")),
    Page("product-new", lambda w: reverse("dashboard:catalog_dashboard:create")),
    Page("product-edit", lambda w: reverse("dashboard:catalog_dashboard:edit", args=[w.product.pk])),
    Page("product-delete", lambda w: reverse("dashboard:catalog_dashboard:delete", args=[w.product.pk])),
    Page("product-import", lambda w: reverse("dashboard:catalog_dashboard:import")),
    Page("payments", lambda w: reverse("dashboard:payments_dashboard:overview")),
    Page("bank-accounts", lambda w: reverse("dashboard:payments_dashboard:bank-accounts")),
    Page("notifications", lambda w: reverse("dashboard:notifications_dashboard:list")),
    Page("profile", lambda w: reverse("dashboard:accounts_dashboard:profile")),
    Page("account-settings", lambda w: reverse("dashboard:accounts_dashboard:settings")),
    Page("password-change", lambda w: reverse("dashboard:accounts_dashboard:password")),
    Page("account-delete", lambda w: reverse("dashboard:accounts_dashboard:delete")),
    Page("verify", lambda w: reverse("accounts:verify")),
    Page("store-settings", lambda w: reverse("dashboard:store-settings", args=[w.store.pk])),
    Page("store-delete", lambda w: reverse("dashboard:store-delete", args=[w.store.pk])),
    Page("onboarding-business", lambda w: reverse("dashboard:onboarding")),
    Page("onboarding-template", lambda w: reverse("dashboard:onboarding-template", args=[w.store.pk])),
    Page("onboarding-branding", lambda w: reverse("dashboard:onboarding-branding", args=[w.store.pk])),
    Page("onboarding-product", lambda w: reverse("dashboard:onboarding-product", args=[w.store.pk])),
    Page("onboarding-bank", lambda w: reverse("dashboard:onboarding-bank", args=[w.store.pk])),
    Page("dashboard-not-found", lambda w: "/dashboard/orders/00000000-0000-4000-8000-000000000000"),
]

# Every shopper page of the three themes, as a visitor sees them (login=False).
STOREFRONT_PAGES = [
    Page("store-home", lambda w: f"/{w.store.username}", login=False),
    Page("store-search", lambda w: f"/{w.store.username}?q=rice", login=False),
    Page("store-product", lambda w: f"/{w.store.username}/p/{w.product.pk}", login=False),
    Page("store-about", lambda w: f"/{w.store.username}/about", login=False),
    Page("cart-empty", lambda w: f"/{w.store.username}/cart", login=False),
    Page("cart", lambda w: f"/{w.store.username}/cart", login=False, before=_put_in_cart),
    Page("checkout", lambda w: f"/{w.store.username}/checkout", login=False),
    Page(
        "pay",
        lambda w: f"/{w.store.username}/pay/{w.unpaid.payments.get().payment_reference}",
        login=False,
    ),
    Page(
        "pay-received",
        lambda w: f"/{w.store.username}/pay/{w.order.payments.get().payment_reference}",
        login=False,
    ),
    Page("order-placed", lambda w: f"/{w.store.username}/orders/{w.order.order_number}", login=False),
    Page("track-lookup", lambda w: reverse("orders:lookup"), login=False),
    Page("track", lambda w: f"/track/{w.order.order_number}", login=False),
    Page("store-not-found", lambda w: f"/{w.store.username}/no-such-page", login=False),
    Page("bookings-home", lambda w: f"/{w.bookings.username}", login=False),
    Page(
        "bookings-service",
        lambda w: f"/{w.bookings.username}/p/{w.booking.order_items.get().product_id}",
        login=False,
    ),
    Page("bookings-book", lambda w: f"/{w.bookings.username}/book", login=False),
    Page("bookings-booked", lambda w: f"/{w.bookings.username}/orders/{w.booking.order_number}", login=False),
    Page("bookings-about", lambda w: f"/{w.bookings.username}/about", login=False),
    Page("portfolio-home", lambda w: f"/{w.portfolio.username}", login=False),
    Page(
        "portfolio-work",
        lambda w: (
            f"/{w.portfolio.username}/p/{Product.objects.filter(store=w.portfolio).earliest('name').pk}"
        ),
        login=False,
    ),
    Page("portfolio-about", lambda w: f"/{w.portfolio.username}/about", login=False),
]

# Selling on WhatsApp, the share kit and receipts (the merchant's login also opens the receipt).
SHARING_PAGES = [
    Page("share-kit", lambda w: reverse("dashboard:share")),
    Page(
        "order-whatsapp",
        lambda w: reverse("dashboard:orders_dashboard:whatsapp", kwargs={"order_id": w.order.pk}),
    ),
    Page("receipt", lambda w: f"/{w.store.username}/orders/{w.order.order_number}/receipt"),
    Page(
        "receipt-check", lambda w: f"/{w.store.username}/orders/{w.order.order_number}/receipt", login=False
    ),
    Page("payment-verify", lambda w: f"/verify/{Receipt.objects.get(order=w.order).code}", login=False),
    Page("verify-not-found", lambda w: "/verify/no-such-code", login=False),
]

# Pay on delivery: the settings, an order whose deposit is paid, and what its shopper sees.
POD_PAGES = [
    Page("pod-settings", lambda w: reverse("dashboard:orders_dashboard:pod-settings")),
    Page(
        "pod-order-detail",
        lambda w: reverse("dashboard:orders_dashboard:detail", kwargs={"order_id": w.pod_order.pk}),
    ),
    Page(
        "pod-track",
        lambda w: reverse("orders:track", kwargs={"order_number": w.pod_order.order_number}),
        login=False,
    ),
    Page("pod-placed", lambda w: f"/{w.store.username}/orders/{w.pod_order.order_number}", login=False),
    Page("pod-receipt", lambda w: f"/{w.store.username}/orders/{w.pod_order.order_number}/receipt"),
    Page("pod-verify", lambda w: f"/verify/{Receipt.objects.get(order=w.pod_order).code}", login=False),
]

PAGES = PLATFORM_PAGES + DASHBOARD_PAGES + STOREFRONT_PAGES + SHARING_PAGES + POD_PAGES

VIEWPORTS = [(360, 800), (1366, 900)]
