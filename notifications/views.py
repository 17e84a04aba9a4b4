from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from notifications import alerts
from notifications.models import AlertKind
from notifications.selectors import notification_list, notification_unread_count
from notifications.services import notification_mark_all_read, notification_mark_read

NOTIFICATIONS_PER_PAGE = 20


@login_required
@require_GET
def notification_index(request):
    unread_only = request.GET.get("filter") == "unread"
    page = Paginator(
        notification_list(user=request.user, unread_only=unread_only), NOTIFICATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_count": notification_unread_count(user=request.user),
        },
    )


@login_required
@require_POST
def notification_read(request, notification_id):
    notification = notification_mark_read(user=request.user, notification_id=notification_id)
    if request.htmx:
        return render(request, "notifications/_item.html", {"notification": notification})
    # Only same-site links: "//host" and "/\\host" look relative but browsers go off-site.
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.link)
    return redirect("dashboard:notifications_dashboard:list")


@login_required
@require_POST
def notification_read_all(request):
    count = notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("dashboard:notifications_dashboard:list")


@login_required
def alert_preferences(request):
    """Which of the bell, email and SMS each alert reaches, and the daily summary."""
    current = alerts.alert_settings_for(request.user)
    if request.method == "POST":
        chosen = {
            kind: [channel for channel in alerts.CHOICES if request.POST.get(f"{kind}:{channel}")]
            for kind in AlertKind.values
        }
        alerts.alert_settings_update(
            user=request.user, channels=chosen, daily_summary=bool(request.POST.get("daily_summary"))
        )
        messages.success(request, "Alert preferences saved.")
        return redirect("dashboard:notifications_dashboard:alerts")
    rows = [
        {
            "kind": kind,
            "label": label,
            "channels": [
                (channel, channel in alerts.alert_channels(request.user, kind)) for channel in alerts.CHOICES
            ],
        }
        for kind, label in AlertKind.choices
    ]
    return render(
        request, "notifications/alerts.html", {"rows": rows, "daily_summary": current.daily_summary}
    )
