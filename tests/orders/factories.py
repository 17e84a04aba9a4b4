from decimal import Decimal

import factory

from orders.models import Coupon, CouponKind, DeliveryRate, DeliverySettings, OrderItem
from tests.factories import OrderFactory, ProductFactory, StoreFactory


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


class OrderItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory, store=factory.SelfAttribute("..order.store"))
    product_name = factory.SelfAttribute("product.name")
    product_price = Decimal("2500.00")
    quantity = 2
    subtotal = Decimal("5000.00")
