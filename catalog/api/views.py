from collections.abc import Mapping

from djangorestframework_camel_case.parser import CamelCaseMultiPartParser
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from catalog import csv_format
from catalog.api.serializers import (
    BulkActionSerializer,
    ImageUploadSerializer,
    ImportSerializer,
    ProductCreateSerializer,
    ProductInputSerializer,
    ProductSerializer,
    UploadedImageSerializer,
)
from catalog.selectors import product_get_for_owner, product_list_for_owner
from catalog.services import (
    product_bulk_action,
    product_create,
    product_delete,
    product_import,
    product_update,
)
from catalog.validation import PRODUCT_FIELDS
from config.api.parsers import UPLOAD_BODY_BYTES
from config.api.responses import success_response
from config.errors import ServiceError
from config.images import image_store
from stores.selectors import store_get_owned

LIST_PARAMETERS = [
    OpenApiParameter("search", str, description="Name, SKU or barcode contains"),
    OpenApiParameter("storeId", str),
    OpenApiParameter("category", str),
    OpenApiParameter("active", str, enum=["active", "inactive"]),
    OpenApiParameter("lowStock", bool),
    OpenApiParameter("page", int),
    OpenApiParameter("limit", int),
]


def _body(request) -> Mapping:
    if not isinstance(request.data, Mapping):
        raise ServiceError("Send the product as a JSON object.", code="parse_error")
    return request.data


def _product_data(request) -> dict:
    """The product fields present in the body (JSON, form or multipart)."""
    body = _body(request)
    return {field: body.get(field) for field in PRODUCT_FIELDS if field in body}


def _filters(request) -> dict:
    params = request.query_params
    return {
        "search": params.get("search", ""),
        "store_id": params.get("storeId") or params.get("store_id") or "",
        "category": params.get("category", ""),
        "active": params.get("active", ""),
        "low_stock": params.get("lowStock", params.get("low_stock", "")).lower() in ("1", "true", "yes"),
    }


class ProductListMixin:
    serializer_class = ProductSerializer

    def list_response(self, request):
        products = product_list_for_owner(user=request.user, **_filters(request))
        page = self.paginate_queryset(products)
        return self.get_paginated_response(ProductSerializer(page, many=True).data)


class ProductListCreateApi(ProductListMixin, GenericAPIView):
    @extend_schema(parameters=LIST_PARAMETERS, responses=ProductSerializer(many=True))
    def get(self, request):
        """The caller's products, across their stores."""
        return self.list_response(request)

    @extend_schema(request=ProductCreateSerializer, responses={201: ProductSerializer})
    def post(self, request):
        store_id = _body(request).get("store_id")
        if not store_id or not isinstance(store_id, str):
            raise ServiceError(
                "Choose one of your stores (storeId).", details={"store_id": ["Choose one of your stores."]}
            )
        product = product_create(user=request.user, store_id=store_id, data=_product_data(request))
        return success_response(ProductSerializer(product).data, message="Product created", status=201)


class MyProductsApi(ProductListMixin, GenericAPIView):
    @extend_schema(parameters=LIST_PARAMETERS, responses=ProductSerializer(many=True))
    def get(self, request):
        return self.list_response(request)


class ProductDetailApi(GenericAPIView):
    serializer_class = ProductSerializer

    def get(self, request, product_id):
        product = product_get_for_owner(user=request.user, product_id=product_id)
        return success_response(ProductSerializer(product).data)

    @extend_schema(request=ProductInputSerializer, responses=ProductSerializer)
    def put(self, request, product_id):
        product = product_update(
            user=request.user, product_id=product_id, data=_product_data(request), replace=True
        )
        return success_response(ProductSerializer(product).data, message="Product updated")

    @extend_schema(request=ProductInputSerializer(partial=True), responses=ProductSerializer)
    def patch(self, request, product_id):
        product = product_update(user=request.user, product_id=product_id, data=_product_data(request))
        return success_response(ProductSerializer(product).data, message="Product updated")

    @extend_schema(responses={200: None})
    def delete(self, request, product_id):
        product_delete(user=request.user, product_id=product_id)
        return success_response(None, message="Product deleted")


class ProductBulkApi(GenericAPIView):
    serializer_class = BulkActionSerializer

    @extend_schema(responses=inline_serializer("BulkResult", {"updated": serializers.IntegerField()}))
    def post(self, request):
        serializer = BulkActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = product_bulk_action(user=request.user, **serializer.validated_data)
        return success_response({"updated": count}, message=f"{count} products updated")


class ProductExportApi(GenericAPIView):
    @extend_schema(
        parameters=LIST_PARAMETERS[:5],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        """The caller's products as CSV (the same filters as the list), streamed."""
        return csv_format.export_response(product_list_for_owner(user=request.user, **_filters(request)))


class ProductImportApi(GenericAPIView):
    parser_classes = [CamelCaseMultiPartParser]
    max_body_bytes = UPLOAD_BODY_BYTES
    serializer_class = ImportSerializer

    @extend_schema(
        responses=inline_serializer(
            "ImportResult", {"created": serializers.IntegerField(), "updated": serializers.IntegerField()}
        )
    )
    def post(self, request):
        """Creates or updates products from a CSV, all or nothing; a 400 lists every bad row."""
        serializer = ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = csv_format.read_rows(serializer.validated_data["file"])
        result = product_import(user=request.user, store_id=serializer.validated_data["store_id"], rows=rows)
        return success_response(result, message=f"{result['created']} created, {result['updated']} updated")


class ImageUploadApi(GenericAPIView):
    parser_classes = [CamelCaseMultiPartParser]
    max_body_bytes = UPLOAD_BODY_BYTES
    serializer_class = ImageUploadSerializer

    @extend_schema(responses={201: UploadedImageSerializer})
    def post(self, request):
        """Checks, resizes and stores an image; returns its absolute URL and thumbnail URL."""
        upload = request.FILES.get("file")
        if upload is None:
            raise ServiceError(
                'Attach an image in the "file" field.', details={"file": ["No file was sent."]}
            )
        store_id = request.data.get("store_id")
        if store_id:
            folder = f"products/{store_get_owned(user=request.user, store_id=store_id).pk}"
        else:
            folder = f"uploads/{request.user.pk}"
        url, thumbnail = image_store(upload, folder)
        return success_response(
            {"url": url, "thumbnail_url": thumbnail}, message="Image uploaded", status=201
        )
