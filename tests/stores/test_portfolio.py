"""The portfolio theme: enquiries kept in the merchant's inbox with reply links, testimonials,
and the dashboard pages of both themes (opening hours, testimonials, service durations)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from catalog.models import ServiceDuration
from notifications.models import Notification
from stores.models import Enquiry, OpeningHours, StoreTemplate
from stores.models import Testimonial as StoreTestimonial  # not collected as a test class
from stores.portfolio import enquiry_reply_links
from tests.stores.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

ENQUIRY = {
    "name": "Tunde Bakare",
    "email": "tunde@example.com",
    "phone": "0803 123 4567",
    "message": "Wedding on 12 Dec?",
}


@pytest.fixture
def studio(merchant):
    return StoreFactory(user=merchant, template_id=StoreTemplate.PORTFOLIO, display_name="Lens & Light")


def enquire(client, store, data=ENQUIRY, ip="10.0.0.1"):
    return client.post(f"/{store.username}/enquire", data, REMOTE_ADDR=ip)


def test_an_enquiry_is_stored_and_listed_in_the_merchants_inbox(client, merchant, studio):
    enquire(client, studio)

    enquiry = Enquiry.objects.get()
    assert (enquiry.store, enquiry.name, enquiry.email, enquiry.phone, enquiry.message) == (
        studio,
        "Tunde Bakare",
        "tunde@example.com",
        "+2348031234567",
        "Wedding on 12 Dec?",
    )
    assert (enquiry.read_at, enquiry.replied_at) == (None, None)
    assert Notification.objects.get().link == "/dashboard/enquiries/"
    client.force_login(merchant)
    text = client.get("/dashboard/enquiries/").content.decode()
    assert "Tunde Bakare" in text and "Wedding on 12 Dec?" in text and "1 unread" in text


def test_a_bot_filled_enquiry_is_not_stored(client, studio):
    response = enquire(client, studio, {**ENQUIRY, "website": "http://spam.example"})

    assert response.status_code == 200
    assert Enquiry.objects.count() == 0


def test_the_inbox_is_scoped_to_the_merchants_own_stores(client, merchant, other_merchant, studio):
    theirs = StoreFactory(user=other_merchant, template_id=StoreTemplate.PORTFOLIO)
    enquire(client, studio)
    enquire(client, theirs, {**ENQUIRY, "name": "Someone Else"}, ip="10.0.0.2")
    foreign = Enquiry.objects.get(store=theirs)

    client.force_login(merchant)
    text = client.get("/dashboard/enquiries/").content.decode()
    marked = client.post(f"/dashboard/enquiries/{foreign.pk}/", {"action": "read"})
    replied = client.post(f"/dashboard/enquiries/{foreign.pk}/", {"action": "email"})

    assert "Tunde Bakare" in text and "Someone Else" not in text
    assert (marked.status_code, replied.status_code) == (404, 404)
    foreign.refresh_from_db()
    assert (foreign.read_at, foreign.replied_at) == (None, None)


def test_the_inbox_filters_by_store_and_unread(client, merchant, studio):
    second = StoreFactory(user=merchant, template_id=StoreTemplate.PORTFOLIO)
    enquire(client, studio)
    enquire(client, second, {**ENQUIRY, "name": "Kemi Adeyemi"}, ip="10.0.0.2")
    Enquiry.objects.filter(name="Kemi Adeyemi").update(read_at=timezone.now())
    client.force_login(merchant)

    by_store = client.get(f"/dashboard/enquiries/?store={second.pk}").content.decode()
    unread = client.get("/dashboard/enquiries/?show=unread").content.decode()

    assert "Kemi Adeyemi" in by_store and "Tunde Bakare" not in by_store
    assert "Tunde Bakare" in unread and "Kemi Adeyemi" not in unread


def test_reply_links_prefill_an_email_and_a_whatsapp_message(studio):
    enquiry = Enquiry.objects.create(store=studio, **{**ENQUIRY, "phone": "+2348031234567"})

    links = enquiry_reply_links(enquiry)

    email = urlsplit(links.email)
    assert (email.scheme, email.path) == ("mailto", "tunde@example.com")
    query = parse_qs(email.query)
    assert query["subject"] == ["Re: your enquiry to Lens & Light"]
    assert query["body"] == [
        "Hello Tunde, thank you for your enquiry to Lens & Light.\n\n\n\n> Wedding on 12 Dec?"
    ]
    whatsapp = urlsplit(links.whatsapp)
    assert (whatsapp.netloc, whatsapp.path) == ("wa.me", "/2348031234567")
    assert parse_qs(whatsapp.query)["text"] == ["Hello Tunde, thank you for your enquiry to Lens & Light. "]


def test_replying_marks_the_enquiry_and_goes_on_to_the_mail_app_or_whatsapp(client, merchant, studio):
    enquiry = Enquiry.objects.create(store=studio, **{**ENQUIRY, "phone": "+2348031234567"})
    client.force_login(merchant)

    by_email = client.post(f"/dashboard/enquiries/{enquiry.pk}/", {"action": "email"})
    enquiry.refresh_from_db()
    assert by_email.status_code == 302
    assert by_email["Location"] == enquiry_reply_links(enquiry).email
    assert (enquiry.replied_via, enquiry.read_at is not None, enquiry.replied_at is not None) == (
        "email",
        True,
        True,
    )

    by_whatsapp = client.post(f"/dashboard/enquiries/{enquiry.pk}/", {"action": "whatsapp"})
    enquiry.refresh_from_db()
    assert by_whatsapp["Location"].startswith("https://wa.me/2348031234567?text=Hello%20Tunde")
    assert enquiry.replied_via == "whatsapp"

    unread = client.post(f"/dashboard/enquiries/{enquiry.pk}/", {"action": "unread"})
    enquiry.refresh_from_db()
    assert (unread.status_code, unread["Location"], enquiry.read_at) == (302, "/dashboard/enquiries/", None)


def test_a_reply_needs_the_contact_and_a_known_action(client, merchant, studio):
    enquiry = Enquiry.objects.create(store=studio, name="Ada", email="ada@example.com", message="Hi")
    client.force_login(merchant)

    no_phone = client.post(f"/dashboard/enquiries/{enquiry.pk}/", {"action": "whatsapp"}, follow=True)
    bad = client.post(f"/dashboard/enquiries/{enquiry.pk}/", {"action": "delete-everything"})

    assert "Ada left no phone number." in no_phone.content.decode()
    assert bad.status_code == 400
    enquiry.refresh_from_db()
    assert (enquiry.replied_at, enquiry.read_at) == (None, None)


def test_testimonials_are_added_shown_and_deleted(client, merchant, studio):
    client.force_login(merchant)
    url = f"/dashboard/stores/{studio.pk}/testimonials/"

    added = client.post(
        url, {"author": "Amaka O.", "detail": "Wedding, Ikoyi", "quote": "Every photo made us cry."}
    )
    home = client.get(f"/{studio.username}").content.decode()

    testimonial = StoreTestimonial.objects.get()
    assert added.status_code == 302
    assert (testimonial.store, testimonial.author, testimonial.position) == (studio, "Amaka O.", 0)
    assert (
        "Every photo made us cry." in home
        and "Wedding, Ikoyi" in home
        and 'id="testimonials-heading"' in home
    )

    client.post(f"{url}{testimonial.pk}/delete/")
    assert StoreTestimonial.objects.count() == 0
    assert "Every photo made us cry." not in client.get(f"/{studio.username}").content.decode()


def test_a_bad_testimonial_is_refused_with_a_clear_400(client, merchant, studio):
    client.force_login(merchant)

    response = client.post(f"/dashboard/stores/{studio.pk}/testimonials/", {"author": "", "quote": "x" * 601})

    text = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in text
    assert "Ensure this value has at most 600 characters (it has 601)." in text
    assert StoreTestimonial.objects.count() == 0


def test_another_merchants_testimonials_cannot_be_touched(client, other_merchant, studio):
    testimonial = StoreTestimonial.objects.create(store=studio, author="A", quote="B")
    client.force_login(other_merchant)

    page = client.get(f"/dashboard/stores/{studio.pk}/testimonials/")
    delete = client.post(f"/dashboard/stores/{studio.pk}/testimonials/{testimonial.pk}/delete/")

    assert (page.status_code, delete.status_code) == (404, 404)
    assert StoreTestimonial.objects.count() == 1


def test_the_portfolio_home_is_a_gallery_with_and_without_photos(client, studio):
    ProductFactory(store=studio, name="Lagos Wedding", images=["https://res.example.com/w.jpg"])
    ProductFactory(store=studio, name="Studio Portraits", images=[])

    text = client.get(f"/{studio.username}").content.decode()

    assert 'data-layout="portfolio"' in text and 'class="gallery"' in text
    # a photo hosted elsewhere has no sizes of ours: it is shown as it is, without a srcset
    assert '<img src="https://res.example.com/w.jpg" alt=""' in text and "w.jpg 400w" not in text
    assert "work--text" in text and "Studio Portraits" in text
    assert f'action="/{studio.username}/enquire"' in text


# --- Dashboard: opening hours and service durations ---


@pytest.fixture
def salon(merchant):
    return StoreFactory(user=merchant, template_id=StoreTemplate.BOOKINGS)


def hours_form(**changes):
    data = {"address": "12 Admiralty Way"}
    for day in range(7):
        data[f"day{day}_opens"] = "09:00"
        data[f"day{day}_closes"] = "17:00"
    data["day6_closed"] = "on"
    return {**data, **changes}


def test_opening_hours_are_saved_from_the_dashboard(client, merchant, salon):
    client.force_login(merchant)

    response = client.post(
        f"/dashboard/stores/{salon.pk}/hours/", hours_form(day5_opens="10:00", day5_closes="14:00")
    )

    assert response.status_code == 302
    rows = {row.weekday: (row.opens_at, row.closes_at) for row in OpeningHours.objects.filter(store=salon)}
    assert str(rows[5][0]) == "10:00:00" and str(rows[5][1]) == "14:00:00"
    assert rows[6] == (None, None)
    assert salon.booking_settings.address == "12 Admiralty Way"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"day0_opens": "17:00", "day0_closes": "09:00"},
            "Monday: the closing time must be after the opening time.",
        ),
        ({"day2_closes": ""}, "Wednesday: give both the opening and the closing time, or mark it closed."),
        ({"day3_opens": "9 o'clock"}, "Enter a valid time."),
    ],
)
def test_bad_opening_hours_are_refused_with_a_clear_400(client, merchant, salon, changes, message):
    client.force_login(merchant)

    response = client.post(f"/dashboard/stores/{salon.pk}/hours/", hours_form(**changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert OpeningHours.objects.count() == 0


def test_opening_hours_are_for_the_merchants_own_bookings_store(
    client, merchant, other_merchant, salon, studio
):
    client.force_login(merchant)
    assert client.get(f"/dashboard/stores/{studio.pk}/hours/").status_code == 404
    client.force_login(other_merchant)
    assert client.post(f"/dashboard/stores/{salon.pk}/hours/", hours_form()).status_code == 404
    assert OpeningHours.objects.count() == 0


def test_a_service_duration_is_set_in_the_product_form_of_a_bookings_store(client, merchant, salon, store):
    service = ProductFactory(store=salon, name="Braids")
    shop_product = ProductFactory(store=store, name="Bag")
    client.force_login(merchant)
    form = {
        "name": "Braids",
        "price": "15000",
        "stock_quantity": "",
        "is_active": "on",
        "duration_minutes": "90",
    }

    saved = client.post(f"/dashboard/products/{service.pk}/", form)
    too_short = client.post(f"/dashboard/products/{service.pk}/", {**form, "duration_minutes": "3"})
    shop_page = client.get(f"/dashboard/products/{shop_product.pk}/").content.decode()

    assert saved.status_code == 302
    assert ServiceDuration.objects.get(product=service).minutes == 90
    assert too_short.status_code == 400
    assert "Ensure this value is greater than or equal to 5." in too_short.content.decode()
    assert ServiceDuration.objects.get(product=service).minutes == 90
    assert 'name="duration_minutes"' not in shop_page
    assert "1 h 30 min" in client.get(f"/{salon.username}").content.decode()
