from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.views import APIView

from config.api.responses import success_response
from notifications.api.serializers import (
    NotificationListQuerySerializer,
    NotificationSerializer,
    ReadAllSerializer,
    UnreadCountSerializer,
)
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
