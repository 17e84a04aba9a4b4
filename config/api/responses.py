from rest_framework.response import Response


def success_response(data=None, *, message: str = "OK", status: int = 200, headers=None) -> Response:
    """A 2xx response whose envelope carries `message` (the renderer adds the rest)."""
    response = Response(data, status=status, headers=headers)
    response.envelope_message = message
    return response
