"""Clean and persistent sessions, offline queueing, redelivery, takeover (MQTT 3.1.1 3.1.2.4, 4.1, 4.4)."""

from __future__ import annotations

import rawmqtt as m

CLOSE_TIMEOUT = 10.0


def leave(client: m.RawClient) -> None:
    """Disconnect politely and wait for the broker to close the connection."""
    client.send(m.disconnect())
    client.wait_closed(CLOSE_TIMEOUT)


def test_persistent_session_keeps_its_subscriptions(raw, paho, uid):
    first = raw()
    first.connect_ok(f"{uid}-sub", clean=False)
    first.subscribe([(f"{uid}/t", 1)])
    leave(first)
    again = raw()
    assert again.connect_ok(f"{uid}-sub", clean=False).session_present
    paho(f"{uid}-pub").publish(f"{uid}/t", b"remembered", qos=1)
    assert again.next_publish().payload == b"remembered"


def test_clean_session_subscriptions_end_with_the_connection(raw, paho, uid):
    first = raw()
    first.connect_ok(f"{uid}-sub", clean=True)
    first.subscribe([(f"{uid}/t", 1)])
    leave(first)
    again = raw()
    assert not again.connect_ok(f"{uid}-sub", clean=True).session_present
    again.subscribe([(f"{uid}/sentinel", 1)])
    publisher = paho(f"{uid}-pub")
    publisher.publish(f"{uid}/t", b"forgotten", qos=1)
    publisher.publish(f"{uid}/sentinel", b"end", qos=1)
    assert again.next_publish().payload == b"end"


def test_qos1_and_qos2_messages_published_while_away_are_delivered_on_reconnect(raw, paho, uid):
    first = raw()
    first.connect_ok(f"{uid}-sub", clean=False)
    assert first.subscribe([(f"{uid}/q1", 1), (f"{uid}/q2", 2)]) == [1, 2]
    leave(first)

    publisher = paho(f"{uid}-pub")
    for i in range(3):
        publisher.publish(f"{uid}/q1", f"one-{i}".encode(), qos=1)
        publisher.publish(f"{uid}/q2", f"two-{i}".encode(), qos=2)

    again = raw()
    assert again.connect(f"{uid}-sub", clean=False).raw == bytes([0x20, 0x02, 0x01, 0x00])
    by_topic: dict[str, list[tuple[bytes, int]]] = {f"{uid}/q1": [], f"{uid}/q2": []}
    for _ in range(6):
        packet = again.next_publish()
        by_topic[packet.topic].append((packet.payload, packet.qos))
        if packet.qos == 1:
            again.send(m.puback(packet.packet_id))
        else:
            again.send(m.pubrec(packet.packet_id))
            again.send(m.pubcomp(again.expect_skipping_publishes(m.PUBREL).packet_id))
    assert by_topic == {
        f"{uid}/q1": [(f"one-{i}".encode(), 1) for i in range(3)],
        f"{uid}/q2": [(f"two-{i}".encode(), 2) for i in range(3)],
    }
    assert again.recv_or_none(1.0) is None


def test_messages_for_a_dropped_persistent_client_are_queued(raw, paho, uid):
    first = raw()
    first.connect_ok(f"{uid}-sub", clean=False)
    first.subscribe([(f"{uid}/t", 1)])
    first.abort()
    paho(f"{uid}-pub").publish(f"{uid}/t", b"while dropped", qos=1)
    again = raw()
    assert again.connect_ok(f"{uid}-sub", clean=False).session_present
    assert again.next_publish().payload == b"while dropped"


def test_unacknowledged_qos1_delivery_is_resent_with_dup_on_reconnect(raw, paho, uid):
    first = raw()
    first.connect_ok(f"{uid}-sub", clean=False)
    first.subscribe([(f"{uid}/t", 1)])
    paho(f"{uid}-pub").publish(f"{uid}/t", b"ack me", qos=1)
    original = first.next_publish()
    assert (original.payload, original.dup) == (b"ack me", False)
    first.abort()  # received, never acknowledged

    again = raw()
    assert again.connect_ok(f"{uid}-sub", clean=False).session_present
    resent = again.next_publish()
    assert (resent.payload, resent.qos, resent.dup) == (b"ack me", 1, True)
    assert resent.packet_id == original.packet_id
    again.send(m.puback(resent.packet_id))
    assert again.recv_or_none(1.0) is None


def test_unacknowledged_qos2_delivery_is_resent_with_dup_on_reconnect(raw, paho, uid):
    first = raw()
    first.connect_ok(f"{uid}-sub", clean=False)
    first.subscribe([(f"{uid}/t", 2)])
    paho(f"{uid}-pub").publish(f"{uid}/t", b"exactly", qos=2)
    original = first.next_publish()
    assert (original.qos, original.dup) == (2, False)
    first.abort()  # no PUBREC

    again = raw()
    assert again.connect_ok(f"{uid}-sub", clean=False).session_present
    resent = again.next_publish()
    assert (resent.payload, resent.qos, resent.dup, resent.packet_id) == (
        b"exactly",
        2,
        True,
        original.packet_id,
    )
    again.send(m.pubrec(resent.packet_id))
    assert again.expect(m.PUBREL).packet_id == resent.packet_id
    again.send(m.pubcomp(resent.packet_id))
    assert again.recv_or_none(1.0) is None


def test_pubrel_is_resent_on_reconnect_after_pubrec(raw, paho, uid):
    first = raw()
    first.connect_ok(f"{uid}-sub", clean=False)
    first.subscribe([(f"{uid}/t", 2)])
    paho(f"{uid}-pub").publish(f"{uid}/t", b"half done", qos=2)
    delivery = first.next_publish()
    first.send(m.pubrec(delivery.packet_id))
    assert first.expect(m.PUBREL).packet_id == delivery.packet_id
    first.abort()  # no PUBCOMP

    again = raw()
    assert again.connect_ok(f"{uid}-sub", clean=False).session_present
    pubrel = again.recv()
    assert pubrel.raw == bytes([0x62, 0x02]) + delivery.packet_id.to_bytes(2, "big"), str(pubrel)
    again.send(m.pubcomp(delivery.packet_id))
    # The message itself was already received: it is not delivered again.
    assert again.recv_or_none(1.0) is None


def test_offline_queue_is_bounded_and_keeps_order(make_broker, raw, paho, uid):
    broker = make_broker(max_queued_messages=10)
    first = raw(on=broker)
    first.connect_ok(f"{uid}-sub", clean=False)
    first.subscribe([(f"{uid}/t", 1)])
    leave(first)
    publisher = paho(f"{uid}-pub", on=broker)
    for i in range(25):
        publisher.publish(f"{uid}/t", str(i).encode(), qos=1)

    again = raw(on=broker)
    assert again.connect_ok(f"{uid}-sub", clean=False).session_present
    delivered: list[int] = []
    seen: list[str] = []
    while (packet := again.recv_or_none(2.0)) is not None:
        assert packet.type == m.PUBLISH
        delivered.append(int(packet.payload))
        seen.append(f"{int(packet.payload)}{' (dup)' if packet.dup else ''}")
        again.send(m.puback(packet.packet_id))
    assert 1 <= len(delivered) <= 10, f"{len(delivered)} delivered with --max-queued-messages 10: {seen}"
    assert delivered == sorted(delivered) and len(set(delivered)) == len(delivered), delivered
    # The broker is fine afterwards: new messages flow again.
    publisher.publish(f"{uid}/t", b"after", qos=1)
    assert again.next_publish().payload == b"after"


def test_same_client_id_takes_over_and_closes_the_old_connection(raw, uid):
    old = raw()
    old.connect_ok(uid)
    new = raw()
    assert new.connect_ok(uid).return_code == 0
    old.wait_closed(CLOSE_TIMEOUT)
    assert new.ping().type == m.PINGRESP


def test_takeover_resumes_the_persistent_session(raw, paho, uid):
    old = raw()
    old.connect_ok(uid, clean=False)
    old.subscribe([(f"{uid}/t", 1)])
    new = raw()
    assert new.connect_ok(uid, clean=False).session_present
    old.wait_closed(CLOSE_TIMEOUT)
    paho(f"{uid}-pub").publish(f"{uid}/t", b"to the new one", qos=1)
    assert new.next_publish().payload == b"to the new one"


def test_takeover_with_clean_session_starts_a_fresh_session(raw, paho, uid):
    old = raw()
    old.connect_ok(uid, clean=False)
    old.subscribe([(f"{uid}/t", 1)])
    new = raw()
    assert not new.connect_ok(uid, clean=True).session_present
    old.wait_closed(CLOSE_TIMEOUT)
    new.subscribe([(f"{uid}/sentinel", 1)])
    publisher = paho(f"{uid}-pub")
    publisher.publish(f"{uid}/t", b"old subscription", qos=1)
    publisher.publish(f"{uid}/sentinel", b"end", qos=1)
    assert new.next_publish().payload == b"end"
