from dataclasses import asdict

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config.api.responses import success_response
from config.errors import ServiceError
from stores.api.serializers import (
    PublicStoreSerializer,
    StorefrontProductSerializer,
    StoreSerializer,
    StoreWriteSerializer,
    UsernameCheckSerializer,
)
from stores.selectors import (
    parse_price,
    store_get_live,
    store_get_owned,
    store_list_for_owner,
    store_username_availability,
    storefront_product,
    storefront_product_list,
)
from stores.services import store_create, store_delete, store_update

TRUE_WORDS = {"1", "true", "yes", "on"}


class StoreListCreateView(GenericAPIView):
    """The caller's stores, and opening a new one."""

    serializer_class = StoreSerializer

    def get_queryset(self):
        return store_list_for_owner(user=self.request.user)

    @extend_schema(operation_id="stores_list", responses=StoreSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(StoreSerializer(page, many=True).data)

    @extend_schema(request=StoreWriteSerializer, responses={201: StoreSerializer})
    def post(self, request):
        serializer = StoreWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        store = store_create(
            user=request.user,
            username=data.pop("username", ""),
            display_name=data.pop("display_name", ""),
            **data,
        )
        return success_response(StoreSerializer(store).data, message="Store created", status=201)


class MyStoresView(StoreListCreateView):
    http_method_names = ["get", "head", "options"]

    @extend_schema(operation_id="stores_my_stores", responses=StoreSerializer(many=True))
    def get(self, request):
        return super().get(request)


class UsernameCheckView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="stores_check_username", responses=UsernameCheckSerializer)
    def get(self, request, username):
        result = store_username_availability(username=username)
        return success_response(asdict(result), message=result.message)


class OwnedStoreView(APIView):
    """One of the caller's stores by id; another merchant's id is a 404."""

    @extend_schema(operation_id="stores_retrieve_own", responses=StoreSerializer)
    def get(self, request, store_id):
        return success_response(StoreSerializer(store_get_owned(user=request.user, store_id=store_id)).data)

    @extend_schema(request=StoreWriteSerializer, responses=StoreSerializer)
    def put(self, request, store_id):
        return self._update(request, store_id, require_name=True)

    @extend_schema(request=StoreWriteSerializer, responses=StoreSerializer)
    def patch(self, request, store_id):
        return self._update(request, store_id, require_name=False)

    @extend_schema(responses={200: None})
    def delete(self, request, store_id):
        store_delete(user=request.user, store_id=store_id)
        return success_response(None, message="Store deleted")

    def _update(self, request, store_id, *, require_name):
        serializer = StoreWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if require_name and "display_name" not in data:
            store_get_owned(user=request.user, store_id=store_id)  # a foreign id stays a 404
            raise ServiceError(
                "displayName: This field is required.",
                code="validation_error",
                details={"display_name": ["This field is required."]},
            )
        store = store_update(user=request.user, store_id=store_id, data=data)
        return success_response(StoreSerializer(store).data, message="Store updated")


class PublicStoreView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="stores_public_retrieve", responses=PublicStoreSerializer)
    def get(self, request, username):
        return success_response(PublicStoreSerializer(store_get_live(username=username)).data)


class PublicProductListView(GenericAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = StorefrontProductSerializer

    @extend_schema(
        operation_id="stores_public_products_list",
        responses=StorefrontProductSerializer(many=True),
        parameters=[
            OpenApiParameter("search", str),
            OpenApiParameter("category", str),
            OpenApiParameter("minPrice", str),
            OpenApiParameter("maxPrice", str),
            OpenApiParameter("inStock", bool),
            OpenApiParameter("sort", str, enum=["newest", "price_asc", "price_desc", "name"]),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int),
        ],
    )
    def get(self, request, username):
        store = store_get_live(username=username)
        params = request.query_params
        prices = {}
        for name, key in (("minPrice", "min_price"), ("maxPrice", "max_price")):
            raw = params.get(name, params.get(key, ""))
            if raw.strip():
                prices[key] = parse_price(raw)
                if prices[key] is None:
                    raise ServiceError(
                        f"{name} must be a number of naira, 0 or more.",
                        code="validation_error",
                        details={name: ["Enter a number, 0 or more."]},
                    )
        products = storefront_product_list(
            store=store,
            query=params.get("search", params.get("q", ""))[:100],
            category=params.get("category", "")[:100],
            sort=params.get("sort", ""),
            in_stock=params.get("inStock", params.get("in_stock", "")).lower() in TRUE_WORDS,
            fields=None,
            **prices,
        )
        page = self.paginate_queryset(products)
        serializer = StorefrontProductSerializer(page, many=True, context={"username": store.username})
        return self.get_paginated_response(serializer.data)


class PublicProductView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="stores_public_product_retrieve", responses=StorefrontProductSerializer)
    def get(self, request, username, product_id):
        product = storefront_product(username=username, product_id=product_id)
        return success_response(StorefrontProductSerializer(product, context={"username": username}).data)
