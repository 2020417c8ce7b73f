"""Starting and stopping the broker under test: Thingport, or mosquitto for the portable tests.

``E2E_BROKER=thingport`` (the default) runs ``thingport serve``; ``E2E_BROKER=mosquitto``
runs a mosquitto with an equivalent configuration (same limits, a plain listener and a
mutual-TLS listener whose CA lives at the same place in the data directory as Thingport's).
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from certs import KeyPair, make_ca, make_server_cert

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0

# Thingport's documented defaults; the mosquitto configuration mirrors them.
DEFAULT_MAX_PACKET_SIZE = 131072
DEFAULT_MAX_QUEUED = 1000
DEFAULT_MAX_INFLIGHT = 100


# The policy ``Broker.register_device`` attaches by default: the broker tests test MQTT, not
# authorization (tests/e2e/test_device_policies.py does that).
ALLOW_ALL_POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}
)


def broker_kind() -> str:
    kind = os.environ.get("E2E_BROKER", "thingport").strip().lower()
    if kind not in ("thingport", "mosquitto"):
        raise RuntimeError(f"E2E_BROKER must be 'thingport' or 'mosquitto', not {kind!r}")
    return kind


def thingport_binary() -> Path:
    configured = os.environ.get("THINGPORT_BIN")
    return Path(configured).resolve() if configured else REPO_ROOT / ".build" / "debug" / "thingport"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class BrokerOptions:
    max_keepalive: int | None = None
    max_packet_size: int | None = None
    max_queued_messages: int | None = None
    max_inflight: int | None = None
    plain_policy: str | None = None
    extra_args: tuple[str, ...] = ()


@dataclass
class Broker:
    """A running broker and where to reach it."""

    kind: str
    data_dir: Path
    plain_port: int
    tls_port: int
    api_port: int | None
    process: subprocess.Popen[bytes]
    log_path: Path
    options: BrokerOptions
    stdout_lines: list[str] = field(default_factory=list)
    host: str = HOST

    @property
    def ca(self) -> KeyPair:
        """The root CA that client certificates must chain to (and the server's chains to)."""
        return KeyPair(self.data_dir / "ca" / "root-ca.pem", self.data_dir / "ca" / "root-ca.key")

    def is_running(self) -> bool:
        return self.process.poll() is None

    def iot(self, service: str = "iot"):
        """A boto3 client of Thingport's API with the account's credentials from ``secret.key``."""
        import boto3  # imported here: the mosquitto runs need no AWS SDK

        if self.api_port is None:
            raise RuntimeError(f"{self.kind} has no AWS API")
        keys = json.loads((self.data_dir / "secret.key").read_text())
        return boto3.client(
            service,
            endpoint_url=f"http://{self.host}:{self.api_port}",
            region_name=keys["REGION_NAME"],
            aws_access_key_id=keys["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"],
        )

    def register_device(self, device: KeyPair, policy_document: str | None = None) -> str | None:
        """Registers ``device``'s certificate ACTIVE (Thingport refuses unknown certificates,
        as AWS IoT does) with a policy attached, allowing everything unless a document is
        given; returns the certificate ARN. Nothing to do for mosquitto, which trusts any
        certificate its CA signed."""
        if self.kind != "thingport":
            return None
        iot = self.iot()
        arn = iot.register_certificate_without_ca(
            certificatePem=device.cert.read_text(), status="ACTIVE"
        )["certificateArn"]
        name = f"e2e-{arn.rsplit('/', 1)[1][:16]}"
        iot.create_policy(policyName=name, policyDocument=policy_document or ALLOW_ALL_POLICY)
        iot.attach_policy(policyName=name, target=arn)
        return arn

    def log_text(self) -> str:
        """Everything the broker logged so far (its log file or stderr, and its stdout)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            text = ""
        return text + "\n".join(self.stdout_lines)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int | None:
        """Send ``sig`` and return the exit code, or None (after killing it) if it hung."""
        if self.process.poll() is not None:
            return self.process.returncode
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            return None


def _pump(stream: object, lines: list[str], sink: Path, ready: threading.Event) -> None:
    with open(sink, "a", encoding="utf-8", errors="replace") as out:
        for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
            line = raw.decode("utf-8", errors="replace")
            lines.append(line.rstrip("\n"))
            out.write(line)
            out.flush()
            if line.strip() == "thingport ready":
                ready.set()


def start_thingport(workdir: Path, options: BrokerOptions, data_dir: Path | None = None) -> Broker:
    binary = thingport_binary()
    if not binary.exists():
        raise RuntimeError(
            f"Thingport binary not found at {binary}; build it (swift build) or set THINGPORT_BIN"
        )
    data_dir = data_dir or workdir / "data"
    plain, tls, api = free_port(), free_port(), free_port()
    args = [
        str(binary), "serve", "--data-dir", str(data_dir), "--host", HOST,
        "--mqtt-port", str(tls), "--mqtt-plain-port", str(plain), "--api-port", str(api),
    ]  # fmt: skip
    for flag, value in (
        ("--max-keepalive", options.max_keepalive),
        ("--max-packet-size", options.max_packet_size),
        ("--max-queued-messages", options.max_queued_messages),
        ("--max-inflight", options.max_inflight),
        ("--plain-policy", options.plain_policy),
    ):
        if value is not None:
            args += [flag, str(value)]
    args += list(options.extra_args)
    log_path = workdir / "thingport.log"
    stderr_path = workdir / "thingport.stderr"
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr, cwd=workdir)
    broker = Broker("thingport", data_dir, plain, tls, api, process, stderr_path, options)
    ready = threading.Event()
    threading.Thread(
        target=_pump, args=(process.stdout, broker.stdout_lines, log_path, ready), daemon=True
    ).start()
    deadline = time.monotonic() + READY_TIMEOUT
    while not ready.wait(0.1):
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                process.kill()
                process.wait(10)
            raise RuntimeError(
                f"thingport did not print 'thingport ready' (exit code {process.returncode}); "
                f"stdout: {broker.stdout_lines!r}\nstderr:\n{stderr_path.read_text(errors='replace')}"
            )
    return broker


def _mosquitto_binary() -> str:
    found = shutil.which("mosquitto") or (
        "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None
    )
    if not found:
        raise RuntimeError("mosquitto not installed (apt-get install -y mosquitto mosquitto-clients)")
    return found


def start_mosquitto(workdir: Path, options: BrokerOptions, data_dir: Path | None = None) -> Broker:
    data_dir = data_dir or workdir / "data"
    ca_dir = data_dir / "ca"
    if not (ca_dir / "root-ca.pem").exists():
        make_ca(ca_dir, "E2E mosquitto root CA", "root-ca.pem", "root-ca.key")
    ca = KeyPair(ca_dir / "root-ca.pem", ca_dir / "root-ca.key")
    shutil.copyfile(ca.cert, data_dir / "AmazonRootCA1.pem")
    server = make_server_cert(data_dir / "server", "server", ca, ["localhost"], ["127.0.0.1", "::1"])
    plain, tls = free_port(), free_port()
    log_path = workdir / "mosquitto.log"
    conf = [
        f"user {getpass.getuser()}",
        "per_listener_settings false",
        "allow_anonymous true",
        "persistence false",
        f"log_dest file {log_path}",
        "log_type error",
        "log_type warning",
        "log_type notice",
        "log_type information",
        "connection_messages true",
        "set_tcp_nodelay true",
        f"max_packet_size {options.max_packet_size or DEFAULT_MAX_PACKET_SIZE}",
        f"max_queued_messages {options.max_queued_messages or DEFAULT_MAX_QUEUED}",
        f"max_inflight_messages {options.max_inflight or DEFAULT_MAX_INFLIGHT}",
    ]
    if options.max_keepalive is not None:
        conf.append(f"max_keepalive {options.max_keepalive}")
    conf += [
        "",
        f"listener {plain} {HOST}",
        "",
        f"listener {tls} {HOST}",
        f"cafile {ca.cert}",
        f"certfile {server.cert}",
        f"keyfile {server.key}",
        "require_certificate true",
        "",
    ]
    conf_path = workdir / "mosquitto.conf"
    conf_path.write_text("\n".join(conf))
    stderr_path = workdir / "mosquitto.stderr"
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            [_mosquitto_binary(), "-c", str(conf_path)], stdout=stderr, stderr=stderr, cwd=workdir
        )
    broker = Broker(
        "mosquitto", data_dir, plain, tls, None, process, log_path, BrokerOptions(**vars(options))
    )
    deadline = time.monotonic() + READY_TIMEOUT
    while not (port_accepts(plain) and port_accepts(tls)):
        if process.poll() is not None or time.monotonic() > deadline:
            broker.stop()
            raise RuntimeError(
                f"mosquitto did not start (exit code {process.returncode}):\n"
                f"{stderr_path.read_text(errors='replace')}\n{broker.log_text()}"
            )
        time.sleep(0.05)
    return broker


def start_broker(workdir: Path, options: BrokerOptions | None = None, data_dir: Path | None = None) -> Broker:
    workdir.mkdir(parents=True, exist_ok=True)
    options = options or BrokerOptions()
    if broker_kind() == "mosquitto":
        return start_mosquitto(workdir, options, data_dir)
    return start_thingport(workdir, options, data_dir)
