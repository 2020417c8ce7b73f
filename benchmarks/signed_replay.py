"""Requests built and SigV4-signed by boto3, captured instead of sent, and replayed later over
a keep-alive HTTP connection: the servers get exactly boto3's requests while the measured
window holds no Python signing or response parsing. Used by api_load.py and sns_load.py.
"""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlsplit

from botocore.awsrequest import AWSResponse


class _StandInBody:
    """The body botocore parses while requests are captured instead of sent."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_):
        yield self.body


def capture(client, calls, stand_in_body: bytes = b"{}") -> list[tuple[str, str, dict, bytes]]:
    """Runs each of `calls` (functions calling `client`) and returns the requests boto3 built and
    signed for them, as (method, path with query, headers, body), without sending any: botocore
    gets a 200 with `stand_in_body` instead."""
    captured: list = []

    def record(request, **_):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        parts = urlsplit(request.url)
        path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        headers = {key: (value.decode() if isinstance(value, bytes) else value) for key, value in request.headers.items()}
        headers["Content-Length"] = str(len(body))
        captured.append((request.method, path, headers, body))
        return AWSResponse(request.url, 200, {}, _StandInBody(stand_in_body))

    client.meta.events.register("before-send", record)
    try:
        for call in calls:
            call()
    finally:
        client.meta.events.unregister("before-send", record)
    return captured


class Replayer:
    """One keep-alive connection to `endpoint` that sends captured requests."""

    def __init__(self, endpoint: str, timeout: float = 60) -> None:
        parts = urlsplit(endpoint)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)

    def send(self, request: tuple[str, str, dict, bytes]) -> float | None:
        """Sends one request; its latency in seconds, or None when it failed or was not a 200."""
        method, path, headers, body = request
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # http.client reconnects on the next request
            return None
        return time.perf_counter() - start if response.status == 200 else None

    def close(self) -> None:
        self.connection.close()
