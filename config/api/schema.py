"""The OpenAPI schema says what the API sends: every answer in its envelope, every error status.

drf-spectacular describes a view's serializer, but the renderer (config/api/renderers.py) wraps
each answer in `{success, data, message}`, the paginator adds `pagination`, and the exception
handler (config/api/exceptions.py) answers every refusal as `{success: false, message, error}`.
This postprocessing hook rewrites the generated schema to match, so a client generated from
/api/schema works: it runs last in SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"].
"""

from typing import Any

JSON = "application/json"
ERROR_COMPONENT = "ErrorEnvelope"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}

ERROR_ENVELOPE = {
    "type": "object",
    "description": "Every refusal: `error.code` is stable, `message` is for people.",
    "required": ["success", "message", "error"],
    "properties": {
        "success": {"type": "boolean", "enum": [False]},
        "message": {"type": "string", "example": "email: Enter a valid email address."},
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "example": "validation_error"},
                "message": {"type": "string"},
                "details": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "Per field, or facts such as retryAfter.",
                },
            },
        },
    },
}

# What each error status means here, whichever endpoint sends it.
ERRORS = {
    "400": "Invalid input: a field (`error.details` names it), malformed or too deeply nested JSON.",
    "401": "No valid bearer token (or it expired): sign in or refresh.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Not found, or not yours (another merchant's ids are simply not found).",
    "405": "This method is not allowed here.",
    "409": "Conflicts with the current state (taken, already done, in use).",
    "413": "The request body is larger than this endpoint accepts.",
    "415": "Unsupported Content-Type: send application/json (or multipart for uploads).",
    "429": "Too many requests: the Retry-After header says when to try again.",
    "503": "A service this needs (Monnify, the database, the cache) is unavailable; try again.",
}
BODY_METHODS = {"post", "put", "patch"}
NO_DATA = {"type": "object", "nullable": True, "description": "Always null: this answer carries no data."}


def envelope_postprocessing_hook(
    result: dict[str, Any], generator: Any, request: Any, public: Any
) -> dict[str, Any]:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_COMPONENT] = ERROR_ENVELOPE
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in ("get", "put", "patch", "post", "delete", "head", "options", "trace"):
                _describe_operation(method, operation)
    return result


def _describe_operation(method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    if method == "delete" and "204" in responses and "content" not in responses["204"]:
        # success_response() answers 200 with the envelope, never an empty 204
        responses.setdefault("200", responses.pop("204"))
    for status, response in list(responses.items()):
        if status.startswith("2"):
            _envelope_success(response)
    for status in _error_statuses(method, operation):
        response = responses.setdefault(status, {"description": ERRORS[status]})
        response["content"] = {JSON: {"schema": ERROR_REF}}
        if not response.get("description"):
            response["description"] = ERRORS[status]
        if status == "429":
            response["headers"] = {
                "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
            }


def _error_statuses(method: str, operation: dict[str, Any]) -> list[str]:
    statuses = ["400", "403", "404", "405", "429", "503"]
    if _authenticates(operation):
        statuses.append("401")
    if method != "get":
        statuses.append("409")
    if method in BODY_METHODS:
        statuses += ["413", "415"]
    return sorted(statuses)


def _authenticates(operation: dict[str, Any]) -> bool:
    """A bearer token is read (and can be refused) unless the view reads none at all."""
    return any(requirement for requirement in operation.get("security", []))


def _envelope_success(response: dict[str, Any]) -> None:
    content = response.setdefault("content", {})
    if not content:
        # an answer without a body of its own still arrives as the envelope, data null
        content[JSON] = {"schema": _success_envelope(NO_DATA)}
        return
    media = content.get(JSON)
    if media is None:
        return  # a CSV download or another non-JSON body: sent as it is
    schema = media.get("schema", {})
    if "pagination" in schema.get("properties", {}) or _is_paginated_ref(schema):
        return  # the paginator's own envelope (config/api/pagination.py)
    media["schema"] = _success_envelope(schema)


def _is_paginated_ref(schema: dict[str, Any]) -> bool:
    return str(schema.get("$ref", "")).startswith("#/components/schemas/Paginated")


def _success_envelope(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["success", "data", "message"],
        "properties": {
            "success": {"type": "boolean", "enum": [True]},
            "data": data,
            "message": {"type": "string", "example": "OK"},
        },
    }
