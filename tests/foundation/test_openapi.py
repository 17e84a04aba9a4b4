from django.core.management import call_command


def test_openapi_schema_is_valid_and_warning_free(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in (
        "/api/v1/auth/login:",
        "/api/v1/orders:",
        "/api/v1/webhooks/monnify:",
        "/api/v1/products:",
        "/api/v1/analytics/dashboard:",
        "/api/v1/analytics/revenue:",
        "/api/v1/analytics/products/top:",
        "/api/v1/analytics/customers:",
        "/api/v1/analytics/orders:",
    ):
        assert path in schema
