from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from stores.selectors import store_get_live, store_list_for_owner, storefront_products

PRODUCTS_PER_PAGE = 24


@require_GET
def storefront_home(request, username):
    store = store_get_live(username=username)
    page = Paginator(storefront_products(store=store), PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "storefront/home.html", {"store": store, "page": page})


@login_required
@require_GET
def dashboard_home(request):
    stores = list(store_list_for_owner(user=request.user))
    return render(request, "dashboard/home.html", {"stores": stores})
