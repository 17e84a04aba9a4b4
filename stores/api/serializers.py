from rest_framework import serializers

from catalog.models import Product
from config.site_url import site_url
from stores.models import Store
from stores.presentation import product_duration_minutes, stock_state


class StoreSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Store
        fields = (
            "id",
            "username",
            "display_name",
            "description",
            "logo_url",
            "banner_url",
            "template_id",
            "category",
            "custom_colors",
            "custom_fonts",
            "social_links",
            "is_active",
            "url",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_url(self, store) -> str:
        return f"{site_url()}{store.get_absolute_url()}"


class PublicStoreSerializer(StoreSerializer):
    class Meta(StoreSerializer.Meta):
        fields = tuple(
            field for field in StoreSerializer.Meta.fields if field not in {"is_active", "updated_at"}
        )
        read_only_fields = fields


class StoreWriteSerializer(serializers.Serializer):
    """The shape of the input; the rules (lengths, colours, links, usernames) are the
    services', so the API and the dashboard give the same messages."""

    username = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    display_name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    description = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    category = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    template_id = serializers.CharField(required=False)
    logo_url = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    banner_url = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    custom_colors = serializers.JSONField(required=False, allow_null=True)
    custom_fonts = serializers.JSONField(required=False, allow_null=True)
    social_links = serializers.JSONField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


class StorefrontProductSerializer(serializers.ModelSerializer):
    in_stock = serializers.SerializerMethodField()
    stock_label = serializers.SerializerMethodField()
    duration_minutes = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = (
            "id",
            "store_id",
            "name",
            "description",
            "price",
            "compare_at_price",
            "images",
            "variations",
            "category",
            "tags",
            "stock_quantity",
            "in_stock",
            "stock_label",
            "is_featured",
            "duration_minutes",
            "url",
            "created_at",
        )
        read_only_fields = fields

    def get_in_stock(self, product) -> bool:
        return stock_state(product).available

    def get_stock_label(self, product) -> str:
        return stock_state(product).label

    def get_duration_minutes(self, product) -> int | None:
        return product_duration_minutes(product)

    def get_url(self, product) -> str:
        return f"{site_url()}/{self.context['username']}/p/{product.pk}"


class UsernameCheckSerializer(serializers.Serializer):
    username = serializers.CharField()
    available = serializers.BooleanField()
    message = serializers.CharField()
    suggestions = serializers.ListField(child=serializers.CharField())
