"""Our Termii client against the local Termii fake: what it sends and how it reads answers."""

import pytest

from notifications.termii import TermiiClient, TermiiRejected, TermiiTemporaryError
from tests.fakes.recording_server import Answer
from tests.fakes.termii import API_KEY, FakeTermii


@pytest.fixture
def termii():
    fake = FakeTermii().start()
    yield fake
    fake.stop()


def client(fake, **overrides):
    fields = {"base_url": fake.url + "/", "api_key": API_KEY, "sender_id": "AGM Store", "timeout": 0.5}
    fields.update(overrides)
    return TermiiClient(**fields)


def test_sends_the_documented_body_and_returns_the_message_id(termii):
    message_id = client(termii, channel="dnd").send_sms(to="+2348031234567", text="Hello")

    assert message_id == "9122821270554876574"
    [request] = termii.requests
    assert request.path == "/api/sms/send"
    assert request.headers["Content-Type"] == "application/json"
    assert "Authorization" not in request.headers
    assert request.json() == {
        "api_key": API_KEY,
        "to": "2348031234567",
        "from": "AGM Store",
        "sms": "Hello",
        "type": "plain",
        "channel": "dnd",
    }


def test_a_wrong_key_is_rejected_not_retried(termii):
    with pytest.raises(TermiiRejected, match=r"Termii refused the message \(401\): Invalid API key") as error:
        client(termii, api_key="wrong").send_sms(to="+2348031234567", text="Hello")

    assert error.value.status_code == 401


def test_a_2xx_without_a_message_id_is_not_taken_for_success(termii):
    termii.answer = lambda request: Answer(200, {"message": "Your account is not active"})

    with pytest.raises(TermiiRejected, match="Termii did not accept the message: Your account is not active"):
        client(termii).send_sms(to="+2348031234567", text="Hello")


def test_an_old_style_success_body_without_code_is_accepted(termii):
    termii.answer = lambda request: Answer(
        200, {"message_id": 123, "message": "Successfully Sent", "balance": 9, "user": "Peter"}
    )

    assert client(termii).send_sms(to="+2348031234567", text="Hello") == "123"


def test_a_non_json_5xx_is_temporary(termii):
    termii.answer = lambda request: Answer(502, None)

    with pytest.raises(TermiiTemporaryError, match="Termii error 502") as error:
        client(termii).send_sms(to="+2348031234567", text="Hello")

    assert error.value.status_code == 502


def test_a_slow_termii_is_a_temporary_timeout(termii):
    termii.delay = 1.0

    with pytest.raises(TermiiTemporaryError, match=r"Termii did not answer within 0.5s"):
        client(termii).send_sms(to="+2348031234567", text="Hello")
