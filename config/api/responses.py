from typing import Any

from rest_framework.response import Response


def success_response(
    data: Any = None, *, message: str = "OK", status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A 2xx response whose envelope carries `message` (the renderer adds the rest)."""
    response = Response(data, status=status, headers=headers)
    response.envelope_message = message  # type: ignore[attr-defined]  # read by the renderer
    return response
