"""Starting ``thingport serve`` for the HTTP API suite, and talking to it with boto3 and raw
signed requests. Fixtures are in ``conftest.py``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PUBLIC_HOST = "iot.thingport.test"
REGION = "us-east-1"
START_TIMEOUT = 60.0
NOT_SERVED = "thingport serve does not serve the HTTP API yet (ControlPlane not wired into `thingport serve`)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class RawResponse:
    """A response read without botocore: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def error_type(self) -> str | None:
        """The rest-json error code: ``x-amzn-ErrorType`` up to the first ``:``."""
        value = self.headers.get("x-amzn-errortype")
        return value.split(":", 1)[0] if value else None

    @property
    def json(self) -> dict:
        return json.loads(self.body or b"{}")

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass
class ApiServer:
    """A Thingport API endpoint and the keys of its account."""

    url: str
    access_key_id: str
    secret_access_key: str
    public_host: str
    accepts_any: bool = False
    data_dir: Path | None = None
    process: subprocess.Popen | None = None
    output: list[str] = field(default_factory=list)

    def client(self, service: str, access_key_id: str | None = None, secret_access_key: str | None = None):
        """A boto3 client of ``service`` for this server (no retries, so errors surface at once)."""
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=access_key_id or self.access_key_id,
            aws_secret_access_key=secret_access_key or self.secret_access_key,
            config=Config(retries={"max_attempts": 1, "mode": "standard"}),
        )

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        service: str | None = "iot",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> RawResponse:
        """Sends a request signed by botocore's SigV4 signer (unsigned when ``service`` is None)."""
        request = AWSRequest(method=method, url=self.url + path, data=body, headers=dict(headers or {}))
        if service is not None:
            credentials = Credentials(access_key_id or self.access_key_id, secret_access_key or self.secret_access_key)
            SigV4Auth(credentials, service, REGION).add_auth(request)
        prepared = request.prepare()
        raw = urllib.request.Request(prepared.url, data=body or None, method=method, headers=dict(prepared.headers))
        try:
            with urllib.request.urlopen(raw, timeout=30) as response:
                return RawResponse(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
        except urllib.error.HTTPError as error:
            return RawResponse(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def thingport_binary() -> Path:
    configured = os.environ.get("THINGPORT_BIN")
    return Path(configured).resolve() if configured else REPO_ROOT / ".build" / "debug" / "thingport"


def health(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url + "/health", timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def start_thingport(workdir: Path, *flags: str) -> ApiServer:
    """Starts ``thingport serve`` with its API on a free port; skips the test when it cannot."""
    binary = thingport_binary()
    if not binary.exists():
        pytest.skip(f"{NOT_SERVED}: no binary at {binary}")
    data_dir = workdir / "data"
    api_port = free_port()
    command = [
        str(binary), "serve", "--data-dir", str(data_dir), "--host", HOST, "--api-port", str(api_port),
        "--mqtt-port", str(free_port()), "--public-host", PUBLIC_HOST, "--region", REGION, *flags,
    ]
    stderr = open(workdir / "thingport.stderr", "w")  # noqa: SIM115 - kept open for the process
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
    server = ApiServer(f"http://{HOST}:{api_port}", "", "", PUBLIC_HOST, "--accept-any-credentials" in flags,
                       data_dir, process)
    ready = threading.Event()

    def pump() -> None:
        for line in process.stdout:
            server.output.append(line)
            if line.strip() == "thingport ready":
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    while not ready.wait(0.1):
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            log = (workdir / "thingport.stderr").read_text(errors="replace")[-2000:]
            pytest.skip(f"{NOT_SERVED}: `thingport serve {' '.join(flags)}` did not start: {log}")
    if health(server.url) != 200:
        server.stop()
        pytest.skip(f"{NOT_SERVED}: GET /health on --api-port did not answer 200")
    secret = data_dir / "secret.key"
    if not secret.exists():
        server.stop()
        pytest.skip(f"{NOT_SERVED}: no secret.key in the data directory")
    keys = json.loads(secret.read_text())
    server.access_key_id = keys["AWS_ACCESS_KEY_ID"]
    server.secret_access_key = keys["AWS_SECRET_ACCESS_KEY"]
    return server


def external_server() -> ApiServer | None:
    url = os.environ.get("THINGPORT_API_URL")
    if not url:
        return None
    if health(url) != 200:
        pytest.skip(f"THINGPORT_API_URL={url} does not answer GET /health")
    return ApiServer(
        url.rstrip("/"),
        os.environ["THINGPORT_ACCESS_KEY_ID"],
        os.environ["THINGPORT_SECRET_ACCESS_KEY"],
        os.environ.get("THINGPORT_PUBLIC_HOST", "localhost"),
        accepts_any=os.environ.get("THINGPORT_ACCEPTS_ANY") == "1",
    )


def require_operation(call: Callable[[], object]) -> object:
    """Runs ``call``; skips the test when the server does not implement that operation yet."""
    from botocore.exceptions import ClientError

    try:
        return call()
    except ClientError as error:
        if error.response["Error"]["Code"] == "NotImplementedException":
            pytest.skip(f"not implemented yet: {error.operation_name}")
        raise
