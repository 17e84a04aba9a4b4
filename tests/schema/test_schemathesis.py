"""The API against its own OpenAPI schema (issue 12, finding 5), with schemathesis.

Every operation of /api/schema is called through the WSGI app, on the test database, with
generated data, anonymously and with a merchant's token; any 5xx, undocumented status code,
wrong content type or body that does not match its documented schema fails. Examples per
operation are few and the seed is fixed (derandomize), so a run is deterministic and takes a
few minutes on two cores; raise SCHEMATHESIS_MAX_EXAMPLES to dig deeper.
"""

import os
from decimal import Decimal as D

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework_simplejwt.tokens import AccessToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import ProductFactory, StoreFactory, UserFactory

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Each operation runs in one rolled-back transaction: a request whose input reached the database
# as an error would break it, and the next request would answer 500 (as it should fail).
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app is called directly, not through Django's test client: like the client, keep
    Django from closing the database connection (and the test's transaction) after each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def identities(db):
    """Nobody, and a merchant with a store and a product for the generated calls to find."""
    merchant = UserFactory(email="schema@example.com")
    store = StoreFactory(user=merchant, username="schemastore")
    ProductFactory(store=store, name="Ankara fabric", price=D("4500.00"), stock_quantity=50)
    return {"anonymous": {}, "merchant": {"Authorization": f"Bearer {AccessToken.for_user(merchant)}"}}


# Loaded at collection through the WSGI app: generating the schema reads no table.
schema = schemathesis.openapi.from_wsgi("/api/schema", get_wsgi_application())


HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    # generated cases only: the explicit phase would add schemathesis' coverage cases, hundreds
    # per operation (minutes each on two cores); shrinking only polishes a failure's example
    phases=[Phase.generate],
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_answers_anonymously_as_its_schema_says(case, identities):
    case.call_and_validate(headers=identities["anonymous"], checks=CHECKS)


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_answers_a_merchant_as_its_schema_says(case, identities):
    case.call_and_validate(headers=identities["merchant"], checks=CHECKS)
