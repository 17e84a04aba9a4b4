from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.views import APIView

from config.api.responses import success_response
from notifications import alerts
from notifications.api.serializers import (
    NotificationListQuerySerializer,
    NotificationSerializer,
    ReadAllSerializer,
    UnreadCountSerializer,
)
from notifications.models import AlertKind
from notifications.selectors import notification_list, notification_unread_count
from notifications.services import notification_mark_all_read, notification_mark_read


class NotificationListView(ListAPIView):
    """The caller's in-dashboard notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        query = NotificationListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return notification_list(user=self.request.user, unread_only=query.validated_data["unread"])

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="Only unread notifications")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationUnreadCountView(APIView):
    @extend_schema(responses=UnreadCountSerializer)
    def get(self, request):
        return success_response({"unread": notification_unread_count(user=request.user)})


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def patch(self, request, notification_id):
        notification = notification_mark_read(user=request.user, notification_id=notification_id)
        data = NotificationSerializer(notification).data
        return success_response(data, message="Notification marked as read")


class NotificationReadAllView(APIView):
    @extend_schema(request=None, responses=ReadAllSerializer)
    def patch(self, request):
        updated = notification_mark_all_read(user=request.user)
        return success_response({"updated": updated}, message="All notifications marked as read")


class AlertSettingsSerializer(serializers.Serializer):
    channels = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=10)),
        help_text="For each alert kind (" + ", ".join(AlertKind.values) + "): any of bell, email, sms.",
    )
    daily_summary = serializers.BooleanField()


class AlertSettingsView(APIView):
    @extend_schema(summary="Where each alert reaches the caller", responses=AlertSettingsSerializer)
    def get(self, request):
        current = alerts.alert_settings_for(request.user)
        channels = {kind: sorted(alerts.alert_channels(request.user, kind)) for kind in AlertKind.values}
        return success_response(
            AlertSettingsSerializer({"channels": channels, "daily_summary": current.daily_summary}).data
        )

    @extend_schema(
        summary="Choose where each alert reaches the caller",
        description="Kinds left out keep their defaults.",
        request=AlertSettingsSerializer,
        responses=AlertSettingsSerializer,
    )
    def put(self, request):
        serializer = AlertSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alerts.alert_settings_update(user=request.user, **serializer.validated_data)
        return self.get(request)
