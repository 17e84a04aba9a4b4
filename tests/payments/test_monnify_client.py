from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import requests
from django.core.cache import cache

from payments.monnify import (
    MonnifyAuthError,
    MonnifyClient,
    MonnifyDuplicate,
    MonnifyRequestError,
    MonnifyUnavailable,
    encode_json,
    monnify_client,
    parse_amount,
    parse_datetime,
)
from tests.waiting import wait_until

LAGOS = ZoneInfo("Africa/Lagos")


@pytest.fixture
def client(monnify):
    client = monnify_client()
    client.backoff_seconds = 0.01
    return client


def _transaction(client, reference="ref-1", amount=Decimal("2500.50")):
    return client.init_transaction(
        amount=amount,
        customer_name="Ada Okafor",
        customer_email="ada@example.com",
        payment_reference=reference,
        payment_description="Mama Put Kitchen",
    )


def test_login_once_and_token_cached_across_clients(client, monnify):
    _transaction(client)
    monnify_client().list_banks()
    assert monnify.logins == 1
    assert cache.get(client.token_cache_key) is not None


def test_short_lived_token_is_not_cached(client, monnify):
    monnify.token_ttl = 499
    client.list_banks()
    client.list_banks()
    assert monnify.logins == 2
    assert cache.get(client.token_cache_key) is None


def test_token_expiry_mid_run_logs_in_again_once(client, monnify):
    _transaction(client)
    monnify.expire_tokens()
    body = client.get_transaction_status_v2(monnify.transaction("ref-1")["transactionReference"])
    assert body["paymentStatus"] == "PENDING"
    assert monnify.logins == 2


def test_wrong_keys_raise_auth_error(monnify, settings):
    settings.MONNIFY_SECRET_KEY = "wrong"
    with pytest.raises(MonnifyAuthError):
        monnify_client().list_banks()


def test_get_retries_on_5xx_then_succeeds(client, monnify):
    client.list_banks()
    monnify.fail_next(2, status=502, path="/api/v1/banks")
    banks = client.list_banks()
    assert banks[0]["code"] == "044"
    assert monnify.count("GET", "/api/v1/banks") == 4


def test_get_gives_up_after_three_attempts(client, monnify):
    client.list_banks()
    monnify.fail_next(3, status=503, path="/api/v1/banks")
    with pytest.raises(MonnifyUnavailable):
        client.list_banks()
    assert monnify.count("GET", "/api/v1/banks") == 4


def test_post_is_not_retried_on_5xx(client, monnify):
    client.list_banks()
    monnify.fail_next(1, status=500, path="/api/v1/merchant/transactions/init-transaction")
    with pytest.raises(MonnifyUnavailable):
        _transaction(client)
    assert monnify.count("POST", "/api/v1/merchant/transactions/init-transaction") == 1
    assert monnify.transactions == {}


def test_connection_refused_is_unavailable(client, monnify):
    monnify.stop()
    with pytest.raises(MonnifyUnavailable):
        client.list_banks()


def test_timeout_is_unavailable(monnify):
    client = monnify_client()
    client.config = client.config.__class__(**{**client.config.__dict__, "timeout": 0.2})
    client.backoff_seconds = 0.01
    client.list_banks()
    monnify.delay_seconds = 0.5
    with pytest.raises(MonnifyUnavailable):
        client.list_banks()
    # The simulator records a request once it has answered it, after the client gave up.
    wait_until(
        lambda: monnify.count("GET", "/api/v1/banks") >= 4,
        timeout=10,
        message=lambda: f"{monnify.count('GET', '/api/v1/banks')} of 4 requests answered",
    )
    monnify.wait_idle()
    assert monnify.count("GET", "/api/v1/banks") == 4


def test_envelope_error_is_typed_with_code_and_message(client, monnify):
    _transaction(client)
    with pytest.raises(MonnifyRequestError) as raised:
        _transaction(client)
    assert raised.value.status == 400
    assert raised.value.response_code == "99"
    assert raised.value.message == "Duplicate payment reference ref-1"


def test_request_successful_false_with_http_200_is_an_error(client, monnify):
    class Falsey(requests.Session):
        def request(self, *args, **kwargs):
            response = super().request(*args, **kwargs)
            if "/banks" in args[1]:
                response._content = (
                    b'{"requestSuccessful":false,"responseMessage":"nope","responseCode":"99"}'
                )
            return response

    client = MonnifyClient(client.config, session=Falsey())
    with pytest.raises(MonnifyRequestError) as raised:
        client.list_banks()
    assert (raised.value.status, raised.value.response_code, raised.value.message) == (200, "99", "nope")


def test_duplicate_transfer_raises_d07(client, monnify):
    details = {
        "amount": Decimal("20.00"),
        "narration": "Payout",
        "bank_code": "057",
        "account_number": "2085096393",
        "account_name": "MARVELOUS BENJI",
    }
    assert client.single_transfer(reference="p-1", **details)["status"] == "SUCCESS"
    with pytest.raises(MonnifyDuplicate) as raised:
        client.single_transfer(reference="p-2", **details)
    assert raised.value.response_code == "D07"


def test_transaction_reference_is_url_encoded_and_amounts_are_decimal(client, monnify):
    created = _transaction(client, amount=Decimal("2500.5"))
    assert "|" in created["transactionReference"]
    account = client.init_bank_transfer(transaction_reference=created["transactionReference"])
    assert account["bankCode"] == "101"
    assert account["accountDurationSeconds"] == 2400
    assert account["amount"] == Decimal("2500.5")
    monnify.pay(created["transactionReference"])
    status = client.get_transaction_status_v2(created["transactionReference"])
    assert status["amountPaid"] == Decimal("2500.50")
    assert status["paymentStatus"] == "PAID"
    encoded = created["transactionReference"].replace("|", "%7C")
    assert ("GET", f"/api/v2/transactions/{encoded}") in monnify.requests
    assert monnify.logins == 1
    by_payment = client.query_by_payment_reference("ref-1")
    assert by_payment["transactionReference"] == created["transactionReference"]


def test_amounts_are_sent_as_numbers_with_two_decimals():
    assert encode_json({"amount": Decimal("100"), "n": "x"}) == b'{"amount":100.00,"n":"x"}'
    assert encode_json({"a": [Decimal("0.5")]}) == b'{"a":[0.50]}'


def test_name_enquiry_and_banks(client, monnify):
    assert client.validate_account(account_number="0123456789", bank_code="058") == {
        "accountNumber": "0123456789",
        "accountName": "ADAEZE OKAFOR",
        "bankCode": "058",
        "bankName": "GTBank",
    }
    with pytest.raises(MonnifyRequestError):
        client.validate_account(account_number="0000000000", bank_code="058")


def test_transfer_with_two_factor_then_otp(client, monnify):
    monnify.two_factor = True
    first = client.single_transfer(
        amount=Decimal("1500.00"),
        reference="payout-1",
        narration="Payout",
        bank_code="058",
        account_number="0123456789",
        account_name="ADAEZE OKAFOR",
    )
    assert first["status"] == "PENDING_AUTHORIZATION"
    assert "sessionId" not in first
    with pytest.raises(MonnifyRequestError):
        client.authorize_transfer(reference="payout-1", otp="00000000x")
    done = client.authorize_transfer(reference="payout-1", otp=monnify.otp_for("payout-1"))
    assert done["status"] == "SUCCESS"
    assert client.transfer_summary("payout-1")["amount"] == Decimal("1500")


def test_refund_round_trip(client, monnify):
    created = _transaction(client)
    monnify.pay(created["transactionReference"])
    refund = client.initiate_refund(
        transaction_reference=created["transactionReference"],
        refund_reference="rf|1",
        amount=Decimal("1000.00"),
        reason="Order was cancelled",
        customer_note="Refund ref-1",
    )
    assert (refund["refundStatus"], refund["refundType"]) == ("IN_PROGRESS", "PARTIAL_REFUND")
    monnify.settle_refund("rf|1")
    assert client.refund_status("rf|1")["refundStatus"] == "COMPLETED"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-11-17 11:28:42.615", datetime(2021, 11, 17, 11, 28, 42, 615000, tzinfo=LAGOS)),
        ("17/11/2021 3:48:10 PM", datetime(2021, 11, 17, 15, 48, 10, tzinfo=LAGOS)),
        ("26/02/2020 09:38:13 AM", datetime(2020, 2, 26, 9, 38, 13, tzinfo=LAGOS)),
        ("2023-04-14 12:04:39.034", datetime(2023, 4, 14, 12, 4, 39, 34000, tzinfo=LAGOS)),
        ("2019-09-15T21:36:58.16", datetime(2019, 9, 15, 21, 36, 58, 160000, tzinfo=LAGOS)),
        ("not a date", None),
    ],
)
def test_lenient_dates(text, expected):
    assert parse_datetime(text) == expected


def test_offset_date():
    parsed = parse_datetime("2022-11-03T14:13:38.140+0000")
    assert parsed.utcoffset().total_seconds() == 0
    assert (parsed.hour, parsed.microsecond) == (14, 140000)


def test_amounts_parse_from_numbers_and_strings():
    assert parse_amount(3000) == Decimal("3000")
    assert parse_amount("2990.00") == Decimal("2990.00")
    assert parse_amount(10.1) == Decimal("10.1")
    assert parse_amount(None) is None


def test_success_envelope_without_the_expected_body_is_an_error(client, monnify):
    class Empty(requests.Session):
        def request(self, *args, **kwargs):
            response = super().request(*args, **kwargs)
            if "init-transaction" in args[1]:
                response._content = (
                    b'{"requestSuccessful":true,"responseMessage":"success","responseCode":"0"}'
                )
            return response

    client = MonnifyClient(client.config, session=Empty())
    with pytest.raises(MonnifyRequestError) as raised:
        _transaction(client)
    assert raised.value.message == "Monnify's answer lacks transactionReference"
