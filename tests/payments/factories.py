from decimal import Decimal

import factory

from orders.models import Order
from tests.factories import StoreFactory


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    store = factory.SubFactory(StoreFactory)
    order_number = factory.Sequence(lambda n: f"AGM-T{n:06d}")
    customer_name = "Ada Okafor"
    customer_email = "ada@example.com"
    customer_phone = "+2348012345678"
    items = factory.LazyFunction(list)
    subtotal = Decimal("5000.00")
    total = Decimal("5000.00")
