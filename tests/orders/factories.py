from decimal import Decimal

import factory

from orders.models import Coupon, CouponKind, DeliveryRate, DeliverySettings, Order, OrderItem
from tests.factories import ProductFactory, StoreFactory


class DeliverySettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliverySettings

    store = factory.SubFactory(StoreFactory)
    default_fee = Decimal("1500.00")
    free_pickup = True
    free_delivery_threshold = None


class DeliveryRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryRate

    store = factory.SubFactory(StoreFactory)
    state = "Lagos"
    lga = ""
    fee = Decimal("2000.00")


class CouponFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coupon

    store = factory.SubFactory(StoreFactory)
    code = factory.Sequence(lambda n: f"SAVE{n}")
    kind = CouponKind.PERCENTAGE
    value = Decimal("10.00")


class OrderFactory(factory.django.DjangoModelFactory):
    """An order written directly (for list, dashboard and API tests); checkout goes through order_place."""

    class Meta:
        model = Order

    store = factory.SubFactory(StoreFactory)
    order_number = factory.Sequence(lambda n: f"AGM-T{n:07d}")
    customer_name = factory.Sequence(lambda n: f"Shopper {n}")
    customer_phone = factory.Sequence(lambda n: f"+23481{n:08d}")
    customer_email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    delivery_address = "12 Allen Avenue"
    delivery_state = "Lagos"
    delivery_lga = "Ikeja"
    items = factory.LazyFunction(list)
    subtotal = Decimal("5000.00")
    discount = Decimal("0.00")
    shipping_fee = Decimal("1000.00")
    agm_fee = Decimal("125.00")
    total = Decimal("6000.00")


class OrderItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory, store=factory.SelfAttribute("..order.store"))
    product_name = factory.SelfAttribute("product.name")
    product_price = Decimal("2500.00")
    quantity = 2
    subtotal = Decimal("5000.00")
