"""Devices are their registry certificates, and IoT policies decide every connect, publish,
subscribe and receive on the mutual-TLS listener, as AWS IoT Core does.

Certificates are made with openssl and registered through the API with boto3; each test makes
its own certificate and policy, so tests do not see each other's registry changes.
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import rawmqtt as m
from brokers import Broker, BrokerOptions, start_broker
from certs import KeyPair, make_ca, make_client_cert, make_verification_cert
from clients import assert_refused, tls_context

pytestmark = pytest.mark.thingport_only(reason="devices, certificates and policies come from Thingport's registry")

SETTLE = 5.0  # longest wait for a registry change to reach live connections (it takes milliseconds)


def policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: str | list[str], resource: str | list[str]) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def deny(action: str | list[str], resource: str | list[str]) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource}


def arn(broker: Broker, kind: str, name: str) -> str:
    """A resource ARN of the broker's account (``topic/a/b``, ``client/id``…)."""
    return f"arn:aws:iot:us-east-1:000000000000:{kind}/{name}"


class Device:
    """An openssl-made certificate registered through the API, and how to connect with it."""

    def __init__(self, broker: Broker, directory: Path, name: str, *, ca: KeyPair | None = None) -> None:
        self.broker = broker
        self.iot = broker.iot()
        self.keys = make_client_cert(directory, name, ca or broker.ca)
        self.arn = ""
        self.certificate_id = ""

    def register(self, document: str | None, *, policy_name: str, status: str = "ACTIVE") -> Device:
        result = self.iot.register_certificate_without_ca(
            certificatePem=self.keys.cert.read_text(), status=status
        )
        self.arn, self.certificate_id = result["certificateArn"], result["certificateId"]
        if document is not None:
            self.iot.create_policy(policyName=policy_name, policyDocument=document)
            self.iot.attach_policy(policyName=policy_name, target=self.arn)
        return self

    def open(self) -> m.RawClient:
        return m.RawClient(
            self.broker.host,
            self.broker.tls_port,
            ssl_context=tls_context(self.broker.ca.cert, self.keys),
            server_hostname="localhost",
        )

    def connect(self, client_id: str, **kwargs: object) -> m.RawClient:
        client = self.open()
        client.connect_ok(client_id, **kwargs)
        return client

    def assert_refused(self, client_id: str) -> None:
        """The handshake fails, or the connection closes without a CONNACK (AWS's behaviour)."""
        assert_refused(self.broker, self.keys, client_id)


@pytest.fixture
def device(broker: Broker, tmp_path: Path, uid: str) -> Callable[..., Device]:
    """Makes a registered device: ``device(document)`` attaches ``document`` as a new policy."""
    count = iter(range(100))

    def make(document: str | None, *, status: str = "ACTIVE", ca: KeyPair | None = None) -> Device:
        n = next(count)
        return Device(broker, tmp_path / f"d{n}", f"{uid}-{n}", ca=ca).register(
            document, policy_name=f"{uid}-{n}", status=status
        )

    return make


def wait_until(condition: Callable[[], bool], timeout: float = SETTLE) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


# --------------------------------------------------------------------------- connect


def test_connect_is_allowed_only_for_the_client_ids_the_policy_names(broker, device, uid):
    dev = device(policy(allow("iot:Connect", arn(broker, "client", f"{uid}-allowed"))))
    with dev.connect(f"{uid}-allowed") as client:
        assert client.ping().name == "PINGRESP"
    dev.assert_refused(f"{uid}-other")


def test_a_certificate_without_policies_cannot_connect(device, uid):
    device(None).assert_refused(uid)


def test_an_explicit_deny_wins_over_an_allow(broker, device, uid):
    dev = device(
        policy(allow("iot:*", "*"), deny("iot:Connect", arn(broker, "client", f"{uid}-banned")))
    )
    dev.assert_refused(f"{uid}-banned")
    dev.connect(f"{uid}-fine").close()


def test_the_sdk_metrics_user_name_is_not_a_login(broker, device, uid):
    dev = device(policy(allow("iot:Connect", "*")))
    with dev.connect(uid, username="?SDK=Python&Version=1.5.4") as client:
        assert client.ping().name == "PINGRESP"


@pytest.mark.parametrize("status", ["INACTIVE", "REVOKED"])
def test_certificates_that_are_not_active_are_refused(device, uid, status):
    dev = device(policy(allow("iot:*", "*")))
    dev.iot.update_certificate(certificateId=dev.certificate_id, newStatus=status)
    dev.assert_refused(uid)


def test_a_certificate_registered_inactive_connects_once_activated(device, uid):
    dev = device(policy(allow("iot:*", "*")), status="INACTIVE")
    dev.assert_refused(uid)
    dev.iot.update_certificate(certificateId=dev.certificate_id, newStatus="ACTIVE")
    assert wait_until(lambda: _connects(dev, uid))


def _connects(dev: Device, client_id: str) -> bool:
    try:
        with dev.open() as client:
            return client.connect(client_id).return_code == 0
    except (m.Closed, ssl.SSLError, ConnectionError, TimeoutError):
        return False


def test_a_deleted_certificate_is_refused(device, uid):
    dev = device(None)
    dev.iot.update_certificate(certificateId=dev.certificate_id, newStatus="INACTIVE")
    dev.iot.delete_certificate(certificateId=dev.certificate_id)
    dev.assert_refused(uid)


# --------------------------------------------------------------------------- live connections


@pytest.mark.parametrize("status", ["INACTIVE", "REVOKED"])
def test_a_live_connection_is_cut_when_its_certificate_stops_being_active(broker, device, paho, uid, status):
    dev = device(policy(allow("iot:*", "*")))
    client = dev.connect(uid)
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"$aws/events/presence/disconnected/{uid}", 1)
    dev.iot.update_certificate(certificateId=dev.certificate_id, newStatus=status)
    client.wait_closed(SETTLE)
    event = json.loads(watcher.expect().payload)
    assert event["clientId"] == uid
    assert event["eventType"] == "disconnected"
    assert event["disconnectReason"] == "AUTH_ERROR"
    assert event["principalIdentifier"] == dev.certificate_id
    dev.assert_refused(uid)


def test_a_new_default_policy_version_applies_to_live_connections(broker, device, uid):
    dev = device(policy(allow("iot:*", "*")))
    with dev.connect(uid) as client:
        assert client.subscribe([(f"{uid}/a", 1)]) == [1]
        dev.iot.create_policy_version(
            policyName=f"{uid}-0",
            policyDocument=policy(allow(["iot:Connect", "iot:Publish", "iot:Receive"], "*")),
            setAsDefault=True,
        )
        # Subscribe is no longer allowed: the next SUBSCRIBE is refused in its SUBACK.
        assert wait_until(lambda: client.subscribe([(f"{uid}/b", 1)]) == [0x80])
        client.publish_qos1(f"{uid}/a", b"still allowed")
        assert client.next_publish().payload == b"still allowed"


def test_detaching_the_policy_takes_effect_on_the_live_connection(broker, device, uid):
    dev = device(policy(allow("iot:*", "*")))
    with dev.connect(uid) as client:
        assert client.subscribe([(f"{uid}/a", 0)]) == [0]
        dev.iot.detach_policy(policyName=f"{uid}-0", target=dev.arn)
        assert wait_until(lambda: client.subscribe([(f"{uid}/b", 0)]) == [0x80])
    dev.assert_refused(uid)


# --------------------------------------------------------------------------- publish, subscribe, receive


def test_a_denied_publish_closes_the_connection_and_is_not_delivered(broker, device, paho, uid):
    dev = device(
        policy(
            allow("iot:Connect", "*"),
            allow("iot:Publish", arn(broker, "topic", f"{uid}/open")),
        )
    )
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"{uid}/#", 1)
    with dev.connect(uid) as client:
        client.publish_qos1(f"{uid}/open", b"allowed")
        client.send(m.publish(f"{uid}/closed", b"denied", qos=1, packet_id=7))
        client.wait_closed(SETTLE)
    assert [(msg.topic, msg.payload) for msg in watcher.drain(quiet=0.5)] == [(f"{uid}/open", b"allowed")]


def test_a_retained_publish_needs_iot_retain_publish(broker, device, paho, uid):
    topic = f"{uid}/state"
    plain = device(policy(allow(["iot:Connect", "iot:Publish"], "*")))
    with plain.connect(f"{uid}-a") as client:
        client.publish_qos1(topic, b"not retained")
        client.send(m.publish(topic, b"retained", qos=1, packet_id=9, retain=True))
        client.wait_closed(SETTLE)
    retaining = device(
        policy(allow(["iot:Connect", "iot:Publish"], "*"), allow("iot:RetainPublish", arn(broker, "topic", topic)))
    )
    with retaining.connect(f"{uid}-b") as client:
        client.publish_qos1(topic, b"kept", retain=True)
    late = paho(f"{uid}-late")
    late.subscribe(topic, 1)
    message = late.expect()
    assert (message.payload, message.retain) == (b"kept", True)


def test_a_denied_subscription_gets_0x80_and_the_others_are_granted(broker, device, uid):
    dev = device(
        policy(
            allow(["iot:Connect", "iot:Receive"], "*"),
            allow("iot:Subscribe", arn(broker, "topicfilter", f"{uid}/open/*")),
        )
    )
    with dev.connect(uid) as client:
        assert client.subscribe([(f"{uid}/open/a", 1), (f"{uid}/secret/#", 1), (f"{uid}/open/b", 0)]) == [
            1,
            0x80,
            0,
        ]
        assert client.ping().name == "PINGRESP"


def test_receive_is_checked_per_message_at_delivery(broker, device, paho, uid):
    dev = device(
        policy(
            allow(["iot:Connect", "iot:Subscribe"], "*"),
            allow("iot:Receive", arn(broker, "topic", f"{uid}/*")),
            deny("iot:Receive", arn(broker, "topic", f"{uid}/private")),
        )
    )
    with dev.connect(uid) as client:
        assert client.subscribe([(f"{uid}/#", 1)]) == [1]
        sender = paho(f"{uid}-sender")
        sender.publish(f"{uid}/private", b"not for you", qos=1)
        sender.publish(f"{uid}/public", b"for you", qos=1)
        delivered = client.next_publish()
        assert (delivered.topic, delivered.payload) == (f"{uid}/public", b"for you")
        assert client.recv_or_none(0.5) is None


def test_least_privilege_policy_with_the_thing_name(broker, device, paho, uid):
    """The README's example: a device may only be its thing and use its thing's topics."""
    document = policy(
        allow("iot:Connect", arn(broker, "client", "${iot:Connection.Thing.ThingName}")),
        allow(["iot:Publish", "iot:Receive"], arn(broker, "topic", "things/${iot:Connection.Thing.ThingName}/*")),
        allow("iot:Subscribe", arn(broker, "topicfilter", "things/${iot:Connection.Thing.ThingName}/*")),
    )
    dev = device(document)
    thing = f"{uid}-thing"
    dev.iot.create_thing(thingName=thing)
    dev.iot.attach_thing_principal(thingName=thing, principal=dev.arn)
    dev.assert_refused(f"{uid}-not-the-thing")
    with dev.connect(thing) as client:
        assert client.subscribe([(f"things/{thing}/cmd", 1), (f"things/{uid}-other/cmd", 1)]) == [1, 0x80]
        client.publish_qos1(f"things/{thing}/cmd", b"mine")
        assert client.next_publish().payload == b"mine"
        client.send(m.publish(f"things/{uid}-other/cmd", b"theirs", qos=1, packet_id=5))
        client.wait_closed(SETTLE)


# --------------------------------------------------------------------------- trust


def _register_ca(broker: Broker, directory: Path, name: str) -> tuple[KeyPair, str]:
    """A customer CA registered ACTIVE with its verification certificate (CN = registration code)."""
    iot = broker.iot()
    ca = make_ca(directory, name)
    code = iot.get_registration_code()["registrationCode"]
    verification = make_verification_cert(directory, code, ca)
    ca_id = iot.register_ca_certificate(
        caCertificate=ca.cert.read_text(),
        verificationCertificate=verification.cert.read_text(),
        setAsActive=True,
    )["certificateId"]
    return ca, ca_id


def test_a_certificate_of_a_registered_customer_ca_connects_until_the_ca_is_deactivated(
    broker, tmp_path, uid
):
    iot = broker.iot()
    ca, ca_id = _register_ca(broker, tmp_path / "ca", f"{uid} customer CA")
    dev = Device(broker, tmp_path / "dev", f"{uid}-dev", ca=ca)
    result = iot.register_certificate(certificatePem=dev.keys.cert.read_text(), caCertificatePem=ca.cert.read_text())
    dev.arn, dev.certificate_id = result["certificateArn"], result["certificateId"]
    iot.update_certificate(certificateId=dev.certificate_id, newStatus="ACTIVE")
    iot.create_policy(policyName=uid, policyDocument=policy(allow("iot:*", "*")))
    iot.attach_policy(policyName=uid, target=dev.arn)
    client = dev.connect(uid)
    iot.update_ca_certificate(certificateId=ca_id, newStatus="INACTIVE")
    client.wait_closed(SETTLE)
    dev.assert_refused(uid)


def test_an_unregistered_certificate_of_a_registered_ca_is_refused(broker, tmp_path, uid):
    ca, _ = _register_ca(broker, tmp_path / "ca", f"{uid} customer CA")
    Device(broker, tmp_path / "dev", f"{uid}-dev", ca=ca).assert_refused(uid)


def test_a_certificate_of_an_unregistered_ca_is_refused_even_if_registered_without_ca(
    broker, tmp_path, uid
):
    foreign = make_ca(tmp_path / "ca", f"{uid} foreign CA")
    dev = Device(broker, tmp_path / "dev", f"{uid}-dev", ca=foreign).register(
        policy(allow("iot:*", "*")), policy_name=uid
    )
    dev.assert_refused(uid)


# --------------------------------------------------------------------------- answers


def test_test_authorization_gives_the_decisions_the_broker_enforces(broker, device, uid):
    dev = device(
        policy(
            allow("iot:Connect", "*"),
            allow("iot:Publish", arn(broker, "topic", f"{uid}/open")),
            deny("iot:Publish", arn(broker, "topic", f"{uid}/closed")),
        )
    )
    results = dev.iot.test_authorization(
        principal=dev.arn,
        clientId=uid,
        authInfos=[
            {"actionType": "PUBLISH", "resources": [arn(broker, "topic", f"{uid}/open")]},
            {"actionType": "PUBLISH", "resources": [arn(broker, "topic", f"{uid}/closed")]},
            {"actionType": "SUBSCRIBE", "resources": [arn(broker, "topicfilter", f"{uid}/open")]},
        ],
    )["authResults"]
    assert [r["authDecision"] for r in results] == ["ALLOWED", "EXPLICIT_DENY", "IMPLICIT_DENY"]
    assert results[0]["allowed"]["policies"][0]["policyName"] == f"{uid}-0"
    assert results[1]["denied"]["explicitDeny"]["policies"][0]["policyName"] == f"{uid}-0"
    with dev.connect(uid) as client:
        assert client.subscribe([(f"{uid}/open", 0)]) == [0x80]
        client.publish_qos1(f"{uid}/open", b"allowed")
        client.send(m.publish(f"{uid}/closed", b"denied", qos=1, packet_id=3))
        client.wait_closed(SETTLE)


def test_lifecycle_events_name_the_certificate(broker, device, paho, uid):
    dev = device(policy(allow("iot:*", "*")))
    watcher = paho(f"{uid}-watch")
    watcher.subscribe(f"$aws/events/presence/+/{uid}", 1)
    watcher.subscribe(f"$aws/events/subscriptions/+/{uid}", 1)
    with dev.connect(uid) as client:
        client.subscribe([(f"{uid}/t", 1)])
        client.send(m.disconnect())
        client.wait_closed(SETTLE)
    events = [json.loads(msg.payload) for msg in watcher.collect(3)]
    assert [e["eventType"] for e in events] == ["connected", "subscribed", "disconnected"]
    assert events[0]["principalIdentifier"] == dev.certificate_id
    assert events[1]["topics"] == [f"{uid}/t"]
    assert events[2]["disconnectReason"] == "CLIENT_INITIATED_DISCONNECT"


# --------------------------------------------------------------------------- the plain listener


@pytest.fixture
def plain_policy_broker(tmp_path: Path) -> Iterator[Broker]:
    document = tmp_path / "plain-policy.json"
    document.write_text(
        policy(allow("iot:*", "*"), deny("iot:Subscribe", "arn:aws:iot:*:*:topicfilter/secret/*"))
    )
    started = start_broker(tmp_path / "broker", BrokerOptions(plain_policy=str(document)))
    yield started
    started.stop()


def test_plain_policy_refuses_a_subscription_with_0x80(plain_policy_broker, uid):
    with m.RawClient(plain_policy_broker.host, plain_policy_broker.plain_port) as client:
        client.connect_ok(uid)
        assert client.subscribe([("secret/#", 0), (f"{uid}/open", 1)]) == [0x80, 1]


def test_a_plain_policy_that_is_not_valid_stops_serve_with_a_clear_error(tmp_path):
    document = tmp_path / "bad.json"
    document.write_text('{"Statement": [{"Effect": "Perhaps", "Action": "iot:*", "Resource": "*"}]}')
    with pytest.raises(RuntimeError, match="Perhaps"):
        start_broker(tmp_path / "broker", BrokerOptions(plain_policy=str(document)))


# --------------------------------------------------------------------------- AWS IoT's device-facing rules


def test_alpn_x_amzn_mqtt_ca_is_accepted(broker, device, uid):
    dev = device(policy(allow("iot:*", "*")))
    context = tls_context(broker.ca.cert, dev.keys)
    context.set_alpn_protocols(["x-amzn-mqtt-ca"])
    with m.RawClient(broker.host, broker.tls_port, ssl_context=context, server_hostname="localhost") as client:
        assert client.sock.selected_alpn_protocol() == "x-amzn-mqtt-ca"
        client.connect_ok(uid)


def test_the_aws_limits_are_options(tmp_path, uid):
    limited = start_broker(
        tmp_path / "broker",
        BrokerOptions(extra_args=("--max-subscribe-filters", "2", "--max-payload-bytes", "100")),
    )
    try:
        with m.RawClient(limited.host, limited.plain_port) as client:
            client.connect_ok(f"{uid}-a")
            assert client.subscribe([(f"{uid}/1", 0), (f"{uid}/2", 0)]) == [0, 0]
            client.publish_qos1(f"{uid}/1", b"x" * 100)
            client.send(m.subscribe(9, [(f"{uid}/1", 0), (f"{uid}/2", 0), (f"{uid}/3", 0)]))
            client.wait_closed(SETTLE)
        with m.RawClient(limited.host, limited.plain_port) as client:
            client.connect_ok(f"{uid}-b")
            client.send(m.publish(f"{uid}/1", b"x" * 101, qos=1, packet_id=1))
            client.wait_closed(SETTLE)
    finally:
        limited.stop()


def test_aws_iot_refuses_nine_filters_in_one_subscribe_by_default(broker, raw, uid):
    client = raw()
    client.connect_ok(uid)
    assert client.subscribe([(f"{uid}/{n}", 0) for n in range(8)]) == [0] * 8
    client.send(m.subscribe(2, [(f"{uid}/{n}", 0) for n in range(9)]))
    client.wait_closed(SETTLE)
