import pytest

from config.celery import app as celery_app
from tests.fakes.sendgrid import FakeSendGrid
from tests.fakes.termii import FakeTermii


@pytest.fixture
def fake_sendgrid(settings):
    """The real anymail SendGrid backend, pointed at a local fake."""
    fake = FakeSendGrid().start()
    settings.EMAIL_BACKEND = "anymail.backends.sendgrid.EmailBackend"
    settings.ANYMAIL = {
        "SENDGRID_API_KEY": fake.api_key,
        "SENDGRID_API_URL": fake.api_url,
        "REQUESTS_TIMEOUT": 0.5,
    }
    yield fake
    fake.stop()


@pytest.fixture
def fake_termii(settings):
    """Our Termii client through the Termii SMS backend, pointed at a local fake."""
    fake = FakeTermii().start()
    settings.SMS_BACKEND = "notifications.sms.TermiiBackend"
    settings.TERMII_BASE_URL = fake.url
    settings.TERMII_API_KEY = fake.api_key
    settings.TERMII_SENDER_ID = "AGM Store"
    settings.TERMII_TIMEOUT_SECONDS = 0.5
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def _eager_retries():
    """Run Celery retries synchronously in eager mode.

    Celery re-applies a retried eager task only when task errors are not propagated
    (Task.apply); with propagation on, the Retry escapes after the first attempt.
    """
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous
