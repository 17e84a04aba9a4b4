"""The platform's public home page at /: what the product is, for whom, and example stores."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from stores.demo import DEMO_STORE_USERNAME
from stores.selectors import store_examples

# The stores `seed_demo` makes; the page shows the ones that exist and are live.
EXAMPLE_STORES = (DEMO_STORE_USERNAME,)


@require_GET
def platform_home(request):
    return render(request, "platform/home.html", {"examples": store_examples(usernames=EXAMPLE_STORES)})
