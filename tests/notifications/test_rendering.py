import pytest

from notifications.rendering import render_email, render_sms, sms_segments
from tests.factories import StoreFactory


def test_otp_sms_fits_one_gsm7_segment_with_a_long_site_name(settings):
    settings.SITE_NAME = "AGM Store Builder Nigeria"

    text = render_sms("otp", {"code": "48291376", "expires_minutes": 10})

    assert text == (
        "48291376 is your AGM Store Builder Nigeria code. It expires in 10 min. Never share it with anyone."
    )
    assert len(text) <= 160
    assert sms_segments(text) == 1


@pytest.mark.parametrize(
    ("text", "segments"),
    [("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3), ("[" * 80, 1), ("[" * 81, 2)],
)
def test_gsm7_segments(text, segments):
    assert sms_segments(text) == segments


def test_a_character_outside_gsm7_costs_a_ucs2_segment():
    assert sms_segments("Pay ₦5,000") == 1
    assert sms_segments("₦" * 71) == 2


@pytest.mark.django_db
def test_text_parts_are_not_html_escaped_and_html_parts_are():
    store = StoreFactory(display_name="Tola & Sons <Bakery>")

    email = render_email("otp", {"code": "123456", "store": store})

    assert "Tola & Sons <Bakery> runs its shop on AGM Store Builder" in email.text
    assert "Tola &amp; Sons &lt;Bakery&gt;" in email.html
    assert "<Bakery>" not in email.html
    assert email.from_name == "Tola & Sons <Bakery> via AGM Store Builder"


def test_welcome_email_has_subject_text_and_html_in_the_shared_layout():
    email = render_email("welcome", {"name": "Ada"})

    assert email.subject == "Welcome to AGM Store Builder, Ada"
    assert email.text.startswith("AGM Store Builder\n")
    assert "Open your dashboard: http://127.0.0.1:8000/dashboard/" in email.text
    assert 'href="http://127.0.0.1:8000/dashboard/"' in email.html
    assert "online stores for Nigerian businesses" in email.html
    assert email.from_name == ""


def test_an_unsafe_store_colour_falls_back_to_the_platform_colour():
    class Store:
        display_name = "X"
        logo_url = None
        custom_colors = {"primary": "red;background:url(evil)"}

    assert "red;background" not in render_email("otp", {"code": "1", "store": Store()}).html
