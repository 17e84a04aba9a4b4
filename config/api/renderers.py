from decimal import Decimal
from typing import Any

from djangorestframework_camel_case.render import CamelCaseJSONRenderer
from rest_framework.utils.encoders import JSONEncoder


class MoneySafeJSONEncoder(JSONEncoder):
    """DRF's encoder turns Decimal into float; money must keep its kobo exactly."""

    def default(self, obj: Any) -> Any:
        if isinstance(obj, Decimal):
            return str(obj)
        return super().default(obj)


class EnvelopeJSONRenderer(CamelCaseJSONRenderer):
    """Wraps every API response in {"success", "data", "message"} and camelCases keys.

    Error responses and paginated lists arrive already enveloped (from the exception
    handler and the paginator) and are only camelCased.
    """

    encoder_class = MoneySafeJSONEncoder

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and not getattr(response, "enveloped", False):
            succeeded = response.status_code < 400
            data = {
                "success": succeeded,
                "data": data,
                "message": getattr(response, "envelope_message", "OK" if succeeded else "Error"),
            }
        rendered: bytes = super().render(data, accepted_media_type, renderer_context)
        return rendered
