from payments.simulator import MonnifySimulator
from payments.webhooks import compute_signature, signature_is_valid, source_ip_allowed

SECRET = "91MUDL9N6U3BQRXBQ2PJ9M0PW4J22M1Y"
BODY = (
    b'{"eventData":{"product":{"reference":"111222333","type":"OFFLINE_PAYMENT_AGENT"},'
    b'"transactionReference":"MNFY|76|20211117154810|000001","paymentReference":"0.01462001097368737",'
    b'"paidOn":"17/11/2021 3:48:10 PM","paymentDescription":"Mockaroo Jesse","metaData":{},'
    b'"destinationAccountInformation":{},"paymentSourceInformation":{},"amountPaid":78000,'
    b'"totalPayable":78000,"offlineProductInformation":{"code":"41470","type":"DYNAMIC"},"cardDetails":{},'
    b'"paymentMethod":"CASH","currency":"NGN","settlementAmount":77600,"paymentStatus":"PAID",'
    b'"customer":{"name":"Mockaroo Jesse","email":"111222333@ZZAMZ4WT4Y3E.monnify"}},'
    b'"eventType":"SUCCESSFUL_TRANSACTION"}'
)
SIGNATURE = (
    "f04fb635e04d71648bd3cc7999003da6861483342c856d05ddfa9b2dafacb873"
    "b0de1d0f8f67405d0010b4348b721c49fa171d317972618debba6b638aedcd3c"
)


def test_published_test_vector_verifies():
    assert compute_signature(BODY, SECRET) == SIGNATURE
    assert signature_is_valid(BODY, SIGNATURE, SECRET) is True


def test_signature_over_other_bytes_is_refused():
    assert signature_is_valid(BODY.replace(b"78000", b"78001", 1), SIGNATURE, SECRET) is False
    assert signature_is_valid(BODY + b"\n", SIGNATURE, SECRET) is False


def test_missing_or_wrong_key_is_refused():
    assert signature_is_valid(BODY, "", SECRET) is False
    assert signature_is_valid(BODY, None, SECRET) is False
    assert signature_is_valid(BODY, SIGNATURE, "") is False
    assert signature_is_valid(BODY, SIGNATURE, SECRET + "x") is False


def test_simulator_signs_like_monnify():
    simulator = MonnifySimulator(secret_key=SECRET)
    assert simulator.sign(BODY) == SIGNATURE


def test_source_ip_allow_list():
    assert source_ip_allowed("10.0.0.1", []) is True
    assert source_ip_allowed("35.242.133.146", ["35.242.133.146"]) is True
    assert source_ip_allowed("35.242.133.147", ["35.242.133.146"]) is False
    assert source_ip_allowed("35.242.133.147", ["35.242.133.0/24"]) is True
    assert source_ip_allowed("garbage", ["35.242.133.146"]) is False


def test_settings_checks(settings):
    from payments.checks import monnify_settings

    settings.MONNIFY_API_KEY = ""
    assert monnify_settings(None) == []
    settings.MONNIFY_API_KEY = "MK_TEST_ABC"
    settings.MONNIFY_BASE_URL = "https://api.monnify.com"
    settings.MONNIFY_SECRET_KEY = ""
    settings.MONNIFY_CONTRACT_CODE = "12ab"
    assert [problem.id for problem in monnify_settings(None)] == [
        "payments.W001",
        "payments.W002",
        "payments.W003",
    ]
    settings.MONNIFY_BASE_URL = "https://sandbox.monnify.com"
    settings.MONNIFY_SECRET_KEY = "secret"
    settings.MONNIFY_CONTRACT_CODE = "1234567890"
    assert monnify_settings(None) == []
