import math
from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from config.keyset import KeysetPage, bounded_count


class PagePagination(PageNumberPagination):
    """`?page=&limit=` pagination with the envelope's `pagination` block."""

    page_size_query_param = "limit"
    max_page_size = 100

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None  # DRF calls this after paginate_queryset found a page
        total = self.page.paginator.count
        limit = self.page.paginator.per_page
        response = Response(
            {
                "success": True,
                "data": data,
                "message": "OK",
                "pagination": {
                    "page": self.page.number,
                    "limit": limit,
                    "total": total,
                    "pages": math.ceil(total / limit) if total else 0,
                    "has_more": self.page.has_next(),
                },
            }
        )
        response.enveloped = True  # type: ignore[attr-defined]  # read by config/api/renderers.py
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["success", "data", "message", "pagination"],
            "properties": {
                "success": {"type": "boolean", "example": True},
                "data": schema,
                "message": {"type": "string", "example": "OK"},
                "pagination": {
                    "type": "object",
                    "properties": {
                        "page": {"type": "integer", "example": 1},
                        "limit": {"type": "integer", "example": 20},
                        "total": {"type": "integer", "example": 42},
                        "pages": {"type": "integer", "example": 3},
                        "hasMore": {"type": "boolean", "example": True},
                    },
                },
            },
        }


class _BoundedPaginator(Paginator):  # type: ignore[type-arg]  # not subscriptable at run time
    """Counts at most COUNT_LIMIT + 1 rows: `total` says 10,000 and `totalCapped` true beyond."""

    @cached_property
    def count(self) -> int:
        count, self.capped = bounded_count(self.object_list)  # type: ignore[arg-type]  # a QuerySet here
        return count


class BoundedPagePagination(PagePagination):
    """`?page=` over a list that may hold millions of rows (the orders): the count is bounded,
    so page numbers reach the first 10,000 rows; `?cursor=` (keyset) reaches every row."""

    django_paginator_class = _BoundedPaginator

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        assert self.page is not None and isinstance(self.page.paginator, _BoundedPaginator)
        response.data["pagination"]["total_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        body = super().get_paginated_response_schema(schema)
        pagination = body["properties"]["pagination"]
        pagination["description"] = (
            "With `?page=`: page, limit, total, pages, hasMore, totalCapped. With `?cursor=` (keyset, "
            "any depth): limit, total, totalCapped, hasMore, nextCursor (older rows), previousCursor "
            "(newer rows). total stops counting at 10,000, where totalCapped is true."
        )
        pagination["properties"].update(
            {
                "totalCapped": {"type": "boolean", "example": False},
                "nextCursor": {"type": "string", "nullable": True, "description": "Only with ?cursor="},
                "previousCursor": {"type": "string", "nullable": True, "description": "Only with ?cursor="},
            }
        )
        return body


def keyset_response(page: KeysetPage, data: Any) -> Response:
    """The envelope of a keyset page (config/keyset.py)."""
    response = Response(
        {
            "success": True,
            "data": data,
            "message": "OK",
            "pagination": {
                "limit": page.limit,
                "total": page.count,
                "total_capped": page.count_capped,
                "has_more": page.next_cursor is not None,
                "next_cursor": page.next_cursor,
                "previous_cursor": page.previous_cursor,
            },
        }
    )
    response.enveloped = True  # type: ignore[attr-defined]  # read by config/api/renderers.py
    return response
