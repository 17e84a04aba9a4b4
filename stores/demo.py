"""The demo data `make run` serves: a merchant, a staff user, a store and its products.

Idempotent: running it again finds what it made and changes nothing else.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from accounts.models import Role, User, UserSettings
from catalog.models import Product
from stores.models import Store, StoreTemplate

DEMO_MERCHANT_EMAIL = "demo@agmshops.test"
DEMO_ADMIN_EMAIL = "admin@agmshops.test"
DEMO_PASSWORD = "demo-Passw0rd!"
DEMO_STORE_USERNAME = "mama-put-kitchen"

DEMO_PRODUCTS = [
    (
        "Jollof Rice Party Pack",
        "Smoky party jollof for 10, with fried plantain.",
        "15000.00",
        "18000.00",
        12,
        True,
    ),
    (
        "Ankara Tote Bag",
        "Hand-sewn tote in bold Ankara print, lined, with an inner pocket.",
        "6500.00",
        None,
        2,
        True,
    ),
    ("Zobo Drink (1 litre)", "Chilled hibiscus drink with ginger and pineapple.", "1500.00", None, 40, False),
    (
        "Chin Chin (500 g)",
        "Crunchy, lightly sweet, made fresh every morning.",
        "2500.00",
        "3000.00",
        0,
        False,
    ),
    ("Suya Spice Mix", "Yaji blend for beef, chicken or fish. 200 g jar.", "1800.00", None, 25, False),
    ("Puff-Puff Box (24)", "Soft, golden puff-puff dusted with sugar.", "3000.00", None, 15, False),
]


@dataclass(frozen=True)
class DemoSeed:
    merchant: User
    admin: User
    store: Store


@transaction.atomic
def demo_seed() -> DemoSeed:
    merchant = _user(DEMO_MERCHANT_EMAIL, "Ngozi Okafor", "+2348030000001", Role.USER)
    admin = _user(DEMO_ADMIN_EMAIL, "Platform Admin", "+2348030000002", Role.SUPER_ADMIN)
    store, created = Store.objects.get_or_create(
        username=DEMO_STORE_USERNAME,
        defaults={
            "user": merchant,
            "display_name": "Mama Put Kitchen",
            "description": "Home-cooked Nigerian food and gifts, delivered across Lagos.",
            "template_id": StoreTemplate.PRODUCTS,
            "category": "Food & drinks",
            "custom_colors": {"primary": "#0f766e", "secondary": "#f59e0b", "accent": "#be123c"},
            "social_links": {
                "whatsapp": "+2348030000001",
                "instagram": "https://instagram.com/mamaputkitchen",
            },
        },
    )
    if created:
        Product.objects.bulk_create(
            Product(
                store=store,
                name=name,
                description=description,
                price=Decimal(price),
                compare_at_price=Decimal(compare_at) if compare_at else None,
                stock_quantity=stock,
                is_featured=featured,
                category="Food & drinks" if "Tote" not in name else "Fashion",
                images=[],
            )
            for name, description, price, compare_at, stock, featured in DEMO_PRODUCTS
        )
    return DemoSeed(merchant=merchant, admin=admin, store=store)


def _user(email, full_name, phone, role) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            full_name=full_name,
            phone=phone,
            role=role,
            email_verified=True,
            phone_verified=True,
            has_completed_onboarding=True,
        )
        UserSettings.objects.create(user=user)
    return user
