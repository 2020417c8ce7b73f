"""PUBLISH at QoS 0, 1 and 2 with their acknowledgement flows (MQTT 3.1.1 sections 3.3-3.7, 4.3, 4.6)."""

from __future__ import annotations

import itertools

import pytest

import rawmqtt as m


def test_qos0_publish_is_delivered_and_not_acknowledged(raw, paho, uid):
    subscriber = paho(f"{uid}-sub")
    subscriber.subscribe(f"{uid}/t", 0)
    publisher = raw()
    publisher.connect_ok(f"{uid}-pub")
    publisher.publish_qos0(f"{uid}/t", b"fire and forget")
    # The next thing the publisher hears is the PINGRESP: nothing acknowledges QoS 0.
    assert publisher.ping().type == m.PINGRESP
    message = subscriber.expect()
    assert (message.topic, message.payload, message.qos) == (f"{uid}/t", b"fire and forget", 0)


def test_qos1_publish_is_acknowledged_with_puback_of_the_same_packet_id(raw, uid):
    publisher = raw()
    publisher.connect_ok(uid)
    for packet_id in (1, 0x1234, 0xFFFF):
        publisher.send(m.publish(f"{uid}/t", b"x", qos=1, packet_id=packet_id))
        assert publisher.expect(m.PUBACK).raw == bytes([0x40, 0x02]) + packet_id.to_bytes(2, "big")


def test_qos2_publish_flow_pubrec_pubrel_pubcomp(raw, uid):
    publisher = raw()
    publisher.connect_ok(uid)
    publisher.send(m.publish(f"{uid}/t", b"x", qos=2, packet_id=0x0102))
    assert publisher.expect(m.PUBREC).raw == bytes([0x50, 0x02, 0x01, 0x02])
    publisher.send(m.pubrel(0x0102))
    assert publisher.expect(m.PUBCOMP).raw == bytes([0x70, 0x02, 0x01, 0x02])


def test_qos2_publish_sent_twice_before_pubrel_is_delivered_once(raw, paho, uid):
    subscriber = paho(f"{uid}-sub")
    subscriber.subscribe(f"{uid}/t", 2)
    publisher = raw()
    publisher.connect_ok(f"{uid}-pub")
    publisher.send(m.publish(f"{uid}/t", b"exactly once", qos=2, packet_id=7))
    assert publisher.expect(m.PUBREC).packet_id == 7
    publisher.send(m.publish(f"{uid}/t", b"exactly once", qos=2, packet_id=7, dup=True))
    assert publisher.expect(m.PUBREC).packet_id == 7
    publisher.send(m.pubrel(7))
    assert publisher.expect(m.PUBCOMP).packet_id == 7
    # The same packet id now starts a new message, which is delivered too.
    publisher.publish_qos2(f"{uid}/t", b"next")
    publisher.send(m.publish(f"{uid}/t", b"end", qos=1, packet_id=8))
    publisher.expect(m.PUBACK)
    # (paho hands a QoS 2 message over only on PUBREL, so compare without order)
    payloads = sorted(message.payload for message in subscriber.collect(3))
    assert payloads == sorted([b"exactly once", b"next", b"end"])
    assert subscriber.drain(quiet=1.0) == []


def test_qos2_pubrel_for_a_released_packet_id_still_gets_pubcomp(raw, uid):
    """A PUBREL resent after a lost PUBCOMP must be answered again [MQTT-4.3.3]."""
    publisher = raw()
    publisher.connect_ok(uid)
    publisher.publish_qos2(f"{uid}/t", b"x")
    publisher.send(m.pubrel(1))
    assert publisher.expect(m.PUBCOMP).packet_id == 1


def test_qos2_delivery_to_subscriber_uses_pubrec_pubrel_pubcomp(raw, paho, uid):
    subscriber = raw()
    subscriber.connect_ok(f"{uid}-sub")
    assert subscriber.subscribe([(f"{uid}/t", 2)]) == [2]
    paho(f"{uid}-pub").publish(f"{uid}/t", b"two", qos=2)
    delivery = subscriber.next_publish()
    assert (delivery.qos, delivery.dup, delivery.retain, delivery.payload) == (2, False, False, b"two")
    assert delivery.packet_id != 0
    subscriber.send(m.pubrec(delivery.packet_id))
    pubrel = subscriber.expect(m.PUBREL)
    assert pubrel.raw == bytes([0x62, 0x02]) + delivery.packet_id.to_bytes(2, "big")
    subscriber.send(m.pubcomp(delivery.packet_id))
    assert subscriber.ping().type == m.PINGRESP
    # Completed: the message is not delivered again.
    assert subscriber.recv_or_none(1.0) is None


def test_qos1_delivery_to_subscriber_has_a_packet_id_and_completes_with_puback(raw, paho, uid):
    subscriber = raw()
    subscriber.connect_ok(f"{uid}-sub")
    subscriber.subscribe([(f"{uid}/t", 1)])
    paho(f"{uid}-pub").publish(f"{uid}/t", b"one", qos=1)
    delivery = subscriber.next_publish()
    assert (delivery.qos, delivery.dup, delivery.payload) == (1, False, b"one")
    assert delivery.packet_id != 0
    subscriber.send(m.puback(delivery.packet_id))
    assert subscriber.ping().type == m.PINGRESP
    assert subscriber.recv_or_none(1.0) is None


@pytest.mark.parametrize(("publish_qos", "subscribe_qos"), list(itertools.product((0, 1, 2), repeat=2)))
def test_delivered_qos_is_min_of_publish_and_subscription_qos(raw, paho, uid, publish_qos, subscribe_qos):
    subscriber = raw()
    subscriber.connect_ok(f"{uid}-sub")
    assert subscriber.subscribe([(f"{uid}/t", subscribe_qos)]) == [subscribe_qos]
    paho(f"{uid}-pub").publish(f"{uid}/t", b"q", qos=publish_qos)
    delivery = subscriber.next_publish()
    assert delivery.qos == min(publish_qos, subscribe_qos)
    assert delivery.payload == b"q"


def test_payload_bytes_are_delivered_unchanged(paho, uid):
    subscriber = paho(f"{uid}-sub")
    subscriber.subscribe(f"{uid}/#", 1)
    publisher = paho(f"{uid}-pub")
    payloads = [bytes(range(256)), b"", b"\x00", "héllo wörld ✓".encode(), b"\xff" * 65536]
    for index, payload in enumerate(payloads):
        publisher.publish(f"{uid}/{index}", payload, qos=1)
    received = {message.topic: message.payload for message in subscriber.collect(len(payloads))}
    assert received == {f"{uid}/{index}": payload for index, payload in enumerate(payloads)}


def test_publisher_subscribed_to_its_own_topic_receives_its_message(raw, uid):
    client = raw()
    client.connect_ok(uid)
    client.subscribe([(f"{uid}/echo", 1)])
    client.send(m.publish(f"{uid}/echo", b"me", qos=1, packet_id=1))
    packets = [client.recv(), client.recv()]
    assert sorted(p.type for p in packets) == [m.PUBLISH, m.PUBACK]
    delivery = next(p for p in packets if p.type == m.PUBLISH)
    assert delivery.payload == b"me"


def publish_in_order(paho, uid: str, topic: str, qos: int, count: int, batch: int = 250) -> list[int]:
    """Publish ``count`` numbered messages; return the numbers as a subscriber received them.

    Batches let the (Python) subscriber keep up: a broker may drop for a subscriber that
    falls far behind, which is not what ordering tests are about.
    """
    subscriber = paho(f"{uid}-sub")
    subscriber.subscribe(topic, qos)
    publisher = paho(f"{uid}-pub")
    received: list[int] = []
    for start in range(0, count, batch):
        infos = [
            publisher.publish(topic, str(i).encode(), qos=qos, wait=False)
            for i in range(start, min(count, start + batch))
        ]
        for info in infos:
            info.wait_for_publish(60)
        received += [int(message.payload) for message in subscriber.collect(len(infos), timeout=60)]
    return received


def test_per_topic_order_of_1000_qos1_messages_is_kept(paho, uid):
    assert publish_in_order(paho, uid, f"{uid}/ordered", 1, 1000) == list(range(1000))


def test_per_topic_order_of_qos2_messages_is_kept(paho, uid):
    assert publish_in_order(paho, uid, f"{uid}/ordered2", 2, 300) == list(range(300))


def test_inflight_window_limits_unacknowledged_deliveries(make_broker, raw, paho, uid):
    broker = make_broker(max_inflight=5)
    subscriber = raw(on=broker)
    subscriber.connect_ok(f"{uid}-sub")
    subscriber.subscribe([(f"{uid}/t", 1)])
    publisher = paho(f"{uid}-pub", on=broker)
    for i in range(20):
        publisher.publish(f"{uid}/t", str(i).encode(), qos=1)

    window = [subscriber.next_publish() for _ in range(5)]
    assert subscriber.recv_or_none(1.5) is None, "more than 5 unacknowledged QoS 1 deliveries"
    ids = [p.packet_id for p in window]
    assert 0 not in ids and len(set(ids)) == 5, f"packet ids must be distinct and non-zero: {ids}"

    # Acknowledging releases the rest, in order, never reusing an id that is still in flight.
    received = [int(p.payload) for p in window]
    pending = window
    while pending:
        for packet in pending:
            subscriber.send(m.puback(packet.packet_id))
        pending = []
        while (packet := subscriber.recv_or_none(2.0)) is not None:
            assert packet.type == m.PUBLISH
            assert packet.packet_id not in {p.packet_id for p in pending}
            received.append(int(packet.payload))
            pending.append(packet)
    assert received == list(range(20))


@pytest.mark.thingport_only(reason="mosquitto 2.0 refills the whole window after one PUBACK")
def test_inflight_window_is_never_exceeded_while_acknowledging_one_by_one(make_broker, raw, paho, uid):
    broker = make_broker(max_inflight=5)
    subscriber = raw(on=broker)
    subscriber.connect_ok(f"{uid}-sub")
    subscriber.subscribe([(f"{uid}/t", 1)])
    publisher = paho(f"{uid}-pub", on=broker)
    for i in range(20):
        publisher.publish(f"{uid}/t", str(i).encode(), qos=1)

    outstanding: list[m.Packet] = []
    received: list[int] = []
    while len(received) < 20:
        packet = subscriber.recv_or_none(1.0 if len(outstanding) == 5 else 10.0)
        if packet is None:
            assert outstanding, f"deliveries stopped after {received}"
            subscriber.send(m.puback(outstanding.pop(0).packet_id))
            continue
        assert packet.type == m.PUBLISH
        outstanding.append(packet)
        received.append(int(packet.payload))
        assert len(outstanding) <= 5, f"{len(outstanding)} unacknowledged deliveries with --max-inflight 5"
    assert received == list(range(20))
