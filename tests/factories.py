from decimal import Decimal

import factory

from accounts.models import Role, User, UserSettings
from catalog.models import Product
from orders.models import Order
from stores.models import Store, StoreTemplate

DEFAULT_PASSWORD = "a-strong-Passw0rd"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"merchant{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Merchant {n}")
    phone = factory.Sequence(lambda n: f"+23480{n:08d}")
    role = Role.USER
    email_verified = True
    phone_verified = True
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def persist_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


class UserSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserSettings

    user = factory.SubFactory(UserFactory)


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    user = factory.SubFactory(UserFactory)
    username = factory.Sequence(lambda n: f"store-{n}")
    display_name = factory.Sequence(lambda n: f"Store {n}")
    description = "Fresh things, delivered across Lagos."
    template_id = StoreTemplate.PRODUCTS


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    description = "A good product."
    price = Decimal("2500.00")
    stock_quantity = 10
    images = factory.LazyFunction(list)


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


def api_order_body(store, product, *, quantity=1, variant_selection=None, **changes) -> dict:
    """What a shopper's checkout posts to /api/v1/orders for one product (JSON-ready)."""
    line = {"productId": str(product.pk), "quantity": quantity}
    if variant_selection:
        line["variantSelection"] = variant_selection
    return {
        "storeUsername": store.username,
        "customerName": "Ada Obi",
        "customerPhone": "08031234567",
        "customerEmail": "ada@example.com",
        "deliveryAddress": "12 Allen Avenue",
        "deliveryState": "Lagos",
        "deliveryLga": "Ikeja",
        "items": [line],
        **changes,
    }
