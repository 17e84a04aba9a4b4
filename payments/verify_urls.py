"""The public payment verification page, /verify/<code> (config/urls.py mounts it)."""

from django.urls import path

from payments import receipt_views

app_name = "verify"

urlpatterns = [path("<str:code>", receipt_views.verify_page, name="verify")]
