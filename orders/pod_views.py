"""The merchant's pay-on-delivery settings page (/dashboard/orders/pay-on-delivery). The balance
actions on an order (cash, a Monnify account at the door) are the payments app's pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.errors import InvalidInput
from orders import pod, selectors, services
from orders.forms import PodSettingsForm
from orders.models import PodSettings


def _initial(settings: PodSettings) -> dict:
    return {
        "enabled": settings.enabled,
        "states": [area["state"] for area in settings.areas if not area["lga"]],
        "lgas": "\n".join(f"{area['state']} / {area['lga']}" for area in settings.areas if area["lga"]),
        "deposit_kind": settings.deposit_kind,
        "deposit_value": settings.deposit_value,
        "refund_policy": settings.refund_policy,
        "refund_keep_percent": settings.refund_keep_percent or None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_pod_settings(request):
    stores = list(selectors.owner_stores(user=request.user))
    if not stores:
        return redirect("dashboard:home")
    chosen = next((s for s in stores if s.pk == request.GET.get("store")), stores[0])
    settings = pod.pod_settings_for(chosen) or PodSettings(store=chosen)
    form = PodSettingsForm(request.POST or None, initial=_initial(settings))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pod_settings_update(
                store=chosen,
                enabled=data["enabled"],
                areas=form.areas(),
                deposit_kind=data["deposit_kind"],
                deposit_value=data["deposit_value"],
                refund_policy=data["refund_policy"],
                refund_keep_percent=data["refund_keep_percent"] or 0,
            )
        except InvalidInput as error:
            for field, problems in error.message_dict.items():
                form.add_error(
                    field if field in form.fields else ("lgas" if field == "areas" else None), problems
                )
        else:
            messages.success(request, f"Pay on delivery at {chosen.display_name} saved.")
            return redirect(f"{request.path}?store={chosen.pk}")
    return render(
        request,
        "orders/pod_settings.html",
        {
            "stores": stores,
            "chosen": chosen,
            "form": form,
            "policy": pod.policy_text(
                policy=settings.refund_policy, keep_percent=settings.refund_keep_percent
            ),
            "minimum": pod.DEPOSIT_MINIMUM,
        },
    )
