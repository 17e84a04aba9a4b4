import pytest
from django.utils import timezone

from catalog.models import Product
from config.errors import NotFound
from stores.models import Store
from stores.selectors import store_username_availability
from stores.services import (
    StoreInvalid,
    UsernameTaken,
    onboarding_complete,
    store_create,
    store_delete,
    store_set_active,
    store_update,
    store_username_suggestions,
)
from tests.stores.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_available_username():
    result = store_username_availability(username="  Mama-Put ")

    assert (result.username, result.available, result.message, result.suggestions) == (
        "mama-put",
        True,
        "This username is available.",
        [],
    )


def test_taken_username_gets_free_suggestions():
    StoreFactory(username="mama-put")
    StoreFactory(username="mama-put-ng", deleted_at=timezone.now())  # deleted stores keep theirs

    result = store_username_availability(username="mama-put")

    assert result.available is False
    assert result.message == "This username is taken."
    assert result.suggestions == [
        "mama-put-shop",
        "mama-put-store",
        "mama-put-hq",
        "shop-mama-put",
        "the-mama-put",
    ]


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("ab", "Use 3 to 30 characters."),
        ("mama_put", "Use lower-case letters, digits and single hyphens, not at the start or end."),
        ("dashboard", "This name is reserved by the platform."),
    ],
)
def test_refused_username_says_why(username, message):
    result = store_username_availability(username=username)

    assert (result.available, result.message) == (False, message)
    assert all(Store.objects.filter(username=name).count() == 0 for name in result.suggestions)
    assert "dashboard" not in result.suggestions


def test_suggestions_fit_the_length_limit():
    suggestions = store_username_suggestions(username="a" * 40)

    assert len(suggestions) == 5
    assert all(3 <= len(name) <= 30 for name in suggestions)


def test_store_create(merchant):
    store = store_create(
        user=merchant,
        username="Ada-Shoes",
        display_name="  Ada Shoes ",
        template_id="bookings",
        custom_colors={"primary": "#AABBCC"},
        custom_fonts={"heading": "classic-serif"},
        social_links={"instagram": "https://instagram.com/ada", "whatsapp": "0803 123 4567"},
    )

    store.refresh_from_db()
    assert store.user == merchant
    assert store.username == "ada-shoes"
    assert store.display_name == "Ada Shoes"
    assert store.template_id == "bookings"
    assert store.custom_colors == {"primary": "#aabbcc"}
    assert store.custom_fonts == {"heading": "classic-serif"}
    assert store.social_links == {"instagram": "https://instagram.com/ada", "whatsapp": "+2348031234567"}
    assert store.is_active is True


def test_a_merchant_may_own_several_stores(merchant):
    store_create(user=merchant, username="first-store", display_name="First")
    store_create(user=merchant, username="second-store", display_name="Second")

    assert Store.objects.filter(user=merchant).count() == 2


def test_store_create_with_a_taken_username_suggests_others(merchant):
    StoreFactory(username="ada-shoes")

    with pytest.raises(UsernameTaken) as error:
        store_create(user=merchant, username="ada-shoes", display_name="Ada")

    assert error.value.http_status == 409
    assert error.value.details["suggestions"][0] == "ada-shoes-ng"
    assert Store.objects.filter(user=merchant).count() == 0


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"username": "x", "display_name": ""},
            {"username": ["Use 3 to 30 characters."], "display_name": ["This field is required."]},
        ),
        ({"display_name": "A" * 101}, {"display_name": ["Use at most 100 characters."]}),
        ({"template_id": "blog"}, {"template_id": ["Choose one of: products, bookings, portfolio."]}),
        (
            {"custom_colors": {"primary": "red"}},
            {"custom_colors": ["The primary colour must look like #1a2b3c."]},
        ),
        (
            {"custom_colors": {"accent": "#12345"}},
            {"custom_colors": ["The accent colour must look like #1a2b3c."]},
        ),
        (
            {"custom_fonts": {"body": "Comic Sans"}},
            {
                "custom_fonts": [
                    "Choose the body font from: system, humanist, geometric, classic-serif, "
                    "elegant-serif, rounded, monospace."
                ]
            },
        ),
        (
            {"social_links": {"instagram": "javascript:alert(1)"}},
            {"social_links": ["The instagram link must be a full address starting with https://."]},
        ),
        (
            {"social_links": {"myspace": "https://myspace.com/a"}},
            {"social_links": ["Unknown social network: myspace."]},
        ),
        (
            {"social_links": {"whatsapp": "12345"}},
            {"social_links": ["WhatsApp: Enter a valid Nigerian mobile number, like 0803 123 4567."]},
        ),
        ({"logo_url": "ftp://x/y.png"}, {"logo_url": ["Use an uploaded image's address."]}),
    ],
)
def test_store_create_refuses_bad_input_and_writes_nothing(merchant, fields, errors):
    arguments = {"username": "good-name", "display_name": "Good", **fields}

    with pytest.raises(StoreInvalid) as error:
        store_create(user=merchant, **arguments)

    assert error.value.errors == errors
    assert error.value.http_status == 400
    assert Store.objects.count() == 0


def test_store_update_changes_only_the_given_fields(merchant):
    store = StoreFactory(user=merchant, display_name="Old", description="Keep me", category="Food")

    store_update(
        user=merchant,
        store_id=store.pk,
        data={"display_name": "New", "category": "", "custom_colors": {"secondary": "#000000"}},
    )

    store.refresh_from_db()
    assert (store.display_name, store.description, store.category) == ("New", "Keep me", None)
    assert store.custom_colors == {"secondary": "#000000"}


def test_store_update_refuses_a_username_change(merchant):
    store = StoreFactory(user=merchant, username="fixed-name")

    with pytest.raises(StoreInvalid) as error:
        store_update(user=merchant, store_id=store.pk, data={"username": "new-name", "display_name": "X"})

    assert error.value.errors == {"username": ["A store's username cannot be changed."]}
    store.refresh_from_db()
    assert (store.username, store.display_name) != ("new-name", "X")


def test_store_update_with_bad_input_writes_nothing(merchant):
    store = StoreFactory(user=merchant, display_name="Same")

    with pytest.raises(StoreInvalid):
        store_update(
            user=merchant,
            store_id=store.pk,
            data={"display_name": "Other", "custom_colors": {"primary": "x"}},
        )

    store.refresh_from_db()
    assert store.display_name == "Same"


def test_another_merchants_store_is_not_found(merchant, other_merchant):
    store = StoreFactory(user=merchant, display_name="Mine", is_active=True)

    for call in (
        lambda: store_update(user=other_merchant, store_id=store.pk, data={"display_name": "Theirs"}),
        lambda: store_set_active(user=other_merchant, store_id=store.pk, is_active=False),
        lambda: store_delete(user=other_merchant, store_id=store.pk),
    ):
        with pytest.raises(NotFound):
            call()

    store.refresh_from_db()
    assert (store.display_name, store.is_active, store.deleted_at) == ("Mine", True, None)
    assert Product.objects.count() == 0


def test_set_active_and_soft_delete(merchant):
    store = StoreFactory(user=merchant)

    store_set_active(user=merchant, store_id=store.pk, is_active=False)
    store.refresh_from_db()
    assert store.is_active is False

    store_delete(user=merchant, store_id=store.pk)
    store.refresh_from_db()
    assert store.deleted_at is not None
    with pytest.raises(NotFound):
        store_update(user=merchant, store_id=store.pk, data={"display_name": "Back"})


def test_onboarding_complete(merchant):
    onboarding_complete(user=merchant)

    merchant.refresh_from_db()
    assert merchant.has_completed_onboarding is True
