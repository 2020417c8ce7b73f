"""Malformed input closes only the offending connection, fires its will, and nothing else notices.

Each case: a bystander (paho) subscribes to the offender's will topic; the offender (raw socket)
connects with a will, then sends one bad packet. The offender's connection must be closed
without any reply, its will must be published, the bystander must keep working and a new
client must still be able to connect.
"""

from __future__ import annotations

import pytest

import rawmqtt as m
from brokers import DEFAULT_MAX_PACKET_SIZE

CLOSE_TIMEOUT = 10.0


def publish_of_total_size(total: int, topic: str = "big") -> bytes:
    """A QoS 0 PUBLISH whose whole encoding (fixed header included) is exactly ``total`` bytes."""
    for length_bytes in (1, 2, 3, 4):
        body = total - 1 - length_bytes
        if len(m.varint(body)) == length_bytes:
            payload_size = body - 2 - len(topic.encode())
            packet = m.publish(topic, b"p" * payload_size)
            assert len(packet) == total
            return packet
    raise ValueError(total)


CASES = [
    pytest.param(bytes([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]), id="remaining-length-5-bytes"),
    pytest.param(bytes([0x30, 0x03, 0x00, 0x10, 0x61]), id="topic-length-beyond-packet"),
    pytest.param(m.subscribe(1, [("a/b", 0)], flags=0x00), id="subscribe-flags-0"),
    pytest.param(m.unsubscribe(1, ["a/b"], flags=0x00), id="unsubscribe-flags-0"),
    pytest.param(m.pubrel(1, flags=0x00), id="pubrel-flags-0"),
    pytest.param(m.packet(0x36, m.string("a/b") + b"\x00\x01x"), id="publish-qos-3"),
    pytest.param(m.publish(b"a/\xff\xfe", b"x"), id="topic-invalid-utf8"),
    pytest.param(m.publish(b"a/\xed\xa0\x80", b"x"), id="topic-utf16-surrogate"),
    pytest.param(m.publish(b"a/\xc0\x80", b"x"), id="topic-overlong-nul"),
    pytest.param(m.publish(b"a/\x00b", b"x"), id="topic-nul"),
    pytest.param(m.publish("a/+/b", b"x"), id="topic-wildcard-plus"),
    pytest.param(m.publish("a/#", b"x"), id="topic-wildcard-hash"),
    pytest.param(m.publish("", b"x"), id="topic-empty"),
    pytest.param(m.publish("a/b", b"x", qos=1, packet_id=0), id="qos1-packet-id-0"),
    pytest.param(m.packet(0x82, b"\x00\x01"), id="subscribe-without-filters"),
    pytest.param(m.subscribe(1, [("a/b", 3)]), id="subscribe-qos-3"),
    pytest.param(m.subscribe(1, [(b"a/\xff", 0)]), id="subscribe-filter-invalid-utf8"),
    pytest.param(m.packet(0xA2, b"\x00\x01"), id="unsubscribe-without-filters"),
    pytest.param(bytes([0x20, 0x02, 0x00, 0x00]), id="connack-from-client"),
    pytest.param(bytes([0x00, 0x00]), id="reserved-packet-type-0"),
    pytest.param(bytes([0xF0, 0x00]), id="reserved-packet-type-15"),
    pytest.param(bytes([0xE1, 0x00]), id="disconnect-flags-not-zero"),
    pytest.param(publish_of_total_size(DEFAULT_MAX_PACKET_SIZE + 4096), id="oversized-packet"),
    pytest.param(
        bytes([0x30]) + m.varint(50 * 1024 * 1024) + m.string("a/b"), id="oversized-length-announced"
    ),
    pytest.param(
        bytes([0xC1, 0x00]),
        id="pingreq-flags-not-zero",
        marks=pytest.mark.thingport_only(reason="mosquitto 2.0 ignores reserved flags on PINGREQ"),
    ),
    pytest.param(
        bytes([0x90, 0x03, 0x00, 0x01, 0x00]),
        id="suback-from-client",
        marks=pytest.mark.thingport_only(reason="mosquitto 2.0 ignores a SUBACK sent by a client"),
    ),
    pytest.param(
        bytes([0xD0, 0x00]),
        id="pingresp-from-client",
        marks=pytest.mark.thingport_only(reason="mosquitto 2.0 ignores a PINGRESP sent by a client"),
    ),
    pytest.param(
        m.publish("a/b", b"x", dup=True),
        id="qos0-publish-with-dup",
        marks=pytest.mark.thingport_only(reason="mosquitto 2.0 accepts DUP=1 on QoS 0 [MQTT-3.3.1-2]"),
    ),
    pytest.param(
        publish_of_total_size(DEFAULT_MAX_PACKET_SIZE + 1),
        id="oversized-by-one-byte",
        marks=pytest.mark.thingport_only(
            reason="mosquitto's max_packet_size does not count the remaining-length bytes"
        ),
    ),
]


def assert_isolated_violation(raw, paho, uid: str, offending: bytes, will_required: bool = True) -> None:
    bystander = paho(f"{uid}-bystander")
    assert bystander.subscribe_many([(f"{uid}/will", 1), (f"{uid}/chat", 1)]) == [1, 1]
    offender = raw()
    offender.connect_ok(f"{uid}-offender", will=m.Will(f"{uid}/will", b"offender gone", qos=1))
    offender.send_quietly(offending)
    seen = offender.wait_closed(CLOSE_TIMEOUT)
    assert seen == [], f"the broker answered a malformed packet: {[str(p) for p in seen]}"

    if will_required:
        will = bystander.expect()
        assert (will.topic, will.payload, will.qos) == (f"{uid}/will", b"offender gone", 1)

    bystander.publish(f"{uid}/chat", b"still here", qos=1)
    chat = bystander.expect()
    if not will_required and chat.topic == f"{uid}/will":
        chat = bystander.expect()
    assert (chat.topic, chat.payload) == (f"{uid}/chat", b"still here")
    newcomer = raw()
    newcomer.connect_ok(f"{uid}-newcomer")
    assert newcomer.ping().type == m.PINGRESP


@pytest.mark.parametrize("offending", CASES)
def test_malformed_packet_closes_only_that_connection_and_fires_its_will(raw, paho, uid, offending):
    assert_isolated_violation(raw, paho, uid, offending)


def test_second_connect_closes_the_connection(raw, paho, uid):
    assert_isolated_violation(raw, paho, uid, m.connect(f"{uid}-offender"), will_required=False)


@pytest.mark.thingport_only(reason="mosquitto 2.0 drops the will when it rejects a second CONNECT")
def test_second_connect_fires_the_will(raw, paho, uid):
    assert_isolated_violation(raw, paho, uid, m.connect(f"{uid}-offender"))


def test_packet_of_exactly_the_maximum_size_is_accepted(raw, paho, uid):
    subscriber = paho(f"{uid}-sub")
    subscriber.subscribe(f"{uid}/big", 0)
    publisher = raw()
    publisher.connect_ok(f"{uid}-pub")
    packet = publish_of_total_size(DEFAULT_MAX_PACKET_SIZE, f"{uid}/big")
    publisher.send(packet)
    assert publisher.ping().type == m.PINGRESP
    message = subscriber.expect()
    assert len(message.payload) == DEFAULT_MAX_PACKET_SIZE - 1 - 3 - 2 - len(f"{uid}/big")


def test_max_packet_size_is_configurable(make_broker, raw, paho, uid):
    broker = make_broker(max_packet_size=1024)
    subscriber = paho(f"{uid}-sub", on=broker)
    subscriber.subscribe(f"{uid}/will", 1)
    small = raw(on=broker)
    small.connect_ok(f"{uid}-small")
    small.send(publish_of_total_size(1024))
    assert small.ping().type == m.PINGRESP
    big = raw(on=broker)
    big.connect_ok(f"{uid}-big", will=m.Will(f"{uid}/will", b"big gone", qos=1))
    big.send_quietly(publish_of_total_size(2048))
    big.wait_closed(CLOSE_TIMEOUT)
    assert subscriber.expect().payload == b"big gone"


def test_half_sent_packet_then_drop_fires_will(raw, paho, uid):
    """A connection dropped in the middle of a packet is a network drop like any other."""
    bystander = paho(f"{uid}-bystander")
    bystander.subscribe(f"{uid}/will", 1)
    offender = raw()
    offender.connect_ok(f"{uid}-offender", will=m.Will(f"{uid}/will", b"cut", qos=1))
    whole = m.publish(f"{uid}/x", b"0123456789", qos=1, packet_id=7)
    offender.send(whole[: len(whole) // 2])
    offender.abort()
    assert bystander.expect().payload == b"cut"
