import logging

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.exceptions import error_body
from config.api.responses import success_response
from config.health import health_checks

logger = logging.getLogger(__name__)


class HealthView(APIView):
    """Each part's state for load balancers and uptime checks: 503 only without the database
    (config/health.py); a part that is down but degraded around says "Degraded" with 200."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        responses={
            200: inline_serializer(
                "Health",
                {
                    "database": serializers.CharField(),
                    "cache": serializers.CharField(),
                    "broker": serializers.CharField(),
                    "monnify": serializers.CharField(),
                },
            )
        }
    )
    def get(self, request: Request) -> Response:
        parts: dict[str, str] = {}
        down: list[str] = []
        critical: list[str] = []
        for check in health_checks():
            try:
                parts[check.name] = check.check() or "ok"
            except Exception as error:
                logger.warning("health: %s is down: %s", check.name, error)
                parts[check.name] = "down"
                down.append(check.name)
                if check.critical:
                    critical.append(check.name)
        if critical:
            response = Response(error_body(f"Unhealthy: {', '.join(down)}", "unhealthy", parts), status=503)
            response.enveloped = True  # type: ignore[attr-defined]  # read by config/api/renderers.py
            return response
        if down:
            return success_response(parts, message=f"Degraded: {', '.join(down)}")
        return success_response(parts, message="Healthy")
