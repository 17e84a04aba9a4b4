"""The Monnify simulator against Monnify's documented shapes, not against our client.

The expected shapes are written out here from the integration facts (Monnify's docs, the
TeamApt wiki and the official SDKs' samples: envelope, auth, init-transaction, bank-transfer
init-payment, transaction status and query, name enquiry, banks, single transfer and its
summary, refunds, webhooks and their signature). The requests are plain HTTP, so a field
our client and the simulator both got wrong still fails here.
"""

import base64
import json
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
import requests

from payments.simulator import MonnifySimulator

# --- shape language: a dict of field -> expected type; nested dicts are nested shapes --------

STR, INT, BOOL = str, int, bool
NUMBER = "number"  # a JSON number (Monnify's amounts in most bodies)
AMOUNT = "amount"  # a number or a numeric string: Monnify mixes both, even in one payload
NULL = type(None)

DOTTED = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$")  # 2021-11-17 11:28:42.615
SLASHED = re.compile(r"^\d\d/\d\d/\d{4} \d{1,2}:\d\d:\d\d [AP]M$")  # 17/03/2021 3:23:32 AM
ISO_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$")  # ...T14:13:38.140+0000
REQUEST_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?$")  # 2019-09-15T21:36:58.16
MNFY_REFERENCE = re.compile(r"^MNFY\|(\d+\|)?\d{14}\|\d{6}$")
MFDS_REFERENCE = re.compile(r"^MFDS(\|\d{14}\|\d{6}|\w+)$")
NUBAN = re.compile(r"^\d{10}$")

AUTH = {"accessToken": STR, "expiresIn": INT}
INIT_TRANSACTION = {
    "transactionReference": MNFY_REFERENCE,
    "paymentReference": STR,
    "merchantName": STR,
    "apiKey": STR,
    "enabledPaymentMethod": [STR],  # singular name, a list
    "checkoutUrl": STR,
}
INIT_PAYMENT = {
    "accountNumber": NUBAN,
    "accountName": STR,
    "bankName": STR,
    "bankCode": (INT, STR),  # 101 as a number in the sample, strings elsewhere
    "accountDurationSeconds": INT,
    "ussdPayment": (STR, NULL),
    "requestTime": REQUEST_TIME,
    "transactionReference": MNFY_REFERENCE,
    "paymentReference": STR,
    "amount": NUMBER,
    "fee": NUMBER,
    "totalPayable": NUMBER,
}
PAYMENT_STATUSES = {
    "PAID",
    "OVERPAID",
    "PARTIALLY_PAID",
    "PENDING",
    "ABANDONED",
    "CANCELLED",
    "FAILED",
    "REVERSED",
    "EXPIRED",
    "UNDERPAID",
    "REFUNDED",
}
ACCOUNT_PAYMENT = {"accountName": STR, "accountNumber": STR, "bankCode": STR, "amountPaid": AMOUNT}
TRANSACTION_STATUS = {
    "transactionReference": MNFY_REFERENCE,
    "paymentReference": STR,
    "amountPaid": AMOUNT,
    "totalPayable": AMOUNT,
    "settlementAmount": AMOUNT,
    "paidOn": SLASHED,
    "paymentStatus": PAYMENT_STATUSES,
    "paymentDescription": STR,
    "currency": STR,
    "paymentMethod": STR,
    "product": {"type": STR, "reference": STR},
    "cardDetails": (dict, NULL),
    "accountDetails": ACCOUNT_PAYMENT,
    "accountPayments": [ACCOUNT_PAYMENT],
    "customer": {"email": STR, "name": STR},
    "metaData": dict,
}
NAME_ENQUIRY = {"accountNumber": NUBAN, "accountName": STR, "bankCode": STR}
BANK = {"name": STR, "code": STR, "ussdTemplate": (STR, NULL), "baseUssdCode": (STR, NULL)}
BANK["transferUssdTemplate"] = (STR, NULL)
TRANSFER_STATUSES = {
    "PENDING",
    "AWAITING_PROCESSING",
    "IN_PROGRESS",
    "PENDING_AUTHORIZATION",
    "PENDING_BATCH_AUTHORIZATION",
    "OTP_EMAIL_DISPATCH_FAILED",
    "SUCCESS",
    "COMPLETED",
    "FAILED",
    "REVERSED",
    "EXPIRED",
}
TRANSFER = {
    "amount": NUMBER,
    "reference": STR,
    "status": TRANSFER_STATUSES,
    "dateCreated": ISO_OFFSET,
    "totalFee": NUMBER,
    "destinationAccountName": STR,
    "destinationBankName": STR,
    "destinationAccountNumber": NUBAN,
    "destinationBankCode": STR,
}
TRANSFER_SUMMARY = {
    "amount": NUMBER,
    "reference": STR,
    "narration": STR,
    "currency": STR,
    "fee": NUMBER,
    "twoFaEnabled": BOOL,
    "status": TRANSFER_STATUSES,
    "transactionDescription": STR,
    "transactionReference": MFDS_REFERENCE,
    "destinationBankCode": STR,
    "destinationAccountNumber": NUBAN,
    "destinationAccountName": STR,
    "destinationBankName": STR,
    "createdOn": SLASHED,
}
REFUND = {
    "refundReference": STR,
    "transactionReference": MNFY_REFERENCE,
    "refundReason": STR,
    "customerNote": STR,
    "refundAmount": NUMBER,
    "refundStatus": {"IN_PROGRESS", "FAILED", "COMPLETED"},
    "refundType": {"FULL_REFUND", "PARTIAL_REFUND"},
    "createdOn": STR,
    "completedOn": STR,
    "comment": STR,
}
TRANSACTION_EVENT = {
    "product": {"reference": STR, "type": STR},
    "transactionReference": MNFY_REFERENCE,
    "paymentReference": STR,
    "paidOn": DOTTED,
    "paymentDescription": STR,
    "metaData": dict,
    "paymentSourceInformation": (list, dict),
    "destinationAccountInformation": {"bankCode": STR, "bankName": STR, "accountNumber": STR},
    "amountPaid": NUMBER,
    "totalPayable": NUMBER,
    "cardDetails": dict,
    "paymentMethod": STR,
    "currency": STR,
    "settlementAmount": AMOUNT,
    "paymentStatus": PAYMENT_STATUSES,
    "customer": {"name": STR, "email": STR},
}
SOURCE_INFORMATION = {
    "bankCode": STR,
    "amountPaid": NUMBER,
    "accountName": STR,
    "sessionId": STR,
    "accountNumber": STR,
}
DISBURSEMENT_EVENT = {
    "amount": NUMBER,
    "transactionReference": MFDS_REFERENCE,
    "fee": NUMBER,
    "transactionDescription": STR,
    "destinationAccountNumber": NUBAN,
    "sessionId": STR,
    "createdOn": SLASHED,
    "destinationAccountName": STR,
    "reference": STR,
    "destinationBankCode": STR,
    "completedOn": SLASHED,
    "narration": STR,
    "currency": STR,
    "destinationBankName": STR,
    "status": STR,
}
REFUND_EVENT = {
    "merchantReason": STR,
    "transactionReference": MNFY_REFERENCE,
    "completedOn": SLASHED,
    "refundStatus": {"COMPLETED", "FAILED"},
    "customerNote": STR,
    "createdOn": SLASHED,
    "refundReference": STR,
    "refundAmount": NUMBER,
}


def problems(value, shape, path="body") -> list[str]:
    """Where `value` departs from `shape` (documented fields must be there; extra ones may be)."""
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {value!r}"]
        found = []
        for field, expected in shape.items():
            if field not in value:
                found.append(f"{path}.{field}: missing")
            else:
                found += problems(value[field], expected, f"{path}.{field}")
        return found
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {value!r}"]
        return [
            problem
            for index, item in enumerate(value)
            for problem in problems(item, shape[0], f"{path}[{index}]")
        ]
    if isinstance(shape, tuple):
        if any(not problems(value, option, path) for option in shape):
            return []
        return [f"{path}: {value!r} is none of {shape}"]
    if isinstance(shape, set):
        return [] if value in shape else [f"{path}: {value!r} is not one of {sorted(shape)}"]
    if isinstance(shape, re.Pattern):
        ok = isinstance(value, str) and shape.fullmatch(value)
        return [] if ok else [f"{path}: {value!r} does not match {shape.pattern}"]
    if shape == NUMBER:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{path}: {value!r} is not a JSON number"]
    if shape == AMOUNT:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return []
        ok = isinstance(value, str) and re.fullmatch(r"\d+(\.\d{1,2})?", value)
        return [] if ok else [f"{path}: {value!r} is not an amount"]
    if shape is INT:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{path}: {value!r} is not an integer"]
    return [] if isinstance(value, shape) else [f"{path}: {value!r} is not {shape.__name__}"]


def test_the_shape_checker_itself_finds_departures():
    assert problems({"a": "1"}, {"a": INT, "b": STR}) == ["body.a: '1' is not an integer", "body.b: missing"]
    assert problems({"n": True}, {"n": NUMBER}) == ["body.n: True is not a JSON number"]
    assert problems({"s": "PAYD"}, {"s": {"PAID"}}) == ["body.s: 'PAYD' is not one of ['PAID']"]
    assert problems([{"x": 1}], [{"x": STR}]) == ["body[0].x: 1 is not str"]
    assert problems({"d": "17/03/2021 3:23:32 AM"}, {"d": SLASHED}) == []


# --- talking to the simulator over plain HTTP ------------------------------------------------


class Raw:
    """Monnify's API the way its docs describe it: Basic login, then Bearer calls."""

    def __init__(self, simulator: MonnifySimulator):
        self.simulator = simulator
        self.token = None

    def login(self) -> requests.Response:
        basic = base64.b64encode(f"{self.simulator.api_key}:{self.simulator.secret_key}".encode()).decode()
        response = requests.post(
            f"{self.simulator.url}/api/v1/auth/login",
            json={},
            headers={"Authorization": f"Basic {basic}"},
            timeout=5,
        )
        self.token = response.json()["responseBody"]["accessToken"]
        return response

    def call(self, method: str, path: str, body: dict | None = None) -> requests.Response:
        if self.token is None:
            self.login()
        return requests.request(
            method,
            f"{self.simulator.url}{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=5,
        )


def ok_body(response: requests.Response):
    """The success envelope, exactly; gives back responseBody."""
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    envelope = response.json()
    assert set(envelope) == {"requestSuccessful", "responseMessage", "responseCode", "responseBody"}
    assert envelope["requestSuccessful"] is True
    assert envelope["responseMessage"] == "success"
    assert envelope["responseCode"] == "0"  # a string, not the number 0
    return envelope["responseBody"]


def assert_error_envelope(response: requests.Response, status: int):
    assert response.status_code == status
    envelope = response.json()
    assert set(envelope) == {"requestSuccessful", "responseMessage", "responseCode"}  # no responseBody
    assert envelope["requestSuccessful"] is False
    assert isinstance(envelope["responseMessage"], str) and envelope["responseMessage"]
    assert isinstance(envelope["responseCode"], str)


@pytest.fixture
def raw(monnify):
    return Raw(monnify)


def init_transaction(raw, reference="AGM-CONTRACT-1", amount=2500):
    return raw.call(
        "POST",
        "/api/v1/merchant/transactions/init-transaction",
        {
            "amount": amount,
            "customerName": "Ada Okafor",
            "customerEmail": "ada@example.com",
            "paymentReference": reference,
            "paymentDescription": "Mama Put Kitchen",
            "currencyCode": "NGN",
            "contractCode": raw.simulator.contract_code,
            "metaData": {"order": "AGM-1"},
        },
    )


def test_auth_login(raw):
    body = ok_body(raw.login())
    assert problems(body, AUTH) == []
    assert body["expiresIn"] == 3599


def test_auth_refusals_are_401_error_envelopes(raw, monnify):
    wrong = base64.b64encode(f"{monnify.api_key}:wrong".encode()).decode()
    response = requests.post(
        f"{monnify.url}/api/v1/auth/login", json={}, headers={"Authorization": f"Basic {wrong}"}, timeout=5
    )
    assert_error_envelope(response, 401)
    raw.token = "eyJnot-a-token"
    assert_error_envelope(raw.call("GET", "/api/v1/banks"), 401)


def test_init_transaction_and_bank_transfer(raw):
    created = ok_body(init_transaction(raw))
    assert problems(created, INIT_TRANSACTION) == []
    assert created["paymentReference"] == "AGM-CONTRACT-1"
    assert created["checkoutUrl"].endswith(created["transactionReference"])

    account = ok_body(
        raw.call(
            "POST",
            "/api/v1/merchant/bank-transfer/init-payment",
            {"transactionReference": created["transactionReference"], "bankCode": "058"},
        )
    )
    assert problems(account, INIT_PAYMENT) == []
    assert account["accountDurationSeconds"] == 2400  # the documented 40 minutes
    assert account["ussdPayment"] == f"*737*1*2500*{account['accountNumber']}#"
    assert (account["amount"], account["transactionReference"]) == (2500, created["transactionReference"])


def test_duplicate_payment_reference_is_an_error_envelope(raw):
    ok_body(init_transaction(raw))
    assert_error_envelope(init_transaction(raw), 400)


def test_transaction_status_v2_and_query_by_either_reference(raw, monnify):
    created = ok_body(init_transaction(raw, amount=2500.5))
    reference = created["transactionReference"]
    monnify.pay(reference)
    by_path = ok_body(raw.call("GET", f"/api/v2/transactions/{quote(reference, safe='')}"))
    assert problems(by_path, TRANSACTION_STATUS) == []
    assert (by_path["paymentStatus"], by_path["currency"]) == ("PAID", "NGN")
    assert Decimal(str(by_path["amountPaid"])) == Decimal("2500.50")
    assert by_path["product"] == {"type": "WEB_SDK", "reference": "AGM-CONTRACT-1"}
    by_payment_reference = ok_body(
        raw.call("GET", "/api/v2/merchant/transactions/query?paymentReference=AGM-CONTRACT-1")
    )
    by_transaction_reference = ok_body(
        raw.call(
            "GET", f"/api/v2/merchant/transactions/query?transactionReference={quote(reference, safe='')}"
        )
    )
    assert by_payment_reference == by_path == by_transaction_reference


def test_unknown_transaction_is_a_404_error_envelope(raw):
    assert_error_envelope(raw.call("GET", f"/api/v2/transactions/{quote('MNFY|20200101000000|000001')}"), 404)


def test_banks_and_name_enquiry(raw):
    banks = ok_body(raw.call("GET", "/api/v1/banks"))
    assert problems(banks, [BANK]) == []
    assert {"name": "Coronation Bank", "code": "559"}.items() <= banks[-1].items()
    found = ok_body(
        raw.call("GET", "/api/v1/disbursements/account/validate?accountNumber=0123456789&bankCode=058")
    )
    assert problems(found, NAME_ENQUIRY) == []
    assert found["accountName"] == "ADAEZE OKAFOR"
    assert_error_envelope(
        raw.call("GET", "/api/v1/disbursements/account/validate?accountNumber=0000000000&bankCode=058"), 400
    )


def transfer(raw, reference="AGM-PO-1", amount=20):
    return raw.call(
        "POST",
        "/api/v2/disbursements/single",
        {
            "amount": amount,
            "reference": reference,
            "narration": "Payout",
            "destinationBankCode": "057",
            "destinationAccountNumber": "2085096393",
            "destinationAccountName": "MARVELOUS BENJI",
            "currency": "NGN",
            "sourceAccountNumber": raw.simulator.wallet_account_number,
        },
    )


def test_single_transfer_and_its_summary(raw):
    sent = ok_body(transfer(raw))
    assert problems(sent, TRANSFER | {"sessionId": STR}) == []
    assert sent["status"] == "SUCCESS"
    summary = ok_body(raw.call("GET", "/api/v2/disbursements/single/summary?reference=AGM-PO-1"))
    assert problems(summary, TRANSFER_SUMMARY) == []
    assert (summary["status"], summary["twoFaEnabled"], summary["currency"]) == ("SUCCESS", False, "NGN")


def test_transfer_with_two_factor_waits_for_the_otp_without_a_session_id(raw, monnify):
    monnify.two_factor = True
    sent = ok_body(transfer(raw))
    assert problems(sent, TRANSFER) == []
    assert sent["status"] == "PENDING_AUTHORIZATION"
    assert "sessionId" not in sent
    done = ok_body(
        raw.call(
            "POST",
            "/api/v2/disbursements/single/validate-otp",
            {"reference": "AGM-PO-1", "authorizationCode": monnify.otp_for("AGM-PO-1")},
        )
    )
    assert done["status"] == "SUCCESS"


def test_a_failed_transfer_is_http_200_with_status_failed_and_a_comment(raw, monnify):
    monnify.wallet_balance = Decimal("10")
    sent = ok_body(transfer(raw))
    assert problems(sent, TRANSFER | {"comment": STR}) == []
    assert sent["status"] == "FAILED"
    assert sent["comment"].startswith("You do not have sufficient balance")


def test_refund_initiate_and_status(raw, monnify):
    reference = ok_body(init_transaction(raw))["transactionReference"]
    monnify.pay(reference)
    started = ok_body(
        raw.call(
            "POST",
            "/api/v1/refunds/initiate-refund",
            {
                "transactionReference": reference,
                "refundReference": "AGM-RF-1",
                "refundAmount": 1200,
                "refundReason": "Order was cancelled",
                "customerNote": "Refund-orderJ111",
                "currencyCode": "NGN",
            },
        )
    )
    assert problems(started, REFUND) == []
    assert (started["refundStatus"], started["refundType"], started["completedOn"]) == (
        "IN_PROGRESS",
        "PARTIAL_REFUND",
        "",
    )
    assert ok_body(raw.call("GET", "/api/v1/refunds/AGM-RF-1")) == started


def test_refund_error_codes(raw, monnify):
    def refund(reference, amount):
        return raw.call(
            "POST",
            "/api/v1/refunds/initiate-refund",
            {
                "transactionReference": reference,
                "refundReference": f"AGM-RF-{amount}",
                "refundAmount": amount,
                "refundReason": "r",
            },
        )

    assert refund("MNFY|20200101000000|000001", 100).json()["responseCode"] == "R1"
    reference = ok_body(init_transaction(raw))["transactionReference"]
    assert refund(reference, 100).json()["responseCode"] == "R2"  # nothing paid yet
    monnify.pay(reference)
    assert refund(reference, 2501).json()["responseCode"] == "R3"
    assert refund(reference, 9).json()["responseCode"] == "R4"


def webhook(simulator, event) -> dict:
    """The event as posted: the signed bytes, decoded."""
    body, headers = simulator.webhook_request(event)
    assert headers["Content-Type"] == "application/json"
    assert headers["monnify-signature"] == simulator.sign(body)
    return json.loads(body)


def test_transaction_webhook(raw, monnify):
    reference = ok_body(init_transaction(raw))["transactionReference"]
    monnify.pay(reference)
    event = webhook(monnify, monnify.transaction_event(reference))
    assert set(event) == {"eventType", "eventData"}
    assert event["eventType"] == "SUCCESSFUL_TRANSACTION"
    assert problems(event["eventData"], TRANSACTION_EVENT) == []
    assert problems(event["eventData"]["paymentSourceInformation"], [SOURCE_INFORMATION]) == []
    assert event["eventData"]["product"] == {"reference": "AGM-CONTRACT-1", "type": "WEB_SDK"}


@pytest.mark.parametrize(
    ("outcome", "event_type"),
    [
        ("SUCCESS", "SUCCESSFUL_DISBURSEMENT"),
        ("FAILED", "FAILED_DISBURSEMENT"),
        ("REVERSED", "REVERSED_DISBURSEMENT"),
    ],
)
def test_disbursement_webhooks(raw, monnify, outcome, event_type):
    monnify.transfer_outcome = "PENDING"
    ok_body(transfer(raw))
    monnify.settle_transfer("AGM-PO-1", outcome)
    event = webhook(monnify, monnify.disbursement_event("AGM-PO-1"))
    assert event["eventType"] == event_type
    assert problems(event["eventData"], DISBURSEMENT_EVENT) == []
    assert event["eventData"]["reference"] == "AGM-PO-1"
    assert (event["eventData"]["sessionId"] == "") is (outcome != "SUCCESS")


@pytest.mark.parametrize(
    ("outcome", "event_type"), [("COMPLETED", "SUCCESSFUL_REFUND"), ("FAILED", "FAILED_REFUND")]
)
def test_refund_webhooks(raw, monnify, outcome, event_type):
    reference = ok_body(init_transaction(raw))["transactionReference"]
    monnify.pay(reference)
    ok_body(
        raw.call(
            "POST",
            "/api/v1/refunds/initiate-refund",
            {
                "transactionReference": reference,
                "refundReference": "AGM-RF-1",
                "refundReason": "defective goods",
            },
        )
    )
    monnify.settle_refund("AGM-RF-1", outcome)
    event = webhook(monnify, monnify.refund_event("AGM-RF-1"))
    assert event["eventType"] == event_type
    assert problems(event["eventData"], REFUND_EVENT) == []
    assert event["eventData"]["refundStatus"] == outcome


def test_signature_matches_the_documented_test_vector():
    """HMAC-SHA512 over the raw bytes with the secret key, lowercase hex (integration facts §2.3)."""
    body = (
        b'{"eventData":{"product":{"reference":"111222333","type":"OFFLINE_PAYMENT_AGENT"},'
        b'"transactionReference":"MNFY|76|20211117154810|000001","paymentReference":"0.01462001097368737",'
        b'"paidOn":"17/11/2021 3:48:10 PM","paymentDescription":"Mockaroo Jesse","metaData":{},'
        b'"destinationAccountInformation":{},"paymentSourceInformation":{},"amountPaid":78000,'
        b'"totalPayable":78000,"offlineProductInformation":{"code":"41470","type":"DYNAMIC"},'
        b'"cardDetails":{},"paymentMethod":"CASH","currency":"NGN","settlementAmount":77600,'
        b'"paymentStatus":"PAID","customer":{"name":"Mockaroo Jesse",'
        b'"email":"111222333@ZZAMZ4WT4Y3E.monnify"}},"eventType":"SUCCESSFUL_TRANSACTION"}'
    )
    simulator = MonnifySimulator(secret_key="91MUDL9N6U3BQRXBQ2PJ9M0PW4J22M1Y")
    assert simulator.sign(body) == (
        "f04fb635e04d71648bd3cc7999003da6861483342c856d05ddfa9b2dafacb873"
        "b0de1d0f8f67405d0010b4348b721c49fa171d317972618debba6b638aedcd3c"
    )
