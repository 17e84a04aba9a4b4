"""The demo data `make run` serves: a merchant, a staff user, one store per template (products,
bookings, portfolio) and their products, with photos drawn here by Pillow (no download).

Idempotent: running it again finds what it made and changes nothing else.
"""

import datetime
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from PIL import Image, ImageDraw, ImageFilter

from accounts.models import Role, User, UserSettings
from catalog.models import Product, ServiceDuration
from config.images import image_prepare, image_save
from stores.models import Enquiry, Store, StoreTemplate, Testimonial
from stores.opening_hours import opening_hours_set

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


# the photo palette of each demo product: background, object, highlight
PALETTES = [
    ((243, 227, 205), (201, 72, 30), (250, 190, 60)),
    ((222, 236, 230), (24, 112, 92), (245, 200, 80)),
    ((245, 222, 226), (150, 30, 60), (240, 160, 120)),
    ((232, 228, 245), (80, 60, 150), (250, 210, 120)),
    ((250, 238, 214), (160, 100, 30), (90, 50, 20)),
    ((226, 236, 246), (30, 80, 140), (230, 120, 60)),
]


@dataclass(frozen=True)
class DemoSeed:
    merchant: User
    admin: User
    store: Store
    bookings_store: Store | None = None
    portfolio_store: Store | None = None


def demo_photo(index: int, *, size: int = 1200, shape: str = "plate") -> bytes:
    """A photo-like JPEG: soft light, an object with a shadow and fine grain, as a phone takes them."""
    background, colour, highlight = PALETTES[index % len(PALETTES)]
    rng = random.Random(index)  # noqa: S311 (a picture, not a secret)
    picture = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(picture)
    for step in range(0, size, 8):  # light falling from the top left
        shade = tuple(max(0, c - step * 40 // size) for c in background)
        draw.line([(0, step), (size, step)], fill=shade, width=8)
    shadow = Image.new("L", (size, size), 0)
    ImageDraw.Draw(shadow).ellipse([size * 0.2, size * 0.3, size * 0.88, size * 0.92], fill=120)
    picture.paste((40, 30, 20), mask=shadow.filter(ImageFilter.GaussianBlur(size // 30)))
    draw = ImageDraw.Draw(picture)
    if shape == "plate":
        draw.ellipse([size * 0.15, size * 0.2, size * 0.85, size * 0.85], fill=(250, 250, 248))
        draw.ellipse([size * 0.25, size * 0.3, size * 0.75, size * 0.75], fill=colour)
        for _ in range(40):
            x, y = rng.uniform(0.3, 0.7) * size, rng.uniform(0.35, 0.7) * size
            draw.ellipse([x, y, x + size * 0.03, y + size * 0.02], fill=highlight)
    else:
        draw.rounded_rectangle(
            [size * 0.2, size * 0.18, size * 0.8, size * 0.86], radius=size // 20, fill=colour
        )
        draw.rectangle([size * 0.2, size * 0.45, size * 0.8, size * 0.55], fill=highlight)
    picture = picture.filter(ImageFilter.GaussianBlur(1.2))
    grain = Image.effect_noise((size, size), 18).convert("RGB")
    picture = Image.blend(picture, grain, 0.06)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _photos(store: Store, index: int, count: int = 1, shape: str = "plate", *, draw: bool) -> list[str]:
    """Photos of a demo product, through the same pipeline as a merchant's upload."""
    if not draw:
        return []
    folder = f"products/{store.pk}"
    return [
        image_save(image_prepare(io.BytesIO(demo_photo(index + n, shape=shape))), folder=folder).url
        for n in range(count)
    ]


@transaction.atomic
def demo_seed(*, photos: bool = False) -> DemoSeed:
    """`photos` draws and stores product photos (`seed_demo` does; the browser tests, whose
    media storage is in memory and not served, do not)."""
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
                images=_photos(
                    store,
                    index,
                    count=2 if featured else 1,
                    shape="bag" if "Tote" in name else "plate",
                    draw=photos,
                ),
            )
            for index, (name, description, price, compare_at, stock, featured) in enumerate(DEMO_PRODUCTS)
        )
    bookings = demo_bookings_store(merchant=merchant, photos=photos)
    portfolio = demo_portfolio_store(merchant=merchant, photos=photos)
    return DemoSeed(
        merchant=merchant, admin=admin, store=store, bookings_store=bookings, portfolio_store=portfolio
    )


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


# --- The bookings and portfolio themes' demo stores ---

DEMO_BOOKINGS_USERNAME = "braids-by-bisi"
DEMO_PORTFOLIO_USERNAME = "lens-and-light"
# name, description, price, minutes, stock (None: not counted; 0: unavailable)
DEMO_SERVICES = [
    ("Knotless braids (medium)", "Waist length, neat parts, hair included.", "25000.00", 240, None),
    ("Cornrows", "Straight-back or patterned, with beads on request.", "8000.00", 90, None),
    ("Silk press", "Wash, deep condition and a sleek silk press.", "12000.00", 120, None),
    ("Kids' braids", "For ages 4 to 12; we keep it gentle.", "6000.00", 60, None),
    ("Loc retwist", "Retwist and style; bring your own accessories.", "10000.00", 75, 0),
]
DEMO_WORKS = [
    ("Ikoyi garden wedding", "Weddings"),
    ("Studio portraits: the Adeyemi family", "Portraits"),
    ("Afrobeat night at Terra Kulture", "Events"),
    ("Lekki brand shoot for Zuri Skincare", "Commercial"),
    ("Traditional engagement in Abeokuta", "Weddings"),
    ("Graduation portraits, UNILAG", "Portraits"),
]
DEMO_TESTIMONIALS = [
    (
        "Amaka O.",
        "Bride, Ikoyi",
        "Every photo made us cry happy tears. They caught moments we did not even see.",
    ),
    ("Tunde B.", "Zuri Skincare", "Fast, calm and creative. Our product shots doubled our Instagram orders."),
    ("Mrs Adeyemi", "Family portraits", "The children were relaxed all through. We framed six of them!"),
]
DEMO_ENQUIRIES = [
    (
        "Chioma Eze",
        "chioma@example.com",
        "",
        "Do you cover weddings in Enugu on 14 February? About 300 guests.",
    ),
    ("Kunle Bello", "", "+2348031112222", "Price for a half-day product shoot, 20 items, white background?"),
    (
        "Ada Nwosu",
        "ada@example.com",
        "+2348039998888",
        "Graduation portraits for two, this Saturday if possible.",
    ),
]


def demo_bookings_store(*, merchant: User, photos: bool = False) -> Store:
    """A hair studio on the bookings theme: services with durations, its week and address."""
    store, created = Store.objects.get_or_create(
        username=DEMO_BOOKINGS_USERNAME,
        defaults={
            "user": merchant,
            "display_name": "Braids by Bisi",
            "description": "Protective styles, silk presses and kids' braids in Yaba: book a time online.",
            "template_id": StoreTemplate.BOOKINGS,
            "category": "Hair & beauty",
            "custom_colors": {"primary": "#9d174d", "secondary": "#0f766e", "accent": "#b45309"},
            "custom_fonts": {"heading": "elegant-serif", "body": "system"},
            "social_links": {"whatsapp": "+2348030000001"},
        },
    )
    if created:
        for index, (name, description, price, minutes, stock) in enumerate(DEMO_SERVICES):
            service = Product.objects.create(
                store=store,
                name=name,
                description=description,
                price=Decimal(price),
                stock_quantity=stock,
                images=_photos(store, index + 2, shape="bag", draw=photos),
            )
            ServiceDuration.objects.create(product=service, minutes=minutes)
        week: dict[int, tuple[datetime.time | None, datetime.time | None]] = {
            day: (datetime.time(9), datetime.time(18)) for day in range(5)
        }
        week[5] = (datetime.time(8), datetime.time(16))
        week[6] = (None, None)
        opening_hours_set(store=store, days=week, address="24 Herbert Macaulay Way, Yaba, Lagos")
    return store


def demo_portfolio_store(*, merchant: User, photos: bool = False) -> Store:
    """A photographer on the portfolio theme: works, testimonials and a few enquiries."""
    store, created = Store.objects.get_or_create(
        username=DEMO_PORTFOLIO_USERNAME,
        defaults={
            "user": merchant,
            "display_name": "Lens & Light Studio",
            "description": (
                "Wedding, portrait and brand photography across Lagos and beyond. We plan every shoot "
                "with you, arrive early and deliver edited photos within two weeks."
            ),
            "template_id": StoreTemplate.PORTFOLIO,
            "category": "Photography",
            "custom_colors": {"primary": "#1d4ed8", "secondary": "#7c3aed", "accent": "#c2410c"},
            "custom_fonts": {"heading": "geometric", "body": "system"},
            "social_links": {"whatsapp": "+2348030000001", "instagram": "https://instagram.com/lensandlight"},
        },
    )
    if created:
        Product.objects.bulk_create(
            Product(
                store=store,
                name=name,
                category=category,
                price=Decimal("150000.00"),
                stock_quantity=None,
                is_featured=index < 2,
                images=_photos(store, index + 4, shape="bag" if index % 2 else "plate", draw=photos),
            )
            for index, (name, category) in enumerate(DEMO_WORKS)
        )
        Testimonial.objects.bulk_create(
            Testimonial(store=store, author=author, detail=detail, quote=quote, position=position)
            for position, (author, detail, quote) in enumerate(DEMO_TESTIMONIALS)
        )
        Enquiry.objects.bulk_create(
            Enquiry(store=store, name=name, email=email, phone=phone, message=message)
            for name, email, phone, message in DEMO_ENQUIRIES
        )
    return store
