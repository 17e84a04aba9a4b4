from rest_framework import serializers

from catalog.models import Product
from catalog.validation import DEFAULT_LOW_STOCK_THRESHOLD
from config.images import thumbnail_url


class ProductSerializer(serializers.ModelSerializer):
    store_username = serializers.CharField(source="store.username", read_only=True)
    thumbnails = serializers.SerializerMethodField()
    is_low_stock = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "store_id",
            "store_username",
            "name",
            "description",
            "price",
            "compare_at_price",
            "cost_price",
            "sku",
            "barcode",
            "stock_quantity",
            "low_stock_threshold",
            "is_low_stock",
            "weight",
            "dimensions",
            "images",
            "thumbnails",
            "variations",
            "category",
            "tags",
            "is_active",
            "is_featured",
            "view_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_thumbnails(self, product) -> list[str]:
        return [thumbnail_url(url) for url in product.images or []]

    def get_is_low_stock(self, product) -> bool:
        threshold = product.low_stock_threshold
        if threshold is None:
            threshold = DEFAULT_LOW_STOCK_THRESHOLD
        return (product.stock_quantity or 0) <= threshold


class DimensionsSerializer(serializers.Serializer):
    length = serializers.DecimalField(max_digits=10, decimal_places=2)
    width = serializers.DecimalField(max_digits=10, decimal_places=2)
    height = serializers.DecimalField(max_digits=10, decimal_places=2)
    unit = serializers.ChoiceField(choices=["cm", "mm", "m", "in"])


class VariationSerializer(serializers.Serializer):
    name = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField())


class ProductInputSerializer(serializers.Serializer):
    """Documents the request body; catalog.validation checks it (one set of rules and
    messages for the API, the dashboard and the CSV import)."""

    name = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_null=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    compare_at_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, help_text="Above price."
    )
    cost_price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    sku = serializers.CharField(required=False, allow_null=True)
    barcode = serializers.CharField(required=False, allow_null=True)
    stock_quantity = serializers.IntegerField(required=False, min_value=0)
    low_stock_threshold = serializers.IntegerField(required=False, min_value=0)
    weight = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)
    dimensions = DimensionsSerializer(required=False, allow_null=True)
    images = serializers.ListField(child=serializers.URLField(), required=False)
    variations = VariationSerializer(many=True, required=False, allow_null=True)
    category = serializers.CharField(required=False, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(), required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)
    is_featured = serializers.BooleanField(required=False)


class ProductCreateSerializer(ProductInputSerializer):
    store_id = serializers.CharField(help_text="One of your stores.")


class BulkActionSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="activate, deactivate or delete")
    product_ids = serializers.ListField(child=serializers.CharField(max_length=36), max_length=500)


class ImportSerializer(serializers.Serializer):
    store_id = serializers.CharField()
    file = serializers.FileField()


class ImageUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    store_id = serializers.CharField(required=False, help_text="Store the image under this store's folder.")


class UploadedImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    thumbnail_url = serializers.URLField()
