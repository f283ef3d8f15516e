"""The error answers every API operation can give, written into the OpenAPI schema.

drf-spectacular documents each operation's success response only. Our one
exception handler (congress/api/exceptions.py), the rate limiter, the OTP gate
and the request-size middleware answer errors in one shape, ``{"code",
"message"}`` (plus ``errors`` per field for a 400). A client generator, and
schemathesis's status-code check in tests/security/test_api_fuzz.py, need to
know which of them an operation can return: this hook adds them, once, from
what the operation takes.
"""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = "Error"
_ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: a stable machine code and a translated message.",
    "properties": {
        "code": {"type": "string", "description": "stable, e.g. not_found, throttled"},
        "message": {"type": "string", "description": "translated for the user"},
        "errors": {"description": "per field messages of a 400 (validation)"},
    },
    "required": ["code", "message"],
}
_DESCRIPTIONS = {
    "400": "The request is invalid (per-field errors) or the rules refuse it.",
    "401": "Not signed in, or the API token is wrong, expired or revoked.",
    "403": "Not allowed, or the session still owes its second factor.",
    "404": "No such object in your scope (never a 403 that would confirm it exists).",
    "409": "The object's state does not allow it, or someone else changed it first.",
    "413": "The request body is too large.",
    "415": "The request body's media type is not accepted.",
    "429": "Too many requests; try again later.",
}
_WRITES = {"post", "put", "patch", "delete"}
_WITH_BODY = {"post", "put", "patch"}


def _error_statuses(method: str, operation: dict[str, Any]) -> list[str]:
    # Every operation: no valid credentials (401: a public operation too, when it
    # is sent a bad token), refused (403), not found in scope (404; for a list that
    # is a page number past the end), throttled (429). Any parameter or body can be
    # invalid (400). A write can meet a state that forbids it (409); a body can
    # be too large (413) or of the wrong type (415).
    statuses = ["401", "403", "404", "429"]
    if operation.get("parameters") or operation.get("requestBody") or method in _WRITES:
        statuses.append("400")
    if method in _WRITES:
        statuses.append("409")
    if method in _WITH_BODY:
        statuses += ["413", "415"]
    return statuses


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS entry: an ``Error`` component and its responses."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = _ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status in _error_statuses(method, operation):
                operation["responses"].setdefault(
                    status,
                    {
                        "description": _DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
