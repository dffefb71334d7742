"""The schema's error answers: every operation may answer with problem details (RFC 9457),
and says so, so that a client (and schemathesis) knows the shape of each error."""

from typing import Any

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Messages by field (400 only)",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail"],
}

ERRORS = {
    "400": "Invalid input: `errors` by field",
    "401": "No, expired or revoked credentials",
    "403": "Not allowed to you (your role, or a read-only token)",
    "404": "Unknown, or not visible to you",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "409": "Not possible in the ticket's state now, or changed meanwhile",
    "413": "Request too large",
    "415": "Unsupported media type",
    "429": "Too many requests: see Retry-After",
}


def add_problem_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    reference = {"$ref": "#/components/schemas/Problem"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/problem+json": {"schema": reference}},
                    },
                )
    return result
