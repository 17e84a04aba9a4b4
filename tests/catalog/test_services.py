from decimal import Decimal

import pytest

from catalog.models import Product
from catalog.services import (
    product_bulk_action,
    product_create,
    product_delete,
    product_duplicate,
    product_update,
)
from catalog.validation import ProductInvalid
from config.errors import NotFound, ServiceError
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Ankara tote bag",
    "description": "Hand-sewn in Aba.",
    "price": "12500.00",
    "compare_at_price": "15000",
    "cost_price": "6000",
    "sku": "TOTE-1",
    "barcode": "0123456789012",
    "stock_quantity": "7",
    "low_stock_threshold": "2",
    "weight": "0.45",
    "dimensions": {"length": "40", "width": "35", "height": "10", "unit": "cm"},
    "variations": [{"name": "Colour", "options": ["Red", "Blue"]}],
    "category": "Bags",
    "tags": ["ankara", "tote", "Ankara"],
    "images": ["https://cdn.example.com/a.jpg"],
    "is_active": True,
    "is_featured": "true",
}


def test_create_stores_every_field_typed(merchant, store):
    product = product_create(user=merchant, store_id=store.id, data=VALID)

    product = Product.objects.get(pk=product.pk)
    assert product.store_id == store.id
    assert product.name == "Ankara tote bag"
    assert product.price == Decimal("12500.00")
    assert product.compare_at_price == Decimal("15000.00")
    assert product.cost_price == Decimal("6000.00")
    assert product.stock_quantity == 7
    assert product.low_stock_threshold == 2
    assert product.weight == Decimal("0.45")
    assert product.dimensions == {"length": "40.00", "width": "35.00", "height": "10.00", "unit": "cm"}
    assert product.variations == [{"name": "Colour", "options": ["Red", "Blue"]}]
    assert product.tags == ["ankara", "tote"]
    assert product.images == ["https://cdn.example.com/a.jpg"]
    assert product.is_active is True
    assert product.is_featured is True


def test_create_with_only_name_and_price_takes_defaults(merchant, store):
    product = product_create(user=merchant, store_id=store.id, data={"name": " Zobo ", "price": 500})

    product.refresh_from_db()
    assert (product.name, product.price, product.stock_quantity, product.low_stock_threshold) == (
        "Zobo",
        Decimal("500.00"),
        0,
        5,
    )
    assert (product.images, product.is_active, product.is_featured, product.variations) == (
        [],
        True,
        False,
        None,
    )


def test_prices_written_with_naira_sign_and_commas(merchant, store):
    product = product_create(user=merchant, store_id=store.id, data={"name": "Zobo", "price": "₦12,500.5"})
    assert Product.objects.get(pk=product.pk).price == Decimal("12500.50")


def test_a_json_float_price_keeps_its_written_value(merchant, store):
    product = product_create(user=merchant, store_id=store.id, data={"name": "Zobo", "price": 0.1})
    assert Product.objects.get(pk=product.pk).price == Decimal("0.10")


@pytest.mark.parametrize(
    ("_case", "changes", "errors"),
    [
        ("no name", {"name": "  "}, {"name": ["Name is required."]}),
        ("name too long", {"name": "x" * 256}, {"name": ["Name must be at most 255 characters."]}),
        ("no price", {"price": ""}, {"price": ["Price is required."]}),
        ("zero price", {"price": "0"}, {"price": ["Price must be greater than 0."]}),
        ("negative price", {"price": "-5"}, {"price": ["Price must be greater than 0."]}),
        ("text price", {"price": "cheap"}, {"price": ["Price must be a number."]}),
        ("nan price", {"price": "NaN"}, {"price": ["Price must be a number."]}),
        ("three decimals", {"price": "10.005"}, {"price": ["Price must have at most 2 decimal places."]}),
        ("huge price", {"price": "10000000000"}, {"price": ["Price must be at most 9,999,999,999.99."]}),
        (
            "compare-at equal",
            {"compare_at_price": "12500"},
            {"compare_at_price": ["Compare-at price must be above the price."]},
        ),
        (
            "compare-at below",
            {"compare_at_price": "100"},
            {"compare_at_price": ["Compare-at price must be above the price."]},
        ),
        ("negative cost", {"cost_price": "-1"}, {"cost_price": ["Cost price cannot be negative."]}),
        (
            "negative stock",
            {"stock_quantity": "-1"},
            {"stock_quantity": ["Stock quantity cannot be negative."]},
        ),
        (
            "fractional stock",
            {"stock_quantity": "1.5"},
            {"stock_quantity": ["Stock quantity must be a whole number."]},
        ),
        (
            "negative threshold",
            {"low_stock_threshold": -2},
            {"low_stock_threshold": ["Low-stock threshold cannot be negative."]},
        ),
        ("negative weight", {"weight": "-0.1"}, {"weight": ["Weight cannot be negative."]}),
        (
            "dimensions not an object",
            {"dimensions": [1, 2, 3]},
            {"dimensions": ["Dimensions must be an object with length, width, height and unit."]},
        ),
        (
            "dimensions without height",
            {"dimensions": {"length": 1, "width": 2, "unit": "cm"}},
            {"dimensions": ["Dimensions need a height."]},
        ),
        (
            "dimensions bad unit",
            {"dimensions": {"length": 1, "width": 2, "height": 3, "unit": "ft"}},
            {"dimensions": ["Dimension unit must be one of: cm, mm, m, in."]},
        ),
        (
            "dimensions zero",
            {"dimensions": {"length": 0, "width": 2, "height": 3, "unit": "cm"}},
            {"dimensions": ["Dimension length must be greater than 0."]},
        ),
        (
            "variations not a list",
            {"variations": {"name": "Size"}},
            {"variations": ['Variations must be a list of {"name", "options"}.']},
        ),
        (
            "variation without name",
            {"variations": [{"name": " ", "options": ["S"]}]},
            {"variations": ["Variation 1 needs a name."]},
        ),
        (
            "variation extra key",
            {"variations": [{"name": "Size", "options": ["S"], "price": 3}]},
            {"variations": ['Variation 1 must have exactly "name" and "options".']},
        ),
        (
            "duplicate variation names",
            {"variations": [{"name": "Size", "options": ["S"]}, {"name": "size", "options": ["M"]}]},
            {"variations": ['Variation name "size" is used twice.']},
        ),
        (
            "variation without options",
            {"variations": [{"name": "Size", "options": []}]},
            {"variations": ['Variation "Size" needs at least one option.']},
        ),
        (
            "duplicate options",
            {"variations": [{"name": "Size", "options": ["M", "m"]}]},
            {"variations": ['Variation "Size" lists option "m" twice.']},
        ),
        (
            "empty option",
            {"variations": [{"name": "Size", "options": ["M", ""]}]},
            {"variations": ['Variation "Size" has an empty option.']},
        ),
        ("variations bad json", {"variations": "[{"}, {"variations": ["Variations must be valid JSON."]}),
        ("tags not text", {"tags": ["ok", 3]}, {"tags": ["Tags must be a list of text."]}),
        (
            "category too long",
            {"category": "c" * 101},
            {"category": ["Category must be at most 100 characters."]},
        ),
        (
            "image not a url",
            {"images": ["javascript:alert(1)"]},
            {"images": ['"javascript:alert(1)" is not an image URL.']},
        ),
        ("active not a flag", {"is_active": "maybe"}, {"is_active": ["Active must be true or false."]}),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(merchant, store, _case, changes, errors):
    with pytest.raises(ProductInvalid) as raised:
        product_create(user=merchant, store_id=store.id, data={**VALID, **changes})

    assert raised.value.errors == errors
    assert raised.value.message == next(iter(errors.values()))[0]
    assert raised.value.http_status == 400
    assert Product.objects.count() == 0


def test_create_reports_every_problem_at_once(merchant, store):
    with pytest.raises(ProductInvalid) as raised:
        product_create(user=merchant, store_id=store.id, data={"price": "-1", "stock_quantity": "x"})

    assert raised.value.errors == {
        "name": ["Name is required."],
        "price": ["Price must be greater than 0."],
        "stock_quantity": ["Stock quantity must be a whole number."],
    }
    assert Product.objects.count() == 0


def test_create_in_another_merchants_store_is_not_found(other_merchant, store):
    with pytest.raises(NotFound) as raised:
        product_create(user=other_merchant, store_id=store.id, data=VALID)
    assert raised.value.message == "Store not found."
    assert Product.objects.count() == 0


def test_create_in_a_deleted_store_is_not_found(merchant):
    from django.utils import timezone

    store = StoreFactory(user=merchant, deleted_at=timezone.now())
    with pytest.raises(NotFound):
        product_create(user=merchant, store_id=store.id, data=VALID)
    assert Product.objects.count() == 0


def test_update_changes_only_given_fields_and_checks_against_current_values(merchant, store):
    product = ProductFactory(store=store, price=Decimal("1000"), compare_at_price=Decimal("1500"), sku="A1")

    product_update(user=merchant, product_id=product.id, data={"stock_quantity": 3})
    product.refresh_from_db()
    assert (product.stock_quantity, product.price, product.sku) == (3, Decimal("1000.00"), "A1")

    with pytest.raises(ProductInvalid) as raised:
        product_update(user=merchant, product_id=product.id, data={"price": "2000"})
    assert raised.value.errors == {"compare_at_price": ["Compare-at price must be above the price."]}
    product.refresh_from_db()
    assert product.price == Decimal("1000.00")


def test_put_replaces_the_whole_product(merchant, store):
    product = ProductFactory(store=store, sku="A1", category="Bags", compare_at_price=Decimal("9000"))

    product_update(user=merchant, product_id=product.id, data={"name": "New", "price": "100"}, replace=True)

    product.refresh_from_db()
    assert (product.name, product.price, product.sku, product.category, product.compare_at_price) == (
        "New",
        Decimal("100.00"),
        None,
        None,
        None,
    )


def test_put_without_price_is_refused(merchant, product):
    with pytest.raises(ProductInvalid) as raised:
        product_update(user=merchant, product_id=product.id, data={"name": "New"}, replace=True)
    assert raised.value.errors == {"price": ["Price is required."]}
    product.refresh_from_db()
    assert product.name != "New"


def test_duplicate_is_an_inactive_copy_without_sku(merchant, store):
    product = ProductFactory(
        store=store, name="Tote", sku="T1", barcode="99", is_featured=True, images=["https://x.test/a.jpg"]
    )

    copy = product_duplicate(user=merchant, product_id=product.id)

    copy.refresh_from_db()
    assert copy.pk != product.pk
    assert (copy.name, copy.sku, copy.barcode, copy.is_active, copy.is_featured) == (
        "Tote (copy)",
        None,
        None,
        False,
        False,
    )
    assert (copy.price, copy.images, copy.store_id) == (product.price, ["https://x.test/a.jpg"], store.id)
    assert Product.objects.count() == 2


def test_delete_is_soft(merchant, product):
    product_delete(user=merchant, product_id=product.id)

    product.refresh_from_db()
    assert product.deleted_at is not None
    with pytest.raises(NotFound):
        product_delete(user=merchant, product_id=product.id)
    with pytest.raises(NotFound):
        product_update(user=merchant, product_id=product.id, data={"name": "Back"})


@pytest.mark.parametrize("action", ["update", "duplicate", "delete"])
def test_another_merchants_product_is_not_found_and_unchanged(other_merchant, product, action):
    before = Product.objects.filter(pk=product.pk).values().get()
    with pytest.raises(NotFound) as raised:
        if action == "update":
            product_update(user=other_merchant, product_id=product.id, data={"name": "Mine"})
        elif action == "duplicate":
            product_duplicate(user=other_merchant, product_id=product.id)
        else:
            product_delete(user=other_merchant, product_id=product.id)
    assert raised.value.message == "Product not found."
    assert Product.objects.filter(pk=product.pk).values().get() == before
    assert Product.objects.count() == 1


def test_bulk_actions(merchant, store):
    products = ProductFactory.create_batch(3, store=store)
    ids = [products[0].id, products[1].id]

    assert product_bulk_action(user=merchant, action="deactivate", product_ids=ids) == 2
    assert set(Product.objects.filter(is_active=False).values_list("pk", flat=True)) == set(ids)

    assert product_bulk_action(user=merchant, action="activate", product_ids=ids) == 2
    assert Product.objects.filter(is_active=False).count() == 0

    assert product_bulk_action(user=merchant, action="delete", product_ids=ids) == 2
    assert set(Product.objects.filter(deleted_at__isnull=False).values_list("pk", flat=True)) == set(ids)


@pytest.mark.parametrize("stranger", ["another merchant's", "unknown", "deleted"])
def test_bulk_with_any_id_not_the_callers_changes_nothing(merchant, store, other_merchant, stranger):
    from django.utils import timezone

    mine = ProductFactory(store=store)
    if stranger == "another merchant's":
        other_id = ProductFactory(store=StoreFactory(user=other_merchant)).id
    elif stranger == "deleted":
        other_id = ProductFactory(store=store, deleted_at=timezone.now()).id
    else:
        other_id = "00000000-0000-4000-8000-000000000000"
    before = list(Product.objects.order_by("pk").values())

    with pytest.raises(NotFound) as raised:
        product_bulk_action(user=merchant, action="deactivate", product_ids=[mine.id, other_id])

    assert raised.value.message == "Some of the selected products were not found; nothing was changed."
    assert list(Product.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(
    ("action", "ids", "message"),
    [
        ("publish", ["x"], "Choose activate, deactivate or delete."),
        ("delete", [], "Select at least one product."),
        ("delete", [str(n) for n in range(501)], "Select at most 500 products at a time."),
    ],
)
def test_bulk_refuses_bad_requests(merchant, product, action, ids, message):
    with pytest.raises(ServiceError) as raised:
        product_bulk_action(user=merchant, action=action, product_ids=ids)
    assert raised.value.message == message
    product.refresh_from_db()
    assert product.deleted_at is None


@pytest.mark.parametrize(
    ("template", "stock", "expected"), [("bookings", "", None), ("bookings", "3", 3), ("products", "", 0)]
)
def test_a_bookings_service_left_without_stock_is_untracked(merchant, template, stock, expected):
    from catalog.services import product_create
    from tests.factories import StoreFactory

    store = StoreFactory(user=merchant, template_id=template)
    product = product_create(
        user=merchant, store_id=store.pk, data={"name": "Braids", "price": "15000", "stock_quantity": stock}
    )
    product.refresh_from_db()
    assert product.stock_quantity == expected
