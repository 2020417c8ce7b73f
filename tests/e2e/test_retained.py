"""Retained messages (MQTT 3.1.1 section 3.3.1.3)."""

from __future__ import annotations

import pytest

import rawmqtt as m


def subscribe_and_collect(
    raw, client_id: str, filters: list[tuple[str, int]], quiet: float = 1.0
) -> list[m.Packet]:
    """Subscribe a fresh raw client and return what it receives until ``quiet`` seconds pass."""
    subscriber = raw()
    subscriber.connect_ok(client_id)
    subscriber.subscribe(filters)
    received = list(subscriber.held)
    subscriber.held.clear()
    while (packet := subscriber.recv_or_none(quiet)) is not None:
        if packet.type == m.PUBREL:
            subscriber.send(m.pubcomp(packet.packet_id))
            continue
        assert packet.type == m.PUBLISH, str(packet)
        received.append(packet)
        if packet.qos == 1:
            subscriber.send(m.puback(packet.packet_id))
        elif packet.qos == 2:
            subscriber.send(m.pubrec(packet.packet_id))
    return received


def test_retained_message_is_delivered_on_subscribe_with_retain_set(raw, paho, uid):
    paho(f"{uid}-pub").publish(f"{uid}/state", b"on", qos=1, retain=True)
    (delivered,) = subscribe_and_collect(raw, f"{uid}-sub", [(f"{uid}/state", 1)])
    assert (delivered.topic, delivered.payload, delivered.retain, delivered.qos) == (
        f"{uid}/state",
        b"on",
        True,
        1,
    )


def test_retained_qos0_message_is_stored_too(raw, paho, uid):
    publisher = paho(f"{uid}-pub")
    publisher.publish(f"{uid}/state", b"zero", qos=0, retain=True)
    # QoS 0 has no acknowledgement: a QoS 1 round trip on the same connection comes after it.
    publisher.publish(f"{uid}/other", b"flush", qos=1)
    (delivered,) = subscribe_and_collect(raw, f"{uid}-sub", [(f"{uid}/state", 1)])
    assert (delivered.payload, delivered.retain, delivered.qos) == (b"zero", True, 0)


def test_retained_message_is_replaced_by_a_newer_one(raw, paho, uid):
    publisher = paho(f"{uid}-pub")
    publisher.publish(f"{uid}/state", b"first", qos=1, retain=True)
    publisher.publish(f"{uid}/state", b"second", qos=1, retain=True)
    delivered = subscribe_and_collect(raw, f"{uid}-sub", [(f"{uid}/state", 1)])
    assert [p.payload for p in delivered] == [b"second"]


def test_empty_retained_payload_clears_the_retained_message(raw, paho, uid):
    publisher = paho(f"{uid}-pub")
    publisher.publish(f"{uid}/state", b"present", qos=1, retain=True)
    publisher.publish(f"{uid}/state", b"", qos=1, retain=True)
    assert subscribe_and_collect(raw, f"{uid}-sub", [(f"{uid}/state", 1), (f"{uid}/#", 1)]) == []


def test_non_retained_publish_is_not_stored(raw, paho, uid):
    paho(f"{uid}-pub").publish(f"{uid}/event", b"once", qos=1, retain=False)
    assert subscribe_and_collect(raw, f"{uid}-sub", [(f"{uid}/event", 1)]) == []


def test_non_retained_publish_leaves_the_retained_message_alone(raw, paho, uid):
    publisher = paho(f"{uid}-pub")
    publisher.publish(f"{uid}/state", b"kept", qos=1, retain=True)
    publisher.publish(f"{uid}/state", b"live only", qos=1, retain=False)
    delivered = subscribe_and_collect(raw, f"{uid}-sub", [(f"{uid}/state", 1)])
    assert [p.payload for p in delivered] == [b"kept"]


@pytest.mark.parametrize("wildcard", ["+/+", "#", "+/#", "{uid}/+", "{uid}/#"])
def test_retained_messages_are_delivered_to_wildcard_subscriptions(raw, paho, uid, wildcard):
    topic_filter = wildcard.format(uid=uid)
    publisher = paho(f"{uid}-pub")
    publisher.publish(f"{uid}/a", b"A", qos=1, retain=True)
    publisher.publish(f"{uid}/b", b"B", qos=1, retain=True)
    publisher.publish(f"{uid}/nested/c", b"C", qos=1, retain=True)
    delivered = subscribe_and_collect(raw, f"{uid}-sub", [(topic_filter, 1)])
    # Shared broker: '#' also returns other tests' retained messages; look at ours only.
    ours = {p.topic: (p.payload, p.retain) for p in delivered if p.topic.startswith(f"{uid}/")}
    expected = {f"{uid}/a": (b"A", True), f"{uid}/b": (b"B", True)}
    if "#" in wildcard:
        expected[f"{uid}/nested/c"] = (b"C", True)
    assert ours == expected
    assert all(p.retain for p in delivered)


def test_live_delivery_of_a_retained_publish_has_retain_cleared(raw, paho, uid):
    subscriber = raw()
    subscriber.connect_ok(f"{uid}-sub")
    subscriber.subscribe([(f"{uid}/state", 1)])
    paho(f"{uid}-pub").publish(f"{uid}/state", b"live", qos=1, retain=True)
    delivered = subscriber.next_publish()
    assert (delivered.payload, delivered.retain) == (b"live", False)


def test_retained_message_is_delivered_at_min_of_its_qos_and_the_subscription_qos(raw, paho, uid):
    publisher = paho(f"{uid}-pub")
    publisher.publish(f"{uid}/q2", b"two", qos=2, retain=True)
    publisher.publish(f"{uid}/q1", b"one", qos=1, retain=True)
    by_topic = {p.topic: p.qos for p in subscribe_and_collect(raw, f"{uid}-s1", [(f"{uid}/+", 1)])}
    assert by_topic == {f"{uid}/q2": 1, f"{uid}/q1": 1}
    by_topic = {p.topic: p.qos for p in subscribe_and_collect(raw, f"{uid}-s2", [(f"{uid}/+", 2)])}
    assert by_topic == {f"{uid}/q2": 2, f"{uid}/q1": 1}
    by_topic = {p.topic: p.qos for p in subscribe_and_collect(raw, f"{uid}-s0", [(f"{uid}/+", 0)])}
    assert by_topic == {f"{uid}/q2": 0, f"{uid}/q1": 0}


def test_subscribing_again_redelivers_retained_messages(raw, paho, uid):
    paho(f"{uid}-pub").publish(f"{uid}/state", b"again", qos=1, retain=True)
    subscriber = raw()
    subscriber.connect_ok(f"{uid}-sub")
    for _ in range(2):
        subscriber.subscribe([(f"{uid}/state", 1)])
        delivered = subscriber.next_publish()
        assert (delivered.payload, delivered.retain) == (b"again", True)
        subscriber.send(m.puback(delivered.packet_id))


def test_retained_message_survives_the_publishers_disconnect(raw, uid):
    publisher = raw()
    publisher.connect_ok(f"{uid}-pub")
    publisher.publish_qos1(f"{uid}/state", b"stays", retain=True)
    publisher.send(m.disconnect())
    publisher.wait_closed(10)
    delivered = subscribe_and_collect(raw, f"{uid}-sub", [(f"{uid}/state", 0)])
    assert [(p.payload, p.retain) for p in delivered] == [(b"stays", True)]
