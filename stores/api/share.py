"""The share kit over the API: a store's links and QR codes, "Order on WhatsApp" on or off,
and each product's short link, QR code and Open Graph card."""

from urllib.parse import quote

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from config.api.responses import success_response
from config.site_url import site_url
from stores.og_images import og_image_url
from stores.presentation import product_short_path
from stores.selectors import store_get_owned, store_whatsapp_ordering_enabled, storefront_products
from stores.services import store_whatsapp_ordering_set


class StoreShareSerializer(serializers.Serializer):
    store_url = serializers.CharField()
    qr_png_url = serializers.CharField()
    qr_svg_url = serializers.CharField()
    whatsapp_share_url = serializers.CharField()
    whatsapp_ordering = serializers.BooleanField()


class WhatsAppOrderingSerializer(serializers.Serializer):
    whatsapp_ordering = serializers.BooleanField()


class ProductShareSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    url = serializers.CharField(help_text="The canonical link (by id)")
    short_url = serializers.CharField(help_text="/<username>/p/<slug>: the one to share")
    qr_png_url = serializers.CharField()
    og_image_url = serializers.CharField(help_text="The 1200x630 preview card")


def _store_share(store) -> dict:
    url = f"{site_url()}/{store.username}"
    return {
        "store_url": url,
        "qr_png_url": f"{url}/qr.png",
        "qr_svg_url": f"{url}/qr.svg",
        "whatsapp_share_url": f"https://wa.me/?text={quote(url, safe='')}",
        "whatsapp_ordering": store_whatsapp_ordering_enabled(store=store),
    }


class StoreShareView(GenericAPIView):
    serializer_class = StoreShareSerializer

    @extend_schema(summary="The share kit of one of the caller's stores", tags=["share"])
    def get(self, request, store_id):
        store = store_get_owned(user=request.user, store_id=store_id)
        return success_response(StoreShareSerializer(_store_share(store)).data)

    @extend_schema(
        summary="Turn Order on WhatsApp on or off (needs the store's WhatsApp number)",
        request=WhatsAppOrderingSerializer,
        responses=StoreShareSerializer,
        tags=["share"],
    )
    def patch(self, request, store_id):
        serializer = WhatsAppOrderingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        store_whatsapp_ordering_set(
            user=request.user, store_id=store_id, enabled=serializer.validated_data["whatsapp_ordering"]
        )
        store = store_get_owned(user=request.user, store_id=store_id)
        return success_response(StoreShareSerializer(_store_share(store)).data, message="Saved")


class ProductShareListView(GenericAPIView):
    serializer_class = ProductShareSerializer

    @extend_schema(summary="Share links of the store's products on show", tags=["share"])
    def get(self, request, store_id):
        store = store_get_owned(user=request.user, store_id=store_id)
        page = self.paginate_queryset(storefront_products(store=store, fields=None).order_by("name", "id"))
        rows = []
        for product in page:
            product.store = store
            rows.append(
                {
                    "id": product.pk,
                    "name": product.name,
                    "price": product.price,
                    "url": f"{site_url()}/{store.username}/p/{product.pk}",
                    "short_url": f"{site_url()}{product_short_path(product)}",
                    "qr_png_url": f"{site_url()}/{store.username}/p/{product.pk}/qr.png",
                    "og_image_url": og_image_url(product),
                }
            )
        return self.get_paginated_response(ProductShareSerializer(rows, many=True).data)
