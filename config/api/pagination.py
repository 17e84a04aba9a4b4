import math

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class PagePagination(PageNumberPagination):
    """`?page=&limit=` pagination with the envelope's `pagination` block."""

    page_size_query_param = "limit"
    max_page_size = 100

    def get_paginated_response(self, data):
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
        response.enveloped = True
        return response

    def get_paginated_response_schema(self, schema):
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
