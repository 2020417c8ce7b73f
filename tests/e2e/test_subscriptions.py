"""SUBSCRIBE / UNSUBSCRIBE, wildcards, `$` topics, overlapping subscriptions (MQTT 3.1.1 3.8-3.11, 4.7)."""

from __future__ import annotations

import pytest

import rawmqtt as m


def publishes_until_sentinel(
    subscriber: m.RawClient, sentinel_topic: str, straggle: float = 0.3
) -> list[m.Packet]:
    """PUBLISHes received up to the sentinel (excluded), plus any arriving shortly after it."""
    seen: list[m.Packet] = []
    while True:
        packet = subscriber.next_publish()
        if packet.topic == sentinel_topic:
            break
        seen.append(packet)
    while (late := subscriber.recv_or_none(straggle)) is not None:
        seen.append(late)
    for packet in seen:
        if packet.type == m.PUBLISH and packet.qos == 1:
            subscriber.send(m.puback(packet.packet_id))
    return seen


MATCHING = [
    ("a/b", "a/b", True),
    ("a/b", "a/c", False),
    ("a/b", "a/b/c", False),
    ("a/b", "A/b", False),
    ("a/+", "a/b", True),
    ("a/+", "a/", True),
    ("a/+", "a", False),
    ("a/+", "a/b/c", False),
    ("+/b", "x/b", True),
    ("+/+", "/b", True),
    ("+", "a", True),
    ("+", "/a", False),
    ("a/+/c", "a//c", True),
    ("a/+/c", "a/b/d", False),
    ("a/#", "a", True),
    ("a/#", "a/b/c/d", True),
    ("a/#", "ab", False),
    ("a/#", "b/a", False),
    ("#", "x/y/z", True),
    ("+/#", "x", True),
    ("/#", "/x", True),
    ("a/b/#", "a/b/", True),
    ("a b/+", "a b/c", True),
]


@pytest.mark.parametrize(("topic_filter", "topic", "matches"), MATCHING)
def test_topic_filter_matching(raw, uid, topic_filter, topic, matches):
    subscriber = raw()
    subscriber.connect_ok(f"{uid}-sub")
    sentinel = f"{uid}-sentinel"
    assert subscriber.subscribe([(f"{uid}/{topic_filter}", 0), (sentinel, 0)]) == [0, 0]
    publisher = raw()
    publisher.connect_ok(f"{uid}-pub")
    publisher.publish_qos0(f"{uid}/{topic}", b"probe")
    publisher.publish_qos0(sentinel, b"end")
    seen = publishes_until_sentinel(subscriber, sentinel)
    assert [p.topic for p in seen] == ([f"{uid}/{topic}"] if matches else [])


@pytest.mark.parametrize("root", ["$foo", "$aws/things/thing1/shadow"])
def test_dollar_topics_not_matched_by_leading_wildcards_but_by_their_own_filter(raw, uid, root):
    topic = f"{root}/{uid}/x"
    sentinel = f"{uid}/sentinel"
    hash_all = raw()
    hash_all.connect_ok(f"{uid}-hash")
    hash_all.subscribe([("#", 0)])
    plus = raw()
    plus.connect_ok(f"{uid}-plus")
    levels = topic.count("/")
    plus.subscribe([("+/" + topic.split("/", 1)[1], 0), ("/".join(["+"] * (levels + 1)), 0), (sentinel, 0)])
    own = raw()
    own.connect_ok(f"{uid}-own")
    own.subscribe([(f"{root}/#", 0), (f"{root}/{uid}/+", 0)])

    publisher = raw()
    publisher.connect_ok(f"{uid}-pub")
    publisher.publish_qos0(topic, b"dollar")
    publisher.publish_qos0(sentinel, b"end")

    # Both see the shared broker's retained messages of other tests; none may start with '$'.
    assert [p.topic for p in publishes_until_sentinel(plus, sentinel) if p.topic.startswith("$")] == []
    assert [p.topic for p in publishes_until_sentinel(hash_all, sentinel) if p.topic.startswith("$")] == []
    # Overlapping subscriptions of one client: delivered once.
    delivered = own.next_publish()
    assert (delivered.topic, delivered.payload) == (topic, b"dollar")
    assert own.recv_or_none(0.5) is None


def test_sys_topics_not_matched_by_leading_wildcards(raw, uid):
    topic = f"$SYS/{uid}/x"
    sentinel = f"{uid}/sentinel"
    subscriber = raw()
    subscriber.connect_ok(f"{uid}-sub")
    subscriber.subscribe([("#", 0), (f"+/{uid}/x", 0), ("+/+/+", 0), (sentinel, 0)])
    publisher = raw()
    publisher.connect_ok(f"{uid}-pub")
    publisher.publish_qos0(topic, b"sys")
    publisher.publish_qos0(sentinel, b"end")
    seen = publishes_until_sentinel(subscriber, sentinel)
    assert [p.topic for p in seen if p.topic.startswith("$")] == []


@pytest.mark.parametrize("publish_qos", [0, 1, 2])
def test_overlapping_subscriptions_deliver_once_at_the_highest_qos(raw, paho, uid, publish_qos):
    subscriber = raw()
    subscriber.connect_ok(f"{uid}-sub")
    assert subscriber.subscribe([(f"{uid}/#", 0), (f"{uid}/+", 1), (f"{uid}/a", 2), (f"{uid}/b", 0)]) == [
        0,
        1,
        2,
        0,
    ]
    publisher = paho(f"{uid}-pub")
    publisher.publish(f"{uid}/a", b"overlap", qos=publish_qos)
    publisher.publish(f"{uid}/b", b"end", qos=0)
    first = subscriber.next_publish()
    assert (first.topic, first.qos) == (f"{uid}/a", min(publish_qos, 2))
    if first.qos == 2:
        subscriber.send(m.pubrec(first.packet_id))
        subscriber.expect_skipping_publishes(m.PUBREL)
        subscriber.send(m.pubcomp(first.packet_id))
    elif first.qos == 1:
        subscriber.send(m.puback(first.packet_id))
    second = subscriber.next_publish()
    # uid/b matches uid/#, uid/+ and uid/b: once, at the best QoS among them (1), capped by QoS 0.
    assert (second.topic, second.payload, second.qos) == (f"{uid}/b", b"end", 0)
    assert subscriber.recv_or_none(0.5) is None


def test_suback_returns_granted_qos_per_filter_in_order(raw, uid):
    subscriber = raw()
    subscriber.connect_ok(uid)
    assert subscriber.subscribe([(f"{uid}/a", 2), (f"{uid}/b", 0), (f"{uid}/c", 1), (f"{uid}/+", 2)]) == [
        2,
        0,
        1,
        2,
    ]


def test_subscribing_again_replaces_the_subscription_qos(raw, paho, uid):
    subscriber = raw()
    subscriber.connect_ok(f"{uid}-sub")
    assert subscriber.subscribe([(f"{uid}/t", 0)]) == [0]
    assert subscriber.subscribe([(f"{uid}/t", 1)]) == [1]
    paho(f"{uid}-pub").publish(f"{uid}/t", b"upgraded", qos=2)
    delivery = subscriber.next_publish()
    assert (delivery.payload, delivery.qos) == (b"upgraded", 1)
    subscriber.send(m.puback(delivery.packet_id))
    assert subscriber.recv_or_none(0.5) is None


def test_unsubscribe_stops_delivery(paho, uid):
    subscriber = paho(f"{uid}-sub")
    subscriber.subscribe(f"{uid}/t", 1)
    subscriber.subscribe(f"{uid}/sentinel", 1)
    publisher = paho(f"{uid}-pub")
    publisher.publish(f"{uid}/t", b"before", qos=1)
    assert subscriber.expect().payload == b"before"
    subscriber.unsubscribe(f"{uid}/t")
    publisher.publish(f"{uid}/t", b"after", qos=1)
    publisher.publish(f"{uid}/sentinel", b"end", qos=1)
    assert subscriber.expect().payload == b"end"
    assert subscriber.drain(quiet=0.5) == []


def test_unsubscribe_gets_unsuback_with_the_same_packet_id_even_for_unknown_filters(raw, uid):
    client = raw()
    client.connect_ok(uid)
    client.send(m.unsubscribe(0x4242, [f"{uid}/never-subscribed", f"{uid}/#"]))
    assert client.expect(m.UNSUBACK).raw == bytes([0xB0, 0x02, 0x42, 0x42])


def test_unsubscribing_one_of_two_overlapping_filters_keeps_the_other(raw, paho, uid):
    subscriber = raw()
    subscriber.connect_ok(f"{uid}-sub")
    subscriber.subscribe([(f"{uid}/+", 0), (f"{uid}/t", 0)])
    subscriber.unsubscribe([f"{uid}/t"])
    paho(f"{uid}-pub").publish(f"{uid}/t", b"still", qos=0)
    assert subscriber.next_publish().payload == b"still"
    assert subscriber.recv_or_none(0.5) is None


@pytest.mark.parametrize(
    "bad_filter",
    ["a/#/b", "a#", "a/b#", "a/+b", "+a/b", "", "a/\x00b"],
    ids=[
        "hash-not-last",
        "hash-in-level",
        "hash-after-chars",
        "plus-then-chars",
        "chars-then-plus",
        "empty",
        "nul",
    ],
)
def test_invalid_topic_filter_is_refused(raw, uid, bad_filter):
    client = raw()
    client.connect_ok(uid)
    client.send_quietly(m.subscribe(1, [(f"{uid}/ok", 1), (bad_filter, 0)]))
    try:
        suback = client.expect(m.SUBACK, timeout=10)
    except m.Closed:
        return  # Closing the connection is a correct answer to a malformed SUBSCRIBE.
    assert suback.return_codes == [1, 0x80]
