"""Test clients: a paho-mqtt client wrapped for tests (blocking connect/subscribe/publish and a
message queue), and mutual-TLS helpers for raw clients."""

from __future__ import annotations

import queue
import ssl
import threading
import time
from dataclasses import dataclass

import paho.mqtt.client as mqtt

import pytest

import rawmqtt as m
from brokers import Broker
from certs import KeyPair

TIMEOUT = 30.0


@dataclass(frozen=True)
class Message:
    topic: str
    payload: bytes
    qos: int
    retain: bool
    dup: bool


class PahoClient:
    """One paho-mqtt (MQTT 3.1.1) connection with its network loop on a background thread."""

    def __init__(
        self,
        broker: Broker,
        client_id: str,
        *,
        clean: bool = True,
        keepalive: int = 60,
        will: tuple[str, bytes, int, bool] | None = None,
        tls: KeyPair | None = None,
    ) -> None:
        self.broker = broker
        self.keepalive = keepalive
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=mqtt.MQTTv311,
            clean_session=clean,
        )
        self.client.max_queued_messages_set(0)
        self.port = broker.plain_port
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(broker.ca.cert))
            context.load_cert_chain(str(tls.cert), str(tls.key))
            self.client.tls_set_context(context)
            self.port = broker.tls_port
        if will is not None:
            topic, payload, qos, retain = will
            self.client.will_set(topic, payload, qos, retain)
        self.messages: queue.Queue[Message] = queue.Queue()
        self.session_present: bool | None = None
        self.connect_rc: int | None = None
        self.disconnected = threading.Event()
        self._connected = threading.Event()
        self._subacks: dict[int, list[int]] = {}
        self._suback_event = threading.Condition()
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.client.on_disconnect = self._on_disconnect

    # ---- callbacks (network thread)

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:  # noqa: ANN001
        self.session_present = bool(flags.session_present)
        self.connect_rc = reason_code.value if hasattr(reason_code, "value") else int(reason_code)
        self._connected.set()

    def _on_message(self, client, userdata, msg) -> None:  # noqa: ANN001
        self.messages.put(Message(msg.topic, bytes(msg.payload), msg.qos, bool(msg.retain), bool(msg.dup)))

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:  # noqa: ANN001
        with self._suback_event:
            self._subacks[mid] = [rc.value for rc in reason_codes]
            self._suback_event.notify_all()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:  # noqa: ANN001
        self.disconnected.set()

    # ---- blocking API

    def connect(self, timeout: float = TIMEOUT) -> PahoClient:
        host = "localhost" if self.port == self.broker.tls_port else self.broker.host
        self.client.connect(host, self.port, keepalive=self.keepalive)
        self.client.loop_start()
        if not self._connected.wait(timeout):
            raise AssertionError(f"no CONNACK within {timeout}s")
        assert self.connect_rc == 0, f"connection refused: {self.connect_rc}"
        return self

    def subscribe(self, topic_filter: str, qos: int = 0, timeout: float = TIMEOUT) -> int:
        """Subscribe and return the granted QoS."""
        return self.subscribe_many([(topic_filter, qos)], timeout)[0]

    def subscribe_many(self, filters: list[tuple[str, int]], timeout: float = TIMEOUT) -> list[int]:
        result, mid = self.client.subscribe(filters)
        assert result == mqtt.MQTT_ERR_SUCCESS, mqtt.error_string(result)
        deadline = time.monotonic() + timeout
        with self._suback_event:
            while mid not in self._subacks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no SUBACK within {timeout}s")
                self._suback_event.wait(remaining)
            return self._subacks.pop(mid)

    def unsubscribe(self, topic_filter: str, timeout: float = TIMEOUT) -> None:
        done = threading.Event()
        self.client.on_unsubscribe = lambda *args: done.set()
        result, _ = self.client.unsubscribe(topic_filter)
        assert result == mqtt.MQTT_ERR_SUCCESS
        assert done.wait(timeout), f"no UNSUBACK within {timeout}s"

    def publish(
        self, topic: str, payload: bytes | str, qos: int = 0, retain: bool = False, wait: bool = True
    ) -> mqtt.MQTTMessageInfo:
        info = self.client.publish(topic, payload, qos=qos, retain=retain)
        if wait:
            info.wait_for_publish(TIMEOUT)
            assert info.is_published(), f"publish to {topic} not completed within {TIMEOUT}s"
        return info

    def expect(self, timeout: float = TIMEOUT) -> Message:
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no message within {timeout}s") from None

    def collect(self, count: int, timeout: float = TIMEOUT) -> list[Message]:
        """Exactly ``count`` messages (fails when fewer arrive before ``timeout``)."""
        deadline = time.monotonic() + timeout
        out: list[Message] = []
        while len(out) < count:
            remaining = deadline - time.monotonic()
            try:
                out.append(self.messages.get(timeout=max(0.0, remaining)))
            except queue.Empty:
                raise AssertionError(f"got {len(out)} of {count} messages within {timeout}s") from None
        return out

    def drain(self, quiet: float = 1.0) -> list[Message]:
        """Everything that arrives until nothing has come for ``quiet`` seconds."""
        out: list[Message] = []
        while True:
            try:
                out.append(self.messages.get(timeout=quiet))
            except queue.Empty:
                return out

    def disconnect(self) -> None:
        try:
            self.client.disconnect()
        finally:
            self.client.loop_stop()


def tls_context(ca_file, client: KeyPair | None) -> ssl.SSLContext:  # noqa: ANN001
    """A client TLS context trusting ``ca_file`` (name checked) presenting ``client``, if any."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(ca_file))
    if client is not None:
        context.load_cert_chain(str(client.cert), str(client.key))
    return context


def assert_refused(broker: Broker, client: KeyPair | None, client_id: str) -> None:
    """The TLS handshake fails, or the connection is closed before any CONNACK (AWS IoT's way
    of refusing a device)."""
    try:
        connection = m.RawClient(
            broker.host,
            broker.tls_port,
            ssl_context=tls_context(broker.ca.cert, client),
            server_hostname="localhost",
        )
    except (ssl.SSLError, ConnectionError):
        return
    with connection:
        try:
            connection.send(m.connect(client_id))
            packet = connection.recv(10)
        except TimeoutError:
            pytest.fail("the broker neither refused nor answered the connection")
        except (m.Closed, ssl.SSLError, ConnectionError):
            return
        pytest.fail(f"the broker answered {packet} instead of refusing {client_id!r}")
