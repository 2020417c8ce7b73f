"""The AWS IoT device SDKs for Python against the mutual-TLS listener.

Each device is provisioned as the seed's ``create_infra.py`` does, with boto3 against
Thingport's API: ``create_thing``, ``create_keys_and_certificate(setAsActive=True)``, the files
``certificate.pem.crt`` / ``private.pem.key`` / ``AmazonRootCA1.pem``, a least-privilege
policy built on ``${iot:Connection.Thing.ThingName}``, ``attach_policy`` to the certificate and
``attach_thing_principal``. Then the v1 SDK (``AWSIoTPythonSDK``, configured exactly as the
seed's ``device.py``) and the v2 SDK (``awsiotsdk``, MQTT 3.1.1 through ``awscrt``) connect to
``localhost`` on the TLS port. A plain-port paho client watches what the broker routes,
including the ``$aws/events/presence/...`` lifecycle events.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from AWSIoTPythonSDK.exception.AWSIoTExceptions import connectTimeoutException, subackError
from AWSIoTPythonSDK.MQTTLib import AWSIoTMQTTClient
from awscrt import mqtt
from awscrt.exceptions import AwsCrtError
from awsiot import mqtt_connection_builder

from brokers import Broker
from clients import PahoClient

pytestmark = [
    pytest.mark.thingport_only(
        reason="devices are provisioned through Thingport's AWS IoT API and held to their IoT policies"
    ),
    # AWSIoTPythonSDK 1.6 still builds its TLS context with ssl.PROTOCOL_TLS.
    pytest.mark.filterwarnings("ignore:ssl.PROTOCOL_TLS is deprecated:DeprecationWarning"),
]

# Every awaited event (CONNACK, PUBACK, SUBACK, a message, a lifecycle event) comes within this.
EVENT_TIMEOUT = 5.0
# Both SDKs reconnect after 1 s (v2: as configured here), then 2 s, 4 s...; a reconnect is
# awaited this long.
RECONNECT_TIMEOUT = 10.0
# The seed's settings (device.py).
SEED_CONNECT_TIMEOUT = 10
SEED_OPERATION_TIMEOUT = 5
SEED_DRAINING_FREQUENCY = 2
# What AWSIoTPythonSDK puts in the CONNECT user name unless metrics are disabled.
V1_METRICS_PREFIX = b"?SDK=Python&Version="


# --------------------------------------------------------------------------- provisioning


@dataclass(frozen=True)
class Device:
    """A provisioned thing: its certificate and the three files the seed's device reads."""

    thing_name: str
    certificate_arn: str
    certificate_id: str
    certificate: Path
    private_key: Path
    root_ca: Path

    @property
    def topic(self) -> str:
        """A topic the device may publish to and receive from."""
        return f"things/{self.thing_name}/telemetry"


def least_privilege_policy(thing_arn: str) -> str:
    """Connect only as the thing's name; publish, receive and subscribe only under
    ``things/<thing name>/``."""
    prefix = thing_arn.split(":thing/", 1)[0]  # arn:aws:iot:<region>:<account>
    thing = "${iot:Connection.Thing.ThingName}"
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "iot:Connect", "Resource": f"{prefix}:client/{thing}"},
                {
                    "Effect": "Allow",
                    "Action": ["iot:Publish", "iot:Receive"],
                    "Resource": f"{prefix}:topic/things/{thing}/*",
                },
                {
                    "Effect": "Allow",
                    "Action": "iot:Subscribe",
                    "Resource": f"{prefix}:topicfilter/things/{thing}/*",
                },
            ],
        }
    )


def download_root_ca(broker: Broker) -> str:
    """The root CA certificate from the API's unsigned ``GET /ca/root.pem``."""
    url = f"http://{broker.host}:{broker.api_port}/ca/root.pem"
    with urllib.request.urlopen(url, timeout=EVENT_TIMEOUT) as response:
        assert response.status == 200
        return response.read().decode()


def provision_device(broker: Broker, directory: Path, thing_name: str) -> Device:
    """Provision a device the way the seed's ``create_infra.py`` does and write its files."""
    iot = broker.iot()
    thing_arn = iot.create_thing(thingName=thing_name)["thingArn"]
    keys = iot.create_keys_and_certificate(setAsActive=True)
    directory.mkdir(parents=True, exist_ok=True)
    certificate, private_key = directory / "certificate.pem.crt", directory / "private.pem.key"
    root_ca = directory / "AmazonRootCA1.pem"
    certificate.write_text(keys["certificatePem"])
    private_key.write_text(keys["keyPair"]["PrivateKey"])
    (directory / "public.pem.key").write_text(keys["keyPair"]["PublicKey"])
    root_ca.write_text(download_root_ca(broker))
    assert root_ca.read_text() == (broker.data_dir / "AmazonRootCA1.pem").read_text()
    policy_name = f"{thing_name}-policy"
    iot.create_policy(policyName=policy_name, policyDocument=least_privilege_policy(thing_arn))
    iot.attach_policy(policyName=policy_name, target=keys["certificateArn"])
    iot.attach_thing_principal(thingName=thing_name, principal=keys["certificateArn"])
    return Device(
        thing_name, keys["certificateArn"], keys["certificateId"], certificate, private_key, root_ca
    )


@pytest.fixture
def device(broker: Broker, tmp_path: Path, uid: str) -> Device:
    return provision_device(broker, tmp_path / "device", uid)


# --------------------------------------------------------------------------- observing


class Inbox:
    """Messages (topic, payload, qos) handed over by an SDK callback thread."""

    def __init__(self) -> None:
        self.messages: queue.Queue[tuple[str, bytes, int]] = queue.Queue()

    def v1_callback(self, client: object, userdata: object, message: object) -> None:
        self.messages.put((message.topic, bytes(message.payload), message.qos))  # type: ignore[attr-defined]

    def v2_callback(
        self, topic: str, payload: bytes, dup: bool, qos: mqtt.QoS, retain: bool, **kwargs: object
    ) -> None:
        self.messages.put((topic, bytes(payload), int(qos)))

    def expect(self, timeout: float = EVENT_TIMEOUT) -> tuple[str, bytes, int]:
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no message within {timeout}s") from None


class Signals:
    """Named events fired on SDK threads (``online``, ``offline``, ``closed``...), awaited in order."""

    def __init__(self) -> None:
        self._queue: queue.Queue[str] = queue.Queue()

    def fire(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: self._queue.put(name)

    def expect(self, name: str, timeout: float = EVENT_TIMEOUT) -> None:
        """Wait for ``name``, skipping other signals fired before it."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self._queue.get(timeout=max(0.0, deadline - time.monotonic())) == name:
                    return
            except queue.Empty:
                raise AssertionError(f"no {name!r} within {timeout}s") from None


def presence(observer: PahoClient, kind: str, client_id: str) -> dict[str, object]:
    """The next ``$aws/events/presence/<kind>/<client_id>`` event the observer received."""
    message = observer.expect(EVENT_TIMEOUT)
    assert message.topic == f"$aws/events/presence/{kind}/{client_id}", message
    return json.loads(message.payload)


@pytest.fixture
def observer(paho: Callable[..., PahoClient], uid: str) -> PahoClient:
    """A plain-port client (the plain listener allows everything) watching the tests' topics."""
    return paho(f"{uid}-observer")


# --------------------------------------------------------------------------- AWSIoTPythonSDK (v1)


def seed_client(device: Device, port: int, client_id: str | None = None) -> AWSIoTMQTTClient:
    """An AWSIoTMQTTClient configured exactly as the seed's ``device.py``, but for ``localhost``."""
    client = AWSIoTMQTTClient(client_id or device.thing_name)
    client.configureEndpoint("localhost", port)
    client.configureCredentials(str(device.root_ca), str(device.private_key), str(device.certificate))
    client.configureOfflinePublishQueueing(-1)
    client.configureDrainingFrequency(SEED_DRAINING_FREQUENCY)
    client.configureConnectDisconnectTimeout(SEED_CONNECT_TIMEOUT)
    client.configureMQTTOperationTimeout(SEED_OPERATION_TIMEOUT)
    return client


def sent_user_name(client: AWSIoTMQTTClient) -> bytes | None:
    """The user name the SDK's embedded paho put in CONNECT (SDK internals: no public getter)."""
    return client._mqtt_core._internal_async_client._paho_client._username  # noqa: SLF001


@pytest.fixture
def v1_clients() -> Iterator[list[AWSIoTMQTTClient]]:
    """Clients to disconnect after the test, so that none keeps reconnecting."""
    made: list[AWSIoTMQTTClient] = []
    yield made
    for client in made:
        try:
            client.disconnectAsync()
        except Exception:  # noqa: BLE001 - best effort: it may never have connected
            pass


def online_seed_client(
    device: Device, port: int, signals: Signals, v1_clients: list[AWSIoTMQTTClient]
) -> AWSIoTMQTTClient:
    """A connected seed client whose ``onOnline`` / ``onOffline`` fire ``signals``."""
    client = seed_client(device, port)
    client.onOnline = signals.fire("online")
    client.onOffline = signals.fire("offline")
    v1_clients.append(client)
    assert client.connect() is True
    signals.expect("online")
    return client


def test_seed_device_connects_publishes_and_receives_its_own_message(broker, device, observer, v1_clients):
    """The seed's device loop: subscribe QoS 1, publish its JSON QoS 1, receive it back. The
    SDK's metrics user name (``?SDK=Python&Version=...``) is sent and accepted."""
    observer.subscribe(f"things/{device.thing_name}/#", 1)
    observer.subscribe(f"$aws/events/presence/connected/{device.thing_name}", 1)
    client = online_seed_client(device, broker.tls_port, Signals(), v1_clients)
    assert (sent_user_name(client) or b"").startswith(V1_METRICS_PREFIX)
    event = presence(observer, "connected", device.thing_name)
    assert event["clientId"] == device.thing_name
    assert event["principalIdentifier"] == device.certificate_id

    inbox = Inbox()
    assert client.subscribe(device.topic, 1, inbox.v1_callback) is True
    message = json.dumps({"message": "Hello from MQQT client", "sequence": 0})
    assert client.publish(device.topic, message, 1) is True  # PUBACK within the operation timeout

    assert inbox.expect() == (device.topic, message.encode(), 1)
    seen = observer.expect(EVENT_TIMEOUT)
    assert (seen.topic, seen.payload) == (device.topic, message.encode())


def test_seed_device_subscription_outside_its_policy_raises_suback_error(broker, device, v1_clients):
    client = online_seed_client(device, broker.tls_port, Signals(), v1_clients)
    with pytest.raises(subackError):
        client.subscribe("things/someone-else/telemetry", 1, Inbox().v1_callback)
    inbox = Inbox()
    assert client.subscribe(device.topic, 1, inbox.v1_callback) is True
    client.publish(device.topic, b"still connected", 1)
    assert inbox.expect() == (device.topic, b"still connected", 1)


def test_seed_device_with_a_client_id_its_policy_denies_is_refused(broker, device, v1_clients, observer):
    """``iot:Connect`` allows only ``client/<thing name>``: the broker closes the connection
    without CONNACK (as AWS IoT does), so ``connect()`` raises once its timeout runs out."""
    observer.subscribe(f"$aws/events/presence/connected/{device.thing_name}", 1)
    signals = Signals()
    client = seed_client(device, broker.tls_port, client_id=f"{device.thing_name}-impostor")
    client.configureConnectDisconnectTimeout(3)  # the seed's 10 s would only slow the test
    client.onOffline = signals.fire("offline")
    v1_clients.append(client)
    started = time.monotonic()
    with pytest.raises(connectTimeoutException):
        client.connect()
    assert time.monotonic() - started < 3 + EVENT_TIMEOUT
    signals.expect("offline", 0)  # the broker closed the connection rather than leave it hanging

    # The certificate itself is fine: the thing's own name connects.
    online_seed_client(device, broker.tls_port, Signals(), v1_clients)
    assert presence(observer, "connected", device.thing_name)["clientId"] == device.thing_name


def test_seed_device_publishing_outside_its_policy_is_disconnected_and_reconnects(
    broker, device, observer, v1_clients
):
    """A denied PUBLISH closes the connection (``AUTH_ERROR``) and is never routed; the SDK
    reconnects by itself and goes on. (QoS 0: an unacknowledged QoS 1 would be resent on every
    reconnect, closing each new connection, as it would on AWS IoT.)"""
    forbidden = f"things/{device.thing_name}-neighbour/telemetry"
    observer.subscribe(forbidden, 1)
    observer.subscribe(f"things/{device.thing_name}/#", 1)
    observer.subscribe(f"$aws/events/presence/disconnected/{device.thing_name}", 1)
    signals = Signals()
    client = online_seed_client(device, broker.tls_port, signals, v1_clients)

    client.publish(forbidden, b"not allowed", 0)
    signals.expect("offline")
    event = presence(observer, "disconnected", device.thing_name)
    assert event["disconnectReason"] == "AUTH_ERROR"
    assert event["clientInitiatedDisconnect"] is False

    signals.expect("online", RECONNECT_TIMEOUT)
    assert client.publish(device.topic, b"after the reconnect", 1) is True
    seen = observer.expect(EVENT_TIMEOUT)
    assert (seen.topic, seen.payload) == (device.topic, b"after the reconnect")
    assert observer.messages.empty(), "the denied message reached a subscriber"


class ConnectionCutter:
    """A TCP relay to the broker that can cut every connection through it and refuse new ones
    (a device losing its network), then let them through again."""

    def __init__(self, target_port: int, host: str = "127.0.0.1") -> None:
        self._target = (host, target_port)
        self._listener = socket.create_server((host, 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._refusing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        """Close every relayed connection; new ones are closed as soon as they arrive."""
        with self._lock:
            self._refusing = True
            for sock in self._open:
                self._shut(sock)
            self._open.clear()

    def restore(self) -> None:
        with self._lock:
            self._refusing = False

    def close(self) -> None:
        self.cut()
        self._listener.close()

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def _accept(self) -> None:
        while True:
            try:
                device_side, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                if self._refusing:
                    self._shut(device_side)
                    continue
                try:
                    broker_side = socket.create_connection(self._target, timeout=EVENT_TIMEOUT)
                except OSError:
                    self._shut(device_side)
                    continue
                broker_side.settimeout(None)
                self._open += [device_side, broker_side]
            threading.Thread(target=self._pump, args=(device_side, broker_side), daemon=True).start()
            threading.Thread(target=self._pump, args=(broker_side, device_side), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            self._shut(sock)


@pytest.fixture
def cutter(broker: Broker) -> Iterator[ConnectionCutter]:
    relay = ConnectionCutter(broker.tls_port)
    yield relay
    relay.close()


def test_seed_device_queues_publishes_while_offline_and_drains_them_in_order(
    broker, device, observer, cutter, v1_clients
):
    """``configureOfflinePublishQueueing(-1)`` + ``configureDrainingFrequency(2)``: publishes
    made while the network is down are queued, then sent in order after the SDK reconnects
    (and resubscribes)."""
    observer.subscribe(f"things/{device.thing_name}/#", 1)
    signals = Signals()
    client = online_seed_client(device, cutter.port, signals, v1_clients)
    inbox = Inbox()
    assert client.subscribe(device.topic, 1, inbox.v1_callback) is True

    cutter.cut()
    signals.expect("offline")
    payloads = [f"offline-{i}".encode() for i in range(4)]
    for payload in payloads:
        assert client.publish(device.topic, payload, 1) is False  # queued, not sent
    assert observer.messages.empty()
    cutter.restore()

    signals.expect("online", RECONNECT_TIMEOUT)
    drain_time = len(payloads) / SEED_DRAINING_FREQUENCY + EVENT_TIMEOUT
    assert [m.payload for m in observer.collect(len(payloads), drain_time)] == payloads
    assert [inbox.expect()[1] for _ in payloads] == payloads  # its subscription came back too


# --------------------------------------------------------------------------- awsiotsdk (v2)


@dataclass
class V2Connection:
    """An ``awscrt`` MQTT 3.1.1 connection from ``mqtt_connection_builder.mtls_from_path`` and
    the lifecycle callbacks it fired."""

    connection: mqtt.Connection
    signals: Signals = field(default_factory=Signals)


@pytest.fixture
def v2_connect(broker: Broker) -> Iterator[Callable[..., V2Connection]]:
    """Factory of v2 SDK connections to the TLS port (disconnected after the test)."""
    made: list[mqtt.Connection] = []

    def make(device: Device, client_id: str | None = None, *, connect: bool = True) -> V2Connection:
        signals = Signals()
        connection = mqtt_connection_builder.mtls_from_path(
            endpoint="localhost",
            port=broker.tls_port,
            cert_filepath=str(device.certificate),
            pri_key_filepath=str(device.private_key),
            ca_filepath=str(device.root_ca),
            client_id=client_id or device.thing_name,
            clean_session=True,
            keep_alive_secs=30,
            reconnect_min_timeout_secs=1,  # the default 5 s would only slow the resume test
            on_connection_interrupted=signals.fire("interrupted"),
            on_connection_resumed=signals.fire("resumed"),
            on_connection_closed=signals.fire("closed"),
        )
        made.append(connection)
        if connect:
            assert connection.connect().result(EVENT_TIMEOUT) == {"session_present": False}
        return V2Connection(connection, signals)

    yield make
    for connection in made:
        try:
            connection.disconnect().result(EVENT_TIMEOUT)
        except Exception:  # noqa: BLE001 - best effort: it may be closed already
            pass


def test_v2_sdk_connects_subscribes_publishes_and_receives(device, observer, v2_connect):
    observer.subscribe(f"$aws/events/presence/connected/{device.thing_name}", 1)
    connection = v2_connect(device).connection
    assert presence(observer, "connected", device.thing_name)["principalIdentifier"] == device.certificate_id
    observer.subscribe(f"things/{device.thing_name}/#", 1)

    inbox = Inbox()
    subscribe, _ = connection.subscribe(device.topic, mqtt.QoS.AT_LEAST_ONCE, inbox.v2_callback)
    assert subscribe.result(EVENT_TIMEOUT)["qos"] == mqtt.QoS.AT_LEAST_ONCE
    publish, packet_id = connection.publish(device.topic, b'{"v": 2}', mqtt.QoS.AT_LEAST_ONCE)
    assert publish.result(EVENT_TIMEOUT)["packet_id"] == packet_id  # PUBACK

    assert inbox.expect() == (device.topic, b'{"v": 2}', 1)
    seen = observer.expect(EVENT_TIMEOUT)
    assert (seen.topic, seen.payload, seen.qos) == (device.topic, b'{"v": 2}', 1)


def test_v2_sdk_subscription_outside_its_policy_is_rejected(device, v2_connect):
    """SUBACK 0x80: ``awscrt`` fails the subscribe future with ``SubscribeError``; the
    connection stays up."""
    connection = v2_connect(device).connection
    rejected, _ = connection.subscribe("things/someone-else/#", mqtt.QoS.AT_LEAST_ONCE, Inbox().v2_callback)
    with pytest.raises(mqtt.SubscribeError):
        rejected.result(EVENT_TIMEOUT)

    inbox = Inbox()
    own = f"things/{device.thing_name}/#"
    allowed, _ = connection.subscribe(own, mqtt.QoS.AT_LEAST_ONCE, inbox.v2_callback)
    assert allowed.result(EVENT_TIMEOUT)["qos"] == mqtt.QoS.AT_LEAST_ONCE
    connection.publish(device.topic, b"still connected", mqtt.QoS.AT_LEAST_ONCE)[0].result(EVENT_TIMEOUT)
    assert inbox.expect() == (device.topic, b"still connected", 1)


def test_v2_sdk_disconnect_is_clean(device, observer, v2_connect):
    """DISCONNECT: the future completes, the closed callback fires and the broker reports a
    client-initiated disconnect (no interruption on either side)."""
    observer.subscribe(f"$aws/events/presence/disconnected/{device.thing_name}", 1)
    v2 = v2_connect(device)
    assert v2.connection.disconnect().result(EVENT_TIMEOUT) == {}
    v2.signals.expect("closed")
    event = presence(observer, "disconnected", device.thing_name)
    assert event["disconnectReason"] == "CLIENT_INITIATED_DISCONNECT"
    assert event["clientInitiatedDisconnect"] is True


def test_v2_sdk_with_a_client_id_its_policy_denies_fails_to_connect(device, v2_connect):
    """The broker closes the connection without CONNACK: the connect future fails promptly."""
    v2 = v2_connect(device, f"{device.thing_name}-impostor", connect=False)
    with pytest.raises(AwsCrtError) as refused:
        v2.connection.connect().result(EVENT_TIMEOUT)
    assert refused.value.name == "AWS_ERROR_MQTT_UNEXPECTED_HANGUP"


def test_v2_sdk_publishing_outside_its_policy_is_interrupted_then_resumes(device, observer, v2_connect):
    """A denied PUBLISH closes the connection; ``awscrt`` reports the interruption, reconnects
    and resumes, and the message is never routed."""
    forbidden = f"things/{device.thing_name}-neighbour/telemetry"
    observer.subscribe(forbidden, 1)
    observer.subscribe(f"things/{device.thing_name}/#", 1)
    v2 = v2_connect(device)
    v2.connection.publish(forbidden, b"not allowed", mqtt.QoS.AT_MOST_ONCE)
    v2.signals.expect("interrupted")
    v2.signals.expect("resumed", RECONNECT_TIMEOUT)
    v2.connection.publish(device.topic, b"after resuming", mqtt.QoS.AT_LEAST_ONCE)[0].result(EVENT_TIMEOUT)
    seen = observer.expect(EVENT_TIMEOUT)
    assert (seen.topic, seen.payload) == (device.topic, b"after resuming")
    assert observer.messages.empty(), "the denied message reached a subscriber"
