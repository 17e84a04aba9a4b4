import logging

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.exceptions import error_body
from config.api.responses import success_response
from config.views import check_broker, check_cache, check_database

logger = logging.getLogger(__name__)


class HealthView(APIView):
    """Database, cache and broker state for load balancers and uptime checks."""

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
                },
            )
        }
    )
    def get(self, request):
        parts = {}
        failing = []
        for name, check in (("database", check_database), ("cache", check_cache), ("broker", check_broker)):
            try:
                parts[name] = check() or "ok"
            except Exception as error:
                logger.warning("health: %s is down: %s", name, error)
                parts[name] = "down"
                failing.append(name)
        if failing:
            response = Response(
                error_body(f"Unhealthy: {', '.join(failing)}", "unhealthy", parts), status=503
            )
            response.enveloped = True
            return response
        return success_response(parts, message="Healthy")
