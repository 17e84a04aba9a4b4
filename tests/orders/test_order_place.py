from decimal import Decimal as D

import pytest

from catalog.models import Product
from config.errors import Conflict, ServiceError
from orders.models import Coupon, CouponRedemption, IdempotencyKey, Order, OrderEvent, OrderItem, OrderStatus
from orders.services import IdempotencyConflict, OutOfStock, order_place
from tests.factories import ProductFactory, StoreFactory
from tests.orders.factories import CouponFactory, DeliveryRateFactory, DeliverySettingsFactory

pytestmark = pytest.mark.django_db


def nothing_written():
    return (
        Order.objects.count(),
        OrderItem.objects.count(),
        OrderEvent.objects.count(),
        IdempotencyKey.objects.count(),
        CouponRedemption.objects.count(),
    ) == (0, 0, 0, 0, 0)


def test_places_an_order_at_database_prices(store, shopper):
    shirt = ProductFactory(
        store=store,
        name="Ankara shirt",
        price=D("4500.00"),
        stock_quantity=7,
        images=["https://img.example/shirt.jpg"],
        variations=[{"name": "Size", "options": ["M", "L"]}],
    )
    cap = ProductFactory(store=store, name="Cap", price=D("1000.50"), stock_quantity=None)
    DeliverySettingsFactory(store=store, default_fee=D("3000.00"))
    DeliveryRateFactory(store=store, state="Lagos", lga="Ikeja", fee=D("1500.00"))

    order = order_place(
        store=store,
        customer=shopper,
        lines=[
            {"product_id": shirt.pk, "quantity": 2, "variant_selection": {"Size": "L"}},
            {"product_id": cap.pk, "quantity": 1},
        ],
    )

    order.refresh_from_db()
    assert order.order_number.startswith("AGM-") and len(order.order_number) == 12
    assert (order.subtotal, order.discount, order.shipping_fee, order.agm_fee, order.total) == (
        D("10000.50"),
        D("0.00"),
        D("1500.00"),
        D("250.01"),
        D("11500.50"),
    )
    assert order.customer_phone == "+2348031234567"
    assert (order.delivery_state, order.delivery_lga, order.status) == ("Lagos", "Ikeja", OrderStatus.PENDING)
    assert order.items == [
        {
            "product_id": shirt.pk,
            "product_name": "Ankara shirt",
            "product_image": "https://img.example/shirt.jpg",
            "product_price": "4500.00",
            "quantity": 2,
            "subtotal": "9000.00",
            "variant_selection": {"Size": "L"},
        },
        {
            "product_id": cap.pk,
            "product_name": "Cap",
            "product_image": None,
            "product_price": "1000.50",
            "quantity": 1,
            "subtotal": "1000.50",
            "variant_selection": None,
        },
    ]
    rows = list(
        order.order_items.order_by("product_price").values_list("product_name", "quantity", "subtotal")
    )
    assert rows == [("Cap", 1, D("1000.50")), ("Ankara shirt", 2, D("9000.00"))]
    shirt.refresh_from_db()
    cap.refresh_from_db()
    assert (shirt.stock_quantity, cap.stock_quantity) == (5, None)
    assert list(order.events.values_list("status", "note")) == [("pending", "Order placed (delivery).")]


def test_customer_bears_the_fee_when_configured(settings, store, shopper):
    settings.AGM_FEE_BEARER = "customer"
    product = ProductFactory(store=store, price=D("2000.00"))
    order = order_place(
        store=store,
        customer=shopper,
        lines=[{"product_id": product.pk, "quantity": 1}],
        delivery_method="pickup",
    )
    assert (order.agm_fee, order.shipping_fee, order.total) == (D("50.00"), D("0.00"), D("2050.00"))


def test_coupon_applies_to_the_subtotal_and_is_counted(store, shopper):
    product = ProductFactory(store=store, price=D("3333.33"))
    coupon = CouponFactory(store=store, code="EASTER15", value=D("15"))
    order = order_place(
        store=store,
        customer=shopper,
        lines=[{"product_id": product.pk, "quantity": 1}],
        coupon_code="easter15",
        delivery_method="pickup",
    )
    assert (order.discount, order.total) == (D("500.00"), D("2833.33"))
    coupon.refresh_from_db()
    assert coupon.used_count == 1
    assert list(CouponRedemption.objects.values_list("order_id", "customer_phone", "amount")) == [
        (order.pk, "+2348031234567", D("500.00"))
    ]


def test_free_delivery_above_threshold(store, shopper):
    product = ProductFactory(store=store, price=D("10000.00"))
    DeliverySettingsFactory(store=store, default_fee=D("3000.00"), free_delivery_threshold=D("20000.00"))
    order = order_place(store=store, customer=shopper, lines=[{"product_id": product.pk, "quantity": 2}])
    assert (order.shipping_fee, order.total) == (D("0.00"), D("20000.00"))


@pytest.mark.parametrize(
    ("_case", "coupon_kwargs", "message"),
    [
        ("inactive", {"is_active": False}, "The coupon OFF is no longer active."),
        ("used up", {"usage_limit": 2, "used_count": 2}, "The coupon OFF has been used up."),
        (
            "below minimum",
            {"minimum_order": D("5000")},
            "The coupon OFF needs an order of at least ₦5,000.00.",
        ),
    ],
)
def test_unusable_coupon_writes_nothing(store, shopper, _case, coupon_kwargs, message):
    product = ProductFactory(store=store, price=D("2500.00"))
    CouponFactory(store=store, code="OFF", **coupon_kwargs)
    with pytest.raises(ServiceError) as error:
        order_place(
            store=store,
            customer=shopper,
            lines=[{"product_id": product.pk, "quantity": 1}],
            coupon_code="OFF",
        )
    assert error.value.message == message
    assert nothing_written()
    product.refresh_from_db()
    assert product.stock_quantity == 10


def test_per_customer_limit(store, shopper):
    product = ProductFactory(store=store, price=D("2500.00"))
    CouponFactory(store=store, code="ONCE", per_customer_limit=1)
    lines = [{"product_id": product.pk, "quantity": 1}]
    order_place(store=store, customer=shopper, lines=lines, coupon_code="ONCE")
    with pytest.raises(ServiceError) as error:
        order_place(
            store=store, customer={**shopper, "phone": "+2348031234567"}, lines=lines, coupon_code="ONCE"
        )
    assert error.value.message == "You have already used the coupon ONCE as often as it allows."
    order_place(store=store, customer={**shopper, "phone": "08051112222"}, lines=lines, coupon_code="ONCE")
    assert Coupon.objects.get().used_count == 2


def test_out_of_stock_names_the_product_and_writes_nothing(store, shopper):
    a = ProductFactory(store=store, name="Agbada", stock_quantity=5)
    b = ProductFactory(store=store, name="Gele", stock_quantity=1)
    with pytest.raises(OutOfStock) as error:
        order_place(
            store=store,
            customer=shopper,
            lines=[
                {"product_id": a.pk, "quantity": 2},
                {"product_id": b.pk, "quantity": 1},
                {"product_id": b.pk, "quantity": 1},
            ],
        )
    assert error.value.message == "Only 1 of Gele left in stock."
    assert error.value.http_status == 409
    assert nothing_written()
    assert sorted(Product.objects.values_list("stock_quantity", flat=True)) == [1, 5]


@pytest.mark.parametrize(
    ("_case", "change", "message"),
    [
        ("price tampering", {"price": "1.00"}, "The price of Kaftan is ₦2,500.00, not ₦1.00."),
        ("quantity 0", {"quantity": 0}, "Quantities are whole numbers from 1 to 999."),
        ("quantity -1", {"quantity": -1}, "Quantities are whole numbers from 1 to 999."),
        ("quantity 10^9", {"quantity": 10**9}, "Quantities are whole numbers from 1 to 999."),
        ("quantity text", {"quantity": "two"}, "Quantities are whole numbers from 1 to 999."),
        ("unknown variant", {"variant_selection": {"Colour": "Red"}}, "Kaftan has no option 'Colour'."),
        (
            "unknown option",
            {"variant_selection": {"Size": "XXL"}},
            "'XXL' is not a Size of Kaftan; choose one of S, M.",
        ),
        ("missing option", {}, "Choose a Size for Kaftan."),
    ],
)
def test_bad_lines_are_refused_with_nothing_written(store, shopper, _case, change, message):
    product = ProductFactory(store=store, name="Kaftan", variations=[{"name": "Size", "options": ["S", "M"]}])
    line = {"product_id": product.pk, "quantity": 1, **change}
    with pytest.raises(ServiceError) as error:
        order_place(store=store, customer=shopper, lines=[line], idempotency_key="k1")
    assert (error.value.message, error.value.http_status) == (message, 400)
    assert nothing_written()
    product.refresh_from_db()
    assert product.stock_quantity == 10


def test_product_of_another_store_and_inactive_product_are_refused(store, shopper):
    foreign = ProductFactory(store=StoreFactory())
    hidden = ProductFactory(store=store, name="Old stock", is_active=False)
    with pytest.raises(ServiceError) as error:
        order_place(store=store, customer=shopper, lines=[{"product_id": foreign.pk, "quantity": 1}])
    assert (error.value.message, error.value.http_status) == (
        "A product in your cart is not sold by this store.",
        400,
    )
    with pytest.raises(ServiceError) as error:
        order_place(store=store, customer=shopper, lines=[{"product_id": hidden.pk, "quantity": 1}])
    assert (error.value.message, error.value.http_status) == ("Old stock is no longer available.", 400)
    assert nothing_written()


@pytest.mark.parametrize(
    ("_case", "change", "message"),
    [
        ("unknown LGA", {"lga": "Nsukka"}, "'Nsukka' is not an LGA of Lagos."),
        ("unknown state", {"state": "Atlantis"}, "'Atlantis' is not a Nigerian state."),
        ("bad phone", {"phone": "12345"}, "Enter a valid Nigerian mobile number, like 0803 123 4567."),
        ("bad email", {"email": "ada@"}, "Enter a valid email address."),
        ("no name", {"name": " "}, "Enter your name."),
        ("no address", {"address": ""}, "Enter your address."),
    ],
)
def test_bad_customer_details_are_refused(store, shopper, _case, change, message):
    product = ProductFactory(store=store)
    with pytest.raises(ServiceError) as error:
        order_place(
            store=store, customer={**shopper, **change}, lines=[{"product_id": product.pk, "quantity": 1}]
        )
    assert (error.value.message, error.value.http_status) == (message, 400)
    assert nothing_written()


def test_pickup_needs_no_address_unless_the_store_has_no_pickup(store, shopper):
    product = ProductFactory(store=store)
    customer = {"name": "Ada", "phone": "08031234567"}
    order = order_place(
        store=store,
        customer=customer,
        lines=[{"product_id": product.pk, "quantity": 1}],
        delivery_method="pickup",
    )
    assert (order.delivery_state, order.shipping_fee) == (None, D("0.00"))
    DeliverySettingsFactory(store=store, free_pickup=False)
    with pytest.raises(ServiceError) as error:
        order_place(
            store=store,
            customer=customer,
            lines=[{"product_id": product.pk, "quantity": 1}],
            delivery_method="pickup",
        )
    assert error.value.message == "This store does not offer pickup; choose delivery."


def test_same_idempotency_key_gives_the_same_order(store, shopper):
    product = ProductFactory(store=store)
    lines = [{"product_id": product.pk, "quantity": 2}]
    first = order_place(store=store, customer=shopper, lines=lines, idempotency_key="abc")
    second = order_place(store=store, customer=shopper, lines=lines, idempotency_key="abc")
    assert first.pk == second.pk
    assert Order.objects.count() == 1
    product.refresh_from_db()
    assert product.stock_quantity == 8
    with pytest.raises(IdempotencyConflict) as error:
        order_place(
            store=store,
            customer=shopper,
            lines=[{"product_id": product.pk, "quantity": 3}],
            idempotency_key="abc",
        )
    assert error.value.http_status == 409
    assert Order.objects.count() == 1


def test_failed_checkout_frees_its_idempotency_key(store, shopper):
    product = ProductFactory(store=store, stock_quantity=1)
    lines = [{"product_id": product.pk, "quantity": 2}]
    with pytest.raises(OutOfStock):
        order_place(store=store, customer=shopper, lines=lines, idempotency_key="retry-me")
    Product.objects.filter(pk=product.pk).update(stock_quantity=2)
    order = order_place(store=store, customer=shopper, lines=lines, idempotency_key="retry-me")
    assert order.order_items.get().quantity == 2


def test_order_numbers_are_unique_and_random(store, shopper):
    product = ProductFactory(store=store, stock_quantity=None)
    numbers = {
        order_place(
            store=store, customer=shopper, lines=[{"product_id": product.pk, "quantity": 1}]
        ).order_number
        for _ in range(20)
    }
    assert len(numbers) == 20
    assert all(set(number[4:]) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for number in numbers)


def test_a_number_collision_is_retried(store, shopper, monkeypatch):
    from orders import services
    from tests.factories import OrderFactory

    OrderFactory(store=store, order_number="AGM-00000000")
    drawn = iter("0" * 8 + "1" * 8)
    monkeypatch.setattr(services.secrets, "choice", lambda alphabet: next(drawn))
    product = ProductFactory(store=store)
    order = order_place(store=store, customer=shopper, lines=[{"product_id": product.pk, "quantity": 1}])
    assert order.order_number == "AGM-11111111"
    assert Order.objects.count() == 2


def test_inactive_store_takes_no_orders(shopper):
    store = StoreFactory(is_active=False)
    product = ProductFactory(store=store)
    with pytest.raises(ServiceError) as error:
        order_place(store=store, customer=shopper, lines=[{"product_id": product.pk, "quantity": 1}])
    assert error.value.http_status == 404
    assert not isinstance(error.value, Conflict)
    assert nothing_written()
